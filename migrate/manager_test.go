package migrate

import (
	pathpkg "path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/venv2flox/venv2flox/detect"
)

func files(specs ...string) []detect.File {
	var out []detect.File
	for _, s := range specs {
		path, group, _ := strings.Cut(s, "#")
		kind := detect.KindRequirements
		switch pathpkg.Base(path) {
		case "pyproject.toml":
			kind = detect.KindPyproject
		case "uv.lock":
			kind = detect.KindUVLock
		case "poetry.lock":
			kind = detect.KindPoetryLock
		case "pdm.lock":
			kind = detect.KindPDMLock
		case "Pipfile":
			kind = detect.KindPipfile
		case "Pipfile.lock":
			kind = detect.KindPipfileLock
		case "setup.py":
			kind = detect.KindSetupPy
		case "Makefile":
			kind = detect.KindMakefile
		}
		out = append(out, detect.File{Path: path, Kind: kind, Group: group})
	}
	return out
}

func pinned(name, file string, line int) detect.Requirement {
	return detect.Requirement{Name: name, Specifier: "==1.0", Evidence: ev(file, line)}
}

func TestChooseSync(t *testing.T) {
	poetryGroups := []detect.Requirement{
		{Name: "django", Evidence: ev("pyproject.toml", 10)},
		{Name: "pytest", Table: "tool.poetry.group", Group: "test", Evidence: ev("pyproject.toml", 14)},
		{Name: "sphinx", Table: "tool.poetry.group", Group: "docs", Evidence: ev("pyproject.toml", 18)},
		{Name: "redis", Group: "cache", Optional: true, Evidence: ev("pyproject.toml", 11)},
	}
	tests := []struct {
		name     string
		project  detect.Project
		opts     PlanOptions
		manager  string
		commands []string
		synced   []string
		vars     []string
		exports  []string
		notes    []string
		err      string
	}{
		{
			name:     "uv.lock: uv sync --frozen into the Flox venv",
			project:  detect.Project{Files: files("pyproject.toml", "uv.lock")},
			manager:  "uv",
			commands: []string{"uv sync --frozen"},
			synced:   []string{"pyproject.toml", "uv.lock"},
			exports:  []string{"UV_PROJECT_ENVIRONMENT=$VIRTUAL_ENV"},
		},
		{
			name: "uv.lock with groups: test added, docs left out, dev by default",
			project: detect.Project{Files: files("pyproject.toml", "uv.lock"), Requirements: []detect.Requirement{
				{Name: "pytest", Table: "dependency-groups", Group: "dev", Evidence: ev("pyproject.toml", 20)},
				{Name: "hypothesis", Table: "dependency-groups", Group: "test", Evidence: ev("pyproject.toml", 21)},
				{Name: "mkdocs", Table: "dependency-groups", Group: "docs", Evidence: ev("pyproject.toml", 22)},
				{Name: "ruff", Group: "lint", Optional: true, Evidence: ev("pyproject.toml", 12)},
			}},
			manager:  "uv",
			commands: []string{"uv sync --frozen --group test --extra lint"},
		},
		{
			name: "uv.lock with [tool.uv] default-groups: its groups need no flags",
			project: detect.Project{Files: files("pyproject.toml", "uv.lock"),
				Groups: detect.GroupSettings{UVDefaultGroups: []string{"dev", "pre-commit", "test"}},
				Requirements: []detect.Requirement{
					{Name: "ruff", Table: "dependency-groups", Group: "dev", Evidence: ev("pyproject.toml", 20)},
					{Name: "pytest", Table: "dependency-groups", Group: "test", Evidence: ev("pyproject.toml", 21)},
					{Name: "mkdocs", Table: "dependency-groups", Group: "docs", Evidence: ev("pyproject.toml", 22)},
					{Name: "pre-commit", Table: "dependency-groups", Group: "pre-commit", Evidence: ev("pyproject.toml", 23)},
				}},
			manager:  "uv",
			commands: []string{"uv sync --frozen"},
		},
		{
			name:     "uv.lock --no-dev",
			project:  detect.Project{Files: files("pyproject.toml", "uv.lock")},
			opts:     PlanOptions{NoDev: true, AllExtras: true},
			manager:  "uv",
			commands: []string{"uv sync --frozen --no-dev"},
		},
		{
			name: "uv.lock with explicit groups drops the default dev group",
			project: detect.Project{Files: files("pyproject.toml", "uv.lock"), Requirements: []detect.Requirement{
				{Name: "pytest", Table: "dependency-groups", Group: "dev", Evidence: ev("pyproject.toml", 20)},
				{Name: "mkdocs", Table: "dependency-groups", Group: "docs", Evidence: ev("pyproject.toml", 22)},
			}},
			opts:     PlanOptions{Groups: []string{"docs"}},
			manager:  "uv",
			commands: []string{"uv sync --frozen --no-default-groups --group docs"},
		},
		{
			name:     "poetry.lock: poetry sync with groups",
			project:  detect.Project{Files: files("pyproject.toml", "poetry.lock"), Requirements: poetryGroups},
			manager:  "poetry",
			commands: []string{"poetry sync --no-interaction --with test --without docs"},
			synced:   []string{"pyproject.toml", "poetry.lock"},
			vars:     []string{"POETRY_VIRTUALENVS_CREATE"},
		},
		{
			name:     "poetry all extras",
			project:  detect.Project{Files: files("pyproject.toml", "poetry.lock"), Requirements: poetryGroups},
			opts:     PlanOptions{NoDev: true, AllExtras: true},
			manager:  "poetry",
			commands: []string{"poetry sync --no-interaction --only main --all-extras"},
		},
		{
			name: "[tool.poetry] without a lock installs and says the lock gets written",
			project: detect.Project{Files: files("pyproject.toml"), Managers: []detect.ManagerUse{
				{Manager: detect.ManagerPoetry, Strength: 2, Reason: "[tool.poetry] in pyproject.toml", Evidence: ev("pyproject.toml", 1)},
			}},
			manager:  "poetry",
			commands: []string{"poetry install --no-interaction"},
			notes:    []string{"there is no poetry.lock"},
		},
		{
			name:     "pdm.lock: pdm sync with PDM_PYTHON at the venv",
			project:  detect.Project{Files: files("pyproject.toml", "pdm.lock")},
			manager:  "pdm",
			commands: []string{"pdm sync --clean"},
			exports:  []string{"PDM_PYTHON=$VIRTUAL_ENV/bin/python"},
			vars:     []string{"PDM_CHECK_UPDATE"},
		},
		{
			name:     "pdm --no-dev",
			project:  detect.Project{Files: files("pyproject.toml", "pdm.lock")},
			opts:     PlanOptions{NoDev: true},
			manager:  "pdm",
			commands: []string{"pdm sync --clean --prod"},
		},
		{
			name:     "Pipfile.lock: pipenv sync --dev",
			project:  detect.Project{Files: files("Pipfile", "Pipfile.lock")},
			manager:  "pipenv",
			commands: []string{"pipenv sync --dev"},
			synced:   []string{"Pipfile", "Pipfile.lock"},
			vars:     []string{"PIPENV_VERBOSITY"},
		},
		{
			name:     "Pipfile alone: pipenv install",
			project:  detect.Project{Files: files("Pipfile")},
			opts:     PlanOptions{NoDev: true},
			manager:  "pipenv",
			commands: []string{"pipenv install"},
		},
		{
			name: "compiled requirements: one uv pip sync for every file",
			project: detect.Project{
				Files:        files("requirements.txt", "requirements-dev.txt#dev", "requirements-docs.txt#docs", "constraints.txt"),
				Requirements: []detect.Requirement{pinned("django", "requirements.txt", 3), pinned("pytest", "requirements-dev.txt", 2), pinned("sphinx", "requirements-docs.txt", 1)},
			},
			manager:  "uv",
			commands: []string{`uv pip sync --python "$VIRTUAL_ENV/bin/python" requirements.txt requirements-dev.txt`},
			synced:   []string{"requirements.txt", "requirements-dev.txt"},
			notes:    []string{"not synced: requirements-docs.txt (choose it with --group)"},
		},
		{
			name: "loose requirements: uv pip install with every -r in one call",
			project: detect.Project{
				Files: files("requirements.txt", "requirements/test.txt#test"),
				Requirements: []detect.Requirement{
					{Name: "django", Specifier: ">=4.2", Evidence: ev("requirements.txt", 1)},
					pinned("pytest", "requirements/test.txt", 1),
				},
			},
			manager:  "uv",
			commands: []string{`uv pip install --python "$VIRTUAL_ENV/bin/python" -r requirements.txt -r requirements/test.txt`},
		},
		{
			name: "pip-tools .in files are not installed when the .txt exists",
			project: detect.Project{
				Files:        files("requirements.in", "requirements.txt"),
				Requirements: []detect.Requirement{pinned("django", "requirements.txt", 5), {Name: "django", Evidence: ev("requirements.in", 1)}},
			},
			manager:  "uv",
			commands: []string{`uv pip sync --python "$VIRTUAL_ENV/bin/python" requirements.txt`},
			synced:   []string{"requirements.txt"},
		},
		{
			name: "pip manager uses the venv's pip",
			project: detect.Project{
				Files:        files("requirements.txt"),
				Requirements: []detect.Requirement{pinned("django", "requirements.txt", 1)},
			},
			opts:     PlanOptions{Manager: "pip"},
			manager:  "pip",
			commands: []string{`"$VIRTUAL_ENV/bin/python" -m pip install -r requirements.txt`},
			notes:    []string{"pip only adds packages"},
		},
		{
			name: "plain pyproject: editable install with dev extras and groups",
			project: detect.Project{
				Files: files("pyproject.toml"),
				Requirements: []detect.Requirement{
					{Name: "httpx", Evidence: ev("pyproject.toml", 8)},
					{Name: "pytest", Group: "dev", Optional: true, Evidence: ev("pyproject.toml", 12)},
					{Name: "mkdocs", Group: "docs", Optional: true, Evidence: ev("pyproject.toml", 13)},
					{Name: "mypy", Table: "dependency-groups", Group: "typing", Evidence: ev("pyproject.toml", 20)},
				},
			},
			manager:  "uv",
			commands: []string{`uv pip install --python "$VIRTUAL_ENV/bin/python" -e '.[dev]' --group typing`},
			synced:   []string{"pyproject.toml"},
		},
		{
			// `--group default` would fail: Hatch environments are not PEP 735
			// groups, so their requirements are installed by name.
			name: "hatch environments install their requirements by name",
			project: detect.Project{
				Files: files("pyproject.toml"),
				Requirements: []detect.Requirement{
					{Name: "typing-extensions", Specifier: ">=4.6", Marker: `python_version < "3.12"`, Evidence: ev("pyproject.toml", 9)},
					{Name: "pytest", Group: "tests", Optional: true, Evidence: ev("pyproject.toml", 12)},
					{Name: "black", Specifier: ">=23.1.0", Table: "tool.hatch.envs", Group: "default", Evidence: ev("pyproject.toml", 17)},
					{Name: "coverage", Extras: []string{"toml"}, Table: "tool.hatch.envs", Group: "tests", Evidence: ev("pyproject.toml", 25)},
					{Name: "mkdocs", Table: "tool.hatch.envs", Group: "docs", Evidence: ev("pyproject.toml", 21)},
					{Name: "mypy", Table: "dependency-groups", Group: "typing", Evidence: ev("pyproject.toml", 30)},
				},
				Managers: []detect.ManagerUse{{Manager: detect.ManagerHatch, Strength: 1, Evidence: ev("pyproject.toml", 15)}},
			},
			manager:  "uv",
			commands: []string{`uv pip install --python "$VIRTUAL_ENV/bin/python" -e '.[tests]' --group typing 'black>=23.1.0' 'coverage[toml]'`},
			synced:   []string{"pyproject.toml"},
		},
		{
			name: "uv sync takes PEP 735 groups only",
			project: detect.Project{
				Files: files("pyproject.toml", "uv.lock"),
				Requirements: []detect.Requirement{
					{Name: "pytest", Table: "dependency-groups", Group: "test", Evidence: ev("pyproject.toml", 14)},
					{Name: "black", Table: "tool.hatch.envs", Group: "lint", Evidence: ev("pyproject.toml", 20)},
				},
			},
			manager:  "uv",
			commands: []string{`uv sync --frozen --group test`},
			synced:   []string{"pyproject.toml", "uv.lock"},
		},
		{
			// cookiecutter-django's layout: production.txt is the server's.
			name: "production requirements stay out of the developer venv",
			project: detect.Project{
				Files:        files("requirements/base.txt", "requirements/local.txt#local", "requirements/production.txt#production"),
				Requirements: []detect.Requirement{{Name: "django", Evidence: ev("requirements/base.txt", 1)}, {Name: "gunicorn", Group: "production", Evidence: ev("requirements/production.txt", 3)}},
			},
			manager:  "uv",
			commands: []string{`uv pip install --python "$VIRTUAL_ENV/bin/python" -r requirements/base.txt -r requirements/local.txt`},
			synced:   []string{"requirements/base.txt", "requirements/local.txt"},
			notes:    []string{"not synced: requirements/production.txt (choose it with --group)"},
		},
		{
			name: "production requirements alone are the main ones",
			project: detect.Project{
				Files:        files("requirements-prod.txt#production"),
				Requirements: []detect.Requirement{{Name: "flask", Group: "production", Evidence: ev("requirements-prod.txt", 1)}},
			},
			manager:  "uv",
			commands: []string{`uv pip install --python "$VIRTUAL_ENV/bin/python" -r requirements-prod.txt`},
			synced:   []string{"requirements-prod.txt"},
		},
		{
			name: "a requirements file with a missing include is not synced",
			project: detect.Project{
				Files:        files("requirements.txt", "requirements/dev.txt#dev"),
				Requirements: []detect.Requirement{{Name: "requests", Evidence: ev("requirements.txt", 1)}},
				Problems:     []detect.Problem{{Evidence: ev("requirements/dev.txt", 1), Message: "cannot read included file ./base.txt: cannot read: file does not exist", Kind: detect.ProblemBrokenInclude}},
			},
			manager:  "uv",
			commands: []string{`uv pip install --python "$VIRTUAL_ENV/bin/python" -r requirements.txt`},
			synced:   []string{"requirements.txt"},
			notes:    []string{"not synced: requirements/dev.txt (it includes a file that cannot be read"},
		},
		{
			name: "options of the setup's pip commands go with the sync",
			project: detect.Project{
				Files:        files("requirements.txt"),
				Requirements: []detect.Requirement{{Name: "lxml", Evidence: ev("requirements.txt", 1)}},
				Venvs: []detect.VenvUse{
					{Action: detect.VenvInstall, Command: "pip install --no-binary=lxml -r requirements.txt --find-links wheelhouse --no-index", File: detect.KindGitLabCI, Evidence: ev(".gitlab-ci.yml", 21)},
					{Action: detect.VenvInstall, Command: "pip install -i https://pypi.example/simple -r requirements.txt", File: detect.KindDockerfile, Evidence: ev("Dockerfile", 4)},
				},
			},
			manager:  "uv",
			commands: []string{`uv pip install --python "$VIRTUAL_ENV/bin/python" --no-binary lxml --find-links wheelhouse --no-index -r requirements.txt`},
			synced:   []string{"requirements.txt"},
			notes:    []string{"the sync passes --no-binary lxml --find-links wheelhouse --no-index, as .gitlab-ci.yml:21 did"},
		},
		{
			name: "an exact sync warns about packages installed by name",
			project: detect.Project{
				Files:        files("requirements.txt"),
				Requirements: []detect.Requirement{pinned("flask", "requirements.txt", 1)},
				Venvs: []detect.VenvUse{
					{Action: detect.VenvInstall, Command: "pip install -r requirements.txt", File: detect.KindShell, Evidence: ev("run.sh", 4)},
					{Action: detect.VenvInstall, Command: "pip install gunicorn==21.2.0", File: detect.KindShell, Evidence: ev("run.sh", 5)},
					{Action: detect.VenvInstall, Command: "pip install --upgrade pip", File: detect.KindShell, Evidence: ev("run.sh", 6)},
				},
			},
			manager:  "uv",
			commands: []string{`uv pip sync --python "$VIRTUAL_ENV/bin/python" requirements.txt`},
			synced:   []string{"requirements.txt"},
			notes:    []string{"packages installed outside the requirements files (gunicorn==21.2.0 at run.sh:5) are removed"},
		},
		{
			name: "requirements plus a package installed by the Makefile",
			project: detect.Project{
				Files:        files("pyproject.toml", "requirements.txt", "Makefile"),
				Requirements: []detect.Requirement{{Name: "flask", Evidence: ev("pyproject.toml", 6)}, pinned("flask", "requirements.txt", 1)},
				Venvs:        []detect.VenvUse{{Action: detect.VenvInstall, Command: "$(VENV)/bin/pip install -e .", File: detect.KindMakefile, Evidence: ev("Makefile", 8)}},
			},
			manager: "uv",
			commands: []string{
				`uv pip sync --python "$VIRTUAL_ENV/bin/python" requirements.txt`,
				`uv pip install --python "$VIRTUAL_ENV/bin/python" -e .`,
			},
			synced: []string{"requirements.txt", "pyproject.toml"},
			notes:  []string{"as Makefile:8 did"},
		},
		{
			// `$(PYTHON) setup.py develop` is the legacy editable install.
			name: "requirements plus setup.py develop in the Makefile",
			project: detect.Project{
				Files:        files("setup.py", "dev-requirements.txt", "Makefile"),
				Requirements: []detect.Requirement{{Name: "requests", Evidence: ev("setup.py", 4)}, {Name: "pytest", Group: "dev", Evidence: ev("dev-requirements.txt", 3)}},
				Venvs: []detect.VenvUse{
					{Action: detect.VenvBinUse, Command: "$(PYTHON) setup.py develop", File: detect.KindMakefile, Evidence: ev("Makefile", 15)},
					{Action: detect.VenvBinUse, Command: "python setup.py develop", File: detect.KindDockerfile, Evidence: ev("Dockerfile", 9)},
				},
			},
			manager: "uv",
			commands: []string{
				`uv pip install --python "$VIRTUAL_ENV/bin/python" -r dev-requirements.txt`,
				`uv pip install --python "$VIRTUAL_ENV/bin/python" -e .`,
			},
			synced: []string{"dev-requirements.txt", "setup.py"},
			notes:  []string{"as Makefile:15 did"},
		},
		{
			name: "requirements with a tool-config pyproject do not install the project",
			project: detect.Project{
				Files:        files("pyproject.toml", "requirements.txt"),
				Requirements: []detect.Requirement{pinned("flask", "requirements.txt", 1)},
			},
			manager:  "uv",
			commands: []string{`uv pip sync --python "$VIRTUAL_ENV/bin/python" requirements.txt`},
		},
		{
			name:     "setup.py project",
			project:  detect.Project{Files: files("setup.py")},
			opts:     PlanOptions{Manager: "pip"},
			manager:  "pip",
			commands: []string{`"$VIRTUAL_ENV/bin/python" -m pip install -e .`},
		},
		{
			name:    "several locks: uv.lock first, the others named",
			project: detect.Project{Files: files("pyproject.toml", "poetry.lock", "uv.lock")},
			manager: "uv",
		},
		{
			name:    "unknown --manager",
			project: detect.Project{Files: files("requirements.txt")},
			opts:    PlanOptions{Manager: "conda"},
			err:     `unknown manager "conda"`,
		},
		{
			name:    "nothing to install",
			project: detect.Project{},
			manager: "pip",
			notes:   []string{"the hook only creates the venv"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chooseSync(&tt.project, tt.opts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Manager != tt.manager {
				t.Errorf("manager = %q, want %q (%s)", got.Manager, tt.manager, got.Why.Text)
			}
			if tt.commands != nil && !slices.Equal(got.Commands, tt.commands) {
				t.Errorf("commands = %q\nwant       %q", got.Commands, tt.commands)
			}
			if tt.synced != nil && !slices.Equal(got.Synced, tt.synced) {
				t.Errorf("synced = %q, want %q", got.Synced, tt.synced)
			}
			for _, v := range tt.vars {
				if !slices.ContainsFunc(got.Vars, func(x Var) bool { return x.Name == v && x.Reason.Text != "" }) {
					t.Errorf("vars %+v lack %s", got.Vars, v)
				}
			}
			for _, e := range tt.exports {
				if !slices.ContainsFunc(got.Exports, func(x hookExport) bool { return x.Name+"="+x.Value == e }) {
					t.Errorf("exports %+v lack %s", got.Exports, e)
				}
			}
			notes := slices.Clone(got.Notes)
			for _, l := range got.Left {
				notes = append(notes, l.String())
			}
			for _, n := range tt.notes {
				if !containsSub(notes, n) {
					t.Errorf("notes %q lack %q", notes, n)
				}
			}
			if got.Manager != "pip" && (got.Tool == nil || got.Tool.PkgPath != got.Manager) {
				t.Errorf("manager %s is not installed from the catalog: %+v", got.Manager, got.Tool)
			}
			if got.Why.Text == "" {
				t.Errorf("no reason for the manager")
			}
			for _, c := range got.Commands {
				if strings.Contains(c, "uv pip sync --frozen") {
					t.Errorf("uv pip sync --frozen is not a uv command: %s", c)
				}
			}
		})
	}
}

func TestSeveralLocksAreNamed(t *testing.T) {
	got, err := chooseSync(&detect.Project{Files: files("pyproject.toml", "poetry.lock", "uv.lock")}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Why.Text, "also found poetry.lock") {
		t.Errorf("reason %q does not name the other lock", got.Why.Text)
	}
}

func TestHashedCoversEveryDependencyFile(t *testing.T) {
	p := &detect.Project{Files: files("pyproject.toml", "requirements.txt", "requirements-docs.txt#docs", "constraints.txt", "Makefile", "uv.lock", "libs/a/pyproject.toml")}
	got := dependencyFiles(p)
	want := []string{"constraints.txt", "pyproject.toml", "requirements-docs.txt", "requirements.txt", "uv.lock"}
	if !slices.Equal(got, want) {
		t.Errorf("hashed = %q, want %q", got, want)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"requirements.txt": "requirements.txt", ".[dev]": "'.[dev]'", "a b": "'a b'", "it's": `'it'"'"'s'`, "a'": `'a'"'"''`, "": "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// Of two lock files, the one of the manager the setup recipe runs wins: a
// uv.lock left beside the poetry.lock that `make setup` syncs is stale.
func TestRecipeManagerPicksTheLock(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml": {Data: []byte("[tool.poetry]\nname = \"acme\"\n[tool.poetry.dependencies]\nrich = \"*\"\n[tool.poetry.extras]\nsyntax = [\"rich\"]\n[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n")},
		"poetry.lock":    {Data: []byte("[[package]]\nname = \"rich\"\nversion = \"13.0.0\"\n")},
		"uv.lock":        {Data: []byte("version = 1\nrequires-python = \">=3.11\"\n")},
		"Makefile":       {Data: []byte("setup:\n\tpoetry install\n\tpoetry install --extras syntax\n")},
	}
	got, err := chooseSync(detect.Scan(fsys, ".", detect.Options{}), PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Manager != "poetry" || !strings.Contains(got.Why.Text, "also found uv.lock") {
		t.Errorf("manager %s (%s), want poetry naming uv.lock", got.Manager, got.Why.Text)
	}
	// Without a recipe, uv.lock comes first, as before.
	delete(fsys, "Makefile")
	if got, _ := chooseSync(detect.Scan(fsys, ".", detect.Options{}), PlanOptions{}); got.Manager != "uv" {
		t.Errorf("manager without a recipe %s, want uv", got.Manager)
	}
}
