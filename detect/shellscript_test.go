package detect

import (
	"testing"
)

func TestShellScriptGolden(t *testing.T) {
	for _, dir := range []string{"shell/bootstrap", "shell/ci-aware"} {
		t.Run(dir, func(t *testing.T) { checkUsageGolden(t, dir) })
	}
}

// TestShellAnalyzer pins the analyzer on small scripts: what it must
// recognise, and the look-alikes it must not be fooled by.
func TestShellAnalyzer(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{
			name: "venv creation forms",
			src: "python -m venv .venv\n" +
				"python3 -m venv --prompt acme --upgrade-deps env\n" +
				"python3.12 -I -m venv /tmp/x\n" +
				"virtualenv -p python3 venv2\n" +
				"uv venv\n" +
				"uv venv --python 3.12 .venv312\n" +
				"py -3 -m venv winenv\n" +
				"mkvirtualenv acme\n" +
				"python$PYVERSION -m virtualenv \"venv$1\"\n",
			want: []string{
				"s.sh:1 venv create dir=.venv [shell] | python -m venv .venv",
				"s.sh:2 venv create dir=env [shell] | python3 -m venv --prompt acme --upgrade-deps env",
				"s.sh:3 venv create dir=/tmp/x [shell] | python3.12 -I -m venv /tmp/x",
				"s.sh:3 python shell 3.12",
				"s.sh:4 venv create dir=venv2 [shell] | virtualenv -p python3 venv2",
				"s.sh:5 venv create dir=.venv [shell] | uv venv",
				"s.sh:5 manager uv 1 (uv venv)",
				"s.sh:6 venv create dir=.venv312 [shell] | uv venv --python 3.12 .venv312",
				"s.sh:6 manager uv 1 (uv venv)",
				"s.sh:6 python shell 3.12",
				"s.sh:7 venv create dir=winenv windows [shell] | py -3 -m venv winenv",
				"s.sh:8 venv create [shell] | mkvirtualenv acme",
				"s.sh:9 venv create dir=venv$1 [shell] | python$PYVERSION -m virtualenv \"venv$1\"",
			},
		},
		{
			name: "activation forms",
			src: "source .venv/bin/activate\n" +
				". venv/bin/activate.fish\n" +
				"source \"$HOME/.virtualenvs/acme/bin/activate\"\n" +
				"workon acme\n" +
				"pipenv shell\n" +
				"poetry shell\n" +
				"export PATH=\"$PWD/.venv/bin:$PATH\"\n",
			want: []string{
				"s.sh:1 venv activate dir=.venv [shell] | source .venv/bin/activate",
				"s.sh:2 venv activate dir=venv [shell] | . venv/bin/activate.fish",
				"s.sh:3 venv activate dir=$HOME/.virtualenvs/acme [shell] | source \"$HOME/.virtualenvs/acme/bin/activate\"",
				"s.sh:4 venv activate [shell] | workon acme",
				"s.sh:5 venv activate [shell] | pipenv shell",
				"s.sh:5 manager pipenv 1 (pipenv shell)",
				"s.sh:6 venv activate [shell] | poetry shell",
				"s.sh:6 manager poetry 1 (poetry shell)",
				"s.sh:7 venv activate dir=.venv [shell] | PATH=\"$PWD/.venv/bin:$PATH\"",
			},
		},
		{
			name: "variables name the venv",
			src: "VENV=.venv\n" +
				"VENV_DIR=${VENV_DIR:-venv}\n" +
				"$VENV/bin/pip install -r requirements.txt\n" +
				"${VENV}/bin/python -m pytest\n" +
				"source \"$VENV_DIR/bin/activate\"\n" +
				"\"$SCRIPT_DIR/.venv/bin/python\" app.py\n",
			want: []string{
				"s.sh:3 venv bin dir=.venv [shell] | $VENV/bin/pip install -r requirements.txt",
				"s.sh:3 venv install dir=.venv [shell] | $VENV/bin/pip install -r requirements.txt",
				"s.sh:3 manager pip 1 (pip install)",
				"s.sh:4 venv bin dir=.venv [shell] | ${VENV}/bin/python -m pytest",
				"s.sh:5 venv activate dir=venv [shell] | source \"$VENV_DIR/bin/activate\"",
				"s.sh:6 venv bin dir=$SCRIPT_DIR/.venv [shell] | \"$SCRIPT_DIR/.venv/bin/python\" app.py",
			},
		},
		{
			name: "installs and managers",
			src: "python -m pip install --upgrade pip\n" +
				"pip3 install -e '.[dev]'\n" +
				"uv pip sync requirements.lock\n" +
				"uv sync --frozen\n" +
				"poetry install --no-root\n" +
				"pdm sync\n" +
				"pipenv install --deploy\n" +
				"pip freeze > requirements.txt\n",
			want: []string{
				"s.sh:1 venv install [shell] | python -m pip install --upgrade pip",
				"s.sh:1 manager pip 1 (pip install)",
				"s.sh:2 venv install [shell] | pip3 install -e '.[dev]'",
				"s.sh:2 manager pip 1 (pip install)",
				"s.sh:3 venv install [shell] | uv pip sync requirements.lock",
				"s.sh:3 manager uv 1 (uv pip sync)",
				"s.sh:4 venv install [shell] | uv sync --frozen",
				"s.sh:4 manager uv 1 (uv sync)",
				"s.sh:5 venv install [shell] | poetry install --no-root",
				"s.sh:5 manager poetry 1 (poetry install)",
				"s.sh:6 venv install [shell] | pdm sync",
				"s.sh:6 manager pdm 1 (pdm sync)",
				"s.sh:7 venv install [shell] | pipenv install --deploy",
				"s.sh:7 manager pipenv 1 (pipenv install)",
			},
		},
		{
			name: "look-alikes are not venvs",
			src: "conda activate base\n" +
				"poetry env activate\n" +
				"gcloud auth activate-service-account --key-file k.json\n" +
				"source .env\n" +
				". ./scripts/lib.sh\n" +
				"echo \"run deactivate, then layout python\"\n" +
				"/usr/bin/env python3 --version\n" +
				"/usr/local/bin/node --version\n" +
				"$HOME/.local/bin/poetry --version\n" +
				"node_modules/.bin/eslint .\n" +
				"command -v uv\n",
			want: []string{
				"s.sh:1 manager conda 1 (conda activate)",
				"s.sh:2 manager poetry 1 (poetry env)",
				"s.sh:3 command gcloud auth activate-service-account --key-file k.json",
				"s.sh:4 command source .env",
				"s.sh:5 command . ./scripts/lib.sh",
				"s.sh:7 command python3 --version",
				"s.sh:8 command node --version",
			},
		},
		{
			name: "wrappers run the command inside",
			src: "sudo -E env PYTHONPATH=. uv run --with pytest-cov pytest -q\n" +
				"poetry run python -m build\n" +
				"pipenv run flask run\n" +
				"hatch run test:cov\n" +
				"exec gunicorn app:app\n" +
				"bash -c 'redis-server --port 6380 &&\n  psql -c \"select 1\"'\n" +
				"flox activate -- make test\n",
			want: []string{
				"s.sh:1 command pytest -q",
				"s.sh:1 manager uv 1 (uv run)",
				"s.sh:2 command python -m build",
				"s.sh:2 manager poetry 1 (poetry run)",
				"s.sh:3 command flask run",
				"s.sh:3 manager pipenv 1 (pipenv run)",
				"s.sh:4 manager hatch 1 (hatch run)",
				"s.sh:5 command gunicorn app:app",
				"s.sh:6 command redis-server --port 6380",
				"s.sh:7 command psql -c select 1",
				"s.sh:8 command flox activate -- make test",
				"s.sh:8 command make test",
			},
		},
		{
			name: "system packages at their own lines",
			src: "sudo apt-get update && sudo apt-get install -y \\\n" +
				"  libpq-dev=15.4-1 \\\n" +
				"  graphviz:amd64 \\\n" +
				"  $EXTRA\n" +
				"apk add --no-cache --virtual .deps gcc musl-dev\n" +
				"brew install ffmpeg\n" +
				"dnf install -y postgresql-devel\n" +
				"brew install --build-from-source ./extras/httpie.rb\n" +
				"sudo apt-get install -y ./dist/acme_1.0_amd64.deb /tmp/x.deb\n" +
				"dnf install -y https://example.com/epel-release-latest-9.noarch.rpm\n",
			want: []string{
				"s.sh:2 system apt libpq-dev",
				"s.sh:3 system apt graphviz",
				"s.sh:5 system apk gcc",
				"s.sh:5 system apk musl-dev",
				"s.sh:6 system brew ffmpeg",
				"s.sh:7 system dnf postgresql-devel",
			},
		},
		{
			name: "functions are not programs and deactivate is a command only as one",
			src:  "setup() {\n  python3 -m venv .venv\n}\nsetup\nlog() { echo \"$@\"; }\nlog deactivate\nif true; then deactivate; fi\n",
			want: []string{
				"s.sh:2 venv create dir=.venv [shell] | python3 -m venv .venv",
				"s.sh:7 venv deactivate [shell] | deactivate",
			},
		},
		{
			name: "a syntax error in a venv step is reported once and the rest is read",
			src:  "python -m venv .venv\nif [ -f x ]; then\n  .venv/bin/pip install \"oops\nfi\nsource .venv/bin/activate\n",
			want: []string{
				"s.sh:1 venv create dir=.venv [shell] | python -m venv .venv",
				"s.sh:3 problem shell: reached EOF without closing quote `\"`: venv2flox could not read the venv step here",
				"s.sh:5 venv activate dir=.venv [shell] | source .venv/bin/activate",
			},
		},
		{
			// Bash the parser does not know, or a typo far from any venv,
			// changes nothing the migration does.
			name: "a syntax error away from venvs is not a problem",
			src:  "python -m venv .venv\nX=\"${RESULTS[parse  warm]:-0}\"\necho \"oops\n",
			want: []string{
				"s.sh:1 venv create dir=.venv [shell] | python -m venv .venv",
			},
		},
		{
			name: "template expressions are masked and restored",
			src:  "{% if cookiecutter.use_venv %}\npython -m venv {{ cookiecutter.venv_dir }}\n{% endif %}\n",
			want: []string{
				"s.sh:2 venv create dir={{ cookiecutter.venv_dir }} [shell] | python -m venv {{ cookiecutter.venv_dir }}",
			},
		},
		{
			name: "windows paths in a POSIX script",
			src:  "venv\\Scripts\\activate\nsource venv/Scripts/activate\n.venv\\Scripts\\python.exe -m pip install -r requirements.txt\n",
			want: []string{
				"s.sh:1 venv activate dir=venv windows [shell] | venv\\Scripts\\activate",
				"s.sh:2 venv activate dir=venv windows [shell] | source venv/Scripts/activate",
				"s.sh:3 venv bin dir=.venv windows [shell] | .venv\\Scripts\\python.exe -m pip install -r requirements.txt",
				"s.sh:3 venv install dir=.venv [shell] | .venv\\Scripts\\python.exe -m pip install -r requirements.txt",
				"s.sh:3 manager pip 1 (pip install)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameUsageFacts(t, snippetFacts("s.sh", tt.src), tt.want)
		})
	}
}

