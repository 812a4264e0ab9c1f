package migrate

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/fixtures"
	"github.com/venv2flox/venv2flox/rewrite"
)

// prepareDir runs Prepare over a folder on disk, failing the test when it
// takes too long (a FIFO opened for reading or a symlink cycle followed
// would hang it).
func prepareDir(t *testing.T, dir string, opts Options) (*Result, error) {
	t.Helper()
	if opts.RootName == "" {
		opts.RootName = filepath.Base(dir)
	}
	type out struct {
		res *Result
		err error
	}
	ch := make(chan out, 1)
	go func() {
		res, err := Prepare(os.DirFS(dir), opts)
		ch <- out{res, err}
	}()
	select {
	case o := <-ch:
		return o.res, o.err
	case <-time.After(60 * time.Second):
		t.Fatal("Prepare did not finish (blocked on a special file or looping over symlinks?)")
		return nil, nil
	}
}

func findProject(res *Result, dir string) *ProjectResult {
	for _, p := range res.Projects {
		if p.Dir == dir {
			return p
		}
	}
	return nil
}

const safetyMakefile = "VENV = .venv\n\ntest:\n\t$(VENV)/bin/pytest\n"

// TestPrepareReportsBadInput gives a project one broken, hostile or
// unreadable file at a time. Each must become a Problem naming the file
// (and the line, for parse errors) while the project's other files are
// still read and the project is still migrated.
func TestPrepareReportsBadInput(t *testing.T) {
	deep := func(n int) string { return "jobs: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n" }
	tests := []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, dir string)
		// The Problem wanted: its path, whether it must have a line, and
		// text it must contain. An empty path means no Problem is needed
		// (the input is odd but harmless), only a migrated project.
		path, message string
		line          int // exact line; -1 = any line > 0; 0 = not checked
	}{
		{
			name:  "invalid TOML",
			files: map[string]string{"pyproject.toml": "[project]\nname = \"app\"\ndependencies = [\"flask\",\n[tool.ruff]\n"},
			path:  "pyproject.toml", line: -1,
		},
		{
			name:  "invalid JSON",
			files: map[string]string{"Pipfile.lock": "{\n  \"_meta\": {\n    \"hash\": {\"sha256\": \"00\"},\n  \"default\": {\n"},
			path:  "Pipfile.lock",
		},
		{
			name:  "invalid YAML workflow",
			files: map[string]string{".github/workflows/ci.yml": "name: ci\non: [push]\njobs:\n  test:\n    steps:\n      - run: pip install -r requirements.txt\n     - bad: indent\n"},
			path:  ".github/workflows/ci.yml", line: -1,
		},
		{
			name:  "10,000 levels of YAML",
			files: map[string]string{".github/workflows/deep.yml": deep(10000)},
		},
		{
			name:    "20,000 levels of YAML",
			files:   map[string]string{".github/workflows/deep.yml": deep(20000)},
			path:    ".github/workflows/deep.yml",
			message: "depth",
		},
		{
			name:    "binary file named like a config file",
			files:   map[string]string{"pyproject.toml": "[project]\x00\x00\x01\x02name"},
			path:    "pyproject.toml",
			message: "binary file",
		},
		{
			name:    "invalid UTF-8",
			files:   map[string]string{"scripts/setup.sh": "#!/bin/sh\necho caf\xe9\npython -m venv .venv\n"},
			path:    "scripts/setup.sh",
			message: "not valid UTF-8",
		},
		{
			name: "file over MaxFileSize",
			setup: func(t *testing.T, dir string) {
				// A sparse file: the size check must come before any read.
				p := filepath.Join(dir, "requirements-dev.txt")
				if err := os.WriteFile(p, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Truncate(p, detect.MaxFileSize+1); err != nil {
					t.Fatal(err)
				}
			},
			path:    "requirements-dev.txt",
			message: "larger than 8 MiB",
		},
		{
			name: "FIFO named like a requirements file",
			setup: func(t *testing.T, dir string) {
				if err := syscall.Mkfifo(filepath.Join(dir, "requirements-test.txt"), 0o644); err != nil {
					t.Skip("no FIFOs here:", err)
				}
			},
			path:    "requirements-test.txt",
			message: "not a regular file",
		},
		{
			name: "FIFO named like a shell script without extension",
			setup: func(t *testing.T, dir string) {
				os.MkdirAll(filepath.Join(dir, "bin"), 0o755)
				if err := syscall.Mkfifo(filepath.Join(dir, "bin", "setup"), 0o644); err != nil {
					t.Skip("no FIFOs here:", err)
				}
			},
		},
		{
			// A link to nothing holds nothing to read or migrate.
			name: "dangling symlink",
			setup: func(t *testing.T, dir string) {
				if err := os.Symlink("missing.txt", filepath.Join(dir, "requirements-docs.txt")); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name:  "folder named like a requirements file",
			files: map[string]string{"requirements-ci.txt/": ""},
		},
		{
			name: "requirements include cycle",
			files: map[string]string{
				"requirements.txt":       "flask==3.0.3\n-r requirements-extra.txt\n",
				"requirements-extra.txt": "# extras\n-r requirements.txt\nrequests\n",
			},
			// The cycle is named once, at the line that closes it.
			path: "requirements.txt", line: 2, message: "include each other",
		},
		{
			name:  "include leaving the root",
			files: map[string]string{"requirements.txt": "flask==3.0.3\n-r ../../etc/passwd\n"},
			path:  "requirements.txt", line: 2, message: "leaves the project root",
		},
		{
			name:  "absolute include",
			files: map[string]string{"requirements.txt": "flask==3.0.3\n\n-c /etc/passwd\n"},
			path:  "requirements.txt", line: 3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"requirements.txt": "flask==3.0.3\n", "Makefile": safetyMakefile}
			for k, v := range tc.files {
				files[k] = v
			}
			writeFiles(t, dir, files)
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			res, err := prepareDir(t, dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			p := res.Projects[0]
			if p.Status == StatusFailed {
				t.Fatalf("project failed: %s; problems %v", p.Reason, p.Problems)
			}
			if !projectHasFile(p.Project, "Makefile") {
				t.Error("the good Makefile was not read")
			}
			for _, r := range p.Project.Requirements {
				if strings.Contains(r.Evidence.Path, "passwd") || strings.Contains(r.Name, "root") {
					t.Errorf("read a file outside the project: %+v", r)
				}
			}
			if tc.path == "" {
				return
			}
			var found *detect.Problem
			for i, pr := range p.Problems {
				if pr.Path == tc.path && (tc.message == "" || strings.Contains(pr.Message, tc.message)) {
					found = &p.Problems[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("no problem for %s containing %q; problems: %v", tc.path, tc.message, p.Problems)
			}
			if (tc.line == -1 && found.Line <= 0) || (tc.line > 0 && found.Line != tc.line) {
				t.Errorf("problem %v: want line %d (-1 = any)", found, tc.line)
			}
		})
	}
}

func projectHasFile(p *detect.Project, rel string) bool {
	for _, f := range p.Files {
		if f.Path == rel {
			return true
		}
	}
	return false
}

// TestPrepareRecursiveIsolatesFailures checks that in a monorepo a project
// that cannot be migrated fails alone.
func TestPrepareRecursiveIsolatesFailures(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a/requirements.txt": "flask==3.0.3\n",
		"b/pyproject.toml":   "\x00\x00binary",                        // its only marker cannot be read
		"c/pyproject.toml":   "[project]\nname = \"c\"\nbroken = [\n", // broken, but still a project
		"c/requirements.txt": "requests\n",
		"d/setup.py":         "from setuptools import setup\nsetup(name=\"d\", install_requires=[\"click\"])\n",
	})
	res, err := prepareDir(t, dir, Options{Recursive: true, Jobs: 3})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Projects {
		got = append(got, p.Dir+":"+string(p.Status))
	}
	want := []string{"a:migrated", "b:failed", "c:migrated", "d:migrated"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %q, want %q", got, want)
	}
	if b := findProject(res, "b"); b == nil || !errors.Is(b.Err, ErrNoProject) || b.Reason != ErrNoProject.Error() || len(b.Changes) != 0 {
		t.Errorf("b = %+v, want failed with no changes", b)
	}
	if !res.Failed() {
		t.Error("Failed() = false")
	}
	for _, c := range res.Changes() {
		if strings.HasPrefix(c.Path, "b/") {
			t.Errorf("change in the failed project: %s", c.Path)
		}
	}
}

