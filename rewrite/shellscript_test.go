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
			`exec flox activate -d "$(dirname "$0")" -- /bin/sh "$0" "$@"`},
		{"scripts/run.sh", "#!/usr/bin/env bash\nsource .venv/bin/activate\nflask run\n",
			`exec flox activate -d "$(dirname "$0")/.." -- bash "$0" "$@"`},
		{"tools/dev/run", "#!/bin/bash -e\nsource .venv/bin/activate\nflask run\n",
			`exec flox activate -d "$(dirname "$0")/../.." -- /bin/bash -e "$0" "$@"`},
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
