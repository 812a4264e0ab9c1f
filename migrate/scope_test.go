package migrate

import (
	"strings"
	"testing"
	"testing/fstest"
)

// scopeProject has a contributor setup beside files for other readers:
// an install section for users, a deployment guide, an upgrade script a
// systemd unit depends on, and a release job beside the test job.
func scopeProject() fstest.MapFS {
	return fstest.MapFS{
		"pyproject.toml":   {Data: []byte("[project]\nname = \"tallyho\"\nversion = \"1\"\nrequires-python = \">=3.12\"\n")},
		"requirements.txt": {Data: []byte("flask==3.1.0\n")},
		"README.md": {Data: []byte("# tallyho\n\n## Install\n\n```sh\npython3 -m venv .venv\n. .venv/bin/activate\npip install tallyho\n```\n\n" +
			"## Development\n\n```sh\npython3 -m venv .venv\n. .venv/bin/activate\npip install -r requirements.txt\n```\n")},
		"docs/deploying.md":       {Data: []byte("# Deploying\n\n```sh\ncd my-app\npython3 -m venv .venv\n. .venv/bin/activate\npip install gunicorn\n```\n")},
		"upgrade.sh":              {Data: []byte("#!/bin/bash\npython3 -m venv venv\n. venv/bin/activate\npip install -r requirements.txt\n"), Mode: 0o755},
		"contrib/tallyho.service": {Data: []byte("[Service]\nExecStart=/opt/tallyho/venv/bin/gunicorn tallyho:app\n")},
		".github/workflows/ci.yml": {Data: []byte("on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n        with:\n          python-version: \"3.12\"\n" +
			"      - run: pip install -r requirements.txt\n      - run: pytest\n" +
			"  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n      - run: python -m pip install build\n" +
			"      - run: python -m build\n      - uses: pypa/gh-action-pypi-publish@release/v1\n")},
	}
}

func TestScopeContributorLeavesOtherReaders(t *testing.T) {
	fsys := scopeProject()
	res, err := Prepare(fsys, Options{RootName: "tallyho"})
	if err != nil {
		t.Fatal(err)
	}
	pr := res.Projects[0]
	changed := map[string]string{}
	for _, c := range pr.Changes {
		changed[c.Path] = string(c.New)
	}
	for _, p := range []string{"docs/deploying.md", "upgrade.sh", "contrib/tallyho.service"} {
		if _, ok := changed[p]; ok {
			t.Errorf("%s was rewritten; it is not the contributors' setup", p)
		}
	}
	readme := changed["README.md"]
	if !strings.Contains(readme, "pip install tallyho\n") || strings.Count(readme, "python3 -m venv .venv") != 1 || !strings.Contains(readme, "flox activate") {
		t.Errorf("README.md: want the install section kept and the development section migrated:\n%s", readme)
	}
	ci := changed[".github/workflows/ci.yml"]
	publish := ci[strings.Index(ci, "  publish:"):]
	if !strings.Contains(publish, "actions/setup-python@v5\n      - run: python -m pip install build\n") || strings.Contains(publish, "flox") {
		t.Errorf("ci.yml: the publish job changed:\n%s", ci)
	}
	if !strings.Contains(ci[:strings.Index(ci, "  publish:")], "flox/install-flox-action") {
		t.Errorf("ci.yml: the test job was not migrated:\n%s", ci)
	}
	var left []string
	for _, l := range pr.LeftAlone {
		left = append(left, l.String())
	}
	want := []string{
		".github/workflows/ci.yml:12 (job publish): left alone (release): it holds `id-token: write`",
		"README.md:5: left alone (user): a code block kept for other readers: installs tallyho from a package index",
		"contrib/tallyho.service: left alone (operator): a systemd unit",
		"docs/deploying.md: left alone (user): a deployment guide",
		"upgrade.sh: left alone (operator): it builds the venv a systemd unit runs from (contrib/tallyho.service:2)",
	}
	if len(left) != len(want) {
		t.Fatalf("left alone:\n%s\nwant %d entries", strings.Join(left, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(left[i], want[i]) {
			t.Errorf("left alone[%d] = %q, want %q", i, left[i], want[i])
		}
	}
}

func TestScopeAllRewritesEverything(t *testing.T) {
	res, err := Prepare(scopeProject(), Options{RootName: "tallyho", Scope: ScopeAll})
	if err != nil {
		t.Fatal(err)
	}
	pr := res.Projects[0]
	changed := map[string]bool{}
	for _, c := range pr.Changes {
		changed[c.Path] = c.Changed()
	}
	for _, p := range []string{"docs/deploying.md", "upgrade.sh", ".github/workflows/ci.yml"} {
		if !changed[p] {
			t.Errorf("%s not rewritten with --scope all", p)
		}
	}
	if len(pr.LeftAlone) != 0 {
		t.Errorf("left alone with --scope all: %v", pr.LeftAlone)
	}
}
