package migrate

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/venv2flox/venv2flox/rewrite"
)

// A composite action of the repository that sets up Python moves to Flox
// together with the jobs that use it; when one of those jobs has to stay
// (a Python matrix), the action stays too, so no job loses its Python.
func TestCompositeActionMovesWithItsJobs(t *testing.T) {
	action := `name: setup
description: Python and the dev requirements
inputs:
  python-version:
    default: "3.12"
runs:
  using: composite
  steps:
    - uses: actions/setup-python@v5
      with:
        python-version: ${{ inputs.python-version }}
    - run: |
        python -m venv .venv
        .venv/bin/pip install -r requirements.txt
      shell: bash
`
	test := `name: test
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/setup
        with:
          python-version: "3.12"
      - run: .venv/bin/pytest
`
	matrix := `name: compat
on: push
jobs:
  compat:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.10", "3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/setup
        with:
          python-version: ${{ matrix.python }}
      - run: .venv/bin/pytest
`
	base := fstest.MapFS{
		"requirements.txt":                 {Data: []byte("requests==2.32.3\npytest==8.3.4\n")},
		".python-version":                  {Data: []byte("3.12\n")},
		".github/actions/setup/action.yml": {Data: []byte(action)},
		".github/workflows/test.yml":       {Data: []byte(test)},
	}
	changed := func(res *Result) map[string]string {
		out := map[string]string{}
		for _, c := range res.Changes() {
			out[c.Path] = string(c.New)
		}
		return out
	}

	res, err := Prepare(base, Options{RootName: "repo"})
	if err != nil {
		t.Fatal(err)
	}
	files := changed(res)
	if a := files[".github/actions/setup/action.yml"]; !strings.Contains(a, "flox/install-flox-action") {
		t.Errorf("the action did not move to Flox:\n%s", a)
	}
	if w := files[".github/workflows/test.yml"]; !strings.Contains(w, "shell: flox activate") || strings.Contains(w, "uses: flox/install-flox-action") {
		t.Errorf("the job that uses it should run in the environment the action installs:\n%s", w)
	}
	if p := res.Projects[0].Problems; len(p) > 0 {
		t.Errorf("problems: %v", p)
	}

	withMatrix := fstest.MapFS{".github/workflows/compat.yml": {Data: []byte(matrix)}}
	for k, v := range base {
		withMatrix[k] = v
	}
	res, err = Prepare(withMatrix, Options{RootName: "repo"})
	if err != nil {
		t.Fatal(err)
	}
	files = changed(res)
	for _, f := range []string{".github/actions/setup/action.yml", ".github/workflows/test.yml", ".github/workflows/compat.yml"} {
		if _, ok := files[f]; ok {
			t.Errorf("%s changed, though the matrix job keeps the action on setup-python:\n%s", f, files[f])
		}
	}
	var notes []rewrite.FollowUp
	for _, f := range res.Projects[0].FollowUps {
		if strings.Contains(f.Message, "composite action: left as it is") {
			notes = append(notes, f)
		}
	}
	if len(notes) != 1 {
		t.Errorf("want one follow-up for the action left as it is, got %v", res.Projects[0].FollowUps)
	} else if !strings.Contains(notes[0].Message, "job compat (.github/workflows/compat.yml) uses it and stays as it is") {
		t.Errorf("the follow-up should name the job that keeps the action: %s", notes[0].Message)
	}
	if p := res.Projects[0].Problems; len(p) > 0 {
		t.Errorf("problems: %v", p)
	}
}

