package callgraph

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/venv2flox/venv2flox/detect"
)

// project is a small tree with a caller of each kind, and its files as
// detect reads them.
func project() (fstest.MapFS, []detect.File) {
	fsys := fstest.MapFS{
		"Makefile":             {Data: []byte("VENV ?= .venv\n\n.PHONY: install test docs\n\ninstall:\n\t$(VENV)/bin/pip install -e .\n\ntest:\n\t$(VENV)/bin/pytest\n\ndocs:\n\t$(MAKE) -C docs html\n")},
		"docs/Makefile":        {Data: []byte("html:\n\tsphinx-build . _build\n")},
		"scripts/install":      {Data: []byte("#!/bin/sh\npython -m venv venv\nvenv/bin/pip install -r requirements.txt\n")},
		"scripts/test":         {Data: []byte("#!/bin/sh\nscripts/check\nvenv/bin/pytest\n")},
		"scripts/check":        {Data: []byte("#!/bin/sh\nvenv/bin/ruff check .\n")},
		"scripts/bootstrap.sh": {Data: []byte("#!/bin/sh\nmake install\n")},
		".github/workflows/ci.yml": {Data: []byte(`jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/setup
      - run: |
          make install
          make test
      - run: scripts/test
  docs:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: docs
    steps:
      - run: make html
`)},
		".github/actions/setup/action.yml": {Data: []byte("runs:\n  using: composite\n  steps:\n    - run: scripts/install\n      shell: bash\n")},
		".gitlab-ci.yml":                   {Data: []byte("test:\n  image: python:3.12\n  script:\n    - make test\n")},
		".circleci/config.yml":             {Data: []byte("jobs:\n  test:\n    steps:\n      - checkout\n      - run:\n          command: make test\n")},
		"azure-pipelines.yml":              {Data: []byte("jobs:\n  - job: tests\n    steps:\n      - script: make test\n")},
		"Jenkinsfile":                      {Data: []byte("pipeline {\n  stages {\n    stage('Test') {\n      steps {\n        sh 'make test'\n        sh \"\"\"\n          scripts/check\n        \"\"\"\n      }\n    }\n  }\n}\n")},
		".readthedocs.yaml":                {Data: []byte("version: 2\nbuild:\n  jobs:\n    pre_build:\n      - make docs\n")},
		".pre-commit-config.yaml":          {Data: []byte("repos:\n  - repo: local\n    hooks:\n      - id: check\n        name: check\n        entry: scripts/check\n        language: script\n      - id: test\n        name: test\n        entry: make test\n        language: system\n")},
		".devcontainer/devcontainer.json":  {Data: []byte("{\n  // comment\n  \"postCreateCommand\": \"scripts/bootstrap.sh\",\n  \"postStartCommand\": [\"make\", \"install\"],\n}\n")},
		".gitpod.yml":                      {Data: []byte("tasks:\n  - init: make install\n    command: make test\n")},
		"justfile":                         {Data: []byte("test:\n    make test\n")},
		"Taskfile.yml":                     {Data: []byte("version: '3'\ntasks:\n  test:\n    cmds:\n      - make test\n")},
		"tasks.py":                         {Data: []byte("from invoke import task\n\n@task\ndef test(c):\n    c.run(\"make test\")\n")},
		"tox.ini":                          {Data: []byte("[testenv:docs]\ncommands =\n    make docs\n")},
		"noxfile.py":                       {Data: []byte("import nox\n\n@nox.session\ndef tests(session):\n    session.run(\"make\", \"test\", external=True)\n")},
		"README.md":                        {Data: []byte("# x\n\n```sh\ncd docs\nmake html\n```\n")},
	}
	return fsys, detect.Scan(fsys, ".", detect.Options{}).Files
}

func TestBuild(t *testing.T) {
	fsys, files := project()
	g := Build(fsys, ".", files)
	var got []string
	for _, c := range g.Calls {
		got = append(got, c.Caller.String()+" -> "+c.Entry.String())
	}
	want := []string{
		"job test (.github/workflows/ci.yml) -> ./.github/actions/setup",
		"job test (.github/workflows/ci.yml) -> make install",
		"job test (.github/workflows/ci.yml) -> make test",
		"job test (.github/workflows/ci.yml) -> scripts/test",
		"job docs (.github/workflows/ci.yml) -> make -C docs html",
		"action ./.github/actions/setup (.github/actions/setup/action.yml) -> scripts/install",
		"job test (.gitlab-ci.yml) -> make test",
		"job test (.circleci/config.yml) -> make test",
		"job tests (azure-pipelines.yml) -> make test",
		"stage Test (Jenkinsfile) -> make test",
		"stage Test (Jenkinsfile) -> scripts/check",
		"the Read the Docs build (.readthedocs.yaml) -> make docs",
		"pre-commit hook check (.pre-commit-config.yaml) -> scripts/check",
		"pre-commit hook test (.pre-commit-config.yaml) -> make test",
		"the devcontainer (.devcontainer/devcontainer.json) -> scripts/bootstrap.sh",
		"the devcontainer (.devcontainer/devcontainer.json) -> make install",
		"the Gitpod task (.gitpod.yml) -> make install",
		"the Gitpod task (.gitpod.yml) -> make test",
		"just recipe test (justfile) -> make test",
		"task test (Taskfile.yml) -> make test",
		"invoke task test (tasks.py) -> make test",
		"tox environment testenv:docs (tox.ini) -> make docs",
		"nox session tests (noxfile.py) -> make test",
		"make target docs (Makefile) -> make -C docs html",
		"script scripts/bootstrap.sh -> make install",
		"script scripts/test -> scripts/check",
		"the instructions in README.md -> make -C docs html",
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing call %q", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d calls, want %d:\n%q", len(got), len(want), got)
	}
	called := g.CalledTargets()
	if !slices.Equal(called["Makefile"], []string{"docs", "install", "test"}) || !slices.Equal(called["docs/Makefile"], []string{"html"}) {
		t.Errorf("CalledTargets = %v", called)
	}
	// The runs are what closure tests execute.
	for _, r := range g.Runs {
		if r.Caller.Kind == CallerGitHub && r.Caller.Name == "test" {
			if len(r.Steps) != 3 || r.Steps[0].Action != ".github/actions/setup/action.yml" {
				t.Errorf("job test steps = %+v", r.Steps)
			}
		}
	}
}

