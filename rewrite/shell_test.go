package rewrite

import (
	"bytes"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

func TestRewriteShellSnippet(t *testing.T) {
	tests := []struct {
		name string
		opts shellOptions
		src  string
		want string
		uses bool
	}{
		{"README block becomes flox activate", shellOptions{Activate: "flox activate", Deactivate: "exit"},
			"python3 -m venv venv\nsource venv/bin/activate\npip install -r requirements.txt\n",
			"flox activate\n", true},
		{"deactivate in a README", shellOptions{Deactivate: "exit"}, "deactivate\n", "exit\n", false},
		{"CI step gets the prefix", shellOptions{Prefix: "flox activate -- "},
			". .venv/bin/activate\npytest -q\ncoverage xml\necho done\n",
			"flox activate -- pytest -q\nflox activate -- coverage xml\necho done\n", true},
		{"venv path without activation", shellOptions{Prefix: "flox activate -- "},
			".venv/bin/python -m pytest\n", "flox activate -- python -m pytest\n", true},
		{"already prefixed stays", shellOptions{Prefix: "flox activate -- "},
			"flox activate -- pytest\n", "flox activate -- pytest\n", false},
		{"first operand of && goes", shellOptions{}, "source venv/bin/activate && pytest\n", "pytest\n", true},
		{"middle operand of && goes", shellOptions{}, "cd app && source venv/bin/activate && python run.py\n", "cd app && python run.py\n", true},
		{"fallback of a removed command goes too", shellOptions{}, "source .venv/bin/activate || exit 1\nmake test\n", "make test\n", true},
		{"exists-or-create goes", shellOptions{}, "[ -d .venv ] || python3 -m venv .venv\nls\n", "ls\n", true},
		{"test-and-create goes", shellOptions{}, "[[ ! -d venv ]] && virtualenv -p python3 venv\nls\n", "ls\n", true},
		{"if with only venv setup goes", shellOptions{},
			"ls\nif [ ! -d venv ]; then\n  echo creating\n  python -m venv venv\nfi\nls\n", "ls\nls\n", true},
		{"statement sharing a line", shellOptions{}, "cd src; . ../venv/bin/activate; make\n", "cd src; make\n", true},
		{"unsynced requirements stay", shellOptions{}, "pip install -r docs/requirements.txt\n", "pip install -r docs/requirements.txt\n", false},
		{"user installs stay", shellOptions{}, "pip install --user pipx\n", "pip install --user pipx\n", false},
		{"extra packages stay", shellOptions{}, "pip install -r requirements.txt gunicorn\n", "pip install -r requirements.txt gunicorn\n", false},
		{"editable project goes", shellOptions{}, "pip install -e .\n", "", true},
		{"editable project with extras the hook does not sync stays", shellOptions{},
			"pip install -e '.[dev,test]'\n", "pip install -e '.[dev,test]'\n", false},
		{"python -m pip upgrade goes", shellOptions{}, "python -m pip install -U pip wheel\n", "", true},
		{"PATH and VIRTUAL_ENV exports go", shellOptions{},
			"export VIRTUAL_ENV=\"$PWD/.venv\"\nexport PATH=\"$VIRTUAL_ENV/bin:$PATH\"\npytest\n", "pytest\n", true},
		{"tool variable points at the command", shellOptions{},
			"PY=.venv/bin/python\n$PY -m app\n", "PY=python\n$PY -m app\n", true},
		{"echo hint", shellOptions{}, "echo \"Then run: source .venv/bin/activate\"\n", "echo \"Then run: flox activate\"\n", false},
		{"heredoc hint", shellOptions{}, "cat <<EOF\nNext: . venv/bin/activate\nEOF\n", "cat <<EOF\nNext: flox activate\nEOF\n", false},
		{"comment above goes with the statement", shellOptions{}, "ls\n# activate the venv\nsource .venv/bin/activate\nls\n", "ls\nls\n", true},
		{"CRLF", shellOptions{}, "source .venv/bin/activate\r\npytest\r\n", "pytest\r\n", true},
		{"python through a variable", shellOptions{},
			"PYTHON=${PYTHON:-python3}\n\"$PYTHON\" -m venv .venv\n. .venv/bin/activate\nmake\n", "PYTHON=${PYTHON:-python3}\nmake\n", true},
		{"words alone are left", shellOptions{}, "echo layout deactivate activate\n", "echo layout deactivate activate\n", false},
		// dev.sh 3.11: the version comes in as an argument.
		{"interpreter and pip versioned by a variable", shellOptions{},
			"PYVERSION=$1\npython$PYVERSION -m virtualenv venv --always-copy\n. venv/bin/activate\npip${PYVERSION} install -U pip setuptools\npip$PYVERSION install -r requirements.txt\nmake test\n",
			"make test\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := testContext
			res, err := rewriteShellSnippet(&ctx, tt.src, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Text != tt.want {
				t.Errorf("got\n%q\nwant\n%q", res.Text, tt.want)
			}
			if res.UsesVenv != tt.uses {
				t.Errorf("UsesVenv = %v, want %v", res.UsesVenv, tt.uses)
			}
			if applied, err := applyEdits([]byte(tt.src), res.Edits); err != nil || string(applied) != res.Text {
				t.Errorf("Edits do not reproduce Text: %q, %v", applied, err)
			}
		})
	}
}

// The hook seeds pip into the venv even when uv syncs it, so a pip
// command that ran in the old venv stays a pip command; installs of the
// extras the hook syncs go, unless the snippet is an entry point that
// installs (opts.KeepInstalls), where they run in the environment.
func TestRewriteShellSnippetPipStays(t *testing.T) {
	tests := []struct {
		src, want string
		keep      bool
	}{
		{"pip install -e '.[dev]'\n", "", false},
		{"pip install -e '.[dev]'\n", "pip install -e '.[dev]'\n", true},    // whatever Python runs it, as before
		{"uv sync --frozen\n", "flox activate -- uv sync --frozen\n", true}, // the project venv is now the environment's
		{". .venv/bin/activate\npip install -e '.[docs]'\n", "flox activate -- pip install -e '.[docs]'\n", false},
		{".venv/bin/python -m pip freeze > constraints.txt\n", "flox activate -- python -m pip freeze > constraints.txt\n", false},
		{"pip install -e '.[docs]'\n", "pip install -e '.[docs]'\n", false}, // not the venv's pip
		{"PIP=.venv/bin/pip3\n\"$PIP\" install codecov\n$PIP install -r requirements.txt\n", "PIP=pip3\nflox activate -- \"$PIP\" install codecov\n", false},
		{"PIP=.venv/bin/pip3\n\"$PIP\" install codecov\n$PIP install -r requirements.txt\n",
			"PIP=pip3\nflox activate -- \"$PIP\" install codecov\nflox activate -- $PIP install -r requirements.txt\n", true},
	}
	for _, tt := range tests {
		ctx := uvTestContext
		res, err := rewriteShellSnippet(&ctx, tt.src, shellOptions{Prefix: "flox activate -- ", KeepInstalls: tt.keep})
		if err != nil {
			t.Fatal(err)
		}
		if res.Text != tt.want {
			t.Errorf("%q (keep installs %v): got %q, want %q", tt.src, tt.keep, res.Text, tt.want)
		}
	}
}

// `python3 -m pipenv` ran the manager from the system Python; in Flox the
// manager is a program of the environment and the venv's Python has no
// such module. `run` needs the environment, an install it syncs goes.
func TestRewriteShellSnippetManagerModule(t *testing.T) {
	ctx := Context{ProjectDir: ".", Synced: []string{"Pipfile"}, Groups: []string{"dev-packages"}, Manager: "pipenv"}
	tests := []struct{ src, want string }{
		{"python3 -m pip install pipenv\npython3 -m pipenv install --dev\n", ""},
		{"python3 -m pipenv run python3 -m gunicorn src.main\n", "flox activate -- pipenv run python3 -m gunicorn src.main\n"},
		{"pipenv run pytest\n", "flox activate -- pipenv run pytest\n"},
		{"python3 -m pipenv graph\n", "pipenv graph\n"},
		{"python3 -m pipenv install requests\n", "pipenv install requests\n"}, // adds a package: stays
		{"python3 -m poetry run pytest\n", "python3 -m poetry run pytest\n"},  // not this project's manager
	}
	for _, tt := range tests {
		res, err := rewriteShellSnippet(&ctx, tt.src, shellOptions{Prefix: "flox activate -- "})
		if err != nil {
			t.Fatal(err)
		}
		if res.Text != tt.want {
			t.Errorf("%q: got %q, want %q", tt.src, res.Text, tt.want)
		}
	}
}

// An if that tests a venv path and does more than talk stays, with a
// follow-up: its condition can no longer change (sentry's .envrc).
func TestRewriteShellSnippetVenvPathCheck(t *testing.T) {
	src := "advise() { echo \"create it: python3 -m venv $1\"; return 1; }\n" +
		"if [ ! -f \".venv/bin/activate\" ]; then\n  advise .venv\nfi\nsource .venv/bin/activate\npytest\n"
	ctx := testContext
	res, err := rewriteShellSnippet(&ctx, src, shellOptions{Path: "x.sh"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, "advise .venv") || strings.Contains(res.Text, "source .venv") {
		t.Errorf("text = %q", res.Text)
	}
	if len(res.FollowUps) != 1 || res.FollowUps[0].String() != "x.sh:2: tests for a venv path Flox does not create, so this if now always takes the same branch" {
		t.Errorf("follow-ups = %v", res.FollowUps)
	}
	// $VIRTUAL_ENV is set by the Flox hook: testing it stays meaningful.
	res, _ = rewriteShellSnippet(&ctx, "if [ -z \"$VIRTUAL_ENV\" ]; then make venv; fi\n", shellOptions{Path: "x.sh"})
	if len(res.FollowUps) != 0 {
		t.Errorf("follow-ups for a VIRTUAL_ENV test: %v", res.FollowUps)
	}
}

func TestRewriteShellSnippetFollowUps(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"python3 -m venv --system-site-packages .venv\n", "x.sh:1: creates a venv with --system-site-packages"},
		{"source /opt/venv/bin/activate\n", "x.sh:1: activates a venv outside the repository"},
		{"virtualenv ~/.virtualenvs/app\n", "x.sh:1: creates a venv outside the repository"},
		{"ls\nworkon myapp\n", "x.sh:2: uses a venv managed outside the repository (workon)"},
	}
	for _, tt := range tests {
		ctx := testContext
		res, err := rewriteShellSnippet(&ctx, tt.src, shellOptions{Path: "x.sh"})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Blocked || res.Text != tt.src {
			t.Errorf("%q: not left alone: %q", tt.src, res.Text)
		}
		if len(res.FollowUps) == 0 || !strings.HasPrefix(res.FollowUps[0].String(), tt.want) {
			t.Errorf("%q: follow-ups %v, want %q", tt.src, res.FollowUps, tt.want)
		}
	}
}

