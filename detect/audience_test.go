package detect

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// files maps a scanned project's files to "audience: reason".
func audiences(p *Project) map[string]string {
	out := map[string]string{}
	for _, f := range p.Files {
		out[f.Path] = string(f.Audience)
		if f.Why != "" {
			out[f.Path] += ": " + f.Why
		}
	}
	return out
}

// wantAudience checks that got[key] has the audience want and, when
// reason is set, that its reason mentions it.
func wantAudience(t *testing.T, got map[string]string, key string, want Audience, reason string) {
	t.Helper()
	v, ok := got[key]
	if !ok {
		t.Errorf("%s: not classified (have %v)", key, got)
		return
	}
	aud, why, _ := strings.Cut(v, ": ")
	if aud != string(want) || !strings.Contains(why, reason) {
		t.Errorf("%s = %q, want %s mentioning %q", key, v, want, reason)
	}
}

func TestDocAudienceByPath(t *testing.T) {
	for _, c := range []struct {
		path  string
		want  Audience
		mixed bool
	}{
		{"README.md", AudienceContributor, true},
		{"INSTALL.rst", AudienceContributor, true},
		{"CONTRIBUTING.md", AudienceContributor, false},
		{".github/CONTRIBUTING.md", AudienceContributor, false},
		{"AGENTS.md", AudienceContributor, false},
		{".claude/skills/run-tests/SKILL.md", AudienceContributor, false},
		{"docs/development.md", AudienceContributor, false},
		{"docs/development/getting-started.md", AudienceContributor, false},
		{"docs/contributing.rst", AudienceContributor, false},
		{"docs/contribute.rst", AudienceContributor, false},
		{".devcontainer/README_codespaces.md", AudienceNone, false},
		{"docs/dev.rst", AudienceContributor, false},
		{"docs/devices.rst", AudienceUser, false},
		{"docs/deploying/gunicorn.rst", AudienceUser, false},
		{"docs/tutorial/install.rst", AudienceUser, false},
		{"docs/plugins/development/index.md", AudienceUser, false},
		{"docs/integrations/rest-api.md", AudienceUser, false},
		{"docs/troubleshooting.md", AudienceUser, false},
		{"docs/virtualenvs.md", AudienceUser, false},
		{"docs/index.md", AudienceUser, false},
		{"docs/development/release.rst", AudienceRelease, false},
		{"RELEASING.rst", AudienceRelease, false},
		{".github/RELEASE.md", AudienceRelease, false},
		{"docs/changelog.md", AudienceRelease, false},
	} {
		got, _, mixed := docByPath(c.path)
		if got != c.want || mixed != c.mixed {
			t.Errorf("docByPath(%s) = %s (mixed %v), want %s (mixed %v)", c.path, got, mixed, c.want, c.mixed)
		}
	}
}

// A README serves users and contributors: its blocks are judged one by
// one, by what they do and by their section.
func TestREADMEBlockAudiences(t *testing.T) {
	readme := strings.Join([]string{
		"# quotaguard",                         // 1
		"",                                     // 2
		"## Installation",                      // 3
		"",                                     // 4
		"```sh",                                // 5
		"python3 -m venv .venv",                // 6
		". .venv/bin/activate",                 // 7
		"pip install 'quotaguard[cli]>=2'",     // 8
		"```",                                  // 9
		"",                                     // 10
		"## Development",                       // 11
		"",                                     // 12
		"```sh",                                // 13
		"git clone https://example.org/qg.git", // 14
		"cd qg",                                // 15
		"python3 -m venv .venv",                // 16
		". .venv/bin/activate",                 // 17
		"pip install -e '.[dev]'",              // 18
		"```",                                  // 19
		"",                                     // 20
		"## Deploying behind gunicorn",         // 21
		"",                                     // 22
		"```console",                           // 23
		"$ cd hello-app",                       // 24
		"$ python -m venv .venv",               // 25
		"$ . .venv/bin/activate",               // 26
		"$ pip install . gunicorn",             // 27
		"```",                                  // 28
		"",                                     // 29
		"## Notebooks",                         // 30
		"",                                     // 31
		"```sh",                                // 32
		"conda activate qg-notebooks",          // 33
		"pip install -r requirements.txt",      // 34
		"```",                                  // 35
		"",                                     // 36
		"```sh",                                // 37
		"pip install jupyterlab",               // 38
		"```",                                  // 39
		"",                                     // 40
		"## Your own app",                      // 41
		"",                                     // 42
		"```sh",                                // 43
		"mkdir myapp && cd myapp",              // 44
		"python3 -m venv .venv",                // 45
		"```",                                  // 46
		"",                                     // 47
		"Later, activate it:",                  // 48
		"",                                     // 49
		"```sh",                                // 50
		". .venv/bin/activate",                 // 51
		"```",                                  // 52
		"",                                     // 53
		"## The demo",                          // 54
		"",                                     // 55
		"```sh",                                // 56
		"cd examples/demo",                     // 57
		"python3 -m venv .venv",                // 58
		". .venv/bin/activate",                 // 59
		"pip install -r requirements.txt",      // 60
		"```",                                  // 61
		"",                                     // 62
		"## Tests",                             // 63
		"",                                     // 64
		"```sh",                                // 65
		". .venv/bin/activate && pytest",       // 66
		"```",                                  // 67
		"",                                     // 68
		"## Checking quotas",                   // 69
		"",                                     // 70
		"```sh",                                // 71
		". .venv/bin/activate",                 // 72
		"quotaguard check --all",               // 73
		"```",                                  // 74
	}, "\n") + "\n"
	fsys := fstest.MapFS{
		"README.md":                      {Data: []byte(readme)},
		"pyproject.toml":                 {Data: []byte("[project]\nname = \"quotaguard\"\nversion = \"1\"\n")},
		"requirements.txt":               {Data: []byte("httpx\n")},
		"examples/demo/pyproject.toml":   {Data: []byte("[project]\nname = \"demo\"\nversion = \"1\"\n")},
		"examples/demo/requirements.txt": {Data: []byte("quotaguard==1.0\n")},
	}
	p := Scan(fsys, ".", Options{})
	got := map[int]string{}
	for _, b := range p.DocBlocks {
		got[b.Line] = string(b.Audience) + ": " + b.Why
	}
	want := map[int]string{
		5:  "user: installs quotaguard from a package index",
		23: "user: works in hello-app, another project than this checkout",
		32: "none: runs in the conda environment activated at line 33",
		37: "none: runs in the conda environment",
		43: "user: makes a folder for the reader's own project",
		50: "user: sets up the reader's own project made above",
		56: "example: works in examples/demo/, a project of its own",
		71: "user: shows quotaguard, the package's own command",
	}
	for line, w := range want {
		if !strings.HasPrefix(got[line], w) && testing.Verbose() || !strings.HasPrefix(got[line], w) {
			t.Errorf("block at line %d: %q, want %q", line, got[line], w)
		}
	}
	for line, g := range got {
		if _, ok := want[line]; !ok {
			t.Errorf("block at line %d: %q, want contributor", line, g)
		}
	}
	for _, b := range p.DocBlocks {
		if b.Line == 23 && b.EndLine != 28 {
			t.Errorf("block at line 23 ends at %d, want 28", b.EndLine)
		}
	}
	if a := p.AudienceAt(Evidence{Path: "README.md", Line: 25}); a != AudienceUser {
		t.Errorf("AudienceAt(README.md:25) = %s, want user", a)
	}
	if a := p.AudienceAt(Evidence{Path: "README.md", Line: 16}); a != AudienceContributor {
		t.Errorf("AudienceAt(README.md:16) = %s, want contributor", a)
	}
}

