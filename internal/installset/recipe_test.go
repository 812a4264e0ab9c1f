package installset

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/venv2flox/venv2flox/detect"
)

// project builds a project from file contents (a leading newline in each
// is dropped, and tabs are written as "\t" where recipes need them).
func project(files map[string]string) *detect.Project {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(strings.TrimPrefix(data, "\n")), Mode: 0o755}
	}
	return detect.Scan(fsys, ".", detect.Options{})
}

func TestFindRecipe(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		label string
		want  string
		notes []string
		// venv is "own" when the recipe builds a venv of its own, "active"
		// when it installs into whatever venv is active ("" not checked).
		venv string
	}{{
		name: "make install builds the package as users get it; the contributing guide installs it editable",
		files: map[string]string{
			"setup.py":              "from setuptools import setup\nsetup(name='acme', extras_require={'dev': ['pytest'], 'docs': ['sphinx']})\n",
			"Makefile":              "install:\n\tpython -m pip install .\n\ntest:\n\tpytest\n",
			"guide/contributing.md": "# Contributing\n\n## Installation\n\nIn a virtual environment, run:\n\n```sh\npip install -e \".[dev]\"\n```\n",
		},
		label: "guide/contributing.md, section Contributing > Installation",
		want:  "project editable [dev]\n",
	}, {
		name: "make install that only builds the package is the recipe when the docs say nothing",
		files: map[string]string{
			"setup.py": "from setuptools import setup\nsetup(name='acme')\n",
			"Makefile": "install:\n\tpython -m pip install .\n",
		},
		label: "make install",
		want:  "project installed\n",
	}, {
		name: "make install-dev with uv sync --all-extras",
		files: map[string]string{
			"pyproject.toml": `
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
[project]
name = "acme"
dependencies = ["httpx"]
[project.optional-dependencies]
dask = ["dask"]
plot = ["matplotlib"]
[dependency-groups]
dev = ["pytest"]
docs = ["sphinx"]
`,
			"uv.lock":  "version = 1\n",
			"Makefile": "install-dev:\n\tuv sync --all-extras\n\ntest:\n\tuv run pytest\n",
		},
		label: "make install-dev",
		want:  "project editable [dask,plot]\ngroup dev\n",
	}, {
		name: "CONTRIBUTING names make install-dev; the target uses pip on a venv",
		files: map[string]string{
			"setup.py":             "from setuptools import setup\nsetup(name='acme', extras_require={'dev': ['pytest'], 'dask': ['dask']})\n",
			"requirements-dev.txt": "pytest\n",
			"Makefile": `
VENV ?= .venv
PIP := $(VENV)/bin/pip

venv:
	python3.11 -m venv $(VENV)

install-dev: venv
	$(PIP) install -U pip wheel
	$(PIP) install -e .[dev,dask]
`,
			"CONTRIBUTING.md": "# Contributing\n\n## Development\n\n```console\n$ make install-dev\n$ make test\n```\n",
		},
		label: "make install-dev",
		want:  "python 3.11\nproject editable [dask,dev]\n",
	}, {
		name: "a bootstrap script with a CI branch takes the contributor's way",
		files: map[string]string{
			"requirements.txt":           "flask==3.0.0\n",
			"requirements-dev.txt":       "-r requirements.txt\npytest==8.0.0\n",
			"ci/requirements-oldest.txt": "flask==2.0.0\n",
			"scripts/bootstrap": `
#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${CI:-}" ]; then
  pip install -r ci/requirements-oldest.txt
else
  python3 -m venv .venv
  . .venv/bin/activate
  pip install -r requirements-dev.txt
fi
`,
		},
		label: "scripts/bootstrap",
		want:  "project none\nrequirements requirements-dev.txt\nrequirements requirements.txt\n",
	}, {
		name: "conflicting pins across plugin files: the main path is synced",
		files: map[string]string{
			"requirements.txt":           "app-core==1.0\n",
			"plugins/a/requirements.txt": "libx==1.0\n",
			"plugins/b/requirements.txt": "libx==2.0\n",
			"README.md":                  "# App\n\n## Development\n\n```bash\npython -m venv venv\nsource venv/bin/activate\npip install -r requirements.txt -r plugins/a/requirements.txt -r plugins/b/requirements.txt\n```\n",
		},
		label: "README.md, section App > Development",
		want:  "project none\nrequirements plugins/a/requirements.txt\nrequirements requirements.txt\n",
		notes: []string{"not synced: plugins/b/requirements.txt (plugins/b/requirements.txt:1 pins libx==2.0, plugins/a/requirements.txt:1 pins libx==1.0)"},
	}, {
		name: "a torch line with a CPU index keeps its index on that package only",
		files: map[string]string{
			"requirements.txt": "numpy\n",
			"CONTRIBUTING.md":  "## Setup\n\n```sh\npython -m venv .venv\n. .venv/bin/activate\npip install -r requirements.txt\npip install torch --index-url https://download.pytorch.org/whl/cpu\n```\n",
		},
		label: "CONTRIBUTING.md, section Setup",
		want:  "project none\nrequirements requirements.txt\npackage torch --index-url https://download.pytorch.org/whl/cpu\n",
	}, {
		name: "the CI test job when nothing else installs",
		files: map[string]string{
			"requirements.txt":    "requests\n",
			"requirements-ci.txt": "pytest\n",
			".github/workflows/tests.yml": `
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt -r requirements-ci.txt
      - if: matrix.os == 'windows-latest'
        run: pip install pywin32
      - run: pytest
`,
		},
		label: "CI job test",
		want:  "project none\nrequirements requirements-ci.txt\nrequirements requirements.txt\n",
	}, {
		name: "make's command-line variable fills the Makefile's reference; a plugin is installed by path",
		files: map[string]string{
			"Makefile":             "install-dev:\n\tcd $(plugin) && python -m pip install \".[test]\"\n",
			"CONTRIBUTING.md":      "# Contributing\n\n```bash\npython3 -m venv .venv\n. .venv/bin/activate\nmake install-dev plugin=p-csv\n```\n",
			"p-csv/pyproject.toml": "[project]\nname = \"p-csv\"\nversion = \"1\"\n[project.optional-dependencies]\ntest = [\"pytest\"]\n",
		},
		label: "make install-dev",
		want:  "project none\npackage ./p-csv[test]\n",
		venv:  "own",
	}, {
		name: "a script read with source, looping over the packages",
		files: map[string]string{
			"README.md":            "# Mono\n\n## Development\n\n```bash\n$ . ./setup_dev_env.sh\n```\n",
			"setup_dev_env.sh":     "#!/bin/bash\npython3.11 -m venv venv\n. venv/bin/activate\npip install -r requirements-dev.txt\nfor dir in packages/*/; do pip install -e \"$dir\"; done\n",
			"requirements-dev.txt": "pytest\n",
			"packages/a/setup.cfg": "[metadata]\nname = a\n",
			"packages/b/setup.cfg": "[metadata]\nname = b\n",
		},
		label: "README.md, section Mono > Development",
		want:  "python 3.11\nproject none\nrequirements requirements-dev.txt\npackage -e packages/a\npackage -e packages/b\n",
		venv:  "own",
	}, {
		name: "uv sync --all-packages installs every workspace member",
		files: map[string]string{
			"pyproject.toml":        "[project]\nname = \"root\"\nversion = \"1\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n[tool.uv.workspace]\nmembers = [\"libs/*\"]\nexclude = [\"libs/old\"]\n",
			"uv.lock":               "version = 1\n",
			"libs/a/pyproject.toml": "[project]\nname = \"a\"\n",
			"libs/old/setup.py":     "",
			"libs/notes.txt":        "",
			"Makefile":              "install:\n\tuv sync --frozen --all-packages\n",
		},
		label: "make install",
		want:  "project editable\npackage -e libs/a\n",
		venv:  "own",
	}, {
		name: "a dev container's post-create command, when nothing else installs",
		files: map[string]string{
			"requirements.txt": "flask\n",
			".devcontainer/devcontainer.json": `{"initializeCommand": "pip install pre-commit",
  "postCreateCommand": "pip install --user -U pip && pip install -r requirements.txt"}`,
		},
		label: ".devcontainer/devcontainer.json",
		want:  "project none\nrequirements requirements.txt\n",
		venv:  "active",
	}, {
		name: "uv run syncs the project: a docs recipe that only runs `uv run` installs it with its default groups",
		files: map[string]string{
			"pyproject.toml":  "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[dependency-groups]\ndev = [\"pytest\"]\ndocs = [\"sphinx\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"uv.lock":         "version = 1\n",
			"CONTRIBUTING.md": "# Contributing\n\n## Development setup\n\n```shell\nuv run acme --version\n```\n",
		},
		label: "CONTRIBUTING.md, section Contributing > Development setup",
		want:  "project editable\ngroup dev\n",
		venv:  "own",
	}, {
		name: "uv run with --group adds it; --no-sync and --isolated sync nothing",
		files: map[string]string{
			"pyproject.toml":  "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[dependency-groups]\ndev = [\"pytest\"]\ndocs = [\"sphinx\"]\nlint = [\"ruff\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"uv.lock":         "version = 1\n",
			"CONTRIBUTING.md": "# Contributing\n\n## Development setup\n\n```shell\nuv run --no-sync --group lint ruff check\nuv run --isolated --group lint ruff check\nuv run --group docs sphinx-build docs out\n```\n",
		},
		label: "CONTRIBUTING.md, section Contributing > Development setup",
		want:  "project editable\ngroup dev\ngroup docs\n",
	}, {
		name: "after an explicit uv sync, uv run only runs",
		files: map[string]string{
			"pyproject.toml":  "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[dependency-groups]\ndev = [\"pytest\"]\ntest = [\"pytest\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"uv.lock":         "version = 1\n",
			"CONTRIBUTING.md": "# Contributing\n\n## Setup\n\n```bash\nuv sync --no-default-groups --group test\nuv run pytest\n```\n",
		},
		label: "CONTRIBUTING.md, section Contributing > Setup",
		want:  "project editable\ngroup test\n",
	}, {
		name: "cd NAME after git clone stays at the checkout's top, though the package folder is also NAME",
		files: map[string]string{
			"pyproject.toml":   "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[project.optional-dependencies]\ndev = [\"pytest\"]\n[dependency-groups]\ndev = [\"pytest\"]\ntest = [\"pytest\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"acme/__init__.py": "",
			"CONTRIBUTING.md":  "# Contributing\n\n## Setup\n\n```console\n$ git clone https://github.com/acme/acme.git\n$ cd acme\n$ python -m venv .venv\n$ .venv/bin/pip install -e '.[dev]'\n```\n",
		},
		label: "CONTRIBUTING.md, section Contributing > Setup",
		want:  "project editable [dev]\n",
		venv:  "own",
	}, {
		name: "alternatives and notes are asides: the recipe follows the main path",
		files: map[string]string{
			"pyproject.toml":       "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[project.optional-dependencies]\ndev = [\"pytest\"]\n[dependency-groups]\ndev = [\"pytest\"]\ntest = [\"pytest\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"acme/__init__.py":     "",
			"requirements-dev.txt": "pytest\n",
			"CONTRIBUTING.md": `
# Contributing

## Development

If you use conda, create an environment first:

` + "```bash\nconda create -n acme python=3.12\nconda activate acme\npip install -r requirements-dev.txt\n```" + `

Then create a venv and install the project:

` + "```bash\npython -m venv .venv\n. .venv/bin/activate\npip install -e '.[dev]'\n```" + `

Alternatively, with uv:

` + "```bash\nuv sync --group test\n```" + `

Or, with pipenv:

` + "```bash\npipenv install --dev\n```" + `

!!! tip "Docs"
    To build the docs too:

    ` + "```bash\n    pip install -r requirements-dev.txt\n    ```" + `
`,
		},
		label: "CONTRIBUTING.md, section Contributing > Development",
		want:  "project editable [dev]\n",
		venv:  "own",
	}, {
		name: "a section that only offers alternatives takes the first",
		files: map[string]string{
			"requirements.txt":     "flask==3.0.0\n",
			"requirements-dev.txt": "-r requirements.txt\npytest\n",
			"CONTRIBUTING.md": "# Contributing\n\n## Setup\n\nIf you use uv:\n\n```bash\nuv venv\nuv pip install -r requirements-dev.txt\n```\n\n" +
				"If you prefer plain pip and venv:\n\n```bash\npython -m venv .venv\n.venv/bin/pip install -r requirements.txt\n```\n",
		},
		label: "CONTRIBUTING.md, section Contributing > Setup",
		want:  "project none\nrequirements requirements-dev.txt\nrequirements requirements.txt\n",
		venv:  "own",
	}, {
		name: "an RST note inside the section is an aside",
		files: map[string]string{
			"pyproject.toml":   "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[project.optional-dependencies]\ndev = [\"pytest\"]\n[dependency-groups]\ndev = [\"pytest\"]\ntest = [\"pytest\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"acme/__init__.py": "",
			"uv.lock":          "version = 1\n",
			"CONTRIBUTING.rst": `
Contributing
============

Installing
----------

Install the project and its development dependencies::

   $ uv sync

.. note::

   A later sync removes what it does not name; to keep the docs group, use::

      $ uv sync --group docs --inexact
`,
		},
		label: "CONTRIBUTING.rst, section Contributing > Installing",
		want:  "project editable\ngroup dev\n",
		venv:  "own",
	}, {
		name: "numbered steps under their own headings are one recipe",
		files: map[string]string{
			"pyproject.toml":   "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[project.optional-dependencies]\ndev = [\"pytest\"]\n[dependency-groups]\ndev = [\"pytest\"]\ntest = [\"pytest\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"acme/__init__.py": "",
			"requirements.txt": "httpx==0.27.0\n",
			"docs/development/getting-started.md": `
# Getting started

## 1. Clone the repository

` + "```\ngit clone https://github.com/acme/acme\ncd acme\n```" + `

## 2. Create a virtual environment

` + "```\npython3.12 -m venv ~/.venv/acme\nsource ~/.venv/acme/bin/activate\n```" + `

## 3. Install the requirements

` + "```\npython -m pip install -r requirements.txt\n```" + `

## 4. Install the linters

` + "```\npython -m pip install ruff pre-commit\npre-commit install\n```" + `

## Running the tests

` + "```\npytest\n```" + `
`,
		},
		label: "docs/development/getting-started.md, section Getting started > 1. Clone the repository – 4. Install the linters",
		want:  "python 3.12\nproject none\nrequirements requirements.txt\npackage pre-commit\npackage ruff\n",
		venv:  "own",
	}, {
		name: "a section that installs from the checkout into its own venv comes before tool installs and docs builds",
		files: map[string]string{
			"pyproject.toml":                 "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[project.optional-dependencies]\ndev = [\"pytest\"]\n[dependency-groups]\ndev = [\"pytest\"]\ntest = [\"pytest\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"acme/__init__.py":               "",
			"requirements.txt":               "httpx==0.27.0\n",
			"docs/development/building.md":   "# Building the package\n\n## Prerequisites\n\n```\npython -m pip install build twine\n```\n\n## Render the docs\n\n```\npython -m pip install -r requirements.txt\n```\n",
			"docs/development/setting-up.md": "# Setting up\n\n## Environment\n\n```\npython -m venv venv\n. venv/bin/activate\npip install -r requirements.txt\n```\n",
		},
		label: "docs/development/setting-up.md, section Setting up > Environment",
		want:  "project none\nrequirements requirements.txt\n",
		venv:  "own",
	}, {
		name: "the section that makes the venv comes before one that installs into an active venv",
		files: map[string]string{
			"pyproject.toml": "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n",
			"docs/development/getting-started.rst": `
Getting started
===============

Development environment
-----------------------

The full development setup is:

.. code-block:: shell

    python -m venv .venv
    source .venv/bin/activate
    python -m pip install nox

Running from the source tree
----------------------------

Inside the virtualenv:

.. code-block:: shell

    python -m pip install -e .
`,
		},
		label: "docs/development/getting-started.rst, section Getting started > Development environment",
		want:  "project none\npackage nox\n",
		venv:  "own",
	}, {
		name: "a setup found only in CI is the CI test job",
		files: map[string]string{
			"pyproject.toml":           "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[project.optional-dependencies]\ndev = [\"pytest\"]\n[dependency-groups]\ndev = [\"pytest\"]\ntest = [\"pytest\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"acme/__init__.py":         "",
			".github/workflows/ci.yml": "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: python -m pip install -e '.[dev]'\n      - run: pytest\n",
		},
		label: "CI job test",
		want:  "project editable [dev]\n",
		venv:  "active",
	}, {
		// make install puts the package in the system Python; the CI job
		// builds the venv contributors use.
		name: "an install target that only installs outside the venv is no recipe",
		files: map[string]string{
			"pyproject.toml": `
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"
[project]
name = "acme"
dependencies = ["click"]
[project.optional-dependencies]
test = ["pytest"]
`,
			"Makefile": "install:\n\tuv pip install --system -e .\n\ninstall-test-requirements:\n\tuv pip install -e \".[test]\"\n",
			".github/workflows/unit-tests.yml": `
on: [push]
jobs:
  unit-tests:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v7
        with:
          activate-environment: true
      - run: make install-test-requirements
      - run: pytest
`,
		},
		label: "CI job unit-tests",
		want:  "project editable [test]\n",
	}, {
		// A user guide under docs/develop/ tells readers to add a "dev"
		// extra to their own project; this project has none.
		name: "a doc installing an extra the project does not declare is stale",
		files: map[string]string{
			"pyproject.toml": `
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"
[project]
name = "acme"
[project.optional-dependencies]
test = ["pytest"]
`,
			"docs/develop/testing.md": "# Testing\n\n## Install test requirements\n\n```bash\npip install \".[dev]\"\n```\n",
			".gitpod.yml":             "tasks:\n  - init: |\n      uv venv\n      uv pip install -e /workspace/acme[test]\n      cd /workspace\n      acme new --name demo\n      uv pip install -e demo\n",
		},
		label: ".gitpod.yml",
		want:  "project editable [test]\n",
	}, {
		name: "a doc that only installs a tool by name comes after a CI job that installs the checkout",
		files: map[string]string{
			"pyproject.toml": `
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"
[project]
name = "acme"
[project.optional-dependencies]
test = ["pytest"]
`,
			"docs/develop/coverage.md": "# Coverage\n\n```bash\npip install pytest-cov\n```\n",
			".github/workflows/test.yml": `
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install -e ".[test]"
      - run: pytest
`,
		},
		label: "CI job test",
		want:  "project editable [test]\n",
	}, {
		// The contributor docs run a Python script that makes the venv and
		// installs the repository's packages from a list of pip options.
		name: "a Python provisioning script named by the docs",
		files: map[string]string{
			"core/pyproject.toml": "[project]\nname = \"acme-core\"\n[project.optional-dependencies]\ntest = [\"pytest\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"cli/pyproject.toml":  "[project]\nname = \"acme-cli\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"tools/dev_venv.py": `
import subprocess, sys
EDITABLES = ["-e core[test]", "-e cli"]
def main():
    subprocess.check_call([sys.executable, "-m", "venv", "venv"])
    subprocess.check_call(["venv/bin/pip", "install"] + EDITABLES)
main()
`,
			"CONTRIBUTING.md": "# Contributing\n\n## Development setup\n\n```shell\npython3 tools/dev_venv.py\nsource venv/bin/activate\n```\n",
		},
		label: "tools/dev_venv.py",
		want:  "project none\npackage -e cli\npackage -e core[test]\n",
		venv:  "own",
	}, {
		// The docs-building page sorts first by name; the development
		// setup is the recipe.
		name: "a development setup page comes before the page on building the docs",
		files: map[string]string{
			"pyproject.toml": `
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"
[project]
name = "acme"
[project.optional-dependencies]
test = ["pytest"]
`,
			"docs/requirements.txt":             "sphinx\n",
			"docs/source/contributing/docs.md":  "# Contributing documentation\n\n## Building the docs locally\n\n```bash\npython3 -m pip install --editable .\npython3 -m pip install -r docs/requirements.txt\n```\n",
			"docs/source/contributing/setup.md": "# Setting up a development install\n\n## Install\n\n```bash\npython3 -m pip install --editable \".[test]\"\n```\n",
		},
		label: "docs/source/contributing/setup.md, section Setting up a development install > Install",
		want:  "project editable [test]\n",
	}, {
		name: "a doc block that installs only a tool by name comes after the CI job that installs the checkout",
		files: map[string]string{
			"pyproject.toml":             "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[project.optional-dependencies]\ndev = [\"pytest\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"acme/__init__.py":           "",
			"docs/contributing/i18n.rst": "Translating\n===========\n\nInstall Babel::\n\n    pip install babel\n",
			".github/workflows/ci.yml":   "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: python -m pip install -e '.[dev]'\n      - run: pytest\n",
		},
		label: "CI job test",
		want:  "project editable [dev]\n",
		venv:  "active",
	}, {
		name: "without a CI job, a doc block that installs tools by name is still the recipe",
		files: map[string]string{
			"pyproject.toml":             "[project]\nname = \"acme\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"acme/__init__.py":           "",
			"docs/contributing/i18n.rst": "Translating\n===========\n\nInstall Babel::\n\n    pip install babel\n",
		},
		label: "docs/contributing/i18n.rst, section Translating",
		want:  "project none\npackage babel\n",
		venv:  "active",
	}, {
		name: "a section that makes its venv with a pydebug Python built in place comes after the development setup",
		files: map[string]string{
			"setup.py": "from setuptools import setup\nsetup(name='acme')\n",
			"CONTRIBUTING.rst": `
Contributing
============

Reference leak tests
--------------------

Build CPython with --with-pydebug, then::

    $ ./python -m venv /tmp/refleak
    $ /tmp/refleak/bin/pip install pytest pytest-leaks
    $ /tmp/refleak/bin/pip install --upgrade .

Development setup
-----------------

::

    $ python3 -m venv .venv
    $ .venv/bin/pip install -e .
`,
		},
		label: "CONTRIBUTING.rst, section Contributing > Development setup",
		want:  "project editable\n",
	}, {
		name: "it is still the recipe when nothing else sets up a venv",
		files: map[string]string{
			"setup.py": "from setuptools import setup\nsetup(name='acme')\n",
			"CONTRIBUTING.rst": `
Contributing
============

Reference leak tests
--------------------

::

    $ ../cpython/python -m venv /tmp/refleak
    $ /tmp/refleak/bin/pip install pytest-leaks .
`,
		},
		label: "CONTRIBUTING.rst, section Contributing > Reference leak tests",
		want:  "project installed\npackage pytest-leaks\n",
	}, {
		name: "a docs page titled for the project's development is a development guide",
		files: map[string]string{
			"setup.py": "from setuptools import setup\nsetup(name='acme')\n",
			"Doc/contributing.rst": `
Contributing to acme
====================

Reference leak tests
--------------------

::

    $ ./python -m venv /tmp/refleak
    $ /tmp/refleak/bin/pip install pytest-leaks .
`,
			"Doc/workflow.rst": `
Sample workflow for acme development
------------------------------------

::

    $ python3 -m venv __venv__
    $ source __venv__/bin/activate
    (__venv__)$ python -m pip install -e .
    (__venv__)$ python -m pip install tox
`,
		},
		label: "Doc/workflow.rst, section Sample workflow for acme development",
		want:  "project editable\npackage tox\n",
	}, {
		name: "a code style section installs the formatter: the development environment section comes first",
		files: map[string]string{
			"setup.py":               "from setuptools import setup\nsetup(name='acme')\n",
			"requirements/style.txt": "black==24.1.0\n",
			"requirements/devel.txt": "pytest\ntox\n",
			"docs/development.rst": `
Development
===========

Style guide / Automated code formatting
---------------------------------------

::

    pip install -r requirements/style.txt

Building a development environment
----------------------------------

::

    pip install -r requirements/devel.txt
    pip install -e .
`,
		},
		label: "docs/development.rst, section Development > Building a development environment",
		want:  "project editable\nrequirements requirements/devel.txt\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			rec, ok := FindRecipe(project(tc.files))
			if !ok {
				t.Fatal("no recipe found")
			}
			if rec.Label != tc.label {
				t.Errorf("label %q, want %q", rec.Label, tc.label)
			}
			if got := rec.Set.String(); got != tc.want {
				t.Errorf("set:\n%s\nwant:\n%s", got, tc.want)
			}
			if tc.venv != "" && rec.OwnVenv != (tc.venv == "own") {
				t.Errorf("builds a venv of its own: %v, want %q", rec.OwnVenv, tc.venv)
			}
			var notes []string
			for _, n := range rec.Notes {
				notes = append(notes, n.String())
			}
			for _, want := range tc.notes {
				if !strings.Contains(strings.Join(notes, "\n"), want) {
					t.Errorf("notes %q lack %q", notes, want)
				}
			}
		})
	}
}

