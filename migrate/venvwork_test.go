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
