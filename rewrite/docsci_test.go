package rewrite

import (
	"bytes"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// dcTestContext is the migration the docs and CI fixtures assume: a project
// at the repository root whose hook syncs the usual dependency files.
// A fixture's .ctx file overrides fields.
func dcTestContext() *Context {
	return &Context{
		ProjectDir: ".",
		VenvDirs:   []string{".venv", "venv"},
		Synced:     []string{"requirements.txt", "requirements-dev.txt", "pyproject.toml", "uv.lock", "poetry.lock"},
		Groups:     []string{"dev"},
		Manager:    "pip",
	}
}

// dcMustParseShell fails when a snippet venv2flox produced is not shell.
func dcMustParseShell(t *testing.T, where, code string) {
	t.Helper()
	if _, err := syntax.NewParser().Parse(strings.NewReader(code), ""); err != nil {
		t.Errorf("%s: produced shell does not parse: %v\n%s", where, err, code)
	}
}

func TestGitLabCIGolden(t *testing.T) {
	runGolden(t, "gitlab", *dcTestContext(), GitLabCI, func(t *testing.T, c goldenCase, out []byte) {
		yamlScriptsParse(t, out, "script", "before_script")
	})
}

func TestCircleCIGolden(t *testing.T) {
	runGolden(t, "circleci", *dcTestContext(), CircleCI, func(t *testing.T, c goldenCase, out []byte) {
		yamlScriptsParse(t, out, "command", "run")
	})
}

func TestJenkinsfileGolden(t *testing.T) {
	runGolden(t, "jenkins", *dcTestContext(), Jenkinsfile, func(t *testing.T, c goldenCase, out []byte) {
		for _, tok := range jkTokens(string(out)) {
			if tok.str != nil {
				if v, ok := jkDecode(tok.str); ok {
					dcMustParseShell(t, "sh string", strings.ReplaceAll(v, "\r\n", "\n"))
				}
			}
		}
	})
}

func TestAzurePipelinesGolden(t *testing.T) {
	runGolden(t, "azure", *dcTestContext(), AzurePipelines, func(t *testing.T, c goldenCase, out []byte) {
		if !bytes.Equal(c.In, out) {
			t.Errorf("Azure Pipelines files are reported, never edited")
		}
	})
}

func TestDCPlanSnippet(t *testing.T) {
	tests := []struct {
		name, in, replacement, want string
		remaining, windows          bool
		refused                     int
	}{
		{name: "create activate install", in: "python3 -m venv .venv\nsource .venv/bin/activate\npip install -r requirements.txt\n", want: ""},
		{name: "README replacement", in: "python -m venv venv\n. venv/bin/activate\npytest\n", replacement: "flox activate",
			want: "flox activate\npytest\n", remaining: true},
		{name: "chain keeps command", in: "source venv/bin/activate && pytest -x\n", want: "pytest -x\n", remaining: true},
		{name: "venv bin prefix", in: ".venv/bin/python -m app\n", want: "python -m app\n", remaining: true},
		{name: "end-user install stays", in: "pip install widgets\n", want: "pip install widgets\n", remaining: true},
		{name: "unsynced requirements stay", in: "pip install -r docs/requirements.txt\n", want: "pip install -r docs/requirements.txt\n", remaining: true},
		{name: "windows comment", in: "source venv/bin/activate  # On Windows: venv\\Scripts\\activate\nmake run\n",
			want: "make run\n", remaining: true, windows: true},
		{name: "comment above goes too", in: "# create the venv\npython -m venv venv\n\nmake\n", want: "\nmake\n", remaining: true},
		{name: "comment over kept commands stays", in: "# install and test\npip install -r requirements.txt\npytest\n",
			want: "# install and test\npytest\n", remaining: true},
		{name: "deactivate becomes exit in READMEs", in: "source venv/bin/activate\npytest\ndeactivate\n", replacement: "flox activate",
			want: "flox activate\npytest\nexit\n", remaining: true},
		{name: "guarded create", in: "[ -d venv ] || python -m venv venv\n", want: ""},
		{name: "system site packages blocks", in: "python -m venv --system-site-packages venv\npip install -r requirements.txt\n",
			want: "python -m venv --system-site-packages venv\npip install -r requirements.txt\n", remaining: true, refused: 1},
		{name: "shared line blocks", in: "source venv/bin/activate; pytest\n", want: "source venv/bin/activate; pytest\n", remaining: true, refused: 1},
		{name: "github path export", in: "echo \"$PWD/.venv/bin\" >> $GITHUB_PATH\n", want: ""},
		{name: "bootstrap only", in: "python -m pip install --upgrade pip setuptools wheel\n", want: ""},
		{name: "setuptools alone is for a later build", in: "pip install setuptools\nmake -C tools/swig test\n",
			want: "pip install setuptools\nmake -C tools/swig test\n", remaining: true},
		{name: "a narrower sync is not the hook's", in: "uv sync --only-group coverage\nuv run coverage report\n",
			want: "uv sync --only-group coverage\nuv run coverage report\n", remaining: true, refused: 1},
		{name: "poetry --only is not the hook's", in: "poetry install --only=lint\n",
			want: "poetry install --only=lint\n", remaining: true, refused: 1},
		{name: "project extras zsh escaped", in: "pip install -e .\\[dev\\]\n", want: ""},
		{name: "uv sync", in: "uv sync --frozen\nuv run pytest\n", want: "uv run pytest\n", remaining: true},
		{name: "poetry shell goes", in: "poetry install\npoetry shell\n", want: ""},
		{name: "pdm venv activate is an activation", in: "pdm install\neval \"$(pdm venv activate)\"\npytest\n", replacement: "flox activate",
			want: "flox activate\npytest\n", remaining: true},
		{name: "poetry env activate", in: "eval $(poetry env activate)\npytest\n", want: "pytest\n", remaining: true},
		{name: "poetry env info path", in: "source \"$(poetry env info --path)/bin/activate\"\npytest\n", want: "pytest\n", remaining: true},
		{name: "pipenv hatch pdm shells", in: "pipenv shell\nhatch shell\npdm shell\n", want: ""},
		{name: "hatch shell of another env stays", in: "hatch shell docs\n", want: "hatch shell docs\n", remaining: true},
		{name: "interpreter installs go", in: "uv python install 3.12\nuv python pin 3.12\npyenv install 3.10.13\npyenv local 3.10.13\nasdf install python 3.12.4\nmake\n",
			want: "make\n", remaining: true},
		{name: "bare asdf install stays", in: "asdf install\n", want: "asdf install\n", remaining: true},
		{name: "extras the hook syncs go", in: "pip install -e \".[dev]\"\n", want: ""},
		{name: "extras the hook does not sync stay", in: "pip install -e \".[dev,docs]\"\n", want: "pip install -e \".[dev,docs]\"\n", remaining: true},
		{name: "uv sync of an unsynced group stays", in: "uv sync --group docs\n", want: "uv sync --group docs\n", remaining: true},
		{name: "uv sync of synced groups goes", in: "uv sync --locked --group=dev\n", want: ""},
		{name: "pip --group of a synced group goes", in: "pip install --group dev\n", want: ""},
		{name: "pip --group of an unsynced group stays", in: "pip install --group docs\n", want: "pip install --group docs\n", remaining: true},
		{name: "pip --group of another folder stays", in: "pip install --group sub/pyproject.toml:dev\n",
			want: "pip install --group sub/pyproject.toml:dev\n", remaining: true},
		{name: "uv sync of every group stays", in: "uv sync --all-groups\n", want: "uv sync --all-groups\n", remaining: true},
		{name: "install kept before the activation runs in the environment",
			in: "poetry install --with dev --all-extras\npoetry shell\npytest\n", replacement: "flox activate",
			want: "flox activate\npoetry install --with dev --all-extras\npytest\n", remaining: true},
		{name: "mkvirtualenv workon", in: "mkvirtualenv acme\nworkon acme\npip install -r requirements.txt\n", want: ""},
		{name: "uv venv", in: "uv venv\nuv pip install -r requirements.txt\n", want: ""},
		{name: "py launcher is Windows", in: "py -3 -m venv .venv\n", want: "", windows: true},
		{name: "export VIRTUAL_ENV", in: "export VIRTUAL_ENV=$PWD/.venv\nexport PATH=\"$VIRTUAL_ENV/bin:$PATH\"\nmake\n", want: "make\n", remaining: true},
		{name: "conda untouched", in: "conda activate acme\npytest\n", want: "conda activate acme\npytest\n", remaining: true},
		// "update an existing conda environment": the installs go into conda.
		{name: "pip after conda install stays", in: "conda install pytorch torchvision -c pytorch\npip install -r requirements.txt\npip install -e .\n",
			replacement: "flox activate",
			want:        "conda install pytorch torchvision -c pytorch\npip install -r requirements.txt\npip install -e .\n", remaining: true},
		{name: "conda next to a venv is still read", in: "conda deactivate\npython -m venv .venv\n. .venv/bin/activate\npip install -e .\n",
			replacement: "flox activate", want: "conda deactivate\nflox activate\n", remaining: true},
		{name: "user install of synced files goes", in: "pip install --user -r requirements.txt\n", want: ""},
		{name: "user install of a tool blocks", in: "pip install --user tox\n", want: "pip install --user tox\n", remaining: true, refused: 1},
		{name: "heredoc", in: "cat <<EOF > x\nhi\nEOF\n", want: "cat <<EOF > x\nhi\nEOF\n", remaining: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := dcPlanSnippet(dcTestContext(), tt.in, tt.replacement)
			if p.ParseErr != nil {
				t.Fatal(p.ParseErr)
			}
			got, err := applyEdits([]byte(tt.in), p.Edits)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if p.Remaining != tt.remaining || p.Windows != tt.windows || len(p.Refused) != tt.refused {
				t.Errorf("remaining=%v windows=%v refused=%v", p.Remaining, p.Windows, p.Refused)
			}
			dcMustParseShell(t, "snippet", string(got))
		})
	}
}

