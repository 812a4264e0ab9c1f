package detect

import (
	"fmt"
	"sort"
	"testing"
)

func TestInterpreterFiles(t *testing.T) {
	tests := []struct {
		dir          string
		interpreters []string
		problems     []string
		conflicts    []string
	}{
		{
			// The comment, blank line, "system" and the trailing comment are
			// skipped; the conda distribution is not a Python version.
			dir: "pyenv",
			interpreters: []string{
				".python-version:2 3.12.4",
				".python-version:4 3.11.9",
				".python-version:6 3.10 impl=pypy",
				"runtime.txt:1 3.12.4",
			},
			problems: []string{`.python-version:7: not a Python version: "anaconda3-2023.03"`},
		},
		{
			dir:          "asdf",
			interpreters: []string{".tool-versions:2 3.11.4", ".tool-versions:2 3.10.2"},
		},
		{
			// Only the first of mise's versions is the default; the second
			// is installed beside it, so they do not conflict.
			dir:          "mise",
			interpreters: []string{"mise.toml:6 3.12", "mise.toml:6 3.11"},
		},
		{
			dir:          "conda",
			interpreters: []string{"environment.yml:7 3.10"},
		},
		{
			dir: "conflict",
			interpreters: []string{
				".python-version:1 3.9",
				"pyproject.toml:4 >=3.9",
				"runtime.txt:1 3.11.4",
				"uv.lock:2 >=3.11",
			},
			// runtime.txt describes the deployment, not the project's own
			// interpreter: it conflicts with nothing.
			conflicts: []string{
				".python-version:1 vs uv.lock:2: .python-version:1 asks for Python 3.9 but uv.lock:2 asks for >=3.11: no Python version satisfies both",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			p := scanTestdata(t, "interpreter/"+tt.dir)
			diffLines(t, "interpreters", interpLines(p.Interpreters), tt.interpreters)
			diffLines(t, "problems", problemLines(p.Problems), tt.problems)
			diffLines(t, "conflicts", conflictLines(p.Conflicts), tt.conflicts)
		})
	}
}

func TestCondaEnv(t *testing.T) {
	p := scanTestdata(t, "interpreter/conda")
	diffLines(t, "requirements", reqLines(p.Requirements), []string{
		"environment.yml:15 rasterio==1.3.9",
		"environment.yml:16 geo-tools url=git+https://github.com/acme/geo-tools.git@main#egg=geo-tools",
		"requirements-pip.txt:1 shapely>=2",
	})
	var sys []string
	for _, n := range p.System {
		sys = append(sys, n.Evidence.String()+" "+n.Name+" "+n.Source)
	}
	diffLines(t, "system", sys, []string{
		"environment.yml:8 gdal conda",
		"environment.yml:9 numpy conda",
		"environment.yml:10 proj conda",
		"environment.yml:11 cudatoolkit conda",
	})
	diffLines(t, "managers", managerLines(p.Managers), []string{"environment.yml:6 conda 2"})
	diffLines(t, "indexes", indexLines(p.Indexes), []string{"environment.yml:17 extra-index-url https://pypi.acme.example/simple"})
}

func TestCondaEnvErrors(t *testing.T) {
	tests := []struct {
		name, text string
		problems   []string
	}{
		{"broken YAML", "name: x\ndependencies:\n  - python=3.10\n - numpy\n", []string{"environment.yml:3: invalid YAML: yaml: line 3: did not find expected key"}},
		{"dependencies not a list", "dependencies: python\n", []string{"environment.yml:1: dependencies: expected a list"}},
		{"pip not a list", "dependencies:\n  - pip: requests\n", []string{"environment.yml:2: pip: expected a list of requirements"}},
		{"bad pip requirement", "dependencies:\n  - pip:\n    - ok\n    - 'bad >>'\n", []string{`environment.yml:4: invalid requirement "bad >>": column 5: version must start with a number: ">"`}},
		{"bad python", "dependencies:\n  - python>=three\n", []string{`environment.yml:2: python: invalid version ">=three"`}},
		{"not a mapping", "- a\n- b\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := scanFiles(map[string]string{"environment.yml": tt.text})
			diffLines(t, "problems", problemLines(p.Problems), tt.problems)
		})
	}
}

