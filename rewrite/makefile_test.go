package rewrite

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestMakefileGolden(t *testing.T) {
	runGolden(t, "makefile", testContext, Makefile, func(t *testing.T, c goldenCase, out []byte) {
		checkMakeTargets(t, c.In, out, c.Ctx.Called[c.Path], c.Ctx.Called == nil)
	})
}

// checkMakeTargets runs `make -n` with GNU make for every target of the
// original Makefile against the rewritten one. Targets may only disappear
// when they named files (venv paths, stamps), or, when the callers are
// known (allCalled false), when nothing runs them. Missing source files
// that make asks for are created empty, the same in both trees.
func checkMakeTargets(t *testing.T, before, after []byte, called []string, allCalled bool) {
	t.Helper()
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("no make")
	}
	oldDir, newDir := t.TempDir(), t.TempDir()
	write := func(dir string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, "Makefile"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(oldDir, before)
	write(newDir, after)
	oldTargets := makeTargets(t, mk, oldDir)
	newTargets := map[string]bool{}
	for _, tg := range makeTargets(t, mk, newDir) {
		newTargets[tg] = true
	}
	for _, tg := range oldTargets {
		touched, ok := makeDryRun(mk, oldDir, tg, nil)
		if !ok {
			continue // the original cannot run this target either
		}
		if !newTargets[tg] {
			if !strings.ContainsAny(tg, "./") && (allCalled || slices.Contains(called, tg)) {
				t.Errorf("target %q disappeared", tg)
			}
			continue
		}
		if _, ok := makeDryRun(mk, newDir, tg, touched); !ok {
			out, _ := exec.Command(mk, "-n", "-C", newDir, tg).CombinedOutput()
			t.Errorf("make -n %s fails after the rewrite:\n%s", tg, out)
		}
	}
}

var missingFile = regexp.MustCompile(`No rule to make target '([^']+)'`)

// makeDryRun runs make -n target, creating the files make reports missing
// (after creating the ones in pre). It returns the files it created.
func makeDryRun(mk, dir, target string, pre []string) ([]string, bool) {
	touch := func(f string) {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if _, err := os.Stat(p); err != nil {
			os.WriteFile(p, nil, 0o644)
		}
	}
	for _, f := range pre {
		touch(f)
	}
	touched := append([]string(nil), pre...)
	for range 10 {
		out, err := exec.Command(mk, "-n", "-C", dir, target).CombinedOutput()
		if err == nil {
			return touched, true
		}
		m := missingFile.FindSubmatch(out)
		if m == nil || strings.Contains(string(m[1]), "..") || filepath.IsAbs(string(m[1])) {
			return touched, false
		}
		touch(string(m[1]))
		touched = append(touched, string(m[1]))
	}
	return touched, false
}

// makeTargets lists the explicit targets of dir/Makefile from make's
// database (-p), skipping special targets and mere files.
func makeTargets(t *testing.T, mk, dir string) []string {
	t.Helper()
	out, _ := exec.Command(mk, "-pRrq", "-C", dir, "-f", "Makefile", "__no_such_target__").CombinedOutput()
	var targets []string
	inFiles, notTarget := false, false
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "# Files":
			inFiles = true
		case strings.HasPrefix(line, "# VPATH") || strings.HasPrefix(line, "# finished"):
			inFiles = false
		case !inFiles:
		case line == "# Not a target:":
			notTarget = true
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "\t"):
		default:
			name, _, ok := strings.Cut(line, ":")
			special := strings.HasPrefix(name, ".") && strings.ToUpper(name) == name
			if ok && !notTarget && !special && name != "__no_such_target__" && !strings.Contains(name, "%") {
				targets = append(targets, name)
			}
			notTarget = false
		}
	}
	return targets
}

