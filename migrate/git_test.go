package migrate

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/rewrite"
)

// isolateGit keeps the user's and the system's git configuration out of a
// test and sets an identity through the environment. It skips the test
// when git is not installed.
func isolateGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, "gitconfig"))
	t.Setenv("LC_ALL", "C") // git's messages in English, as the tests expect
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"} {
		t.Setenv(k, "Tester")
	}
	for _, k := range []string{"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"} {
		t.Setenv(k, "tester@example.com")
	}
}

// runGit runs git in dir and returns its trimmed output; a failure fails
// the test.
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// newRepo makes a repository in a new folder with files committed on
// branch main, and returns its path. The git CLI runs without any user or
// system configuration.
func newRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	isolateGit(t)
	dir := t.TempDir()
	writeFiles(t, dir, files)
	runGit(t, dir, "init", "-q", "-b", "main")
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "initial")
	return dir
}

// Files of a small project before and after its migration, for the dirty
// check and commit tests. ".flox.md" beside the new ".flox" folder makes
// sure only the migration's paths are committed, not names that start
// like them.
var (
	projectBefore = map[string]string{
		"Makefile":        "VENV ?= .venv\n\ntest:\n\t$(VENV)/bin/python -m pytest\n",
		"scripts/run.sh":  "#!/bin/sh\n. .venv/bin/activate\nexec python -m app \"$@\"\n",
		"README.md":       "# app\n\n    python -m venv .venv && . .venv/bin/activate\n",
		".flox.md":        "notes about the environment\n",
		"app/__init__.py": "",
		"app/__main__.py": "print('hi')\n",
	}
	projectChanges = []rewrite.FileChange{
		{Path: ".flox/.gitignore", New: []byte("run/\ncache/\nlib/\nlog/\n!env/\n"), Mode: 0o644, Created: true},
		{Path: ".flox/env.json", New: []byte("{\n  \"name\": \"app\",\n  \"version\": 1\n}\n"), Mode: 0o644, Created: true},
		{Path: ".flox/env/manifest.toml", New: []byte("version = 1\n\n[install]\npython3.pkg-path = \"python312\"\n"), Mode: 0o644, Created: true},
		{Path: "Makefile", Old: []byte(projectBefore["Makefile"]), New: []byte("test:\n\tflox activate -- python -m pytest\n"), Mode: 0o644},
		{Path: "scripts/run.sh", Old: []byte(projectBefore["scripts/run.sh"]), New: []byte("#!/bin/sh\nexec flox activate -- python -m app \"$@\"\n"), Mode: 0o755},
	}
	projectCommitted = []string{".flox/.gitignore", ".flox/env.json", ".flox/env/manifest.toml", "Makefile", "scripts/run.sh"}
)

// writeProject writes projectBefore under dir/sub, the script executable.
func writeProject(t *testing.T, dir, sub string) {
	t.Helper()
	files := map[string]string{}
	for p, content := range projectBefore {
		files[joinRel(sub, p)] = content
	}
	writeFiles(t, dir, files)
	if err := os.Chmod(filepath.Join(dir, filepath.FromSlash(joinRel(sub, "scripts/run.sh"))), 0o755); err != nil {
		t.Fatal(err)
	}
}

// committedRepo makes a repository on branch main whose first commit holds
// the project under sub.
func committedRepo(t *testing.T, sub string) string {
	t.Helper()
	isolateGit(t)
	dir := t.TempDir()
	writeProject(t, dir, sub)
	runGit(t, dir, "init", "-q", "-b", "main")
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "initial")
	return dir
}

// prefixed moves changes into a project folder of the scanned root.
func prefixed(dir string, changes []rewrite.FileChange) []rewrite.FileChange {
	out := make([]rewrite.FileChange, len(changes))
	for i, c := range changes {
		c.Path = joinRel(dir, c.Path)
		out[i] = c
	}
	return out
}