// TestShellScriptsByShebang checks that extension-less scripts in script
// folders are read when their shebang names a shell.
func TestShellScriptsByShebang(t *testing.T) {
	p := usageScanFiles(map[string]string{
		"scripts/setup": "#!/usr/bin/env bash\npython3 -m venv .venv\n",
		"scripts/data":  "python3 -m venv not-a-script\n",
		"bin/run":       "#!/usr/bin/env python3\nimport os\n",
	})
	sameUsageFacts(t, usageFacts(p), []string{"scripts/setup:2 venv create dir=.venv [shell] | python3 -m venv .venv"})
}

func FuzzShell(f *testing.F) {
	seedUsageFuzz(f, "shell", nil)
	f.Add("VENV=${VENV:-.venv}\n\"$VENV\"/bin/pip install -r r.txt\nsource $VENV/bin/activate\n")
	f.Add("bash -c 'bash -c \"sh -c \\\"uv sync\\\"\"'\n")
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, "s.sh", src)
	})
}

// TestAnalyzeShellOffset checks the one-off entry point: facts of a snippet
// that starts at line 10 of some file are reported at that file's lines.
func TestAnalyzeShellOffset(t *testing.T) {
	s := &scanner{p: &Project{}}
	analyzeShell(s, "cd app\nuv sync\n", Evidence{Path: "Procfile", Line: 10}, KindShell)
	sameUsageFacts(t, usageFacts(s.p), []string{
		"Procfile:11 venv install [shell] | uv sync",
		"Procfile:11 manager uv 1 (uv sync)",
	})
}