// A tutorial that happens to be called agents.md is for the package's
// users, not instructions for coding agents: it is no setup recipe.
func TestFindRecipeSkipsTutorialNamedAgents(t *testing.T) {
	p := project(map[string]string{
		"pyproject.toml":           "[project]\nname = \"acme\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
		"docs/tutorials/agents.md": "# Agents\n\nInstall the fetch server:\n\n```bash\npip install mcp-server-fetch\n```\n",
	})
	if rec, ok := FindRecipe(p); ok {
		t.Errorf("recipe %q (%s), want none", rec.Label, rec.Set.String())
	}
	p = project(map[string]string{
		"pyproject.toml": "[project]\nname = \"acme\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
		"AGENTS.md":      "# Working here\n\n```bash\npip install -e .\n```\n",
	})
	if rec, ok := FindRecipe(p); !ok || rec.Label != "AGENTS.md, section Working here" {
		t.Errorf("recipe %q, want AGENTS.md's", rec.Label)
	}
}

// `tox --devenv` builds the venv from the tox configuration: the recipe
// replays what the environment installs (here the base [testenv], as for
// any environment the file does not define).
func TestFindRecipeToxDevenv(t *testing.T) {
	p := project(map[string]string{
		"pyproject.toml":       "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n",
		"requirements_dev.txt": "pytest\n",
		"tox.ini":              "[testenv]\ndeps = -r requirements_dev.txt\ncommands = pytest\n",
		"CONTRIBUTING.md": "# Contributing\n\n## Creating a virtual environment\n\n```shell\ntox -e py312 --devenv .venv\nsource .venv/bin/activate\n```\n\n" +
			"## Developing plugins\n\n```shell\npip install -e plugins/acme-extra/.\n```\n",
		"plugins/acme-extra/setup.py": "from setuptools import setup\nsetup(name='acme-extra')\n",
	})
	rec, ok := FindRecipe(p)
	if !ok {
		t.Fatal("no recipe found")
	}
	if rec.Label != "CONTRIBUTING.md, section Contributing > Creating a virtual environment" {
		t.Errorf("label %q", rec.Label)
	}
	if rec.Foreign != nil {
		t.Errorf("foreign %+v, want the tox environment replayed", rec.Foreign)
	}
	if got, want := rec.Set.String(), "project editable\nrequirements requirements_dev.txt\n"; got != want {
		t.Errorf("set:\n%s\nwant:\n%s", got, want)
	}
}