// A composite action that never sets up Python (a Rust toolchain) installs
// no Flox either: the jobs that use it and never touch the venv stay as
// they are, and a job that does gets the Flox installer of its own.
func TestCompositeActionWithoutPythonInstallsNoFlox(t *testing.T) {
	action := `name: Set up Rust
runs:
  using: composite
  steps:
    - uses: dtolnay/rust-toolchain@stable
    - run: cargo install cargo-nextest
      shell: bash
`
	ci := `name: ci
on: push
jobs:
  clippy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/setup-rust
      - run: cargo clippy --workspace
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/setup-rust
      - run: python -m venv .venv && .venv/bin/pip install -r requirements.txt
      - run: .venv/bin/pytest
`
	fsys := fstest.MapFS{
		"requirements.txt":                      {Data: []byte("pytest==8.3.4\n")},
		".python-version":                       {Data: []byte("3.12\n")},
		".github/actions/setup-rust/action.yml": {Data: []byte(action)},
		".github/workflows/ci.yml":              {Data: []byte(ci)},
	}
	res, err := Prepare(fsys, Options{RootName: "repo"})
	if err != nil {
		t.Fatal(err)
	}
	var w string
	for _, c := range res.Changes() {
		switch c.Path {
		case ".github/actions/setup-rust/action.yml":
			t.Errorf("the action changed:\n%s", c.New)
		case ".github/workflows/ci.yml":
			w = string(c.New)
		}
	}
	clippy, test, _ := strings.Cut(w, "\n  test:")
	if strings.Contains(clippy, "flox") {
		t.Errorf("the clippy job never used the venv, but changed:\n%s", clippy)
	}
	if !strings.Contains(test, "uses: flox/install-flox-action") || !strings.Contains(test, "shell: flox activate") {
		t.Errorf("the test job should install Flox itself and run in the environment:\n%s", test)
	}
}

// A matrix job that stays on setup-python runs an entry point that makes
// .venv, then uses .venv itself. The entry point keeps making it for runs
// without Flox (a script), or stays as it is (a Makefile); what cannot be
// kept is a problem that names the job.
func TestVenvKeptForCallersOutsideFlox(t *testing.T) {
	workflow := func(entry string) string {
		return `name: test
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python }}
      - run: ` + entry + `
      - run: .venv/bin/pytest -q
`
	}
	tests := []struct {
		name, entry, file, src string
		kept                   bool   // the file changes, keeping the venv for runs without Flox
		followUp, problem      string // expected in the project's notes
	}{
		{"script", "scripts/bootstrap", "scripts/bootstrap",
			"#!/bin/sh\nset -e\npython3 -m venv .venv\n.venv/bin/pip install -r requirements.txt\n", true, "", ""},
		{"makefile", "make venv", "Makefile",
			"venv:\n\tpython3 -m venv .venv\n\t.venv/bin/pip install -r requirements.txt\n", false,
			"left alone: job test (.github/workflows/test.yml) uses .venv after running it, outside Flox, so the Makefile keeps making it", ""},
		{"creation after &&", "scripts/bootstrap", "scripts/bootstrap",
			"#!/bin/sh\nset -e\nmkdir -p build && python3 -m venv .venv\n.venv/bin/pip install -r requirements.txt\n", true, "",
			"job test (.github/workflows/test.yml) will fail: `.venv/bin/pytest -q` needs the venv .venv, which `scripts/bootstrap` no longer creates without Flox"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"requirements.txt":           {Data: []byte("pytest==8.3.4\n")},
				".python-version":            {Data: []byte("3.12\n")},
				".github/workflows/test.yml": {Data: []byte(workflow(tt.entry))},
				tt.file:                      {Data: []byte(tt.src), Mode: 0o755},
			}
			res, err := Prepare(fsys, Options{RootName: "repo"})
			if err != nil {
				t.Fatal(err)
			}
			p := res.Projects[0]
			var out string
			for _, c := range res.Changes() {
				if c.Path == tt.file {
					out = string(c.New)
				}
			}
			if kept := strings.Contains(out, `if [ "${FLOX_ENV_PROJECT:-}" != "$_flox_project" ]; then`); kept != tt.kept && tt.problem == "" {
				t.Errorf("venv kept for runs without Flox: %v, want %v:\n%s", kept, tt.kept, out)
			}
			if !tt.kept && out != "" {
				t.Errorf("%s changed:\n%s", tt.file, out)
			}
			var notes, problems []string
			for _, f := range p.FollowUps {
				notes = append(notes, f.Message)
			}
			for _, pr := range p.Problems {
				problems = append(problems, pr.Message)
			}
			if tt.followUp != "" && !slices.Contains(notes, tt.followUp) {
				t.Errorf("follow-ups %q lack %q", notes, tt.followUp)
			}
			if tt.problem == "" && len(problems) > 0 || tt.problem != "" && !slices.Equal(problems, []string{tt.problem}) {
				t.Errorf("problems = %q, want %q", problems, tt.problem)
			}
		})
	}
}
