package venvcmd

import (
	"fmt"
	"strings"
	"testing"
)

// describe renders the fields of a command that are set, in a fixed order,
// so that table tests read as one line each.
func describe(c Command) string {
	var parts []string
	add := func(format string, a ...any) { parts = append(parts, fmt.Sprintf(format, a...)) }
	add("%s", c.Kind)
	if c.Tool != "" {
		tool := c.Tool
		if c.Sub != "" {
			tool += " " + c.Sub
		}
		add("%s", tool)
	}
	if c.Start > 0 {
		add("start=%d", c.Start)
	}
	if c.Dir != "" {
		add("dir=%s", c.Dir)
	}
	if c.Python != "" {
		add("python=%s", c.Python)
	}
	if c.Windows {
		add("windows")
	}
	if c.Module != "" {
		add("module=%s", c.Module)
	}
	if len(c.Run) > 0 {
		add("run=[%s]", strings.Join(c.Run, " "))
	}
	if in := c.Install; in != nil {
		list := func(name string, v []string) {
			if len(v) > 0 {
				add("%s=%s", name, strings.Join(v, ","))
			}
		}
		targets := func(name string, ts []Target) {
			for _, t := range ts {
				s := t.Path
				if len(t.Extras) > 0 {
					s += "[" + strings.Join(t.Extras, ",") + "]"
				}
				add("%s=%s", name, s)
			}
		}
		list("r", in.Requirements)
		list("c", in.Constraints)
		targets("e", in.Editables)
		targets("path", in.Paths)
		list("pkg", in.Packages)
		list("groups", in.Groups)
		list("without", in.WithoutGroups)
		list("only", in.OnlyGroups)
		list("extras", in.Extras)
		list("no-extras", in.NoExtras)
		flags := []struct {
			on   bool
			name string
		}{{in.AllExtras, "all-extras"}, {in.AllGroups, "all-groups"}, {in.NoDev, "no-dev"}, {in.Dev, "dev"},
			{in.NoDefaultGroups, "no-default-groups"}, {in.NoProject, "no-project"}, {in.OnlyProject, "only-project"},
			{in.NoEditable, "no-editable"}, {in.Exact, "exact"}, {in.Upgrade, "upgrade"}}
		for _, f := range flags {
			if f.on {
				add("%s", f.name)
			}
		}
		for _, o := range in.Options {
			add("opt=%s", strings.ReplaceAll(o.String(), " ", "="))
		}
		if in.Outside != "" {
			add("outside=%s", in.Outside)
		}
		if in.Python != "" {
			add("to=%s", in.Python)
		}
		if in.Project != "" {
			add("project=%s", in.Project)
		}
	}
	return strings.Join(parts, " ")
}

type classifyCase struct {
	words string // split on spaces; "␣" stands for a space inside a word
	want  string
}

func runCases(t *testing.T, cases []classifyCase) {
	t.Helper()
	for _, tc := range cases {
		words := strings.Fields(tc.words)
		for i, w := range words {
			words[i] = strings.ReplaceAll(w, "␣", " ")
		}
		if got := describe(Classify(words)); got != tc.want {
			t.Errorf("%s\n got: %s\nwant: %s", tc.words, got, tc.want)
		}
	}
}

func TestCreate(t *testing.T) {
	runCases(t, []classifyCase{
		{"python -m venv .venv", "create python venv dir=.venv python=python"},
		{"python3.11 -m venv --prompt demo venv", "create python venv dir=venv python=python3.11"},
		{"pypy3 -m venv .venv", "create python venv dir=.venv python=pypy3"},
		{"python3 -mvenv env", "create python venv dir=env python=python3"},
		{"timeout 600 python3 -m venv .venv", "create python venv start=2 dir=.venv python=python3"},
		{"sudo -u app env PIP_NO_CACHE=1 /usr/bin/python3 -m venv ./venv", "create python venv start=5 dir=venv python=python3"},
		{"/usr/local/bin/python3.12 -m venv $VENV", "create python venv dir=$VENV python=python3.12"},
		{"py -3.11 -m venv .venv", "create python venv dir=.venv python=3.11 windows"},
		{"virtualenv -p python3.8 env", "create virtualenv dir=env python=python3.8"},
		{"virtualenv --version", "other virtualenv"},
		{"python -m virtualenv --python=3.10 .venv", "create virtualenv dir=.venv python=3.10"},
		{"uv venv", "create uv venv dir=.venv"},
		{"uv venv --python 3.12 --seed build/venv", "create uv venv dir=build/venv python=3.12"},
		{"uv --directory app venv -p 3.13", "create uv venv dir=.venv python=3.13"},
		{"mkvirtualenv -p python3.11 acme", "create virtualenvwrapper mkvirtualenv dir=acme python=python3.11"},
		{"pyenv virtualenv 3.11.4 acme-dev", "create pyenv virtualenv dir=acme-dev python=3.11.4"},
		{"pdm venv create 3.12", "create pdm venv create python=3.12"},
		{"nohup python3 -m venv $PWD/.venv", "create python venv start=1 dir=.venv python=python3"},
	})
}

