package migrate

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/venv2flox/venv2flox/rewrite"
)

// writeFiles creates files under dir from slash paths; names ending in "/"
// are folders.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// leftoverTemps lists Apply's temporary files (.NAME.venv2flox-*) under the
// given folders.
func leftoverTemps(t testing.TB, dirs ...string) []string {
	t.Helper()
	var out []string
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasPrefix(d.Name(), ".") && strings.Contains(d.Name(), ".venv2flox-") {
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestApplyWritesBytesAndModes checks that Apply writes exactly the bytes
// it is given (BOM, CRLF, missing final newline), keeps an executable
// script executable, and creates new files and their folders.
func TestApplyWritesBytesAndModes(t *testing.T) {
	root := t.TempDir()
	oldScript := "\xef\xbb\xbf#!/bin/sh\r\npython -m venv .venv\r\n. .venv/bin/activate"
	newScript := "\xef\xbb\xbf#!/bin/sh\r\nflox activate -- true"
	oldMake := "test:\n\t.venv/bin/pytest\n"
	newMake := "test:\n\tflox activate -- pytest\n"
	writeFiles(t, root, map[string]string{"run.sh": oldScript, "Makefile": oldMake, "README.md": "same\n"})
	if err := os.Chmod(filepath.Join(root, "run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	changes := []rewrite.FileChange{
		{Path: "run.sh", Old: []byte(oldScript), New: []byte(newScript), Mode: 0o755},
		{Path: "Makefile", Old: []byte(oldMake), New: []byte(newMake), Mode: 0o644},
		// Unchanged files are not written at all (their mtime stays).
		{Path: "README.md", Old: []byte("same\n"), New: []byte("same\n"), Mode: 0o600},
		{Path: ".flox/env/manifest.toml", New: []byte("version = 1\n"), Mode: 0o644, Created: true},
		{Path: ".flox/env.json", New: []byte("{}\n"), Created: true}, // no mode: 0644
	}
	readmeBefore, _ := os.Stat(filepath.Join(root, "README.md"))
	if err := Apply(root, changes); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, content string
		mode          fs.FileMode
	}{
		{"run.sh", newScript, 0o755},
		{"Makefile", newMake, 0o644},
		{"README.md", "same\n", 0o644},
		{".flox/env/manifest.toml", "version = 1\n", 0o644},
		{".flox/env.json", "{}\n", 0o644},
	} {
		p := filepath.Join(root, filepath.FromSlash(tc.path))
		if got := readFile(t, p); got != tc.content {
			t.Errorf("%s = %q, want %q", tc.path, got, tc.content)
		}
		if info, _ := os.Stat(p); info.Mode().Perm() != tc.mode {
			t.Errorf("%s mode = %v, want %v", tc.path, info.Mode().Perm(), tc.mode)
		}
	}
	if after, _ := os.Stat(filepath.Join(root, "README.md")); !after.ModTime().Equal(readmeBefore.ModTime()) {
		t.Error("an unchanged file was rewritten")
	}
	if left := leftoverTemps(t, root); len(left) > 0 {
		t.Errorf("temporary files left behind: %q", left)
	}
}

// TestApplyFailureLeavesEveryFileWhole makes one change of a batch fail in
// each way a write can fail (as root, so permission bits cannot be used:
// the failures come from the file system's shape instead) and checks that
// every file still holds its old content, the WriteError names all of them
// as unwritten, no temporary file is left, and nothing outside the root
// was touched.
func TestApplyFailureLeavesEveryFileWhole(t *testing.T) {
	const oldA, newA = "a: old\n", "a: new\n"
	const oldB, newB = "b: old\r\n", "b: new\r\n"
	tests := []struct {
		name    string
		setup   func(t *testing.T, root, outside string) rewrite.FileChange
		wantErr string
		errno   error // the underlying errno, when the OS produced the error
	}{
		{
			name: "parent is a regular file",
			setup: func(t *testing.T, root, _ string) rewrite.FileChange {
				writeFiles(t, root, map[string]string{"docs": "not a folder\n"})
				return rewrite.FileChange{Path: "docs/README.md", New: []byte("x\n"), Created: true}
			},
			wantErr: "docs/README.md: docs is not a folder",
		},
		{
			name: "name too long",
			setup: func(t *testing.T, root, _ string) rewrite.FileChange {
				return rewrite.FileChange{Path: strings.Repeat("n", 300) + ".md", New: []byte("x\n"), Created: true}
			},
			errno: syscall.ENAMETOOLONG,
		},
		{
			name: "file changed since it was read",
			setup: func(t *testing.T, root, _ string) rewrite.FileChange {
				writeFiles(t, root, map[string]string{"Makefile": "edited by someone\n"})
				return rewrite.FileChange{Path: "Makefile", Old: []byte("as read\n"), New: []byte("x\n")}
			},
			wantErr: "Makefile: changed since it was read; not overwritten",
		},
		{
			name: "file removed since it was read",
			setup: func(t *testing.T, root, _ string) rewrite.FileChange {
				return rewrite.FileChange{Path: "gone.sh", Old: []byte("as read\n"), New: []byte("x\n")}
			},
			wantErr: "gone.sh: was removed since it was read",
		},
		{
			name: "created file appeared meanwhile",
			setup: func(t *testing.T, root, _ string) rewrite.FileChange {
				writeFiles(t, root, map[string]string{".envrc": "mine\n"})
				return rewrite.FileChange{Path: ".envrc", New: []byte("use flox\n"), Created: true}
			},
			wantErr: ".envrc: appeared since the plan was made",
		},
		{
			name: "target became a symlink to a file outside",
			setup: func(t *testing.T, root, outside string) rewrite.FileChange {
				writeFiles(t, outside, map[string]string{"secret": "as read\n"})
				if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "setup.sh")); err != nil {
					t.Fatal(err)
				}
				return rewrite.FileChange{Path: "setup.sh", Old: []byte("as read\n"), New: []byte("x\n")}
			},
			wantErr: "setup.sh: not a regular file; not written",
		},
		{
			name: "folder is a symlink to outside",
			setup: func(t *testing.T, root, outside string) rewrite.FileChange {
				writeFiles(t, outside, map[string]string{"ci/build.sh": "as read\n"})
				if err := os.Symlink(filepath.Join(outside, "ci"), filepath.Join(root, "ci")); err != nil {
					t.Fatal(err)
				}
				return rewrite.FileChange{Path: "ci/build.sh", Old: []byte("as read\n"), New: []byte("x\n")}
			},
			wantErr: "ci/build.sh: ci is a symbolic link; not written through",
		},
		{
			name: "path leaves the root",
			setup: func(t *testing.T, root, outside string) rewrite.FileChange {
				return rewrite.FileChange{Path: "../" + filepath.Base(outside) + "/x", New: []byte("x\n"), Created: true}
			},
			wantErr: "path leaves the project root",
		},
		{
			name: "absolute path",
			setup: func(t *testing.T, root, outside string) rewrite.FileChange {
				return rewrite.FileChange{Path: filepath.Join(outside, "x"), New: []byte("x\n"), Created: true}
			},
			wantErr: "path leaves the project root",
		},
		{
			name: "target is a folder",
			setup: func(t *testing.T, root, _ string) rewrite.FileChange {
				writeFiles(t, root, map[string]string{"requirements.txt/": ""})
				return rewrite.FileChange{Path: "requirements.txt", Old: []byte("x\n"), New: []byte("y\n")}
			},
			wantErr: "requirements.txt: not a regular file",
		},
	}
	for _, tc := range tests {
		// The failing change comes last (temporary files of the others
		// exist and must be removed) and first (nothing was staged yet).
		for _, failFirst := range []bool{false, true} {
			name := tc.name
			if failFirst {
				name += "/first"
			}
			t.Run(name, func(t *testing.T) {
				base := t.TempDir()
				root, outside := filepath.Join(base, "project"), filepath.Join(base, "outside")
				writeFiles(t, root, map[string]string{"a.txt": oldA, "sub/b.txt": oldB})
				writeFiles(t, outside, map[string]string{"keep": "outside\n"})
				bad := tc.setup(t, root, outside)
				good := []rewrite.FileChange{
					{Path: "a.txt", Old: []byte(oldA), New: []byte(newA), Mode: 0o644},
					{Path: "sub/b.txt", Old: []byte(oldB), New: []byte(newB), Mode: 0o755},
					{Path: ".flox/env.json", New: []byte("{}\n"), Mode: 0o644, Created: true},
				}
				changes := append(append([]rewrite.FileChange{}, good...), bad)
				if failFirst {
					changes = append([]rewrite.FileChange{bad}, good...)
				}
				outsideBefore := snapshotDir(t, outside)

				err := Apply(root, changes)
				var werr *WriteError
				if !errors.As(err, &werr) {
					t.Fatalf("Apply = %v, want a *WriteError", err)
				}
				if tc.wantErr != "" && !strings.Contains(werr.Err.Error(), tc.wantErr) {
					t.Errorf("error = %q, want it to contain %q", werr.Err, tc.wantErr)
				}
				if tc.errno != nil && !errors.Is(err, tc.errno) {
					t.Errorf("error = %v, want %v", err, tc.errno)
				}
				if len(werr.Written) != 0 {
					t.Errorf("Written = %q, want none", werr.Written)
				}
				want := []string{}
				for _, c := range changes {
					want = append(want, c.Path)
				}
				if !reflect.DeepEqual(werr.Unwritten, want) {
					t.Errorf("Unwritten = %q, want %q", werr.Unwritten, want)
				}
				if got := readFile(t, filepath.Join(root, "a.txt")); got != oldA {
					t.Errorf("a.txt = %q, want the old content", got)
				}
				if got := readFile(t, filepath.Join(root, "sub", "b.txt")); got != oldB {
					t.Errorf("sub/b.txt = %q, want the old content", got)
				}
				if _, err := os.Lstat(filepath.Join(root, ".flox")); err == nil {
					t.Error(".flox was created by a failed Apply (the next run would take it for an existing environment)")
				}
				if left := leftoverTemps(t, base); len(left) > 0 {
					t.Errorf("temporary files left behind: %q", left)
				}
				if !reflect.DeepEqual(snapshotDir(t, outside), outsideBefore) {
					t.Error("a file outside the root changed")
				}
			})
		}
	}
}

