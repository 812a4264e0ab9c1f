package migrate

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/rewrite"
)

// gitRepo makes a repository in a new folder with files committed on
// branch main, and returns its path. The git CLI runs without any user or
// system configuration.
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	isolateGit(t)
	dir := t.TempDir()
	writeFiles(t, dir, files)
	runGit(t, dir, "init", "-q", "-b", "main")
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "initial")
	return dir
}

// isolateGit keeps the user's and the system's git configuration out of a
// test, for both the git CLI and go-git.
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
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"} {
		t.Setenv(k, "Tester")
	}
	for _, k := range []string{"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"} {
		t.Setenv(k, "tester@example.com")
	}
}

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

func TestCheckClean(t *testing.T) {
	const committed = "test:\n\tpytest\n"
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		change  rewrite.FileChange
		subdir  string // the scanned root inside the repository
		wantErr string // "" = clean
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
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := gitRepo(t, map[string]string{"Makefile": committed, "services/api/Makefile": "api\n"})
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

// migratedResult is a two-project result whose changes were applied to dir.
func migratedResult(t *testing.T, dir string) *Result {
	t.Helper()
	res := &Result{Projects: []*ProjectResult{
		{Dir: "api", Status: StatusMigrated, Changes: []rewrite.FileChange{
			{Path: "api/.flox/env.json", New: []byte("{}\n"), Mode: 0o644, Created: true},
			{Path: "api/Makefile", Old: []byte("api\n"), New: []byte("api flox\n"), Mode: 0o644},
		}},
		{Dir: "docs", Status: StatusUnchanged},
		{Dir: "worker", Status: StatusMigrated, Plan: &Plan{Interpreter: Interpreter{Minor: "3.11"}, Manager: "uv"}, Changes: []rewrite.FileChange{
			{Path: "worker/.flox/env.json", New: []byte("{}\n"), Mode: 0o644, Created: true},
			{Path: "worker/run.sh", Old: []byte("w\n"), New: []byte("w\n")}, // unchanged: not committed
		}},
	}}
	if err := Apply(dir, res.Changes()); err != nil {
		t.Fatal(err)
	}
	return res
}

func commitFiles(t *testing.T, dir, rev string) []string {
	out := runGit(t, dir, "show", "--name-only", "--format=", rev)
	files := strings.Split(out, "\n")
	sort.Strings(files)
	return files
}

func TestCommitAll(t *testing.T) {
	dir := gitRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
	res := migratedResult(t, dir)
	hashes, err := Commit(dir, res, CommitOptions{Author: "Ada Lovelace <ada@example.com>"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hashes) != 1 || runGit(t, dir, "rev-parse", "HEAD") != hashes[0] {
		t.Fatalf("hashes = %q, want one: HEAD", hashes)
	}
	if got := runGit(t, dir, "rev-list", "--count", "HEAD"); got != "2" {
		t.Errorf("%s commits, want 2", got)
	}
	want := []string{"api/.flox/env.json", "api/Makefile", "worker/.flox/env.json"}
	if got := commitFiles(t, dir, "HEAD"); !reflect.DeepEqual(got, want) {
		t.Errorf("committed %q, want %q", got, want)
	}
	if got := runGit(t, dir, "log", "-1", "--format=%an <%ae>|%s"); got != "Ada Lovelace <ada@example.com>|Migrate 2 Python projects to Flox" {
		t.Errorf("commit = %q", got)
	}
	if got := runGit(t, dir, "log", "-1", "--format=%b"); !strings.Contains(got, "api, worker") {
		t.Errorf("body %q does not name the projects", got)
	}
	if st := runGit(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("work tree not clean after the commit:\n%s", st)
	}
	if br := runGit(t, dir, "rev-parse", "--abbrev-ref", "HEAD"); br != "main" {
		t.Errorf("on branch %q, want main", br)
	}
}

func TestCommitPerProject(t *testing.T) {
	dir := gitRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
	res := migratedResult(t, dir)
	hashes, err := Commit(dir, res, CommitOptions{PerProject: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(hashes) != 2 {
		t.Fatalf("hashes = %q, want two", hashes)
	}
	if got := runGit(t, dir, "log", "--format=%s", "-2"); got != "Migrate worker to a Flox environment\nMigrate api to a Flox environment" {
		t.Errorf("subjects = %q", got)
	}
	if got := commitFiles(t, dir, hashes[0]); !reflect.DeepEqual(got, []string{"api/.flox/env.json", "api/Makefile"}) {
		t.Errorf("first commit holds %q", got)
	}
	if got := runGit(t, dir, "log", "-1", "--format=%b"); !strings.Contains(got, "Python 3.11, package manager uv.") {
		t.Errorf("body %q does not say the plan", got)
	}
}

func TestCommitNothingChanged(t *testing.T) {
	dir := gitRepo(t, map[string]string{"Makefile": "x\n"})
	head := runGit(t, dir, "rev-parse", "HEAD")
	res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusUnchanged, Changes: []rewrite.FileChange{
		{Path: "Makefile", Old: []byte("x\n"), New: []byte("x\n")},
	}}}}
	hashes, err := Commit(dir, res, CommitOptions{Branch: "flox"})
	if err != nil || len(hashes) != 0 {
		t.Errorf("Commit = %q, %v; want nothing", hashes, err)
	}
	if runGit(t, dir, "rev-parse", "HEAD") != head || runGit(t, dir, "branch", "--list", "flox") != "" {
		t.Error("a commit or branch was made although nothing changed")
	}
}

func TestCommitOnNewBranch(t *testing.T) {
	dir := gitRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
	mainHead := runGit(t, dir, "rev-parse", "HEAD")
	res := migratedResult(t, dir)
	hashes, err := Commit(dir, res, CommitOptions{Branch: "flox-migration", Message: "Use Flox\n"})
	if err != nil {
		t.Fatal(err)
	}
	if br := runGit(t, dir, "rev-parse", "--abbrev-ref", "HEAD"); br != "flox-migration" {
		t.Errorf("on branch %q, want flox-migration", br)
	}
	if runGit(t, dir, "rev-parse", "main") != mainHead {
		t.Error("main moved")
	}
	if runGit(t, dir, "rev-parse", "HEAD~1") != mainHead || runGit(t, dir, "rev-parse", "HEAD") != hashes[0] {
		t.Error("the commit is not on top of main")
	}
	if got := runGit(t, dir, "log", "-1", "--format=%B"); got != "Use Flox" {
		t.Errorf("message = %q", got)
	}
	// The work tree kept the migration.
	if got := readFile(t, filepath.Join(dir, "api", "Makefile")); got != "api flox\n" {
		t.Errorf("api/Makefile = %q", got)
	}
	if st := runGit(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("work tree not clean:\n%s", st)
	}
}

func TestCommitRefusesExistingBranch(t *testing.T) {
	dir := gitRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
	runGit(t, dir, "branch", "flox-migration")
	head := runGit(t, dir, "rev-parse", "HEAD")
	res := migratedResult(t, dir)
	_, err := Commit(dir, res, CommitOptions{Branch: "flox-migration"})
	if err == nil || !strings.Contains(err.Error(), `branch "flox-migration" already exists`) {
		t.Errorf("Commit = %v, want a refusal", err)
	}
	if runGit(t, dir, "rev-parse", "HEAD") != head || runGit(t, dir, "rev-parse", "--abbrev-ref", "HEAD") != "main" {
		t.Error("HEAD moved")
	}
}

func TestCommitAuthor(t *testing.T) {
	tests := []struct {
		name, author, config, want, wantErr string
	}{
		{name: "flag", author: "  Grace Hopper   <grace@example.com> ", want: "Grace Hopper <grace@example.com>"},
		{name: "no email", author: "Grace Hopper", wantErr: "--author must look like"},
		{name: "no name", author: "<grace@example.com>", wantErr: "--author must look like"},
		{name: "unclosed", author: "Grace <grace@example.com", wantErr: "--author must look like"},
		{name: "repository config", config: "[user]\n\tname = Repo User\n\temail = repo@example.com\n", want: "Repo User <repo@example.com>"},
		{name: "fallback", want: "venv2flox <venv2flox@localhost>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := gitRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
			if tc.config != "" {
				f, err := os.OpenFile(filepath.Join(dir, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(tc.config)
				f.Close()
			}
			res := migratedResult(t, dir)
			_, err := Commit(dir, res, CommitOptions{Author: tc.author})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("Commit = %v, want %q", err, tc.wantErr)
				}
				if n := runGit(t, dir, "rev-list", "--count", "HEAD"); n != "1" {
					t.Error("committed with a bad author")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := runGit(t, dir, "log", "-1", "--format=%an <%ae>"); got != tc.want {
				t.Errorf("author = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCommitOutsideARepository(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	res := &Result{Projects: []*ProjectResult{{Dir: ".", Changes: []rewrite.FileChange{{Path: "x", New: []byte("x"), Created: true}}}}}
	if _, err := Commit(dir, res, CommitOptions{}); err == nil || !strings.Contains(err.Error(), "not inside a git repository") {
		t.Errorf("Commit = %v, want an error", err)
	}
}

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
