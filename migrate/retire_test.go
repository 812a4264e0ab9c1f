package migrate

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestRetireVenvs(t *testing.T) {
	base := t.TempDir()
	root, outside := filepath.Join(base, "root"), filepath.Join(base, "outside")
	writeFiles(t, root, map[string]string{
		"api/.venv/pyvenv.cfg":          "home = /usr/bin\n",
		"api/.venv/bin/python":          "binary",
		"api/.venv.backup/pyvenv.cfg":   "older\n",
		"api/.venv.backup.1/pyvenv.cfg": "oldest\n",
		"api/env/pyvenv.cfg":            "home = /usr/bin\n",
		"api/src/pyvenv.cfg.txt":        "not a venv\n",
		"api/venvs/README":              "no pyvenv.cfg: not a venv\n",
		"failed/.venv/pyvenv.cfg":       "kept: the project was not migrated\n",
		"skipped/.venv/pyvenv.cfg":      "kept\n",
		"done/venv/pyvenv.cfg":          "home = /usr/bin\n",
	})
	writeFiles(t, outside, map[string]string{"shared-venv/pyvenv.cfg": "outside\n"})
	if err := os.Symlink(filepath.Join(outside, "shared-venv"), filepath.Join(root, "api", "linked")); err != nil {
		t.Fatal(err)
	}
	res := &Result{Projects: []*ProjectResult{
		{Dir: "api", Status: StatusMigrated},
		{Dir: "done", Status: StatusUnchanged},
		{Dir: "failed", Status: StatusFailed},
		{Dir: "skipped", Status: StatusSkipped},
	}}
	renamed, err := RetireVenvs(root, res)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"api/.venv", "api/.venv.backup.2"}, {"api/env", "api/env.backup"}, {"done/venv", "done/venv.backup"}}
	if !reflect.DeepEqual(renamed, want) {
		t.Errorf("renamed %q, want %q", renamed, want)
	}
	after := snapshotDir(t, root)
	for p, content := range map[string]string{
		"api/.venv.backup.2/bin/python":                    "binary|-rw-r--r--", // moved whole, nothing deleted
		"api/.venv.backup/pyvenv.cfg":                      "older\n|-rw-r--r--",
		"api/.venv.backup.1/pyvenv.cfg":                    "oldest\n|-rw-r--r--",
		"failed/.venv/pyvenv.cfg":                          "kept: the project was not migrated\n|-rw-r--r--",
		"skipped/.venv/pyvenv.cfg":                         "kept\n|-rw-r--r--",
		"api/linked":                                       "<link>" + filepath.Join(outside, "shared-venv"),
		"api/venvs/README":                                 "no pyvenv.cfg: not a venv\n|-rw-r--r--",
		filepath.Join("done", "venv.backup", "pyvenv.cfg"): "home = /usr/bin\n|-rw-r--r--",
	} {
		if after[filepath.FromSlash(p)] != content {
			t.Errorf("%s = %q, want %q", p, after[filepath.FromSlash(p)], content)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "shared-venv", "pyvenv.cfg")); err != nil {
		t.Error("a venv outside the root was moved")
	}
	// Running again finds nothing left to retire.
	if again, err := RetireVenvs(root, res); err != nil || len(again) != 0 {
		t.Errorf("second RetireVenvs = %q, %v", again, err)
	}
}
