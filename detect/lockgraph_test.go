package detect

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
)

// edgeLines renders a package's dependency edges: "requires flask",
// "extra socks: pysocks", "group dev: pytest [marker]".
func edgeLines(l LockedPackage) []string {
	dep := func(d LockedDep) string {
		s := d.Name
		if d.Version != "" {
			s += "==" + d.Version
		}
		if len(d.Extras) > 0 {
			s += "[" + strings.Join(d.Extras, ",") + "]"
		}
		if d.Marker != "" {
			s += " ; " + d.Marker
		}
		return s
	}
	var out []string
	for _, d := range l.Requires {
		out = append(out, "requires "+dep(d))
	}
	for kind, m := range map[string]map[string][]LockedDep{"extra": l.Extras, "group": l.Groups} {
		for k, deps := range m {
			for _, d := range deps {
				out = append(out, fmt.Sprintf("%s %s: %s", kind, k, dep(d)))
			}
		}
	}
	sort.Strings(out)
	return out
}

func findLocked(t *testing.T, ls []LockedPackage, name string) LockedPackage {
	t.Helper()
	i := slices.IndexFunc(ls, func(l LockedPackage) bool { return l.Name == name })
	if i < 0 {
		t.Fatalf("%s not locked", name)
	}
	return ls[i]
}

func TestUVLockGraph(t *testing.T) {
	p := scanFiles(map[string]string{"uv.lock": `version = 1
requires-python = ">=3.11"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "flask" },
    { name = "colorama", marker = "sys_platform == 'win32'" },
]

[package.optional-dependencies]
Socks = [{ name = "requests", extra = ["socks"] }]

[package.dev-dependencies]
dev = [{ name = "sphinx", version = "8.2.3", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.11'" }]

[[package]]
name = "brotli"
version = "1.1.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/Brotli-1.1.0.tar.gz" }
wheels = [
    { url = "https://files.example/Brotli-1.1.0-cp313-cp313-manylinux_2_17_x86_64.whl" },
    { url = "https://files.example/Brotli-1.1.0-cp313-cp313-macosx_10_13_universal2.whl" },
]
`})
	if len(p.LockedProjects) != 1 || p.LockedProjects[0].Source != "." {
		t.Fatalf("own packages = %+v, want app from .", p.LockedProjects)
	}
	diffLines(t, "app edges", edgeLines(p.LockedProjects[0]), []string{
		"extra socks: requests[socks]",
		"group dev: sphinx==8.2.3 ; python_full_version >= '3.11'",
		"requires colorama ; sys_platform == 'win32'",
		"requires flask",
	})
	brotli := findLocked(t, p.Locked, "brotli")
	diffLines(t, "brotli wheels", brotli.Wheels, []string{
		"Brotli-1.1.0-cp313-cp313-manylinux_2_17_x86_64.whl",
		"Brotli-1.1.0-cp313-cp313-macosx_10_13_universal2.whl",
	})
}

func TestPoetryLockGraph(t *testing.T) {
	p := scanFiles(map[string]string{"poetry.lock": `[[package]]
name = "requests"
version = "2.32.3"
optional = false
python-versions = ">=3.8"
files = [
    {file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:00"},
]

[package.dependencies]
certifi = ">=2017.4.17"
urllib3 = [
    {version = ">=1.21.1,<3", markers = "python_version >= \"3.10\""},
    {version = ">=1.21.1,<2", markers = "python_version < \"3.10\""},
]
PySocks = {version = ">=1.5.6,!=1.5.7", optional = true}

[package.extras]
socks = ["PySocks (>=1.5.6,!=1.5.7)"]
use-chardet = ["chardet (>=3.0.2,<6)"]

[metadata]
lock-version = "2.1"
python-versions = "^3.10"
`})
	diffLines(t, "requests edges", edgeLines(findLocked(t, p.Locked, "requests")), []string{
		"extra socks: pysocks",
		"extra use-chardet: chardet",
		"requires certifi",
		`requires urllib3 ; python_version < "3.10"`,
		`requires urllib3 ; python_version >= "3.10"`,
	})
}

