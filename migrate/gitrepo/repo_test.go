package gitrepo

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/venv2flox/venv2flox/migrate/gitrepo/gittest"
)

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newRepo makes a repository with one commit holding a small project.
func newRepo(t *testing.T) string {
	t.Helper()
	gittest.Isolate(t)
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "requirements.txt"), "requests==2.32.3\n")
	write(t, filepath.Join(dir, "services", "api", "Makefile"), "test:\n\t.venv/bin/pytest\n")
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "initial")
	return dir
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name string
		// layout makes the folders and returns the folder to open and the
		// work tree top and common git folder Open must find ("" = none).
		layout  func(t *testing.T) (open, top, common string)
		wantErr string
	}{
		{
			name: "nested folder of a repository",
			layout: func(t *testing.T) (string, string, string) {
				d := newRepo(t)
				return filepath.Join(d, "services", "api"), d, filepath.Join(d, ".git")
			},
		},
		{
			name: "not in a repository",
			layout: func(t *testing.T) (string, string, string) {
				gittest.Isolate(t)
				return t.TempDir(), "", ""
			},
		},
		{
			name: "linked work tree",
			layout: func(t *testing.T) (string, string, string) {
				d := newRepo(t)
				wt := filepath.Join(filepath.Dir(d), filepath.Base(d)+"-wt")
				t.Cleanup(func() { os.RemoveAll(wt) })
				gittest.Git(t, d, "worktree", "add", "-q", "-b", "feature", wt)
				return filepath.Join(wt, "services"), wt, filepath.Join(d, ".git")
			},
		},
		{
			name: ".git file with a relative gitdir",
			layout: func(t *testing.T) (string, string, string) {
				d := newRepo(t)
				store := filepath.Join(filepath.Dir(d), filepath.Base(d)+"-store.git")
				t.Cleanup(func() { os.RemoveAll(store) })
				if err := os.Rename(filepath.Join(d, ".git"), store); err != nil {
					t.Fatal(err)
				}
				write(t, filepath.Join(d, ".git"), "gitdir: ../"+filepath.Base(store)+"\n")
				return d, d, store
			},
		},
		{
			name: "a .git folder without HEAD is not a repository",
			layout: func(t *testing.T) (string, string, string) {
				d := newRepo(t)
				sub := filepath.Join(d, "services", "api")
				if err := os.MkdirAll(filepath.Join(sub, ".git", "objects"), 0o755); err != nil {
					t.Fatal(err)
				}
				return sub, d, filepath.Join(d, ".git")
			},
		},
		{
			name: ".git file naming a missing folder",
			layout: func(t *testing.T) (string, string, string) {
				gittest.Isolate(t)
				d := t.TempDir()
				write(t, filepath.Join(d, ".git"), "gitdir: /nonexistent/repo.git\n")
				return d, "", ""
			},
			wantErr: "is missing",
		},
		{
			name: "sha256 repository",
			layout: func(t *testing.T) (string, string, string) {
				gittest.Isolate(t)
				d := t.TempDir()
				if out, err := exec.Command("git", "init", "-q", "--object-format=sha256", d).CombinedOutput(); err != nil {
					t.Skipf("git cannot make sha256 repositories: %s", out)
				}
				return d, "", ""
			},
			wantErr: "sha256",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, top, common := tc.layout(t)
			r, err := Open(dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Open = %v, want an error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if top == "" {
				if r != nil {
					t.Fatalf("Open found %s, want no repository", r.Top())
				}
				return
			}
			if r == nil {
				t.Fatal("Open found no repository")
			}
			defer r.Close()
			if r.Top() != top || r.commonDir != common {
				t.Errorf("top %s, common %s; want %s, %s", r.Top(), r.commonDir, top, common)
			}
			e, found, err := r.HeadFile("services/api/Makefile")
			if err != nil || !found {
				t.Fatalf("HeadFile = %v, %v, %v", e, found, err)
			}
			if want := gittest.Git(t, top, "rev-parse", "HEAD:services/api/Makefile"); e.Hash.String() != want {
				t.Errorf("HeadFile hash %s, git says %s", e.Hash, want)
			}
		})
	}
}

