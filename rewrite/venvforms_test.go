package rewrite

import (
	"strings"
	"testing"
)

// venvContexts are the three places one venv command is written: a
// script, a README block and a workflow step. Each wraps a line of shell
// in its file and rewrites it.
var venvContexts = []struct {
	name string
	wrap func(line string) (path string, src []byte)
	run  func(ctx *Context, path string, src []byte) (Result, error)
}{
	{"script", func(line string) (string, []byte) {
		return "scripts/setup.sh", []byte("#!/bin/sh\nset -e\n" + line + "\n. .venv/bin/activate\npytest\n")
	}, ShellScript},
	{"readme", func(line string) (string, []byte) {
		return "README.md", []byte("# demo\n\n```sh\n" + line + "\n. .venv/bin/activate\npytest\n```\n")
	}, Markdown},
	{"workflow", func(line string) (string, []byte) {
		return ".github/workflows/ci.yml", []byte("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@v4\n      - run: " + line + "\n      - run: .venv/bin/pytest\n")
	}, GitHubWorkflow},
}

// Every interpreter name and wrapper internal/venvcmd knows makes a venv
// the rewriters remove, in scripts, docs and workflows alike (pypy3 and
// `timeout 600` were once detected and then left in place).
func TestVenvCreateFormsAreRemoved(t *testing.T) {
	for _, create := range []string{
		"python3 -m venv .venv",
		"pypy3 -m venv .venv",
		"pypy3.10 -m venv .venv",
		"python3.12 -m venv .venv",
		"timeout 600 python3 -m venv .venv",
		"timeout -k 5 600 python3 -m venv .venv",
		"nice -n 5 python3 -m venv .venv",
		"env PIP_NO_CACHE_DIR=1 python3 -m venv .venv",
	} {
		for _, c := range venvContexts {
			path, src := c.wrap(create)
			res, err := c.run(dcTestContext(), path, src)
			if err != nil {
				t.Fatalf("%s %q: %v", c.name, create, err)
			}
			if strings.Contains(string(res.New), "-m venv") {
				t.Errorf("%s: %q left in place:\n%s", c.name, create, res.New)
			}
		}
	}
}

// The KeepInstalls rule, decided once for all formats: a script that
// installed keeps installing (callers outside Flox still get their
// packages, and inside Flox it installs into the environment's venv); a
// README block or a workflow step drops the install the Flox hook does.
// The zsh-escaped `.\[dev\]` and the plain `.[dev]` are the same install.
func TestInstallsKeptInScriptsDroppedInDocsAndCI(t *testing.T) {
	keeps := map[string]bool{"script": true, "readme": false, "workflow": false}
	for _, install := range []string{`pip install -e .\[dev\]`, `pip install -e '.[dev]'`, `python -m pip install -e .[dev]`} {
		for _, c := range venvContexts {
			path, src := c.wrap("python3 -m venv .venv && . .venv/bin/activate && " + install)
			if c.name == "workflow" {
				// One step per command, as workflows write them.
				path, src = c.wrap("python3 -m venv .venv\n      - run: .venv/bin/" + strings.TrimPrefix(install, "python -m "))
			}
			res, err := c.run(dcTestContext(), path, src)
			if err != nil {
				t.Fatalf("%s %q: %v", c.name, install, err)
			}
			out := string(res.New)
			if strings.Contains(out, "-m venv") {
				t.Errorf("%s: venv creation left:\n%s", c.name, out)
			}
			if kept := strings.Contains(out, "install -e"); kept != keeps[c.name] {
				t.Errorf("%s: %q kept=%v, want %v:\n%s", c.name, install, kept, keeps[c.name], out)
			}
		}
	}
}

// A lone CR in a workflow comment is no line break for the rewriter: the
// workflow is rewritten and the CR stays where it was.
func TestWorkflowWithLoneCR(t *testing.T) {
	src := "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n" +
		"      # set up \r here\n      - run: python -m venv .venv\n      - run: .venv/bin/pip install -e .[dev]\n      - run: .venv/bin/pytest\n"
	res, err := GitHubWorkflow(dcTestContext(), ".github/workflows/ci.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.New)
	if out == src || strings.Contains(out, ".venv") {
		t.Fatalf("workflow not rewritten:\n%s", out)
	}
	if !strings.Contains(out, "      # set up \r here\n") || !strings.Contains(out, "run: pytest\n") {
		t.Errorf("rewritten workflow:\n%q", out)
	}
	if len(res.FollowUps) != 0 {
		t.Errorf("follow-ups: %v", res.FollowUps)
	}
}

// What a docs or CI install line is, read through internal/venvcmd: the
// hook's sync covers synced files and the project with synced extras;
// packaging tools alone are a bootstrap; anything else stays.
func TestDocInstallKinds(t *testing.T) {
	for line, want := range map[string]dcKind{
		`pip install -e .\[dev\]`:                            dcInstall,
		`pip install -qq -U -e ".[dev]" -r requirements.txt`: dcInstall,
		`python3.12 -m pip install -c constraints.txt -e .`:  dcInstall,
		`pip3 install -U pip setuptools wheel`:               dcBootstrap,
		`pip install -e .[docs]`:                             dcEnvInstall, // docs is not synced
		`pip install -r docs/requirements.txt`:               dcEnvInstall,
		`pip install --index-url https://x.example -e .`:     dcEnvInstall,
		`pip install --no-deps -e .`:                         dcEnvInstall,
		`pip install -e ./plugins/a`:                         dcEnvInstall,
		`pip install ruff`:                                   dcEnvInstall,
		`pip install --user -e .`:                            dcInstall, // dropped: the hook syncs it
		`pip install --user ruff`:                            dcUnsafe,
		`timeout 60 pip install -e .`:                        dcInstall,
	} {
		args := strings.Fields(strings.ReplaceAll(line, `"`, ""))
		if got := dcClassifyCall(dcTestContext(), args, args).kind; got != want {
			t.Errorf("%s: kind %d, want %d", line, got, want)
		}
	}
}
