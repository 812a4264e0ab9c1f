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