// Without a tox configuration to read, `tox --devenv` stays a recipe
// venv2flox cannot replay: its set is not made up.
func TestFindRecipeToxDevenvUnread(t *testing.T) {
	p := project(map[string]string{
		"pyproject.toml":  "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n",
		"CONTRIBUTING.md": "# Contributing\n\n## Creating a virtual environment\n\n```shell\ntox devenv -e py312 .venv\n```\n",
	})
	rec, ok := FindRecipe(p)
	if !ok || rec.Foreign == nil || rec.Foreign.Text != "tox devenv -e py312 .venv" || rec.Foreign.Evidence.Line != 6 {
		t.Errorf("recipe %+v, foreign %+v; want tox devenv at CONTRIBUTING.md:6", rec.Label, rec.Foreign)
	}
}

// `pip install invoke` then `invoke setup`: the task's Python is not run,
// so the recipe is one venv2flox cannot read, not "install invoke".
func TestFindRecipeTaskRunnerSetupUnread(t *testing.T) {
	p := project(map[string]string{
		"pyproject.toml":  "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n",
		"tasks.py":        "from invoke import task\n\n@task\ndef setup(c):\n    c.run(\"pdm install\")\n",
		"CONTRIBUTING.md": "# Contributing\n\n## Setup\n\n```shell\npython -m venv .venv\nsource .venv/bin/activate\npython -m pip install invoke\ninvoke setup\n```\n",
	})
	rec, ok := FindRecipe(p)
	if !ok || rec.Foreign == nil || rec.Foreign.Text != "invoke setup" {
		t.Errorf("recipe %q (%s), foreign %+v; want invoke setup, unread", rec.Label, rec.Set.String(), rec.Foreign)
	}
}

