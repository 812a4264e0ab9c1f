package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPyproject(t *testing.T) {
	tests := []struct {
		dir          string
		requirements []string
		interpreters []string // "path:line spec"
		managers     []string // "path:line manager strength"
		indexes      []string
		dynamic      []string
		problems     []string
	}{
		{
			dir: "poetry1",
			requirements: []string{
				"pyproject.toml:11 fastapi>=0.110.0,<0.111",
				"pyproject.toml:12 uvicorn[standard]>=0.29,<0.30",
				"pyproject.toml:13 psycopg[binary,pool]>=3.1,<3.3",
				`pyproject.toml:15 pandas<2.1 ; python_version < "3.9"`,
				`pyproject.toml:16 pandas>=2.2,<3 ; python_version >= "3.9"`,
				"pyproject.toml:18 shared-utils path=../shared-utils -e",
				"pyproject.toml:19 acme-sdk url=git+https://github.com/acme/sdk.git@v2.0.1",
				"pyproject.toml:20 boto3 group=aws optional",
				`pyproject.toml:21 tomli>=2.0,<3 ; python_version < "3.11"`,
				"pyproject.toml:27 pytest>=7.4,<8 group=dev table=tool.poetry.dev-dependencies",
				"pyproject.toml:30 ruff==0.3.4 group=lint table=tool.poetry.group",
				"pyproject.toml:31 mypy>=1.8,<2 group=lint table=tool.poetry.group",
			},
			interpreters: []string{"pyproject.toml:10 ^3.10"},
			managers:     []string{"pyproject.toml:40 poetry 2", "pyproject.toml:1 poetry 2"},
			indexes:      []string{"pyproject.toml:33 poetry-source https://pypi.acme.example/simple/"},
		},
		{
			dir: "poetry2",
			requirements: []string{
				"pyproject.toml:7 httpx>=0.27,<0.28",
				"pyproject.toml:8 rich>=13",
				`pyproject.toml:9 typer[all] ; python_version >= "3.11"`,
				"pyproject.toml:13 folium==0.16.* group=maps optional",
				"pyproject.toml:26 pytest>=8.1,<9 group=dev table=tool.poetry.group",
			},
			interpreters: []string{"pyproject.toml:5 >=3.11,<3.14"},
			managers:     []string{"pyproject.toml:30 poetry 2", "pyproject.toml:18 poetry 2"},
		},
		{
			dir: "pdm",
			requirements: []string{
				"pyproject.toml:5 sqlalchemy>=2.0",
				"pyproject.toml:5 alembic",
				"pyproject.toml:11 pytest>=7 group=test table=tool.pdm.dev-dependencies",
				"pyproject.toml:11 pytest-cov group=test table=tool.pdm.dev-dependencies",
				"pyproject.toml:12 common path=./libs/common -e group=local table=tool.pdm.dev-dependencies",
			},
			interpreters: []string{"pyproject.toml:4 >=3.9"},
			managers:     []string{"pyproject.toml:21 pdm 2", "pyproject.toml:7 pdm 2"},
			indexes:      []string{"pyproject.toml:14 pdm-source https://pypi.internal.example/simple"},
		},
		{
			// hatchling builds the package; only [tool.hatch.envs] says Hatch
			// manages the environments.
			dir: "hatch",
			requirements: []string{
				"pyproject.toml:9 numpy>=1.24",
				"pyproject.toml:9 scipy",
				"pyproject.toml:16 pytest group=default table=tool.hatch.envs",
				"pyproject.toml:17 coverage[toml]>=6.5 group=default table=tool.hatch.envs",
				"pyproject.toml:21 mkdocs-material group=docs table=tool.hatch.envs",
			},
			interpreters: []string{"pyproject.toml:8 >=3.8"},
			managers:     []string{"pyproject.toml:14 hatch 2"},
			dynamic:      []string{"pyproject.toml:7 version"},
		},
		{
			dir: "groups",
			requirements: []string{
				"pyproject.toml:7 pytest>=8 group=test table=dependency-groups",
				"pyproject.toml:7 hypothesis url=git+https://github.com/HypothesisWorks/hypothesis@master group=test table=dependency-groups",
				"pyproject.toml:8 mypy group=typing table=dependency-groups",
				"pyproject.toml:7 pytest>=8 group=dev table=dependency-groups",
				"pyproject.toml:7 hypothesis url=git+https://github.com/HypothesisWorks/hypothesis@master group=dev table=dependency-groups",
				"pyproject.toml:8 mypy group=dev table=dependency-groups",
				"pyproject.toml:12 ipython group=dev table=dependency-groups",
				"pyproject.toml:15 six group=loop-a table=dependency-groups",
				"pyproject.toml:15 six group=loop-b table=dependency-groups",
				"pyproject.toml:19 pre-commit group=dev table=tool.uv.dev-dependencies",
			},
			interpreters: []string{"pyproject.toml:4 >=3.12"},
			managers:     []string{"pyproject.toml:18 uv 2"},
			problems: []string{
				"pyproject.toml:15: dependency groups include each other: loop-a -> loop-b -> loop-a",
				`pyproject.toml:16: dependency group "broken" includes unknown group "missing"`,
				"pyproject.toml:16: dependency-groups.broken: expected a requirement string, got a number",
			},
		},
		{
			// Dynamic dependencies are unknown, not empty.
			dir:          "dynamic",
			interpreters: []string{"pyproject.toml:8 >=3.8"},
			dynamic:      []string{"pyproject.toml:7 version", "pyproject.toml:7 dependencies", "pyproject.toml:7 optional-dependencies"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			p := scanTestdata(t, "pyproject/"+tt.dir)
			diffLines(t, "requirements", reqLines(p.Requirements), tt.requirements)
			diffLines(t, "interpreters", interpLines(p.Interpreters), tt.interpreters)
			diffLines(t, "managers", managerLines(p.Managers), tt.managers)
			diffLines(t, "indexes", indexLines(p.Indexes), tt.indexes)
			var dyn []string
			for _, d := range p.Dynamic {
				dyn = append(dyn, d.Evidence.String()+" "+d.Name)
			}
			diffLines(t, "dynamic", dyn, tt.dynamic)
			diffLines(t, "problems", problemLines(p.Problems), tt.problems)
		})
	}
}