func TestDCWrapCommand(t *testing.T) {
	for in, want := range map[string]string{
		"pytest -q":                  "flox activate -- pytest -q",
		`echo "done"`:                `flox activate -- echo "done"`,
		"pytest tests/*.py":          "flox activate -c 'pytest tests/*.py'",
		"cd doc && make html":        "flox activate -c 'cd doc && make html'",
		"echo $HOME":                 "flox activate -c 'echo $HOME'",
		"python -c 'print(1)'":       "flox activate -- python -c 'print(1)'",
		"pytest -k 'not slow' $ARGS": `flox activate -c 'pytest -k '\''not slow'\'' $ARGS'`,
		"make test > out.txt":        "flox activate -c 'make test > out.txt'",
		"PYTHONPATH=src pytest":      "flox activate -c 'PYTHONPATH=src pytest'",
	} {
		got := dcWrapCommand("flox activate", in)
		if got != want {
			t.Errorf("dcWrapCommand(%q) = %q, want %q", in, got, want)
		}
		dcMustParseShell(t, in, got)
	}
}

func TestDCSystemCommand(t *testing.T) {
	tests := []struct {
		in        string
		any, only bool
		pkgs      string
	}{
		{"apt-get update -qq && apt-get install -y -qq libldap2-dev libsasl2-dev", true, true, "libldap2-dev libsasl2-dev"},
		{"sudo -E apt-get install -y --no-install-recommends graphviz && sudo rm -rf /var/lib/apt/lists/*", true, true, "graphviz"},
		{"DEBIAN_FRONTEND=noninteractive apt-get -y install libpq-dev", true, true, "libpq-dev"},
		{"apk add --no-cache --virtual .build gcc musl-dev", true, true, "gcc musl-dev"},
		{"yum install -y openssl-devel; dnf -y install libffi-devel", true, true, "openssl-devel libffi-devel"},
		{"brew install graphviz openldap", true, true, "graphviz openldap"},
		{"apt-get install -y postgresql-client && psql --version", true, false, "postgresql-client"},
		{"sudo make install", true, false, ""},
		{"pip install -r requirements.txt", false, false, ""},
		{"echo apt-get install x", false, false, ""},
	}
	for _, tt := range tests {
		got := dcSystemCommand(tt.in)
		if got.Any != tt.any || got.Only != tt.only || strings.Join(got.Packages, " ") != tt.pkgs {
			t.Errorf("%q: got any=%v only=%v pkgs=%q, want %v %v %q", tt.in, got.Any, got.Only, got.Packages, tt.any, tt.only, tt.pkgs)
		}
	}
}