func TestPDMLockGraph(t *testing.T) {
	p := scanFiles(map[string]string{"pdm.lock": `[metadata]
lock_version = "4.5.0"

[[package]]
name = "requests"
version = "2.32.3"
dependencies = ["certifi>=2017.4.17", "urllib3<3,>=1.21.1"]
files = [{file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:00"}]

[[package]]
name = "requests"
version = "2.32.3"
extras = ["socks"]
dependencies = ["PySocks!=1.5.7,>=1.5.6", "requests==2.32.3"]
files = [{file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:00"}]
`})
	if n := len(p.Locked); n != 1 {
		t.Fatalf("locked %d packages, want requests once (its extras table is merged)", n)
	}
	diffLines(t, "requests edges", edgeLines(p.Locked[0]), []string{
		"extra socks: pysocks",
		"extra socks: requests",
		"requires certifi",
		"requires urllib3",
	})
}

func TestPipfileLockSections(t *testing.T) {
	p := scanFiles(map[string]string{"Pipfile.lock": `{
  "_meta": {},
  "default": {"pywin32": {"version": "==306", "markers": "sys_platform == 'win32'"}},
  "develop": {"pytest": {"version": "==8.1.1"}}
}
`})
	var got []string
	for _, l := range p.Locked {
		got = append(got, fmt.Sprintf("%s %v %s", l.Name, l.Sections, l.Marker))
	}
	diffLines(t, "locked", got, []string{"pywin32 [default] sys_platform == 'win32'", "pytest [develop] "})
}

func TestMarkerHolds(t *testing.T) {
	linux314 := MarkerEnv{Vars: map[string]string{"python_version": "3.14", "python_full_version": "3.14.99", "sys_platform": "linux",
		"platform_system": "Linux", "platform_python_implementation": "CPython", "os_name": "posix"}}
	withExtras := linux314
	withExtras.Extras = []string{"socks", "group-6-openai-pydantic-v2"}
	tests := []struct {
		marker string
		want   bool
	}{
		{"", true},
		{"python_full_version < '3.14'", false},
		{"python_full_version >= '3.11'", true},
		{`python_version == "3.*"`, true},
		{"sys_platform == 'win32'", false},
		{"sys_platform == 'win32' or platform_python_implementation != 'PyPy'", true},
		{"(sys_platform == 'darwin' and python_version < '3.12') or os_name == 'nt'", false},
		{"'3.13' > python_version", false},
		{"'linux' in sys_platform", true},
		{"platform_machine not in 'x86_64 aarch64'", true}, // unknown variable: holds
		{"extra == 'cpu'", true},                           // unknown: holds
		{"python_version <", true},                         // does not parse: holds
	}
	for _, tt := range tests {
		if got := MarkerHolds(tt.marker, linux314); got != tt.want {
			t.Errorf("MarkerHolds(%q) = %v, want %v", tt.marker, got, tt.want)
		}
	}
	// With the extras known, `extra` is membership: uv.lock's conflict
	// markers name two groups that are never installed together.
	for _, tt := range []struct {
		marker string
		want   bool
	}{
		{`extra == "socks"`, true},
		{`extra == 'cpu'`, false},
		{`'socks' == extra`, true},
		{`extra != "cpu"`, true},
		{"python_full_version >= '3.11' or (extra == 'group-6-openai-pydantic-v1' and extra == 'group-6-openai-pydantic-v2')", true},
		{"python_full_version < '3.11' or (extra == 'group-6-openai-pydantic-v1' and extra == 'group-6-openai-pydantic-v2')", false},
	} {
		if got := MarkerHolds(tt.marker, withExtras); got != tt.want {
			t.Errorf("with extras: MarkerHolds(%q) = %v, want %v", tt.marker, got, tt.want)
		}
	}
}
