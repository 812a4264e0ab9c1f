package rewrite

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// withVenvUsers is testContext with callers outside Flox using dir after
// the script at path.
func withVenvUsers(path, dir string) Context {
	ctx := testContext
	ctx.VenvUsers = map[string][]VenvUser{path: {{Dir: dir, Caller: "job test (.github/workflows/ci.yml)"}}}
	return ctx
}

// A script whose callers outside Flox use its venv afterwards keeps its
// venv setup behind a test for the Flox environment; one that only ran
// programs from the venv activates it there. A second run changes
// nothing, with or without those callers.
func TestShellScriptKeepsVenvOutsideFlox(t *testing.T) {
	tests := []struct {
		name, path, src, dir string
		want                 []string
		wantNot              []string
	}{
		{
			name: "create and activate",
			path: "scripts/bootstrap", dir: ".venv",
			src: "#!/usr/bin/env bash\nset -e\ncd \"$(dirname \"$0\")/..\"\n\nif [ ! -d .venv ]; then\n  python3 -m venv .venv\nfi\n. .venv/bin/activate\n\npip install -r requirements.txt\n",
			want: []string{
				"# Without Flox, make and enter .venv as before: callers outside Flox use it after this script.\n" +
					"if [ \"${FLOX_ENV_PROJECT:-}\" != \"$_flox_project\" ]; then\n" +
					"  if [ ! -d .venv ]; then\n    python3 -m venv .venv\n  fi\n  . .venv/bin/activate\nfi\n",
				"\npip install -r requirements.txt\n",
			},
		},
		{
			name: "create without activating",
			path: "scripts/setup.sh", dir: "venv",
			src: "#!/bin/sh\nset -eu\nVENV=${VENV:-venv}\n\n# the venv\npython3 -m venv \"$VENV\"\n\"$VENV/bin/pip\" install -r requirements.txt\n",
			want: []string{
				"VENV=${VENV:-venv}\n",
				"# the venv\n# Without Flox, make and enter venv as before",
				"  python3 -m venv \"$VENV\"\n  . \"$VENV/bin/activate\"\nfi\npip install -r requirements.txt\n",
			},
		},
		{
			name: "uv venv and tab indentation",
			path: "dev.sh", dir: ".venv",
			src: "#!/bin/bash\nmain() {\n\tuv venv\n\t.venv/bin/python -m pip install -r requirements.txt\n}\nmain\n",
			want: []string{
				"main() {\n\t# Without Flox",
				"\tif [ \"${FLOX_ENV_PROJECT:-}\" != \"$_flox_project\" ]; then\n\t\tuv venv\n\t\t. .venv/bin/activate\n\tfi\n\tpython -m pip install",
			},
		},
		{
			name: "programs from the venv only",
			path: "scripts/lint.sh", dir: "venv",
			src: "#!/bin/sh\nset -eu\nvenv/bin/ruff check .\n",
			want: []string{
				"command -v flox >/dev/null 2>&1; then exec flox activate -d \"$_flox_project\" -- /bin/sh \"$0\" \"$@\"; fi\n" +
					"# Without Flox, run from venv as before: callers outside Flox set it up for this script.\n" +
					"if [ \"${FLOX_ENV_PROJECT:-}\" != \"$_flox_project\" ]; then . \"$_flox_project/venv/bin/activate\"; fi\nset -eu\nruff check .\n",
			},
		},
		{
			name: "activation kept, deactivation kept",
			path: "run-tests.sh", dir: ".venv",
			src: "#!/bin/bash\nsource .venv/bin/activate\npytest\ndeactivate\n",
			want: []string{
				"if [ \"${FLOX_ENV_PROJECT:-}\" != \"$_flox_project\" ]; then\n  source .venv/bin/activate\nfi\npytest\n" +
					"if [ \"${FLOX_ENV_PROJECT:-}\" != \"$_flox_project\" ]; then\n  deactivate\nfi\n",
			},
			wantNot: []string{"/bin/activate\"; fi"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := withVenvUsers(tt.path, tt.dir)
			res, err := ShellScript(&ctx, tt.path, []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			out := string(res.New)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q in:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(out, w) {
					t.Errorf("unexpected %q in:\n%s", w, out)
				}
			}
			if len(res.FollowUps) > 0 {
				t.Errorf("follow-ups: %v", res.FollowUps)
			}
			bashSyntaxCheck(t, res.New)
			for _, again := range []Context{ctx, testContext} {
				res2, err := ShellScript(&again, tt.path, res.New)
				if err != nil {
					t.Fatal(err)
				}
				if string(res2.New) != out || len(res2.FollowUps) > 0 {
					t.Errorf("second run changed the script or noted %v:\n%s", res2.FollowUps, res2.New)
				}
			}
		})
	}
}

