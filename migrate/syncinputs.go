package migrate

import (
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// syncInputs are the files whose change can make the sync install something
// else: the hook syncs again when one of them changes. Every requirements and
// constraints file counts, since a synced file may include any of them (-r,
// -c), except a pip-tools source (.in) beside its compiled .txt, which pip
// never reads. The project's metadata counts when the sync reads it: a lock
// file's manager, or an install of the project itself (`-e .`).
func syncInputs(p *detect.Project, sp syncPlan) []string {
	pipStyle := sp.Manager == "pip" || sp.Manager == "uv" && !hasFile(p, "uv.lock")
	readsMetadata := !pipStyle || slices.ContainsFunc(sp.Synced, isMetadataFile) ||
		slices.ContainsFunc(p.Requirements, func(r detect.Requirement) bool {
			return r.Path != "" && slices.Contains(sp.Synced, r.Evidence.Path) &&
				(path.Clean(r.Path) == "." || strings.TrimPrefix(r.Path, "file:") == ".")
		})
	var out []string
	for _, f := range dependencyFiles(p) {
		switch {
		case isMetadataFile(f) && !readsMetadata:
		case strings.HasSuffix(f, ".in") && hasFile(p, strings.TrimSuffix(f, ".in")+".txt"):
		default:
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