// FuzzMakefile: the rewriter never panics or fails, and a second run
// changes nothing.
func FuzzMakefile(f *testing.F) {
	for _, c := range goldenCases(&testing.T{}, "makefile", testContext) {
		f.Add(string(c.In))
	}
	f.Add("V=.venv\nt: $(V)/bin/activate | $(V)\n\t. $(V)/bin/activate && \\\n\t  pip install -e . ; $$HOME/x\n$(V)/bin/activate:\n\tvirtualenv $(V)\n")
	f.Add("define X\n\t. venv/bin/activate\nendef\n.ONESHELL:\na:\n\t@if [ -d venv ]; then\n\t  . venv/bin/activate\n\tfi\n")
	f.Fuzz(func(t *testing.T, src string) {
		for _, ctx := range []Context{testContext, uvTestContext} {
			res, err := Makefile(&ctx, "Makefile", []byte(src))
			if err != nil {
				t.Fatalf("rewrite failed: %v\n%s", err, src)
			}
			again, err := Makefile(&ctx, "Makefile", res.New)
			if err != nil {
				t.Fatalf("second rewrite failed: %v\n%s", err, res.New)
			}
			if !bytes.Equal(again.New, res.New) {
				t.Fatalf("second rewrite changed the Makefile:\n--- in ---\n%s\n--- first ---\n%s\n--- second ---\n%s", src, res.New, again.New)
			}
		}
	})
}