// TestApplyRenameFailureSaysWhatWasWritten makes a rename fail after an
// earlier one succeeded: a created file "notes" and a created file
// "notes/todo.md" cannot both exist, and the clash is only found when the
// file is renamed over the folder made for the other. The WriteError must
// list the first file as written and the rest as unwritten, and both must
// be whole.
func TestApplyRenameFailureSaysWhatWasWritten(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"a.txt": "old\n"})
	changes := []rewrite.FileChange{
		{Path: "a.txt", Old: []byte("old\n"), New: []byte("new\n"), Mode: 0o644},
		{Path: "notes", New: []byte("a file\n"), Mode: 0o644, Created: true},
		{Path: "notes/todo.md", New: []byte("- x\n"), Mode: 0o644, Created: true},
	}
	err := Apply(root, changes)
	var werr *WriteError
	if !errors.As(err, &werr) {
		t.Fatalf("Apply = %v, want a *WriteError", err)
	}
	if !reflect.DeepEqual(werr.Written, []string{"a.txt"}) || !reflect.DeepEqual(werr.Unwritten, []string{"notes", "notes/todo.md"}) {
		t.Errorf("Written = %q, Unwritten = %q", werr.Written, werr.Unwritten)
	}
	if !strings.Contains(err.Error(), "already written: a.txt") || !strings.Contains(err.Error(), "left unchanged: notes, notes/todo.md") {
		t.Errorf("message %q does not say which files were written", err)
	}
	if got := readFile(t, filepath.Join(root, "a.txt")); got != "new\n" {
		t.Errorf("a.txt = %q, want the new content", got)
	}
	if left := leftoverTemps(t, root); len(left) > 0 {
		t.Errorf("temporary files left behind: %q", left)
	}
}

