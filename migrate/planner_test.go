package migrate

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
)

// TestPlanNativeProject is the plan a reviewer sees for a Django shop with
// psycopg2, lxml and numpy: libpq (built from source), no libxml2/libxslt
// (lxml's wheels bundle them, which the plan says), and the C++ runtime on
// Linux, each with its reason and evidence.
func TestPlanNativeProject(t *testing.T) {
	p := &detect.Project{
		Root:  "shop",
		Files: files("pyproject.toml", "requirements.txt", "requirements-dev.txt#dev"),
		Interpreters: []detect.InterpreterRequest{
			req(detect.KindPythonVersion, "3.12", ".python-version", 1),
			req(detect.KindPyproject, ">=3.10", "pyproject.toml", 7),
		},
		Requirements: []detect.Requirement{
			pinned("psycopg2", "requirements.txt", 3),
			pinned("lxml", "requirements.txt", 4),
			pinned("numpy", "requirements.txt", 5),
			pinned("pytest", "requirements-dev.txt", 2),
		},
	}
	plan, err := BuildPlan(p, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	doc := checkManifest(t, plan.Manifest())

	ids := func() []string {
		var out []string
		for _, pkg := range plan.Packages {
			out = append(out, pkg.ID)
		}
		return out
	}()
	if want := []string{"python", "uv", "gcc", "gcc-unwrapped", "libpq", "pg_config", "pkg-config"}; !slices.Equal(ids, want) {
		t.Errorf("packages = %q, want %q", ids, want)
	}
	if get(doc, "install", "python", "pkg-path") != "python312" {
		t.Errorf("python = %v", get(doc, "install", "python"))
	}
	if got := get(doc, "install", "gcc-unwrapped", "outputs"); len(got.([]any)) != 1 || got.([]any)[0] != "lib" {
		t.Errorf("gcc-unwrapped outputs = %v", got)
	}
	if got := get(doc, "install", "libpq", "outputs"); got != "all" {
		t.Errorf("libpq outputs = %v, want all (headers for the build)", got)
	}
	if got := get(doc, "install", "pg_config", "pkg-path"); got != "libpq.pg_config" {
		t.Errorf("pg_config = %v", got)
	}
	if got := get(doc, "install", "gcc", "systems"); len(got.([]any)) != 2 {
		t.Errorf("gcc systems = %v, want Linux", got)
	}
	if !slices.Equal(plan.Libraries, []string{"libstdc++.so.6"}) {
		t.Errorf("libraries = %q", plan.Libraries)
	}
	if got := get(doc, "schema-version"); got != "1.10.0" {
		t.Errorf("schema-version = %v", got)
	}

	// The JSON form (`venv2flox plan --format json`) carries the reasons.
	data, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Packages []struct {
			ID     string
			Reason struct {
				Text     string
				Evidence []detect.Evidence
			}
		}
		Notes []string
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, pkg := range back.Packages {
		reasons[pkg.ID] = pkg.Reason.Text
		if len(pkg.Reason.Evidence) == 0 {
			t.Errorf("%s has no evidence in JSON", pkg.ID)
		}
	}
	for id, want := range map[string]string{
		"python":        "python312 because .python-version:1 says 3.12; satisfies requires-python >=3.10 (pyproject.toml:7)",
		"libpq":         "psycopg2: psycopg2 has no wheels",
		"gcc-unwrapped": "numpy: their manylinux wheels link the host's libstdc++.so.6",
	} {
		if !strings.Contains(reasons[id], want) {
			t.Errorf("reason of %s = %q, want %q", id, reasons[id], want)
		}
	}
	if !containsSub(back.Notes, "lxml: lxml wheels bundle libxml2 and libxslt") {
		t.Errorf("notes do not explain why lxml needs nothing: %q", back.Notes)
	}
	if !containsSub(back.Notes, "manifest.lock is created by the first `flox activate`") {
		t.Errorf("notes do not mention manifest.lock: %q", back.Notes)
	}

	text := plan.Text()
	for _, want := range []string{
		"Interpreter: Python 3.12\n",
		"  why: python312 because .python-version:1 says 3.12",
		"Manager: uv\n",
		`  sync: uv pip sync --python "$VIRTUAL_ENV/bin/python" requirements.txt requirements-dev.txt`,
		"  gcc-unwrapped = gcc-unwrapped outputs lib on aarch64-linux, x86_64-linux\n",
		"    evidence: requirements.txt:5\n",
		"write a .pth file that makes the venv's Python preload libstdc++.so.6 from $FLOX_ENV/lib (Linux)",
		"UV_PYTHON_DOWNLOADS=never for the sync only",
		"Notes:\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "libxml2 =") || strings.Contains(text, "libxslt =") {
		t.Errorf("lxml's bundled libraries were installed:\n%s", text)
	}
}

func TestPlanIsDeterministic(t *testing.T) {
	p := &detect.Project{
		Files:        files("pyproject.toml", "uv.lock"),
		Requirements: []detect.Requirement{requirement("torch", "pyproject.toml", 8), requirement("psycopg2", "pyproject.toml", 9)},
		Locked:       []detect.LockedPackage{{Name: "nvidia-cudnn-cu12", Evidence: ev("uv.lock", 300)}, {Name: "scipy", Evidence: ev("uv.lock", 200)}},
		Commands:     []detect.CommandUse{{Name: "npm", File: detect.KindMakefile, Evidence: ev("Makefile", 3)}},
	}
	first, err := BuildPlan(p, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, _ := BuildPlan(p, PlanOptions{})
		if string(again.Manifest()) != string(first.Manifest()) || again.Text() != first.Text() {
			t.Fatal("plan output differs between runs")
		}
	}
	doc := checkManifest(t, first.Manifest())
	if get(doc, "options", "allow") != nil || get(doc, "install", "cudatoolkit") != nil {
		t.Errorf("torch wheels got a CUDA toolkit:\n%s", first.Manifest())
	}
	if got := get(doc, "install", "gcc-unwrapped", "systems"); len(got.([]any)) != 2 {
		t.Errorf("gcc-unwrapped systems = %v, want Linux only", got)
	}
}

func TestRewriteContext(t *testing.T) {
	p := &detect.Project{
		Files: files("requirements.txt"),
		Venvs: []detect.VenvUse{
			{Action: detect.VenvCreate, Dir: "./venv", File: detect.KindMakefile},
			{Action: detect.VenvActivate, Dir: "venv", File: detect.KindShell},
			{Action: detect.VenvActivate, Dir: "$(VENV)", File: detect.KindMakefile},
			{Action: detect.VenvCreate, Dir: "/opt/venv", File: detect.KindDockerfile},
			{Action: detect.VenvCreate, Dir: ".venv", File: detect.KindDockerfile},
			{Action: detect.VenvDeactivate, File: detect.KindShell},
		},
	}
	plan, err := BuildPlan(p, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := plan.RewriteContext("services/api", true)
	if ctx.ProjectDir != "services/api" || !ctx.KeepVenv || ctx.Manager != "uv" {
		t.Errorf("context = %+v", ctx)
	}
	if want := []string{"$(VENV)", "venv"}; !slices.Equal(ctx.VenvDirs, want) {
		t.Errorf("venv dirs = %q, want %q", ctx.VenvDirs, want)
	}
	if !slices.Equal(ctx.Synced, []string{"requirements.txt"}) {
		t.Errorf("synced = %q", ctx.Synced)
	}
}

// A script a Dockerfile starts (microblog's boot.sh) activates the image's
// venv: it is handed to the rewriters as a container script.
func TestRewriteContextContainerScripts(t *testing.T) {
	p := &detect.Project{
		Files: []detect.File{
			{Path: "requirements.txt", Kind: detect.KindRequirements},
			{Path: "boot.sh", Kind: detect.KindShell},
			{Path: "scripts/start.sh", Kind: detect.KindShell},
			{Path: "scripts/dev.sh", Kind: detect.KindShell},
		},
		Commands: []detect.CommandUse{
			{Name: "./boot.sh", File: detect.KindDockerfile, Evidence: ev("Dockerfile", 27)},
			{Name: "bash", Args: []string{"/app/scripts/start.sh"}, File: detect.KindDockerfile, Evidence: ev("Dockerfile", 28)},
			{Name: "bash", Args: []string{"-c", "dev.sh"}, File: detect.KindDockerfile, Evidence: ev("Dockerfile", 29)},
			{Name: "./scripts/dev.sh", File: detect.KindMakefile, Evidence: ev("Makefile", 3)},
			{Name: "gunicorn", Args: []string{"app:app"}, File: detect.KindDockerfile, Evidence: ev("Dockerfile", 30)},
		},
	}
	plan, err := BuildPlan(p, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := plan.RewriteContext(".", false)
	if want := []string{"boot.sh", "scripts/start.sh"}; !slices.Equal(ctx.ContainerScripts, want) {
		t.Errorf("container scripts = %q, want %q", ctx.ContainerScripts, want)
	}
}

func TestRewriteContextSourcedScripts(t *testing.T) {
	p := &detect.Project{
		Files: []detect.File{
			{Path: "requirements.txt", Kind: detect.KindRequirements},
			{Path: "start.sh", Kind: detect.KindShell},
			{Path: "scripts/env.sh", Kind: detect.KindShell},
			{Path: "run.sh", Kind: detect.KindShell},
		},
		Commands: []detect.CommandUse{
			{Name: "source", Args: []string{"start.sh"}, File: detect.KindMakefile, Evidence: ev("Makefile", 4)},
			{Name: ".", Args: []string{"./scripts/env.sh"}, File: detect.KindMarkdown, Evidence: ev("README.md", 12)},
			{Name: "source", Args: []string{"$HOME/run.sh"}, File: detect.KindMarkdown, Evidence: ev("README.md", 14)},
			{Name: "bash", Args: []string{"run.sh"}, File: detect.KindMakefile, Evidence: ev("Makefile", 7)},
		},
	}
	plan, err := BuildPlan(p, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := plan.RewriteContext(".", false)
	if want := []string{"start.sh", "scripts/env.sh"}; !slices.Equal(ctx.SourcedScripts, want) {
		t.Errorf("sourced scripts = %q, want %q", ctx.SourcedScripts, want)
	}
}

func TestRewriteContextSharedMakefiles(t *testing.T) {
	mk := func(p string) detect.File { return detect.File{Path: p, Kind: detect.KindMakefile} }
	include := func(from string, to ...string) detect.CommandUse {
		return detect.CommandUse{Name: "include", Args: to, File: detect.KindMakefile, Evidence: ev(from, 3)}
	}
	venv := func(p string) detect.VenvUse {
		return detect.VenvUse{Action: detect.VenvCreate, Dir: ".venv", File: detect.KindMakefile, Evidence: ev(p, 9)}
	}
	p := &detect.Project{
		Files: []detect.File{{Path: "requirements.txt", Kind: detect.KindRequirements},
			mk("Makefile"), mk("Makefile.venv"), mk("common.mk"), mk("docs/Makefile"), mk("docs/sphinx.mk")},
		Commands: []detect.CommandUse{
			include("Makefile", "Makefile.venv", "common.mk"), // the venv lives in a fragment
			include("docs/Makefile", "sphinx.mk"),             // no venv in this group
		},
		Venvs: []detect.VenvUse{venv("Makefile.venv"), venv("docs/Makefile")},
	}
	plan, err := BuildPlan(p, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := plan.RewriteContext(".", false)
	if want := []string{"Makefile", "Makefile.venv", "common.mk"}; !slices.Equal(ctx.SharedMakefiles, want) {
		t.Errorf("shared Makefiles = %q, want %q", ctx.SharedMakefiles, want)
	}
}

func TestBuildPlanErrors(t *testing.T) {
	if _, err := BuildPlan(nil, PlanOptions{}); err == nil {
		t.Error("nil project accepted")
	}
	if _, err := BuildPlan(&detect.Project{}, PlanOptions{VenvDir: "../elsewhere"}); err == nil {
		t.Error("venv outside the project accepted")
	}
	if _, err := BuildPlan(&detect.Project{}, PlanOptions{Manager: "conda"}); err == nil {
		t.Error("unknown manager accepted")
	}
	if _, err := BuildPlan(&detect.Project{}, PlanOptions{Python: "2.7"}); err == nil || !strings.Contains(err.Error(), "not available") {
		t.Errorf("--python 2.7: err = %v", err)
	}
	plan, err := BuildPlan(&detect.Project{Files: files("requirements.txt")}, PlanOptions{Groups: []string{"benchmarks"}})
	if err != nil || !containsSub(plan.Notices, "--group benchmarks: the project declares no such group") {
		t.Errorf("unknown --group not noted: %v %q", err, plan.Notices)
	}
}

// scanAndPlan runs detect.Scan on project dir of fsys and plans it with
// the default options; the manifest must be valid.
func scanAndPlan(t *testing.T, fsys fs.FS, dir string) (*detect.Project, *Plan) {
	t.Helper()
	p := detect.Scan(fsys, dir, detect.Options{})
	plan, err := BuildPlan(p, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkManifest(t, plan.Manifest())
	return p, plan
}

// checkPackageIDs fails the test for each id the plan does not install;
// it returns the ids the plan installs.
func checkPackageIDs(t *testing.T, plan *Plan, ids ...string) map[string]bool {
	t.Helper()
	have := map[string]bool{}
	for _, pkg := range plan.Packages {
		have[pkg.ID] = true
	}
	for _, id := range ids {
		if !have[id] {
			t.Errorf("plan lacks %s:\n%s", id, plan.Text())
		}
	}
	return have
}

// TestPlanFromScan goes through detect.Scan: what detect reads from real
// files reaches the plan.
func TestPlanFromScan(t *testing.T) {
	fsys := fstest.MapFS{
		"shop/pyproject.toml":  {Data: []byte("[project]\r\nname = \"shop\"\r\nrequires-python = \">=3.11\"\r\ndependencies = [\r\n  \"psycopg[c]>=3.1\",  # needs libpq\r\n  \"numpy~=2.0\",\r\n]\r\n\r\n[project.optional-dependencies]\r\ndev = [\"pytest\"]\r\ndocs = [\"sphinx\"]\r\n")},
		"shop/.python-version": {Data: []byte("3.12\n")},
		"shop/README.md":       {Data: []byte("# Shop\n")},
	}
	p, plan := scanAndPlan(t, fsys, "shop")
	if plan.EnvName != "shop" {
		t.Errorf("env name = %q", plan.EnvName)
	}
	if len(p.Requirements) == 0 {
		t.Skip("detect does not read pyproject.toml yet")
	}
	if !slices.Contains(plan.Synced, "pyproject.toml") {
		t.Errorf("synced = %q", plan.Synced)
	}
	checkPackageIDs(t, plan, "python", "uv", "libpq", "pg_config", "pkg-config", "gcc", "gcc-unwrapped")
	if have := checkPackageIDs(t, plan); have["clang"] {
		t.Errorf("clang installed: macOS builds with the Xcode Command Line Tools")
	}
	if len(p.Interpreters) > 0 && plan.Interpreter.Minor != "3.12" {
		t.Errorf("interpreter = %s:\n%s", plan.Interpreter.Minor, plan.Text())
	}
	if want := `uv pip install --python "$VIRTUAL_ENV/bin/python" -e '.[dev]'`; !slices.Contains(plan.Sync, want) {
		t.Errorf("sync = %q, want %q", plan.Sync, want)
	}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/plans")

// TestPlanGolden keeps whole plans (manifest and text) under review in
// testdata/plans; run `go test ./migrate -run PlanGolden -update` after a
// deliberate change and read the diff.
func TestPlanGolden(t *testing.T) {
	cases := map[string]struct {
		p    detect.Project
		opts PlanOptions
	}{
		"django-requirements": {detect.Project{
			Root:  "shop",
			Files: files("pyproject.toml", "requirements.txt", "requirements-dev.txt#dev", "requirements-docs.txt#docs"),
			Interpreters: []detect.InterpreterRequest{
				req(detect.KindPythonVersion, "3.12.4", ".python-version", 1),
				req(detect.KindPyproject, ">=3.10", "pyproject.toml", 7),
				req(detect.KindRuntimeTxt, "python-3.9.18", "runtime.txt", 1),
			},
			Requirements: []detect.Requirement{
				pinned("django", "requirements.txt", 2), pinned("psycopg2", "requirements.txt", 3),
				pinned("lxml", "requirements.txt", 4), pinned("numpy", "requirements.txt", 5),
				pinned("pytest", "requirements-dev.txt", 2), pinned("sphinx", "requirements-docs.txt", 1),
			},
			System:   []detect.SystemNeed{{Name: "libpq-dev", Source: "apt", Evidence: ev("Dockerfile", 6)}, {Name: "build-essential", Source: "apt", Evidence: ev("Dockerfile", 6)}},
			Commands: []detect.CommandUse{{Name: "dot", File: detect.KindMakefile, Evidence: ev("Makefile", 14)}},
		}, PlanOptions{}},
		"poetry-groups": {detect.Project{
			Root:         "api",
			Files:        files("pyproject.toml", "poetry.lock"),
			Interpreters: []detect.InterpreterRequest{req(detect.KindPyproject, "^3.11", "pyproject.toml", 9), req(detect.KindPoetryLock, ">=3.11,<4.0", "poetry.lock", 812)},
			Requirements: []detect.Requirement{
				{Name: "fastapi", Evidence: ev("pyproject.toml", 10)},
				{Name: "pytest", Group: "test", Evidence: ev("pyproject.toml", 15)},
				{Name: "mkdocs", Group: "docs", Evidence: ev("pyproject.toml", 19)},
			},
			Locked: []detect.LockedPackage{{Name: "psycopg", Version: "3.2.1", Evidence: ev("poetry.lock", 400)}},
		}, PlanOptions{VenvDir: ".venv"}},
		"uv-cuda": {detect.Project{
			Root:         "trainer",
			Files:        files("pyproject.toml", "uv.lock"),
			Interpreters: []detect.InterpreterRequest{req(detect.KindUVLock, ">=3.11", "uv.lock", 3), {Source: detect.KindGitHubWorkflow, Spec: "3.11", Matrix: true, Evidence: ev(".github/workflows/ci.yml", 18)}, {Source: detect.KindGitHubWorkflow, Spec: "3.12", Matrix: true, Evidence: ev(".github/workflows/ci.yml", 18)}},
			Requirements: []detect.Requirement{{Name: "torch", Evidence: ev("pyproject.toml", 8)}, {Name: "ruff", Group: "dev", Evidence: ev("pyproject.toml", 20)}},
			Locked:       []detect.LockedPackage{{Name: "nvidia-cublas-cu12", Evidence: ev("uv.lock", 510)}, {Name: "nvidia-cudnn-cu12", Evidence: ev("uv.lock", 530)}},
		}, PlanOptions{}},
		"pipenv-old-python": {detect.Project{
			Root:         "legacy",
			Files:        files("Pipfile", "Pipfile.lock"),
			Interpreters: []detect.InterpreterRequest{req(detect.KindPipfile, "3.9", "Pipfile", 12), req(detect.KindPipfileLock, "3.9", "Pipfile.lock", 8)},
			Requirements: []detect.Requirement{{Name: "mysqlclient", Evidence: ev("Pipfile", 7)}},
		}, PlanOptions{NoDev: true}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			plan, err := BuildPlan(&c.p, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			manifest := plan.Manifest()
			checkManifest(t, manifest)
			golden(t, filepath.Join("testdata", "plans", name+".manifest.toml"), manifest)
			golden(t, filepath.Join("testdata", "plans", name+".plan.txt"), []byte(plan.Text()))
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs (run with -update and review the diff):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// TestPlanFromScanMessyProject runs detect over a project written the way
// real ones are (CRLF, comments, a Makefile venv, a Dockerfile, a CI
// matrix) and checks that each fact detect reports shows up in the plan.
func TestPlanFromScanMessyProject(t *testing.T) {
	fsys := fstest.MapFS{
		"shop/.python-version":          {Data: []byte("3.12\n")},
		"shop/requirements.txt":         {Data: []byte("# production\r\nDjango==5.0.6\r\npsycopg2==2.9.9   # built from source\r\nlxml==5.2.2\r\nnumpy==2.0.0\r\n")},
		"shop/requirements-dev.txt":     {Data: []byte("-r requirements.txt\npytest==8.2.0\n")},
		"shop/requirements-docs.txt":    {Data: []byte("sphinx==7.3.7\n")},
		"shop/Makefile":                 {Data: []byte("VENV ?= .venv\n\nvenv:\n\tpython3 -m venv $(VENV)\n\t$(VENV)/bin/pip install -r requirements-dev.txt\n\ndocs:\n\tdot -Tpng docs/arch.dot -o docs/arch.png\n")},
		"shop/Dockerfile":               {Data: []byte("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n    libpq-dev build-essential \\\n && rm -rf /var/lib/apt/lists/*\n")},
		"shop/.github/workflows/ci.yml": {Data: []byte("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        python: ['3.11', '3.12']\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python }}\n      - run: pip install -r requirements-dev.txt\n")},
	}
	p, plan := scanAndPlan(t, fsys, "shop")
	text := plan.Text()
	if len(p.Requirements) == 0 {
		t.Skip("detect does not read requirements files yet")
	}
	if plan.Interpreter.Minor != "3.12" || plan.Manager != "uv" {
		t.Errorf("interpreter %s, manager %s:\n%s", plan.Interpreter.Minor, plan.Manager, text)
	}
	if !slices.Contains(plan.Synced, "requirements.txt") || slices.Contains(plan.Synced, "requirements-docs.txt") {
		t.Errorf("synced = %q", plan.Synced)
	}
	ids := checkPackageIDs(t, plan, "python", "uv", "libpq", "pg_config", "pkg-config", "gcc", "gcc-unwrapped")
	if ids["libxml2"] || ids["libxslt"] {
		t.Errorf("lxml's bundled libraries were installed:\n%s", text)
	}
	// Facts of other extractors: checked when detect reports them.
	if slices.ContainsFunc(p.Commands, func(c detect.CommandUse) bool { return c.Name == "dot" }) && !ids["graphviz"] {
		t.Errorf("the Makefile runs dot but graphviz is missing:\n%s", text)
	}
	if slices.ContainsFunc(p.Interpreters, func(r detect.InterpreterRequest) bool { return r.Matrix }) && !containsSub(plan.Notes, "the project tests several Pythons") {
		t.Errorf("the CI matrix is not noted:\n%s", text)
	}
	if len(p.Venvs) > 0 {
		ctx := plan.RewriteContext(".", false)
		if len(ctx.VenvDirs) == 0 {
			t.Errorf("detect found venvs %+v but the rewrite context has none", p.Venvs)
		}
	}
}

// FuzzBuildPlan plans projects with arbitrary names, file names and
// versions: the plan never fails, its manifest always parses and passes
// the schema, and its hook always parses as bash.
func FuzzBuildPlan(f *testing.F) {
	f.Add("psycopg2", "c", "==2.9.9", "3.12", "requirements dev.txt", "dot", "libpq-dev", "dev")
	f.Add("torch", "", ">=2", "^3.10", "req's.txt", "node", "build-essential", "docs")
	f.Add("", "", "", "", "", "", "", "")
	f.Add("a'''b", "x\"y", "$(rm -rf /)", "3.13t", "`x`.txt", "'''", "\x00", "'''")
	f.Fuzz(func(t *testing.T, name, extra, spec, pyspec, file, command, apt, group string) {
		p := &detect.Project{
			Files:        []detect.File{{Path: file, Kind: detect.KindRequirements, Group: group}, {Path: "pyproject.toml", Kind: detect.KindPyproject}},
			Interpreters: []detect.InterpreterRequest{req(detect.KindPythonVersion, pyspec, ".python-version", 1)},
			Requirements: []detect.Requirement{{Name: name, Extras: []string{extra}, Specifier: spec, Group: group, Evidence: ev(file, 1)}},
			Locked:       []detect.LockedPackage{{Name: name, SdistOnly: true, Evidence: ev("uv.lock", 2)}},
			Commands:     []detect.CommandUse{{Name: command, File: detect.KindMakefile, Evidence: ev("Makefile", 3)}},
			System:       []detect.SystemNeed{{Name: apt, Source: "apt", Evidence: ev("Dockerfile", 4)}},
			Venvs:        []detect.VenvUse{{Action: detect.VenvInstall, Command: "pip install -e " + file, Evidence: ev("Makefile", 5)}},
		}
		plan, err := BuildPlan(p, PlanOptions{Groups: []string{group}})
		if err != nil {
			t.Fatalf("BuildPlan: %v", err)
		}
		// detect only hands over valid UTF-8 (file names included); check
		// each input alone, since two invalid halves can join into a valid rune.
		for _, in := range []string{name, extra, spec, pyspec, file, command, apt, group} {
			if !utf8.ValidString(in) {
				return
			}
		}
		checkManifest(t, plan.Manifest())
		if _, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(plan.Hook), "hook"); err != nil {
			t.Fatalf("hook does not parse: %v\n%s", err, plan.Hook)
		}
	})
}

// A recipe that installs packages from folders of the checkout
// (`pip install ./shop_c`) builds them: a folder whose pyproject.toml
// declares setuptools ext-modules gets a compiler, and the libraries the
// knowledge base knows by its name (psycopg-c: libpq and pg_config).
func TestPlanBuildsCheckoutFolders(t *testing.T) {
	fsys := fstest.MapFS{
		"shop/pyproject.toml":      {Data: []byte("[tool.ruff]\nline-length = 88\n")},
		"shop/shop/pyproject.toml": {Data: []byte("[project]\nname = \"shop\"\ndependencies = [\"httpx\"]\n[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n")},
		"shop/shop_c/pyproject.toml": {Data: []byte("[project]\nname = \"psycopg-c\"\n[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n" +
			"[[tool.setuptools.ext-modules]]\nname = \"shop_c._speedups\"\nsources = [\"shop_c/_speedups.c\"]\n")},
		"shop/README.md": {Data: []byte("# Shop\n\n## Hacking\n\n```bash\npython -m venv .venv\nsource .venv/bin/activate\npip install -e ./shop\npip install ./shop_c\n```\n")},
	}
	_, plan := scanAndPlan(t, fsys, "shop")
	have := checkPackageIDs(t, plan)
	for _, id := range []string{"gcc", "libpq", "pg_config"} {
		if !have[id] {
			t.Errorf("no %s: %v\n%s", id, have, plan.Text())
		}
	}
	if !slices.ContainsFunc(plan.Warnings, func(w string) bool { return strings.Contains(w, "builds psycopg-c from the checkout") }) {
		t.Errorf("warnings %q do not say the sync builds psycopg-c", plan.Warnings)
	}
}

// A uv project without uv.lock is synced with uv pip; the documented
// `uv run` must still use the Flox venv, so the hook exports
// UV_PROJECT_ENVIRONMENT all the same.
func TestPlanUVRunWithoutLockUsesTheFloxVenv(t *testing.T) {
	fsys := fstest.MapFS{
		"tally/pyproject.toml": {Data: []byte("[project]\nname = \"tally\"\ndependencies = [\"click\"]\n\n[dependency-groups]\ndev = [\"pytest\"]\n\n" +
			"[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n")},
		"tally/CONTRIBUTING.md": {Data: []byte("# Contributing\n\nCheck out the code, then run the tests with uv:\n\n```bash\nuv run pytest\n```\n")},
	}
	_, plan := scanAndPlan(t, fsys, "tally")
	if !strings.Contains(plan.Hook, `UV_PROJECT_ENVIRONMENT="$venv"`) {
		t.Errorf("hook does not point uv run at the Flox venv:\n%s", plan.Hook)
	}
	if want := `uv pip install --python "$VIRTUAL_ENV/bin/python" -e . --group dev`; !slices.Contains(plan.Sync, want) {
		t.Errorf("sync = %q, want %q", plan.Sync, want)
	}
}

// Plugins with a requirements file each make one "not synced" line, and a
// plugin file the root requirements include is synced through them.
func TestPlanPluginRequirementsInOneNote(t *testing.T) {
	fsys := fstest.MapFS{
		"hub/requirements.txt": {Data: []byte("pytest\n-r plugins/matrix/requirements.txt\n")},
	}
	for _, name := range []string{"irc", "matrix", "slack", "rss", "svn"} {
		fsys["hub/plugins/"+name+"/requirements.txt"] = &fstest.MapFile{Data: []byte(name + "-client\n")}
	}
	_, plan := scanAndPlan(t, fsys, "hub")
	var left []string
	for _, n := range plan.Setup.Notes {
		if n.Kind == NoteNotSynced {
			left = append(left, n.Text)
		}
	}
	want := "4 requirements files in folders of their own, which the setup does not install (plugins/irc/requirements.txt, plugins/rss/requirements.txt, plugins/slack/requirements.txt and 1 more)"
	if len(left) != 1 || left[0] != want {
		t.Errorf("not synced = %q, want [%q]", left, want)
	}
}

// A checkout that builds a package whose wheels bundle their library
// (pyproj bundles PROJ) gets the library with its headers, for the reason
// that it builds against it, never "wheels bundle PROJ".
func TestPlanCheckoutBuildReason(t *testing.T) {
	fsys := fstest.MapFS{
		"geo/pyproject.toml": {Data: []byte("[project]\nname = \"pyproj\"\nversion = \"3.7.0\"\ndependencies = [\"certifi\"]\n[build-system]\nrequires = [\"setuptools\", \"cython\"]\nbuild-backend = \"setuptools.build_meta\"\n" +
			"[[tool.setuptools.ext-modules]]\nname = \"pyproj._crs\"\nsources = [\"pyproj/_crs.pyx\"]\n")},
		"geo/README.md": {Data: []byte("# geo\n\n## Development\n\n```bash\npython -m venv .venv\nsource .venv/bin/activate\npip install -e .\n```\n")},
	}
	_, plan := scanAndPlan(t, fsys, "geo")
	i := slices.IndexFunc(plan.Packages, func(p Package) bool { return p.ID == "proj" })
	if i < 0 {
		t.Fatalf("no proj:\n%s", plan.Text())
	}
	if why := plan.Packages[i].Reason.Text; strings.Contains(why, "bundle") || !strings.Contains(why, "build against from the checkout") {
		t.Errorf("proj's reason is %q", why)
	}
}

// A recipe that installs tox runs the tests in tox's environments, which
// build the project from the checkout inside the Flox environment: the
// build gets a compiler and the headers of the libraries the project
// links (h5py: HDF5, found with pkg-config). With skip_install, tox builds
// nothing, and nothing is added.
func TestPlanToxBuildsTheProject(t *testing.T) {
	for _, skip := range []bool{false, true} {
		testenv := "[testenv]\ndeps = pytest\ncommands = pytest\n"
		if skip {
			testenv = "[testenv]\nskip_install = true\ncommands = pytest\n"
		}
		fsys := fstest.MapFS{
			"h5/pyproject.toml":  {Data: []byte("[project]\nname = \"h5py\"\nversion = \"3.15.0\"\ndependencies = [\"numpy\"]\n[build-system]\nrequires = [\"setuptools\", \"cython\", \"pkgconfig\"]\nbuild-backend = \"setuptools.build_meta\"\n")},
			"h5/tox.ini":         {Data: []byte("[tox]\nenvlist = py313\n\n" + testenv)},
			"h5/CONTRIBUTING.md": {Data: []byte("# h5\n\n## Running the tests\n\n```bash\npip install tox\ntox -e py313\n```\n")},
		}
		_, plan := scanAndPlan(t, fsys, "h5")
		have := checkPackageIDs(t, plan)
		built := slices.ContainsFunc(plan.Warnings, func(w string) bool { return strings.Contains(w, "tox (tox.ini:4) builds h5py from the checkout") })
		if skip {
			if have["gcc"] || have["hdf5"] || built {
				t.Errorf("skip_install: tox builds nothing, yet %v, warnings %q", have, plan.Warnings)
			}
			continue
		}
		for _, id := range []string{"gcc", "hdf5", "pkg-config"} {
			if !have[id] {
				t.Errorf("no %s: %v\n%s", id, have, plan.Text())
			}
		}
		if !built {
			t.Errorf("warnings %q do not say tox builds h5py", plan.Warnings)
		}
	}
}