// `cd` into a folder the checkout does not have is another project; one
// that `git clone` just made is this one.
func TestREADMEBlockCdElsewhere(t *testing.T) {
	readme := "# app\n\n```sh\ngit clone https://example.org/app.git\ncd app\npython -m venv venv\n```\n\n" +
		"```sh\ncd my-site\npython -m venv venv\n```\n\n```sh\ncd docs\n. ../venv/bin/activate\nmake html\n```\n"
	fsys := fstest.MapFS{
		"README.md":       {Data: []byte(readme)},
		"setup.py":        {Data: []byte("from setuptools import setup\nsetup(name='app')\n")},
		"docs/index.rst":  {Data: []byte("App\n===\n")},
		"docs/Makefile":   {Data: []byte("html:\n\tsphinx-build . _build\n")},
		"requirements.in": {Data: []byte("flask\n")},
	}
	p := Scan(fsys, ".", Options{})
	if len(p.DocBlocks) != 1 || p.DocBlocks[0].Line != 9 || !strings.Contains(p.DocBlocks[0].Why, "my-site, another project") {
		t.Errorf("doc blocks = %+v, want only the block at line 9 (cd my-site)", p.DocBlocks)
	}
}

func TestExampleAudience(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml":                  {Data: []byte("[project]\nname = \"shop\"\nversion = \"1\"\n")},
		"requirements.txt":                {Data: []byte("-e ./plugins/payments\n")},
		"examples/demo/requirements.txt":  {Data: []byte("shop==0.9\n")},
		"examples/demo/run.sh":            {Data: []byte("#!/bin/sh\n. venv/bin/activate\npython app.py\n")},
		"plugins/payments/pyproject.toml": {Data: []byte("[project]\nname = \"shop-payments\"\nversion = \"1\"\n")},
		"plugins/payments/README.md":      {Data: []byte("# payments\n")},
		"docs/plugins/writing.md":         {Data: []byte("# Writing plugins\n")},
		"plugins/legacy/setup.py":         {Data: []byte("from setuptools import setup\nsetup(name='legacy')\n")},
		"plugins/legacy/Makefile":         {Data: []byte("venv:\n\tpython -m venv venv\n")},
	}
	got := audiences(Scan(fsys, ".", Options{}))
	wantAudience(t, got, "examples/demo/requirements.txt", AudienceExample, "under examples/")
	wantAudience(t, got, "examples/demo/run.sh", AudienceExample, "under examples/")
	wantAudience(t, got, "plugins/legacy/Makefile", AudienceExample, "plugins/legacy/ is a project of its own (plugins/legacy/setup.py)")
	wantAudience(t, got, "plugins/payments/README.md", AudienceContributor, "") // installed from the checkout
	wantAudience(t, got, "docs/plugins/writing.md", AudienceUser, "plugin authors")
	wantAudience(t, got, "requirements.txt", AudienceContributor, "")
}

// A root without project files serves the projects below it: those are
// not projects of their own.
func TestExampleAudienceRootWithoutProject(t *testing.T) {
	fsys := fstest.MapFS{
		"README.md":               {Data: []byte("# x\n\n```sh\ncd server\npython -m venv .venv\n```\n")},
		"server/pyproject.toml":   {Data: []byte("[project]\nname = \"x\"\nversion = \"1\"\n")},
		"server/requirements.txt": {Data: []byte("django\n")},
	}
	p := Scan(fsys, ".", Options{})
	got := audiences(p)
	wantAudience(t, got, "server/pyproject.toml", AudienceContributor, "")
	if len(p.DocBlocks) != 0 {
		t.Errorf("doc blocks = %+v, want none", p.DocBlocks)
	}
}

// The members an environment serves are its contributors' files; a
// project below a member is still a project of its own. A root with
// members treats the other projects below it as nested, project files or
// not.
func TestMembersAudience(t *testing.T) {
	fsys := fstest.MapFS{
		"Makefile":                           {Data: []byte("install-dev:\n\tcd $(plugin) && pip install -e .\n")},
		"p-csv/pyproject.toml":               {Data: []byte("[project]\nname = \"p-csv\"\nversion = \"1\"\n")},
		"p-csv/Makefile":                     {Data: []byte("test:\n\tpython -m pytest\n")},
		"p-csv/tests/dummy/pyproject.toml":   {Data: []byte("[project]\nname = \"dummy\"\n")},
		"p-csv/tests/dummy/requirements.txt": {Data: []byte("p-csv==0.1\n")},
		"unserved/pyproject.toml":            {Data: []byte("[project]\nname = \"unserved\"\n")},
	}
	p := Scan(fsys, ".", Options{Members: []string{"p-csv"}})
	got := audiences(p)
	wantAudience(t, got, "p-csv/Makefile", AudienceContributor, "")
	wantAudience(t, got, "p-csv/tests/dummy/requirements.txt", AudienceExample, "p-csv/tests/dummy/ is a project of its own (p-csv/tests/dummy/pyproject.toml)")
	wantAudience(t, got, "unserved/pyproject.toml", AudienceExample, "unserved/ is a project of its own (unserved/pyproject.toml)")
	if len(p.Members) != 1 || p.Members[0] != "p-csv" {
		t.Errorf("members = %q, want [p-csv]", p.Members)
	}
}

