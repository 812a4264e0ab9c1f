package detect

import (
	"reflect"
	"testing"
	"testing/fstest"
)

// TestScanTextMatchesScan checks that reading one file from its content
// finds what Scan finds in a project holding only that file.
func TestScanTextMatchesScan(t *testing.T) {
	files := map[string]string{
		"scripts/setup.sh": "#!/bin/bash\nset -e\npython3 -m venv .venv\n. .venv/bin/activate\npip install -r requirements.txt\n",
		"bin/bootstrap":    "#!/usr/bin/env bash\nvirtualenv venv\nvenv/bin/pip install -e .\n",
		"Makefile":         "VENV := .venv\n\n$(VENV)/bin/activate: requirements.txt\n\tpython3 -m venv $(VENV)\n\t$(VENV)/bin/pip install -r requirements.txt\n",
		"README.md":        "# app\n\n```sh\npython -m venv .venv\nsource .venv/bin/activate\n```\n",
		".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - run: |\n          python -m venv .venv\n          .venv/bin/pip install -e .\n",
		"notes.txt":  "python -m venv .venv\n",
		"bin/helper": "print('not shell')\n",
	}
	for rel, text := range files {
		t.Run(rel, func(t *testing.T) {
			want := Scan(fstest.MapFS{rel: {Data: []byte(text), Mode: 0o644}}, ".", Options{})
			got := ScanText(rel, []byte(text))
			if !reflect.DeepEqual(got.Venvs, want.Venvs) || !reflect.DeepEqual(got.Files, want.Files) {
				t.Errorf("ScanText:\n venvs %+v\n files %+v\nScan:\n venvs %+v\n files %+v", got.Venvs, got.Files, want.Venvs, want.Files)
			}
			if rel == "scripts/setup.sh" && len(got.Venvs) == 0 {
				t.Error("no venv uses found in a script that makes one")
			}
		})
	}
}

// TestRequirementsNamedByInstalls checks that requirements files with names
// the walk does not know are read when the venv setup installs them.
func TestRequirementsNamedByInstalls(t *testing.T) {
	fsys := fstest.MapFS{
		"setup.sh":                   {Data: []byte("#!/bin/bash\npython3 -m venv python/venv\n./python/venv/bin/pip install -r python/requirements.freeze\n")},
		"python/requirements.freeze": {Data: []byte("flask==2.3.3\n")},
		"Makefile":                   {Data: []byte("venv:\n\tpython3 -m venv venv\n\tvenv/bin/pip install -rdeps.lst -r $(REQS) -r ../outside.txt\n")},
		"deps.lst":                   {Data: []byte("numpy\n")},
		"Dockerfile":                 {Data: []byte("FROM python:3.12\nRUN pip install -r docker.txt\n")},
		"docker.txt":                 {Data: []byte("gunicorn\n")},
	}
	p := Scan(fsys, ".", Options{})
	var got []string
	for _, f := range p.Files {
		if f.Kind == KindRequirements {
			got = append(got, f.Path)
		}
	}
	if want := []string{"deps.lst", "python/requirements.freeze"}; !reflect.DeepEqual(got, want) {
		t.Errorf("requirements files = %q, want %q", got, want)
	}
	if len(p.Requirements) != 2 {
		t.Errorf("requirements = %+v, want flask and numpy", p.Requirements)
	}
}

// TestRequirementsNamedByTheFloxHook checks a migrated project: the file
// the venv setup used to install is named by the hook's sync now.
func TestRequirementsNamedByTheFloxHook(t *testing.T) {
	hook := "[hook]\non-activate = '''\n" +
		`  (cd "$FLOX_ENV_PROJECT" && uv pip sync --python "$VIRTUAL_ENV/bin/python" python/requirements.freeze) || { _v2f_fail "sync"; return 1; }` + "\n" +
		`  (cd "$FLOX_ENV_PROJECT" && uv pip install --python "$VIRTUAL_ENV/bin/python" -r deps.lst) || { _v2f_fail "sync"; return 1; }` + "\n'''\n"
	fsys := fstest.MapFS{
		".flox/env/manifest.toml":    {Data: []byte(hook)},
		"python/requirements.freeze": {Data: []byte("flask==2.3.3\n")},
		"deps.lst":                   {Data: []byte("numpy\n")},
	}
	var got []string
	for _, f := range Scan(fsys, ".", Options{}).Files {
		got = append(got, f.Path)
	}
	if want := []string{"deps.lst", "python/requirements.freeze"}; !reflect.DeepEqual(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
}
