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

	"github.com/venv2flox/venv2flox/rewrite"
)

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
	out := runGit(t, dir, "show", "--name-only", "--format=", rev)
	files := strings.Split(out, "\n")
	sort.Strings(files)
	return files
}

func TestCommitAll(t *testing.T) {
	dir := newRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
	res := migratedResult(t, dir)
	writeFiles(t, dir, map[string]string{"worker/run.sh": "staged by hand\n"})
	runGit(t, dir, "add", "worker/run.sh")
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
	if st := runGit(t, dir, "status", "--porcelain"); st != "M  worker/run.sh\n?? api/.flox/env/" {
		t.Errorf("after the commit, status = %q, want the staged change staged and the manifest backup untracked", st)
	}
	if br := runGit(t, dir, "rev-parse", "--abbrev-ref", "HEAD"); br != "main" {
		t.Errorf("on branch %q, want main", br)
	}
	fsck(t, dir)
}

// fsck runs git fsck --strict, which must find nothing.
func fsck(t *testing.T, dir string) {
	t.Helper()
	if out := runGit(t, dir, "fsck", "--strict", "--no-dangling", "--no-progress"); out != "" {
		t.Errorf("git fsck --strict:\n%s", out)
	}
}

func TestCommitPerProject(t *testing.T) {
	dir := newRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
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
	if got := commitFiles(t, dir, hashes[1]); !reflect.DeepEqual(got, []string{"worker/.flox/env.json"}) {
		t.Errorf("second commit holds %q", got)
	}
	if runGit(t, dir, "rev-parse", hashes[1]+"~1") != hashes[0] {
		t.Error("the second commit is not on top of the first")
	}
	if st := runGit(t, dir, "status", "--porcelain"); st != "?? api/.flox/env/" {
		t.Errorf("status = %q, want only the manifest backup untracked", st)
	}
	fsck(t, dir)
}

func TestCommitNothingChanged(t *testing.T) {
	dir := newRepo(t, map[string]string{"Makefile": "x\n"})
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
	dir := newRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
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
	if st := runGit(t, dir, "status", "--porcelain"); st != "?? api/.flox/env/" {
		t.Errorf("status = %q, want only the manifest backup untracked", st)
	}
	if got := runGit(t, dir, "reflog", "-2", "--format=%gs"); got != "commit: Use Flox\ncheckout: moving from main to flox-migration" {
		t.Errorf("reflog = %q", got)
	}
	fsck(t, dir)
}

func TestCommitRefusesExistingBranch(t *testing.T) {
	dir := newRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
	runGit(t, dir, "branch", "flox-migration")
	head := runGit(t, dir, "rev-parse", "HEAD")
	res := migratedResult(t, dir)
	opts := CommitOptions{Branch: "flox-migration"}
	if err := CheckCommit(dir, res, opts); err == nil || !strings.Contains(err.Error(), `branch "flox-migration" already exists`) {
		t.Errorf("CheckCommit = %v, want a refusal", err)
	}
	_, err := Commit(dir, res, opts)
	if err == nil || !strings.Contains(err.Error(), `branch "flox-migration" already exists`) {
		t.Errorf("Commit = %v, want a refusal", err)
	}
	if runGit(t, dir, "rev-parse", "HEAD") != head || runGit(t, dir, "rev-parse", "--abbrev-ref", "HEAD") != "main" {
		t.Error("HEAD moved")
	}
}

