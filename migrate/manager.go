package migrate

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

// syncPlan is how dependencies get into the venv: the manager, the commands
// the hook runs, the files they read, and what the manager needs around it.
type syncPlan struct {
	Manager  string
	Why      Reason
	Commands []string
	// Synced are the dependency files the commands install from.
	Synced []string
	// Hashed are the files whose change triggers a new sync.
	Hashed []string
	// Groups are the dependency groups, extras and requirement-file groups
	// synced besides the main dependencies.
	Groups []string
	Vars   []Var
	// Exports are variables the hook exports once the venv exists; their
	// values refer to $VIRTUAL_ENV, which [vars] cannot.
	Exports []hookExport
	Tool    *Package
	Notes   []string
	// Recipe is the contributor setup the sync reproduces, when the
	// project has one.
	Recipe *installset.Recipe
	// Left says what the sync leaves out: files not synced (and why), the
	// project not installed.
	Left []SetupNote
}

// hookExport is a variable the hook exports, with why.
type hookExport struct {
	Name, Value string
	Reason      Reason
}

// Managers venv2flox can plan for.
var knownManagers = []string{"pip", "uv", "poetry", "pdm", "pipenv"}

// Dependency groups, extras and requirement-file groups synced by default
// besides the main dependencies: those a developer needs to work on the
// project (tests, linters, type checkers). Documentation, production and
// release groups are left out: ask for them with --group.
var devLikeGroups = []string{"check", "checks", "ci", "dev", "develop", "development", "format", "lint", "linting", "local", "qa", "style", "test", "testing", "tests", "type", "types", "typing"}

// mainGroupNames are requirement-file groups that hold the main
// dependencies (requirements/base.txt).
var mainGroupNames = []string{"", "app", "base", "common", "core", "default", "main", "requirements", "runtime"}

// groupSelection says which groups a plan syncs.
type groupSelection struct {
	opts PlanOptions
}

// wants reports whether a named group or extra is synced.
func (g groupSelection) wants(name string) bool {
	name = normalizeName(name)
	if slices.Contains(mainGroupNames, name) {
		return true
	}
	if g.opts.NoDev {
		return false
	}
	if g.opts.Groups != nil {
		for _, w := range g.opts.Groups {
			if normalizeName(w) == name {
				return true
			}
		}
		return false
	}
	return slices.Contains(devLikeGroups, name)
}

// wantsExtra reports whether an optional-dependency extra is synced.
func (g groupSelection) wantsExtra(name string) bool {
	return g.opts.AllExtras || g.wants(name) && !slices.Contains(mainGroupNames, normalizeName(name))
}