// What cannot keep its venv setup apart for runs without Flox is left as
// it is, and says why: venv setup sharing a line with other commands, a
// script other files source, a Makefile.
func TestVenvUsersLeaveFileAlone(t *testing.T) {
	tests := []struct {
		name, path, src string
		sourced         bool
		rewriter        func(*Context, string, []byte) (Result, error)
	}{
		{"shared line", "scripts/setup.sh", "#!/bin/sh\ncd app; python3 -m venv .venv\n.venv/bin/pip install -r requirements.txt\n", false, ShellScript},
		{"sourced", "scripts/env.sh", "python3 -m venv .venv\n. .venv/bin/activate\n", true, ShellScript},
		{"makefile", "Makefile", "venv:\n\tpython3 -m venv .venv\n\t.venv/bin/pip install -r requirements.txt\n", false, Makefile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := withVenvUsers(tt.path, ".venv")
			if tt.sourced {
				ctx.SourcedScripts = []string{tt.path}
			}
			res, err := tt.rewriter(&ctx, tt.path, []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if string(res.New) != tt.src {
				t.Errorf("changed:\n%s", res.New)
			}
			if len(res.FollowUps) != 1 || !strings.Contains(res.FollowUps[0].Message, "outside Flox") {
				t.Errorf("follow-ups = %v, want one saying why", res.FollowUps)
			}
			// Without such callers the file is migrated.
			plain := testContext
			plain.SourcedScripts = ctx.SourcedScripts
			if res, _ := tt.rewriter(&plain, tt.path, []byte(tt.src)); string(res.New) == tt.src {
				t.Error("not migrated without callers outside Flox either")
			}
		})
	}
}

// Run without Flox, the rewritten scripts make the venv, install into it
// and run the checks from it, as the originals did, so the caller's own
// `. venv/bin/activate` still finds it. In the project's Flox environment
// they leave it alone and use the environment's programs.
func TestVenvKeptOutsideFloxRuns(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	setup := "#!/bin/sh\nset -eu\nVENV=${VENV:-venv}\ncd \"$(dirname \"$0\")/..\"\npython3 -m venv \"$VENV\"\n\"$VENV/bin/pip\" install -r requirements.txt\n"
	lint := "#!/bin/sh\nset -eu\ncd \"$(dirname \"$0\")/..\"\nvenv/bin/ruff check .\n"
	// python3 -m venv DIR makes DIR/bin with an activate script, and pip
	// and ruff that log where they ran from.
	python := `#!/bin/sh
[ "$1 $2" = "-m venv" ] || exit 1
mkdir -p "$3/bin" && d=$(cd "$3" && pwd -P)
printf 'VIRTUAL_ENV=%s\nPATH="%s/bin:$PATH"\nexport VIRTUAL_ENV PATH\n' "$d" "$d" >"$d/bin/activate"
for p in pip ruff; do printf '#!/bin/sh\necho "$0 $*" >>"$LOG"\n' >"$d/bin/$p"; chmod +x "$d/bin/$p"; done
`
	for _, inFlox := range []bool{false, true} {
		root := t.TempDir()
		project, bin := filepath.Join(root, "project"), filepath.Join(root, "bin")
		floxBin := filepath.Join(root, "flox-venv", "bin")
		for _, d := range []string{filepath.Join(project, "scripts"), bin, floxBin} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		write := func(p, text string) {
			if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		write(filepath.Join(bin, "python3"), python)
		for _, p := range []string{"pip", "ruff"} {
			write(filepath.Join(floxBin, p), "#!/bin/sh\necho \"$0 $*\" >>\"$LOG\"\n")
		}
		for name, src := range map[string]string{"scripts/setup.sh": setup, "scripts/lint.sh": lint} {
			ctx := withVenvUsers(name, "venv")
			res, err := ShellScript(&ctx, name, []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			write(filepath.Join(project, name), string(res.New))
		}
		real, err := filepath.EvalSymlinks(project)
		if err != nil {
			t.Fatal(err)
		}
		log := filepath.Join(root, "log")
		env := []string{"PATH=" + bin + ":/usr/bin:/bin", "LOG=" + log}
		want := []string{real + "/venv/bin/pip install -r requirements.txt", real + "/venv/bin/ruff check ."}
		if inFlox {
			env = []string{"PATH=" + floxBin + ":" + bin + ":/usr/bin:/bin", "LOG=" + log, "FLOX_ENV_PROJECT=" + real}
			want = []string{floxBin + "/pip install -r requirements.txt", floxBin + "/ruff check ."}
		}
		for _, s := range []string{"scripts/setup.sh", "scripts/lint.sh"} {
			cmd := exec.Command(sh, s)
			cmd.Dir, cmd.Env = project, env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("in Flox %v: %s: %v\n%s", inFlox, s, err, out)
			}
		}
		got, _ := os.ReadFile(log)
		if strings.TrimSpace(string(got)) != strings.Join(want, "\n") {
			t.Errorf("in Flox %v: ran\n%s\nwant\n%s", inFlox, got, strings.Join(want, "\n"))
		}
		if _, err := os.Stat(filepath.Join(project, "venv")); (err == nil) == inFlox {
			t.Errorf("in Flox %v: venv made: %v", inFlox, err == nil)
		}
	}
}

// A CRLF script keeps its line ends in the kept block.
func TestShellScriptKeepsVenvOutsideFloxCRLF(t *testing.T) {
	ctx := withVenvUsers("setup.sh", ".venv")
	src := "#!/bin/sh\r\npython3 -m venv .venv\r\n.venv/bin/pip install -r requirements.txt\r\n"
	res, err := ShellScript(&ctx, "setup.sh", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.New)
	if strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Errorf("mixed line ends:\n%q", out)
	}
	if !strings.Contains(out, "then\r\n  python3 -m venv .venv\r\n  . .venv/bin/activate\r\nfi\r\npip install") {
		t.Errorf("no kept block:\n%q", out)
	}
}
