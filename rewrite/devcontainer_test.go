package rewrite

import (
	"bytes"
	"path"
	"testing"
)

// TestContainersGolden: dev containers and Gitpod tasks are never edited;
// their venv lines are reported.
func TestContainersGolden(t *testing.T) {
	runGolden(t, "containers", testContext, func(ctx *Context, p string, src []byte) (Result, error) {
		switch {
		case path.Base(p) == "devcontainer.json":
			return Devcontainer(ctx, p, src)
		case path.Ext(p) == ".sh":
			return DevcontainerScript(ctx, p, src)
		}
		return Gitpod(ctx, p, src)
	}, func(t *testing.T, c goldenCase, out []byte) {
		if !bytes.Equal(out, c.In) {
			t.Errorf("%s was edited", c.Path)
		}
	})
}
