package installset

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// Step is one install command a setup ran.
type Step struct {
	Command venvcmd.Command
	// Dir is the project-relative folder the command ran in.
	Dir string
	// Env are install options set by the environment (PIP_INDEX_URL, ...).
	Env []venvcmd.Option
	// Evidence is where the command is written, Text the command as
	// written.
	Evidence detect.Evidence
	Text     string
	// Via are the targets and scripts it ran in, outermost first.
	Via []Call
}

// Note is something a reader of the install set should know: what was
// left out of it, and why.
type Note struct {
	Kind     NoteKind
	Text     string
	Evidence detect.Evidence
}

// NoteKind sorts notes by what they mean for the sync.
type NoteKind int

const (
	// Info: how the setup was read (a command that installs elsewhere).
	Info NoteKind = iota
	// NotSynced: something the setup installs that the sync leaves out.
	NotSynced
	// ProjectNotInstalled: the setup leaves the installable project out.
	ProjectNotInstalled
	// MissingFile: the setup installs from a file that does not exist, so
	// it fails there: a stale setup, not the project's recipe.
	MissingFile
	// MissingExtra: the setup installs the project with an extra its
	// pyproject.toml does not declare (`pip install ".[dev]"` in a guide
	// for the reader's own project): stale, or about another project.
	MissingExtra
)

func (n Note) String() string {
	text := n.Text
	if n.Kind == NotSynced || n.Kind == MissingFile || n.Kind == MissingExtra {
		text = "not synced: " + text
	}
	if n.Evidence.Path == "" {
		return text
	}
	return n.Evidence.String() + ": " + text
}

// reducer builds a Set from the steps of a setup, in order.
type reducer struct {
	m     Meta
	set   Set
	notes []Note
	// pins are the exact pins of the requirement files taken so far.
	pins map[string]pin
}

// Reduce turns the install steps of a setup into the set it installs.
// Steps are applied in order: an exact sync (uv sync, pip-sync) replaces
// what came before it, as it would in the venv.
func Reduce(steps []Step, m Meta) (Set, []Note) {
	r := &reducer{m: m, pins: map[string]pin{}}
	for _, st := range steps {
		r.step(st)
	}
	r.set.Normalize()
	return r.set, r.notes
}

func (r *reducer) note(ev detect.Evidence, kind NoteKind, format string, a ...any) {
	r.notes = append(r.notes, Note{Kind: kind, Text: fmt.Sprintf(format, a...), Evidence: ev})
}

func (r *reducer) step(st Step) {
	c := st.Command
	in := c.Install
	if in == nil {
		return
	}
	switch c.Kind {
	case venvcmd.Uninstall:
		r.uninstall(in)
		return
	case venvcmd.Install:
	default:
		return
	}
	if in.Outside != "" {
		r.note(st.Evidence, Info, "installs outside the venv (%s): not part of the venv's install set", in.Outside)
		return
	}
	if in.Project != "" && path.Clean(path.Join(st.Dir, in.Project)) != "." {
		r.note(st.Evidence, Info, "installs the project in %s, not this one", in.Project)
		return
	}
	if st.Dir != "." && st.Dir != "" && c.Tool != "pip" && c.Tool != "pip-sync" && !strings.HasPrefix(c.Sub, "pip ") {
		r.note(st.Evidence, Info, "runs %s in %s, another project's folder", c.Tool, st.Dir)
		return
	}
	opts := sourceOptions(in.Options, st.Env)
	if in.Exact {
		var kept []Item
		if c.Tool == "pip-sync" {
			// pip-sync leaves pip-tools and pip-review installed
			// (jazzband/pip-tools piptools/sync.py, PACKAGES_TO_IGNORE).
			for _, it := range r.set.Packages {
				if n := venvcmd.RequirementName(it.Name); n == "pip-tools" || n == "pip-review" {
					kept = append(kept, it)
				}
			}
		}
		r.set = Set{Python: r.set.Python, Packages: kept}
		r.pins = map[string]pin{}
	}
	// Files synced exactly stay so until a later install adds files or
	// the project.
	if len(in.Requirements) > 0 || len(in.Editables) > 0 || len(in.Paths) > 0 {
		r.set.ExactFiles = in.Exact && (c.Tool == "pip-sync" || c.Sub == "pip sync")
	}
	switch {
	case c.Tool == "uv" && c.Sub == "sync":
		r.uvSync(in)
		r.set.ProjectOptions = append(r.set.ProjectOptions, opts...)
	case c.Tool == "poetry" && (c.Sub == "install" || c.Sub == "sync"):
		r.poetryInstall(in)
	case c.Tool == "pdm" && (c.Sub == "install" || c.Sub == "sync"):
		r.pdmInstall(in)
	case c.Tool == "pipenv":
		r.pipenvInstall(in, st, opts)
	default: // pip, uv pip, pip-sync, uv add, poetry add, pdm add, setup.py
		if c.Tool == "pdm" || c.Tool == "poetry" {
			// add: the project is installed with its new dependency.
			r.setProject(Editable)
		}
		r.pipInstall(in, st, opts)
	}
}