func TestCheckClean(t *testing.T) {
	const committed = "test:\n\tpytest\n"
	tests := []struct {
		name     string
		setup    func(t *testing.T, dir string)
		change   rewrite.FileChange
		subdir   string // the scanned root inside the repository
		worktree bool   // scan a linked work tree of the repository instead
		wantErr  string // "" = clean
	}{
		{
			name:   "clean tracked file",
			change: rewrite.FileChange{Path: "Makefile", Old: []byte(committed), New: []byte("x\n")},
		},
		{
			name: "modified file",
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"Makefile": "test:\n\tpytest -x\n"})
			},
			change:  rewrite.FileChange{Path: "Makefile", Old: []byte("test:\n\tpytest -x\n"), New: []byte("x\n")},
			wantErr: "Makefile (modified)",
		},
		{
			name: "staged file",
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"Makefile": "staged\n"})
				runGit(t, dir, "add", "Makefile")
			},
			change:  rewrite.FileChange{Path: "Makefile", Old: []byte("staged\n"), New: []byte("x\n")},
			wantErr: "Makefile (staged)",
		},
		{
			name:    "untracked file",
			setup:   func(t *testing.T, dir string) { writeFiles(t, dir, map[string]string{"scripts/new.sh": "echo\n"}) },
			change:  rewrite.FileChange{Path: "scripts/new.sh", Old: []byte("echo\n"), New: []byte("x\n")},
			wantErr: "scripts/new.sh (untracked)",
		},
		{
			name:   "created files are not checked",
			setup:  func(t *testing.T, dir string) { writeFiles(t, dir, map[string]string{"junk": "untracked\n"}) },
			change: rewrite.FileChange{Path: ".flox/env.json", New: []byte("{}\n"), Created: true},
		},
		{
			name:   "unchanged files are not checked",
			setup:  func(t *testing.T, dir string) { writeFiles(t, dir, map[string]string{"Makefile": "dirty\n"}) },
			change: rewrite.FileChange{Path: "Makefile", Old: []byte("dirty\n"), New: []byte("dirty\n")},
		},
		{
			name:   "root is a subfolder of the repository, clean",
			subdir: "services/api",
			change: rewrite.FileChange{Path: "Makefile", Old: []byte("api\n"), New: []byte("x\n")},
		},
		{
			name:   "root is a subfolder of the repository, modified",
			subdir: "services/api",
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"services/api/Makefile": "api edited\n"})
			},
			change:  rewrite.FileChange{Path: "Makefile", Old: []byte("api edited\n"), New: []byte("x\n")},
			wantErr: "Makefile (modified)",
		},
		{
			name:   "packed objects, clean",
			setup:  func(t *testing.T, dir string) { runGit(t, dir, "gc", "-q") },
			subdir: "services/api",
			change: rewrite.FileChange{Path: "Makefile", Old: []byte("api\n"), New: []byte("x\n")},
		},
		{
			name: "packed objects, staged",
			setup: func(t *testing.T, dir string) {
				runGit(t, dir, "gc", "-q")
				writeFiles(t, dir, map[string]string{"Makefile": "test:\n\tpytest -q\n"})
				runGit(t, dir, "add", "Makefile")
			},
			change:  rewrite.FileChange{Path: "Makefile", Old: []byte("test:\n\tpytest -q\n"), New: []byte("x\n")},
			wantErr: "Makefile (staged)",
		},
		{
			name:     "linked work tree, clean",
			worktree: true,
			change:   rewrite.FileChange{Path: "Makefile", Old: []byte(committed), New: []byte("x\n")},
		},
		{
			name:     "linked work tree, modified",
			worktree: true,
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"Makefile": "test:\n\tpytest -x\n"})
			},
			change:  rewrite.FileChange{Path: "Makefile", Old: []byte("test:\n\tpytest -x\n"), New: []byte("x\n")},
			wantErr: "Makefile (modified)",
		},
		{
			name:     "linked work tree, untracked",
			worktree: true,
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"dev.sh": "source .venv/bin/activate\n"})
			},
			change:  rewrite.FileChange{Path: "dev.sh", Old: []byte("source .venv/bin/activate\n"), New: []byte("x\n")},
			wantErr: "dev.sh (untracked)",
		},
		{
			name: "ignored file",
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{".git/info/exclude": "*.local.sh\n", "dev.local.sh": ". .venv/bin/activate\n"})
			},
			change:  rewrite.FileChange{Path: "dev.local.sh", Old: []byte(". .venv/bin/activate\n"), New: []byte("x\n")},
			wantErr: "dev.local.sh (untracked)",
		},
		{
			name: "file in a repository of its own",
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"vendor/tool/Makefile": "x\n"})
				runGit(t, filepath.Join(dir, "vendor", "tool"), "init", "-q")
			},
			change:  rewrite.FileChange{Path: "vendor/tool/Makefile", Old: []byte("x\n"), New: []byte("y\n")},
			wantErr: "vendor/tool/Makefile (untracked)",
		},
		{
			name: "a name git would read as a pattern is taken literally",
			setup: func(t *testing.T, dir string) {
				// "[M]akefile" as a glob matches the modified Makefile.
				writeFiles(t, dir, map[string]string{"[M]akefile": committed})
				runGit(t, dir, "add", "[M]akefile")
				runGit(t, dir, "commit", "-q", "-m", "odd name")
				writeFiles(t, dir, map[string]string{"Makefile": "edited\n"})
			},
			change: rewrite.FileChange{Path: "[M]akefile", Old: []byte(committed), New: []byte("x\n")},
		},
		{
			name: "clean tracked file with a space and a non-ASCII name",
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"docs/Guía rápida.md": "python -m venv .venv\n"})
				runGit(t, dir, "add", "docs")
				runGit(t, dir, "commit", "-q", "-m", "guide")
			},
			change: rewrite.FileChange{Path: "docs/Guía rápida.md", Old: []byte("python -m venv .venv\n"), New: []byte("x\n")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := newRepo(t, map[string]string{"Makefile": committed, "services/api/Makefile": "api\n"})
			if tc.worktree {
				wt := filepath.Join(t.TempDir(), "feature")
				runGit(t, dir, "worktree", "add", "-q", "-b", "feature", wt)
				dir = wt
			}
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			err := CheckClean(filepath.Join(dir, filepath.FromSlash(tc.subdir)), []rewrite.FileChange{tc.change})
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("CheckClean = %v, want nil", err)
				}
				return
			}
			var derr *DirtyError
			if !errors.As(err, &derr) {
				t.Fatalf("CheckClean = %v, want a *DirtyError", err)
			}
			if !reflect.DeepEqual(derr.Paths, []string{tc.wantErr}) {
				t.Errorf("dirty paths = %q, want [%q]", derr.Paths, tc.wantErr)
			}
			if !strings.Contains(err.Error(), "--allow-dirty") {
				t.Errorf("message %q does not say how to go on", err)
			}
		})
	}
}

