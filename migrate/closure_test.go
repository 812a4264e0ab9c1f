package migrate

import (
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
	}
	if p := res.Projects[0].Problems; len(p) > 0 {
		t.Errorf("problems: %v", p)
	}
}