func TestActivate(t *testing.T) {
	runCases(t, []classifyCase{
		{"source .venv/bin/activate", "activate venv dir=.venv"},
		{". venv/bin/activate", "activate venv dir=venv"},
		{"source $VENV/bin/activate.fish", "activate venv dir=$VENV"},
		{`venv\Scripts\activate`, "activate dir=venv windows"},
		{`.\.venv\Scripts\Activate.ps1`, "activate dir=.venv windows"},
		{`call venv\Scripts\activate.bat`, "other"},
		{`source venv/Scripts/activate`, "activate venv dir=venv windows"},
		{"workon acme", "activate virtualenvwrapper workon dir=acme"},
		{"poetry shell", "activate poetry shell"},
		{"pipenv shell", "activate pipenv shell"},
		{"hatch shell", "activate hatch shell"},
		{"poetry env activate", "activate poetry env activate"},
		{"pdm venv activate", "activate pdm venv activate"},
		{"pyenv activate acme", "activate pyenv activate dir=acme"},
		{"deactivate", "deactivate venv"},
		{"source scripts/env.sh", "other"},
		{"conda activate acme", "other"},
	})
}

func TestPip(t *testing.T) {
	runCases(t, []classifyCase{
		{"pip install -r requirements.txt", "install pip install r=requirements.txt"},
		{"pip3 install -Ur requirements/dev.txt -c constraints.txt", "install pip install r=requirements/dev.txt c=constraints.txt upgrade"},
		{"pip install -rrequirements.txt", "install pip install r=requirements.txt"},
		{"pip install --requirement=reqs.txt", "install pip install r=reqs.txt"},
		{"pip install -e .[dev,dask]", "install pip install e=.[dev,dask]"},
		{`pip install -e .\[dev\]`, "install pip install e=.[dev]"},
		{"pip install -e.", "install pip install e=."},
		{"pip install --editable=./libs/common", "install pip install e=./libs/common"},
		{"pip install .[Test_Extra]", "install pip install path=.[test-extra]"},
		{"pip install . pre-commit tox>=4", "install pip install path=. pkg=pre-commit,tox>=4"},
		{"pip install -qe .", "install pip install e=."},
		{"pip install torch --index-url https://download.pytorch.org/whl/cpu", "install pip install pkg=torch opt=--index-url=https://download.pytorch.org/whl/cpu"},
		{"pip install -i https://pypi.example/simple -r requirements.txt", "install pip install r=requirements.txt opt=--index-url=https://pypi.example/simple"},
		{"pip install --pre --extra-index-url=https://x/simple --find-links wheels --no-index -r r.txt", "install pip install r=r.txt opt=--pre opt=--extra-index-url=https://x/simple opt=--find-links=wheels opt=--no-index"},
		{"pip install --no-binary lxml --only-binary :all: lxml", "install pip install pkg=lxml opt=--no-binary=lxml opt=--only-binary=:all:"},
		{"pip install --user black", "install pip install pkg=black outside=--user"},
		{"pip install --target vendor requests", "install pip install pkg=requests outside=--target"},
		{"pip install --group dev", "install pip install groups=dev"},
		{"pip install -U pip setuptools wheel", "bootstrap pip install pkg=pip,setuptools,wheel upgrade"},
		{"pip install --upgrade pip", "bootstrap pip install pkg=pip upgrade"},
		{"pip install poetry==1.8.3", "bootstrap pip install pkg=poetry==1.8.3"},
		{"pip install -e git+https://github.com/acme/lib.git#egg=lib", "install pip install e=git+https://github.com/acme/lib.git#egg=lib"},
		{"pip install lib␣@␣https://example.org/lib.whl", "install pip install pkg=lib @ https://example.org/lib.whl"},
		{"pip install dist/acme-1.0-py3-none-any.whl", "install pip install path=dist/acme-1.0-py3-none-any.whl"},
		{"python -m pip install -r requirements.txt", "install pip install r=requirements.txt"},
		{"python3 -m pip install --upgrade pip", "bootstrap pip install pkg=pip upgrade"},
		{"python -Im pip install -r requirements.txt", "install pip install r=requirements.txt"},
		{"python3 -I -X dev -m pip install -e .", "install pip install e=."},
		{"python -Impip install ruff", "install pip install pkg=ruff"},
		{"python -m pip install --upgrade pip>=25.1.0", "install pip install pkg=pip>=25.1.0 upgrade"},
		{"python -m pip install --upgrade pip>=25.1,<27", "install pip install pkg=pip>=25.1,<27 upgrade"},
		{"python -m pip install -U pip>=21.3", "bootstrap pip install pkg=pip>=21.3 upgrade"},
		{".venv/bin/pip install -r requirements.txt", "install pip install dir=.venv r=requirements.txt"},
		{"$VENV/bin/python -m pip install -e .", "install pip install dir=$VENV e=."},
		{`.venv\Scripts\pip.exe install -r requirements.txt`, "install pip install dir=.venv windows r=requirements.txt"},
		{"pip --disable-pip-version-check install -q ruff", "install pip install pkg=ruff"},
		{"pip uninstall -y acme", "uninstall pip uninstall pkg=acme"},
		{"pip freeze", "other pip freeze"},
		{"python setup.py develop", "install python setup.py develop e=."},
		{"python setup.py develop --user", "install python setup.py develop e=. outside=--user"},
		{"venv/bin/python setup.py install", "install python setup.py install dir=venv path=."},
		{"pip-sync requirements.txt dev-requirements.txt", "install pip-sync r=requirements.txt,dev-requirements.txt exact"},
		{"pip-sync", "install pip-sync r=requirements.txt exact"},
	})
}