func TestCheckCleanOutsideARepository(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"Makefile": "x\n"})
	if err := CheckClean(dir, []rewrite.FileChange{{Path: "Makefile", Old: []byte("x\n"), New: []byte("y\n")}}); err != nil {
		t.Errorf("CheckClean outside a repository = %v, want nil", err)
	}
}

// Without git, a folder inside a repository cannot be checked: the check
// fails rather than passing; outside any repository it passes.
func TestCheckCleanWithoutGit(t *testing.T) {
	dir := newRepo(t, map[string]string{"Makefile": "x\n"})
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"Makefile": "x\n"})
	t.Setenv("PATH", t.TempDir())
	change := []rewrite.FileChange{{Path: "Makefile", Old: []byte("x\n"), New: []byte("y\n")}}
	err := CheckClean(dir, change)
	var gerr *GitError
	if !errors.As(err, &gerr) || !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("CheckClean in a repository without git = %v, want git's absence", err)
	}
	if err := CheckClean(outside, change); err != nil {
		t.Errorf("CheckClean outside a repository without git = %v, want nil", err)
	}
}

// A repository git refuses to read (here: a .git file naming a missing
// folder) is an error, never a pass.
func TestCheckCleanBrokenRepository(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{".git": "gitdir: ../elsewhere/.git\n", "Makefile": "x\n"})
	err := CheckClean(dir, []rewrite.FileChange{{Path: "Makefile", Old: []byte("x\n"), New: []byte("y\n")}})
	var gerr *GitError
	if !errors.As(err, &gerr) || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("CheckClean = %v, want git's error", err)
	}
}

// On a branch without commits everything in the index is staged work.
func TestCheckCleanUnbornBranch(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	writeProject(t, dir, "")
	runGit(t, dir, "init", "-q", "-b", "main")
	runGit(t, dir, "add", "Makefile")
	err := CheckClean(dir, projectChanges)
	var derr *DirtyError
	if !errors.As(err, &derr) || !reflect.DeepEqual(derr.Paths, []string{"Makefile (staged)", "scripts/run.sh (untracked)"}) {
		t.Errorf("CheckClean = %v, want Makefile staged and scripts/run.sh untracked", err)
	}
}

// With core.autocrlf, a Windows-style checkout holds CRLF files whose
// blobs hold LF: they are clean, and commits store LF as git add would.
func TestAutoCRLF(t *testing.T) {
	for _, setting := range []string{"true", "input"} {
		t.Run(setting, func(t *testing.T) {
			dir := newRepo(t, map[string]string{"README.md": "# app\n"})
			runGit(t, dir, "config", "core.autocrlf", setting)
			crlf := "setup:\r\n\tpython -m venv .venv\r\n"
			writeFiles(t, dir, map[string]string{"Makefile": crlf})
			runGit(t, dir, "add", "Makefile")
			runGit(t, dir, "commit", "-q", "-m", "add Makefile")
			if blob := runGit(t, dir, "cat-file", "-p", "HEAD:Makefile"); strings.Contains(blob, "\r") {
				t.Fatalf("git stored CR line ends with core.autocrlf=%s", setting)
			}
			rewritten := "setup:\r\n\tflox activate -- true\r\n"
			change := rewrite.FileChange{Path: "Makefile", Old: []byte(crlf), New: []byte(rewritten), Mode: 0o644}
			if err := CheckClean(dir, []rewrite.FileChange{change}); err != nil {
				t.Fatalf("CheckClean = %v, want clean", err)
			}
			res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusMigrated, Changes: []rewrite.FileChange{change}}}}
			if err := Apply(dir, res.Changes()); err != nil {
				t.Fatal(err)
			}
			if _, err := Commit(dir, res, CommitOptions{}); err != nil {
				t.Fatal(err)
			}
			if blob := runGit(t, dir, "cat-file", "-p", "HEAD:Makefile"); blob != strings.TrimSpace(strings.ReplaceAll(rewritten, "\r\n", "\n")) {
				t.Errorf("committed blob = %q, want the LF form", blob)
			}
			if st := runGit(t, dir, "status", "--porcelain"); st != "" {
				t.Errorf("status after the commit = %q, want clean", st)
			}
			runGit(t, dir, "fsck", "--strict")
		})
	}
}
