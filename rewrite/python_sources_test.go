package rewrite

import (
	"bytes"
	"path"
	"testing"
)

// TestPythonSourcesGolden: Python that builds or uses the venv, and
// Taskfile commands, are never edited; their venv lines are reported.
func TestPythonSourcesGolden(t *testing.T) {
	runGolden(t, "python", testContext, func(ctx *Context, p string, src []byte) (Result, error) {
		switch path.Base(p) {
		case "tasks.py":
			return Invoke(ctx, p, src)
		case "Taskfile.yml":
			return Taskfile(ctx, p, src)
		}
		return PythonScript(ctx, p, src)
	}, func(t *testing.T, c goldenCase, out []byte) {
		if !bytes.Equal(out, c.In) {
			t.Errorf("%s was edited", c.Path)
		}
	})
}
