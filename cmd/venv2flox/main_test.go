package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestSecondMigrateIsUnchanged migrates a copy of every fixture, commits
// the result, and migrates again: the second run reports every project
// unchanged and prints an empty patch.
func TestSecondMigrateIsUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("migrates every fixture twice")
	}
	names, err := fixtures.Names()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		src := filepath.Join(fixtures.Dir(), name)
		t.Run(name, func(t *testing.T) {
			dir := fixtures.CopyTree(t, src)
			git := func(args ...string) {
				cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.com"}, args...)...)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
			}
			git("init", "-q")
			git("add", "-A")
			git("commit", "-qm", "before", "--allow-empty")
			var stdout, stderr bytes.Buffer
			if code := Main([]string{"migrate", "-r", dir}, &stdout, &stderr); code != 0 {
				t.Skipf("first migrate exits %d: %s", code, stderr.String())
			}
			git("add", "-A")
			git("commit", "-qm", "migrated", "--allow-empty")
			stdout.Reset()
			stderr.Reset()
			Main([]string{"migrate", "-r", "--dry-run", dir}, &stdout, &stderr)
			summary := stderr.String()
			if stdout.Len() > 0 || !strings.Contains(summary, " 0 migrated,") || !strings.Contains(summary, " unchanged") {
				t.Errorf("second migrate is not unchanged:\n%s\n%s", summary, stdout.String())
			}
		})
	}
}

// TestDryRunWritesNothingInARepository runs migrate --dry-run in a git
// repository whose index is stale: nothing changes in the tree, .git
// included (no index refresh), and nothing appears in HOME or the caches.
func TestDryRunWritesNothingInARepository(t *testing.T) {
	names, err := fixtures.Names()
	if err != nil {
		t.Fatal(err)
	}
	home, cache := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := fixtures.CopyTree(t, filepath.Join(fixtures.Dir(), name))
			for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "x", "--allow-empty"}} {
				if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
			}
			// Touched files make the index's stat data stale: a git
			// command that refreshes the index would rewrite it.
			now := time.Now().Add(time.Minute)
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && !strings.Contains(p, "/.git/") {
					_ = os.Chtimes(p, now, now)
				}
				return nil
			})
			before := fixtures.Snapshot(t, dir, true)
			var stdout, stderr bytes.Buffer
			Main([]string{"migrate", "--dry-run", "-r", dir}, &stdout, &stderr)
			if diff := fixtures.DiffSnapshots(before, fixtures.Snapshot(t, dir, true)); diff != "" {
				t.Errorf("--dry-run changed the repository:\n%s", diff)
			}
			for _, d := range []string{home, cache} {
				if entries, _ := os.ReadDir(d); len(entries) > 0 {
					t.Errorf("--dry-run wrote into %s: %v", d, entries)
				}
			}
		})
	}
}