// pipInstall applies the targets of a pip-style install.
func (r *reducer) pipInstall(in *venvcmd.InstallArgs, st Step, opts []string) {
	for _, f := range in.Requirements {
		rel := path.Clean(path.Join(st.Dir, f))
		if base := path.Base(rel); (base == "pyproject.toml" || base == "setup.py" || base == "setup.cfg") && path.Dir(rel) == "." {
			// uv pip install -r pyproject.toml: the project's dependencies.
			r.setProject(DepsOnly)
			r.extras(in.Extras, in.AllExtras)
			r.set.ProjectOptions = append(r.set.ProjectOptions, opts...)
			continue
		}
		r.requirementFile(rel, st.Dir, opts, st.Evidence)
	}
	for _, f := range in.Constraints {
		_, cs := r.m.closureAs(path.Clean(path.Join(st.Dir, f)), true)
		r.set.Constraints = append(r.set.Constraints, cs...)
	}
	for _, t := range in.Editables {
		r.target(t, true, st, opts)
	}
	for _, t := range in.Paths {
		r.target(t, false, st, opts)
	}
	for _, p := range in.Packages {
		if venvcmd.IsBootstrapTool(p) {
			continue // the Flox environment provides packaging tools
		}
		r.pkg(Item{Name: normalizeSpec(p), Options: opts}, st.Evidence)
	}
	r.set.Groups = append(r.set.Groups, normalizeAll(in.Groups)...)
}

// requirementFile adds a requirement file and its includes, unless its
// exact pins contradict those of the files already taken.
//
// pip reads `-r`/`-c` paths relative to the including file but local
// project paths (`-e .`, `./pkg`) relative to the folder pip runs in
// (pypa/pip#8765; uv does the same, astral-sh/uv#1421): dir is that folder.
func (r *reducer) requirementFile(rel, dir string, opts []string, ev detect.Evidence) {
	if !r.m.exists(rel) {
		kind := MissingFile
		if strings.ContainsAny(rel, "$`{*?") {
			kind = NotSynced // a name venv2flox could not expand, not a stale setup
		}
		r.note(ev, kind, "%s does not exist", rel)
		return
	}
	if index, ok := onePlatformIndex(opts); ok {
		r.note(ev, NotSynced, "%s, installed from %s, an index with wheels for one platform; install it by hand where it applies", rel, index)
		return
	}
	reqs, cons := r.m.closure(rel)
	if clash, ok := r.clash(reqs); ok {
		r.note(ev, NotSynced, "%s (%s); the setup's other files are synced", rel, clash)
		return
	}
	for _, f := range reqs {
		for _, p := range r.m.pins[f] {
			if _, seen := r.pins[p.name]; !seen {
				r.pins[p.name] = p
			}
		}
		r.set.Requirements = append(r.set.Requirements, Item{Name: f, Options: opts})
		// A file that holds `-e .` installs the project itself.
		for _, req := range r.m.locals[f] {
			if path.Clean(path.Join(dir, strings.TrimPrefix(req.Path, "file:"))) != "." {
				continue
			}
			mode := Installed
			if req.Editable {
				mode = Editable
			}
			extras := normalizeAll(req.Extras)
			if r.set.Project == NotInstalled || isSubset(r.set.Extras, extras) {
				r.set.ProjectFile = f // the file alone installs the project as the setup does
			}
			r.setProject(mode)
			r.set.Extras = append(r.set.Extras, extras...)
		}
	}
	r.set.Constraints = append(r.set.Constraints, cons...)
}

// clash finds an exact pin in files that contradicts one already taken.
func (r *reducer) clash(files []string) (string, bool) {
	for _, f := range files {
		for _, p := range r.m.pins[f] {
			if q, ok := r.pins[p.name]; ok && q.version != p.version {
				return fmt.Sprintf("%s pins %s==%s, %s pins %s==%s", p.ev, p.name, p.version, q.ev, q.name, q.version), true
			}
		}
	}
	return "", false
}

