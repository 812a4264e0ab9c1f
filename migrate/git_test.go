package migrate

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/migrate/gitrepo/gittest"
	"github.com/venv2flox/venv2flox/rewrite"
)

// gitRepo makes a repository in a new folder with files committed on
// branch main, and returns its path. The git CLI runs without any user or
// system configuration.
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	gittest.Isolate(t)
	dir := t.TempDir()
	writeFiles(t, dir, files)
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "initial")
	return dir
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
				gittest.Git(t, dir, "add", "Makefile")
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
			setup:  func(t *testing.T, dir string) { gittest.Git(t, dir, "gc", "-q") },
			subdir: "services/api",
			change: rewrite.FileChange{Path: "Makefile", Old: []byte("api\n"), New: []byte("x\n")},
		},
		{
			name: "packed objects, staged",
			setup: func(t *testing.T, dir string) {
				gittest.Git(t, dir, "gc", "-q")
				writeFiles(t, dir, map[string]string{"Makefile": "test:\n\tpytest -q\n"})
				gittest.Git(t, dir, "add", "Makefile")
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
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := gitRepo(t, map[string]string{"Makefile": committed, "services/api/Makefile": "api\n"})
			if tc.worktree {
				wt := filepath.Join(t.TempDir(), "feature")
				gittest.Git(t, dir, "worktree", "add", "-q", "-b", "feature", wt)
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
	gittest.Isolate(t)
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
			// --force's copy of a replaced manifest: written, never committed.
			{Path: "api/.flox/env/manifest.toml.bak", New: []byte("old\n"), Mode: 0o644, Created: true, Backup: true},
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
	out := gittest.Git(t, dir, "show", "--name-only", "--format=", rev)
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
	if len(hashes) != 1 || gittest.Git(t, dir, "rev-parse", "HEAD") != hashes[0] {
		t.Fatalf("hashes = %q, want one: HEAD", hashes)
	}
	if got := gittest.Git(t, dir, "rev-list", "--count", "HEAD"); got != "2" {
		t.Errorf("%s commits, want 2", got)
	}
	want := []string{"api/.flox/env.json", "api/Makefile", "worker/.flox/env.json"}
	if got := commitFiles(t, dir, "HEAD"); !reflect.DeepEqual(got, want) {
		t.Errorf("committed %q, want %q", got, want)
	}
	if got := gittest.Git(t, dir, "log", "-1", "--format=%an <%ae>|%s"); got != "Ada Lovelace <ada@example.com>|Migrate 2 Python projects to Flox" {
		t.Errorf("commit = %q", got)
	}
	if got := gittest.Git(t, dir, "log", "-1", "--format=%b"); !strings.Contains(got, "api, worker") {
		t.Errorf("body %q does not name the projects", got)
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "?? api/.flox/env/" {
		t.Errorf("after the commit, status = %q, want only the manifest backup untracked", st)
	}
	if br := gittest.Git(t, dir, "rev-parse", "--abbrev-ref", "HEAD"); br != "main" {
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
	if got := gittest.Git(t, dir, "log", "--format=%s", "-2"); got != "Migrate worker to a Flox environment\nMigrate api to a Flox environment" {
		t.Errorf("subjects = %q", got)
	}
	if got := commitFiles(t, dir, hashes[0]); !reflect.DeepEqual(got, []string{"api/.flox/env.json", "api/Makefile"}) {
		t.Errorf("first commit holds %q", got)
	}
	if got := gittest.Git(t, dir, "log", "-1", "--format=%b"); !strings.Contains(got, "Python 3.11, package manager uv.") {
		t.Errorf("body %q does not say the plan", got)
	}
}

func TestCommitNothingChanged(t *testing.T) {
	dir := gitRepo(t, map[string]string{"Makefile": "x\n"})
	head := gittest.Git(t, dir, "rev-parse", "HEAD")
	res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusUnchanged, Changes: []rewrite.FileChange{
		{Path: "Makefile", Old: []byte("x\n"), New: []byte("x\n")},
	}}}}
	hashes, err := Commit(dir, res, CommitOptions{Branch: "flox"})
	if err != nil || len(hashes) != 0 {
		t.Errorf("Commit = %q, %v; want nothing", hashes, err)
	}
	if gittest.Git(t, dir, "rev-parse", "HEAD") != head || gittest.Git(t, dir, "branch", "--list", "flox") != "" {
		t.Error("a commit or branch was made although nothing changed")
	}
}

func TestCommitOnNewBranch(t *testing.T) {
	dir := gitRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
	mainHead := gittest.Git(t, dir, "rev-parse", "HEAD")
	res := migratedResult(t, dir)
	hashes, err := Commit(dir, res, CommitOptions{Branch: "flox-migration", Message: "Use Flox\n"})
	if err != nil {
		t.Fatal(err)
	}
	if br := gittest.Git(t, dir, "rev-parse", "--abbrev-ref", "HEAD"); br != "flox-migration" {
		t.Errorf("on branch %q, want flox-migration", br)
	}
	if gittest.Git(t, dir, "rev-parse", "main") != mainHead {
		t.Error("main moved")
	}
	if gittest.Git(t, dir, "rev-parse", "HEAD~1") != mainHead || gittest.Git(t, dir, "rev-parse", "HEAD") != hashes[0] {
		t.Error("the commit is not on top of main")
	}
	if got := gittest.Git(t, dir, "log", "-1", "--format=%B"); got != "Use Flox" {
		t.Errorf("message = %q", got)
	}
	// The work tree kept the migration.
	if got := readFile(t, filepath.Join(dir, "api", "Makefile")); got != "api flox\n" {
		t.Errorf("api/Makefile = %q", got)
	}
	if st := gittest.Git(t, dir, "status", "--porcelain"); st != "?? api/.flox/env/" {
		t.Errorf("status = %q, want only the manifest backup untracked", st)
	}
}

func TestCommitRefusesExistingBranch(t *testing.T) {
	dir := gitRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
	gittest.Git(t, dir, "branch", "flox-migration")
	head := gittest.Git(t, dir, "rev-parse", "HEAD")
	res := migratedResult(t, dir)
	_, err := Commit(dir, res, CommitOptions{Branch: "flox-migration"})
	if err == nil || !strings.Contains(err.Error(), `branch "flox-migration" already exists`) {
		t.Errorf("Commit = %v, want a refusal", err)
	}
	if gittest.Git(t, dir, "rev-parse", "HEAD") != head || gittest.Git(t, dir, "rev-parse", "--abbrev-ref", "HEAD") != "main" {
		t.Error("HEAD moved")
	}
}

func TestCommitAuthor(t *testing.T) {
	tests := []struct {
		name, author, config, global, want, wantErr string
	}{
		{name: "flag", author: "  Grace Hopper   <grace@example.com> ", want: "Grace Hopper <grace@example.com>"},
		{name: "no email", author: "Grace Hopper", wantErr: "--author must look like"},
		{name: "no name", author: "<grace@example.com>", wantErr: "--author must look like"},
		{name: "unclosed", author: "Grace <grace@example.com", wantErr: "--author must look like"},
		{name: "repository config", config: "[user]\n\tname = Repo User\n\temail = repo@example.com\n", want: "Repo User <repo@example.com>"},
		{name: "global config", global: "[user]\n\tname = Global User\n\temail = global@example.com\n", want: "Global User <global@example.com>"},
		{
			name:   "repository email over a global name",
			global: "[user]\n\tname = Global User\n\temail = global@example.com\n",
			config: "[user]\n\temail = work@example.com\n",
			want:   "Global User <work@example.com>",
		},
		{name: "name without email", config: "[user]\n\tname = Half Configured\n", want: "venv2flox <venv2flox@localhost>"},
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
			if tc.global != "" {
				writeFiles(t, filepath.Dir(os.Getenv("GIT_CONFIG_GLOBAL")), map[string]string{filepath.Base(os.Getenv("GIT_CONFIG_GLOBAL")): tc.global})
			}
			res := migratedResult(t, dir)
			_, err := Commit(dir, res, CommitOptions{Author: tc.author})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("Commit = %v, want %q", err, tc.wantErr)
				}
				if n := gittest.Git(t, dir, "rev-list", "--count", "HEAD"); n != "1" {
					t.Error("committed with a bad author")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := gittest.Git(t, dir, "log", "-1", "--format=%an <%ae>"); got != tc.want {
				t.Errorf("author = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCommitOutsideARepository(t *testing.T) {
	gittest.Isolate(t)
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

// Files of a small project before and after its migration, for the commit
// scenarios below. ".flox.md" sorts before the new ".flox" folder in git's
// tree order ("." < "/") but after a plain ".flox" name, so a tree sorted
// the wrong way fails git fsck.
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
	gittest.Isolate(t)
	dir := t.TempDir()
	writeProject(t, dir, sub)
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "initial")
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

func TestCommitScenarios(t *testing.T) {
	tests := []struct {
		name string
		// prepare makes the repository and returns the folder git commands
		// run in (a work tree top) and the scanned root.
		prepare    func(t *testing.T) (gitDir, root string)
		project    string // the project's folder in the scanned root
		changes    func() []rewrite.FileChange
		opts       CommitOptions
		wantFiles  []string // committed, relative to the work tree top
		wantBranch string   // "HEAD" = detached
		wantStatus string   // git status --porcelain after the commit
		wantCount  string   // commits on HEAD after the commit
		check      func(t *testing.T, gitDir, initial string)
	}{
		{
			name:      "project at the repository top",
			prepare:   func(t *testing.T) (string, string) { d := committedRepo(t, ""); return d, d },
			wantFiles: projectCommitted,
			check: func(t *testing.T, dir, initial string) {
				if got := gittest.Git(t, dir, "reflog", "-1", "--format=%gs"); got != "commit: Migrate to a Flox environment" {
					t.Errorf("reflog = %q", got)
				}
			},
		},
		{
			name: "scanned root below the repository top",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "services/api")
				return d, filepath.Join(d, "services", "api")
			},
			wantFiles: prefixAll("services/api", projectCommitted),
		},
		{
			name:      "project in a sub-folder of the scanned root",
			prepare:   func(t *testing.T) (string, string) { d := committedRepo(t, "api"); return d, d },
			project:   "api",
			wantFiles: prefixAll("api", projectCommitted),
		},
		{
			name: "linked work tree",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				wt := filepath.Join(t.TempDir(), "feature-tree")
				gittest.Git(t, d, "worktree", "add", "-q", "-b", "feature", wt)
				return wt, wt
			},
			wantFiles:  projectCommitted,
			wantBranch: "feature",
			check: func(t *testing.T, wt, initial string) {
				if gittest.Git(t, wt, "rev-parse", "main") != initial {
					t.Error("main moved although the linked work tree is on feature")
				}
			},
		},
		{
			name: "packed objects",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				gittest.Git(t, d, "gc", "-q")
				if n := gittest.Git(t, d, "count-objects"); !strings.HasPrefix(n, "0 objects") {
					t.Fatalf("objects not packed: %s", n)
				}
				return d, d
			},
			wantFiles: projectCommitted,
		},
		{
			name: "clone sharing its objects with the original (alternates)",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				gittest.Git(t, d, "gc", "-q")
				clone := filepath.Join(t.TempDir(), "clone")
				gittest.Git(t, d, "clone", "-q", "--shared", d, clone)
				if n := gittest.Git(t, clone, "count-objects"); !strings.HasPrefix(n, "0 objects") {
					t.Fatalf("the clone has objects of its own: %s", n)
				}
				return clone, clone
			},
			wantFiles: projectCommitted,
		},
		{
			name: "unborn branch",
			prepare: func(t *testing.T) (string, string) {
				gittest.Isolate(t)
				d := t.TempDir()
				writeFiles(t, d, map[string]string{"notes.txt": "not part of the migration\n"})
				gittest.Git(t, d, "init", "-q", "-b", "main")
				return d, d
			},
			changes: func() []rewrite.FileChange {
				var out []rewrite.FileChange
				for _, c := range projectChanges {
					c.Old, c.Created = nil, true
					out = append(out, c)
				}
				return out
			},
			wantFiles:  projectCommitted,
			wantStatus: "?? notes.txt",
			wantCount:  "1",
			check: func(t *testing.T, dir, initial string) {
				if got := gittest.Git(t, dir, "reflog", "-1", "--format=%gs"); got != "commit (initial): Migrate to a Flox environment" {
					t.Errorf("reflog = %q", got)
				}
			},
		},
		{
			name: "detached HEAD",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				gittest.Git(t, d, "checkout", "-q", "--detach")
				return d, d
			},
			wantFiles:  projectCommitted,
			wantBranch: "HEAD",
			check: func(t *testing.T, dir, initial string) {
				if gittest.Git(t, dir, "rev-parse", "main") != initial {
					t.Error("main moved although HEAD was detached")
				}
			},
		},
		{
			name: "another staged file stays staged and out of the commit",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				writeFiles(t, d, map[string]string{"README.md": "# app\n\nWork in progress.\n", "app/cli.py": "import argparse\n"})
				gittest.Git(t, d, "add", "README.md", "app/cli.py")
				return d, d
			},
			wantFiles:  projectCommitted,
			wantStatus: "M  README.md\nA  app/cli.py",
		},
		{
			name: "index version 4",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				gittest.Git(t, d, "update-index", "--index-version", "4")
				return d, d
			},
			wantFiles: projectCommitted,
			check: func(t *testing.T, dir, initial string) {
				data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
				if err != nil {
					t.Fatal(err)
				}
				if len(data) < 8 || data[7] != 4 {
					t.Errorf("index header %q, want version 4 kept", data[:8])
				}
				if got := gittest.Git(t, dir, "ls-files"); !strings.Contains(got, ".flox/env/manifest.toml\nMakefile\nREADME.md\napp/__init__.py") {
					t.Errorf("git ls-files reads:\n%s", got)
				}
			},
		},
		{
			name:       "new branch",
			prepare:    func(t *testing.T) (string, string) { d := committedRepo(t, ""); return d, d },
			opts:       CommitOptions{Branch: "flox/migration"},
			wantFiles:  projectCommitted,
			wantBranch: "flox/migration",
			check: func(t *testing.T, dir, initial string) {
				if gittest.Git(t, dir, "rev-parse", "main") != initial {
					t.Error("main moved")
				}
			},
		},
		{
			name: "core.fileMode off keeps the executable bit the index has",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				gittest.Git(t, d, "config", "core.fileMode", "false")
				return d, d
			},
			changes: func() []rewrite.FileChange {
				out := append([]rewrite.FileChange(nil), projectChanges...)
				out[4].Mode = 0o644 // a file system without executable bits
				return out
			},
			wantFiles: projectCommitted,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gitDir, root := tc.prepare(t)
			initial, _ := exec.Command("git", "-C", gitDir, "rev-parse", "-q", "--verify", "HEAD").Output()
			changes := projectChanges
			if tc.changes != nil {
				changes = tc.changes()
			}
			changes = prefixed(tc.project, changes)
			res := &Result{Projects: []*ProjectResult{{Dir: orDot(tc.project), Status: StatusMigrated, Changes: changes}}}
			if err := Apply(root, res.Changes()); err != nil {
				t.Fatal(err)
			}
			hashes, err := Commit(root, res, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(hashes) != 1 || gittest.Git(t, gitDir, "rev-parse", "HEAD") != hashes[0] {
				t.Fatalf("hashes = %q, want one: HEAD", hashes)
			}
			assertGitAgrees(t, gitDir, tc.wantFiles, tc.wantStatus)
			wantCount, wantBranch := tc.wantCount, tc.wantBranch
			if wantCount == "" {
				wantCount = "2"
			}
			if wantBranch == "" {
				wantBranch = "main"
			}
			if got := gittest.Git(t, gitDir, "rev-list", "--count", "HEAD"); got != wantCount {
				t.Errorf("%s commits on HEAD, want %s", got, wantCount)
			}
			if got := gittest.Git(t, gitDir, "rev-parse", "--abbrev-ref", "HEAD"); got != wantBranch {
				t.Errorf("HEAD is %q, want %q", got, wantBranch)
			}
			if len(initial) > 0 && gittest.Git(t, gitDir, "rev-parse", "HEAD~1") != strings.TrimSpace(string(initial)) {
				t.Error("the commit's parent is not the commit HEAD had")
			}
			for _, c := range changes {
				rel := strings.TrimPrefix(filepath.ToSlash(filepath.Join(mustRel(t, gitDir, root), c.Path)), "./")
				if got := gittest.Git(t, gitDir, "cat-file", "-p", "HEAD:"+rel); got != strings.TrimSpace(string(c.New)) {
					t.Errorf("HEAD:%s = %q, want %q", rel, got, c.New)
				}
			}
			script := strings.TrimPrefix(filepath.ToSlash(filepath.Join(mustRel(t, gitDir, root), tc.project, "scripts/run.sh")), "./")
			if got := gittest.Git(t, gitDir, "ls-tree", "HEAD", script); !strings.HasPrefix(got, "100755 blob ") {
				t.Errorf("ls-tree %s = %q, want mode 100755", script, got)
			}
			if tc.check != nil {
				tc.check(t, gitDir, strings.TrimSpace(string(initial)))
			}
		})
	}
}