func TestRel(t *testing.T) {
	dir := newRepo(t)
	if err := os.Symlink(filepath.Join(dir, "services", "api"), filepath.Join(dir, "api")); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil || r == nil {
		t.Fatalf("Open = %v, %v", r, err)
	}
	defer r.Close()
	tests := []struct{ path, want, wantErr string }{
		{path: filepath.Join(dir, "requirements.txt"), want: "requirements.txt"},
		{path: filepath.Join(dir, "api", "Makefile"), want: "services/api/Makefile"},
		{path: filepath.Join(dir, "services", ".flox", "env.json"), want: "services/.flox/env.json"},
		{path: filepath.Join(filepath.Dir(dir), "elsewhere"), wantErr: "not a file inside"},
	}
	for _, tc := range tests {
		got, err := r.Rel(tc.path)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Rel(%s) = %q, %v; want an error", tc.path, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Rel(%s) = %q, %v; want %q", tc.path, got, err, tc.want)
		}
	}
}

// With index.skipHash git leaves the index checksum zero.
func TestIndexWithoutChecksum(t *testing.T) {
	dir := newRepo(t)
	p := filepath.Join(dir, ".git", "index")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	copy(data[len(data)-20:], make([]byte, 20))
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, _ := Open(dir)
	defer r.Close()
	idx, err := r.Index()
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := IndexEntry(idx, "services/api/Makefile"); e == nil || e.Hash.String() != gittest.Git(t, dir, "rev-parse", "HEAD:services/api/Makefile") {
		t.Errorf("entry = %v", e)
	}
}

func TestCheckBranchName(t *testing.T) {
	for name, ok := range map[string]bool{
		"flox-migration": true, "flox/migrate-2024": true, "user/ada/flox": true,
		"": false, "HEAD": false, "-x": false, "a..b": false, "a b": false, "a~1": false,
		"a^": false, "a:b": false, "a?": false, "a*": false, "a[b": false, `a\b`: false,
		"a/": false, "a.": false, "a//b": false, ".hidden": false, "a/.b": false,
		"x.lock": false, "a/x.lock/b": false, "a@{1}": false, "@": false, "a\tb": false,
	} {
		if err := checkBranchName(name); (err == nil) != ok {
			t.Errorf("checkBranchName(%q) = %v, want ok %v", name, err, ok)
		}
	}
}

// encodeCommit must produce what git itself hashes (and its fsck accepts)
// for the same commit, time zones included.
func TestEncodeCommitMatchesGit(t *testing.T) {
	gittest.Isolate(t)
	dir := t.TempDir()
	gittest.Git(t, dir, "init", "-q")
	parent := plumbing.NewHash("5716ca5987cbf97d6bb54920bea6adde242d87e6")
	tests := []struct {
		name    string
		who     Signature
		message string
		parents []plumbing.Hash
		header  string
	}{
		{
			name:    "root commit east of UTC",
			who:     Signature{"Ada Lovelace", "ada@example.com", time.Date(2024, 3, 1, 9, 30, 0, 0, time.FixedZone("", 5*3600+30*60))},
			message: "Migrate to a Flox environment\n\nCreated by venv2flox.\n",
			header:  "author Ada Lovelace <ada@example.com> 1709265600 +0530",
		},
		{
			name:    "with a parent, west of UTC, message without final newline",
			who:     Signature{"Grace <Hopper>", "grace@example.com\n", time.Date(2024, 3, 1, 9, 30, 0, 0, time.FixedZone("", -(3*3600+30*60)))},
			message: "Use Flox",
			parents: []plumbing.Hash{parent},
			header:  "author Grace Hopper <grace@example.com> 1709298000 -0330",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := encodeCommit(treeC, tc.parents, tc.who, tc.who, tc.message)
			if !strings.Contains(string(data), "\n"+tc.header+"\n") {
				t.Errorf("commit lacks %q:\n%s", tc.header, data)
			}
			cmd := exec.Command("git", "hash-object", "-t", "commit", "--stdin")
			cmd.Dir = dir
			cmd.Stdin = strings.NewReader(string(data))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("git hash-object refused the commit: %v\n%s", err, out)
			}
			if got := plumbing.ComputeHash(plumbing.CommitObject, data).String(); got != strings.TrimSpace(string(out)) {
				t.Errorf("hash %s, git says %s", got, out)
			}
			if tree, err := commitTree(data); err != nil || tree != treeC {
				t.Errorf("commitTree = %s, %v", tree, err)
			}
		})
	}
}

// A ref that moved since it was read is left alone, lock file included.
func TestUpdateRefRefusesAMovedRef(t *testing.T) {
	dir := newRepo(t)
	r, _ := Open(dir)
	defer r.Close()
	head := gittest.Git(t, dir, "rev-parse", "HEAD")
	stale := plumbing.NewHash("5716ca5987cbf97d6bb54920bea6adde242d87e6")
	err := r.updateRef("refs/heads/main", stale, stale, Signature{Name: "t", Email: "t@example.com"}, "commit: x", true)
	if err == nil || !strings.Contains(err.Error(), "moved") {
		t.Errorf("updateRef = %v, want a refusal", err)
	}
	if gittest.Git(t, dir, "rev-parse", "main") != head {
		t.Error("main changed")
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "refs", "heads", "main.lock")); !errors.Is(err, os.ErrNotExist) {
		t.Error("the lock file was left behind")
	}
}

