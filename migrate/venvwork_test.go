package migrate

import (
	"maps"
	"strings"
	"testing"
	"testing/fstest"
)

// A project whose Python runs only in container images gets no
// environment; a venv step of the contributor's, a manager's lock file or
// an earlier migration makes it a project to migrate.
func TestImagesOnlyProjectIsUnchanged(t *testing.T) {
	images := map[string]string{
		"requirements.txt": "flask==3.0.3\n",
		"Dockerfile":       "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD [\"flask\", \"run\"]\n",
		"compose.yml":      "services:\n  web:\n    build: .\n",
		"run.sh":           "#!/bin/sh\ndocker build -t app .\ndocker run --rm -p 8000:8000 app\n",
		".gitignore":       "venv/\n.venv/\n",
		".github/workflows/image.yml": "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - run: docker build -t app .\n",
		".github/workflows/release.yml": "on:\n  release:\n    types: [published]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n      - run: pip install build && python -m build\n",
	}
	tests := []struct {
		name  string
		extra map[string]string
		want  Status
	}{
		{"images only", nil, StatusUnchanged},
		{"a venv in the contributing guide", map[string]string{"CONTRIBUTING.md": "```bash\npython -m venv .venv\n. .venv/bin/activate\n```\n"}, StatusMigrated},
		{"hatch run in a test job", map[string]string{".github/workflows/test.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - run: pipx install hatch\n      - run: hatch run test\n"}, StatusMigrated},
		{"a manager's lock file", map[string]string{"pyproject.toml": "[project]\nname = \"app\"\n", "uv.lock": "version = 1\nrequires-python = \">=3.12\"\n"}, StatusMigrated},
		{"a lock file only the image syncs", map[string]string{"pyproject.toml": "[project]\nname = \"app\"\n", "uv.lock": "version = 1\nrequires-python = \">=3.12\"\n",
			"Dockerfile": "FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCMD [\"flask\", \"run\"]\n"}, StatusUnchanged},
		{"a lock file the image and the contributing guide sync", map[string]string{"pyproject.toml": "[project]\nname = \"app\"\n", "uv.lock": "version = 1\nrequires-python = \">=3.12\"\n",
			"Dockerfile":      "FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCMD [\"flask\", \"run\"]\n",
			"CONTRIBUTING.md": "## Development\n\n```bash\nuv sync\n```\n"}, StatusMigrated},
		{"a test job that installs on the runner", map[string]string{".github/workflows/test.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n      - run: pip install -r requirements.txt\n      - run: pytest\n"}, StatusMigrated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := maps.Clone(images)
			maps.Copy(files, tt.extra)
			fsys := fstest.MapFS{}
			for name, text := range files {
				fsys[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
			}
			res, err := Prepare(fsys, Options{RootName: "app"})
			if err != nil {
				t.Fatal(err)
			}
			p := res.Projects[0]
			if p.Status != tt.want {
				t.Fatalf("status = %s (%s), want %s", p.Status, p.Reason, tt.want)
			}
			if tt.want == StatusUnchanged {
				if res.Pending() || !strings.Contains(p.Reason, "container images (Dockerfile") {
					t.Errorf("pending=%v, reason %q", res.Pending(), p.Reason)
				}
			}
		})
	}
}

