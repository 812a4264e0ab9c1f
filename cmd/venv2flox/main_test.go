package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/venv2flox/venv2flox/fixtures"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"venv2flox": main,
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			// git commits in scripts need an identity and no user config.
			env.Setenv("GIT_AUTHOR_NAME", "Test")
			env.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "Test")
			env.Setenv("GIT_COMMITTER_EMAIL", "test@example.com")
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			return nil
		},
	})
}

// TestDryRunIsReadOnly runs migrate --dry-run (and --check) on a copy of
// every fixture and compares every byte, mode and mtime before and after.
func TestDryRunIsReadOnly(t *testing.T) {
	names, err := fixtures.Names()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		src := filepath.Join(fixtures.Dir(), name)
		t.Run(name, func(t *testing.T) {
			dir := fixtures.CopyTree(t, src)
			before := fixtures.Snapshot(t, dir, true)
			for _, args := range [][]string{
				{"migrate", "--dry-run", "-r", dir},
				{"migrate", "--check", dir},
				{"migrate", "--dry-run", "--check", "--format", "json", dir},
				{"plan", dir},
				{"detect", "--format", "json", dir},
			} {
				var stdout, stderr bytes.Buffer
				Main(args, &stdout, &stderr)
			}
			if diff := fixtures.DiffSnapshots(before, fixtures.Snapshot(t, dir, true)); diff != "" {
				t.Errorf("a read-only command changed the tree:\n%s", diff)
			}
		})
	}
}
