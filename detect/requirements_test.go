package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// scanTestdata scans detect/testdata/<dir> as a project.
func scanTestdata(t testing.TB, dir string) *Project {
	t.Helper()
	return Scan(os.DirFS(filepath.Join("testdata", dir)), ".", Options{})
}

// scanFiles scans a project made of the given files.
func scanFiles(files map[string]string) *Project {
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
	return Scan(fsys, ".", Options{})
}

// reqLine renders a requirement compactly for comparisons:
// "path:line name[extras]spec ; marker url=U path=P -e group=G optional
// table=T".
func reqLine(r Requirement) string {
	var b strings.Builder
	b.WriteString(r.Evidence.String() + " " + r.Name)
	if len(r.Extras) > 0 {
		b.WriteString("[" + strings.Join(r.Extras, ",") + "]")
	}
	b.WriteString(r.Specifier)
	if r.Marker != "" {
		b.WriteString(" ; " + r.Marker)
	}
	if r.URL != "" {
		b.WriteString(" url=" + r.URL)
	}
	if r.Path != "" {
		b.WriteString(" path=" + r.Path)
	}
	if r.Editable {
		b.WriteString(" -e")
	}
	if r.Group != "" {
		b.WriteString(" group=" + r.Group)
	}
	if r.Optional {
		b.WriteString(" optional")
	}
	if r.Table != "" {
		b.WriteString(" table=" + r.Table)
	}
	return b.String()
}

func reqLines(rs []Requirement) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = reqLine(r)
	}
	return out
}

func problemLines(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Error()
	}
	return out
}

// diffLines fails the test with both lists when they differ.
func diffLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// hasProblem reports whether a problem at evidence ev mentions substr.
func hasProblem(p *Project, ev, substr string) bool {
	for _, pr := range p.Problems {
		if pr.Evidence.String() == ev && strings.Contains(pr.Message, substr) {
			return true
		}
	}
	return false
}

func TestRequirementsPipCompile(t *testing.T) {
	p := scanTestdata(t, "requirements/pipcompile")
	diffLines(t, "requirements", reqLines(p.Requirements), []string{
		"requirements.in:2 requests[socks]>=2.31",
		`requirements.in:3 numpy>=1.26 ; python_version >= "3.9"`,
		"requirements.in:4 pillow",
		"requirements.in:5 typing-extensions",
		"requirements.in:6 setuptools",
		"requirements.txt:10 certifi==2024.2.2",
		"requirements.txt:14 charset-normalizer==3.3.2",
		"requirements.txt:17 idna==3.6",
		`requirements.txt:21 numpy==1.26.4 ; python_version >= "3.9"`,
		"requirements.txt:26 pillow==10.2.0",
		"requirements.txt:29 requests[socks]==2.31.0",
		"requirements.txt:32 typing-extensions==4.9.0",
		"requirements.txt:35 urllib3==2.2.0",
		"requirements.txt:40 setuptools==69.1.0",
	})
	var idx []string
	for _, i := range p.Indexes {
		idx = append(idx, i.Evidence.String()+" "+i.Kind+" "+i.URL)
	}
	diffLines(t, "indexes", idx, []string{
		"requirements.txt:7 index-url https://pypi.org/simple",
		"requirements.txt:8 extra-index-url https://download.pytorch.org/whl/cpu",
	})
	diffLines(t, "problems", problemLines(p.Problems), nil)
}

func TestRequirementsLayered(t *testing.T) {
	p := scanTestdata(t, "requirements/layered")
	// Files the walker finds are read on their own, in path order; a file
	// only reachable by -r (common/tools.txt) is read at its first include,
	// here from requirements/base.txt, so it feeds the main group.
	diffLines(t, "requirements", reqLines(p.Requirements), []string{
		"requirements/base.txt:1 django>=4.2,<5.0",
		"requirements/base.txt:2 psycopg2-binary==2.9.9",
		"requirements/base.txt:3 celery[redis]~=5.3",
		"common/tools.txt:2 pre-commit",
		"requirements/docs.txt:2 sphinx>=7 group=docs",
		"requirements/docs.txt:3 furo group=docs",
		"requirements-dev.txt:3 pytest>=8.0,<9 group=dev",
		"requirements-dev.txt:4 pytest-cov group=dev",
		"requirements-dev.txt:5 ruff==0.3.0 group=dev",
		"requirements.txt:4 gunicorn==21.2.0",
		"requirements.txt:5  path=. -e",
	})
	diffLines(t, "constraints", reqLines(p.Constraints), []string{
		"constraints.txt:2 urllib3<2",
		"constraints.txt:3 cryptography==42.0.5",
	})
	var files []string
	for _, f := range p.Files {
		files = append(files, f.Path+" "+string(f.Kind)+" "+f.Group)
	}
	diffLines(t, "files", files, []string{
		"common/tools.txt requirements ",
		"constraints.txt requirements ",
		"requirements-dev.txt requirements dev",
		"requirements.txt requirements ",
		"requirements/base.txt requirements ",
		"requirements/docs.txt requirements docs",
	})
	diffLines(t, "problems", problemLines(p.Problems), nil)
}