// `cd acme/` in acme's own contributor guide, with no acme/ folder in
// the checkout, is the reader's fresh clone: the block is contributor
// setup, not work in another project.
func TestDocBlockCdIntoCheckoutName(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml":  {Data: []byte("[project]\nname = \"acme\"\n")},
		"src/acme/a.py":   {Data: []byte("")},
		"CONTRIBUTING.md": {Data: []byte("# Contributing\n\n```shell\n$ cd acme/\n$ uv sync --all-groups\n```\n\n```shell\n$ cd other-app/\n$ uv sync\n```\n")},
	}
	p := Scan(fsys, ".", Options{})
	if a := p.AudienceAt(Evidence{Path: "CONTRIBUTING.md", Line: 4}); a != AudienceContributor {
		t.Errorf("cd acme/: audience %q, want contributor", a)
	}
	if a := p.AudienceAt(Evidence{Path: "CONTRIBUTING.md", Line: 9}); a != AudienceUser {
		t.Errorf("cd other-app/: audience %q, want user", a)
	}
}

func TestScriptAudience(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml": {Data: []byte("[project]\nname = \"ledger\"\nversion = \"1\"\n")},
		"README.md": {Data: []byte("# ledger\n\n## Usage\n\nStart the app:\n\n```sh\n./run-app.sh\n```\n\n" +
			"## Development\n\n```sh\n./scripts/dev-setup.sh\n./scripts/serve.sh\n```\n")},
		"docs/upgrading.md":      {Data: []byte("# Upgrading\n\n```sh\nsudo /srv/ledger/upgrade.sh\n```\n")},
		"upgrade.sh":             {Data: []byte("#!/bin/bash\nV=\"$(pwd -P)/venv\"\npython3 -m venv \"$V\"\n. \"$V/bin/activate\"\npip install -r requirements.txt\n")},
		"contrib/ledger.service": {Data: []byte("[Service]\nExecStart=/srv/ledger/venv/bin/gunicorn ledger.wsgi\n")},
		"run-app.sh":             {Data: []byte("#!/bin/sh\n. venv/bin/activate\nexec python -m ledger \"$@\"\n")},
		"setup-cloud.sh":         {Data: []byte("#!/bin/bash\napt-get install -y libcudnn9\npython3 -m venv venv\n. venv/bin/activate\n")},
		"scripts/dev-setup.sh":   {Data: []byte("#!/bin/bash\npython3 -m venv .venv\n. .venv/bin/activate\npip install -e '.[dev]'\n")},
		"scripts/serve.sh":       {Data: []byte("#!/bin/bash\n. .venv/bin/activate\nexec python -m ledger --reload\n")},
		"scripts/boot.sh":        {Data: []byte("#!/bin/sh\n. /venv/bin/activate\nexec gunicorn ledger.wsgi\n")},
		"deploy/rollout.sh":      {Data: []byte("#!/bin/sh\n. venv/bin/activate\npip install -r requirements.txt\n")},
		"scripts/backup.sh":      {Data: []byte("#!/bin/sh\n. venv/bin/activate\nsudo -u ledger python -m ledger backup\n")},
		"Dockerfile":             {Data: []byte("FROM python:3.12\nCOPY scripts/boot.sh /boot.sh\nCMD [\"/boot.sh\"]\n")},
		"scripts/publish":        {Data: []byte("#!/bin/sh -e\nif [ -d venv ]; then PREFIX=venv/bin/; fi\n${PREFIX}twine upload dist/*\n")},
		"ci/smoke-dist.sh": {Data: []byte("#!/bin/bash\nset -e\nfor kind in whl tar.gz; do\n  VE=sandbox.$kind\n  rm -rf $VE\n  python3 -m venv $VE\n" +
			"  . $VE/bin/activate\n  pip install dist/ledger-*.$kind\n  python -m ledger --version\ndone\n")},
	}
	got := audiences(Scan(fsys, ".", Options{}))
	wantAudience(t, got, "scripts/publish", AudienceRelease, "a release script: it publishes the package (`twine upload dist/*`, line 3)")
	wantAudience(t, got, "upgrade.sh", AudienceOperator, "run as root (docs/upgrading.md:4)")
	wantAudience(t, got, "contrib/ledger.service", AudienceOperator, "systemd unit")
	wantAudience(t, got, "run-app.sh", AudienceOperator, "a launcher the docs give to the package's users (README.md:8)")
	wantAudience(t, got, "setup-cloud.sh", AudienceOperator, "runs apt-get (line 2)")
	wantAudience(t, got, "scripts/boot.sh", AudienceOperator, "a Dockerfile runs it")
	wantAudience(t, got, "deploy/rollout.sh", AudienceOperator, "under deploy/")
	wantAudience(t, got, "scripts/backup.sh", AudienceOperator, "runs `sudo python")
	wantAudience(t, got, "ci/smoke-dist.sh", AudienceNone, "a smoke test of the built distributions in a venv of its own (`pip install dist/ledger-*.$kind`, line 8)")
	wantAudience(t, got, "scripts/dev-setup.sh", AudienceContributor, "")
	wantAudience(t, got, "scripts/serve.sh", AudienceContributor, "") // documented for contributors
	wantAudience(t, got, "Dockerfile", AudienceOperator, "container image")
}

