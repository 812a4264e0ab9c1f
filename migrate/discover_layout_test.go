package migrate

import (
	"reflect"
	"testing"
)

// layoutOf reads a tree and returns its environments (folder -> members),
// the projects served by others (folder -> installers) and whether the top
// is left to rootResult.
func layoutOf(t *testing.T, files map[string]string) (map[string][]string, map[string][]string, bool) {
	t.Helper()
	l, err := FindLayout(mapFS(files), DiscoverOptions{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	envs, served := map[string][]string{}, map[string][]string{}
	for _, e := range l.Environments {
		envs[e.Dir] = e.Members
		if e.Project == nil {
			t.Errorf("%s: environment without its project", e.Dir)
		} else if !reflect.DeepEqual(e.Project.Members, e.Members) {
			t.Errorf("%s: project read with members %q, want %q", e.Dir, e.Project.Members, e.Members)
		}
	}
	for _, s := range l.Served {
		served[s.Dir] = s.By
	}
	return envs, served, l.Top != nil
}

const setupPy = "from setuptools import setup\nsetup(name='x', python_requires='>=3.9')\n"

func TestLayoutRootVenv(t *testing.T) {
	envs, served, top := layoutOf(t, map[string]string{
		// The root requirements install two packages from the checkout.
		"requirements.txt":                      "-e ./pkg_a\n-e ./pkg_b[extra]\npytest\n",
		"pkg_a/setup.py":                        setupPy,
		"pkg_a/integrations/x/requirements.txt": "gunicorn==23.0.0\n",
		"pkg_b/pyproject.toml":                  "[project]\nname = \"b\"\nversion = \"1\"\n",
		// No setup of its own, below the root that hosts packages.
		"tools/cli/setup.py": setupPy,
		// Its own venv: a Makefile that makes one.
		"services/api/pyproject.toml": "[project]\nname = \"api\"\nversion = \"1\"\n",
		"services/api/Makefile":       "install:\n\tpython3 -m venv .venv\n\t.venv/bin/pip install -e .\n",
		// Fixtures and examples are no projects.
		"pkg_a/tests/data/proj/pyproject.toml": "[project]\nname = \"fixture\"\n",
		"examples/demo/requirements.txt":       "b==1.0\n",
	})
	want := map[string][]string{".": {"pkg_a", "pkg_b", "tools/cli"}, "services/api": nil}
	if !reflect.DeepEqual(envs, want) {
		t.Errorf("environments %q, want %q", envs, want)
	}
	if len(served) != 0 || top {
		t.Errorf("served %q, top left alone %v: want none", served, top)
	}
}

func TestLayoutServedLibrary(t *testing.T) {
	envs, served, top := layoutOf(t, map[string]string{
		"services/api/requirements.txt":    "-e ../../libs/common\nfastapi\n",
		"services/worker/requirements.txt": "-e ../../libs/common\ncelery\n",
		"libs/common/pyproject.toml":       "[project]\nname = \"common\"\nversion = \"1\"\n",
		// A library with a lock file builds its own venv.
		"libs/own/pyproject.toml":      "[project]\nname = \"own\"\nversion = \"1\"\n",
		"libs/own/uv.lock":             "version = 1\n",
		"services/api/requirements.in": "-e ../../libs/own\n",
		"Makefile":                     "test:\n\tfor d in services/*; do $(MAKE) -C $$d test; done\n",
	})
	wantEnvs := map[string][]string{"libs/own": nil, "services/api": nil, "services/worker": nil}
	if !reflect.DeepEqual(envs, wantEnvs) {
		t.Errorf("environments %q, want %q", envs, wantEnvs)
	}
	if want := map[string][]string{"libs/common": {"services/api", "services/worker"}}; !reflect.DeepEqual(served, want) {
		t.Errorf("served %q, want %q", served, want)
	}
	if !top {
		t.Error("the top is no project: its shared files go to rootResult")
	}
}

// pluginRepo is modelled on a per-plugin repository: the top holds only a
// Makefile and the contributor docs, which make one venv and install a
// plugin into it.
var pluginRepo = map[string]string{
	"Makefile":             "install-dev:\n\tcd $(plugin) && python -m pip install -e \".[test]\"\n",
	"CONTRIBUTING.md":      "# Contributing\n\n```bash\npython3 -m venv .venv\nsource .venv/bin/activate\nmake install-dev plugin=p-csv\n```\n",
	"p-csv/pyproject.toml": "[project]\nname = \"p-csv\"\nversion = \"1\"\n",
	"p-sql/pyproject.toml": "[project]\nname = \"p-sql\"\nversion = \"1\"\n",
	"p-sql/tests/integration/dummy/pyproject.toml": "[project]\nname = \"dummy\"\n",
}

func TestLayoutTopWithoutMarker(t *testing.T) {
	envs, _, top := layoutOf(t, pluginRepo)
	if want := map[string][]string{".": {"p-csv", "p-sql"}}; !reflect.DeepEqual(envs, want) {
		t.Errorf("environments %q, want %q", envs, want)
	}
	if top {
		t.Error("the top is an environment, not left to rootResult")
	}
	// --include that leaves the top out keeps the plugins apart.
	l, err := FindLayout(mapFS(pluginRepo), DiscoverOptions{Include: []string{"p-*"}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range l.Environments {
		dirs = append(dirs, e.Dir)
	}
	if want := []string{"p-csv", "p-sql"}; !reflect.DeepEqual(dirs, want) || l.Top == nil {
		t.Errorf("with --include p-*: environments %q (top left to rootResult: %v), want %q", dirs, l.Top != nil, want)
	}
}

func TestLayoutPerPackage(t *testing.T) {
	// Nothing installs anything from the checkout: one environment each,
	// and the top, which is no project, is left to rootResult.
	envs, served, top := layoutOf(t, map[string]string{
		"Makefile":                     "test:\n\t$(MAKE) -C a test\n",
		"a/pyproject.toml":             "[project]\nname = \"a\"\nversion = \"1\"\n",
		"b/requirements.txt":           "flask\n",
		"templates/app/pyproject.toml": "[project]\nname = \"template\"\n",
		"tpl/cookiecutter.json":        "{}\n",
		"tpl/pyproject.toml":           "[project]\nname = \"tpl\"\n",
	})
	if want := map[string][]string{"a": nil, "b": nil}; !reflect.DeepEqual(envs, want) {
		t.Errorf("environments %q, want %q", envs, want)
	}
	if len(served) != 0 || !top {
		t.Errorf("served %q, top left alone %v", served, top)
	}
}

// Poetry and PDM have no workspaces: a root that develops its packages
// together declares them as editable path dependencies, and its manager
// installs them into the root's venv.
func TestLayoutManagerPathDependencies(t *testing.T) {
	for name, root := range map[string]string{
		"poetry": "[tool.poetry]\nname = \"acme\"\nversion = \"0.1.0\"\n[tool.poetry.dependencies]\npython = \"^3.11\"\n" +
			"acme-core = {path = \"libs/core\", develop = true}\n[build-system]\nrequires = [\"poetry-core\"]\nbuild-backend = \"poetry.core.masonry.api\"\n",
		"pdm": "[project]\nname = \"acme\"\nversion = \"0.1.0\"\n[tool.pdm.dev-dependencies]\n" +
			"dev = [\"-e file:///${PROJECT_ROOT}/libs/core#egg=acme-core\"]\n[build-system]\nrequires = [\"pdm-backend\"]\nbuild-backend = \"pdm.backend\"\n",
	} {
		envs, served, top := layoutOf(t, map[string]string{
			"pyproject.toml":             root,
			"libs/core/pyproject.toml":   "[project]\nname = \"acme-core\"\nversion = \"1\"\n",
			"libs/legacy/pyproject.toml": "[project]\nname = \"legacy\"\nversion = \"1\"\n",
			"libs/legacy/Makefile":       "venv:\n\tpython3.10 -m venv .venv\n\t.venv/bin/pip install -e .\n",
		})
		if want := map[string][]string{".": {"libs/core"}, "libs/legacy": nil}; !reflect.DeepEqual(envs, want) {
			t.Errorf("%s: environments %q, want %q", name, envs, want)
		}
		if len(served) != 0 || top {
			t.Errorf("%s: served %q, top left alone %v: want none", name, served, top)
		}
	}
}

// Below a project with an environment, a package with no setup of its
// own is worked on in that environment (modelled on uv's crates/uv-build);
// one with a lock file of its own keeps its own, and one that another
// environment installs is served by it.
func TestLayoutNestedWithoutSetup(t *testing.T) {
	envs, served, top := layoutOf(t, map[string]string{
		"pyproject.toml":                   "[project]\nname = \"tool\"\nversion = \"1\"\n",
		"Makefile":                         "dev:\n\tpython3 -m venv .venv\n\t.venv/bin/pip install -e .\n",
		"crates/tool-build/pyproject.toml": "[project]\nname = \"tool-build\"\nversion = \"1\"\n",
		"scripts/bench/pyproject.toml":     "[project]\nname = \"bench\"\nversion = \"1\"\n",
		"scripts/bench/uv.lock":            "version = 1\n",
		"scripts/bench/requirements.txt":   "-e ../../libs/shared\n",
		"libs/shared/pyproject.toml":       "[project]\nname = \"shared\"\nversion = \"1\"\n",
	})
	want := map[string][]string{".": {"crates/tool-build"}, "scripts/bench": nil}
	if !reflect.DeepEqual(envs, want) {
		t.Errorf("environments %q, want %q", envs, want)
	}
	if want := map[string][]string{"libs/shared": {"scripts/bench"}}; !reflect.DeepEqual(served, want) || top {
		t.Errorf("served %q (top left alone %v), want %q", served, top, want)
	}
	l, err := FindLayout(mapFS(map[string]string{
		"pyproject.toml":                   "[project]\nname = \"tool\"\nversion = \"1\"\n",
		"crates/tool-build/pyproject.toml": "[project]\nname = \"tool-build\"\nversion = \"1\"\n",
	}), DiscoverOptions{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	// The top's setup installs nothing from the checkout: the note says
	// no more than that the package is worked on there.
	if want := "crates/tool-build has no setup of its own: it is worked on in this environment"; l.Environments[0].Serves != want {
		t.Errorf("note %q, want %q", l.Environments[0].Serves, want)
	}
}