func TestPrepareNoProject(t *testing.T) {
	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"README.md": "# notes\n", "src/main.go": "package main\n"})
	binary := t.TempDir()
	writeFiles(t, binary, map[string]string{"setup.cfg": "\x00"})
	for name, tc := range map[string]struct {
		dir       string
		recursive bool
	}{
		"no markers":            {empty, false},
		"no markers, recursive": {empty, true},
		"unreadable marker":     {binary, false},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := prepareDir(t, tc.dir, Options{Recursive: tc.recursive}); !errors.Is(err, ErrNoProject) {
				t.Errorf("Prepare = %v, want ErrNoProject", err)
			}
		})
	}
}

// TestPrepareStaysInsideTheRoot links files and folders to a place outside
// the project, and makes symlink cycles: nothing outside is read, nothing
// is planned through a link, and the run ends.
func TestPrepareStaysInsideTheRoot(t *testing.T) {
	base := t.TempDir()
	root, outside := filepath.Join(base, "app"), filepath.Join(base, "outside")
	writeFiles(t, root, map[string]string{"requirements.txt": "flask==3.0.3\n", "Makefile": safetyMakefile})
	writeFiles(t, outside, map[string]string{
		"secret.txt":     "secret-package==6.6.6\n",
		"docs/README.md": "# Outside\n\n```bash\npython -m venv .venv\nsource .venv/bin/activate\n```\n",
		"ci/ci.yml":      "jobs: {}\n",
	})
	for name, target := range map[string]string{
		"requirements-dev.txt": filepath.Join(outside, "secret.txt"),
		"docs":                 filepath.Join(outside, "docs"),
		".github":              filepath.Join(outside, "ci"),
		"loop":                 ".",
		"sub/up":               "..",
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755)
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, recursive := range []bool{false, true} {
		res, err := prepareDir(t, root, Options{Recursive: recursive})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Projects) != 1 {
			t.Fatalf("projects = %d, want 1", len(res.Projects))
		}
		p := res.Projects[0]
		for _, r := range p.Project.Requirements {
			if r.Name == "secret-package" {
				t.Errorf("read a requirement through a symlink: %+v", r)
			}
		}
		if !hasProblem(p, "requirements-dev.txt", "symbolic link") {
			t.Errorf("no problem for the symlinked requirements file: %v", p.Problems)
		}
		for _, c := range res.Changes() {
			first := strings.Split(c.Path, "/")[0]
			if first == "docs" || first == "loop" || first == "sub" || first == ".github" || strings.HasPrefix(c.Path, "..") || path.IsAbs(c.Path) {
				t.Errorf("change through a link: %s", c.Path)
			}
		}
		// And Apply writes nothing outside.
		if err := Apply(root, res.Changes()); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, filepath.Join(outside, "docs", "README.md")); !strings.Contains(got, "python -m venv") {
			t.Error("a file outside the root was rewritten")
		}
		if left := leftoverTemps(t, base); len(left) > 0 {
			t.Errorf("temporary files left: %q", left)
		}
		os.RemoveAll(filepath.Join(root, ".flox"))
	}
}