// `tox -e dev` for an environment that installs the project editable
// (tox-dev's development environment) is a recipe: its project, extras,
// groups and deps, with {[section]deps} references and factor conditions
// read as tox reads them, from tox.ini, tox.toml or [tool.tox]. A `tox -e`
// run of an ordinary environment installs nothing of the contributor's.
func TestFindRecipeToxDevEnvironment(t *testing.T) {
	pyproject := "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[project.optional-dependencies]\ncli = [\"rich\"]\n" +
		"[dependency-groups]\ndev = [\"pytest\"]\ntest = [\"pytest\"]\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{{
		name: "tox.ini dev environment with referenced deps",
		files: map[string]string{
			"tox.ini": "[tox]\nenvlist = py312,lint\n\n[testenv]\ndeps =\n    pytest\n    py312: coverage\n    win: pywin32\ncommands = pytest\n\n" +
				"[testenv:lint]\nskip_install = True\ndeps = ruff\n\n" +
				"[testenv:dev]\nenvdir = {posargs:venv}\nusedevelop = True\nextras = cli\ndeps =\n    {[testenv]deps}\n    {[testenv:lint]deps}\n    -r{toxinidir}/requirements-docs.txt\n    dev: towncrier\n",
			"requirements-docs.txt": "sphinx\n",
			"CONTRIBUTING.md":       "# Contributing\n\n## Setup\n\n```shell\npython3 -m pip install tox\ntox -e dev\nsource venv/bin/activate\n```\n",
		},
		want: "project editable [cli]\nrequirements requirements-docs.txt\npackage pytest\npackage ruff\npackage towncrier\npackage tox\n",
	}, {
		name: "tox.toml dev environment with groups",
		files: map[string]string{
			"tox.toml": "env_list = [\"3.13\", \"dev\"]\n\n[env_run_base]\npackage = \"wheel\"\ndependency_groups = [\"test\"]\n\n" +
				"[env.dev]\npackage = \"editable\"\ndependency_groups = [\"dev\"]\nextras = [\"cli\"]\n",
			"docs/development.rst": "Development\n===========\n\nRunning from source tree\n------------------------\n\n.. code-block:: shell\n\n    tox -e dev\n    .tox/dev/bin/acme\n",
		},
		want: "project editable [cli]\ngroup dev\n",
	}, {
		name: "pyproject [tool.tox] dev environment inherits the base's groups",
		files: map[string]string{
			"pyproject.toml.extra": "\n[tool.tox.env_run_base]\ndependency_groups = [\"test\"]\n[tool.tox.env.dev]\nuse_develop = true\n",
			"CONTRIBUTING.md":      "# Contributing\n\n## Setup\n\n```shell\ntox r -e dev\n```\n",
		},
		want: "project editable\ngroup test\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"pyproject.toml": pyproject + tc.files["pyproject.toml.extra"]}
			for k, v := range tc.files {
				if k != "pyproject.toml.extra" {
					files[k] = v
				}
			}
			rec, ok := FindRecipe(project(files))
			if !ok {
				t.Fatal("no recipe found")
			}
			if got := rec.Set.String(); got != tc.want {
				t.Errorf("recipe %s; set:\n%s\nwant:\n%s", rec.Label, got, tc.want)
			}
		})
	}
	p := project(map[string]string{
		"pyproject.toml":  pyproject,
		"tox.ini":         "[testenv]\ndeps = pytest\n[testenv:docs]\ndeps = sphinx\ncommands = sphinx-build docs out\n",
		"CONTRIBUTING.md": "# Contributing\n\n## Docs\n\n```shell\ntox -e docs\n```\n",
	})
	if rec, ok := FindRecipe(p); ok {
		t.Errorf("recipe %q (%s), want none: tox -e docs makes tox's own environment", rec.Label, rec.Set.String())
	}
	// An editable docs environment serves the docs, and a group named by
	// a substitution cannot be read: neither is the contributor's venv.
	p = project(map[string]string{
		"pyproject.toml": pyproject,
		"tox.ini": "[testenv:docs-build]\ndependency_groups = docs\n\n[testenv:docs-watch]\npackage = editable\n" +
			"dependency_groups = {[testenv:docs-build]dependency_groups}\ndeps = watchfiles\n",
		"CONTRIBUTING.md": "# Contributing\n\n## Docs\n\n```shell\ntox run -e docs-watch\n```\n",
	})
	if rec, ok := FindRecipe(p); ok {
		t.Errorf("recipe %q (%s), want none: tox -e docs-watch is a docs environment", rec.Label, rec.Set.String())
	}
	p = project(map[string]string{
		"pyproject.toml":  pyproject,
		"tox.ini":         "[testenv:docs-watch]\npackage = editable\ndependency_groups = dev\ndeps = watchfiles\n",
		"CONTRIBUTING.md": "# Contributing\n\n## Docs\n\n```shell\ntox run -e docs-watch\n```\n",
	})
	if rec, ok := FindRecipe(p); ok {
		t.Errorf("recipe %q (%s), want none: an editable docs environment is no dev venv", rec.Label, rec.Set.String())
	}
}