// Package lists held in variables and continued over lines give one
// package per name, never the list or its backslashes as one name.
func TestSystemPackageLists(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            []string
	}{
		{
			name: "a variable that holds a list, lines continued, an unknown variable",
			file: "setup.sh",
			src:  "#!/bin/sh\nPKGS=\"libpq-dev gcc\"\nsudo apt-get install -y $PKGS\nsudo apt-get install -y \\\n  libffi-dev \\\n  libssl-dev\nsudo apt-get install -y ${DEPS}\n",
			want: []string{
				"setup.sh:3 system apt libpq-dev",
				"setup.sh:3 system apt gcc",
				"setup.sh:5 system apt libffi-dev",
				"setup.sh:6 system apt libssl-dev",
			},
		},
		{
			name: "ARG and ENV lists in a Dockerfile",
			file: "Dockerfile",
			src:  "FROM debian\nARG PKGS=\"libpq-dev gcc\"\nENV BUILD_DEPS=\"libxml2-dev \\\n  libxslt-dev\"\nRUN apt-get install -y $PKGS $BUILD_DEPS \\\n  curl\n",
			want: []string{
				"Dockerfile:5 system apt libpq-dev",
				"Dockerfile:5 system apt gcc",
				"Dockerfile:5 system apt libxml2-dev",
				"Dockerfile:5 system apt libxslt-dev",
				"Dockerfile:6 system apt curl",
			},
		},
		{
			// Only the CI run knows which python3.X-dev a template names;
			// its parts (matrix.python, }}) are no packages.
			name: "CI template expressions in package words",
			file: ".github/workflows/ci.yml",
			src:  "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          sudo apt-get install -y python${{ matrix.python-version }}-dev g++ libtiff-dev\n          brew install python@${{ matrix.python }} libxml2\n",
			want: []string{
				".github/workflows/ci.yml:3 ci github-workflow t os=ubuntu-latest",
				".github/workflows/ci.yml:7 system apt g++",
				".github/workflows/ci.yml:7 system apt libtiff-dev",
				".github/workflows/ci.yml:8 system brew libxml2",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameUsageFacts(t, snippetFacts(tt.file, tt.src), tt.want)
		})
	}
}