// TestApplyIsIdempotent applies the same change twice: the second time the
// file no longer holds Old and is refused, not rewritten.
func TestApplyIsIdempotent(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"x.sh": "old\n"})
	c := []rewrite.FileChange{{Path: "x.sh", Old: []byte("old\n"), New: []byte("new\n"), Mode: 0o644}}
	if err := Apply(root, c); err != nil {
		t.Fatal(err)
	}
	if err := Apply(root, c); err == nil || !strings.Contains(err.Error(), "changed since it was read") {
		t.Errorf("second Apply = %v, want a refusal", err)
	}
	if err := Apply(root, nil); err != nil {
		t.Errorf("Apply(nil) = %v", err)
	}
}

// snapshotDir maps every path under dir to its content (or "<dir>",
// "<link>target").
func snapshotDir(t testing.TB, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			snap[rel] = "<link>" + target
		case d.IsDir():
			snap[rel] = "<dir>"
		default:
			info, _ := d.Info()
			snap[rel] = readFile(t, p) + "|" + info.Mode().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// FuzzApplyStaysInRoot applies a created and a modified file at arbitrary
// paths: whatever the path, nothing may be written outside the root and no
// temporary file may be left behind.
func FuzzApplyStaysInRoot(f *testing.F) {
	for _, p := range []string{"a.txt", "../outside/keep", "/etc/x", "sub/../../x", "link/x", "a\x00b", "..", ".", "", "sub/./x/", strings.Repeat("d/", 200) + "x"} {
		f.Add(p, "x.txt")
	}
	f.Fuzz(func(t *testing.T, created, modified string) {
		base := t.TempDir()
		root, outside := filepath.Join(base, "root"), filepath.Join(base, "outside")
		writeFiles(t, root, map[string]string{"x.txt": "old\n"})
		writeFiles(t, outside, map[string]string{"keep": "outside\n"})
		if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
			t.Fatal(err)
		}
		before := snapshotDir(t, outside)
		_ = Apply(root, []rewrite.FileChange{
			{Path: created, New: []byte("new\n"), Created: true},
			{Path: modified, Old: []byte("old\n"), New: []byte("new\n")},
		})
		if !reflect.DeepEqual(snapshotDir(t, outside), before) {
			t.Fatalf("Apply(%q, %q) wrote outside the root", created, modified)
		}
		entries, _ := os.ReadDir(base)
		if len(entries) != 2 {
			t.Fatalf("Apply(%q, %q) created %d entries beside the root", created, modified, len(entries)-2)
		}
		if left := leftoverTemps(t, base); len(left) > 0 {
			t.Fatalf("temporary files left: %q", left)
		}
	})
}