// Contributor docs that assume the reader has just cloned (`cd acme/`
// with no acme/ folder in the checkout) run at the checkout's top.
func TestFindRecipeCdIntoCheckoutName(t *testing.T) {
	p := project(map[string]string{
		"pyproject.toml":       "[project]\nname = \"acme\"\n[dependency-groups]\nlint = [\"ruff\"]\ntest = [\"pytest\"]\n",
		"uv.lock":              "version = 1\n",
		"src/acme/__init__.py": "",
		"justfile":             "lint:\n    uv run --group lint ruff check src\n",
		"CONTRIBUTING.md": "# Contributing\n\n## Get started\n\n1. Set up:\n\n```shell\n$ cd acme/\n$ uv sync --all-groups\n```\n\n" +
			"2. Check:\n\n```shell\n$ just lint\n```\n",
	})
	rec, ok := FindRecipe(p)
	if !ok {
		t.Fatal("no recipe found")
	}
	if want := "project deps\ngroup lint\ngroup test\n"; rec.Set.String() != want {
		t.Errorf("recipe %q installs\n%s\nwant\n%s", rec.Label, rec.Set.String(), want)
	}
}

// A user's quick start (a new project of the reader's own, or the
// project itself from its repository URL) is no contributor recipe, and
// packages installed from the checkout's folders are.
func TestFindRecipeSkipsUserQuickStarts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		label string
	}{{
		name: "pdm new then pdm add",
		files: map[string]string{
			"pyproject.toml": "[project]\nname = \"acme\"\n[dependency-groups]\ntest = [\"pytest\"]\n",
			"pdm.lock":       "",
			"README.md":      "# Acme\n\n## Quickstart\n\n```bash\npdm new my-project\n```\n\n```bash\npdm add requests flask\n```\n",
			"AGENTS.md":      "# Agents\n\n## Setup\n\n```bash\npdm install\n```\n",
		},
		label: "AGENTS.md, section Agents > Setup",
	}, {
		name: "the development version from the repository",
		files: map[string]string{
			"pyproject.toml": "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n",
			"CONTRIBUTING.md": "# Contributing\n\n## Trying the development version\n\n```bash\npip install git+https://github.com/acme/acme.git\n```\n\n" +
				"## Tests\n\n```bash\npip install pytest\n```\n",
		},
		label: "CONTRIBUTING.md, section Contributing > Tests",
	}, {
		name: "packages in folders of the checkout",
		files: map[string]string{
			"pyproject.toml":           "[tool.ruff]\nline-length = 88\n",
			"acme/pyproject.toml":      "[project]\nname = \"acme\"\n",
			"acme_pool/pyproject.toml": "[project]\nname = \"acme-pool\"\n",
			"README.md":                "# Acme\n\n## Hacking\n\n```bash\npython -m venv .venv\nsource .venv/bin/activate\npip install -e ./acme\npip install -e ./acme_pool\n```\n",
		},
		label: "README.md, section Acme > Hacking",
	}, {
		name: "a built wheel is not a folder of the checkout",
		files: map[string]string{
			"pyproject.toml":               "[project]\nname = \"acme\"\n",
			"requirements.txt":             "httpx\n",
			"docs/development/building.md": "# Building\n\n## Test-installing the wheel\n\n```bash\npython -m venv /tmp/acme-try\n/tmp/acme-try/bin/python -m pip install dist/*.whl\n```\n",
			"docs/development/setup.md":    "# Setup\n\n```bash\npython -m venv .venv\n. .venv/bin/activate\npip install -r requirements.txt\n```\n",
		},
		label: "docs/development/setup.md, section Setup",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			rec, ok := FindRecipe(project(tc.files))
			if !ok || rec.Label != tc.label {
				t.Errorf("recipe %q (%v), want %q", rec.Label, ok, tc.label)
			}
		})
	}
}