// assertGitAgrees checks the repository with the git CLI after a commit:
// fsck finds nothing (tree order, modes, headers), HEAD's commit holds
// exactly wantFiles and the status is wantStatus (committed files clean).
func assertGitAgrees(t *testing.T, dir string, wantFiles []string, wantStatus string) {
	t.Helper()
	if out := gittest.Git(t, dir, "fsck", "--strict", "--no-dangling", "--no-progress"); out != "" {
		t.Errorf("git fsck --strict:\n%s", out)
	}
	if got := commitFiles(t, dir, "HEAD"); !reflect.DeepEqual(got, wantFiles) {
		t.Errorf("HEAD commits %q, want %q", got, wantFiles)
	}
	if got := gittest.Git(t, dir, "show", "--stat", "--format=", "HEAD"); !strings.Contains(got, fmt.Sprintf("%d files changed", len(wantFiles))) {
		t.Errorf("git show --stat HEAD:\n%s", got)
	}
	if got := gittest.Git(t, dir, "status", "--porcelain"); got != wantStatus {
		t.Errorf("git status --porcelain = %q, want %q", got, wantStatus)
	}
	if got := gittest.Git(t, dir, "diff", "--stat"); got != "" {
		t.Errorf("work tree differs from the index:\n%s", got)
	}
}