// Commit on a repository git packed: blobs already stored in the pack are
// not written again, and git reads the new commit.
func TestCommitReusesPackedBlobs(t *testing.T) {
	dir := newRepo(t)
	gittest.Git(t, dir, "gc", "-q")
	write(t, filepath.Join(dir, ".flox", "env.json"), "{}\n")
	r, _ := Open(dir)
	defer r.Close()
	h, err := r.Commit([]string{"requirements.txt", ".flox/env.json"}, "Add env.json", Signature{"T", "t@example.com", time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if got := gittest.Git(t, dir, "count-objects"); !strings.HasPrefix(got, "4 objects") { // the new blob, the root and .flox trees, the commit
		t.Errorf("count-objects = %q, want the blob, two trees and the commit", got)
	}
	if gittest.Git(t, dir, "rev-parse", "HEAD") != h.String() || gittest.Git(t, dir, "fsck", "--strict", "--no-dangling") != "" {
		t.Error("git does not agree")
	}
}

// git gc moves branches into packed-refs; they still exist.
func TestCreateBranchSeesPackedRefs(t *testing.T) {
	dir := newRepo(t)
	gittest.Git(t, dir, "branch", "flox")
	gittest.Git(t, dir, "gc", "-q")
	if _, err := os.Stat(filepath.Join(dir, ".git", "refs", "heads", "flox")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("git gc left the branch loose")
	}
	r, _ := Open(dir)
	defer r.Close()
	who := Signature{"T", "t@example.com", time.Now()}
	if err := r.CreateBranch("flox", who); !errors.Is(err, ErrBranchExists) {
		t.Errorf("CreateBranch(flox) = %v, want ErrBranchExists", err)
	}
	if err := r.CreateBranch("flox-2", who); err != nil {
		t.Fatal(err)
	}
	if gittest.Git(t, dir, "rev-parse", "--abbrev-ref", "HEAD") != "flox-2" || gittest.Git(t, dir, "rev-parse", "flox-2") != gittest.Git(t, dir, "rev-parse", "main") {
		t.Error("flox-2 is not checked out at main's commit")
	}
	if got := gittest.Git(t, dir, "reflog", "-1", "--format=%gs", "HEAD"); got != "checkout: moving from main to flox-2" {
		t.Errorf("HEAD reflog = %q", got)
	}
}

// Objects git stored as deltas in a pack read back whole, as git cat-file
// prints them; loose ones too.
func TestReadObjectsLooseAndPacked(t *testing.T) {
	dir := newRepo(t)
	var lines []string
	for i := 0; i < 12; i++ {
		lines = append(lines, "requests==2.32."+string(rune('0'+i%10)), "# pinned for the api service")
		write(t, filepath.Join(dir, "requirements.txt"), strings.Join(lines, "\n")+"\n")
		gittest.Git(t, dir, "commit", "-q", "-am", "pin")
	}
	blobs := strings.Fields(gittest.Git(t, dir, "log", "--format=", "--raw", "--no-abbrev", "--", "requirements.txt"))
	var hashes []string
	for _, f := range blobs {
		if plumbing.IsHash(f) && f != plumbing.ZeroHash.String() {
			hashes = append(hashes, f)
		}
	}
	check := func(stage string) {
		r, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for _, h := range hashes {
			got, err := r.readObject(plumbing.BlobObject, plumbing.NewHash(h))
			if err != nil {
				t.Fatalf("%s: %v", stage, err)
			}
			if want := gittest.Git(t, dir, "cat-file", "blob", h); strings.TrimSpace(string(got)) != want {
				t.Errorf("%s: blob %s differs from git cat-file", stage, h)
			}
		}
		if _, err := r.readObject(plumbing.TreeObject, plumbing.NewHash(hashes[0])); err == nil {
			t.Errorf("%s: a blob read as a tree", stage)
		}
	}
	check("loose")
	gittest.Git(t, dir, "gc", "-q", "--aggressive")
	if !strings.Contains(gittest.Git(t, dir, "verify-pack", "-v", firstPack(t, dir)), "chain length") {
		t.Fatal("git stored no deltas")
	}
	check("packed")
}

func firstPack(t *testing.T, dir string) string {
	t.Helper()
	idx, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	if len(idx) == 0 {
		t.Fatal("no pack")
	}
	return idx[0]
}