// A script that publishes the package is the release's; one a test job
// runs stays the contributors'.
func TestReleaseScriptAudience(t *testing.T) {
	fsys := fstest.MapFS{
		"requirements.txt": {Data: []byte("twine\nmkdocs\n")},
		"scripts/publish": {Data: []byte("#!/bin/sh -e\nif [ -d venv ]; then PREFIX=venv/bin/; else PREFIX=; fi\n" +
			"${PREFIX}twine upload dist/*\n${PREFIX}mkdocs gh-deploy --force\n")},
		"scripts/docs-deploy": {Data: []byte("#!/bin/sh -e\n. venv/bin/activate\nmkdocs gh-deploy --force\n")},
		"scripts/check":       {Data: []byte("#!/bin/sh -e\n. venv/bin/activate\ntwine upload --repository testpypi dist/*\n")},
		"scripts/test":        {Data: []byte("#!/bin/sh -e\n. venv/bin/activate\npytest\n")},
		"tools/release.sh": {Data: []byte("#!/bin/bash\nset -e\nDIR=$(mktemp -d)\npushd \"$DIR\"\ngit clone git@example.org:acme/app.git app\npushd app\n" +
			"uv venv --python 3.12\nsource .venv/bin/activate\nuv pip install build twine\npython3 -m build\ntwine check dist/*\necho twine upload dist/*\n")},
		"scripts/bootstrap": {Data: []byte("#!/bin/sh -e\ngit clone https://example.org/testdata.git tests/data\npython3 -m venv .venv\n. .venv/bin/activate\npip install -r requirements.txt\n")},
		".github/workflows/test.yml": {Data: []byte("on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n        with:\n          python-version: '3.12'\n" +
			"      - run: pip install -r requirements.txt\n      - run: scripts/test\n      - run: scripts/check\n")},
	}
	got := audiences(Scan(fsys, ".", Options{}))
	wantAudience(t, got, "scripts/bootstrap", AudienceContributor, "")
	wantAudience(t, got, "scripts/publish", AudienceRelease, "it publishes the package (`twine upload dist/*`, line 3)")
	wantAudience(t, got, "scripts/docs-deploy", AudienceRelease, "it deploys the docs")
	wantAudience(t, got, "scripts/check", AudienceContributor, "")
	wantAudience(t, got, "scripts/test", AudienceContributor, "")
	wantAudience(t, got, "tools/release.sh", AudienceNone, "it makes its venv (line 7) in a fresh clone (`git clone`, line 5), not in this checkout")
}

// A deployment-named script that builds the venv a systemd unit runs from
// is the deployment's, even when the docs do not say how it is run.
func TestScriptSharesServiceVenv(t *testing.T) {
	fsys := fstest.MapFS{
		"requirements.txt":       {Data: []byte("django\n")},
		"upgrade.sh":             {Data: []byte("#!/bin/bash\npython3 -m venv venv\n. venv/bin/activate\npip install -r requirements.txt\n")},
		"contrib/ledger.service": {Data: []byte("[Service]\nExecStart=/opt/ledger/venv/bin/gunicorn ledger.wsgi\n")},
		"bootstrap.sh":           {Data: []byte("#!/bin/bash\npython3 -m venv venv\n. venv/bin/activate\npip install -r requirements.txt\n")},
	}
	got := audiences(Scan(fsys, ".", Options{}))
	wantAudience(t, got, "upgrade.sh", AudienceOperator, "builds the venv a systemd unit runs from (contrib/ledger.service:2)")
	wantAudience(t, got, "bootstrap.sh", AudienceContributor, "")
}