// TestCommitIdentity checks that commits get the identity git itself would
// use: config files by precedence, included files, the --author flag, and
// git's refusal when there is none.
func TestCommitIdentity(t *testing.T) {
	const useConfigOnly = "[user]\n\tuseConfigOnly = true\n"
	tests := []struct {
		name, author, config, global string
		include                      map[string]string // more files beside the global config
		want                         string            // author|committer
		wantErr                      string
	}{
		{
			name:   "flag for the author, config for the committer",
			author: "  Grace Hopper   <grace@example.com> ",
			global: "[user]\n\tname = Global User\n\temail = global@example.com\n",
			want:   "Grace Hopper <grace@example.com>|Global User <global@example.com>",
		},
		{name: "no email", author: "Grace Hopper", wantErr: "--author must look like"},
		{name: "no name", author: "<grace@example.com>", wantErr: "--author must look like"},
		{name: "unclosed", author: "Grace <grace@example.com", wantErr: "--author must look like"},
		{
			name:   "repository config",
			global: useConfigOnly,
			config: "[user]\n\tname = Repo User\n\temail = repo@example.com\n",
			want:   "Repo User <repo@example.com>|Repo User <repo@example.com>",
		},
		{
			name:   "repository email over a global name",
			global: "[user]\n\tname = Global User\n\temail = global@example.com\n",
			config: "[user]\n\temail = work@example.com\n",
			want:   "Global User <work@example.com>|Global User <work@example.com>",
		},
		{
			name:    "identity from an included config file",
			global:  "[include]\n\tpath = identity.inc\n",
			include: map[string]string{"identity.inc": "[user]\n\tname = Included User\n\temail = included@example.com\n"},
			want:    "Included User <included@example.com>|Included User <included@example.com>",
		},
		{
			name:    "conditional include on the current branch",
			global:  "[user]\n\tname = Home User\n\temail = home@example.com\n[includeIf \"onbranch:main\"]\n\tpath = work.inc\n",
			include: map[string]string{"work.inc": "[user]\n\temail = work@example.com\n"},
			want:    "Home User <work@example.com>|Home User <work@example.com>",
		},
		{name: "name without email", global: useConfigOnly + "\tname = Half Configured\n", wantErr: "identity unknown"},
		{name: "no identity at all", global: useConfigOnly, wantErr: "identity unknown"},
		{name: "flag without a committer", author: "Grace <grace@example.com>", global: useConfigOnly, wantErr: "identity unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := newRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
			for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			if tc.config != "" {
				f, err := os.OpenFile(filepath.Join(dir, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(tc.config)
				f.Close()
			}
			global := os.Getenv("GIT_CONFIG_GLOBAL")
			files := map[string]string{filepath.Base(global): tc.global}
			for name, content := range tc.include {
				files[name] = content
			}
			writeFiles(t, filepath.Dir(global), files)
			res := migratedResult(t, dir)
			opts := CommitOptions{Author: tc.author}
			checkErr := CheckCommit(dir, res, opts)
			_, err := Commit(dir, res, opts)
			if tc.wantErr != "" {
				for _, e := range []error{checkErr, err} {
					if e == nil || !strings.Contains(e.Error(), tc.wantErr) {
						t.Errorf("CheckCommit, Commit = %v, %v; want %q", checkErr, err, tc.wantErr)
					}
				}
				if n := runGit(t, dir, "rev-list", "--count", "HEAD"); n != "1" {
					t.Error("committed without a proper identity")
				}
				if st := runGit(t, dir, "status", "--porcelain"); st != "M api/Makefile\n?? api/.flox/\n?? worker/.flox/" {
					t.Errorf("the index changed: status = %q", st)
				}
				return
			}
			if checkErr != nil || err != nil {
				t.Fatalf("CheckCommit, Commit = %v, %v", checkErr, err)
			}
			if got := runGit(t, dir, "log", "-1", "--format=%an <%ae>|%cn <%ce>"); got != tc.want {
				t.Errorf("author|committer = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCheckCommitBranchNames(t *testing.T) {
	dir := newRepo(t, map[string]string{"api/Makefile": "api\n", "worker/run.sh": "w\n"})
	res := migratedResult(t, dir)
	for _, name := range []string{"bad..name", "-x", "flox migration", "x.lock", "@{-1}", "main"} {
		if err := CheckCommit(dir, res, CommitOptions{Branch: name}); err == nil || !strings.HasPrefix(err.Error(), "--branch: ") {
			t.Errorf("CheckCommit --branch %q = %v, want a refusal", name, err)
		}
	}
	if err := CheckCommit(dir, res, CommitOptions{Branch: "flox/migration"}); err != nil {
		t.Errorf("CheckCommit --branch flox/migration = %v", err)
	}
	if got := runGit(t, dir, "branch", "--format=%(refname:short)"); got != "main" {
		t.Errorf("branches after the checks: %q", got)
	}
}

// With nothing to commit there is nothing to check beyond the repository.
func TestCheckCommitNothingToCommit(t *testing.T) {
	dir := newRepo(t, map[string]string{"Makefile": "x\n"})
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"} {
		os.Unsetenv(k)
	}
	runGit(t, dir, "config", "user.useConfigOnly", "true")
	runGit(t, dir, "branch", "flox")
	res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusUnchanged}}}
	if err := CheckCommit(dir, res, CommitOptions{Branch: "flox"}); err != nil {
		t.Errorf("CheckCommit = %v, want nil", err)
	}
}

func TestCommitOutsideARepository(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	res := &Result{Projects: []*ProjectResult{{Dir: ".", Changes: []rewrite.FileChange{{Path: "x", New: []byte("x"), Created: true}}}}}
	if err := CheckCommit(dir, res, CommitOptions{}); !errors.Is(err, ErrNotARepository) {
		t.Errorf("CheckCommit = %v, want ErrNotARepository", err)
	}
	if _, err := Commit(dir, res, CommitOptions{}); !errors.Is(err, ErrNotARepository) {
		t.Errorf("Commit = %v, want ErrNotARepository", err)
	}
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
				if got := runGit(t, dir, "reflog", "-1", "--format=%gs"); got != "commit: Migrate to a Flox environment" {
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
				runGit(t, d, "worktree", "add", "-q", "-b", "feature", wt)
				return wt, wt
			},
			wantFiles:  projectCommitted,
			wantBranch: "feature",
			check: func(t *testing.T, wt, initial string) {
				if runGit(t, wt, "rev-parse", "main") != initial {
					t.Error("main moved although the linked work tree is on feature")
				}
			},
		},
		{
			name: "packed objects",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				runGit(t, d, "gc", "-q")
				if n := runGit(t, d, "count-objects"); !strings.HasPrefix(n, "0 objects") {
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
				runGit(t, d, "gc", "-q")
				clone := filepath.Join(t.TempDir(), "clone")
				runGit(t, d, "clone", "-q", "--shared", d, clone)
				if n := runGit(t, clone, "count-objects"); !strings.HasPrefix(n, "0 objects") {
					t.Fatalf("the clone has objects of its own: %s", n)
				}
				return clone, clone
			},
			wantFiles: projectCommitted,
		},
		{
			name: "unborn branch",
			prepare: func(t *testing.T) (string, string) {
				isolateGit(t)
				d := t.TempDir()
				writeFiles(t, d, map[string]string{"notes.txt": "not part of the migration\n"})
				runGit(t, d, "init", "-q", "-b", "main")
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
				if got := runGit(t, dir, "reflog", "-1", "--format=%gs"); got != "commit (initial): Migrate to a Flox environment" {
					t.Errorf("reflog = %q", got)
				}
			},
		},
		{
			name: "detached HEAD",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				runGit(t, d, "checkout", "-q", "--detach")
				return d, d
			},
			wantFiles:  projectCommitted,
			wantBranch: "HEAD",
			check: func(t *testing.T, dir, initial string) {
				if runGit(t, dir, "rev-parse", "main") != initial {
					t.Error("main moved although HEAD was detached")
				}
			},
		},
		{
			name: "another staged file stays staged and out of the commit",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				writeFiles(t, d, map[string]string{"README.md": "# app\n\nWork in progress.\n", "app/cli.py": "import argparse\n"})
				runGit(t, d, "add", "README.md", "app/cli.py")
				return d, d
			},
			wantFiles:  projectCommitted,
			wantStatus: "M  README.md\nA  app/cli.py",
		},
		{
			name: "index version 4",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				runGit(t, d, "update-index", "--index-version", "4")
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
				if got := runGit(t, dir, "ls-files"); !strings.Contains(got, ".flox/env/manifest.toml\nMakefile\nREADME.md\napp/__init__.py") {
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
				if runGit(t, dir, "rev-parse", "main") != initial {
					t.Error("main moved")
				}
			},
		},
		{
			name: "core.fileMode off keeps the executable bit the index has",
			prepare: func(t *testing.T) (string, string) {
				d := committedRepo(t, "")
				runGit(t, d, "config", "core.fileMode", "false")
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
			if len(hashes) != 1 || runGit(t, gitDir, "rev-parse", "HEAD") != hashes[0] {
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
			if got := runGit(t, gitDir, "rev-list", "--count", "HEAD"); got != wantCount {
				t.Errorf("%s commits on HEAD, want %s", got, wantCount)
			}
			if got := runGit(t, gitDir, "rev-parse", "--abbrev-ref", "HEAD"); got != wantBranch {
				t.Errorf("HEAD is %q, want %q", got, wantBranch)
			}
			if len(initial) > 0 && runGit(t, gitDir, "rev-parse", "HEAD~1") != strings.TrimSpace(string(initial)) {
				t.Error("the commit's parent is not the commit HEAD had")
			}
			for _, c := range changes {
				rel := strings.TrimPrefix(filepath.ToSlash(filepath.Join(mustRel(t, gitDir, root), c.Path)), "./")
				if got := runGit(t, gitDir, "cat-file", "-p", "HEAD:"+rel); got != strings.TrimSpace(string(c.New)) {
					t.Errorf("HEAD:%s = %q, want %q", rel, got, c.New)
				}
			}
			script := strings.TrimPrefix(filepath.ToSlash(filepath.Join(mustRel(t, gitDir, root), tc.project, "scripts/run.sh")), "./")
			if got := runGit(t, gitDir, "ls-tree", "HEAD", script); !strings.HasPrefix(got, "100755 blob ") {
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
	if out := runGit(t, dir, "fsck", "--strict", "--no-dangling", "--no-progress"); out != "" {
		t.Errorf("git fsck --strict:\n%s", out)
	}
	if got := commitFiles(t, dir, "HEAD"); !reflect.DeepEqual(got, wantFiles) {
		t.Errorf("HEAD commits %q, want %q", got, wantFiles)
	}
	if got := runGit(t, dir, "show", "--stat", "--format=", "HEAD"); !strings.Contains(got, fmt.Sprintf("%d files changed", len(wantFiles))) {
		t.Errorf("git show --stat HEAD:\n%s", got)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != wantStatus {
		t.Errorf("git status --porcelain = %q, want %q", got, wantStatus)
	}
	if got := runGit(t, dir, "diff", "--stat"); got != "" {
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

// TestCommitRefusals checks that git's refusals come back as errors with
// git's own words, and that they leave HEAD, the index and the work tree
// as they were: files the commit had added to the index are taken out.
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
			wantErr: "index.lock': File exists",
			check: func(t *testing.T, dir string) {
				if !exists(filepath.Join(dir, ".git", "index.lock")) {
					t.Error("the other process's lock was removed")
				}
				os.Remove(filepath.Join(dir, ".git", "index.lock"))
			},
		},
		{
			name: "branch ref locked by a running git",
			prepare: func(t *testing.T) string {
				d := committedRepo(t, "")
				writeFiles(t, d, map[string]string{".git/refs/heads/main.lock": ""})
				return d
			},
			wantErr: "main.lock': File exists",
		},
		{
			name: "unresolved merge conflict",
			prepare: func(t *testing.T) string {
				d := committedRepo(t, "")
				runGit(t, d, "checkout", "-q", "-b", "docs")
				writeFiles(t, d, map[string]string{"README.md": "# app (docs branch)\n"})
				runGit(t, d, "commit", "-q", "-am", "docs")
				runGit(t, d, "checkout", "-q", "main")
				writeFiles(t, d, map[string]string{"README.md": "# app (main)\n"})
				runGit(t, d, "commit", "-q", "-am", "main")
				cmd := exec.Command("git", "merge", "-q", "docs")
				cmd.Dir = d
				if cmd.Run() == nil {
					t.Fatal("the merge did not conflict")
				}
				return d
			},
			wantErr: "cannot do a partial commit during a merge",
			check: func(t *testing.T, dir string) {
				if got := runGit(t, dir, "status", "--porcelain", "README.md"); got != "UU README.md" {
					t.Errorf("the conflict is gone: %q", got)
				}
			},
		},
		{
			name: "pre-commit hook says no",
			prepare: func(t *testing.T) string {
				d := committedRepo(t, "")
				writeHook(t, d, "pre-commit", "echo 'lint: manifest.toml is not formatted' >&2\nexit 1\n")
				return d
			},
			wantErr: "lint: manifest.toml is not formatted",
		},
		{
			name: "signing program fails",
			prepare: func(t *testing.T) string {
				d := committedRepo(t, "")
				runGit(t, d, "config", "commit.gpgsign", "true")
				runGit(t, d, "config", "gpg.program", writeScript(t, "gpg", "echo 'gpg: signing failed: No pinentry' >&2\nexit 2\n"))
				return d
			},
			wantErr: "gpg failed to sign the data",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.prepare(t)
			head := runGit(t, dir, "rev-parse", "HEAD")
			res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusMigrated, Changes: projectChanges}}}
			if err := Apply(dir, res.Changes()); err != nil {
				t.Fatal(err)
			}
			before := runGit(t, dir, "status", "--porcelain")
			hashes, err := Commit(dir, res, CommitOptions{})
			var gerr *GitError
			if !errors.As(err, &gerr) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Commit = %q, %v; want a GitError with %q", hashes, err, tc.wantErr)
			}
			if runGit(t, dir, "rev-parse", "HEAD") != head {
				t.Error("HEAD moved")
			}
			if tc.check != nil {
				tc.check(t, dir)
			}
			if after := runGit(t, dir, "status", "--porcelain"); after != before {
				t.Errorf("status after the refusal:\n%s\nwant as before:\n%s", after, before)
			}
		})
	}
}

