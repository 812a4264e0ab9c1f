package rewrite

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// testContext is the migration most golden cases assume: a pip project
// whose requirements files and pyproject.toml the Flox hook syncs.
var testContext = Context{
	ProjectDir: ".",
	VenvDirs:   []string{".venv", "venv"},
	Synced:     []string{"requirements.txt", "requirements-dev.txt", "pyproject.toml"},
	Manager:    "pip",
}

func TestShellScriptGolden(t *testing.T) {
	runGolden(t, "shell", testContext, ShellScript, func(t *testing.T, c goldenCase, out []byte) {
		if _, err := syntax.NewParser().Parse(bytes.NewReader(parseText(out)), c.Path); err != nil {
			t.Errorf("rewritten script does not parse: %v", err)
		}
		bashSyntaxCheck(t, out)
	})
}

// bashSyntaxCheck runs `bash -n` on a rewritten script when bash exists.
func bashSyntaxCheck(t *testing.T, script []byte) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		return
	}
	f := filepath.Join(t.TempDir(), "script")
	script = bytes.TrimPrefix(script, []byte("\ufeff"))
	script = bytes.ReplaceAll(script, []byte("\r\n"), []byte("\n"))
	if err := os.WriteFile(f, script, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bash, "-n", f).CombinedOutput(); err != nil {
		t.Errorf("bash -n: %v\n%s", err, out)
	}
}

func TestShellScriptGuard(t *testing.T) {
	tests := []struct {
		path, src, want string
	}{
		{"run.sh", "#!/bin/sh\n. venv/bin/activate\nflask run\n",
			`_flox_project=$(cd "$(dirname "$0")" && pwd -P)` + "\n" +
				`if [ "${FLOX_ENV_PROJECT:-}" != "$_flox_project" ] && command -v flox >/dev/null 2>&1; then exec flox activate -d "$_flox_project" -- /bin/sh "$0" "$@"; fi` + "\n"},
		{"scripts/run.sh", "#!/usr/bin/env bash\nsource .venv/bin/activate\nflask run\n",
			`_flox_project=$(cd "$(dirname "$0")/.." && pwd -P)` + "\n"},
		{"tools/dev/run", "#!/bin/bash -e\nsource .venv/bin/activate\nflask run\n",
			`_flox_project=$(cd "$(dirname "$0")/../.." && pwd -P)` + "\n" +
				`if [ "${FLOX_ENV_PROJECT:-}" != "$_flox_project" ] && command -v flox >/dev/null 2>&1; then exec flox activate -d "$_flox_project" -- /bin/bash -e "$0" "$@"; fi` + "\n"},
		{"run.sh", "source .venv/bin/activate\nflask run\n",
			`-- bash "$0" "$@"`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			ctx := testContext
			res, err := ShellScript(&ctx, tt.path, []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(res.New), tt.want) {
				t.Errorf("guard missing %q in:\n%s", tt.want, res.New)
			}
			if strings.Contains(string(res.New), "activate\n") && strings.Contains(string(res.New), "bin/activate") {
				t.Errorf("activation kept:\n%s", res.New)
			}
		})
	}
}

// A script that never used a venv is returned byte for byte, without a guard.
func TestShellScriptUntouched(t *testing.T) {
	for _, src := range []string{
		"#!/bin/sh\necho hello\n",
		"#!/usr/bin/env python3\nimport venv\n",
		"#!/bin/zsh\nsource .venv/bin/activate\n",
		"#!/bin/sh\nif [ -d .venv ]; then rm -rf .venv; fi\n",
		"#!/bin/sh\ngcloud auth activate-service-account --key-file k.json\n",
		"",
	} {
		ctx := testContext
		res, err := ShellScript(&ctx, "x.sh", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if string(res.New) != src {
			t.Errorf("changed %q into %q", src, res.New)
		}
	}
}

// A Dockerfile's entrypoint activates the image's venv; the image has no
// Flox, so the script stays as it is.
func TestShellScriptContainerEntrypoint(t *testing.T) {
	src := "#!/bin/sh\n# this script is used to boot a Docker container\nsource venv/bin/activate\nexec gunicorn -b :5000 app:app\n"
	ctx := testContext
	ctx.ContainerScripts = []string{"boot.sh"}
	res, err := ShellScript(&ctx, "boot.sh", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if string(res.New) != src {
		t.Errorf("container script changed: %q", res.New)
	}
	if len(res.FollowUps) != 1 || !strings.Contains(res.FollowUps[0].Message, "Dockerfile") {
		t.Errorf("follow-ups = %v, want one saying why the script is left alone", res.FollowUps)
	}
	// The same script, not started by the image, is migrated.
	res, _ = ShellScript(&ctx, "scripts/boot.sh", []byte(src))
	if string(res.New) == src {
		t.Error("a script the image does not start was left alone")
	}
}

// The guard re-runs the script through flox unless the project's own
// environment is the active one: a personal default environment (FLOX_ENV
// set, FLOX_ENV_PROJECT elsewhere) does not count. A stub flox on PATH
// records what it was asked to run; without flox on PATH the script runs
// as it is.
func TestShellScriptGuardRuns(t *testing.T) {
	for _, shell := range []string{"dash", "bash"} {
		sh, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s not found", shell)
			continue
		}
		t.Run(shell, func(t *testing.T) {
			root := t.TempDir()
			project := filepath.Join(root, "project")
			home := filepath.Join(root, "home")
			bin := filepath.Join(root, "bin")
			for _, d := range []string{filepath.Join(project, "scripts"), home, bin} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			// The project reached through a symlink still matches.
			link := filepath.Join(root, "link")
			if err := os.Symlink(project, link); err != nil {
				t.Fatal(err)
			}
			ctx := testContext
			res, err := ShellScript(&ctx, "scripts/run.sh", []byte("#!/bin/sh\n. .venv/bin/activate\necho ran-inside\n"))
			if err != nil {
				t.Fatal(err)
			}
			script := filepath.Join(project, "scripts", "run.sh")
			if err := os.WriteFile(script, res.New, 0o755); err != nil {
				t.Fatal(err)
			}
			stub := "#!/bin/sh\necho \"flox $*\"\n"
			if err := os.WriteFile(filepath.Join(bin, "flox"), []byte(stub), 0o755); err != nil {
				t.Fatal(err)
			}
			real, err := filepath.EvalSymlinks(project)
			if err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name, floxEnv, floxProject, want string
				noFlox                           bool
			}{
				{"no environment", "", "", "flox activate -d " + real + " -- /bin/sh " + filepath.Join(link, "scripts/run.sh"), false},
				{"personal default environment", "/nix/store/x-default", home, "flox activate -d " + real, false},
				{"the project's environment", "/nix/store/x-project", real, "ran-inside", false},
				{"flox not installed", "", "", "ran-inside", true},
			}
			for _, tt := range tests {
				cmd := exec.Command(sh, filepath.Join(link, "scripts/run.sh"))
				cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin"}
				if tt.noFlox {
					cmd.Env = []string{"PATH=/usr/bin:/bin"}
				}
				if tt.floxEnv != "" {
					cmd.Env = append(cmd.Env, "FLOX_ENV="+tt.floxEnv, "FLOX_ENV_PROJECT="+tt.floxProject)
				}
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%s: %v\n%s", tt.name, err, out)
				}
				if !strings.HasPrefix(string(out), tt.want) {
					t.Errorf("%s: got %q, want it to start with %q", tt.name, out, tt.want)
				}
			}
		})
	}
}