// Check names the callers a change breaks: a target that went, a script
// that now needs flox, a composite action that moved to Flox under a job
// that did not; a job that runs in Flox itself, and guarded flox calls,
// are fine.
func TestCheck(t *testing.T) {
	fsys, files := project()
	guard := "#!/bin/sh\nif [ \"${FLOX_ENV_PROJECT:-}\" != x ] && command -v flox >/dev/null 2>&1; then exec flox activate -- sh \"$0\"; fi\nruff check .\n"
	tests := []struct {
		name    string
		changed map[string][]byte
		want    []string
	}{
		{"guarded", map[string][]byte{"scripts/check": []byte(guard)}, nil},
		{"unguarded", map[string][]byte{"scripts/check": []byte("#!/bin/sh\nexec flox activate -- ruff check .\n")}, []string{
			"job test (.github/workflows/ci.yml) will fail: `scripts/test` runs `scripts/check`, which runs flox (scripts/check:2), and flox is not installed there (flox: not found)",
			"stage Test (Jenkinsfile) will fail: `scripts/check` runs flox (scripts/check:2), and flox is not installed there (flox: not found)",
			"pre-commit hook check (.pre-commit-config.yaml) will fail: `scripts/check` runs flox (scripts/check:2), and flox is not installed there (flox: not found)",
		}},
		{"target gone", map[string][]byte{"docs/Makefile": []byte("all:\n\ttrue\n")}, []string{
			"job docs (.github/workflows/ci.yml) will fail: `make -C docs html` no longer exists (make: *** No rule to make target 'html')",
			"make target docs (Makefile) will fail: `make -C docs html` no longer exists (make: *** No rule to make target 'html')",
			"the instructions in README.md will fail: `make -C docs html` no longer exists (make: *** No rule to make target 'html')",
		}},
		{"action moved alone", map[string][]byte{".github/actions/setup/action.yml": []byte("runs:\n  using: composite\n  steps:\n    - uses: flox/install-flox-action@v2\n")}, []string{
			"job test (.github/workflows/ci.yml) will fail: ./.github/actions/setup now runs its steps in the Flox environment, but this job's other steps still expect the Python it set up",
		}},
		{"make recipe with an unguarded $(FLOX)", map[string][]byte{"Makefile": []byte("FLOX := flox activate --\n\ntest:\n\t$(FLOX) pytest\n\ninstall:\n\tpip install -e .\n\ndocs:\n\t$(MAKE) -C docs html\n")}, []string{
			"job test (.github/workflows/ci.yml) will fail: `make test` runs flox (Makefile:4), and flox is not installed there (flox: not found)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range Check(fsys, ".", files, tt.changed) {
				got = append(got, b.String())
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q", w)
				}
			}
			if len(tt.want) == 0 && len(got) > 0 || tt.name == "unguarded" && len(got) != len(tt.want) {
				t.Errorf("got %q", got)
			}
		})
	}
}

// A GitLab job that takes its script from a template through `<<:` calls
// what the template runs; a Makefile recipe goes on after a conditional.
func TestBuildTemplatesAndConditionals(t *testing.T) {
	fsys := fstest.MapFS{
		".gitlab-ci.yml": {Data: []byte(".tests: &tests\n  script:\n    - make test\nunit:\n  <<: *tests\n  image: python:3.12\n")},
		"Makefile":       {Data: []byte("test:\nifdef CI\n\t@echo ci\nendif\n\t$(MAKE) check\ncheck:\n\ttrue\n")},
	}
	g := Build(fsys, ".", detect.Scan(fsys, ".", detect.Options{}).Files)
	var got []string
	for _, c := range g.Calls {
		got = append(got, c.Caller.String()+" -> "+c.Entry.String())
	}
	for _, w := range []string{"job unit (.gitlab-ci.yml) -> make test", "make target test (Makefile) -> make check"} {
		if !slices.Contains(got, w) {
			t.Errorf("missing call %q in %q", w, got)
		}
	}
}
