package migrate

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"
	"time"
)

// mapFS builds an fstest.MapFS from file contents; names ending in "/" are
// empty folders.
func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, content := range files {
		if name[len(name)-1] == '/' {
			fsys[name[:len(name)-1]] = &fstest.MapFile{Mode: os.ModeDir | 0o755}
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(content), Mode: 0o644}
	}
	return fsys
}

const uvWorkspace = `[project]
name = "mono"
version = "0"

[tool.uv.workspace]
members = ["packages/*", "tools/cli/"]
exclude = ["packages/legacy"]
`

func TestDiscover(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opts  DiscoverOptions
		want  []string
	}{
		{
			name: "every marker",
			files: map[string]string{
				"a/pyproject.toml":       "[project]\nname = \"a\"\n",
				"b/setup.py":             "from setuptools import setup\nsetup()\n",
				"c/setup.cfg":            "[metadata]\nname = c\n",
				"d/Pipfile":              "[packages]\n",
				"e/requirements.txt":     "flask\n",
				"f/requirements-dev.in":  "pytest\n",
				"g/README.md":            "# not a project\n",
				"h/package.json":         "{}\n",
				"i/requirements.txt.bak": "flask\n",
			},
			want: []string{"a", "b", "c", "d", "e", "f"},
		},
		{
			name: "root and nested projects",
			files: map[string]string{
				"pyproject.toml":                    "[project]\nname = \"top\"\n",
				"services/api/pyproject.toml":       "[project]\nname = \"api\"\n",
				"services/api/plugins/x/setup.py":   "",
				"services/worker/requirements.txt":  "celery\n",
				"services/worker/src/worker/app.py": "",
			},
			// services/worker has only a requirements file under the root
			// project, so it belongs to the root.
			want: []string{".", "services/api", "services/api/plugins/x"},
		},
		{
			name: "requirements-only folders under a project belong to it",
			files: map[string]string{
				"pyproject.toml":                 "[project]\nname = \"app\"\n",
				"docs/requirements.txt":          "sphinx\n",
				"ci/requirements-lint.txt":       "ruff\n",
				"tools/bench/requirements.in":    "asv\n",
				"other/requirements.txt":         "x\n", // still under the root project
				"other/deeper/requirements.txt":  "y\n",
				"other/deeper/pyproject.toml":    "[project]\nname = \"deeper\"\n",
				"other/deeper/docs/requirements": "not a .txt",
			},
			want: []string{".", "other/deeper"},
		},
		{
			name: "requirements-only project and its own sub-requirements",
			files: map[string]string{
				"svc/requirements.txt":              "flask\n",
				"svc/requirements/dev.txt":          "-r ../requirements.txt\n",
				"svc/docs/requirements.txt":         "sphinx\n",
				"scripts/ops/requirements-ops.txt":  "boto3\n",
				"scripts/ops/tools/requirements.in": "x\n",
				// A requirements/ folder is a marker too, as detect reads it.
				"django/requirements/base.txt":  "django\n",
				"django/requirements/local.txt": "-r base.txt\n",
				"django/docs/requirements/x.md": "",
				"notes/requirements/README":     "",
				"tests/test-requirements.txt":   "pytest\n",
			},
			want: []string{"django", "scripts/ops", "svc", "tests"},
		},
		{
			name: "package recipes are not projects",
			files: map[string]string{
				"pyproject.toml": "[project]\nname = \"dask\"\n",
				"continuous_integration/pixi-recipes/brotli/pyproject.toml": "[project]\nname = \"brotli\"\n",
				"continuous_integration/pixi-recipes/brotli/pixi.toml":      "[package]\nname = \"brotli-python\"\n",
				"conda.recipe/setup.py":                                     "",
				"recipe/sub/setup.py":                                       "",
				"plugins/recipes-api/pyproject.toml":                        "[project]\nname = \"recipes-api\"\n",
			},
			want: []string{".", "plugins/recipes-api"},
		},
		{
			name: "uv workspace members belong to the workspace",
			files: map[string]string{
				"pyproject.toml":                 uvWorkspace,
				"uv.lock":                        "version = 1\n",
				"packages/core/pyproject.toml":   "[project]\nname = \"core\"\n",
				"packages/http/pyproject.toml":   "[project]\nname = \"http\"\n",
				"packages/legacy/pyproject.toml": "[project]\nname = \"legacy\"\n", // excluded from the workspace
				"tools/cli/pyproject.toml":       "[project]\nname = \"cli\"\n",    // member with a trailing slash
				"tools/other/pyproject.toml":     "[project]\nname = \"other\"\n",  // not a member
				"packages/core/sub/setup.py":     "",                               // nested, not matched by packages/*
			},
			want: []string{".", "packages/core/sub", "packages/legacy", "tools/other"},
		},
		{
			name: "nested uv workspace",
			files: map[string]string{
				"mono/pyproject.toml":        "[tool.uv.workspace]\nmembers = [\"libs/**\"]\n",
				"mono/libs/a/pyproject.toml": "",
				"mono/libs/b/c/setup.py":     "",
				"libs/a/pyproject.toml":      "", // same relative path, other tree
			},
			want: []string{"libs/a", "mono"},
		},
		{
			name: "broken workspace TOML is just a project",
			files: map[string]string{
				"pyproject.toml":           "[tool.uv.workspace\nmembers = [\"p/*\"]\n",
				"p/one/pyproject.toml":     "",
				"p/two/requirements.txt":   "x\n",
				"p/three/docs/conf.py.txt": "",
			},
			want: []string{".", "p/one"},
		},
		{
			name: "gitignore, nested and negated",
			files: map[string]string{
				".gitignore":                    "# generated\r\nout*/\r\n!out-keep/\r\n**/scratch\r\n/rootonly/\n",
				"out-a/pyproject.toml":          "",
				"out-keep/pyproject.toml":       "",
				"x/scratch/pyproject.toml":      "",
				"rootonly/setup.py":             "",
				"x/rootonly/setup.py":           "", // /rootonly/ is anchored to the top
				"svc/.gitignore":                "legacy/\n",
				"svc/legacy/pyproject.toml":     "",
				"legacy/pyproject.toml":         "", // svc/.gitignore does not apply here
				"svc/current/pyproject.toml":    "",
				"deep/.gitignore":               "*\n!*/\n!pyproject.toml\n",
				"deep/kept/pyproject.toml":      "",
				"ignored-file/requirements.txt": "x\n",
				".gitignore-extra":              "ignored-file/\n", // not a .gitignore
			},
			want: []string{"deep/kept", "ignored-file", "legacy", "out-keep", "svc/current", "x/rootonly"},
		},
		{
			name: "include and exclude",
			files: map[string]string{
				"services/api/pyproject.toml":           "",
				"services/legacy-a/pyproject.toml":      "",
				"services/legacy-b/setup.py":            "",
				"services/api/plugins/p/setup.py":       "",
				"libs/common/pyproject.toml":            "",
				"experiments/notebook/requirements.txt": "",
			},
			opts: DiscoverOptions{Include: []string{"services/**", "libs/*"}, Exclude: []string{"services/legacy-*", "**/plugins/**"}},
			want: []string{"libs/common", "services/api"},
		},
		{
			name: "decoys are never entered",
			files: map[string]string{
				"app/pyproject.toml":                                 "",
				"app/.venv/pyvenv.cfg":                               "home = /usr/bin\n",
				"app/.venv/lib/python3.12/site-packages/x/setup.py":  "",
				"app/venv/pyproject.toml":                            "",
				"app/myenv/pyvenv.cfg":                               "home = /usr/bin\n", // a venv by any name
				"myenv2/pyvenv.cfg":                                  "",
				"myenv2/requirements.txt":                            "",
				"node_modules/pkg/requirements.txt":                  "",
				".tox/py312/setup.py":                                "",
				"__pycache__/pyproject.toml":                         "",
				".flox/cache/pyproject.toml":                         "",
				"build/lib/setup.py":                                 "",
				"dist/pkg/setup.py":                                  "",
				"lib/site-packages/requests/setup.py":                "",
				"vendor/thing/pyproject.toml":                        "",
				"third_party/thing/setup.py":                         "",
				"src/foo.egg-info/requires.txt":                      "",
				"src/foo.egg-info/requirements.txt":                  "",
				".git/hooks/requirements.txt":                        "",
				".mypy_cache/setup.py":                               "",
				"ext/lib/.git":                                       "gitdir: ../../.git/modules/lib\n", // a submodule
				"ext/lib/pyproject.toml":                             "",
				"templates/{{cookiecutter.slug}}/pyproject.toml":     "",
				"templates/{{ cookiecutter.slug }}/requirements.txt": "",
				"templates/cookiecutter.json":                        "{}\n",
			},
			want: []string{"app"},
		},
		{
			name: "examples, templates and the projects tests use are not projects",
			files: map[string]string{
				"pkg/pyproject.toml":                    "[project]\nname = \"pkg\"\n",
				"pkg/tests/fixtures/app/pyproject.toml": "[project]\nname = \"app\"\n",
				"pkg/tests/integration/dummy/setup.py":  "",
				"pkg/test/data/old/setup.cfg":           "[metadata]\nname = old\n",
				"examples/demo/pyproject.toml":          "[project]\nname = \"demo\"\n",
				"docs/samples/x/requirements.txt":       "x\n",
				"tpl/cookiecutter.json":                 "{}\n",
				"tpl/pyproject.toml":                    "[project]\nname = \"tpl\"\n",
				"scaffold/copier.yml":                   "_subdirectory: template\n",
				"scaffold/setup.py":                     "",
				"tests/requirements.txt":                "pytest\n", // a tests folder itself can be one
			},
			want: []string{"pkg", "tests"},
		},
		{
			name:  "nothing to find",
			files: map[string]string{"README.md": "# hi\n", "empty/": ""},
			want:  nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Discover(mapFS(tc.files), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Discover = %q\nwant       %q", got, tc.want)
			}
		})
	}
}