func TestDCWrapLinesLeavesPackageManagers(t *testing.T) {
	got, ok := dcWrapLines(`flox activate -d "$WORKSPACE"`, "sudo apt-get install -y graphviz\npytest -q", true)
	want := "sudo apt-get install -y graphviz\nflox activate -d \"$WORKSPACE\" -- pytest -q"
	if !ok || got != want {
		t.Errorf("got %q, %v; want %q", got, ok, want)
	}
}

func TestDcPythonDiffers(t *testing.T) {
	tests := []struct {
		v    string
		want bool
	}{
		{"3.10", true}, {"3.12", false}, {"3.12.4", false}, {"3.13t", true}, {"python3.11", true},
		{"cpython@3.12", false}, {"cpython-3.10.14-linux-x86_64-gnu", true}, {"QX0XQQQQ", true},
		{"python3", false}, {"/usr/bin/python3", false}, {"pypy", false}, {"3", false},
	}
	for _, tt := range tests {
		if got := dcPythonDiffers(tt.v, "3.12"); got != tt.want {
			t.Errorf("dcPythonDiffers(%q, 3.12) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

// `python -m uv` ran the uv a dropped `pip install uv` put in the runner's
// Python: in the environment uv is a program of its own.
func TestDCPlanSnippetManagerModule(t *testing.T) {
	ctx := dcTestContext()
	ctx.Manager = "uv"
	for in, want := range map[string]string{
		"python -m pip install -U uv\npython -m uv run pytest\n": "uv run pytest\n",
		"python3 -m uv build\n":                                  "uv build\n",
		"python -m poetry run pytest\n":                          "python -m poetry run pytest\n", // not the manager the environment has
	} {
		p := dcPlanSnippet(ctx, in, "")
		got, err := applyEdits([]byte(in), p.Edits)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