// target applies an editable or path install: the project itself, another
// local project, or a VCS URL.
func (r *reducer) target(t venvcmd.Target, editable bool, st Step, opts []string) {
	if strings.Contains(t.Path, "://") {
		name := t.Path
		if editable {
			name = "-e " + name
		}
		r.pkg(Item{Name: name, Options: opts}, st.Evidence)
		return
	}
	target := strings.TrimPrefix(t.Path, "file:")
	if in, ok := strings.CutPrefix(path.Clean(target), projectRoot); ok && (in == "" || in[0] == '/') {
		// `pwd` in the recorder's shell is the project's folder.
		target = "." + in
	}
	rel := path.Clean(path.Join(st.Dir, target))
	if rel == "." {
		mode := Installed
		if editable {
			mode = Editable
		}
		r.setProject(mode)
		r.set.Extras = append(r.set.Extras, normalizeAll(t.Extras)...)
		r.set.ProjectOptions = append(r.set.ProjectOptions, opts...)
		r.set.ProjectFile = "" // installed on the command line, with its extras
		return
	}
	name := rel
	if len(t.Extras) > 0 {
		name += "[" + strings.Join(normalizeAll(t.Extras), ",") + "]"
	}
	switch {
	case editable:
		name = "-e " + name
	case !strings.HasPrefix(name, "../"):
		// pip reads a bare word as a package name for the index, a path
		// only with a slash or a leading dot (pypa/pip
		// src/pip/_internal/req/constructors.py, _looks_like_path).
		name = "./" + name
	}
	r.pkg(Item{Name: name, Options: opts}, st.Evidence)
}

// pkg adds a named package, unless it comes from an index that serves one
// platform only.
func (r *reducer) pkg(it Item, ev detect.Evidence) {
	if ciValue(it.Name) {
		// numpy==${{ matrix.numpy }}: the version is the job's choice.
		name := venvcmd.RequirementName(it.Name)
		if name == "" || ciValue(name) {
			r.note(ev, NotSynced, "a package named by a CI expression (%s)", it.Name)
			return
		}
		it.Name = name
	}
	if index, ok := onePlatformIndex(it.Options); ok {
		r.note(ev, NotSynced, "%s from %s, an index with wheels for one platform; install it by hand where it applies", it.Name, index)
		return
	}
	r.set.Packages = append(r.set.Packages, it)
}

// ciValue reports text that holds a CI expression whose value is not
// known, as written or normalised as a package name.
func ciValue(s string) bool {
	return strings.Contains(strings.ReplaceAll(strings.ToUpper(s), "-", "_"), detect.UnknownCIValue)
}

// setProject records how the project is installed; installing only its
// dependencies does not undo an install of the project.
func (r *reducer) setProject(mode Mode) {
	if mode == DepsOnly && (r.set.Project == Installed || r.set.Project == Editable) {
		return
	}
	r.set.Project = mode
}

// extras adds extras named on the command line (--extra, --all-extras).
func (r *reducer) extras(named []string, all bool) {
	if all {
		r.set.Extras = append(r.set.Extras, r.m.Extras...)
		r.set.AllExtras = true
	}
	r.set.Extras = append(r.set.Extras, normalizeAll(named)...)
}

// uvSync applies `uv sync`: the project editable with its default groups
// (crates/uv-cli: SyncArgs, ProjectDependencyGroupsArgs).
func (r *reducer) uvSync(in *venvcmd.InstallArgs) {
	switch {
	case len(in.OnlyGroups) > 0:
		r.set.Groups = append(r.set.Groups, normalizeAll(in.OnlyGroups)...)
		return // neither the project nor its dependencies
	case in.NoProject, r.m.UVVirtual:
		r.setProject(DepsOnly)
	case in.NoEditable:
		r.setProject(Installed)
	default:
		r.setProject(Editable)
	}
	var groups []string
	if !in.NoDefaultGroups {
		groups = r.m.DefaultUVGroups()
	}
	if in.AllGroups {
		groups, r.set.AllGroups = r.m.UVGroups, true
	}
	groups = append(slices.Clone(groups), normalizeAll(in.Groups)...)
	if in.Dev {
		groups = append(groups, "dev")
	}
	without := normalizeAll(in.WithoutGroups)
	if in.NoDev {
		without = append(without, "dev")
	}
	r.set.Groups = append(r.set.Groups, minus(groups, without)...)
	extras := normalizeAll(in.Extras)
	if in.AllExtras {
		extras = minus(r.m.Extras, normalizeAll(in.NoExtras))
		r.set.AllExtras = len(in.NoExtras) == 0
	}
	r.set.Extras = append(r.set.Extras, extras...)
	if in.AllPackages && len(r.m.WorkspaceMembers) > 0 {
		// Every workspace member, editable as uv installs them (docs
		// concepts/projects/workspaces.md: "Dependencies between workspace
		// members are editable").
		r.set.AllPackages = true
		for _, d := range r.m.WorkspaceMembers {
			r.set.Packages = append(r.set.Packages, Item{Name: "-e " + d})
		}
	}
}

