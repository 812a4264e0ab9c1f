package rewrite

import (
	"bytes"
	"path"
	"testing"
)

// TestPythonSourcesGolden: Python that builds or uses the venv is never
// edited; its venv lines are reported.
func TestPythonSourcesGolden(t *testing.T) {
	runGolden(t, "python", testContext, func(ctx *Context, p string, src []byte) (Result, error) {
		if path.Base(p) == "tasks.py" {
			return Invoke(ctx, p, src)
		}
		return PythonScript(ctx, p, src)
	}, func(t *testing.T, c goldenCase, out []byte) {
		if !bytes.Equal(out, c.In) {
			t.Errorf("%s was edited", c.Path)
		}
	})
}