// A Rust program packaged for PyPI with maturin (bindings = "bin") is not
// a venv project: its scripts and test helpers run through `uv run`, and
// its README's examples of venvs are what the program does. A
// contributing guide that makes a venv, or Python dependencies of the
// package, make it one.
func TestBinaryPackageIsUnchanged(t *testing.T) {
	base := map[string]string{
		"Cargo.toml": "[workspace]\nmembers = [\"crates/*\"]\n",
		"pyproject.toml": "[build-system]\nrequires = [\"maturin>=1.0,<2.0\"]\nbuild-backend = \"maturin\"\n\n" +
			"[project]\nname = \"zap\"\nversion = \"0.4.0\"\nrequires-python = \">=3.9\"\n\n" +
			"[tool.maturin]\nbindings = \"bin\"\nmanifest-path = \"crates/zap/Cargo.toml\"\n\n" +
			"[dependency-groups]\ndocs = [\"mkdocs>=1.5\"]\n",
		"CONTRIBUTING.md":        "# Contributing\n\n```shell\ncargo build\ncargo test\nuv run --only-group docs mkdocs serve\n```\n",
		"README.md":              "# zap\n\nMake an environment:\n\n```console\n$ zap venv\n$ source .venv/bin/activate\n```\n",
		"scripts/check_wheel.py": "# /// script\n# dependencies = [\"packaging\"]\n# ///\nimport packaging\n",
		"crates/zap/Cargo.toml":  "[package]\nname = \"zap\"\n",
		"crates/zap/src/main.rs": "fn main() {}\n",
		".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - run: cargo test\n      - run: uv venv && uv pip install -e . && .venv/bin/zap --version\n",
	}
	tests := []struct {
		name  string
		extra map[string]string
		want  Status
	}{
		{"a Rust program", nil, StatusUnchanged},
		{"a venv in the contributing guide", map[string]string{"CONTRIBUTING.md": "```bash\npython -m venv .venv\n. .venv/bin/activate\npip install -e .\n```\n"}, StatusMigrated},
		{"Python dependencies", map[string]string{"pyproject.toml": "[build-system]\nrequires = [\"maturin\"]\nbuild-backend = \"maturin\"\n\n" +
			"[project]\nname = \"zap\"\nversion = \"0.4.0\"\ndependencies = [\"httpx\"]\n\n[tool.maturin]\nbindings = \"bin\"\n"}, StatusMigrated},
		{"a library", map[string]string{"pyproject.toml": "[build-system]\nrequires = [\"maturin\"]\nbuild-backend = \"maturin\"\n\n" +
			"[project]\nname = \"zap\"\nversion = \"0.4.0\"\n"}, StatusMigrated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := maps.Clone(base)
			maps.Copy(files, tt.extra)
			fsys := fstest.MapFS{}
			for name, text := range files {
				fsys[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
			}
			res, err := Prepare(fsys, Options{RootName: "zap"})
			if err != nil {
				t.Fatal(err)
			}
			p := res.Projects[0]
			if p.Status != tt.want {
				t.Fatalf("status = %s (%s), want %s", p.Status, p.Reason, tt.want)
			}
			if tt.want == StatusUnchanged && (res.Pending() || !strings.Contains(p.Reason, "compiled program")) {
				t.Errorf("pending=%v, reason %q", res.Pending(), p.Reason)
			}
		})
	}
}

// A second run on a migrated tree is unchanged even where the rewritten
// docs moved the lines the manifest's comments cite.
func TestSecondRunIgnoresMovedCitations(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml": {Data: []byte("[project]\nname = \"app\"\nversion = \"1\"\n\n[project.optional-dependencies]\ndev = [\"pytest\"]\n")},
		"CONTRIBUTING.md": {Data: []byte("# Contributing\n\nSet up:\n\n```shell\npython3 -m venv .venv\nsource .venv/bin/activate\npip install --upgrade pip\npip install -e '.[dev]'\n```\n\n" +
			"Run the tests:\n\n```shell\nmake test\n```\n")},
		"Makefile": {Data: []byte("test:\n\tpytest\n")},
	}
	res, err := Prepare(fsys, Options{RootName: "app"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Projects[0].Status != StatusMigrated {
		t.Fatalf("first run: %s (%s)", res.Projects[0].Status, res.Projects[0].Reason)
	}
	moved := false
	for _, c := range res.Changes() {
		fsys[c.Path] = &fstest.MapFile{Data: c.New, Mode: 0o644}
		moved = moved || c.Path == "CONTRIBUTING.md" && strings.Count(string(c.New), "\n") != strings.Count(string(c.Old), "\n")
	}
	if !moved {
		t.Fatal("the test needs a rewrite that moves CONTRIBUTING.md's lines")
	}
	res, err = Prepare(fsys, Options{RootName: "app"})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Projects[0]; p.Status != StatusUnchanged || res.Pending() {
		t.Errorf("second run: %s (%s), pending %v", p.Status, p.Reason, res.Pending())
	}
}

// A project with nothing to install gets no environment unless something
// creates or uses a venv.
func TestNothingToInstallIsUnchanged(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  Status
	}{
		{"metadata without dependencies", map[string]string{"pyproject.toml": "[project]\nname = \"x\"\nversion = \"1\"\n",
			"README.md": "# x\n\nRun `python -m x`.\n"}, StatusUnchanged},
		{"and a venv in the contributing guide", map[string]string{"pyproject.toml": "[project]\nname = \"x\"\nversion = \"1\"\n",
			"CONTRIBUTING.md": "```bash\npython -m venv .venv\n. .venv/bin/activate\n```\n"}, StatusMigrated},
		{"dependencies", map[string]string{"pyproject.toml": "[project]\nname = \"x\"\nversion = \"1\"\ndependencies = [\"httpx\"]\n"}, StatusMigrated},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, text := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
			}
			res, err := Prepare(fsys, Options{RootName: "x"})
			if err != nil {
				t.Fatal(err)
			}
			p := res.Projects[0]
			if p.Status != tt.want {
				t.Fatalf("status = %s (%s), want %s", p.Status, p.Reason, tt.want)
			}
			if tt.want == StatusUnchanged && (res.Pending() || !strings.Contains(p.Reason, "nothing to install")) {
				t.Errorf("pending=%v, reason %q", res.Pending(), p.Reason)
			}
		})
	}
}