func TestUV(t *testing.T) {
	runCases(t, []classifyCase{
		{"uv sync", "install uv sync exact"},
		{"uv sync --all-extras", "install uv sync all-extras exact"},
		{"uv sync --frozen --extra dev --extra test", "install uv sync extras=dev,test exact"},
		{"uv sync --group docs --no-dev --inexact", "install uv sync groups=docs no-dev"},
		{"uv sync --all-groups --no-install-project", "install uv sync all-groups no-project exact"},
		{"uv sync --only-group lint", "install uv sync only=lint exact"},
		{"uv sync --no-default-groups --no-editable", "install uv sync no-default-groups no-editable exact"},
		{"uv --directory backend sync --locked", "install uv sync exact project=backend"},
		{"uv sync --python 3.12 --index https://x/simple --index-strategy unsafe-best-match", "install uv sync exact opt=--index=https://x/simple opt=--index-strategy=unsafe-best-match to=3.12"},
		{"uv pip install -r requirements.txt", "install uv pip install r=requirements.txt"},
		{"uv pip install -e .[dev]", "install uv pip install e=.[dev]"},
		{"uv pip install --system -r requirements.txt", "install uv pip install r=requirements.txt outside=--system"},
		{"uv pip install -r pyproject.toml --extra dev", "install uv pip install r=pyproject.toml extras=dev"},
		{"uv pip install --prerelease allow torch", "install uv pip install pkg=torch opt=--pre"},
		{"uv pip install --python .venv/bin/python pytest", "install uv pip install pkg=pytest to=.venv/bin/python"},
		{"uv pip sync requirements.txt requirements-dev.txt", "install uv pip sync r=requirements.txt,requirements-dev.txt exact"},
		{"uv pip uninstall acme", "uninstall uv pip uninstall pkg=acme"},
		{"uv add --dev pytest", "install uv add pkg=pytest groups=dev"},
		{"uv add --group lint ruff", "install uv add pkg=ruff groups=lint"},
		{"uv remove requests", "uninstall uv remove pkg=requests"},
		{"uv run pytest -x", "manager-run uv run run=[pytest -x]"},
		{"uv run --all-extras --with coverage -m pytest", "manager-run uv run run=[python -m pytest]"},
		{"uv python install 3.12", "interpreter uv python install python=3.12"},
		{"uv lock", "other uv lock"},
		{"uv pip install -U pip uv", "bootstrap uv pip install pkg=pip,uv upgrade"},
		{"python -m uv pip install -r requirements.txt", "install uv pip install r=requirements.txt"},
		{"/opt/flox-env/bin/uv pip install --python /p/.flox/cache/venv/bin/python -r requirements.txt", "install uv pip install r=requirements.txt to=/p/.flox/cache/venv/bin/python"},
	})
}