func TestCIJobAudience(t *testing.T) {
	test := `name: tests
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "3.12"}
      - run: pip install -r requirements-dev.txt
      - run: pytest
  tox:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: python -m pip install tox tox-gh-actions
      - run: tox
  node:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-node@v4
      - run: npm ci && npm test
  dist:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v6
      - run: uv build
      - uses: actions/upload-artifact@v4
        with: {name: dist, path: dist/}
  poe-tasks:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v6
        with: {python-version: "3.12"}
      - run: uv tool install poethepoet
      - run: poe test
  coverage:
    runs-on: ubuntu-latest
    needs: test
    steps:
      - uses: actions/setup-python@v5
        with: {python-version-file: .python-version}
      - uses: actions/download-artifact@v4
      - run: |
          uv tool install coverage
          coverage combine
          coverage report --fail-under=100
  poetry:
    runs-on: ubuntu-latest
    steps:
      - run: pipx install poetry
      - run: poetry install && poetry run pytest
  isolated:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
      - run: python -Im pip install build
      - run: python -Im build
  smoke:
    runs-on: ubuntu-latest
    steps:
      - run: |
          python -m venv "$RUNNER_TEMP/w"
          "$RUNNER_TEMP/w/bin/pip" install dist/*.whl
  pages:
    runs-on: ubuntu-latest
    environment: github-pages
    steps:
      - uses: actions/setup-python@v5
      - run: pip install -r docs/requirements.txt && make -C docs html
  schema:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "3.x"}
      - run: pip install 'check-jsonschema==0.33.0' PyYAML
      - run: ./scripts/check_schema.py && check-jsonschema --schemafile s.json conf.yaml
  lint-tool:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: python -m pip install --upgrade pip
      - run: python -m pip install ruff
      - run: ruff check .
  built:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install ${INSTALLABLE}
      - run: acme --version
  pytest-only:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install pytest
      - run: python -m pytest
  groups:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install --group dev
      - run: ruff check .
  pypy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "pypy-3.11-nightly"}
      - run: python -m pip install -r requirements.txt && python -m pytest
  matrix-with-pypy:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.12", "3.13", "3.14", "3.14t", "pypy3.11"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "${{ matrix.python-version }}"}
      - run: python -m pip install -r requirements.txt && python -m pytest
  images:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/login-action@v3
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: make container.build
  docs-deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: make install docs.html
      - uses: JamesIves/github-pages-deploy-action@v4
        with: {folder: dist/docs}
  stdlib-script:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: .ci/scripts/check_lockfile.py
  runtests:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install django
      - run: python runtests.py
  shell-script:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: ./scripts/ci.sh && ./scripts/report.py
  tool-and-make:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install towncrier
      - run: make changelog
  tagged:
    if: startsWith(github.ref, 'refs/tags/')
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
      - run: pip install -r requirements.txt && ./scripts/notify.sh
`
	publish := `name: Upload
on:
  push:
    tags: ["v*"]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
      - run: pip install -r requirements-dev.txt && pytest
  upload:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
`
	fsys := fstest.MapFS{
		"requirements.txt":             {Data: []byte("httpx\n")},
		".github/workflows/tests.yml":  {Data: []byte(test)},
		".github/workflows/upload.yml": {Data: []byte(publish)},
		".gitlab-ci.yml": {Data: []byte("test:\n  image: python:3.12\n  script:\n    - pip install -r requirements.txt\n    - pytest\n" +
			"pypi:\n  image: python:3.12\n  only:\n    - tags\n  script:\n    - pip install -r requirements.txt\n    - ./release-notes.sh\n")},
	}
	p := Scan(fsys, ".", Options{})
	got := map[string]string{}
	for _, j := range p.CI {
		got[j.Evidence.Path+" "+j.Name] = string(j.Audience) + ": " + j.Why
	}
	for key, want := range map[string]string{
		".github/workflows/tests.yml test":             "contributor: ",
		".github/workflows/tests.yml tox":              "none: it only runs tox",
		".github/workflows/tests.yml node":             "none: it never sets up Python",
		".github/workflows/tests.yml dist":             "none: it only builds and checks distributions (`uv build`",
		".github/workflows/tests.yml smoke":            "none: its venv is a throwaway one outside the checkout ($RUNNER_TEMP/w)",
		".github/workflows/tests.yml pages":            "release: it deploys to the github-pages environment",
		".github/workflows/tests.yml schema":           "none: it installs only tools by name (`pip install check-jsonschema==0.33.0 PyYAML`",
		".github/workflows/tests.yml lint-tool":        "none: it installs only tools by name (`python -m pip install ruff`",
		".github/workflows/tests.yml built":            "contributor: ",
		".github/workflows/tests.yml pytest-only":      "contributor: ",
		".github/workflows/tests.yml groups":           "contributor: ",
		".github/workflows/tests.yml tool-and-make":    "contributor: ",
		".github/workflows/tests.yml stdlib-script":    "none: it installs nothing and runs the project's Python scripts (`.ci/scripts/check_lockfile.py`",
		".github/workflows/tests.yml runtests":         "contributor: ",
		".github/workflows/tests.yml images":           "release: it logs in to a container registry with docker/login-action",
		".github/workflows/tests.yml docs-deploy":      "release: it publishes with jamesives/github-pages-deploy-action",
		".github/workflows/tests.yml pypy":             "none: it runs on pypy-3.11-nightly, an interpreter the Flox environment does not provide",
		".github/workflows/tests.yml matrix-with-pypy": "contributor: ",
		".github/workflows/tests.yml shell-script":     "contributor: ",
		".github/workflows/tests.yml tagged":           "release: it runs only for tags",
		".github/workflows/upload.yml check":           "release: its workflow runs only on tags and releases",
		".github/workflows/upload.yml upload":          "release: its workflow runs only on tags and releases",
		".gitlab-ci.yml test":                          "contributor: ",
		".gitlab-ci.yml pypi":                          "release: it runs only for tags (only: tags)",
		".github/workflows/tests.yml coverage":         "none: its Python tools come from `uv tool install coverage`",
		".github/workflows/tests.yml poe-tasks":        "contributor: ",
		".github/workflows/tests.yml poetry":           "contributor: ",
		".github/workflows/tests.yml isolated":         "none: it only builds and checks distributions (`python -Im build`",
	} {
		if !strings.HasPrefix(got[key], want) {
			t.Errorf("%s = %q, want %q", key, got[key], want)
		}
	}
	// The tox job tests the project on its Python; the node job does not.
	for _, j := range p.CI {
		want := map[string]string{"tox": "tox"}[j.Name]
		if j.Evidence.Path == ".github/workflows/tests.yml" && j.TestRunner != want {
			t.Errorf("job %s: TestRunner = %q, want %q", j.Name, j.TestRunner, want)
		}
	}
	files := audiences(p)
	wantAudience(t, files, ".github/workflows/tests.yml", AudienceContributor, "")
	wantAudience(t, files, ".github/workflows/upload.yml", AudienceRelease, "")
	if a := p.AudienceAt(Evidence{Path: ".github/workflows/tests.yml", Line: 31}); a != AudienceNone {
		t.Errorf("AudienceAt(tests.yml:31, in job dist) = %s, want none", a)
	}
}

// A workflow named for releasing is the release's, whatever runs it.
func TestCIReleaseWorkflowByName(t *testing.T) {
	wf := "name: Build and publish\non: [pull_request, push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n" +
		"    steps:\n      - uses: actions/setup-python@v5\n      - run: pip install -r requirements.txt\n"
	fsys := fstest.MapFS{
		"requirements.txt":              {Data: []byte("httpx\n")},
		".github/workflows/release.yml": {Data: []byte(wf)},
	}
	p := Scan(fsys, ".", Options{})
	if len(p.CI) != 1 || p.CI[0].Audience != AudienceRelease || !strings.Contains(p.CI[0].Why, "release workflow release.yml") {
		t.Errorf("jobs = %+v, want one release job", p.CI)
	}
}

