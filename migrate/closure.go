package migrate

import (
	"io/fs"
	"strings"

	"github.com/venv2flox/venv2flox/callgraph"
	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/rewrite"
)

// brokenCallers names every caller the changes would break: a CI job,
// docs build, hook or task runner that does not run in the Flox
// environment and runs an entry point that now needs flox or is gone.
// Each is a problem of this patch, not a follow-up: the patch is not
// ready while one is left.
func brokenCallers(fsys fs.FS, dir string, proj *detect.Project, changes []rewrite.FileChange) []detect.Problem {
	changed := map[string][]byte{}
	for _, c := range changes {
		rel := c.Path
		if dir != "." {
			rel = strings.TrimPrefix(c.Path, dir+"/")
		}
		changed[rel] = c.New
	}
	var out []detect.Problem
	for _, b := range callgraph.Check(fsys, dir, proj.Files, changed) {
		out = append(out, detect.Problem{
			Evidence: detect.Evidence{Path: joinRel(dir, b.Call.Caller.File), Line: b.Call.Line},
			Message:  b.String(),
		})
	}
	return out
}