// Folders of the checkout count as installing from it; built wheels,
// sdists and URLs do not.
func TestFromCheckoutFolders(t *testing.T) {
	for name, want := range map[string]bool{
		"-e psycopg[dev,test]": true, "./psycopg_c": true, "./dist/*.whl": false, "./dist/acme-1.0.tar.gz": false,
		"-e git+https://github.com/acme/acme.git": false, "../sibling": false, "httpx": false,
	} {
		if got := FromCheckout(Set{Project: NotInstalled, Packages: []Item{{Name: name}}}); got != want {
			t.Errorf("FromCheckout(%q) = %v, want %v", name, got, want)
		}
	}
}

// A setup that installs from a file that no longer exists fails there: it
// is stale, and the next source is the recipe (here the CI test job), or
// the metadata when no other source installs anything.
func TestFindRecipeSkipsStaleSetup(t *testing.T) {
	files := map[string]string{
		"pyproject.toml": "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[dependency-groups]\ndev = [\"pytest\"]\n" +
			"[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
		"uv.lock":                         "version = 1\n",
		".devcontainer/devcontainer.json": "{\"postCreateCommand\": \".devcontainer/setup.sh\"}\n",
		".devcontainer/setup.sh":          "#!/bin/sh\nset -e\npython3 -m venv .venv\n. .venv/bin/activate\npip install -r requirements/dev.txt\npip install -e .\n",
	}
	if rec, ok := FindRecipe(project(files)); ok {
		t.Errorf("recipe %q (%s), want none: its requirements/dev.txt does not exist", rec.Label, rec.Set.String())
	}
	files[".github/workflows/ci.yml"] = "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - uses: actions/checkout@v4\n      - run: uv sync\n      - run: uv run pytest\n"
	if rec, ok := FindRecipe(project(files)); !ok || rec.Label != "CI job test" {
		t.Errorf("recipe %q, want the CI test job", rec.Label)
	}
	files["requirements/dev.txt"] = "pytest\n"
	if rec, ok := FindRecipe(project(files)); !ok || rec.Kind != "container" {
		t.Errorf("recipe %q, want the dev container's once its file exists", rec.Label)
	}
}

