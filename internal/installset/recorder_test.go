package installset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/venv2flox/venv2flox/detect"
)

// TestRecorderWritesNothing runs code that writes, deletes and starts
// programs against a real folder: nothing changes on disk, nothing runs.
func TestRecorderWritesNothing(t *testing.T) {
	dir := t.TempDir()
	sentinel := filepath.Join(t.TempDir(), "ran")
	files := map[string]string{
		"requirements.txt": "flask\n",
		"Makefile": "STAMP := $(shell touch " + sentinel + " && echo x)\n\n" +
			"install:\n\ttouch " + sentinel + "\n\techo $(shell touch " + sentinel + ") > made.txt\n\tpip install -r requirements.txt\n",
		"scripts/setup.sh": "#!/bin/sh\nrm -rf requirements.txt\necho hi > out.txt\nmkdir -p build && cp -r . build\n" +
			"python3 -c 'open(\"" + sentinel + "\", \"w\")'\ncat requirements.txt > copy.txt\n",
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	before := listTree(t, dir)
	p := detect.Scan(os.DirFS(dir), ".", detect.Options{})
	r := NewRecorder(p, nil)
	r.RunTarget(".", "install")
	r.RunScript("scripts/setup.sh")
	if after := listTree(t, dir); after != before {
		t.Errorf("the folder changed:\nbefore %s\nafter  %s", before, after)
	}
	if _, err := os.Stat(sentinel); err == nil {
		t.Errorf("a command ran for real: %s exists", sentinel)
	}
	if len(r.Steps()) != 1 {
		t.Errorf("recorded %d installs, want the Makefile's one", len(r.Steps()))
	}
}

func listTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		data := ""
		if !info.IsDir() {
			d, _ := os.ReadFile(p)
			data = string(d)
		}
		b.WriteString(p + "=" + data + ";")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRecorderBounded stops code that would run forever.
func TestRecorderBounded(t *testing.T) {
	p := project(map[string]string{"requirements.txt": "flask\n"})
	for _, script := range []string{
		"while true; do :; done",
		"f() { f; }; f",
		"while true; do sleep 1; done",
		"for i in $(seq 1 100000000); do echo $i; done",
	} {
		start := time.Now()
		r := NewRecorder(p, nil)
		r.RunSource(detect.ShellSource{Path: "loop.sh", Script: script + "\npip install -r requirements.txt"}, ".")
		if d := time.Since(start); d > 3*runTimeout {
			t.Errorf("%q ran for %v", script, d)
		}
	}
}

// TestRecorderFollows checks the ways setup code reaches its installs:
// make targets and their prerequisites, $(MAKE) -C, scripts started by
// path or through bash, bash -c, sourced activation, wrappers.
func TestRecorderFollows(t *testing.T) {
	p := project(map[string]string{
		"requirements.txt":      "flask\n",
		"docs/requirements.txt": "sphinx\n",
		"Makefile": "VENV ?= .venv\nPIP = $(VENV)/bin/pip\n\nvenv:\n\tpython3 -m venv $(VENV)\n\n" +
			"install: venv\n\t$(PIP) install -r requirements.txt\n\t$(MAKE) -C docs deps\n\t./scripts/extra\n\tbash scripts/more.sh lint\n",
		"docs/Makefile":   "deps:\n\tpip install -r requirements.txt\n",
		"scripts/extra":   "#!/bin/bash\nset -e\nHERE=$(cd \"$(dirname \"$0\")\" && pwd)\n. \"$HERE/../.venv/bin/activate\"\nbash -c 'pip install pre-commit'\n",
		"scripts/more.sh": "#!/bin/sh\ntimeout 60 env PIP_NO_CACHE_DIR=1 pip install \"ruff==0.5.0\" # $1\n",
	})
	r := NewRecorder(p, nil)
	r.RunTarget(".", "install")
	var got []string
	for _, st := range r.Steps() {
		got = append(got, st.Evidence.String()+" "+st.Text)
	}
	want := []string{
		"Makefile:8 .venv/bin/pip install -r requirements.txt",
		"docs/Makefile:2 pip install -r requirements.txt",
		"scripts/extra:5 pip install pre-commit",
		"scripts/more.sh:2 timeout 60 env PIP_NO_CACHE_DIR=1 pip install \"ruff==0.5.0\"",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("recorded:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzRecorder holds that no shell code makes the recorder panic or run
// unbounded, and that whatever it records reduces to a set.
func FuzzRecorder(f *testing.F) {
	for _, s := range []string{
		"pip install -r requirements.txt", "make install", "bash -c 'uv sync --all-extras'",
		"read -r -d '' x <<'E'\nuv sync\nE\n\"$BASH\" -ec \"$x\"", "set -C; echo 1 >f; echo 2 >f",
		"f() { f; }; f", "source .venv/bin/activate && pip install -e .[dev]", "cd /; pip install x",
		"${{ matrix.x }}", "exec 3>&1; pip install -qr r.txt >&3", "$(python -c 'print(1)') -m venv v",
	} {
		f.Add(s)
	}
	p := project(map[string]string{"requirements.txt": "flask\n", "Makefile": "install:\n\tpip install -r requirements.txt\n"})
	f.Fuzz(func(t *testing.T, script string) {
		r := NewRecorder(p, nil)
		r.RunSource(detect.ShellSource{Path: "fuzz.sh", Script: script}, ".")
		set, _ := Reduce(r.Steps(), MetaOf(p))
		if _, err := Parse(set.String()); err != nil {
			t.Fatalf("the set does not read back: %v\n%s", err, set)
		}
	})
}