// TestDiscoverDoesNotFollowSymlinks builds symlink loops and links to a
// project outside the root on disk: Discover must finish, find only the
// real projects and never report anything through a link.
func TestDiscoverDoesNotFollowSymlinks(t *testing.T) {
	base := t.TempDir()
	root, outside := filepath.Join(base, "root"), filepath.Join(base, "outside")
	writeFiles(t, root, map[string]string{
		"app/pyproject.toml": "[project]\nname = \"app\"\n",
		"app/docs/index.md":  "# docs\n",
	})
	writeFiles(t, outside, map[string]string{"stolen/pyproject.toml": "", "requirements.txt": "x\n"})
	links := map[string]string{
		"app/loop":             "..",        // a cycle through the parent
		"app/self":             ".",         // a cycle onto itself
		"app/docs/up":          "../../app", // a longer cycle
		"elsewhere":            outside,     // a folder outside the root
		"stolen":               filepath.Join(outside, "stolen"),
		"app/requirements.txt": filepath.Join(outside, "requirements.txt"), // a file outside
		"dangling":             filepath.Join(base, "missing"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	var got []string
	var err error
	go func() {
		defer close(done)
		got, err = Discover(os.DirFS(root), DiscoverOptions{})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Discover did not finish: it follows a symlink cycle")
	}
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"app"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Discover = %q, want %q", got, want)
	}
}

func TestDiscoverMissingRoot(t *testing.T) {
	if _, err := Discover(os.DirFS(filepath.Join(t.TempDir(), "missing")), DiscoverOptions{}); err == nil {
		t.Error("Discover of a missing folder succeeded")
	}
}

func TestNestedUnder(t *testing.T) {
	dirs := []string{".", "a", "a/b", "a/b/c", "ab", "z"}
	for dir, want := range map[string][]string{
		".":     {"a", "a/b", "a/b/c", "ab", "z"},
		"a":     {"a/b", "a/b/c"}, // not "ab": a prefix of the name is not nesting
		"a/b":   {"a/b/c"},
		"a/b/c": nil,
	} {
		if got := NestedUnder(dirs, dir); !reflect.DeepEqual(got, want) {
			t.Errorf("NestedUnder(%q) = %q, want %q", dir, got, want)
		}
	}
}

// FuzzDiscover feeds arbitrary .gitignore and pyproject.toml contents (the
// two files Discover parses) and folder names: it must never panic, and
// must return sorted, unique roots that exist.
func FuzzDiscover(f *testing.F) {
	f.Add("out*/\n!out-keep/\n", uvWorkspace, "packages/a")
	f.Add("\xff\xfe\x00[", "[tool.uv.workspace]\nmembers = [\"[\", \"**/\", \"\"]\nexclude = [\"\\\\\"]\n", "a/b/c")
	f.Add("/\n!\n**\n\\#x\n", "[tool.uv]\nworkspace = 1\n", "{{x}}/y")
	f.Fuzz(func(t *testing.T, gitignore, pyproject, dir string) {
		if !fs.ValidPath(dir) || dir == "." {
			return
		}
		fsys := fstest.MapFS{
			".gitignore":                {Data: []byte(gitignore)},
			"pyproject.toml":            {Data: []byte(pyproject)},
			dir + "/requirements.txt":   {Data: []byte("x\n")},
			"packages/a/pyproject.toml": {Data: []byte("")},
			"packages/a/.gitignore":     {Data: []byte(gitignore)},
			"packages/a/sub/setup.py":   {Data: []byte("")},
		}
		roots, err := Discover(fsys, DiscoverOptions{Include: []string{gitignore}, Exclude: []string{dir}})
		if err != nil {
			return
		}
		for i, r := range roots {
			if i > 0 && roots[i-1] >= r {
				t.Fatalf("roots not sorted and unique: %q", roots)
			}
			if r != "." {
				if info, err := fs.Stat(fsys, r); err != nil || !info.IsDir() {
					t.Fatalf("root %q is not a folder", r)
				}
			}
		}
	})
}

func TestDiscoverToolOnlyRootPyproject(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml":                        {Data: []byte("[tool.ruff]\nline-length = 100\n")},
		"services/api/requirements.txt":         {Data: []byte("fastapi\n")},
		"services/worker/requirements.txt":      {Data: []byte("celery\n")},
		"services/worker/docs/requirements.txt": {Data: []byte("sphinx\n")},
	}
	got, err := Discover(fsys, DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"services/api", "services/worker"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Discover = %v, want %v", got, want)
	}
}
