package migrate

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

// A monorepo's environments follow where its own setup builds venvs, read
// from each project's setup recipe and metadata:
//
//   - a folder whose setup installs other projects of the repository from
//     the checkout (`-e ./pkg_a` in its requirements, a provisioning script
//     that loops over packages/*, `make install plugin=X`) builds one venv
//     for them: one environment there serves them, and the projects below
//     it that have no setup of their own;
//   - a project whose setup builds a venv of its own (python -m venv, a
//     manager's sync, a lock file) keeps an environment of its own, even
//     when another one installs it too;
//   - a project with no setup of its own that other projects install from
//     the checkout gets no environment: theirs serve it;
//   - a project with no setup of its own below a project with an
//     environment is worked on in that one (crates/uv-build below uv);
//   - every other project gets its own, as do the members of a uv
//     workspace together, at its root (Discover).

// Environment is one Flox environment of a recursive run.
type Environment struct {
	// Dir is its folder, relative to the scanned root ("." for the top).
	Dir string
	// Skip are the folders below Dir that belong to other environments or
	// to projects served by others.
	Skip []string
	// Members are the folders below Dir holding projects this environment
	// serves: their files are read as its own.
	Members []string
	// Serves says why it serves them, for the plan's notices ("" when it
	// serves none).
	Serves string
	// Project is Dir as detect read it, with Skip and Members.
	Project *detect.Project
}

// ServedProject is a project that gets no environment of its own.
type ServedProject struct {
	Dir string
	// By are the environments whose setup installs it from the checkout.
	By []string
}

// Layout is how the Python projects under a folder map to environments.
type Layout struct {
	Environments []Environment
	Served       []ServedProject
	// Top is the top folder read as a project, when it is no environment:
	// its shared files (a root Makefile, workflows) are reported against
	// the environments. Nil when the top is an environment.
	Top *detect.Project
}

// FindLayout discovers the projects under the top of fsys and decides
// which environments they get. jobs bounds how many are read at once.
func FindLayout(fsys fs.FS, opts DiscoverOptions, jobs int) (*Layout, error) {
	roots, err := Discover(fsys, opts)
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, ErrNoProject
	}
	surveys := make([]survey, len(roots))
	forEach(len(roots), jobs, func(i int) {
		surveys[i] = surveyDir(fsys, roots[i], NestedUnder(roots, roots[i]), nil)
	})
	if roots[0] != "." {
		top := surveyDir(fsys, ".", roots, nil)
		top.noMarker = true
		if top.recipeKind == "ci" && !top.ownVenv {
			// A CI job that installs a package into the runner's Python
			// tests that package; it builds no venv at the top.
			top.installs = slices.DeleteFunc(top.installs, func(f string) bool { return slices.Contains(top.recipeInstalls, f) })
		}
		if !keep(".", opts) {
			top.installs = nil // --include leaves the top out: it hosts nothing
		}
		surveys = append([]survey{top}, surveys...)
	}
	l := decideLayout(surveys)
	// Folders whose members or skips changed are read again as the
	// environment they now are.
	forEach(len(l.Environments), jobs, func(i int) {
		e := &l.Environments[i]
		if e.Project == nil {
			e.Project = surveyDir(fsys, e.Dir, e.Skip, e.Members).proj
		}
	})
	return l, nil
}

// survey is what one project folder's setup says about the venvs it
// builds.
type survey struct {
	dir  string
	proj *detect.Project
	// installs are the folders (relative to the scanned root) its setup
	// or metadata installs from the checkout.
	installs []string
	// ownVenv: its setup builds a venv of its own.
	ownVenv bool
	// recipe names its setup recipe, when it has one, and recipeKind
	// says where it was found (installset.Recipe.Kind).
	recipe, recipeKind string
	// recipeInstalls are the installs that come from the recipe.
	recipeInstalls []string
	// noMarker is set for the top folder when it holds no project file.
	noMarker bool
}

// surveyDir reads one folder and its setup recipe. A recipe that cannot
// be read leaves the folder without one.
func surveyDir(fsys fs.FS, dir string, skip, members []string) (s survey) {
	s = survey{dir: dir, proj: detect.Scan(fsys, dir, detect.Options{Skip: skip, Members: members})}
	defer func() {
		if recover() != nil {
			s.installs, s.ownVenv, s.recipe, s.recipeKind, s.recipeInstalls = nil, false, "", "", nil
		}
	}()
	for _, r := range s.proj.Requirements {
		if r.Path == "" || strings.Contains(r.Path, "://") || !contributorEvidence(s.proj, r.Evidence) {
			continue
		}
		local := strings.TrimPrefix(r.Path, "file:")
		// pip reads a requirement file's paths from the folder it runs in,
		// pyproject.toml's from the project: both are tried.
		s.installs = append(s.installs, joinRel(dir, path.Join(path.Dir(r.Evidence.Path), local)), joinRel(dir, path.Clean(local)))
	}
	if rec, ok := installset.FindRecipe(s.proj); ok {
		s.recipe, s.recipeKind, s.ownVenv = rec.Label, rec.Kind, rec.OwnVenv
		for _, it := range rec.Set.Packages {
			if folder, ok := localFolder(it.Name); ok {
				s.recipeInstalls = append(s.recipeInstalls, joinRel(dir, folder))
			}
		}
		s.installs = append(s.installs, s.recipeInstalls...)
	}
	s.ownVenv = s.ownVenv || hasLockFile(s.proj)
	return s
}