// writeHook installs an executable hook script in a repository.
func writeHook(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, ".git", "hooks", name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// writeScript writes an executable shell script to a new folder and
// returns its path.
func writeScript(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCommitHonoursGitConfig checks that what the user configured for
// commits applies to the migration's commit as to any other: signing,
// hooks and attribute filters. Another staged change stays staged and out
// of the commit, and git fsck is clean after it.
func TestCommitHonoursGitConfig(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		check func(t *testing.T, dir string)
	}{
		{
			name: "commit.gpgsign with a stand-in signing program",
			setup: func(t *testing.T, dir string) {
				// git hands the commit to gpg.program on stdin and reads the
				// signature from stdout and the status line from fd 2.
				log := filepath.Join(t.TempDir(), "signed")
				gpg := writeScript(t, "fake-gpg", `cat > "`+log+`"
echo "[GNUPG:] SIG_CREATED D 1 8 00 1700000000 FAKE" >&2
printf -- '-----BEGIN PGP SIGNATURE-----\n\nZmFrZSBzaWduYXR1cmU=\n-----END PGP SIGNATURE-----\n'
`)
				runGit(t, dir, "config", "commit.gpgsign", "true")
				runGit(t, dir, "config", "gpg.program", gpg)
				t.Setenv("FAKE_GPG_LOG", log)
			},
			check: func(t *testing.T, dir string) {
				raw := runGit(t, dir, "cat-file", "commit", "HEAD")
				if !strings.Contains(raw, "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n ZmFrZSBzaWduYXR1cmU=\n -----END PGP SIGNATURE-----\n") {
					t.Errorf("the commit carries no signature:\n%s", raw)
				}
				signed := readFile(t, os.Getenv("FAKE_GPG_LOG"))
				if !strings.Contains(signed, "Migrate to a Flox environment") || strings.Contains(signed, "gpgsig") {
					t.Errorf("the signing program signed %q, want the unsigned commit", signed)
				}
			},
		},
		{
			name: "pre-commit hook sees exactly the migration staged",
			setup: func(t *testing.T, dir string) {
				log := filepath.Join(t.TempDir(), "hook.log")
				writeHook(t, dir, "pre-commit", `git diff --cached --name-only > "`+log+`"`+"\n")
				t.Setenv("HOOK_LOG", log)
			},
			check: func(t *testing.T, dir string) {
				got := strings.Fields(readFile(t, os.Getenv("HOOK_LOG")))
				if !reflect.DeepEqual(got, projectCommitted) {
					t.Errorf("the hook saw staged %q, want %q", got, projectCommitted)
				}
			},
		},
		{
			name: "commit-msg hook edits the message",
			setup: func(t *testing.T, dir string) {
				writeHook(t, dir, "commit-msg", `printf '\nReviewed-by: hook\n' >> "$1"`+"\n")
			},
			check: func(t *testing.T, dir string) {
				if got := runGit(t, dir, "log", "-1", "--format=%(trailers:key=Reviewed-by,valueonly)"); got != "hook" {
					t.Errorf("trailer = %q, want the hook's", got)
				}
			},
		},
		{
			name: "clean filter from .gitattributes",
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{".git/info/attributes": "*.toml filter=shout\n"})
				runGit(t, dir, "config", "filter.shout.clean", "tr a-z A-Z")
				runGit(t, dir, "config", "filter.shout.smudge", "cat")
			},
			check: func(t *testing.T, dir string) {
				if got := runGit(t, dir, "cat-file", "-p", "HEAD:.flox/env/manifest.toml"); !strings.HasPrefix(got, "VERSION = 1") {
					t.Errorf("the committed manifest did not go through the clean filter:\n%s", got)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := committedRepo(t, "")
			writeFiles(t, dir, map[string]string{"notes.md": "staged, not part of the migration\n"})
			runGit(t, dir, "add", "notes.md")
			tc.setup(t, dir)
			res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusMigrated, Changes: projectChanges}}}
			if err := Apply(dir, res.Changes()); err != nil {
				t.Fatal(err)
			}
			if err := CheckCommit(dir, res, CommitOptions{}); err != nil {
				t.Fatal(err)
			}
			hashes, err := Commit(dir, res, CommitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(hashes) != 1 || runGit(t, dir, "rev-parse", "HEAD") != hashes[0] {
				t.Fatalf("hashes = %q, want one: HEAD", hashes)
			}
			assertGitAgrees(t, dir, projectCommitted, "A  notes.md")
			tc.check(t, dir)
		})
	}
}