// poetryInstall applies `poetry install|sync`: the project editable, the
// non-optional groups plus --with, minus --without, or only --only
// (group_command.py activated_groups). "main" is the project's own.
func (r *reducer) poetryInstall(in *venvcmd.InstallArgs) {
	switch {
	case in.NoProject, r.m.PoetryNoPackage:
		r.setProject(DepsOnly)
	default:
		r.setProject(Editable)
	}
	groups := append(r.m.PoetryDefaultGroups(), normalizeAll(in.Groups)...)
	if in.AllGroups {
		groups, r.set.AllGroups = r.m.PoetryGroups, true
	}
	if len(in.OnlyGroups) > 0 {
		groups = normalizeAll(in.OnlyGroups)
	}
	without := normalizeAll(in.WithoutGroups)
	if in.NoDev {
		without = append(without, "dev")
	}
	r.set.Groups = append(r.set.Groups, minus(groups, append(without, "main"))...)
	r.extras(in.Extras, in.AllExtras)
}

// pdmInstall applies `pdm install|sync`: -G names extras and dev groups;
// naming a dev group keeps the others out, else every dev group comes
// unless --prod (pdm src/pdm/cli/utils.py, translate_groups).
func (r *reducer) pdmInstall(in *venvcmd.InstallArgs) {
	switch {
	case in.NoProject:
		r.setProject(DepsOnly)
	case in.NoEditable:
		r.setProject(Installed)
	default:
		r.setProject(Editable)
	}
	named := normalizeAll(in.Groups)
	var devNamed, extras []string
	for _, g := range named {
		if slices.Contains(r.m.Extras, g) {
			extras = append(extras, g)
		} else {
			devNamed = append(devNamed, g)
		}
	}
	groups := devNamed
	if len(devNamed) == 0 && !in.NoDev {
		groups = r.m.PDMDevGroups
	}
	if in.AllGroups {
		extras, r.set.AllExtras = r.m.Extras, true
	}
	r.set.Groups = append(r.set.Groups, groups...)
	r.set.Extras = append(r.set.Extras, extras...)
}

// pipenvInstall applies `pipenv install|sync`: the Pipfile's packages,
// and its dev-packages with --dev.
func (r *reducer) pipenvInstall(in *venvcmd.InstallArgs, st Step, opts []string) {
	r.setProject(DepsOnly)
	if in.Dev {
		r.set.Groups = append(r.set.Groups, "dev-packages")
	}
	r.set.Groups = append(r.set.Groups, normalizeAll(in.Groups)...)
	for _, p := range in.Packages {
		r.pkg(Item{Name: normalizeSpec(p), Options: opts}, st.Evidence)
	}
	for _, t := range in.Editables {
		r.target(t, true, st, opts)
	}
}

// uninstall removes named packages from the set.
func (r *reducer) uninstall(in *venvcmd.InstallArgs) {
	for _, p := range in.Packages {
		name := venvcmd.RequirementName(p)
		r.set.Packages = slices.DeleteFunc(r.set.Packages, func(it Item) bool {
			return venvcmd.RequirementName(it.Name) == name
		})
	}
}

// minus returns list without the names in drop.
func minus(list, drop []string) []string {
	var out []string
	for _, x := range list {
		if !slices.Contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}

// normalizeSpec writes a requirement specifier canonically: the name
// normalised, spaces dropped ("Django >= 4" -> "django>=4"). URLs and
// direct references stay as written.
func normalizeSpec(spec string) string {
	spec = strings.TrimSpace(spec)
	name := venvcmd.RequirementName(spec)
	if name == "" || strings.Contains(spec, "@") || strings.Contains(spec, ";") {
		return spec
	}
	end := strings.IndexAny(spec, "<>=!~[ (")
	if end < 0 {
		return name
	}
	return name + strings.ReplaceAll(spec[end:], " ", "")
}

// isSubset reports whether every item of sub is in of.
func isSubset(sub, of []string) bool {
	for _, x := range sub {
		if !slices.Contains(of, x) {
			return false
		}
	}
	return true
}