// projectGroups lists the groups and extras the project declares, from its
// requirements, sorted. Groups come from the given pyproject.toml tables
// only, when tables are named: a tool's --group takes the groups it knows,
// and another tool's name (a Hatch environment) makes it fail.
func projectGroups(p *detect.Project, optional bool, file string, tables ...string) []string {
	seen := map[string]bool{}
	for _, r := range p.Requirements {
		if r.Group == "" || r.Optional != optional || file != "" && r.Evidence.Path != file ||
			!optional && len(tables) > 0 && !slices.Contains(tables, r.Table) {
			continue
		}
		seen[r.Group] = true
	}
	out := make([]string, 0, len(seen))
	for g := range seen {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

// chooseSync decides the manager and the sync commands.
func chooseSync(p *detect.Project, opts PlanOptions) (syncPlan, error) {
	rec, ok := installset.FindRecipe(p)
	manager, why, err := chooseManager(p, opts.Manager, rec.Manager)
	if err != nil {
		return syncPlan{}, err
	}
	g := groupSelection{opts}
	var sp syncPlan
	if ok && rec.Foreign != nil {
		// A recipe venv2flox cannot replay (tox --devenv): the sync
		// follows the metadata, and the check says it compared nothing.
		sp = metadataSync(p, manager, g)
		sp.Recipe = &rec
	} else if ok {
		sp = recipeSync(p, rec, manager, opts)
		sp.Recipe, sp.Left = &rec, recipeLeft(rec)
		if rec.Kind == "flox" && !slices.Contains(rec.Commands, "") && opts.Groups == nil && !opts.NoDev && !opts.AllExtras && opts.Manager == "" {
			// Migrated before: the hook's own commands stay as they are.
			sp.Commands = rec.Commands
		}
	} else {
		sp = metadataSync(p, manager, g)
	}
	sp.Manager, sp.Why = manager, why
	sp.Hashed = syncInputs(p, sp)
	for _, f := range p.Files {
		if f.Kind == detect.KindCondaEnv {
			sp.Notes = append(sp.Notes, fmt.Sprintf("%s is a conda environment: venv2flox does not migrate conda; its Python packages must also be listed in the files the hook syncs", f.Path))
		}
	}
	for _, m := range p.Managers {
		if m.Manager == detect.ManagerHatch && m.Strength >= 2 {
			sp.Notes = append(sp.Notes, fmt.Sprintf("%s: Hatch keeps its own environments; `hatch run` still works, while the Flox venv is what `flox activate` provides", m.Evidence))
			break
		}
	}
	if len(sp.Commands) == 0 {
		if sp.Recipe != nil {
			sp.Notes = append(sp.Notes, sp.Recipe.Label+" installs nothing the hook can reproduce: the hook only creates the venv")
		} else {
			sp.Notes = append(sp.Notes, "no dependency files were found: the hook only creates the venv")
		}
		if opts.Manager == "" {
			// Nothing to sync: no manager to install, the venv keeps pip.
			sp = syncPlan{Manager: "pip", Hashed: sp.Hashed, Notes: sp.Notes, Recipe: sp.Recipe, Left: sp.Left,
				Why: Reason{Text: "pip: there is nothing to sync, and the venv's own pip installs by hand"}}
		}
	}
	if sp.Manager != "pip" {
		sp.Tool = &Package{ID: sp.Manager, PkgPath: sp.Manager, Reason: Reason{Text: sp.Manager + " runs the dependency sync in the hook", Evidence: why.Evidence}}
	}
	return sp, nil
}

// metadataSync decides the sync from the project's metadata, when it has
// no setup recipe: lock files, pyproject defaults, requirements files.
func metadataSync(p *detect.Project, manager string, g groupSelection) syncPlan {
	switch manager {
	case "uv":
		if hasFile(p, "uv.lock") {
			return uvProjectSync(p, g)
		}
		return pipStyleSync(p, g, true)
	case "poetry":
		return poetrySync(p, g)
	case "pdm":
		return pdmSync(p, g)
	case "pipenv":
		return pipenvSync(p, g)
	}
	return pipStyleSync(p, g, false)
}

// chooseManager picks the package manager: --manager, else lock files,
// else manifest tables, else uv for requirements files and plain projects.
// Of several lock files, the one of the manager the setup recipe runs
// (recipe) wins: a stale uv.lock beside the poetry.lock that `make setup`
// uses is not the project's lock.
func chooseManager(p *detect.Project, forced, recipe string) (string, Reason, error) {
	if forced != "" {
		f := strings.ToLower(forced)
		if !slices.Contains(knownManagers, f) {
			return "", Reason{}, fmt.Errorf("unknown manager %q (use one of %s)", forced, strings.Join(knownManagers, ", "))
		}
		return f, Reason{Text: f + " because --manager says so"}, nil
	}
	lockFor := []struct{ file, manager string }{
		{"uv.lock", "uv"}, {"poetry.lock", "poetry"}, {"pdm.lock", "pdm"}, {"Pipfile.lock", "pipenv"}, {"Pipfile", "pipenv"},
	}
	first := "comes first"
	if i := slices.IndexFunc(lockFor, func(l struct{ file, manager string }) bool { return l.manager == recipe && hasFile(p, l.file) }); i > 0 {
		lockFor = append([]struct{ file, manager string }{lockFor[i]}, slices.Delete(slices.Clone(lockFor), i, i+1)...)
		first = "is the one the setup recipe's " + recipe + " uses"
	}
	for _, l := range lockFor {
		if hasFile(p, l.file) {
			why := Reason{Text: fmt.Sprintf("%s because the project has %s", l.manager, l.file), Evidence: []detect.Evidence{{Path: l.file}}}
			var others []string
			for _, o := range lockFor {
				if o.manager != l.manager && hasFile(p, o.file) && !slices.Contains(others, o.file) {
					others = append(others, o.file)
				}
			}
			if len(others) > 0 {
				why.Text += fmt.Sprintf(" (also found %s; %s %s)", strings.Join(others, ", "), l.file, first)
			}
			return l.manager, why, nil
		}
	}
	for _, m := range p.Managers {
		// Only the top's pyproject.toml: `poetry install` runs there (a
		// nested Poetry project, such as a pinning tool, is not the top's).
		if m.Manager == detect.ManagerPoetry && m.Strength >= 2 && !strings.Contains(m.Evidence.Path, "/") {
			return "poetry", Reason{Text: "poetry because " + reasonOr(m.Reason, "pyproject.toml has [tool.poetry]"), Evidence: []detect.Evidence{m.Evidence}}, nil
		}
	}
	if reqs := requirementFiles(p); len(reqs) > 0 {
		return "uv", Reason{Text: "uv (uv pip) because the project installs from requirements files; uv is fast and needs nothing else", Evidence: []detect.Evidence{{Path: reqs[0].Path}}}, nil
	}
	if len(p.Members) > 0 && len(evidenceOf(p, "pyproject.toml", "setup.py", "setup.cfg")) == 0 {
		return "uv", Reason{Text: "uv (uv pip) installs the repository's packages from their own metadata; uv is fast and needs nothing else"}, nil
	}
	return "uv", Reason{Text: "uv (uv pip) installs the project from its own metadata; uv is fast and needs nothing else", Evidence: evidenceOf(p, "pyproject.toml", "setup.py", "setup.cfg")}, nil
}

func reasonOr(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

// uvProjectSync syncs a uv project from uv.lock into the Flox venv.
func uvProjectSync(p *detect.Project, g groupSelection) syncPlan {
	sp := syncPlan{Synced: existing(p, "pyproject.toml", "uv.lock")}
	args := []string{"uv", "sync", "--frozen"}
	groups := projectGroups(p, false, "pyproject.toml", "dependency-groups", "tool.uv.dev-dependencies")
	extras := projectGroups(p, true, "pyproject.toml")
	switch {
	case g.opts.NoDev:
		args = append(args, "--no-dev")
	default:
		// uv syncs its default-groups (dev unless [tool.uv] says otherwise):
		// flags only for the difference.
		// A project that sets default-groups has said what a plain sync
		// installs; without it, the dev-like groups are taken.
		defaults := installset.MetaOf(p).DefaultUVGroups()
		var want []string
		for _, grp := range groups {
			if g.wants(grp) || g.opts.Groups == nil && p.Groups.UVDefaultGroups != nil && slices.Contains(defaults, grp) {
				want = append(want, grp)
			}
		}
		args = append(args, groupArgs(installset.Set{Groups: want}, defaults)...)
		sp.Groups = append(sp.Groups, want...)
	}
	args, sp.Groups = appendExtras(args, sp.Groups, extras, g, "--extra", "--all-extras")
	sp.Commands = []string{strings.Join(args, " ")}
	sp.Exports = append(sp.Exports, uvProjectEnvironment)
	if p.Workspace != nil {
		sp.Notes = append(sp.Notes, fmt.Sprintf("uv workspace (%s): the hook syncs the root package; add --all-packages to the sync command to install every member", p.Workspace.Evidence))
	}
	return sp
}

func appendExtras(args, groups, extras []string, g groupSelection, flag, all string) ([]string, []string) {
	if g.opts.AllExtras && len(extras) > 0 {
		return append(args, all), append(groups, extras...)
	}
	for _, x := range extras {
		if g.wantsExtra(x) {
			args = append(args, flag, shellQuote(x))
			groups = append(groups, x)
		}
	}
	return args, groups
}

// poetrySync installs a Poetry project into the Flox venv. With the venv
// active (VIRTUAL_ENV exported) and virtualenv creation off, Poetry
// installs into it.
func poetrySync(p *detect.Project, g groupSelection) syncPlan {
	sp := syncPlan{Synced: existing(p, "pyproject.toml", "poetry.lock")}
	// Poetry 2 (the catalog's) replaced `install --sync` with `sync`.
	args := []string{"poetry", "sync", "--no-interaction"}
	if !hasFile(p, "poetry.lock") {
		args = []string{"poetry", "install", "--no-interaction"}
		sp.Notes = append(sp.Notes, "there is no poetry.lock: the first activation runs `poetry install`, which writes one; commit it")
	}
	groups := projectGroups(p, false, "pyproject.toml")
	extras := projectGroups(p, true, "pyproject.toml")
	if g.opts.NoDev {
		args = append(args, "--only", "main")
	} else {
		var with, without []string
		for _, grp := range groups {
			if g.wants(grp) {
				with = append(with, grp)
			} else {
				without = append(without, grp)
			}
		}
		if len(with) > 0 {
			args = append(args, "--with", shellQuote(strings.Join(with, ",")))
			sp.Groups = append(sp.Groups, with...)
		}
		if len(without) > 0 {
			args = append(args, "--without", shellQuote(strings.Join(without, ",")))
		}
	}
	if g.opts.AllExtras && len(extras) > 0 {
		args = append(args, "--all-extras")
		sp.Groups = append(sp.Groups, extras...)
	} else {
		var want []string
		for _, x := range extras {
			if g.wantsExtra(x) {
				want = append(want, x)
			}
		}
		if len(want) > 0 {
			args = append(args, "--extras", shellQuote(strings.Join(want, " ")))
			sp.Groups = append(sp.Groups, want...)
		}
	}
	sp.Commands = []string{strings.Join(args, " ")}
	sp.Vars = []Var{{Name: "POETRY_VIRTUALENVS_CREATE", Value: "false",
		Reason: Reason{Text: "Poetry installs into the venv the hook created and activated, never one of its own"}}}
	return sp
}

// pdmSync installs a PDM project into the Flox venv. PDM_PYTHON makes PDM
// use the venv's interpreter, and so the venv, instead of .pdm-python or a
// .venv of its own.
func pdmSync(p *detect.Project, g groupSelection) syncPlan {
	sp := syncPlan{Synced: existing(p, "pyproject.toml", "pdm.lock")}
	args := []string{"pdm", "sync", "--clean"}
	if !hasFile(p, "pdm.lock") {
		args = []string{"pdm", "install"}
		sp.Notes = append(sp.Notes, "there is no pdm.lock: the first activation runs `pdm install`, which writes one; commit it")
	}
	if g.opts.NoDev {
		args = append(args, "--prod")
	} else {
		// PDM installs every dev group by default; optional groups need -G.
		for _, grp := range projectGroups(p, false, "pyproject.toml", "dependency-groups", "tool.pdm.dev-dependencies") {
			if !slices.Contains(mainGroupNames, grp) {
				sp.Groups = append(sp.Groups, grp)
			}
		}
	}
	args, sp.Groups = appendExtras(args, sp.Groups, projectGroups(p, true, "pyproject.toml"), g, "-G", "-G :all")
	sp.Commands = []string{strings.Join(args, " ")}
	sp.Exports = []hookExport{{"PDM_PYTHON", "$VIRTUAL_ENV/bin/python",
		Reason{Text: "PDM installs into the Flox-managed venv (its interpreter) instead of .pdm-python's or a new .venv"}}}
	sp.Vars = []Var{{Name: "PDM_CHECK_UPDATE", Value: "false", Reason: Reason{Text: "PDM does not look for its own updates on every sync; Flox manages its version"}}}
	return sp
}

// pipenvSync installs a Pipenv project into the Flox venv. Pipenv uses the
// virtual environment it runs in (VIRTUAL_ENV) instead of creating one.
func pipenvSync(p *detect.Project, g groupSelection) syncPlan {
	sp := syncPlan{Synced: existing(p, "Pipfile", "Pipfile.lock")}
	args := []string{"pipenv", "sync"}
	if !hasFile(p, "Pipfile.lock") {
		args = []string{"pipenv", "install"}
		sp.Notes = append(sp.Notes, "there is no Pipfile.lock: the first activation runs `pipenv install`, which writes one; commit it")
	}
	if !g.opts.NoDev {
		args = append(args, "--dev")
		sp.Groups = []string{"dev-packages"}
	}
	if len(g.opts.Groups) > 0 {
		sp.Notes = append(sp.Notes, "Pipenv has only packages and dev-packages here: --group is ignored (use --no-dev for packages only)")
	}
	sp.Commands = []string{strings.Join(args, " ")}
	sp.Vars = []Var{{Name: "PIPENV_VERBOSITY", Value: "-1",
		Reason: Reason{Text: "silences Pipenv's notice that it uses the active venv, which is what the hook wants"}}}
	return sp
}

// pipStyleSync installs requirements files, or else the project itself,
// with uv pip (useUV) or the venv's pip.
func pipStyleSync(p *detect.Project, g groupSelection, useUV bool) syncPlan {
	var sp syncPlan
	py := `"$VIRTUAL_ENV/bin/python"`
	install := py + " -m pip install"
	if useUV {
		install = "uv pip install --python " + py
	}
	carried, note := setupInstallOptions(p, useUV)
	options := ""
	if len(carried) > 0 {
		options = " " + strings.Join(carried, " ")
		install += options
		sp.Notes = append(sp.Notes, note)
	}
	var files []string
	var excluded, broken []string
	reqFiles := requirementFiles(p)
	// Production requirements are the main ones when nothing else is.
	prodOnly := !slices.ContainsFunc(reqFiles, func(f detect.File) bool { return f.Group != "production" })
	var elsewhere []string // files in folders of their own
	included := map[string]bool{}
	for _, inc := range p.Includes {
		included[inc.To] = true
	}
	for _, f := range reqFiles {
		if why, ok := outsideSetup(f.Path); ok {
			if included[f.Path] {
				continue // installed through the file that includes it
			}
			if strings.HasPrefix(why, "in ") {
				elsewhere = append(elsewhere, f.Path)
			} else {
				sp.Left = append(sp.Left, SetupNote{Kind: NoteNotSynced, Text: f.Path + " (" + why + ")"})
			}
			continue
		}
		switch {
		case brokenInclude(p, f.Path):
			broken = append(broken, f.Path)
		case g.wants(f.Group) || prodOnly:
			files = append(files, f.Path)
			if f.Group != "" && !prodOnly && !slices.Contains(mainGroupNames, normalizeName(f.Group)) {
				sp.Groups = append(sp.Groups, f.Group)
			}
		default:
			excluded = append(excluded, f.Path)
		}
	}
	if len(elsewhere) > maxListedElsewhere {
		// Plugins and integrations with a file each: one line, not dozens.
		sp.Left = append(sp.Left, SetupNote{Kind: NoteNotSynced, Text: fmt.Sprintf("%d requirements files in folders of their own, which the setup does not install (%s and %d more)",
			len(elsewhere), strings.Join(elsewhere[:maxListedElsewhere], ", "), len(elsewhere)-maxListedElsewhere)})
	} else {
		for _, f := range elsewhere {
			why, _ := outsideSetup(f)
			sp.Left = append(sp.Left, SetupNote{Kind: NoteNotSynced, Text: f + " (" + why + ")"})
		}
	}
	for _, f := range excluded {
		sp.Left = append(sp.Left, SetupNote{Kind: NoteNotSynced, Text: f + " (choose it with --group)"})
	}
	for _, f := range broken {
		sp.Left = append(sp.Left, SetupNote{Kind: NoteNotSynced, Text: f + " (it includes a file that cannot be read, so installing it would fail; see the problems)"})
	}
	if len(files) > 0 {
		sp.Synced = files
		switch {
		case useUV && lockLike(p, files):
			// One call for every file: a second `uv pip sync` would remove
			// what the first installed.
			sp.Commands = append(sp.Commands, "uv pip sync --python "+py+options+" "+joinQuoted(files))
			if extra := namedInstalls(p); len(extra) > 0 {
				sp.Notes = append(sp.Notes, fmt.Sprintf("the sync is exact (uv pip sync): packages installed outside the requirements files (%s) are removed when the requirements change; add them to a requirements file", strings.Join(extra, ", ")))
			}
		case !useUV:
			sp.Commands = append(sp.Commands, install+" "+requirementArgs(files))
			sp.Notes = append(sp.Notes, "pip only adds packages: one removed from a requirements file stays in the venv until the venv is recreated (delete it and activate again)")
		default:
			sp.Commands = append(sp.Commands, install+" "+requirementArgs(files))
		}
	}
	target, ok := projectInstall(p, g, files)
	if !ok {
		return sp
	}
	// With requirements files, the project itself is installed only when
	// the project's own scripts or docs did so (`pip install -e .`): many
	// pyproject.toml files only configure tools.
	if len(files) > 0 {
		ev, installed := projectInstalledByHand(p)
		if !installed {
			text := fmt.Sprintf("the project's own package (%s): none of its scripts or docs install it", target.file)
			if u, read := readByCode(p, files[0]); read {
				text += fmt.Sprintf(" (%s reads %s, so it stays a plain list of requirements)", u.Evidence, files[0])
			} else {
				text += fmt.Sprintf("; add `-e .` to %s if it should be", files[0])
			}
			sp.Left = append(sp.Left, SetupNote{Kind: NoteProjectNotInstalled, Text: text})
			return sp
		}
		sp.Notes = append(sp.Notes, fmt.Sprintf("the project itself is installed in editable mode, as %s did", ev))
	}
	if !useUV && strings.Contains(target.args, "--group") {
		sp.Notes = append(sp.Notes, "pip reads dependency groups (--group) from version 25.1 on: upgrade the venv's pip if the sync fails on --group")
	}
	sp.Commands = append(sp.Commands, install+" "+target.args)
	sp.Synced = append(sp.Synced, target.file)
	sp.Groups = append(sp.Groups, target.groups...)
	return sp
}

// maxListedElsewhere is how many requirement files of folders of their own
// the summary names one by one.
const maxListedElsewhere = 3

// outsideSetup reports requirement files that belong to something other
// than the project's own venv: a file in a folder of its own (examples,
// plugins, test fixtures, docs, CI), or a set of minimum versions that CI
// tests against.
func outsideSetup(file string) (string, bool) {
	stem := strings.TrimSuffix(path.Base(file), path.Ext(file))
	for _, w := range strings.FieldsFunc(strings.ToLower(stem), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		switch w {
		case "min", "minimum", "minimal", "oldest", "lowest", "mindeps":
			return "a minimum-version set for CI", true
		}
	}
	for dir := path.Dir(file); dir != "."; dir = path.Dir(dir) {
		switch path.Base(dir) {
		case "requirements", "reqs", "requirements.d":
			return "", false
		}
	}
	if d := path.Dir(file); d != "." {
		return "in " + d + "/, which the setup does not install", true
	}
	return "", false
}

// readByCode reports a requirements file the project's code reads.
func readByCode(p *detect.Project, file string) (detect.FileUse, bool) {
	for _, u := range p.ReadByCode {
		if u.Path == file {
			return u, true
		}
	}
	return detect.FileUse{}, false
}

// setupTools are what pip installs to make or manage environments, not
// packages the project uses.
var setupTools = []string{"pip", "setuptools", "wheel", "virtualenv", "uv", "pipx", "poetry", "pdm", "pipenv", "hatch", "tox", "nox"}

// namedInstalls lists the project's own pip installs of packages by name
// (`pip install gunicorn==21.2.0`), with their evidence.
func namedInstalls(p *detect.Project) []string {
	var out []string
	for _, v := range p.Venvs {
		if v.Action != detect.VenvInstall || v.File == detect.KindDockerfile {
			continue
		}
		f := strings.Fields(v.Command)
		i := slices.Index(f, "install")
		if i < 0 || slices.ContainsFunc(f, func(a string) bool { return strings.HasPrefix(a, "-r") || a == "--requirement" || a == "-e" }) {
			continue
		}
		var names []string
		for _, a := range f[i+1:] {
			if a = strings.Trim(a, `"'`); a != "" && a != "." && !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, ".[") && !strings.ContainsAny(a, "/$") {
				names = append(names, a)
			}
		}
		if len(names) > 0 && !slices.ContainsFunc(names, func(n string) bool { return slices.Contains(setupTools, strings.ToLower(n)) }) {
			out = append(out, strings.Join(names, " ")+" at "+v.Evidence.String())
		}
	}
	return out
}

// brokenInclude reports a requirements file whose -r or -c include cannot
// be read: pip would fail on it.
func brokenInclude(p *detect.Project, file string) bool {
	return slices.ContainsFunc(p.Problems, func(pr detect.Problem) bool {
		return pr.Evidence.Path == file && pr.Kind == detect.ProblemBrokenInclude
	})
}

// projectInstalledByHand finds an install of the project folder itself
// (`pip install -e .`, `pip install .[dev]`) in the project's scripts,
// Makefiles, docs or CI.
func projectInstalledByHand(p *detect.Project) (detect.Evidence, bool) {
	for _, v := range p.Venvs {
		if v.File == detect.KindDockerfile {
			continue
		}
		fields := strings.Fields(v.Command)
		// `$(VENV)/bin/python setup.py develop`: the legacy editable install.
		for i := 0; i+1 < len(fields); i++ {
			if (fields[i] == "setup.py" || strings.HasSuffix(fields[i], "/setup.py")) && (fields[i+1] == "develop" || fields[i+1] == "install") {
				return v.Evidence, true
			}
		}
		if v.Action != detect.VenvInstall || !slices.Contains(fields, "install") {
			continue
		}
		for _, f := range fields {
			f = strings.Trim(strings.TrimPrefix(f, "-e"), `"'`)
			if f == "." || f == "./" || strings.HasPrefix(f, ".[") || strings.HasPrefix(f, "./[") || strings.HasPrefix(f, `.\[`) {
				return v.Evidence, true
			}
		}
	}
	return detect.Evidence{}, false
}

type projectTarget struct {
	args, file string
	groups     []string
}

// projectFile is the file that makes the project installable: a
// pyproject.toml that describes a package, else setup.py or setup.cfg.
func projectFile(p *detect.Project) (string, bool) {
	switch {
	case hasFile(p, "pyproject.toml") && pyprojectIsPackage(p):
		return "pyproject.toml", true
	case hasFile(p, "setup.py"):
		return "setup.py", true
	case hasFile(p, "setup.cfg"):
		return "setup.cfg", true
	}
	return "", false
}

// projectInstall returns the editable install of the project itself, when
// it is a package (pyproject [project]/setup.py) that the requirements
// files do not already install.
func projectInstall(p *detect.Project, g groupSelection, reqFiles []string) (projectTarget, bool) {
	file, ok := projectFile(p)
	if !ok {
		return projectTarget{}, false
	}
	for _, r := range p.Requirements {
		if r.Path != "" && (path.Clean(r.Path) == "." || strings.TrimPrefix(r.Path, "file:") == ".") && slices.Contains(reqFiles, r.Evidence.Path) {
			return projectTarget{}, false
		}
	}
	t := projectTarget{file: file}
	var extras []string
	for _, x := range projectGroups(p, true, "") {
		if g.wantsExtra(x) {
			extras = append(extras, x)
		}
	}
	spec := "."
	if len(extras) > 0 {
		spec = ".[" + strings.Join(extras, ",") + "]"
	}
	t.args = "-e " + shellQuote(spec)
	t.groups = extras
	if file == "pyproject.toml" {
		for _, grp := range projectGroups(p, false, "pyproject.toml", "dependency-groups") {
			if g.wants(grp) {
				// PEP 735 groups: uv pip and pip >= 25.1 read --group.
				t.args += " --group " + shellQuote(grp)
				t.groups = append(t.groups, grp)
			}
		}
		// Other tools' groups (Hatch environments, PDM or uv dev
		// dependencies) have no installer flag: their requirements are
		// installed by name.
		flagged := len(t.groups)
		for _, grp := range projectGroups(p, false, "pyproject.toml", "tool.hatch.envs", "tool.pdm.dev-dependencies", "tool.uv.dev-dependencies") {
			if !g.wants(grp) || slices.Contains(t.groups[len(extras):flagged], grp) {
				continue // a PEP 735 group of the same name already has it
			}
			for _, r := range p.Requirements {
				if r.Group == grp && !r.Optional && r.Evidence.Path == "pyproject.toml" && r.Table != "dependency-groups" {
					t.args += " " + strings.Join(pipArgs(r), " ")
				}
			}
			if !slices.Contains(t.groups, grp) {
				t.groups = append(t.groups, grp)
			}
		}
	}
	return t, true
}

// pipArgs renders a requirement as pip install arguments, shell-quoted.
func pipArgs(r detect.Requirement) []string {
	if r.Path != "" {
		if r.Editable {
			return []string{"-e", shellQuote(r.Path)}
		}
		return []string{shellQuote(r.Path)}
	}
	spec := r.Name
	if len(r.Extras) > 0 {
		spec += "[" + strings.Join(r.Extras, ",") + "]"
	}
	if r.URL != "" {
		spec += " @ " + r.URL
	} else {
		spec += r.Specifier
	}
	if r.Marker != "" {
		spec += "; " + r.Marker
	}
	return []string{shellQuote(spec)}
}

// pyprojectIsPackage reports whether pyproject.toml describes an
// installable project (a [project] table or a build backend), as opposed to
// a file that only configures tools.
func pyprojectIsPackage(p *detect.Project) bool {
	for _, r := range p.Requirements {
		if r.Evidence.Path == "pyproject.toml" && (r.Optional || r.Group == "") {
			return true
		}
	}
	for _, ir := range p.Interpreters {
		if ir.Evidence.Path == "pyproject.toml" {
			return true
		}
	}
	for _, m := range p.Managers {
		if m.Evidence.Path == "pyproject.toml" {
			return true
		}
	}
	return false
}

// lockLike reports whether every requirement the files list is pinned
// exactly (pip-compile or uv pip compile output): then `uv pip sync` makes
// the venv match them, removing what they no longer list.
func lockLike(p *detect.Project, files []string) bool {
	n := 0
	for _, r := range p.Requirements {
		if !slices.Contains(files, r.Evidence.Path) {
			continue
		}
		n++
		if r.URL != "" || r.Path != "" {
			continue
		}
		s := strings.TrimSpace(r.Specifier)
		if !strings.HasPrefix(s, "==") || strings.ContainsAny(s, "*,") {
			return false
		}
	}
	return n > 0
}

// requirementFiles lists the requirements files that are installed
// directly: not constraints files, and not a pip-tools .in file whose
// compiled .txt exists.
func requirementFiles(p *detect.Project) []detect.File {
	txt := map[string]bool{}
	for _, f := range p.Files {
		if f.Kind == detect.KindRequirements && strings.HasSuffix(f.Path, ".txt") {
			txt[strings.TrimSuffix(f.Path, ".txt")] = true
		}
	}
	var out []detect.File
	for _, f := range p.Files {
		if f.Kind != detect.KindRequirements || !contributorFile(f, ScopeContributor) || inMember(p, f.Path) {
			continue // examples' pins are theirs, and packages' their own, not the dev venv's
		}
		base := path.Base(f.Path)
		if strings.HasPrefix(base, "constraints") {
			continue
		}
		if stem, ok := strings.CutSuffix(f.Path, ".in"); ok && txt[stem] {
			continue
		}
		out = append(out, f)
	}
	// Main dependencies first (requirements.txt before requirements-dev.txt),
	// so commands and reasons read in the order people install them.
	sort.SliceStable(out, func(i, j int) bool {
		mi, mj := slices.Contains(mainGroupNames, normalizeName(out[i].Group)), slices.Contains(mainGroupNames, normalizeName(out[j].Group))
		if mi != mj {
			return mi
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// dependencyFiles are the files that can change what gets installed: every
// requirements, lock and package metadata file. Hashing more files than the
// sync reads costs a re-sync at worst; hashing fewer would miss changes.
func dependencyFiles(p *detect.Project) []string {
	var out []string
	for _, f := range p.Files {
		// The sync never reads a conda environment file.
		if f.Kind.Info().Class != detect.ClassDependencies || f.Kind == detect.KindCondaEnv {
			continue
		}
		if f.Kind != detect.KindRequirements && strings.Contains(f.Path, "/") || !contributorFile(f, ScopeContributor) || inMember(p, f.Path) {
			// Metadata of nested packages, and the pins of examples and
			// of the packages the environment serves, belong to them,
			// not to this venv (syncInputs adds those the sync reads).
			continue
		}
		out = append(out, f.Path)
	}
	sort.Strings(out)
	return out
}

func hasFile(p *detect.Project, rel string) bool {
	for _, f := range p.Files {
		if f.Path == rel {
			return true
		}
	}
	return false
}

func existing(p *detect.Project, rels ...string) []string {
	var out []string
	for _, r := range rels {
		if hasFile(p, r) {
			out = append(out, r)
		}
	}
	return out
}

func evidenceOf(p *detect.Project, rels ...string) []detect.Evidence {
	var out []detect.Evidence
	for _, r := range existing(p, rels...) {
		out = append(out, detect.Evidence{Path: r})
	}
	return out
}

func requirementArgs(files []string) string {
	parts := make([]string, len(files))
	for i, f := range files {
		parts[i] = "-r " + shellQuote(f)
	}
	return strings.Join(parts, " ")
}

func joinQuoted(files []string) string {
	parts := make([]string, len(files))
	for i, f := range files {
		parts[i] = shellQuote(f)
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes a word for bash when it holds anything but safe
// characters.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./,:=+@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	// '"'"' rather than '\'' for a quote: quotes never stand three in a
	// row, so the hook always fits a TOML literal string.
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}
