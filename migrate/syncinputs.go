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
	return out
}

// isMetadataFile reports the project's own package metadata.
func isMetadataFile(f string) bool {
	return f == "pyproject.toml" || f == "setup.py" || f == "setup.cfg"
}