func prefixAll(dir string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = joinRel(dir, p)
	}
	return out
}

func orDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

func mustRel(t *testing.T, base, p string) string {
	t.Helper()
	b, _ := filepath.EvalSymlinks(base)
	q, _ := filepath.EvalSymlinks(p)
	rel, err := filepath.Rel(b, q)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func TestCommitRefusals(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T) string
		wantErr string
		check   func(t *testing.T, dir string)
	}{
		{
			name: "index locked by a running git",
			prepare: func(t *testing.T) string {
				d := committedRepo(t, "")
				writeFiles(t, d, map[string]string{".git/index.lock": ""})
				return d
			},
			wantErr: "index.lock exists",
			check: func(t *testing.T, dir string) {
				if !exists(filepath.Join(dir, ".git", "index.lock")) {
					t.Error("the other process's lock was removed")
				}
			},
		},
		{
			name: "branch ref locked by a running git",
			prepare: func(t *testing.T) string {
				d := committedRepo(t, "")
				writeFiles(t, d, map[string]string{".git/refs/heads/main.lock": ""})
				return d
			},
			wantErr: "main.lock exists",
		},
		{
			name: "unresolved merge conflict",
			prepare: func(t *testing.T) string {
				d := committedRepo(t, "")
				gittest.Git(t, d, "checkout", "-q", "-b", "docs")
				writeFiles(t, d, map[string]string{"README.md": "# app (docs branch)\n"})
				gittest.Git(t, d, "commit", "-q", "-am", "docs")
				gittest.Git(t, d, "checkout", "-q", "main")
				writeFiles(t, d, map[string]string{"README.md": "# app (main)\n"})
				gittest.Git(t, d, "commit", "-q", "-am", "main")
				cmd := exec.Command("git", "merge", "-q", "docs")
				cmd.Dir = d
				if cmd.Run() == nil {
					t.Fatal("the merge did not conflict")
				}
				return d
			},
			wantErr: "README.md has unresolved merge conflicts",
			check: func(t *testing.T, dir string) {
				if got := gittest.Git(t, dir, "status", "--porcelain", "README.md"); got != "UU README.md" {
					t.Errorf("the conflict is gone: %q", got)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.prepare(t)
			head := gittest.Git(t, dir, "rev-parse", "HEAD")
			res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusMigrated, Changes: projectChanges}}}
			if err := Apply(dir, res.Changes()); err != nil {
				t.Fatal(err)
			}
			hashes, err := Commit(dir, res, CommitOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Commit = %q, %v; want an error with %q", hashes, err, tc.wantErr)
			}
			if gittest.Git(t, dir, "rev-parse", "HEAD") != head {
				t.Error("HEAD moved")
			}
			if tc.check != nil {
				tc.check(t, dir)
			}
		})
	}
}