// Follow-up lines count from opts.Line, as for a code block in a README.
func TestRewriteShellSnippetLine(t *testing.T) {
	ctx := testContext
	res, _ := rewriteShellSnippet(&ctx, "ls\nworkon app\n", shellOptions{Path: "README.md", Line: 40})
	if len(res.FollowUps) != 1 || res.FollowUps[0].Evidence.Line != 41 {
		t.Errorf("follow-ups %v, want README.md:41", res.FollowUps)
	}
}

func TestActivationSpans(t *testing.T) {
	ctx := testContext
	text := "Create it, then run `source .venv/bin/activate` (or `. venv/bin/activate.fish`); not source ~/.venv/bin/activate."
	var got []string
	for _, sp := range activationSpans(&ctx, text) {
		got = append(got, text[sp[0]:sp[1]])
	}
	want := []string{"source .venv/bin/activate", ". venv/bin/activate.fish"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzShellScript: a script that parsed still parses after the rewrite,
// and the rewrite is stable.
func FuzzShellScript(f *testing.F) {
	for _, c := range goldenCases(&testing.T{}, "shell", testContext) {
		f.Add(string(c.In))
	}
	f.Add("#!/bin/sh\n[ -d .venv ] || python3 -m venv .venv && . .venv/bin/activate && pip install -r requirements.txt\n")
	f.Add("f() { source venv/bin/activate; }\nf\nif true; then f; fi\n")
	f.Fuzz(func(t *testing.T, src string) {
		parser := syntax.NewParser()
		if _, err := parser.Parse(bytes.NewReader(parseText([]byte(src))), ""); err != nil {
			return
		}
		for _, ctx := range []Context{testContext, uvTestContext} {
			res, err := ShellScript(&ctx, "scripts/run.sh", []byte(src))
			if err != nil {
				return
			}
			if _, err := parser.Parse(bytes.NewReader(parseText(res.New)), ""); err != nil {
				t.Fatalf("rewrite broke the script: %v\n--- in ---\n%s\n--- out ---\n%s", err, src, res.New)
			}
			again, err := ShellScript(&ctx, "scripts/run.sh", res.New)
			if err != nil || !bytes.Equal(again.New, res.New) {
				t.Fatalf("second rewrite changed the script:\n%s\n---\n%s", res.New, again.New)
			}
		}
	})
}

// uvTestContext is a project whose hook syncs with uv into a venv without
// pip, with the dev extra.
var uvTestContext = Context{
	ProjectDir: ".",
	VenvDirs:   []string{".venv", "venv"},
	Synced:     []string{"requirements.txt", "pyproject.toml"},
	Groups:     []string{"dev"},
	Manager:    "uv",
}

// A branch on a CI variable keeps its CI branch: jobs that do not run in
// the Flox environment still take it. The if goes only when its branches
// read the same once the venv setup is gone.
func TestRewriteShellSnippetCISwitch(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"branches end up the same",
			"if [ -z \"$GITHUB_ACTIONS\" ]; then\n    python -m venv venv\n    PIP=\"venv/bin/pip\"\nelse\n    PIP=\"pip\"\nfi\n\"$PIP\" install -r requirements.txt\n",
			"PIP=\"pip\"\n\"$PIP\" install -r requirements.txt\n"},
		{"the CI branch does something else",
			"if [ -n \"${CI:-}\" ]; then\n  pip install --user -r requirements.txt\nelse\n  python3 -m venv .venv\n  .venv/bin/pip install -r requirements.txt\nfi\n",
			"if [ -n \"${CI:-}\" ]; then\n  pip install --user -r requirements.txt\nelse\n  pip install -r requirements.txt\nfi\n"},
		{"only the local branch sets up the venv",
			"if [ -z \"$CI\" ]; then\n  python3 -m venv .venv\n  . .venv/bin/activate\nfi\npytest\n",
			"pytest\n"},
		{"a CI-only step stays",
			"source venv/bin/activate\nif [ \"$CI\" = true ]; then pytest --cov; fi\n",
			"if [ \"$CI\" = true ]; then pytest --cov; fi\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := testContext
			res, err := rewriteShellSnippet(&ctx, tt.src, shellOptions{Path: "x.sh", KeepInstalls: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Blocked || res.Text != tt.want {
				t.Errorf("got %q (blocked %v, %v), want %q", res.Text, res.Blocked, res.FollowUps, tt.want)
			}
		})
	}
}

// A test for a path in the venv comes out the same way once Flox owns the
// venv: the branch that runs takes the if's place, a check that stops with
// advice goes, and code that is not venv setup (a cleanup) stays.
func TestRewriteShellSnippetVenvPathTests(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"create when missing, then install",
			"if [ ! -d .venv ]; then\n    python3 -m venv .venv\n    .venv/bin/pip install -r requirements.txt\nfi\n",
			"pip install -r requirements.txt\n"},
		{"a prefix when the venv exists",
			"PREFIX=\"\"\nif [ -d 'venv' ] ; then\n    PREFIX=\"venv/bin/\"\nfi\n${PREFIX}pytest\n",
			"pytest\n"},
		{"install a tool when missing",
			"[ -f venv/bin/flake8 ] || venv/bin/pip install flake8\nvenv/bin/flake8 src\n",
			"pip install flake8\nflake8 src\n"},
		{"advice when missing",
			"if [ ! -f .venv/bin/activate ]; then\n  echo 'run make venv first' >&2\n  exit 1\nfi\n.venv/bin/pytest\n",
			"pytest\n"},
		{"a cleanup",
			"if [ -d .venv ]; then rm -rf .venv; fi\n",
			"if [ -d .venv ]; then rm -rf .venv; fi\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := testContext
			res, err := rewriteShellSnippet(&ctx, tt.src, shellOptions{Path: "x.sh", KeepInstalls: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Text != tt.want {
				t.Errorf("got %q (%v), want %q", res.Text, res.FollowUps, tt.want)
			}
		})
	}
}