// $(FLOX) is empty when the project's own Flox environment is the active
// one, or when flox is not installed: a personal default environment
// (FLOX_ENV set, FLOX_ENV_PROJECT elsewhere) still gets the prefix. Checked with GNU make,
// in the project folder reached through a symlink, and from a sub-Makefile.
func TestMakefileFloxVarRuns(t *testing.T) {
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("no make")
	}
	root := t.TempDir()
	project := filepath.Join(root, "project")
	if err := os.MkdirAll(filepath.Join(project, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "link")
	if err := os.Symlink(project, link); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Makefile", "docs/Makefile"} {
		ctx := testContext
		res, err := Makefile(&ctx, name, []byte("test:\n\t.venv/bin/pytest -q\n"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(project, name), res.New, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A flox on PATH that is never run (make -n): only its presence counts.
	bin := filepath.Join(root, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "flox"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, floxEnv, floxProject, want string
		noFlox                                bool
	}{
		{"no environment", project, "", "", `flox activate -d "` + project + `" -- pytest -q`, false},
		{"personal default environment", project, "/nix/store/x-default", root, `flox activate -d "` + project + `" -- pytest -q`, false},
		{"the project's environment", project, "/nix/store/x-project", project, "pytest -q", false},
		{"the project's environment, trailing slash", project, "/nix/store/x-project", project + "/", "pytest -q", false},
		{"the project's environment through a symlink", link, "/nix/store/x-project", project, "pytest -q", false},
		{"sub-Makefile, no environment", filepath.Join(project, "docs"), "", "", `flox activate -d "` + project + `/docs/.." -- pytest -q`, false},
		{"sub-Makefile, the project's environment", filepath.Join(project, "docs"), "/nix/store/x-project", link, "pytest -q", false},
		{"flox not installed", project, "", "", "pytest -q", true},
		{"flox not installed, personal default environment", project, "/nix/store/x-default", root, "pytest -q", true},
	}
	for _, tt := range tests {
		cmd := exec.Command(mk, "-s", "-n", "test")
		cmd.Dir = tt.dir
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin"}
		if tt.noFlox {
			cmd.Env = []string{"PATH=/usr/bin:/bin"}
		}
		if tt.floxEnv != "" {
			cmd.Env = append(cmd.Env, "FLOX_ENV="+tt.floxEnv, "FLOX_ENV_PROJECT="+tt.floxProject)
		}
		if tt.dir == link {
			cmd.Env = append(cmd.Env, "PWD="+link)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tt.name, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("%s: make -n test printed %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Makefiles that include one another are rewritten as a group: the
// includer's `$(venv)/bin/python` is read with the included file's
// `venv ?= .venv`, $(FLOX) is defined once, in the included file, for the
// folder make runs in, and both work with flox and without it.
func TestMakefileIncludeGroup(t *testing.T) {
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("no make")
	}
	files := map[string]string{
		"mk/common.mk": "venv ?= .venv\n\n$(venv)/bin/activate:\n\tpython3 -m venv $(venv)\n\t$(venv)/bin/pip install -r requirements.txt\n\ttouch $@\n\n.PHONY: venv\nvenv: $(venv)/bin/activate\n",
		"Makefile":     "include mk/common.mk\n\nrun: venv\n\t$(venv)/bin/python -m app\n",
	}
	ctx := testContext
	ctx.SharedMakefiles = []string{"Makefile", "mk/common.mk"}
	ctx.ReadFile = func(p string) ([]byte, error) { return []byte(files[p]), nil }
	root := t.TempDir()
	out := map[string]string{}
	for name, src := range files {
		res, err := Makefile(&ctx, name, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.FollowUps) > 0 {
			t.Errorf("%s: follow-ups %v", name, res.FollowUps)
		}
		out[name] = string(res.New)
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), res.New, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Contains(out["Makefile"], "FLOX :=") || !strings.Contains(out["mk/common.mk"], `flox activate -d "$(CURDIR)" --`) {
		t.Errorf("$(FLOX) should be defined once, in the included file, for the includer's folder:\n%s\n---\n%s", out["mk/common.mk"], out["Makefile"])
	}
	if strings.Contains(out["Makefile"], "$(venv)") || strings.Contains(out["mk/common.mk"], "venv ?=") {
		t.Errorf("venv references left:\n%s\n---\n%s", out["mk/common.mk"], out["Makefile"])
	}
	bin := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "flox"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{bin + ":/usr/bin:/bin", `flox activate -d "` + root + `" -- pip install -r requirements.txt` + "\n" + `flox activate -d "` + root + `" -- python -m app`},
		{"/usr/bin:/bin", "pip install -r requirements.txt\npython -m app"},
	} {
		cmd := exec.Command(mk, "-s", "-n", "run")
		cmd.Dir = root
		cmd.Env = []string{"PATH=" + tt.path}
		got, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make -n run: %v\n%s", err, got)
		}
		if strings.TrimSpace(string(got)) != tt.want {
			t.Errorf("PATH=%s: make -n run printed\n%s\nwant\n%s", tt.path, got, tt.want)
		}
	}
}

// `make install` and `scripts/install` still install once rewritten:
// inside the active environment (where Flox would not run the hook again),
// through a stub flox that runs the command it is given, and without flox.
// A stand-in pip records what it was asked to install.
func TestInstallEntryPointsInstall(t *testing.T) {
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("no make")
	}
	root := t.TempDir()
	project := filepath.Join(root, "project")
	bin, floxBin := filepath.Join(root, "bin"), filepath.Join(root, "floxbin")
	for _, d := range []string{filepath.Join(project, "scripts"), bin, floxBin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(root, "pip.log")
	if err := os.WriteFile(filepath.Join(bin, "pip"), []byte("#!/bin/sh\necho \"pip $*\" >>"+log+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The stub runs what follows `--` with FLOX_ENV_PROJECT set to the -d
	// folder, as `flox activate -d DIR -- cmd` does once the environment
	// is ready.
	stub := "#!/bin/sh\nwhile [ $# -gt 0 ] && [ \"$1\" != -- ]; do\n  [ \"$1\" = -d ] && { FLOX_ENV_PROJECT=$(cd \"$2\" && pwd -P); export FLOX_ENV_PROJECT; shift; }\n  shift\ndone\nshift\nexec \"$@\"\n"
	if err := os.WriteFile(filepath.Join(floxBin, "flox"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := testContext
	mkRes, err := Makefile(&ctx, "Makefile", []byte("install:\n\tpython3 -m venv .venv\n\t.venv/bin/pip install -r requirements.txt\n"))
	if err != nil {
		t.Fatal(err)
	}
	shRes, err := ShellScript(&ctx, "scripts/install", []byte("#!/bin/sh -e\nif [ -z \"$CI\" ]; then\n    python3 -m venv venv\n    PIP=venv/bin/pip\nelse\n    PIP=pip\nfi\n\"$PIP\" install -r requirements.txt\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, "Makefile"), mkRes.New, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, "scripts", "install"), shRes.New, 0o755); err != nil {
		t.Fatal(err)
	}
	real, err := filepath.EvalSymlinks(project)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		env  []string
	}{
		{"inside the active environment", []string{"PATH=" + bin + ":" + floxBin + ":/usr/bin:/bin", "FLOX_ENV=/nix/store/x", "FLOX_ENV_PROJECT=" + real}},
		{"outside it, with flox", []string{"PATH=" + bin + ":" + floxBin + ":/usr/bin:/bin"}},
		{"without flox", []string{"PATH=" + bin + ":/usr/bin:/bin"}},
		{"without flox, in CI", []string{"PATH=" + bin + ":/usr/bin:/bin", "CI=true"}},
	} {
		for _, cmd := range []*exec.Cmd{exec.Command(mk, "-s", "install"), exec.Command(filepath.Join(project, "scripts", "install"))} {
			os.Remove(log)
			cmd.Dir, cmd.Env = project, tt.env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v: %v\n%s", tt.name, cmd.Args, err, out)
			}
			got, _ := os.ReadFile(log)
			if strings.TrimSpace(string(got)) != "pip install -r requirements.txt" {
				t.Errorf("%s: %v installed %q, want pip install -r requirements.txt", tt.name, cmd.Args, got)
			}
		}
	}
}

// Without flox, a Makefile whose install target keeps a manager's sync
// (`uv sync`, which makes .venv and activates nothing) still runs the
// tools its recipes ran from .venv/bin: a CI job on setup-uv that runs
// `make tests` finds pytest where it did before the migration.
func TestMakefileFallbackFindsManagerVenv(t *testing.T) {
	mk, err := exec.LookPath("make")
	if err != nil {
		t.Skip("no make")
	}
	src := "VENV ?= .venv\n\ninstall:\n\tuv sync --all-extras\n\ntests: install\n\t$(VENV)/bin/pytest -q\n"
	ctx := testContext
	ctx.Manager = "uv"
	res, err := Makefile(&ctx, "Makefile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	dir, bin := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), res.New, 0o644); err != nil {
		t.Fatal(err)
	}
	// A stand-in uv that makes .venv with a pytest in it, as uv sync does.
	uv := "#!/bin/sh\nmkdir -p .venv/bin && printf '#!/bin/sh\\necho pytest from .venv\\n' >.venv/bin/pytest && chmod +x .venv/bin/pytest\n"
	if err := os.WriteFile(filepath.Join(bin, "uv"), []byte(uv), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(mk, "-s", "tests")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin"} // no flox
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "pytest from .venv") {
		t.Errorf("make tests without flox: %v\n%s\nMakefile:\n%s", err, out, res.New)
	}
	// Where the venv is no longer made, the fallback is the caller's PATH.
	res, err = Makefile(&ctx, "Makefile", []byte("VENV ?= .venv\n\nvenv:\n\tpython3 -m venv $(VENV)\n\ntests: venv\n\t$(VENV)/bin/pytest -q\n"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(res.New, []byte("env PATH=")) {
		t.Errorf("a Makefile that no longer makes .venv got a fallback into it:\n%s", res.New)
	}
}

// `uv pip install` of a file the hook does not sync installs into the venv
// uv finds: it runs in the environment, as the recipe lines around it do,
// and not into the old .venv.
func TestMakefileUVPipInstallRunsInEnvironment(t *testing.T) {
	src := "VENV ?= .venv\n\ninstall-docs:\n\tuv sync\n\tuv pip install -r docs/requirements.txt\n\ndocs: install-docs\n\t$(VENV)/bin/sphinx-build docs docs/_build\n\nsys:\n\tuv pip install --system twine\n"
	ctx := testContext
	ctx.Manager = "uv"
	res, err := Makefile(&ctx, "Makefile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.New)
	if !strings.Contains(out, "\t$(FLOX) uv pip install -r docs/requirements.txt\n") {
		t.Errorf("uv pip install not run in the environment:\n%s", out)
	}
	if !strings.Contains(out, "\tuv pip install --system twine\n") {
		t.Errorf("uv pip install --system changed:\n%s", out)
	}
}
