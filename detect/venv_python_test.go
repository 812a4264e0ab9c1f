package detect

import (
	"fmt"
	"slices"
	"testing"
)

// TestVenvCreationNamesTheInterpreter checks that a venv made by a named
// interpreter becomes an interpreter request of that file and line.
func TestVenvCreationNamesTheInterpreter(t *testing.T) {
	tests := []struct {
		file, text string
		want       []string // "path:line spec"
	}{
		{"setup.sh", "#!/bin/bash\nset -e\npython3.11 -m venv .venv\n. .venv/bin/activate\n", []string{"setup.sh:3 3.11"}},
		{"scripts/ci.sh", "#!/bin/sh\n/usr/local/bin/python3.7 -m venv env\n", []string{"scripts/ci.sh:2 3.7"}},
		{"bootstrap.sh", "virtualenv env -p python3.8\nvirtualenv --python=/usr/bin/python3.10 venv2\n", []string{"bootstrap.sh:1 3.8", "bootstrap.sh:2 3.10"}},
		{"dev.sh", "uv venv --python 3.12 .venv\nuv venv -p3.13\n", []string{"dev.sh:1 3.12", "dev.sh:2 3.13"}},
		{"Makefile", "venv:\n\tpython3.12 -m venv .venv\n", []string{"Makefile:2 3.12"}},
		{"README.md", "# app\n\n```sh\npython3.10 -m venv venv\n```\n", []string{"README.md:4 3.10"}},
		{"plain.sh", "python3 -m venv .venv\nvirtualenv -p python3 venv\nuv venv\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var got []string
			for _, r := range ScanText(tt.file, []byte(tt.text)).Interpreters {
				got = append(got, fmt.Sprintf("%s %s", r.Evidence, r.Spec))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("interpreters = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPythonVersionIn(t *testing.T) {
	for word, want := range map[string]string{
		"python3.11": "3.11", "/opt/py/bin/python3.9": "3.9", "3.12": "3.12", "python3.12.4": "3.12.4",
		"cpython@3.13": "3.13", "py3.10": "3.10", `"python3.8"`: "3.8", "python3.11.exe": "3.11",
		"python3": "", "python": "", "pypy3.10": "", "3": "", "python2.7": "", "3.x": "",
	} {
		got, ok := pythonVersionIn(word)
		if got != want || ok != (want != "") {
			t.Errorf("pythonVersionIn(%q) = %q, %v; want %q", word, got, ok, want)
		}
	}
}