// The CI job called test is the recipe before one whose name only
// contains the word, and a job that sets up another project (a nightly
// CPython checkout) is never the recipe.
func TestFindRecipePrefersTheTestJob(t *testing.T) {
	files := map[string]string{
		"pyproject.toml": "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[dependency-groups]\ntests = [\"pytest\"]\n" +
			"[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
		"uv.lock": "version = 1\n",
		".github/workflows/test-redistribute.yml": "on: [push]\njobs:\n  test-redistribute:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - run: python -m build --sdist\n      - run: pip install dist/*.tar.gz\n      - run: pytest\n",
		".github/workflows/test-nightly.yml": "on: [push]\njobs:\n  test-latest-python:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n        with:\n          repository: python/cpython\n          path: cpython\n" +
			"      - run: cd cpython && ./configure && make && python -m venv venv && venv/bin/pip install -r Tools/requirements.txt\n",
		".github/workflows/test.yml": "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - run: uv sync --no-dev --group tests\n      - run: uv run pytest\n",
	}
	rec, ok := FindRecipe(project(files))
	if !ok || rec.Label != "CI job test" {
		t.Fatalf("recipe %q, want CI job test", rec.Label)
	}
	if got, want := rec.Set.String(), "project editable\ngroup tests\n"; got != want {
		t.Errorf("set:\n%s\nwant:\n%s", got, want)
	}
}

// A CI job that runs only on Windows (an MSYS2 job) is no setup recipe:
// its install is that runner's, not the contributors'.
func TestFindRecipeSkipsWindowsOnlyJob(t *testing.T) {
	files := map[string]string{
		"pyproject.toml": "[project]\nname = \"acme\"\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
		".github/workflows/ci.yml": `
on: [push]
jobs:
  msys2:
    runs-on: windows-latest
    steps:
      - uses: actions/checkout@v4
      - run: python -m pip install .
      - run: python -m acme --help
`,
	}
	if rec, ok := FindRecipe(project(files)); ok {
		t.Errorf("recipe %q (%s), want none", rec.Label, rec.Set.String())
	}
	files[".github/workflows/ci.yml"] = strings.Replace(files[".github/workflows/ci.yml"], "windows-latest", "ubuntu-latest", 1)
	if rec, ok := FindRecipe(project(files)); !ok || rec.Label != "CI job msys2" {
		t.Errorf("recipe %q (%v), want CI job msys2", rec.Label, ok)
	}
}