// localFolder is the folder an install set's package names, when it is a
// folder of the checkout ("-e libs/common", "./plugins/x[test]").
func localFolder(name string) (string, bool) {
	name, editable := strings.CutPrefix(name, "-e ")
	if strings.Contains(name, "://") || strings.Contains(name, "@") || !editable && !strings.HasPrefix(name, ".") {
		return "", false
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return path.Clean(name), true
}

// hasLockFile reports a manager's lock file or Pipfile at the project's
// top: the manager builds the project's own venv.
func hasLockFile(p *detect.Project) bool {
	for _, f := range []string{"uv.lock", "poetry.lock", "pdm.lock", "Pipfile", "Pipfile.lock", ".flox/env/manifest.toml"} {
		if hasFile(p, f) {
			return true
		}
	}
	return false
}

// decideLayout maps the surveyed folders (path order, the top first) to
// environments.
func decideLayout(surveys []survey) *Layout {
	byDir := map[string]*survey{}
	for i := range surveys {
		byDir[surveys[i].dir] = &surveys[i]
	}
	// Only installs of other project folders count.
	for i := range surveys {
		s := &surveys[i]
		var kept []string
		for _, f := range s.installs {
			if _, ok := byDir[f]; ok && f != s.dir && f != "." && !slices.Contains(kept, f) {
				kept = append(kept, f)
			}
		}
		s.installs = kept
	}
	host := map[string]string{}     // project -> the environment that serves it
	served := map[string][]string{} // project -> the environments that install it
	isEnv := func(dir string) bool {
		s := byDir[dir]
		_, hosted := host[dir]
		_, isServed := served[dir]
		return s != nil && !hosted && !isServed && (!s.noMarker || hostsPackages(s))
	}
	for _, s := range surveys {
		if s.dir == "." || s.ownVenv {
			continue
		}
		for a := path.Dir(s.dir); ; a = path.Dir(a) {
			if isEnv(a) && hostsPackages(byDir[a]) {
				host[s.dir] = a
				break
			}
			if a == "." {
				break
			}
		}
		if _, ok := host[s.dir]; ok {
			continue
		}
		for _, o := range surveys {
			if slices.Contains(o.installs, s.dir) && isEnv(o.dir) {
				served[s.dir] = append(served[s.dir], o.dir)
			}
		}
		// A package with no setup of its own that nobody installs, below
		// a project that has an environment, is worked on there: nothing
		// says its contributors build it a venv of its own.
		if _, ok := served[s.dir]; !ok && s.recipe == "" {
			if a, ok := enclosingEnv(s.dir, byDir, isEnv); ok {
				host[s.dir] = a
			}
		}
	}
	l := &Layout{}
	var envDirs []string
	for _, s := range surveys {
		if isEnv(s.dir) {
			envDirs = append(envDirs, s.dir)
		} else if s.dir == "." {
			l.Top = s.proj
		}
	}
	for _, s := range surveys {
		if by, ok := served[s.dir]; ok {
			l.Served = append(l.Served, ServedProject{Dir: s.dir, By: by})
		}
		if !slices.Contains(envDirs, s.dir) {
			continue
		}
		e := Environment{Dir: s.dir}
		for _, o := range surveys {
			switch {
			case o.dir == s.dir || !under(o.dir, s.dir):
			case host[o.dir] == s.dir:
				rel, _ := relTo(s.dir, o.dir)
				e.Members = append(e.Members, rel)
			default:
				e.Skip = append(e.Skip, o.dir)
			}
		}
		if len(e.Members) == 0 && !s.noMarker {
			e.Project = s.proj // read as it is: nothing to add
		}
		e.Serves = servesNote(s, e.Members)
		l.Environments = append(l.Environments, e)
	}
	return l
}

// enclosingEnv is the nearest folder above dir that is a project with an
// environment of its own.
func enclosingEnv(dir string, byDir map[string]*survey, isEnv func(string) bool) (string, bool) {
	for a := path.Dir(dir); ; a = path.Dir(a) {
		if s := byDir[a]; s != nil && !s.noMarker && isEnv(a) {
			return a, true
		}
		if a == "." {
			return "", false
		}
	}
}

// hostsPackages reports a folder whose setup installs projects below it
// from the checkout: its venv is theirs.
func hostsPackages(s *survey) bool {
	return slices.ContainsFunc(s.installs, func(f string) bool { return under(f, s.dir) })
}

// under reports whether dir is strictly inside parent.
func under(dir, parent string) bool {
	return dir != parent && (parent == "." || strings.HasPrefix(dir, parent+"/"))
}

// servesNote says which projects an environment serves and why.
func servesNote(s survey, members []string) string {
	if len(members) == 0 {
		return ""
	}
	var installed, others []string
	for _, m := range members {
		if slices.Contains(s.installs, joinRel(s.dir, m)) {
			installed = append(installed, m)
		} else {
			others = append(others, m)
		}
	}
	if len(installed) == 0 {
		if len(others) == 1 {
			return others[0] + " has no setup of its own: it is worked on in this environment"
		}
		return strings.Join(others, ", ") + " have no setup of their own: they are worked on in this environment"
	}
	how := "its setup"
	if s.recipe != "" {
		how = "`" + s.recipe + "`"
	}
	var parts []string
	if len(installed) > 0 {
		parts = append(parts, fmt.Sprintf("%s, which %s installs from the checkout", strings.Join(installed, ", "), how))
	}
	if len(others) > 0 {
		parts = append(parts, fmt.Sprintf("%s, which have no setup of their own", strings.Join(others, ", ")))
	}
	return "one environment for the repository's packages, as its setup builds one venv for them: " + strings.Join(parts, "; ")
}