// Repositories with sha256 object names are git's to handle: the commit
// works as in any other.
func TestCommitSHA256Repository(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	writeProject(t, dir, "")
	cmd := exec.Command("git", "init", "-q", "-b", "main", "--object-format=sha256", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("git cannot make sha256 repositories: %s", out)
	}
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "initial")
	res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusMigrated, Changes: projectChanges}}}
	if err := CheckClean(dir, projectChanges); err != nil {
		t.Fatalf("CheckClean = %v", err)
	}
	if err := Apply(dir, res.Changes()); err != nil {
		t.Fatal(err)
	}
	hashes, err := Commit(dir, res, CommitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hashes) != 1 || len(hashes[0]) != 64 {
		t.Errorf("hashes = %q, want one sha256 name", hashes)
	}
	assertGitAgrees(t, dir, projectCommitted, "")
}

// A migration already committed by hand leaves nothing to commit.
func TestCommitAlreadyCommitted(t *testing.T) {
	dir := committedRepo(t, "")
	res := &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusMigrated, Changes: projectChanges}}}
	if err := Apply(dir, res.Changes()); err != nil {
		t.Fatal(err)
	}
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "by hand")
	head := runGit(t, dir, "rev-parse", "HEAD")
	hashes, err := Commit(dir, res, CommitOptions{})
	if err != nil || len(hashes) != 0 {
		t.Errorf("Commit = %q, %v; want nothing", hashes, err)
	}
	if runGit(t, dir, "rev-parse", "HEAD") != head {
		t.Error("HEAD moved")
	}
}