func TestCommitSHA256Repository(t *testing.T) {
	gittest.Isolate(t)
	dir := t.TempDir()
	writeProject(t, dir, "")
	cmd := exec.Command("git", "init", "-q", "--object-format=sha256", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("git cannot make sha256 repositories: %s", out)
	}
	res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusMigrated, Changes: projectChanges[:3]}}}
	if _, err := Commit(dir, res, CommitOptions{}); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("Commit = %v, want a sha256 refusal", err)
	}
	if err := CheckClean(dir, projectChanges); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("CheckClean = %v, want a sha256 refusal", err)
	}
}

// A migration already committed by hand leaves nothing to commit.
func TestCommitAlreadyCommitted(t *testing.T) {
	dir := committedRepo(t, "")
	res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusMigrated, Changes: projectChanges}}}
	if err := Apply(dir, res.Changes()); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "by hand")
	head := gittest.Git(t, dir, "rev-parse", "HEAD")
	hashes, err := Commit(dir, res, CommitOptions{})
	if err != nil || len(hashes) != 0 {
		t.Errorf("Commit = %q, %v; want nothing", hashes, err)
	}
	if gittest.Git(t, dir, "rev-parse", "HEAD") != head {
		t.Error("HEAD moved")
	}
}

// On a branch without commits everything in the index is staged work.
func TestCheckCleanUnbornBranch(t *testing.T) {
	gittest.Isolate(t)
	dir := t.TempDir()
	writeProject(t, dir, "")
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	gittest.Git(t, dir, "add", "Makefile")
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
			dir := gitRepo(t, map[string]string{"README.md": "# app\n"})
			gittest.Git(t, dir, "config", "core.autocrlf", setting)
			crlf := "setup:\r\n\tpython -m venv .venv\r\n"
			writeFiles(t, dir, map[string]string{"Makefile": crlf})
			gittest.Git(t, dir, "add", "Makefile")
			gittest.Git(t, dir, "commit", "-q", "-m", "add Makefile")
			if blob := gittest.Git(t, dir, "cat-file", "-p", "HEAD:Makefile"); strings.Contains(blob, "\r") {
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
			if blob := gittest.Git(t, dir, "cat-file", "-p", "HEAD:Makefile"); blob != strings.TrimSpace(strings.ReplaceAll(rewritten, "\r\n", "\n")) {
				t.Errorf("committed blob = %q, want the LF form", blob)
			}
			if st := gittest.Git(t, dir, "status", "--porcelain"); st != "" {
				t.Errorf("status after the commit = %q, want clean", st)
			}
			gittest.Git(t, dir, "fsck", "--strict")
		})
	}
}