func TestRequirementsCycle(t *testing.T) {
	p := scanTestdata(t, "requirements/cycle")
	diffLines(t, "problems", problemLines(p.Problems), []string{
		"requirements.txt:1: requirements files include each other: requirements-extra.txt -> requirements.txt -> requirements-extra.txt",
	})
	diffLines(t, "requirements", reqLines(p.Requirements), []string{
		"requirements-extra.txt:2 gevent group=extra",
		"requirements.txt:2 flask",
	})
}

func TestRequirementsMessy(t *testing.T) {
	p := scanTestdata(t, "requirements/messy")
	diffLines(t, "requirements", reqLines(p.Requirements), []string{
		"requirements.txt:2 flask>=2.3,<3",
		"requirements.txt:3 requests[security,socks]>=2.8.1,==2.8.*",
		"requirements.txt:4 zope-interface",
		"requirements.txt:5 org-lib[extra] url=git+https://github.com/org/lib.git@v1.2#egg=Org_Lib[extra]&subdirectory=python -e",
		"requirements.txt:6 mypkg path=./vendor/mypkg-1.0-py3-none-any.whl",
		`requirements.txt:7 other-pkg ; sys_platform == "linux" url=https://example.com/dist/other_pkg-2.0.tar.gz`,
		"requirements.txt:8 local-pkg url=file:///opt/wheels/local_pkg-1.0-py3-none-any.whl",
		"requirements.txt:9 [dev,test] path=./libs/shared -e",
		`requirements.txt:15 pywin32>=306 ; sys_platform == "win32" and (platform_machine == "AMD64" or platform_machine == "x86")`,
		"requirements.txt:19  url=https://${TOKEN}@example.com/private.whl",
		`requirements.txt:21 uvloop ; sys_platform != "win32"`,
		"requirements.txt:22 last-one==1.0",
	})
	for _, want := range []struct{ ev, msg string }{
		{"requirements.txt:16", "invalid requirement"},
		{"requirements.txt:17", "expected a version operator"},
		{"requirements.txt:18", "unknown option --bogus-option"},
		{"requirements.txt:20", "environment variable"},
	} {
		if !hasProblem(p, want.ev, want.msg) {
			t.Errorf("no problem %q at %s; got %v", want.msg, want.ev, problemLines(p.Problems))
		}
	}
	if len(p.Problems) != 4 {
		t.Errorf("want 4 problems, got %v", problemLines(p.Problems))
	}
	var idx []string
	for _, i := range p.Indexes {
		idx = append(idx, i.Evidence.String()+" "+i.Kind+" "+i.URL)
	}
	diffLines(t, "indexes", idx, []string{
		"requirements.txt:10 find-links ./wheels",
		"requirements.txt:11 find-links https://download.example.com/links",
		"requirements.txt:12 trusted-host example.com",
		"requirements.txt:13 no-index ",
	})
}

