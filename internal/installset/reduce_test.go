package installset

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/venv2flox/venv2flox/detect"
)

// recordScript runs script at the top of a project and reduces what it
// installed.
func recordScript(files map[string]string, script string) (Set, []Note) {
	p := project(files)
	r := NewRecorder(p, nil)
	r.RunSource(detect.ShellSource{Path: "setup.sh", Script: script}, ".")
	return Reduce(r.Steps(), MetaOf(p))
}

const uvProject = `
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
lint = ["ruff"]
`

const poetryProject = `
[tool.poetry]
name = "acme"
[tool.poetry.dependencies]
python = "^3.11"
psycopg = {version = "^3", optional = true}
[tool.poetry.extras]
postgres = ["psycopg"]
[tool.poetry.group.dev.dependencies]
pytest = "^8"
[tool.poetry.group.docs]
optional = true
[tool.poetry.group.docs.dependencies]
sphinx = "^7"
`

const pdmProject = `
[project]
name = "acme"
dependencies = ["httpx"]
[project.optional-dependencies]
cli = ["click"]
[tool.pdm.dev-dependencies]
test = ["pytest"]
lint = ["ruff"]
`

func TestReduce(t *testing.T) {
	reqs := map[string]string{
		"requirements.txt":      "flask==3.0.0\n",
		"requirements-dev.txt":  "-r requirements.txt\n-c constraints.txt\npytest==8.0.0\n",
		"constraints.txt":       "werkzeug<4\n",
		"docs/requirements.txt": "sphinx\n",
		"setup.py":              "from setuptools import setup\nsetup(name='acme')\n",
	}
	for _, tc := range []struct {
		name   string
		files  map[string]string
		script string
		want   string
	}{
		{"pip -r expands includes and constraints", reqs,
			"pip install -r requirements-dev.txt",
			"project none\nrequirements requirements-dev.txt\nrequirements requirements.txt\nconstraints constraints.txt\n"},
		{"cd into a folder", reqs,
			"cd docs && pip install -r requirements.txt",
			"project none\nrequirements docs/requirements.txt\n"},
		{"editable with extras, zsh-escaped", reqs,
			`pip install -e .\[dev,Dask_Extra\]`,
			"project editable [dask-extra,dev]\n"},
		{"the checkout as a file: URL with its egg fragment", reqs,
			"pip install -e \"file://`pwd`#egg=acme[tests]\"",
			"project editable [tests]\n"},
		{"a version a CI matrix chooses is left to the resolver", reqs,
			"pip install numpy==CI_EXPRESSION CI_EXPRESSION pytest",
			"project none\npackage numpy\npackage pytest\n"},
		{"non-editable then editable", reqs,
			"pip install .\npip install -e .",
			"project editable\n"},
		{"packaging tools are left out", reqs,
			"pip install -U pip setuptools wheel\npip install -U pip pre-commit",
			"project none\npackage pre-commit\n"},
		{"--user installs are not the venv's", reqs,
			"pip install --user tox",
			"project none\n"},
		{"index options stay on their line", reqs,
			"pip install -r requirements.txt --extra-index-url https://pkgs.example/simple\npip install black",
			"project none\nrequirements requirements.txt --extra-index-url https://pkgs.example/simple\npackage black\n"},
		{"index from the environment", reqs,
			"export PIP_INDEX_URL=https://mirror.example/simple\npip install -r requirements.txt",
			"project none\nrequirements requirements.txt --index-url https://mirror.example/simple\n"},
		{"an exact sync replaces what came before", reqs,
			"pip install black\npip-sync requirements.txt",
			"project none\nrequirements requirements.txt\n"},
		{"uninstall takes a package out", reqs,
			"pip install black ruff\npip uninstall -y black",
			"project none\npackage ruff\n"},
		{"a missing file is not synced", reqs,
			"pip install -r requirements-test.txt",
			"project none\n"},
		{"a CUDA index serves one platform", reqs,
			"pip install torch --index-url https://download.pytorch.org/whl/cu121",
			"project none\n"},
		{"uv sync: default groups", map[string]string{"pyproject.toml": uvProject},
			"uv sync",
			"project editable\ngroup dev\n"},
		{"uv sync --all-extras --group docs", map[string]string{"pyproject.toml": uvProject},
			"uv sync --all-extras --group docs",
			"project editable [dask,plot]\ngroup dev\ngroup docs\n"},
		{"uv sync --all-groups --no-group lint --no-install-project", map[string]string{"pyproject.toml": uvProject},
			"uv sync --all-groups --no-group lint --no-install-project",
			"project deps\ngroup dev\ngroup docs\n"},
		{"uv sync --no-dev --extra plot", map[string]string{"pyproject.toml": uvProject},
			"uv sync --no-dev --extra plot",
			"project editable [plot]\n"},
		{"uv sync --only-group docs", map[string]string{"pyproject.toml": uvProject},
			"uv sync --only-group docs",
			"project none\ngroup docs\n"},
		{"uv sync of a project without a build system installs its dependencies",
			map[string]string{"pyproject.toml": "[project]\nname = \"svc\"\ndependencies = [\"fastapi\"]\n[dependency-groups]\ndev = [\"pytest\"]\n"},
			"uv sync --frozen",
			"project deps\ngroup dev\n"},
		{"uv default-groups setting", map[string]string{"pyproject.toml": uvProject + "[tool.uv]\ndefault-groups = [\"dev\", \"lint\"]\n"},
			"uv sync",
			"project editable\ngroup dev\ngroup lint\n"},
		{"uv pip -r pyproject.toml", map[string]string{"pyproject.toml": uvProject},
			"uv pip install -r pyproject.toml --extra dask",
			"project deps [dask]\n"},
		{"uv pip install with groups", map[string]string{"pyproject.toml": uvProject},
			"uv pip install -e . --group dev --group lint",
			"project editable\ngroup dev\ngroup lint\n"},
		{"poetry install: non-optional groups", map[string]string{"pyproject.toml": poetryProject},
			"poetry install",
			"project editable\ngroup dev\n"},
		{"poetry install with package-mode = false: the dependencies only", map[string]string{"pyproject.toml": strings.Replace(poetryProject, "[tool.poetry]\n", "[tool.poetry]\npackage-mode = false\n", 1)},
			"poetry install",
			"project deps\ngroup dev\n"},
		{"package-mode = false, then pip install -e . installs the project", map[string]string{"pyproject.toml": strings.Replace(poetryProject, "[tool.poetry]\n", "[tool.poetry]\npackage-mode = false\n", 1)},
			"poetry install\npoetry run pip install -e .",
			"project editable\ngroup dev\n"},
		{"poetry install --with docs --all-extras", map[string]string{"pyproject.toml": poetryProject},
			"poetry install --with docs --all-extras",
			"project editable [postgres]\ngroup dev\ngroup docs\n"},
		{"poetry install --only main --no-root", map[string]string{"pyproject.toml": poetryProject},
			"poetry install --only main --no-root",
			"project deps\n"},
		{"poetry install --without dev -E postgres", map[string]string{"pyproject.toml": poetryProject},
			"poetry install --without dev -E postgres",
			"project editable [postgres]\n"},
		{"pdm install: every dev group", map[string]string{"pyproject.toml": pdmProject},
			"pdm install",
			"project editable\ngroup lint\ngroup test\n"},
		{"pdm install -G test: that dev group only", map[string]string{"pyproject.toml": pdmProject},
			"pdm install -G test",
			"project editable\ngroup test\n"},
		{"pdm install -G cli: an extra and every dev group", map[string]string{"pyproject.toml": pdmProject},
			"pdm install -G cli",
			"project editable [cli]\ngroup lint\ngroup test\n"},
		{"pdm install --prod --no-self", map[string]string{"pyproject.toml": pdmProject},
			"pdm install --prod --no-self",
			"project deps\n"},
		{"pipenv install --dev", map[string]string{"Pipfile": "[packages]\nflask = \"*\"\n[dev-packages]\npytest = \"*\"\n"},
			"pipenv install --dev",
			"project deps\ngroup dev-packages\n"},
		{"poetry run pip installs into the venv", map[string]string{"pyproject.toml": poetryProject},
			"poetry run pip install debugpy",
			"project none\npackage debugpy\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, notes := recordScript(tc.files, tc.script)
			if got := set.String(); got != tc.want {
				var ns []string
				for _, n := range notes {
					ns = append(ns, n.String())
				}
				t.Errorf("set:\n%s\nwant:\n%s\nnotes: %s", got, tc.want, strings.Join(ns, "; "))
			}
		})
	}
}

// A setup.cfg that only holds tools' settings beside an application does
// not make the project a package the setup forgot to install.
func TestSetupCfgWithOnlySettingsIsNoPackage(t *testing.T) {
	for _, tt := range []struct {
		cfg  string
		want bool
	}{
		{"[flake8]\nmax-line-length = 100\n\n[isort]\nprofile = black\n", false},
		{"[metadata]\nname = shelfwise\n", true},
		{"[options]\npackages = find:\n", true},
	} {
		p := &detect.Project{Root: ".", Files: []detect.File{{Path: "setup.cfg", Kind: detect.KindSetupCfg}},
			FS: fstest.MapFS{"setup.cfg": {Data: []byte(tt.cfg)}}}
		if got := MetaOf(p).Package; got != tt.want {
			t.Errorf("%q: Package = %v, want %v", tt.cfg, got, tt.want)
		}
	}
}