// Jobs left alone for what they are, and jobs that build without
// releasing, judged by their steps.
func TestCIJobsLeftAlone(t *testing.T) {
	wf := `name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install -e .[test] && pytest
  wheel-test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: python -m pip install build
      - run: python -m build
      - run: pip install -e .[test] && pytest
  nox-docs:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: python -m pip install .
      - run: python -m pip install nox
      - run: python -m nox -s docs
  lock-bot:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: python -m pip lock -r requirements.txt
      - run: git commit -am lock && git push origin HEAD:bot/lock
  autofix:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v6
      - run: uv lock
      - uses: autofix-ci/action@v1
  coverage-combine:
    needs: [test]
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - uses: actions/download-artifact@v4
      - run: pip install "coverage[toml]"
      - run: |
          cd src
          python -m coverage combine ../coverage-data
          coverage report --fail-under=100
  lint-tools:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install ruff mypy
      - run: ruff check . && mypy src
  install-built:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/download-artifact@v4
      - uses: actions/setup-python@v5
      - run: echo "INSTALLABLE=$(ls dist/*.whl)" >> "$GITHUB_ENV"
      - run: pip install ${INSTALLABLE}
  tool-and-tests:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install pytest
      - run: pytest
  dependabot:
    if: github.actor == 'dependabot[bot]'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
      - run: pip install -r requirements.txt && python scripts/changelog.py
  not-for-bots:
    if: github.actor != 'dependabot[bot]'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install -e .[test] && pytest
  wasm:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install pyodide-build && pyodide build
  wheels:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: pypa/cibuildwheel@v2.22
  downstream:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {repository: other/app, path: app}
      - uses: actions/setup-python@v5
      - run: pip install -e . && pytest
        working-directory: app
  downstream-cd:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with: {repository: other/app, path: app}
      - uses: actions/setup-python@v5
      - run: cd app && pip install -e . && pytest
  beside:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with: {repository: other/app, path: app}
      - uses: actions/setup-python@v5
      - run: cd application && pip install -e .[test] && pytest
  data:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with: {repository: other/testdata, path: tests/data}
      - uses: actions/setup-python@v5
      - run: pip install -e .[test] && pytest
  clib:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with: {repository: libfoo/foo, path: foo-src}
      - run: echo "FOO_REV=$(git rev-parse HEAD)" >> $GITHUB_ENV
        working-directory: foo-src
      - uses: actions/setup-python@v5
      - run: pip install -e .[test] && pytest
  lint-action:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - uses: some-org/lint-action@v1
  pre-commit:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v6
      - run: uv venv .venv
      - run: |
          source .venv/bin/activate
          uv pip install pre-commit pre-commit-uv
      - run: .venv/bin/pre-commit run --all-files
  pypy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: astral-sh/setup-uv@v6
      - run: uv python install pypy3.10
      - run: uv venv -p pypy3.10 && uv pip install -e . && .venv/bin/python -m pytest
  asan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: CONFIGURE_OPTS=--with-address-sanitizer pyenv install 3.14
      - run: pip install -r requirements.txt && pytest
  from-sdist:
    runs-on: ubuntu-latest
    steps:
      - uses: re-actors/checkout-python-sdist@release/v3
      - uses: astral-sh/setup-uv@v6
        with: {activate-environment: true}
      - run: uv pip install -e . && pytest
`
	release := `name: Wheels
on: [push, pull_request]
jobs:
  sdist:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pipx run build --sdist
      - uses: actions/upload-artifact@v4
  upload:
    needs: [sdist]
    if: github.event_name == 'release'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
      - run: pipx run twine upload dist/*
`
	fsys := fstest.MapFS{
		"pyproject.toml":             {Data: []byte("[project]\nname = \"x\"\n")},
		"requirements.txt":           {Data: []byte("httpx\n")},
		".github/workflows/ci.yml":   {Data: []byte(wf)},
		".github/workflows/dist.yml": {Data: []byte(release)},
	}
	p := Scan(fsys, ".", Options{})
	got := map[string]string{}
	for _, j := range p.CI {
		got[j.Evidence.Path+" "+j.Name] = string(j.Audience) + ": " + j.Why
		if want := j.Name == "from-sdist" || j.Name == "dependabot" || j.Name == "upload"; j.NoCheckout != want {
			t.Errorf("job %s: NoCheckout = %v, want %v", j.Name, j.NoCheckout, want)
		}
	}
	for key, want := range map[string]string{
		".github/workflows/ci.yml test":             "contributor: ",
		".github/workflows/ci.yml wheel-test":       "contributor: ",
		".github/workflows/ci.yml nox-docs":         "none: it only runs nox",
		".github/workflows/ci.yml lock-bot":         "none: a bot's job: it pushes or opens pull requests (`git push",
		".github/workflows/ci.yml autofix":          "none: a bot's job: it commits or opens pull requests with autofix-ci/action",
		".github/workflows/ci.yml dependabot":       "none: it runs for dependabot",
		".github/workflows/ci.yml coverage-combine": "none: it installs only tools by name (`pip install coverage[toml]`",
		".github/workflows/ci.yml lint-tools":       "none: it installs only tools by name (`pip install ruff mypy`",
		".github/workflows/ci.yml tool-and-tests":   "contributor: ",
		".github/workflows/ci.yml install-built":    "contributor: ",
		".github/workflows/ci.yml not-for-bots":     "contributor: ",
		".github/workflows/ci.yml wasm":             "none: it builds for WebAssembly",
		".github/workflows/ci.yml wheels":           "none: cibuildwheel builds and tests the wheels",
		".github/workflows/ci.yml downstream":       "none: it checks out other/app",
		".github/workflows/ci.yml downstream-cd":    "none: it checks out other/app",
		".github/workflows/ci.yml beside":           "contributor: ",
		".github/workflows/ci.yml data":             "contributor: ",
		".github/workflows/ci.yml clib":             "contributor: ",
		".github/workflows/ci.yml lint-action":      "none: it has no `run:` steps",
		".github/workflows/ci.yml pre-commit":       "none: it only runs pre-commit",
		".github/workflows/ci.yml pypy":             "none: it installs another interpreter than the environment's (`uv python install pypy3.10`",
		".github/workflows/ci.yml asan":             "none: it builds its own Python (`pyenv install 3.14`",
		".github/workflows/ci.yml from-sdist":       "contributor: ",
		".github/workflows/dist.yml sdist":          "release: it builds the distributions that job upload releases",
		".github/workflows/dist.yml upload":         "release: it publishes distributions",
	} {
		if !strings.HasPrefix(got[key], want) {
			t.Errorf("%s = %q, want %q", key, got[key], want)
		}
	}
}

