package detect

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// typicalProject is a uv project of realistic size: a pyproject.toml, a
// uv.lock of about 100 packages with wheels, pip-compile style requirements
// files and a .python-version.
func typicalProject() fstest.MapFS {
	var lock, reqs strings.Builder
	lock.WriteString("version = 1\nrevision = 2\nrequires-python = \">=3.11\"\n\n")
	lock.WriteString("[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\ndependencies = [\n")
	for i := range 100 {
		fmt.Fprintf(&lock, "    { name = \"pkg-%03d\" },\n", i)
	}
	lock.WriteString("]\n\n")
	for i := range 100 {
		fmt.Fprintf(&lock, "[[package]]\nname = \"pkg-%03d\"\nversion = \"1.%d.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n", i, i)
		fmt.Fprintf(&lock, "dependencies = [\n    { name = \"pkg-%03d\" },\n]\n", (i+1)%100)
		fmt.Fprintf(&lock, "sdist = { url = \"https://files.pythonhosted.org/packages/ab/cd/pkg_%03d-1.%d.0.tar.gz\", hash = \"sha256:%064d\", size = 123456 }\n", i, i, i)
		lock.WriteString("wheels = [\n")
		for _, plat := range []string{"manylinux_2_17_x86_64", "macosx_11_0_arm64", "win_amd64"} {
			fmt.Fprintf(&lock, "    { url = \"https://files.pythonhosted.org/packages/ef/01/pkg_%03d-1.%d.0-cp312-cp312-%s.whl\", hash = \"sha256:%064d\", size = 654321 },\n", i, i, plat, i)
		}
		lock.WriteString("]\n\n")
		fmt.Fprintf(&reqs, "pkg-%03d==1.%d.0 \\\n    --hash=sha256:%064d\n    # via app\n", i, i, i)
	}
	return fstest.MapFS{
		"pyproject.toml": {Data: []byte(`[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["pkg-000>=1", "pkg-001[extra]~=1.1", "pkg-002; sys_platform == 'linux'"]

[project.optional-dependencies]
docs = ["sphinx>=7"]

[dependency-groups]
dev = ["pytest>=8", "ruff", {include-group = "lint"}]
lint = ["mypy"]

[tool.uv]
package = true

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
`)},
		"uv.lock":              {Data: []byte(lock.String())},
		"requirements.txt":     {Data: []byte(reqs.String())},
		"requirements-dev.txt": {Data: []byte("-r requirements.txt\npytest>=8\nruff==0.4.0\n")},
		".python-version":      {Data: []byte("3.12\n")},
	}
}

func BenchmarkScanTypicalProject(b *testing.B) {
	fsys := typicalProject()
	p := Scan(fsys, ".", Options{})
	if len(p.Locked) != 100 || len(p.Requirements) < 100 || len(p.Problems) != 0 {
		b.Fatalf("unexpected scan: %d locked, %d requirements, problems %v", len(p.Locked), len(p.Requirements), p.Problems)
	}
	b.ReportAllocs()
	for b.Loop() {
		Scan(fsys, ".", Options{})
	}
}
