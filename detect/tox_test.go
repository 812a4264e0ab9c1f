package detect

import (
	"reflect"
	"testing"
)

func TestToxGolden(t *testing.T) {
	checkUsageGolden(t, "tox/envlist")
}

func TestExpandToxEnvList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"py{38,39}-django{32, 42}", []string{"py38-django32", "py38-django42", "py39-django32", "py39-django42"}},
		{"py312, lint,  docs", []string{"py312", "lint", "docs"}},
		{"py3{10,11}", []string{"py310", "py311"}},
		{"py{38", []string{"py{38"}},
	}
	for _, tt := range tests {
		if got := expandToxEnvList(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("expandToxEnvList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestToxFactorPython(t *testing.T) {
	for in, want := range map[string]string{
		"py39": "3.9", "py310": "3.10", "py3.11": "3.11", "py313t": "3.13t", "pypy3": "pypy3", "pypy310": "pypy3.10",
		"py": "", "pyright": "", "lint": "", "py4": "",
	} {
		got, ok := toxFactorPython(in)
		if got != want || ok != (want != "") {
			t.Errorf("toxFactorPython(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func FuzzTox(f *testing.F) {
	seedUsageFuzz(f, "tox", nil)
	f.Add("[tox]\nenvlist = py{3{8,9},{a,b}}\n[testenv]\ncommands =\n  - {posargs\n")
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, "tox.ini", src)
	})
}

// tox commands are split with shlex and run without a shell: Python in
// `-c`, substitutions inside substitutions and factor conditions with
// braces are read as tox reads them, and never give a problem.
func TestToxCommands(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{
			name: "a command continued over lines with Python in quotes",
			src:  "[testenv:docs]\ncommands_post =\n  {envpython} -c \\\n    'import pathlib;\\\n    print(\"=\" * 120 +\\\n    f\"\\n{pathlib.Path(r\"{envdir}\")}\")'\n",
			want: []string{"tox.ini:1 venv create dir=.tox [tox] | tox"},
		},
		{
			name: "a substitution inside a substitution",
			src:  "[testenv]\ncommands =\n    pytest -vv --cov-report=lcov {posargs: \"{toxinidir}/test\"}\n",
			want: []string{
				"tox.ini:1 venv create dir=.tox [tox] | tox",
				"tox.ini:3 command pytest -vv --cov-report=lcov {posargs: \"{toxinidir}/test\"}",
			},
		},
		{
			name: "a factor condition with braces",
			src:  "[testenv]\ncommands =\n    {py,winpy}{310,311,}: python -m pip install \"{toxinidir}/plugins/example\"\n",
			want: []string{
				"tox.ini:1 venv create dir=.tox [tox] | tox",
				"tox.ini:3 venv install [tox] | python -m pip install \"{toxinidir}/plugins/example\"",
				"tox.ini:3 manager pip 1 (pip install)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameUsageFacts(t, snippetFacts("tox.ini", tt.src), tt.want)
		})
	}
}

// tox's default environments build the project from the checkout unless
// tox.ini says they do not.
func TestToxBuilds(t *testing.T) {
	tests := []struct {
		name, src string
		want      int // the [testenv] line, 0 for none
	}{
		{"default environments build", "[tox]\nenvlist = py312\n\n[testenv]\ndeps = pytest\ncommands = pytest\n", 4},
		{"only some environments skip", "[tox]\nenvlist = py312,docs\n[testenv]\ncommands = pytest\n[testenv:docs]\nskip_install = true\n", 3},
		{"skipsdist", "[tox]\nskipsdist = True\n[testenv]\ncommands = pytest\n", 0},
		{"skip_install", "[testenv]\nskip_install=True\ncommands = pytest\n", 0},
		{"package = skip", "[testenv]\npackage = skip\n", 0},
		{"no [testenv]", "[tox]\nenvlist = py312\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := usageScanFiles(map[string]string{"tox.ini": tt.src})
			got := 0
			if p.ToxBuilds != nil {
				got = p.ToxBuilds.Line
			}
			if got != tt.want {
				t.Errorf("ToxBuilds at line %d, want %d", got, tt.want)
			}
		})
	}
}