func TestPoetry(t *testing.T) {
	runCases(t, []classifyCase{
		{"poetry install", "install poetry install"},
		{"poetry install --with docs,test --without lint", "install poetry install groups=docs,test without=lint"},
		{"poetry install --only main", "install poetry install only=main"},
		{"poetry install --no-root -E postgres --extras mysql", "install poetry install extras=postgres,mysql no-project"},
		{"poetry install --all-extras --all-groups", "install poetry install all-extras all-groups"},
		{"poetry install --sync", "install poetry install exact"},
		{"poetry sync --no-interaction", "install poetry sync exact"},
		{"poetry -C backend install", "install poetry install project=backend"},
		{"poetry add --group dev pytest", "install poetry add pkg=pytest groups=dev"},
		{"poetry add -D black", "install poetry add pkg=black groups=dev"},
		{"poetry run pytest tests", "manager-run poetry run run=[pytest tests]"},
		{"poetry env use 3.11", "interpreter poetry env use python=3.11"},
		{"poetry remove requests", "uninstall poetry remove pkg=requests"},
		{"poetry build", "other poetry build"},
		{"python -m poetry install", "install poetry install"},
	})
}

func TestPDM(t *testing.T) {
	runCases(t, []classifyCase{
		{"pdm install", "install pdm install"},
		{"pdm install -G docs -G test,lint", "install pdm install groups=docs,test,lint"},
		{"pdm install --prod --no-self", "install pdm install no-dev no-project"},
		{"pdm install -G :all", "install pdm install all-extras all-groups"},
		{"pdm sync --clean", "install pdm sync exact"},
		{"pdm sync -d --no-default", "install pdm sync dev no-default-groups"},
		{"pdm add -dG test pytest", "install pdm add pkg=pytest groups=test dev"},
		{"pdm run pytest", "manager-run pdm run run=[pytest]"},
		{"pdm use 3.12", "interpreter pdm use python=3.12"},
	})
}

func TestPipenv(t *testing.T) {
	runCases(t, []classifyCase{
		{"pipenv install", "install pipenv install"},
		{"pipenv install --dev", "install pipenv install dev"},
		{"pipenv sync -d", "install pipenv sync dev exact"},
		{"pipenv install --system --deploy", "install pipenv install outside=--system"},
		{"pipenv install requests", "install pipenv install pkg=requests"},
		{"pipenv install --categories docs,tests", "install pipenv install groups=docs,tests"},
		{"pipenv install -e .", "install pipenv install e=."},
		{"pipenv run pytest", "manager-run pipenv run run=[pytest]"},
		{"pipenv --python 3.11 install", "install pipenv install"},
	})
}

func TestRunTool(t *testing.T) {
	runCases(t, []classifyCase{
		{".venv/bin/pytest -q", "run-tool pytest dir=.venv run=[pytest -q]"},
		{"$(VENV)/bin/ruff check .", "run-tool ruff dir=$(VENV) run=[ruff check .]"},
		{"python -m pytest tests", "run-tool python module=pytest run=[python -m pytest tests]"},
		{"venv/bin/python manage.py migrate", "run-tool python dir=venv run=[python manage.py migrate]"},
		{"hatch run test:cov", "manager-run hatch run run=[test:cov]"},
		{"pytest", "other"},
		{"./scripts/test", "other"},
		{"exec .venv/bin/gunicorn app:app", "run-tool gunicorn start=1 dir=.venv run=[gunicorn app:app]"},
		{"flox activate -d . -- pip install -r requirements.txt", "install pip install start=5 r=requirements.txt"},
		{"command -v uv", "other start=3"},
		{"xvfb-run -s -screen␣0 python -m pytest", "run-tool python start=3 module=pytest run=[python -m pytest]"},
	})
}