func TestRequirementsGroup(t *testing.T) {
	tests := []struct{ path, want string }{
		{"requirements.txt", ""},
		{"requirements.in", ""},
		{"requirements/base.txt", ""},
		{"requirements/prod.txt", "production"},
		{"requirements/production.in", "production"},
		{"requirements-dev.txt", "dev"},
		{"dev-requirements.txt", "dev"},
		{"requirements_dev.in", "dev"},
		{"requirements.dev.txt", "dev"},
		{"requirements/dev.txt", "dev"},
		{"requirements/development.txt", "dev"},
		{"requirements-test.txt", "test"},
		{"test-requirements.txt", "test"},
		{"requirements/tests.txt", "test"},
		{"requirements-docs.txt", "docs"},
		{"doc-requirements.txt", "docs"},
		{"requirements/lint.txt", "lint"},
		{"requirements-typing.txt", "typing"},
		{"constraints.txt", ""},
		{"sub/requirements-Dev.txt", "dev"},
	}
	for _, tt := range tests {
		if got := requirementsGroup(tt.path); got != tt.want {
			t.Errorf("requirementsGroup(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestRequirementsLineForms(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // requirements
		problems   []string
	}{
		{"no final newline", "a==1\nb", []string{"requirements.txt:1 a==1", "requirements.txt:2 b"}, nil},
		{"continuation without next line", "a==1 \\", []string{"requirements.txt:1 a==1"}, nil},
		{"continuation joins name and spec", "django\\\n>=4.2\nflask", []string{"requirements.txt:1 django>=4.2", "requirements.txt:3 flask"}, nil},
		{"continuation joins without a space", "requ\\\nests==2.0 \\\n  --hash=sha256:abc\n", []string{"requirements.txt:1 requests==2.0"}, nil},
		{"comment ending in backslash is no continuation", "# note \\\nflask", []string{"requirements.txt:2 flask"}, nil},
		{"hash in url fragment is no comment", "git+https://h/r.git#egg=pkg", []string{"requirements.txt:1 pkg url=git+https://h/r.git#egg=pkg"}, nil},
		{"hash after space is a comment", "pkg #comment", []string{"requirements.txt:1 pkg"}, nil},
		{"short option joined", "-rother.txt\n", nil, []string{"requirements.txt:1: cannot read included file other.txt: cannot read: file does not exist"}},
		{"editable long option", "--editable=./sub\n", []string{"requirements.txt:1  path=./sub -e"}, nil},
		{"editable with quotes", "-e './my dir'\n", []string{"requirements.txt:1  path=./my dir -e"}, nil},
		{"hash without requirement", "--hash=sha256:abc\n", nil, []string{"requirements.txt:1: option --hash needs a requirement on the same line"}},
		{"remote include", "-r https://example.com/reqs.txt\n", nil, []string{"requirements.txt:1: remote requirements file https://example.com/reqs.txt is not read"}},
		{"include leaving the root", "-r ../../etc/passwd\n", nil, []string{"requirements.txt:1: cannot read included file ../../etc/passwd: path leaves the project root: ../../etc/passwd"}},
		{"option prefix", "--extra-index https://x/simple\npkg", []string{"requirements.txt:2 pkg"}, nil},
		{"bad marker", "pkg; python_version >> '3'\nok", []string{"requirements.txt:2 ok"}, []string{`requirements.txt:1: invalid requirement "pkg; python_version >> '3'": marker: unknown operator ">>"`}},
		{"unknown marker variable", "pkg; pyversion == '3'", nil, []string{`requirements.txt:1: invalid requirement "pkg; pyversion == '3'": marker: unknown variable "pyversion"`}},
		{"in and not in", "pkg ; 'linux' in sys_platform and python_version not in '3.8, 3.9'", []string{`requirements.txt:1 pkg ; "linux" in sys_platform and python_version not in "3.8, 3.9"`}, nil},
		{"arbitrary equality", "pkg===1.0-weird", []string{"requirements.txt:1 pkg===1.0-weird"}, nil},
		{"unclosed extras", "pkg[a,b==1", nil, []string{`requirements.txt:1: invalid requirement "pkg[a,b==1": column 8: expected , or ] in extras`}},
		{"url with semicolon marker needs space", "pkg @ https://x/p.whl ; os_name == 'nt'", []string{`requirements.txt:1 pkg ; os_name == "nt" url=https://x/p.whl`}, nil},
		{"wildcard on >= is invalid", "pkg>=1.*", nil, []string{`requirements.txt:1: invalid requirement "pkg>=1.*": column 4: wildcard is only allowed with == and !=: ">=1.*"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := scanFiles(map[string]string{"requirements.txt": tt.text})
			diffLines(t, "requirements", reqLines(p.Requirements), tt.want)
			diffLines(t, "problems", problemLines(p.Problems), tt.problems)
		})
	}
}

// A broken include is marked as such: the planner acts on it.
func TestRequirementsBrokenIncludeKind(t *testing.T) {
	p := scanFiles(map[string]string{"requirements.txt": "-r base.txt\n-r https://example.com/reqs.txt\n"})
	var kinds []ProblemKind
	for _, pr := range p.Problems {
		kinds = append(kinds, pr.Kind)
	}
	if want := []ProblemKind{ProblemBrokenInclude, ""}; !slices.Equal(kinds, want) {
		t.Errorf("problem kinds = %q, want %q (%v)", kinds, want, p.Problems)
	}
}

func TestRequirementsEncodings(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "flask==3.0\r\nrich\r\n" {
		utf16 = append(utf16, byte(r), 0)
	}
	p := Scan(fstest.MapFS{"requirements.txt": {Data: utf16}}, ".", Options{})
	diffLines(t, "requirements", reqLines(p.Requirements), []string{"requirements.txt:1 flask==3.0", "requirements.txt:2 rich"})
}

func TestParseRequirement(t *testing.T) {
	tests := []struct{ in, want string }{
		{"A.B-C_D", "a-b-c-d"},
		{"name [ fred , bar ] >= 1.0 , < 2", "name[fred,bar]>=1.0,<2"},
		{"name(>=1.0)", "name>=1.0"},
		{"name (>=1.0, <2) ; os_name == 'nt'", `name>=1.0,<2 ; os_name == "nt"`},
		{"name>=1.0,", "name>=1.0"},
		{"name ; python_version<'3.8' or (os_name=='nt' and extra == 'x')", `name ; python_version < "3.8" or (os_name == "nt" and extra == "x")`},
		{"name@ git+https://h/r@main", "name url=git+https://h/r@main"},
		{`name; platform_release == 'has "quote"'`, `name ; platform_release == 'has "quote"'`},
	}
	for _, tt := range tests {
		r, err := ParseRequirement(tt.in)
		if err != nil {
			t.Errorf("ParseRequirement(%q): %v", tt.in, err)
			continue
		}
		if got := strings.TrimPrefix(reqLine(r), " "); got != tt.want {
			t.Errorf("ParseRequirement(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", "-foo", "foo-", "foo[", "foo @", "foo ==", "foo (>=1", "foo ; ", "foo ; (os_name == 'x'", "foo ; os_name", "foo ; os_name == 'x' and", "foo >=1 bar", "foo==1.0.x", "foo ~=1"} {
		if r, err := ParseRequirement(bad); err == nil {
			t.Errorf("ParseRequirement(%q) = %+v, want error", bad, r)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Django": "django", "zope.interface": "zope-interface", "typing__extensions": "typing-extensions",
		"a-_.-b": "a-b", "Ruamel.YAML.clib": "ruamel-yaml-clib", "x": "x",
	} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRequirements(f *testing.F) {
	for _, dir := range []string{"pipcompile", "layered", "messy", "cycle"} {
		_ = filepath.WalkDir(filepath.Join("testdata/requirements", dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, err := os.ReadFile(p); err == nil {
					f.Add(string(data))
				}
			}
			return nil
		})
	}
	f.Add("-r requirements.txt\n-c c.txt\n-e .[x]\npkg[a]==1 ; os_name=='nt' --hash=sha256:x \\\n --hash=sha256:y")
	f.Fuzz(func(t *testing.T, text string) {
		p := scanFiles(map[string]string{"requirements.txt": text, "requirements-dev.txt": "-r requirements.txt\n" + text, "c.txt": text})
		for _, r := range p.Requirements {
			if r.Evidence.Line <= 0 {
				t.Fatalf("requirement without line: %+v", r)
			}
		}
		_, _ = ParseRequirement(text)
	})
}

func TestRequirementsIncludeFromPrunedDir(t *testing.T) {
	// The walker never enters build/, so the include is what reads it.
	p := scanFiles(map[string]string{
		"requirements.txt":       "-r build/requirements.txt\nflask\n",
		"build/requirements.txt": "gunicorn\n",
	})
	diffLines(t, "requirements", reqLines(p.Requirements), []string{"build/requirements.txt:1 gunicorn", "requirements.txt:2 flask"})
}

func TestRequirementsDiamondLattice(t *testing.T) {
	// Each level includes both files of the next: 2^40 paths, 80 files.
	files := map[string]string{"requirements.txt": "-r deps/a0.txt\n-r deps/b0.txt\n"}
	for i := range 40 {
		next := fmt.Sprintf("-r a%d.txt\n-r b%d.txt\n", i+1, i+1)
		if i == 39 {
			next = "leaf\n"
		}
		files[fmt.Sprintf("deps/a%d.txt", i)] = next
		files[fmt.Sprintf("deps/b%d.txt", i)] = next
	}
	p := scanFiles(files)
	if len(p.Requirements) != 2 || len(p.Problems) != 0 {
		t.Errorf("requirements %v, problems %v", reqLines(p.Requirements), problemLines(p.Problems))
	}
}
