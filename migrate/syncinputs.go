package migrate

import (
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// syncInputs are the files whose change can make the sync install something
// else: the hook syncs again when one of them changes. They are the files
// the sync reads: those it installs from (a lock file, requirements files)
// with the files they include (-r, -c), and the project's metadata when the
// sync reads it (a lock file's manager, or an install of the project itself,
// `-e .`). A requirements file the sync never reads (docs/requirements.txt,
// a deploy file) changes nothing in the venv.
func syncInputs(p *detect.Project, sp syncPlan) []string {
	pipStyle := sp.Manager == "pip" || sp.Manager == "uv" && !hasFile(p, "uv.lock")
	// Pipenv reads the Pipfile; the other managers the project's metadata.
	readsMetadata := !pipStyle && sp.Manager != "pipenv" || slices.ContainsFunc(sp.Synced, isMetadataFile) ||
		slices.ContainsFunc(p.Requirements, func(r detect.Requirement) bool {
			return r.Path != "" && slices.Contains(sp.Synced, r.Evidence.Path) &&
				(path.Clean(r.Path) == "." || strings.TrimPrefix(r.Path, "file:") == ".")
		})
	read := includedFiles(p, sp.Synced)
	var out []string
	for _, f := range dependencyFiles(p) {
		switch {
		case isMetadataFile(f):
			if readsMetadata && declaresMetadata(p, f) {
				out = append(out, f)
			}
		case read[f]:
			out = append(out, f)
		}
	}
	for _, f := range sp.Synced {
		if inMember(p, f) && !slices.Contains(out, f) {
			out = append(out, f) // a package's file the sync reads (-r packages/x/requirements.txt)
		}
	}
	if pipStyle {
		for _, dir := range localPackages(p, sp) {
			for _, f := range []string{"pyproject.toml", "setup.cfg", "setup.py"} {
				if rel := path.Join(dir, f); hasFile(p, rel) && !slices.Contains(out, rel) {
					out = append(out, rel)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// inMember reports a file of one of the packages the environment serves
// (detect.Project.Members).
func inMember(p *detect.Project, rel string) bool {
	return slices.ContainsFunc(p.Members, func(m string) bool { return strings.HasPrefix(rel, m+"/") })
}

// localPackages are the folders of the project, other than its top, that
// the sync installs from the checkout: a monorepo's packages (`-e
// ./pkg_a` in a synced requirements file, a recipe's `pip install -e
// packages/x`). A dependency added to one of them is one the venv lacks,
// so their metadata is a sync input.
func localPackages(p *detect.Project, sp syncPlan) []string {
	var out []string
	add := func(dir string) {
		if dir = path.Clean(dir); dir != "." && !strings.HasPrefix(dir, "../") && !slices.Contains(out, dir) {
			out = append(out, dir)
		}
	}
	if sp.Recipe != nil {
		for _, it := range sp.Recipe.Set.Packages {
			if dir, ok := localFolder(it.Name); ok {
				add(dir)
			}
		}
	}
	for _, r := range p.Requirements {
		if r.Path != "" && !strings.Contains(r.Path, "://") && slices.Contains(sp.Synced, r.Evidence.Path) {
			add(strings.TrimPrefix(r.Path, "file:"))
		}
	}
	return out
}

// isMetadataFile reports the project's own package metadata.
func isMetadataFile(f string) bool {
	return f == "pyproject.toml" || f == "setup.py" || f == "setup.cfg"
}

// includedFiles are files and the files they include (-r, -c), through
// every level.
func includedFiles(p *detect.Project, files []string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(f string) {
		if seen[f] {
			return
		}
		seen[f] = true
		for _, inc := range p.Includes {
			if inc.From == f {
				walk(inc.To)
			}
		}
	}
	for _, f := range files {
		walk(f)
	}
	return seen
}

// declaresMetadata reports a metadata file that says something about the
// package: setup.py always (it is code), setup.cfg when detect read
// requirements or a Python requirement from it (a setup.cfg that only
// configures pytest or flake8 changes nothing in the venv).
func declaresMetadata(p *detect.Project, f string) bool {
	if f != "setup.cfg" {
		return true
	}
	for _, r := range p.Requirements {
		if r.Evidence.Path == f {
			return true
		}
	}
	for _, ir := range p.Interpreters {
		if ir.Evidence.Path == f {
			return true
		}
	}
	return false
}