func TestParsePythonRequest(t *testing.T) {
	tests := []struct {
		in   string
		want string // spec impl ft, or "!" for not a version
	}{
		{"3.12", "3.12"},
		{"3.12.4", "3.12.4"},
		{" 3.11 ", "3.11"},
		{"3", "3"},
		{"3.13t", "3.13 ft"},
		{"3.13.1t", "3.13.1 ft"},
		{"3.13+freethreaded", "3.13 ft"},
		{">=3.12", ">=3.12"},
		{">= 3.10, <3.13", ">=3.10,<3.13"},
		{"==3.11.*", "==3.11.*"},
		{"cpython@3.12", "3.12"},
		{"pypy@3.10", "3.10 pypy"},
		{"cpython3.12", "3.12"},
		{"python3.11", "3.11"},
		{"pypy3.10", "3.10 pypy"},
		{"pypy3.10-7.3.12", "3.10 pypy"},
		{"PyPy3.9-v7.3.11", "3.9 pypy"},
		{"cpython-3.12.4-linux-x86_64-gnu", "3.12.4"},
		{"cpython-3.13.0+freethreaded-macos-aarch64-none", "3.13.0 ft"},
		{"graalpy-24.1.0", " graalpy"},
		{"pypy", " pypy"},
		{"3.12-dev", "3.12"},
		{"pypy-3.9", "3.9 pypy"},
		{"3.14.0-alpha.1", "3.14.0"},
		{"3.13.0rc1", "3.13.0rc1"},
		{"2.7.18", "2.7.18"},
		{"system", "!"},
		{"anaconda3-2023.03", "!"},
		{"miniforge3-latest", "!"},
		{"latest", "!"},
		{"4.0", "!"},
		{"3.12+local", "!"},
		{">=three", "!"},
		{"", "!"},
	}
	for _, tt := range tests {
		r, ok := ParsePythonRequest(tt.in)
		got := "!"
		if ok {
			got = r.Spec
			if r.Implementation != "" {
				got += " " + r.Implementation
			}
			if r.FreeThreaded {
				got += " ft"
			}
		}
		if got != tt.want {
			t.Errorf("ParsePythonRequest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitCondaSpec(t *testing.T) {
	tests := []struct{ in, name, version string }{
		{"python=3.10", "python", "3.10"},
		{"python==3.10.4", "python", "==3.10.4"},
		{"python=3.10.4=h12345_0_cpython", "python", "3.10.4"},
		{"python >=3.9,<3.12", "python", ">=3.9,<3.12"},
		{"python 3.11.* *_cpython", "python", "3.11.*"},
		{"conda-forge::GDAL>=3.8", "gdal", ">=3.8"},
		{"numpy", "numpy", ""},
	}
	for _, tt := range tests {
		n, v := splitCondaSpec(tt.in)
		if n != tt.name || v != tt.version {
			t.Errorf("splitCondaSpec(%q) = %q, %q; want %q, %q", tt.in, n, v, tt.name, tt.version)
		}
	}
}

func TestToolVersionsFloor(t *testing.T) {
	p := scanFiles(map[string]string{".tool-versions": "nodejs 22\n# the minimum we support\npython 3.11.9\n"})
	if got := fmt.Sprint(interpLines(p.Interpreters)); got != "[.tool-versions:3 >=3.11.9]" {
		t.Errorf("interpreters %s, want a floor", got)
	}
}

func TestMiseForms(t *testing.T) {
	tests := []struct{ text, want string }{
		{"[tools]\npython = \"3.12\"\n", "mise.toml:2 3.12"},
		{"[tools]\npython = { version = \"3.11.9\", virtualenv = \".venv\" }\n", "mise.toml:2 3.11.9"},
		{"[tools]\npython = \"latest\"\n", ""},
		{"[tools]\npython = \"prefix:3.12\"\n", "mise.toml:2 3.12"},
		{"[tools.python]\nversion = \"3.13\"\n", "mise.toml:2 3.13"},
		// The minimum a project supports is a floor, not the Python to
		// develop on (searxng's mise.toml).
		{"[tools]\n# minimal version we support\npython = \"3.11\"\nnode = \"25\"\n", "mise.toml:3 >=3.11"},
		{"[tools]\npython = \"3.10\" # oldest supported\n", "mise.toml:2 >=3.10"},
		{"[tools]\n# python 3.10 uses sqlite 3.40.1\n\npython = \"3.12\"\n", "mise.toml:4 3.12"},
	}
	for _, tt := range tests {
		p := scanFiles(map[string]string{"mise.toml": tt.text})
		got := fmt.Sprint(interpLines(p.Interpreters))
		want := fmt.Sprint([]string{tt.want})
		if tt.want == "" {
			want = "[]"
		}
		if got != want {
			t.Errorf("%q: interpreters %s, want %s", tt.text, got, want)
		}
	}
}

func TestFindConflicts(t *testing.T) {
	req := func(src FileKind, spec, path string, line int) InterpreterRequest {
		return InterpreterRequest{Source: src, Spec: spec, Evidence: Evidence{Path: path, Line: line}}
	}
	tests := []struct {
		name string
		reqs []InterpreterRequest
		want int
	}{
		{"compatible", []InterpreterRequest{req(KindPythonVersion, "3.12", ".python-version", 1), req(KindUVLock, ">=3.11", "uv.lock", 3)}, 0},
		{"poetry caret vs version file", []InterpreterRequest{req(KindPyproject, "^3.10", "pyproject.toml", 9), req(KindToolVersions, "3.9.18", ".tool-versions", 1)}, 1},
		{"runtime.txt is the deployment's, not a conflict", []InterpreterRequest{req(KindPyproject, "^3.10", "pyproject.toml", 9), req(KindRuntimeTxt, "3.9.18", "runtime.txt", 1)}, 0},
		{"two CI jobs on different Pythons are two jobs", []InterpreterRequest{req(KindGitHubWorkflow, "3.9", ".github/workflows/bench.yml", 9), req(KindGitHubWorkflow, "3.10", ".github/workflows/cov.yml", 9)}, 0},
		{"CI vs a production image is no conflict", []InterpreterRequest{req(KindGitHubWorkflow, "3.12", ".github/workflows/ci.yml", 9), req(KindDockerfile, "3.10", "Dockerfile", 1), req(KindPyproject, ">=3.11", "pyproject.toml", 3)}, 0},
		{"upper bound excludes", []InterpreterRequest{req(KindPyproject, ">=3.8,<3.12", "pyproject.toml", 4), req(KindPythonVersion, "3.12", ".python-version", 1)}, 1},
		{"matrix is not a conflict", []InterpreterRequest{req(KindPythonVersion, "3.12", ".python-version", 1), {Source: KindGitHubWorkflow, Spec: "3.8", Matrix: true, Evidence: Evidence{Path: ".github/workflows/ci.yml", Line: 12}}}, 0},
		{"second pyenv version is not a conflict", []InterpreterRequest{req(KindPythonVersion, "3.12", ".python-version", 1), req(KindPythonVersion, "2.7", ".python-version", 2), req(KindUVLock, ">=3.12", "uv.lock", 2)}, 0},
		{"python 2 vs 3", []InterpreterRequest{req(KindPythonVersion, "2.7", ".python-version", 1), req(KindPyproject, ">=3.6", "pyproject.toml", 3)}, 1},
		{"unparsable is skipped", []InterpreterRequest{req(KindPythonVersion, "3.12", ".python-version", 1), req(KindPyproject, "garbage", "pyproject.toml", 3)}, 0},
		{"three-way", []InterpreterRequest{req(KindPythonVersion, "3.9", ".python-version", 1), req(KindUVLock, ">=3.11", "uv.lock", 2), req(KindMise, "3.10", "mise.toml", 1)}, 3},
		{"an example project's own requires-python", []InterpreterRequest{req(KindPythonVersion, "3.8", ".python-version", 1), req(KindPyproject, ">=3.11", "examples/app/pyproject.toml", 5)}, 0},
		{"poetry or", []InterpreterRequest{req(KindPoetryLock, "^2.7 || ^3.8", "poetry.lock", 40), req(KindPythonVersion, "3.7", ".python-version", 1)}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Project{Interpreters: tt.reqs, Files: []File{{Path: "examples/app/pyproject.toml", Kind: KindPyproject, Audience: AudienceExample}}}
			findConflicts(p)
			if len(p.Conflicts) != tt.want {
				t.Errorf("got %d conflicts, want %d: %v", len(p.Conflicts), tt.want, conflictLines(p.Conflicts))
			}
		})
	}
}

func FuzzPythonVersion(f *testing.F) {
	seedsFrom(f, "interpreter", "")
	f.Add("3.13t\ncpython@3.12\n>=3.12\n")
	f.Fuzz(func(t *testing.T, text string) {
		p := scanFiles(map[string]string{
			".python-version": text, "runtime.txt": text, ".tool-versions": text,
			"mise.toml": text, "environment.yml": text,
		})
		for _, r := range p.Interpreters {
			if r.Evidence.Line <= 0 {
				t.Fatalf("interpreter request without line: %+v", r)
			}
		}
	})
}

func TestToolRequests(t *testing.T) {
	p := scanFiles(map[string]string{
		".nvmrc":              "v22.22.3\n",
		".tool-versions":      "nodejs 24.1.0\npython 3.12\n",
		"mise.toml":           "[tools]\nnode = \"25\"\n",
		"web/package.json":    "{\n  \"name\": \"web\",\n  \"packageManager\": \"pnpm@10.26.0+sha512.abc\"\n}\n",
		"ui/package.json":     "{\"packageManager\": \"yarn@4.12.0\"}\n",
		"docs/.node-version":  "lts/iron\n",
		"other/package.json":  "{\"name\": \"x\"}\n",
		"broken/package.json": "{",
	})
	var got []string
	for _, r := range p.Tools {
		got = append(got, fmt.Sprintf("%s %s %s", r.Evidence, r.Tool, r.Version))
	}
	sort.Strings(got)
	want := []string{
		".nvmrc:1 node 22.22.3",
		".tool-versions:1 node 24.1.0",
		"mise.toml:2 node 25",
		"ui/package.json:1 yarn 4.12.0",
		"web/package.json:3 pnpm 10.26.0",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tools:\n got %q\nwant %q", got, want)
	}
}
