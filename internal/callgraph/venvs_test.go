package callgraph

import (
	"slices"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/venv2flox/venv2flox/detect"
)

// venvProject is a matrix job that stays on setup-python, runs an entry
// point that makes the venv, then uses the venv itself.
func venvProject(steps string) (fstest.MapFS, []detect.File) {
	fsys := fstest.MapFS{
		"scripts/bootstrap": {Data: []byte("#!/bin/sh\nset -e\nVENV=${VENV:-.venv}\nif [ ! -d \"$VENV\" ]; then\n  python3 -m venv \"$VENV\"\nfi\n\"$VENV/bin/pip\" install -r requirements.txt\n")},
		"scripts/lint":      {Data: []byte("#!/bin/sh\n.venv/bin/ruff check .\n")},
		"Makefile":          {Data: []byte("VENV ?= venv\nBIN := $(VENV)/bin\n\n$(VENV)/bin/activate: requirements.txt\n\tpython3 -m venv $(VENV)\n\t$(BIN)/pip install -r requirements.txt\n\ndev: $(VENV)/bin/activate\n\ntest: dev\n\t$(BIN)/pytest\n")},
		".github/workflows/ci.yml": {Data: []byte(`jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.11", "3.12"]
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python }}
` + steps)},
	}
	files := []detect.File{
		{Path: "scripts/bootstrap", Kind: detect.KindShell}, {Path: "scripts/lint", Kind: detect.KindShell},
		{Path: "Makefile", Kind: detect.KindMakefile}, {Path: ".github/workflows/ci.yml", Kind: detect.KindGitHubWorkflow},
	}
	return fsys, files
}

// OrphanedVenvs finds a caller outside Flox that uses a venv folder which
// what it ran created before the changes and no longer does; a use that
// may not run, a folder the caller makes itself or never got from an
// entry point, and a caller in Flox are no orphans.
func TestOrphanedVenvs(t *testing.T) {
	noVenv := []byte("#!/bin/sh\npip install -r requirements.txt\n")
	tests := []struct {
		name    string
		steps   string
		changed map[string][]byte
		want    []string // Orphan.Why() by caller line
		files   []string // Files of the first orphan
	}{
		{"script", "      - run: scripts/bootstrap\n      - run: .venv/bin/pytest -q\n",
			map[string][]byte{"scripts/bootstrap": noVenv},
			[]string{"12: `.venv/bin/pytest -q` needs the venv .venv, which `scripts/bootstrap` no longer creates without Flox"},
			[]string{"scripts/bootstrap"}},
		{"activation, then an entry point that used it too", "      - run: scripts/bootstrap\n      - run: |\n          . .venv/bin/activate\n          scripts/lint\n",
			map[string][]byte{"scripts/bootstrap": noVenv, "scripts/lint": []byte("#!/bin/sh\nruff check .\n")},
			[]string{"13: `. .venv/bin/activate` needs the venv .venv, which `scripts/bootstrap` no longer creates without Flox"},
			[]string{"scripts/bootstrap", "scripts/lint"}},
		{"use inside an entry point", "      - run: scripts/bootstrap && echo ok\n      - run: scripts/lint\n",
			map[string][]byte{"scripts/bootstrap": noVenv},
			[]string{"12: `.venv/bin/ruff check .` (scripts/lint:2) needs the venv .venv, which `scripts/bootstrap` no longer creates without Flox"},
			[]string{"scripts/bootstrap", "scripts/lint"}},
		{"make prerequisites and variables", "      - run: make dev\n      - run: venv/bin/pytest\n",
			map[string][]byte{"Makefile": []byte("dev:\n\tpip install -r requirements.txt\n\ntest: dev\n\tpytest\n")},
			[]string{"12: `venv/bin/pytest` needs the venv venv, which `make dev` no longer creates without Flox"},
			[]string{"Makefile"}},
		{"kept for runs without Flox", "      - run: scripts/bootstrap\n      - run: .venv/bin/pytest\n",
			map[string][]byte{"scripts/bootstrap": []byte("#!/bin/sh\nif [ \"${FLOX_ENV_PROJECT:-}\" != \"$p\" ]; then\n  python3 -m venv .venv\nfi\n")},
			nil, nil},
		{"a use that may not run", "      - run: scripts/bootstrap\n      - run: test -d .venv && .venv/bin/pytest || pytest\n",
			map[string][]byte{"scripts/bootstrap": noVenv}, nil, nil},
		{"the caller makes it", "      - run: scripts/bootstrap\n      - run: python -m venv .venv\n      - run: .venv/bin/pytest\n",
			map[string][]byte{"scripts/bootstrap": noVenv}, nil, nil},
		{"never made for the caller", "      - run: .venv/bin/pytest\n      - run: scripts/bootstrap\n",
			map[string][]byte{"scripts/bootstrap": noVenv}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys, files := venvProject(tt.steps)
			var got []string
			orphans := OrphanedVenvs(fsys, ".", files, tt.changed)
			for _, o := range orphans {
				got = append(got, strconv.Itoa(o.Line)+": "+o.Why())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
			if len(orphans) > 0 && !slices.Equal(orphans[0].Files, tt.files) {
				t.Errorf("files = %q, want %q", orphans[0].Files, tt.files)
			}
			// Check says the same, naming the job.
			breaks := Check(fsys, ".", files, tt.changed)
			if len(breaks) != len(tt.want) || len(tt.want) > 0 && breaks[0].String() != "job test (.github/workflows/ci.yml) will fail: "+orphans[0].Why() {
				t.Errorf("Check = %v", breaks)
			}
		})
	}
	// A job that runs in Flox is not asked to keep its venv.
	fsys, files := venvProject("      - uses: flox/install-flox-action@v2\n      - run: scripts/bootstrap\n      - run: .venv/bin/pytest\n")
	if o := OrphanedVenvs(fsys, ".", files, map[string][]byte{"scripts/bootstrap": noVenv}); len(o) > 0 {
		t.Errorf("a job in Flox: %v", o)
	}
}