// A matrix key with one value is one Python, in GitHub and GitLab alike;
// two values are a matrix.
func TestOneValueMatrixIsOnePython(t *testing.T) {
	gh := "on: push\njobs:\n  one:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        python-version: [\"3.12\"]\n" +
		"    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python-version }}\n      - run: pytest\n" +
		"  two:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        python-version: [\"3.11\", \"3.13\"]\n" +
		"    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python-version }}\n      - run: pytest\n"
	gl := "test:\n  image: python:$PY\n  parallel:\n    matrix:\n      - PY: [\"3.12\"]\n  script:\n    - pytest\n"
	fsys := fstest.MapFS{
		"requirements.txt":         {Data: []byte("pytest\n")},
		".github/workflows/ci.yml": {Data: []byte(gh)},
		".gitlab-ci.yml":           {Data: []byte(gl)},
	}
	p := Scan(fsys, ".", Options{})
	matrix := map[string]bool{}
	for _, j := range p.CI {
		matrix[j.Name] = j.Matrix
	}
	if matrix["one"] || !matrix["two"] || matrix["test"] {
		t.Errorf("matrix jobs = %v, want only two", matrix)
	}
	n := 0
	for _, r := range p.Interpreters {
		if r.Evidence.Path == ".gitlab-ci.yml" || r.Evidence.Path == ".github/workflows/ci.yml" {
			n++
		}
		if want := r.Evidence.Line > 14 && r.Evidence.Path == ".github/workflows/ci.yml"; r.Matrix != want {
			t.Errorf("%s %s: matrix = %v, want %v", r.Evidence, r.Spec, r.Matrix, want)
		}
	}
	if n < 4 {
		t.Errorf("found %d CI interpreter requests, want 4: %+v", n, p.Interpreters)
	}
}

// A matrix whose one combination comes from `include` is one Python, read
// from the entry: the job is not a matrix and asks for that version.
func TestOneIncludeMatrixIsOnePython(t *testing.T) {
	gh := "on: push\njobs:\n  search:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        include:\n" +
		"          - python: '3.10'\n            django: 'Django>=5.2,<5.3'\n" +
		"    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python }}\n      - run: pytest\n"
	fsys := fstest.MapFS{
		"requirements.txt":         {Data: []byte("pytest\n")},
		".github/workflows/ci.yml": {Data: []byte(gh)},
	}
	p := Scan(fsys, ".", Options{})
	for _, j := range p.CI {
		if j.Name == "search" && j.Matrix {
			t.Errorf("job search is read as a matrix: %+v", j)
		}
	}
	found := false
	for _, r := range p.Interpreters {
		if r.Evidence.Path == ".github/workflows/ci.yml" {
			found = found || r.Spec == "3.10"
			if r.Matrix {
				t.Errorf("%s %s: matrix = true, want false", r.Evidence, r.Spec)
			}
		}
	}
	if !found {
		t.Errorf("no CI request for 3.10: %+v", p.Interpreters)
	}
}

// A plugin guide filed with the developer docs is for plugin authors; the
// contributor guide next to it is not.
func TestPluginGuideInDevDocs(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml":           {Data: []byte("[project]\nname = \"pkgtool\"\nversion = \"1\"\n")},
		"docs/dev/write.md":        {Data: []byte("# pkgtool Plugins\n\n## Tips\n\n```bash\npkgtool install --plugins\n```\n")},
		"docs/dev/contributing.md": {Data: []byte("# Contributing\n\n```bash\npython -m venv .venv\npip install -e .\n```\n")},
	}
	got := audiences(Scan(fsys, ".", Options{}))
	wantAudience(t, got, "docs/dev/write.md", AudienceUser, "plugin authors")
	wantAudience(t, got, "docs/dev/contributing.md", AudienceContributor, "")
}

// `cd /path/to/your/local/acme` is the reader's clone, written as a
// placeholder; `cd /srv/www` is somewhere else.
func TestDocBlockCdIntoPlaceholderPath(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml": {Data: []byte("[project]\nname = \"acme\"\n")},
		"CONTRIBUTING.md": {Data: []byte("# Contributing\n\n```shell\ncd /path/to/your/local/acme\npython -m venv venv\n```\n\n" +
			"```shell\ncd /home/me/src/acme\nsource venv/bin/activate\n```\n\n```shell\ncd /srv/www\npython -m venv venv\n```\n")},
	}
	p := Scan(fsys, ".", Options{})
	for line, want := range map[int]Audience{4: AudienceContributor, 9: AudienceContributor, 14: AudienceUser} {
		if a := p.AudienceAt(Evidence{Path: "CONTRIBUTING.md", Line: line}); a != want {
			t.Errorf("line %d: audience %q, want %q", line, a, want)
		}
	}
}

// An install page is the users', except its development section.
func TestInstallPageDevelopmentSection(t *testing.T) {
	page := "Installation\n============\n\n.. code-block:: console\n\n    $ python -m venv venv\n    $ pip install acme\n\n" +
		"Installation for local development\n----------------------------------\n\n.. code-block:: console\n\n    $ python -m venv .venv\n    $ source .venv/bin/activate\n    $ pip install -e .[dev]\n"
	fsys := fstest.MapFS{
		"pyproject.toml":         {Data: []byte("[project]\nname = \"acme\"\n")},
		"docs/installation.rst":  {Data: []byte(page)},
		"docs/other/install.rst": {Data: []byte("Install\n=======\n\n.. code-block:: console\n\n    $ python -m venv venv\n    $ pip install acme\n")},
	}
	p := Scan(fsys, ".", Options{})
	for _, tc := range []struct {
		path string
		line int
		want Audience
	}{
		{"docs/installation.rst", 6, AudienceUser},
		{"docs/installation.rst", 14, AudienceContributor},
		{"docs/other/install.rst", 6, AudienceUser},
	} {
		if a := p.AudienceAt(Evidence{Path: tc.path, Line: tc.line}); a != tc.want {
			t.Errorf("%s:%d: audience %q, want %q", tc.path, tc.line, a, tc.want)
		}
	}
}

// Unlabelled blocks are read for where they run too: `cd` into the venv's
// copy of the project, or into a project cloned in an earlier block, is
// not this checkout.
func TestLooseBlockCdElsewhere(t *testing.T) {
	readme := "# app\n\n## Development\n\n" +
		"```\nvirtualenv pyenv\n. pyenv/bin/activate\npip install -e 'git+https://example.org/app.git#egg=app'\ncd pyenv/src/app/\npip install -r requirements.txt\n```\n\n" +
		"## Extensions\n\n1. Clone it\n    ```\n    git clone https://example.org/app-ext.git\n    ```\n" +
		"2. Install it\n    ```\n    cd app-ext\n    python setup.py develop --user\n    ```\n" +
		"3. Install its requirements\n    ```\n    pip install -r requirements.txt\n    ```\n"
	fsys := fstest.MapFS{
		"README.md":        {Data: []byte(readme)},
		"setup.py":         {Data: []byte("from setuptools import setup\nsetup(name='app')\n")},
		"requirements.txt": {Data: []byte("flask\n")},
	}
	p := Scan(fsys, ".", Options{})
	got := map[int]string{}
	for _, b := range p.DocBlocks {
		got[b.Line] = string(b.Audience) + ": " + b.Why
	}
	for line, want := range map[int]string{
		5:  "user: installs app from its repository's URL, not from this checkout",
		25: "user: works in app-ext, another project than this checkout",
	} {
		if got[line] != want {
			t.Errorf("block at line %d: %q, want %q (all: %v)", line, got[line], want, got)
		}
	}
}

