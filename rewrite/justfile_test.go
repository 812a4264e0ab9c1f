package rewrite

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestJustfileGolden(t *testing.T) {
	runGolden(t, "justfile", testContext, Justfile, nil)
}

// {{flox}} is empty inside the project's environment and when flox is not
// installed; a recipe that installed keeps installing. Checked with just
// itself, when it is on PATH, with stand-ins that print what ran (a dry
// run would not evaluate the backtick that looks for flox).
func TestJustfileFloxVarRuns(t *testing.T) {
	just, err := exec.LookPath("just")
	if err != nil {
		t.Skip("no just")
	}
	project := t.TempDir()
	ctx := testContext
	src := "bootstrap:\n    python3 -m venv .venv\n    .venv/bin/pip install -r requirements.txt\n\n" +
		"venv:\n    python3 -m venv .venv\n\ntest: bootstrap\n    .venv/bin/pytest -q\n"
	res, err := Justfile(&ctx, "justfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, "justfile"), res.New, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(project, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	tools := filepath.Join(project, "tools")
	if err := os.MkdirAll(tools, 0o755); err != nil {
		t.Fatal(err)
	}
	for dir, names := range map[string][]string{bin: {"flox"}, tools: {"pip", "pytest"}} {
		for _, name := range names {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\necho "+name+" \"$*\"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	prefix := "flox activate -d " + project + " -- "
	tests := []struct {
		name, path, floxProject, recipe string
		want                            []string
	}{
		{"no environment", bin + ":/usr/bin:/bin", "", "test",
			[]string{prefix + "pip install -r requirements.txt", prefix + "pytest -q"}},
		{"the project's environment", bin + ":/usr/bin:/bin", project, "test",
			[]string{"pip install -r requirements.txt", "pytest -q"}},
		{"flox not installed", "/usr/bin:/bin", "", "test",
			[]string{"pip install -r requirements.txt", "pytest -q"}},
		{"a recipe that only made the venv", bin + ":/usr/bin:/bin", "", "venv", []string{prefix + "true"}},
		{"a recipe that only made the venv, flox not installed", "/usr/bin:/bin", "", "venv", nil},
	}
	for _, tt := range tests {
		cmd := exec.Command(just, tt.recipe)
		cmd.Dir = project
		cmd.Env = []string{"PATH=" + tools + ":" + tt.path, "HOME=" + project}
		if tt.floxProject != "" {
			cmd.Env = append(cmd.Env, "FLOX_ENV_PROJECT="+tt.floxProject)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr // where just echoes each recipe line
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s\n%s", tt.name, err, stderr.String(), res.New)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" {
				got = append(got, l)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: just %s ran\n%s\nwant\n%s", tt.name, tt.recipe, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}