func TestInterpreter(t *testing.T) {
	runCases(t, []classifyCase{
		{"pyenv install 3.11.9", "interpreter pyenv install python=3.11.9"},
		{"pyenv local 3.12", "interpreter pyenv local python=3.12"},
		{"asdf install python 3.12.4", "interpreter asdf install python=3.12.4"},
		{"mise use python@3.13", "interpreter mise use python=3.13"},
		{"asdf install", "other"},
	})
}

func TestNames(t *testing.T) {
	for name, want := range map[string]bool{"python": true, "python3.12": true, "python3.13t": true, "pypy3.10": true,
		"py": true, "python.exe": true, "python$PYVERSION": true, "pythonista": false, "pytest": false} {
		if IsPython(name) != want {
			t.Errorf("IsPython(%q) = %v", name, !want)
		}
	}
	for name, want := range map[string]bool{"pip": true, "pip3": true, "pip3.12": true, "pip${PY}": true, "pipx": false, "pip-sync": false} {
		if IsPip(name) != want {
			t.Errorf("IsPip(%q) = %v", name, !want)
		}
	}
	for word, want := range map[string]string{"python3.11": "3.11", "/usr/bin/python3.9": "3.9", "3.12": "3.12",
		"cpython@3.13": "3.13", "python3": "", "pypy3.10": "3.10", "python3.13t": "3.13"} {
		if got := PythonVersion(word); got != want {
			t.Errorf("PythonVersion(%q) = %q, want %q", word, got, want)
		}
	}
	for spec, want := range map[string]string{"Django>=4": "django", "ruff[all]==1": "ruff", "Foo_Bar.baz": "foo-bar-baz",
		"pkg @ https://x": "pkg", "https://x/y.whl": ""} {
		if got := RequirementName(spec); got != want {
			t.Errorf("RequirementName(%q) = %q, want %q", spec, got, want)
		}
	}
}

func TestVenvDirs(t *testing.T) {
	cl := Classifier{VenvDirs: []string{"build/pyenv"}}
	if got := describe(cl.Classify([]string{"build/pyenv/bin/pytest"})); got != "run-tool pytest dir=build/pyenv run=[pytest]" {
		t.Errorf("known venv dir: %s", got)
	}
	if got := describe(Classify([]string{"build/pyenv/bin/pytest"})); got != "other" {
		t.Errorf("unknown dir: %s", got)
	}
}

// FuzzClassify holds that no command line makes the classifier panic and
// that Start stays within the words.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"pip install -Ur a.txt", "uv run -- pytest", "sudo -u", "timeout", "env A=1",
		"python -m", "py -3", "poetry -C", "pdm -G", "source", `venv\Scripts\activate`, "flox activate --"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words := strings.Fields(s)
		c := Classify(words)
		if c.Start < 0 || c.Start > len(words) {
			t.Fatalf("Start %d out of %d words", c.Start, len(words))
		}
	})
}

func TestModuleArgv(t *testing.T) {
	for _, tc := range []struct {
		argv string
		want string // "" when it runs no module
	}{
		{"python -m build", "build"},
		{"python -Im build --sdist", "build --sdist"},
		{"python3.12 -I -m pip install build", "pip install build"},
		{"python -Wdefault -X dev -m pytest -x", "pytest -x"},
		{"python -W error -m pytest", "pytest"},
		{"python -mpip list", "pip list"},
		{"python -Esmpytest", "pytest"},
		{"python -c 'import x'", ""},
		{"python setup.py sdist", ""},
		{"python -Iz -m x", ""},
		{"ruff -m x", ""},
	} {
		got, ok := ModuleArgv(strings.Fields(tc.argv))
		if s := strings.Join(got, " "); s != tc.want || ok != (tc.want != "") {
			t.Errorf("ModuleArgv(%q) = %q, %v; want %q", tc.argv, s, ok, tc.want)
		}
	}
}
