package venvcmd

import (
	"slices"
	"strings"
	"testing"
)

// TestUVRunSync: `uv run` syncs the project first, with its own group and
// extra options, unless told not to or run outside the project's venv.
func TestUVRunSync(t *testing.T) {
	for _, tc := range []struct {
		cmd    string
		sync   bool
		groups []string
		extras []string
		exact  bool
	}{
		{cmd: "run pytest -x", sync: true},
		{cmd: "run --group docs --extra s3 sphinx-build docs out", sync: true, groups: []string{"docs"}, extras: []string{"s3"}},
		{cmd: "run --exact pytest", sync: true, exact: true},
		{cmd: "run pytest --group not-an-option", sync: true},
		{cmd: "run --no-sync pytest"},
		{cmd: "run --no-project python x.py"},
		{cmd: "run --isolated --with rich python"},
		{cmd: "--isolated run pytest"},
		{cmd: "run --script tool.py"},
		{cmd: "sync"},
		{cmd: "pip install x"},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			c, ok := UVRunSync(strings.Fields(tc.cmd))
			if ok != tc.sync {
				t.Fatalf("sync %v, want %v", ok, tc.sync)
			}
			if !ok {
				return
			}
			if c.Kind != Install || c.Tool != "uv" || c.Sub != "sync" {
				t.Errorf("command %+v, want an install by uv sync", c)
			}
			if !slices.Equal(c.Install.Groups, tc.groups) || !slices.Equal(c.Install.Extras, tc.extras) || c.Install.Exact != tc.exact {
				t.Errorf("groups %q extras %q exact %v, want %q %q %v", c.Install.Groups, c.Install.Extras, c.Install.Exact, tc.groups, tc.extras, tc.exact)
			}
		})
	}
}
