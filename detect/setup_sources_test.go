package detect

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestMakefileTargets(t *testing.T) {
	p := scanFiles(map[string]string{"Makefile": `VENV ?= .venv
PIP := $(VENV)/bin/pip
EXTRAS = dev,docs
GIT_SHA := $(shell git rev-parse HEAD)

.PHONY: install-dev

ifeq ($(OS),Windows_NT)
install-dev:
	py -m venv $(VENV)
else
install-dev: venv
	@$(PIP) install -e ".[$(EXTRAS)]" \
	    --no-cache-dir
	-echo $(GIT_SHA) > .built
endif

venv:
	python3 -m venv $(VENV)

%.o: %.c
	cc -c $<

install-dev: requirements.txt
`})
	if len(p.Setup.Makefiles) != 1 {
		t.Fatalf("%d Makefiles", len(p.Setup.Makefiles))
	}
	var got []string
	for _, tg := range p.Setup.Makefiles[0].Targets {
		got = append(got, fmt.Sprintf("%s at %s after %v:", tg.Name, tg.Evidence, tg.Prereqs))
		for _, src := range tg.Recipe {
			got = append(got, fmt.Sprintf("  %v %q", src.Lines, src.Script))
		}
	}
	want := []string{
		"install-dev at Makefile:12 after [venv requirements.txt]:",
		`  [13 14] " .venv/bin/pip install -e \".[dev,docs]\" \\\n    --no-cache-dir"`,
		`  [15] " echo $(shell git rev-parse HEAD) > .built"`,
		"venv at Makefile:18 after []:",
		`  [19] "python3 -m venv .venv"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("targets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMakefileOneShell(t *testing.T) {
	p := scanFiles(map[string]string{"Makefile": ".ONESHELL:\nsetup:\n\tpython3 -m venv .venv\n\t# activate\n\t. .venv/bin/activate\n\tpip install -e .\n"})
	tg := p.Setup.Makefiles[0].Targets[0]
	if len(tg.Recipe) != 1 || !slices.Equal(tg.Recipe[0].Lines, []int{3, 4, 5, 6}) {
		t.Errorf("one shell for the recipe, lines kept: %+v", tg.Recipe)
	}
}

func TestDocSections(t *testing.T) {
	p := scanFiles(map[string]string{
		"CONTRIBUTING.md":  "# Contributing\n\n```python\n# not a heading\n```\n\nDevelopment\n-----------\n\n### Setup\n\n```console\n$ python -m venv .venv\n(.venv) $ pip install -e .[dev]\nSuccessfully installed\n```\n\n## Tests\n\n    make test\n",
		"docs/develop.rst": "Hacking\n=======\n\nSetup\n-----\n\n.. code-block:: bash\n\n   pip install -r requirements-dev.txt\n",
	})
	var got []string
	for _, b := range p.Setup.Docs {
		got = append(got, fmt.Sprintf("%s %v %v %q", b.Source.Path, b.Headings, b.Source.Lines, b.Source.Script))
	}
	want := []string{
		`CONTRIBUTING.md [Contributing Development Setup] [13 14 15] "  python -m venv .venv\n          pip install -e .[dev]\n"`,
		`CONTRIBUTING.md [Contributing Tests] [20] "make test"`,
		`docs/develop.rst [Hacking Setup] [9] "pip install -r requirements-dev.txt"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCISteps(t *testing.T) {
	p := scanFiles(map[string]string{".github/workflows/ci.yml": `on: push
env:
  REQS: requirements-ci.txt
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install
        run: |
          pip install -r ${{ env.REQS }}
          pip install -e .
      - if: matrix.os == 'windows-latest'
        run: pip install pywin32 ${{ matrix.extra }}
`})
	if len(p.Setup.CI) != 1 || len(p.Setup.CI[0].Steps) != 2 {
		t.Fatalf("CI steps: %+v", p.Setup.CI)
	}
	s0, s1 := p.Setup.CI[0].Steps[0], p.Setup.CI[0].Steps[1]
	if s0.Name != "Install" || s0.Source.Script != "pip install -r requirements-ci.txt\npip install -e .\n" || !slices.Equal(s0.Source.Lines, []int{11, 12}) {
		t.Errorf("first step: %+v", s0)
	}
	if s1.If == "" || s1.Source.Script != "pip install pywin32 CI_EXPRESSION" {
		t.Errorf("second step: %+v", s1)
	}
}

func TestIncludesAndGroups(t *testing.T) {
	p := scanFiles(map[string]string{
		"requirements/dev.txt":  "-r base.txt\n-c ../constraints.txt\npytest\n",
		"requirements/base.txt": "flask\n",
		"constraints.txt":       "werkzeug<4\n",
		"pyproject.toml":        "[project]\nname = \"acme\"\n[tool.uv]\ndefault-groups = [\"dev\", \"Lint\"]\n[tool.poetry.group.docs]\noptional = true\n",
	})
	var got []string
	for _, inc := range p.Includes {
		got = append(got, fmt.Sprintf("%s -> %s %v %s", inc.From, inc.To, inc.Constraint, inc.Evidence))
	}
	want := []string{"requirements/dev.txt -> requirements/base.txt false requirements/dev.txt:1",
		"requirements/dev.txt -> constraints.txt true requirements/dev.txt:2"}
	if !slices.Equal(got, want) {
		t.Errorf("includes %q, want %q", got, want)
	}
	if !slices.Equal(p.Groups.UVDefaultGroups, []string{"dev", "lint"}) || !slices.Equal(p.Groups.PoetryOptional, []string{"docs"}) {
		t.Errorf("group settings %+v", p.Groups)
	}
}

func TestFloxHook(t *testing.T) {
	manifest := "version = 1\n\n[hook]\non-activate = '''\n# venv2flox: the venv\nuv sync --frozen\n'''\n"
	p := scanFiles(map[string]string{"pyproject.toml": "[project]\nname = \"a\"\n", ".flox/env/manifest.toml": manifest})
	h := p.Setup.FloxHook
	if h == nil || h.Script != "# venv2flox: the venv\nuv sync --frozen\n" || h.LineAt(2) != 6 {
		t.Errorf("hook %+v", h)
	}
	other := scanFiles(map[string]string{".flox/env/manifest.toml": "version = 1\n[hook]\non-activate = \"pip install -r requirements.txt\"\n"})
	if other.Setup.FloxHook != nil {
		t.Errorf("a hook venv2flox did not write is not read as one")
	}
}