func hasProblem(p *ProjectResult, path, text string) bool {
	for _, pr := range p.Problems {
		if pr.Path == path && strings.Contains(pr.Message, text) {
			return true
		}
	}
	return false
}

// TestPrepareKeepsAnExistingEnvironment checks --force's contract: an
// existing, different .flox is left alone without it; with it the old
// manifest is backed up, never overwritten, even on a second --force.
func TestPrepareKeepsAnExistingEnvironment(t *testing.T) {
	const oldManifest = "version = 1\n\n[install]\npython3.pkg-path = \"python3\"\n"
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"requirements.txt":        "requests==2.32.3\n",
		".flox/env.json":          "{\n  \"name\": \"handmade\",\n  \"version\": 1\n}\n",
		".flox/env/manifest.toml": oldManifest,
	})
	res, err := prepareDir(t, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Projects[0]; p.Status != StatusSkipped || len(p.Changes) != 0 || !strings.Contains(p.Reason, "--force") {
		t.Fatalf("without --force: %s %q, %d changes; want skipped", p.Status, p.Reason, len(p.Changes))
	}

	res, err = prepareDir(t, dir, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	backup := changeFor(res, ".flox/env/manifest.toml.bak")
	if backup == nil || !backup.Created || string(backup.New) != oldManifest {
		t.Fatalf("with --force: backup change = %+v", backup)
	}
	if m := changeFor(res, ".flox/env/manifest.toml"); m == nil || string(m.Old) != oldManifest || m.Created {
		t.Fatalf("with --force: manifest change = %+v", m)
	}
	if err := Apply(dir, res.Changes()); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, ".flox/env/manifest.toml.bak")); got != oldManifest {
		t.Errorf("backup = %q", got)
	}

	// Migrated: nothing more to do, even with --force.
	res, err = prepareDir(t, dir, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Projects[0]; p.Status != StatusUnchanged || res.Pending() {
		t.Errorf("second run: %s, pending %v; want unchanged", p.Status, res.Pending())
	}

	// Someone edits the manifest; --force again must keep both backups.
	const edited = "version = 1\n\n[install]\nhello.pkg-path = \"hello\"\n"
	writeFiles(t, dir, map[string]string{".flox/env/manifest.toml": edited})
	res, err = prepareDir(t, dir, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(dir, res.Changes()); err != nil {
		t.Fatalf("second --force: %v", err)
	}
	if got := readFile(t, filepath.Join(dir, ".flox/env/manifest.toml.bak")); got != oldManifest {
		t.Errorf("the first backup was overwritten: %q", got)
	}
	if got := readFile(t, filepath.Join(dir, ".flox/env/manifest.toml.bak.1")); got != edited {
		t.Errorf("second backup = %q, want the edited manifest", got)
	}
}

func changeFor(res *Result, p string) *rewrite.FileChange {
	for _, c := range res.Changes() {
		if c.Path == p {
			return &c
		}
	}
	return nil
}

// TestPrepareApplyKeepsFileFormat migrates files with CRLF line ends, a
// byte-order mark, no final newline and an executable bit, and checks that
// what Apply wrote kept each of them.
func TestPrepareApplyKeepsFileFormat(t *testing.T) {
	dir := t.TempDir()
	readme := "\xef\xbb\xbf# Tool\r\n\r\n## Setup\r\n\r\n```bash\r\npython3 -m venv .venv\r\nsource .venv/bin/activate\r\npip install -r requirements.txt\r\npytest\r\n```\r\n\r\nDone."
	script := "#!/bin/sh\nset -e\npython3 -m venv .venv\n. .venv/bin/activate\npip install -r requirements.txt\nexec pytest \"$@\""
	writeFiles(t, dir, map[string]string{
		"requirements.txt":   "pytest\n",
		"README.md":          readme,
		"docs/setup.md":      strings.ReplaceAll(strings.TrimPrefix(readme, "\xef\xbb\xbf"), "\r\n", "\n") + "\n",
		"scripts/bootstrap":  script,
		"Makefile":           "VENV = .venv\r\ntest:\r\n\t$(VENV)/bin/pytest\r\n",
		"scripts/check.bash": script,
	})
	for _, s := range []string{"scripts/bootstrap", "scripts/check.bash", "README.md"} {
		if err := os.Chmod(filepath.Join(dir, s), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshotDir(t, dir)
	res, err := prepareDir(t, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(dir, res.Changes()); err != nil {
		t.Fatal(err)
	}
	modified := 0
	for _, c := range res.Changes() {
		if c.Created {
			continue
		}
		modified++
		old := before[filepath.FromSlash(c.Path)]
		oldMode := old[strings.LastIndex(old, "|")+1:]
		info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(c.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().String() != oldMode {
			t.Errorf("%s: mode %v, was %s", c.Path, info.Mode(), oldMode)
		}
		got := []byte(readFile(t, filepath.Join(dir, filepath.FromSlash(c.Path))))
		if !bytes.Equal(got, c.New) {
			t.Errorf("%s: written bytes differ from the change", c.Path)
		}
		if bytes.HasPrefix(c.Old, []byte("\xef\xbb\xbf")) != bytes.HasPrefix(got, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s: byte-order mark not kept", c.Path)
		}
		if bytes.HasSuffix(c.Old, []byte("\n")) != bytes.HasSuffix(got, []byte("\n")) {
			t.Errorf("%s: final newline state changed:\n%q", c.Path, got)
		}
		if crlf := bytes.Count(c.Old, []byte("\r\n")); crlf > 0 && crlf == bytes.Count(c.Old, []byte("\n")) &&
			bytes.Count(got, []byte("\r\n")) != bytes.Count(got, []byte("\n")) {
			t.Errorf("%s: a CRLF file got bare LF lines:\n%q", c.Path, got)
		}
	}
	if modified == 0 {
		t.Error("nothing was rewritten: the test needs a rewriter that edits these files")
	}
	if left := leftoverTemps(t, dir); len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// TestOddFileNamesEndToEnd migrates projects whose folders and files have
// spaces, a newline, non-ASCII letters and a leading dash in their names:
// the patch must apply with `git apply` on a copy, and give the same tree
// as Apply.
func TestOddFileNamesEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	readme := "# App\n\n```bash\npython3 -m venv .venv\nsource .venv/bin/activate\npip install -r requirements.txt\n```\n"
	files := map[string]string{}
	for _, proj := range []string{"my project", "ünïcödé", "-rf", "new\nline", "tab\there", `quote"back\slash`} {
		files[proj+"/requirements.txt"] = "flask==3.0.3\n"
		files[proj+"/README.md"] = readme
		files[proj+"/docs/set up (old).md"] = readme
		files[proj+"/docs/-n.md"] = readme
	}
	src := t.TempDir()
	writeFiles(t, src, files)
	res, err := prepareDir(t, src, Options{Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Projects) != 6 {
		t.Fatalf("found %d projects, want 6", len(res.Projects))
	}
	for _, p := range res.Projects {
		if p.Status != StatusMigrated {
			t.Errorf("%q: %s %s %v", p.Dir, p.Status, p.Reason, p.Problems)
		}
	}
	patch := rewrite.UnifiedDiff(res.Changes())

	copyDir := fixtures.CopyTree(t, src)
	cmd := exec.Command("git", "apply", "--whitespace=nowarn", "-")
	cmd.Dir = copyDir
	cmd.Stdin = bytes.NewReader(patch)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\npatch:\n%s", err, out, patch)
	}
	if err := Apply(src, res.Changes()); err != nil {
		t.Fatal(err)
	}
	applied, byGit := snapshotDir(t, src), snapshotDir(t, copyDir)
	if !reflect.DeepEqual(applied, byGit) {
		for k, v := range applied {
			if byGit[k] != v {
				t.Errorf("%q differs: Apply wrote %.60q, git apply %.60q", k, v, byGit[k])
			}
		}
		for k := range byGit {
			if _, ok := applied[k]; !ok {
				t.Errorf("%q only after git apply", k)
			}
		}
	}
	rewritten := 0
	for _, c := range res.Changes() {
		if !c.Created {
			rewritten++
		}
	}
	if rewritten == 0 {
		t.Error("no file was rewritten, only created: odd names of existing files went untested")
	}
}

// A venv line neither detect nor the rewriter can read is one follow-up
// (what to do), not also a problem.
func TestUnreadableVenvLineIsSaidOnce(t *testing.T) {
	fsys := fstest.MapFS{
		"requirements.txt": {Data: []byte("requests\n")},
		"dev.sh":           {Data: []byte("#!/bin/bash\npython -m venv .venv\nsource .venv/bin/activate\npip install -r requirements.txt \"oops\n"), Mode: 0o755},
	}
	res, err := Prepare(fsys, Options{RootName: "app"})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Projects[0]
	if len(p.Problems) != 0 {
		t.Errorf("problems: %v", p.Problems)
	}
	if len(p.FollowUps) != 1 || p.FollowUps[0].Evidence.String() != "dev.sh:4" || !strings.Contains(p.FollowUps[0].Message, "shell parser failed") {
		t.Errorf("follow-ups: %+v", p.FollowUps)
	}
}
