package migrate

import (
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// When the project has a contributor setup recipe (an install target, a
// setup script, a documented setup, a CI test job), the hook reproduces
// what that recipe installed: the project itself as it was installed,
// exactly its extras and groups, its requirement files and the packages it
// named, each with the index options of the line that installed it. The
// commands are spelt for the manager the environment uses.

// recipeSync plans the sync that reproduces a recipe's install set.
func recipeSync(p *detect.Project, rec installset.Recipe, manager string, opts PlanOptions) syncPlan {
	m := installset.MetaOf(p)
	set := withOptions(rec.Set, m, opts)
	var sp syncPlan
	covered := false // the manager's own sync installs the project part
	switch {
	case manager == "uv" && hasFile(p, "uv.lock"):
		sp, covered = uvRecipeSync(p, set, m), true
		if set.AllPackages {
			// `uv sync --all-packages` installs the workspace members.
			set.Packages = slices.DeleteFunc(slices.Clone(set.Packages), func(it installset.Item) bool {
				return slices.Contains(m.WorkspaceMembers, strings.TrimPrefix(it.Name, "-e "))
			})
		}
	case manager == "poetry":
		sp, covered = poetryRecipeSync(p, set, m), true
		if m.PoetryNoPackage && (set.Project == installset.Editable || set.Project == installset.Installed) {
			// package-mode = false: Poetry installs the dependencies only;
			// the project goes in as the recipe installed it, with pip.
			own := installset.Set{Project: set.Project, Extras: set.Extras, ProjectOptions: set.ProjectOptions}
			sp.Commands = append(sp.Commands, pipCommands(p, own, m, true, false, &sp)...)
		}
	case manager == "pdm":
		sp, covered = pdmRecipeSync(p, set, m), true
	case manager == "pipenv":
		sp, covered = pipenvRecipeSync(p, set), true
	default:
		sp = syncPlan{}
	}
	// Files and packages the manager's sync does not cover go through uv
	// pip in uv environments and through the venv's pip elsewhere.
	useUV := manager == "uv"
	more := pipCommands(p, set, m, !covered, useUV, &sp)
	sp.Commands = append(sp.Commands, more...)
	if useUV && !covered && slices.ContainsFunc(rec.Commands, uvProjectCommand) {
		// Without uv.lock the hook syncs with uv pip; the recipe's own
		// `uv run` and `uv sync` must still find the Flox venv, not make .venv.
		sp.Exports = append(sp.Exports, uvProjectEnvironment)
	}
	return sp
}

// uvProjectEnvironment points uv's project commands at the Flox venv.
var uvProjectEnvironment = hookExport{"UV_PROJECT_ENVIRONMENT", "$VIRTUAL_ENV",
	Reason{Text: "uv sync and uv run use the Flox-managed venv instead of creating .venv"}}

// uvProjectCommand reports a recipe command that syncs uv's project
// environment: uv run, uv sync.
func uvProjectCommand(cmd string) bool {
	c := venvcmd.Classify(strings.Fields(cmd))
	return c.Tool == "uv" && (c.Kind == venvcmd.ManagerRun || c.Sub == "sync")
}

// withOptions applies --group, --all-extras and --no-dev to a recipe's set:
// the user's choice adds to or takes from what the recipe installed.
func withOptions(set installset.Set, m installset.Meta, opts PlanOptions) installset.Set {
	for _, g := range opts.Groups {
		g = normalizeName(g)
		if slices.Contains(m.Extras, g) {
			set.Extras = append(set.Extras, g)
		} else {
			set.Groups = append(set.Groups, g)
		}
	}
	if opts.AllExtras {
		set.Extras, set.AllExtras = append(set.Extras, m.Extras...), true
	}
	if opts.NoDev {
		set.Groups = nil
	}
	set.Normalize()
	return set
}

// uvRecipeSync spells the project part of a set as `uv sync --frozen`
// (crates/uv-cli SyncArgs: --no-install-project, --no-editable,
// --all-packages, --no-default-groups, --group, --all-groups, --extra,
// --all-extras).
func uvRecipeSync(p *detect.Project, set installset.Set, m installset.Meta) syncPlan {
	sp := syncPlan{Synced: existing(p, "pyproject.toml", "uv.lock")}
	args := []string{"uv", "sync", "--frozen"}
	switch set.Project {
	case installset.NotInstalled:
		if len(set.Groups) == 0 {
			args = nil // the recipe installs nothing from the project
			break
		}
		for _, g := range set.Groups {
			args = append(args, "--only-group", shellQuote(g))
		}
	case installset.DepsOnly:
		if !m.UVVirtual {
			args = append(args, "--no-install-project")
		}
	case installset.Installed:
		args = append(args, "--no-editable")
	}
	if args != nil && set.AllPackages {
		args = append(args, "--all-packages")
	}
	if args != nil && set.Project != installset.NotInstalled {
		args = append(args, groupArgs(set, m.DefaultUVGroups())...)
		args = append(args, extraArgs(set, "--extra", "--all-extras")...)
		args = append(args, optionArgs(set.ProjectOptions, true)...)
	}
	if args != nil {
		sp.Commands = []string{strings.Join(args, " ")}
	}
	sp.Groups = append(slices.Clone(set.Groups), set.Extras...)
	sp.Exports = append(sp.Exports, uvProjectEnvironment)
	return sp
}

// groupArgs are uv's group options for a set's groups, given the groups a
// sync installs by default.
func groupArgs(set installset.Set, defaults []string) []string {
	want := set.Groups
	var args []string
	switch {
	case set.AllGroups:
		return []string{"--all-groups"}
	case isSubset(defaults, want):
	default:
		args = append(args, "--no-default-groups")
		defaults = nil
	}
	for _, g := range want {
		if !slices.Contains(defaults, g) {
			args = append(args, "--group", shellQuote(g))
		}
	}
	return args
}

// extraArgs are the extra options for a set's extras: the all-extras flag
// when the setup asked for every extra, else one option per extra.
func extraArgs(set installset.Set, flag, allFlag string) []string {
	if set.AllExtras {
		return []string{allFlag}
	}
	var args []string
	for _, x := range set.Extras {
		args = append(args, flag, shellQuote(x))
	}
	return args
}

func isSubset(sub, of []string) bool {
	for _, x := range sub {
		if !slices.Contains(of, x) {
			return false
		}
	}
	return true
}

// poetryRecipeSync spells the project part as `poetry sync`
// (group_command.py: --with adds optional groups, --without removes,
// --only replaces; install.py: --no-root, --extras, --all-extras).
func poetryRecipeSync(p *detect.Project, set installset.Set, m installset.Meta) syncPlan {
	sp := syncPlan{Synced: existing(p, "pyproject.toml", "poetry.lock")}
	args := []string{"poetry", "sync", "--no-interaction"}
	if !hasFile(p, "poetry.lock") {
		args = []string{"poetry", "install", "--no-interaction"}
		sp.Notes = append(sp.Notes, "there is no poetry.lock: the first activation runs `poetry install`, which writes one; commit it")
	}
	if set.Project == installset.DepsOnly || set.Project == installset.NotInstalled {
		args = append(args, "--no-root")
	}
	defaults := m.PoetryDefaultGroups()
	var with, without []string
	for _, g := range set.Groups {
		if !slices.Contains(defaults, g) {
			with = append(with, g)
		}
	}
	for _, g := range defaults {
		if !slices.Contains(set.Groups, g) {
			without = append(without, g)
		}
	}
	if len(with) > 0 && !set.AllGroups {
		args = append(args, "--with", shellQuote(strings.Join(with, ",")))
	}
	if len(without) > 0 {
		args = append(args, "--without", shellQuote(strings.Join(without, ",")))
	}
	if set.AllGroups {
		args = append(args, "--all-groups")
	}
	if set.AllExtras {
		args = append(args, "--all-extras")
	} else if len(set.Extras) > 0 {
		args = append(args, "--extras", shellQuote(strings.Join(set.Extras, " ")))
	}
	sp.Commands = []string{strings.Join(args, " ")}
	sp.Groups = append(slices.Clone(set.Groups), set.Extras...)
	sp.Vars = []Var{{Name: "POETRY_VIRTUALENVS_CREATE", Value: "false",
		Reason: Reason{Text: "Poetry installs into the venv the hook created and activated, never one of its own"}}}
	return sp
}

// pdmRecipeSync spells the project part as `pdm sync` (pdm
// src/pdm/cli/utils.py translate_groups: -G names extras and dev groups;
// naming a dev group leaves the other dev groups out; --prod leaves them
// all out; --no-self, --no-editable).
func pdmRecipeSync(p *detect.Project, set installset.Set, m installset.Meta) syncPlan {
	sp := syncPlan{Synced: existing(p, "pyproject.toml", "pdm.lock")}
	args := []string{"pdm", "sync", "--clean"}
	if !hasFile(p, "pdm.lock") {
		args = []string{"pdm", "install"}
		sp.Notes = append(sp.Notes, "there is no pdm.lock: the first activation runs `pdm install`, which writes one; commit it")
	}
	switch set.Project {
	case installset.DepsOnly, installset.NotInstalled:
		args = append(args, "--no-self")
	case installset.Installed:
		args = append(args, "--no-editable")
	}
	switch {
	case len(set.Groups) == 0:
		args = append(args, "--prod")
	case !slices.Equal(set.Groups, m.PDMDevGroups):
		for _, g := range set.Groups {
			args = append(args, "-G", shellQuote(g))
		}
	}
	if set.AllExtras {
		args = append(args, "-G", shellQuote(":all"))
	} else {
		for _, x := range set.Extras {
			args = append(args, "-G", shellQuote(x))
		}
	}
	sp.Commands = []string{strings.Join(args, " ")}
	sp.Groups = append(slices.Clone(set.Groups), set.Extras...)
	sp.Exports = []hookExport{{"PDM_PYTHON", "$VIRTUAL_ENV/bin/python",
		Reason{Text: "PDM installs into the Flox-managed venv (its interpreter) instead of .pdm-python's or a new .venv"}}}
	sp.Vars = []Var{{Name: "PDM_CHECK_UPDATE", Value: "false", Reason: Reason{Text: "PDM does not look for its own updates on every sync; Flox manages its version"}}}
	return sp
}

// pipenvRecipeSync spells the project part as `pipenv sync` with --dev
// when the recipe installed the dev-packages.
func pipenvRecipeSync(p *detect.Project, set installset.Set) syncPlan {
	sp := syncPlan{Synced: existing(p, "Pipfile", "Pipfile.lock")}
	args := []string{"pipenv", "sync"}
	if !hasFile(p, "Pipfile.lock") {
		args = []string{"pipenv", "install"}
		sp.Notes = append(sp.Notes, "there is no Pipfile.lock: the first activation runs `pipenv install`, which writes one; commit it")
	}
	var categories []string
	for _, g := range set.Groups {
		if g == "dev-packages" {
			args = append(args, "--dev")
			continue
		}
		categories = append(categories, g)
	}
	if len(categories) > 0 {
		args = append(args, "--categories", shellQuote(strings.Join(append([]string{"packages"}, categories...), ",")))
	}
	sp.Commands = []string{strings.Join(args, " ")}
	sp.Groups = slices.Clone(set.Groups)
	sp.Vars = []Var{{Name: "PIPENV_VERBOSITY", Value: "-1",
		Reason: Reason{Text: "silences Pipenv's notice that it uses the active venv, which is what the hook wants"}}}
	return sp
}

// pipLine is one pip-style install: its options and targets.
type pipLine struct {
	options []string
	args    []string
}

// pipCommands installs what a manager's sync does not: requirement files,
// constraints, named packages and, when withProject, the project with its
// extras and groups. Items installed with the same options share a line;
// each line keeps its own options, as the recipe had them.
func pipCommands(p *detect.Project, set installset.Set, m installset.Meta, withProject, useUV bool, sp *syncPlan) []string {
	var lines []*pipLine
	line := func(options []string) *pipLine {
		for _, l := range lines {
			if slices.Equal(l.options, options) {
				return l
			}
		}
		l := &pipLine{options: options}
		lines = append(lines, l)
		return l
	}
	var files []string
	for _, r := range set.Requirements {
		files = append(files, r.Name)
	}
	roots := m.Roots(files)
	// Main dependencies first (requirements.txt before requirements-dev.txt).
	main := func(f string) bool {
		i := slices.IndexFunc(p.Files, func(pf detect.File) bool { return pf.Path == f })
		return i >= 0 && slices.Contains(mainGroupNames, normalizeName(p.Files[i].Group))
	}
	requirements := slices.Clone(set.Requirements)
	slices.SortStableFunc(requirements, func(a, b installset.Item) int {
		switch ma, mb := main(a.Name), main(b.Name); {
		case ma && !mb:
			return -1
		case mb && !ma:
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	var exact []string // files for one `uv pip sync`
	for _, r := range requirements {
		sp.Synced = appendNew(sp.Synced, r.Name)
		if !slices.Contains(roots, r.Name) {
			continue
		}
		if useUV && set.ExactFiles && len(r.Options) == 0 {
			exact = append(exact, shellQuote(r.Name))
			continue
		}
		l := line(r.Options)
		l.args = append(l.args, "-r", shellQuote(r.Name))
	}
	// Constraints apply to every command.
	var constraints []string
	for _, c := range m.Roots(m.Uncovered(set.Constraints, roots)) {
		sp.Synced = appendNew(sp.Synced, c)
		constraints = append(constraints, "-c", shellQuote(c))
	}
	if withProject {
		if args, file, ok := projectArgs(p, set); ok {
			if set.ProjectFile == "" {
				// A requirements file that holds `-e .` installs it otherwise.
				l := line(set.ProjectOptions)
				l.args = append(l.args, args...)
			}
			sp.Synced = appendNew(sp.Synced, file)
			sp.Groups = append(sp.Groups, set.Extras...)
			sp.Groups = append(sp.Groups, set.Groups...)
		}
	}
	for _, pkg := range set.Packages {
		l := line(pkg.Options)
		if path, ok := strings.CutPrefix(pkg.Name, "-e "); ok {
			if !strings.Contains(path, "://") && !strings.HasPrefix(path, ".") && !strings.HasPrefix(path, "/") {
				path = "./" + path // a folder of the checkout, spelt as one
			}
			l.args = append(l.args, "-e", shellQuote(path))
		} else {
			l.args = append(l.args, shellQuote(pkg.Name))
		}
	}
	py := `"$VIRTUAL_ENV/bin/python"`
	var out []string
	if len(exact) > 0 {
		// The recipe synced its files exactly (pip-sync): so does the hook.
		cmd := append([]string{"uv", "pip", "sync", "--python", py}, constraints...)
		out = append(out, strings.Join(append(cmd, exact...), " "))
	}
	for _, l := range lines {
		if len(l.args) == 0 {
			continue
		}
		cmd := []string{py, "-m", "pip", "install"}
		if useUV {
			cmd = []string{"uv", "pip", "install", "--python", py}
		}
		cmd = append(cmd, optionArgs(l.options, useUV)...)
		cmd = append(cmd, l.args...)
		out = append(out, strings.Join(append(cmd, constraints...), " "))
	}
	return out
}

// projectArgs are the pip install arguments of the project part of a set,
// and the file that declares it.
func projectArgs(p *detect.Project, set installset.Set) ([]string, string, bool) {
	file, ok := projectFile(p)
	if set.Project == installset.NotInstalled && len(set.Groups) > 0 && hasFile(p, "pyproject.toml") {
		// `pip install --group dev` reads pyproject.toml's dependency
		// groups, also in a pyproject.toml that declares no package.
		file, ok = "pyproject.toml", true
	}
	if !ok {
		return nil, "", false
	}
	spec := "."
	if len(set.Extras) > 0 {
		spec = ".[" + strings.Join(set.Extras, ",") + "]"
	}
	var args []string
	switch set.Project {
	case installset.Editable:
		args = []string{"-e", shellQuote(spec)}
	case installset.Installed:
		args = []string{shellQuote(spec)}
	case installset.DepsOnly:
		// uv pip reads a project's dependencies from pyproject.toml.
		args = []string{"-r", file}
		for _, x := range set.Extras {
			args = append(args, "--extra", shellQuote(x))
		}
	}
	for _, g := range set.Groups {
		args = append(args, "--group", shellQuote(g))
	}
	return args, file, len(args) > 0
}

// optionArgs renders install options as arguments. Under uv, an extra
// index gets pip's meaning: uv takes a package from the first index that
// has it, pip from all indexes (crates/uv-cli IndexStrategy:
// unsafe-best-match "prefers the best version across all indexes").
// --no-build-isolation is left out: it needs the build requirements
// installed by an earlier step, which one sync command does not order;
// the build then gets them from [build-system] requires, as pip does.
func optionArgs(options []string, useUV bool) []string {
	var out []string
	extra := false
	for _, o := range options {
		name, value, hasValue := strings.Cut(o, " ")
		if name == "--no-build-isolation" {
			continue
		}
		if useUV && name == "--pre" {
			name = "--prerelease=allow"
		}
		extra = extra || name == "--extra-index-url" || name == "--index"
		out = append(out, name)
		if hasValue {
			out = append(out, shellQuote(value))
		}
	}
	if useUV && extra {
		out = append(out, "--index-strategy", "unsafe-best-match")
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