func TestPyprojectUVWorkspace(t *testing.T) {
	p := scanFiles(map[string]string{"pyproject.toml": `[project]
name = "monorepo"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["core", "httpx"]

[tool.uv.workspace]
members = ["packages/*", "apps/web"]
exclude = ["packages/legacy"]

[tool.uv.sources]
core = { workspace = true }
httpx = { path = "vendor/httpx", editable = true }

[[tool.uv.index]]
name = "pytorch"
url = "https://download.pytorch.org/whl/cpu"
explicit = true
`})
	ws := p.Workspace
	if ws == nil || strings.Join(ws.Members, ",") != "packages/*,apps/web" || strings.Join(ws.Exclude, ",") != "packages/legacy" || ws.Evidence.String() != "pyproject.toml:7" {
		t.Errorf("workspace = %+v", ws)
	}
	diffLines(t, "requirements", reqLines(p.Requirements), []string{
		"pyproject.toml:5 core",
		"pyproject.toml:5 httpx path=vendor/httpx -e",
	})
	diffLines(t, "managers", managerLines(p.Managers), []string{"pyproject.toml:7 uv 2"})
	diffLines(t, "indexes", indexLines(p.Indexes), []string{"pyproject.toml:15 uv-index https://download.pytorch.org/whl/cpu"})
}

func TestPyprojectErrors(t *testing.T) {
	tests := []struct {
		name, text string
		problems   []string
		reqs       []string
	}{
		{"invalid TOML reports its line", "[project]\nname = \"x\"\ndependencies = [\"a\",\n  \"b\" \"c\"]\n", []string{"pyproject.toml:4: invalid TOML: "}, nil},
		{"duplicate key", "[project]\nname = \"x\"\nname = \"y\"\n", []string{"pyproject.toml:3: invalid TOML: "}, nil},
		{"dependencies not an array", "[project]\ndependencies = \"requests\"\n", []string{"pyproject.toml:2: project.dependencies: expected an array of requirement strings, got a string"}, nil},
		{"bad requirement among good ones", "[project]\ndependencies = [\n  \"good>=1\",\n  \"bad >>1\",\n  \"also-good\",\n]\n",
			[]string{`pyproject.toml:4: invalid requirement "bad >>1": `}, []string{"pyproject.toml:3 good>=1", "pyproject.toml:5 also-good"}},
		{"bad requires-python is kept and reported", "[project]\nrequires-python = \">=3.x\"\n", []string{`pyproject.toml:2: project.requires-python: invalid version constraint ">=3.x"`}, nil},
		{"poetry dependency of wrong type", "[tool.poetry.dependencies]\npython = \"^3.9\"\nrequests = 2\n", []string{"pyproject.toml:3: tool.poetry.dependencies.requests: expected a version string or a table, got a number"}, nil},
		{"poetry bad constraint", "[tool.poetry.dependencies]\nrequests = \"^^2\"\n", []string{`pyproject.toml:2: tool.poetry.dependencies.requests: invalid version constraint "^^2"`}, nil},
		{"dynamic and given", "[project]\ndynamic = [\"dependencies\"]\ndependencies = []\n", []string{"pyproject.toml:3: project.dependencies is both listed in dynamic and given"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := scanFiles(map[string]string{"pyproject.toml": tt.text})
			got := problemLines(p.Problems)
			if len(got) != len(tt.problems) {
				t.Fatalf("problems = %q, want prefixes %q", got, tt.problems)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.problems[i]) {
					t.Errorf("problem %q, want prefix %q", got[i], tt.problems[i])
				}
			}
			diffLines(t, "requirements", reqLines(p.Requirements), tt.reqs)
		})
	}
}