// A page under docs/develop/ that installs "the project" with an extra
// this project does not declare is a guide for the reader's own project
// (a framework's "develop your project" pages); one that installs a
// declared extra is the contributors'.
func TestDevDocsForTheReadersProject(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml": {Data: []byte("[project]\nname = \"pipekit\"\nversion = \"1\"\n[project.optional-dependencies]\ntest = [\"pytest\"]\n")},
		"docs/develop/testing.md": {Data: []byte("# Test your pipeline\n\nAdd a `dev` extra to your project, then from your project root:\n\n" +
			"```bash\npip install \".[dev]\"\npip install -e .\n```\n")},
		"docs/development/setup.md": {Data: []byte("# Development setup\n\n```bash\npython -m venv .venv\npip install -e \".[test]\"\n```\n")},
		"AGENTS.md":                 {Data: []byte("# Agents\n\n```bash\nsource .venv/bin/activate\npip install -e .[dev]\n```\n")},
	}
	got := audiences(Scan(fsys, ".", Options{}))
	wantAudience(t, got, "docs/develop/testing.md", AudienceUser, "installs the project with an extra it does not declare ([dev])")
	wantAudience(t, got, "docs/development/setup.md", AudienceContributor, "")
	wantAudience(t, got, "AGENTS.md", AudienceContributor, "") // stale, still the contributors'
}

func TestInstallsFromVCS(t *testing.T) {
	for _, c := range []struct {
		argv []string
		want bool
	}{
		{[]string{"pip", "install", "-e", "git+https://github.com/acme/acme-app.git#egg=acme-app"}, true},
		{[]string{"pip", "install", "git+https://github.com/acme/acme_app"}, true},
		{[]string{"python", "-m", "pip", "install", "-e", `git+\ |git_url|`}, true},
		{[]string{"pip", "install", "-e", `git+\ |git_url|\#egg=acme-app`}, true},
		{[]string{"pip", "install", "git+https://github.com/other/dep.git#egg=dep"}, false},
		{[]string{"pip", "install", "-e", "."}, false},
		{[]string{"pip", "install", "acme-app"}, false},
	} {
		if got := installsFromVCS("acme-app", c.argv); got != c.want {
			t.Errorf("installsFromVCS(%q) = %v, want %v", c.argv, got, c.want)
		}
	}
}

// A contributor guide that makes the venv in a folder outside the
// checkout (`mkdir ~/virtualenvs && cd ~/virtualenvs`) is not rewritten
// in place, where `flox activate` would run outside the checkout.
func TestDocVenvMadeOutsideCheckout(t *testing.T) {
	doc := "Setting up\n==========\n\nClone it::\n\n    git clone https://example.org/app.git ~/projects/app\n    cd ~/projects/app\n\n" +
		"Make a venv::\n\n    mkdir ~/virtualenvs && cd ~/virtualenvs\n    python3 -m venv app\n    source ~/virtualenvs/app/*/activate\n\n" +
		"Install::\n\n    python -m pip install invoke\n    invoke setup\n"
	fsys := fstest.MapFS{
		"docs/contribute.rst": {Data: []byte(doc)},
		"setup.py":            {Data: []byte("from setuptools import setup\nsetup(name='app')\n")},
	}
	p := Scan(fsys, ".", Options{})
	var got []string
	for _, b := range p.DocBlocks {
		got = append(got, fmt.Sprintf("%d %s: %s", b.Line, b.Audience, b.Why))
	}
	want := []string{"9 none: makes the venv outside the checkout, in ~/virtualenvs; `flox activate` in the checkout takes its place"}
	if !slices.Equal(got, want) {
		t.Errorf("blocks left alone: %q, want %q", got, want)
	}
}

// A provisioning script that imports the venv module under another name
// (`import venv as pyvenv`) still makes a venv.
func TestPythonScriptVenvModuleAlias(t *testing.T) {
	src := "import venv as pyvenv\nimport pathlib\n\n\ndef create(venv_dir):\n    pyvenv.create(str(venv_dir), with_pip=True)\n"
	p := Scan(fstest.MapFS{"scripts/mkvenv.py": {Data: []byte(src)}}, ".", Options{})
	if !slices.ContainsFunc(p.Venvs, func(v VenvUse) bool {
		return v.Action == VenvCreate && v.Evidence == Evidence{Path: "scripts/mkvenv.py", Line: 6}
	}) {
		t.Errorf("no venv creation at scripts/mkvenv.py:6 in %+v", p.Venvs)
	}
}

// A block that only builds the checkout into the reader's Python (`pip
// install .`) is how users build from source; `pip install -e .` is a
// contributor's.
func TestBlockThatBuildsTheCheckoutIsTheUsers(t *testing.T) {
	readme := "# acme\n\n## Building from source\n\n```bash\ncd /path/to/acme\npip install .\n```\n\n" +
		"## Contributing\n\n```bash\npython -m venv .venv\npip install -e .\n```\n"
	fsys := fstest.MapFS{
		"pyproject.toml": {Data: []byte("[project]\nname = \"acme\"\n")},
		"README.md":      {Data: []byte(readme)},
	}
	p := Scan(fsys, ".", Options{})
	for line, want := range map[int]Audience{7: AudienceUser, 14: AudienceContributor} {
		if a := p.AudienceAt(Evidence{Path: "README.md", Line: line}); a != want {
			t.Errorf("line %d: audience %q, want %q", line, a, want)
		}
	}
}