func TestPoetryPythonMarker(t *testing.T) {
	tests := []struct{ in, want string }{
		{"^3.8", `python_version >= "3.8" and python_version < "4"`},
		{"<3.9", `python_version < "3.9"`},
		{">=3.8.1", `python_full_version >= "3.8.1"`},
		{"3.10.*", `python_version == "3.10"`},
		{"*", ""},
		{"~2.7 || ^3.6", `(python_version >= "2.7" and python_version < "2.8") or (python_version >= "3.6" and python_version < "4")`},
	}
	for _, tt := range tests {
		got, err := poetryPythonMarker(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("poetryPythonMarker(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	p := scanFiles(map[string]string{"pyproject.toml": "[tool.poetry.dependencies]\npython = \"^3.9\"\nfoo = { version = \"^1\", python = \"<3.11\", markers = \"sys_platform == 'linux' or sys_platform == 'darwin'\" }\nbar = { version = \"1\", markers = \"bogus\" }\n"})
	diffLines(t, "requirements", reqLines(p.Requirements), []string{
		`pyproject.toml:3 foo>=1,<2 ; python_version < "3.11" and (sys_platform == "linux" or sys_platform == "darwin")`,
	})
	diffLines(t, "problems", problemLines(p.Problems), []string{"pyproject.toml:4: tool.poetry.dependencies.bar: marker: unknown variable \"bogus\""})
}

func TestTOMLLinesCRLF(t *testing.T) {
	p := scanFiles(map[string]string{"pyproject.toml": "# c\r\n[project]\r\nrequires-python = '>=3.10'\r\ndependencies = [\r\n  'a',\r\n\r\n  # comment\r\n  'b',\r\n]\r\n"})
	diffLines(t, "requirements", reqLines(p.Requirements), []string{"pyproject.toml:5 a", "pyproject.toml:8 b"})
	diffLines(t, "interpreters", interpLines(p.Interpreters), []string{"pyproject.toml:3 >=3.10"})
}

func interpLines(rs []InterpreterRequest) []string {
	var out []string
	for _, r := range rs {
		s := r.Evidence.String() + " " + r.Spec
		if r.Implementation != "" {
			s += " impl=" + r.Implementation
		}
		if r.FreeThreaded {
			s += " freethreaded"
		}
		out = append(out, s)
	}
	return out
}

func managerLines(ms []ManagerUse) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Evidence.String()+" "+string(m.Manager)+" "+string(rune('0'+m.Strength)))
	}
	return out
}

func indexLines(is []PackageIndex) []string {
	var out []string
	for _, i := range is {
		out = append(out, i.Evidence.String()+" "+i.Kind+" "+i.URL)
	}
	return out
}

// seedsFrom adds every file under testdata/<dir> as a fuzz seed.
func seedsFrom(f *testing.F, dir, name string) {
	_ = filepath.WalkDir(filepath.Join("testdata", dir), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (name == "" || d.Name() == name) {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(string(data))
			}
		}
		return nil
	})
}

func FuzzPyproject(f *testing.F) {
	seedsFrom(f, "pyproject", "pyproject.toml")
	f.Add("[project]\ndependencies = [{include-group = 'x'}]\n[dependency-groups]\nx = [{include-group = 'x'}]\n[[a.b]]\n[a.b.c]\nd = [[1], {e = 2}]\n")
	f.Fuzz(func(t *testing.T, text string) {
		scanFiles(map[string]string{"pyproject.toml": text})
	})
}

func TestDependencyGroupLattice(t *testing.T) {
	// Every level includes both groups of the next: each is expanded once.
	var b strings.Builder
	b.WriteString("[dependency-groups]\n")
	for i := range 40 {
		next := fmt.Sprintf("[{include-group = \"a%d\"}, {include-group = \"b%d\"}]", i+1, i+1)
		if i == 39 {
			next = "[\"leaf\"]"
		}
		fmt.Fprintf(&b, "a%d = %s\nb%d = %s\n", i, next, i, next)
	}
	p := scanFiles(map[string]string{"pyproject.toml": b.String()})
	if len(p.Problems) != 0 {
		t.Fatal(problemLines(p.Problems))
	}
	n := 0
	for _, r := range p.Requirements {
		if r.Group == "a0" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("group a0 has %d requirements, want 2 (leaf from a39 and b39)", n)
	}
}
