package migrate

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
)

// hookPlans are plans covering every manager and hook option.
func hookPlans(t *testing.T) map[string]*Plan {
	t.Helper()
	projects := map[string]struct {
		p    detect.Project
		opts PlanOptions
	}{
		"uv-lock": {detect.Project{Files: files("pyproject.toml", "uv.lock"),
			Requirements: []detect.Requirement{requirement("numpy", "pyproject.toml", 7)}}, PlanOptions{}},
		"poetry": {detect.Project{Files: files("pyproject.toml", "poetry.lock")}, PlanOptions{VenvDir: ".venv"}},
		"pdm":    {detect.Project{Files: files("pyproject.toml", "pdm.lock")}, PlanOptions{}},
		"pipenv": {detect.Project{Files: files("Pipfile", "Pipfile.lock")}, PlanOptions{}},
		"pip": {detect.Project{Files: files("requirements.txt", "requirements dev.txt#dev"),
			Requirements: []detect.Requirement{requirement("torch", "requirements.txt", 1)}}, PlanOptions{Manager: "pip"}},
		"uv-pip": {detect.Project{Files: files("requirements.txt", "requirements-dev.txt#dev"),
			Requirements: []detect.Requirement{pinned("flask", "requirements.txt", 1)}}, PlanOptions{}},
		"empty": {detect.Project{}, PlanOptions{}},
	}
	plans := map[string]*Plan{}
	for name, pr := range projects {
		plan, err := BuildPlan(&pr.p, pr.opts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		plans[name] = plan
	}
	return plans
}

func TestHookAndProfilesAreValidShell(t *testing.T) {
	for name, plan := range hookPlans(t) {
		t.Run(name, func(t *testing.T) {
			checkManifest(t, plan.Manifest())
			scripts := map[string]string{"hook": plan.Hook, "bash": plan.Profile.Bash, "zsh": plan.Profile.Zsh}
			for what, script := range scripts {
				f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), what)
				if err != nil {
					t.Fatalf("%s does not parse as bash: %v\n%s", what, err, script)
				}
				checkNoFatalShell(t, what, f)
				bashN(t, what, script)
			}
			if strings.Contains(plan.Hook, "'''") {
				t.Errorf("hook contains ''' and cannot be a TOML literal string")
			}
			if !strings.Contains(plan.Hook, `export VIRTUAL_ENV="$_v2f_venv"`) || !strings.Contains(plan.Hook, `export PATH="$VIRTUAL_ENV/bin:$PATH"`) {
				t.Errorf("hook does not export VIRTUAL_ENV and PATH")
			}
			wantLD := slices.ContainsFunc(plan.Packages, func(p Package) bool { return p.PkgPath == "gcc-unwrapped" })
			if got := strings.Contains(plan.Hook, "LD_LIBRARY_PATH"); got != wantLD {
				t.Errorf("hook sets LD_LIBRARY_PATH = %v, want %v", got, wantLD)
			}
			shellcheck(t, "bash", plan.Hook)
			shellcheck(t, "bash", plan.Profile.Bash)
			for shell, script := range map[string]string{"zsh": plan.Profile.Zsh, "fish": plan.Profile.Fish, "tcsh": plan.Profile.Tcsh} {
				if bin, err := exec.LookPath(shell); err == nil {
					if out, err := exec.Command(bin, "-n", "-c", script).CombinedOutput(); err != nil {
						t.Errorf("%s -n: %v\n%s", shell, err, out)
					}
				}
			}
		})
	}
}

// checkNoFatalShell fails on commands that would end or harden the whole
// activation: exit, set -e/-u/-o pipefail.
func checkNoFatalShell(t *testing.T, what string, f *syntax.File) {
	t.Helper()
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		name := call.Args[0].Lit()
		var args []string
		for _, a := range call.Args[1:] {
			args = append(args, a.Lit())
		}
		switch {
		case name == "exit":
			t.Errorf("%s calls exit at %s", what, call.Pos())
		case name == "set" && slices.ContainsFunc(args, func(a string) bool {
			return strings.HasPrefix(a, "-") && strings.ContainsAny(a, "eu") || a == "pipefail"
		}):
			t.Errorf("%s calls set %v at %s", what, args, call.Pos())
		}
		return true
	})
}

func bashN(t *testing.T, what, script string) {
	t.Helper()
	cmd := exec.Command("bash", "-n")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("bash -n %s: %v\n%s", what, err, out)
	}
}

func shellcheck(t *testing.T, shell, script string) {
	t.Helper()
	bin, err := exec.LookPath("shellcheck")
	if err != nil {
		return
	}
	cmd := exec.Command(bin, "--shell="+shell, "--severity=warning", "-")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

func TestVenvDir(t *testing.T) {
	for in, want := range map[string]string{"": "$FLOX_ENV_CACHE/venv", ".venv": "$FLOX_ENV_PROJECT/.venv", "./env/py/": "$FLOX_ENV_PROJECT/env/py"} {
		if got, err := venvDir(in); err != nil || got != want {
			t.Errorf("venvDir(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"/opt/venv", "../venv", ".", `my "venv"`, "$HOME/venv"} {
		if _, err := venvDir(bad); err == nil {
			t.Errorf("venvDir(%q) accepted", bad)
		}
	}
}

// TestHookRuns executes the hook of a pip-managed project for real, with a
// fake $FLOX_ENV whose python3 is this machine's, and local wheels only (no
// network): it creates the venv, installs, does nothing the second time,
// re-syncs when requirements.txt changes, rebuilds the venv when the
// interpreter changes, and survives a failing sync.
func TestHookRuns(t *testing.T) {
	root, project, floxEnv := fakeFloxEnv(t)
	cache := filepath.Join(project, ".flox", "cache")
	for _, d := range []string{filepath.Join(project, "wheels"), cache} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeWheel(t, filepath.Join(project, "wheels"), "tinypkg", "1.0")
	writeWheel(t, filepath.Join(project, "wheels"), "otherpkg", "2.0")
	reqs := filepath.Join(project, "requirements.txt")
	writeFile(t, reqs, "# local wheels only\n./wheels/tinypkg-1.0-py3-none-any.whl\n")

	plan, err := BuildPlan(&detect.Project{
		Files:        files("requirements.txt"),
		Requirements: []detect.Requirement{{Name: "tinypkg", URL: "./wheels/tinypkg-1.0-py3-none-any.whl", Evidence: ev("requirements.txt", 2)}},
	}, PlanOptions{Manager: "pip"})
	if err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=/usr/bin:/bin", "HOME=" + root, "FLOX_ENV=" + floxEnv, "FLOX_ENV_CACHE=" + cache, "FLOX_ENV_PROJECT=" + project,
		"PIP_NO_INDEX=1", "PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_CACHE_DIR=1",
	}
	probe := `
echo "VIRTUAL_ENV=$VIRTUAL_ENV"
echo "python=$(command -v python)"
echo "leaked=${_v2f_venv-none}"
python -c "import tinypkg; print('tinypkg', tinypkg.VERSION)"
python -c "import otherpkg; print('otherpkg', otherpkg.VERSION)" 2>/dev/null || true
echo alive
`
	strict := false
	run := func(step string) (stdout, stderr string, took time.Duration) {
		t.Helper()
		script := plan.Hook + probe
		if strict {
			// The hook must not depend on the caller's shell options.
			script = "set -euo pipefail\n" + script
		}
		cmd := exec.Command("bash", "-c", script)
		cmd.Env, cmd.Dir = env, root
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		start := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: the hook ended the shell: %v\nstdout:\n%s\nstderr:\n%s", step, err, o.String(), e.String())
		}
		return o.String(), e.String(), time.Since(start)
	}
	venv := filepath.Join(cache, "venv")

	out, errOut, first := run("first activation")
	for _, want := range []string{"VIRTUAL_ENV=" + venv + "\n", "python=" + venv + "/bin/python\n", "leaked=none\n", "tinypkg 1.0\n", "alive\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("first activation: stdout lacks %q:\n%s\nstderr:\n%s", want, out, errOut)
		}
	}
	if !strings.Contains(errOut, "creating") || !strings.Contains(errOut, "syncing") {
		t.Errorf("first activation did not say it created and synced the venv:\n%s", errOut)
	}

	strict = true
	out, errOut, second := run("second activation, under set -euo pipefail")
	strict = false
	if errOut != "" {
		t.Errorf("second activation printed something:\n%s", errOut)
	}
	if !strings.Contains(out, "tinypkg 1.0\n") || !strings.Contains(out, "VIRTUAL_ENV="+venv) {
		t.Errorf("second activation lost the venv:\n%s", out)
	}
	t.Logf("first activation %v, unchanged activation %v", first, second)
	// Relative, since a loaded machine slows both: the unchanged activation
	// only hashes a few files with one Python start, the first one runs pip.
	if second > first/3 {
		t.Errorf("unchanged activation took %v (first %v): the stamp check should skip the sync", second, first)
	}

	writeFile(t, reqs, "# local wheels only\n./wheels/tinypkg-1.0-py3-none-any.whl\n./wheels/otherpkg-2.0-py3-none-any.whl\n")
	out, errOut, _ = run("changed requirements")
	if !strings.Contains(errOut, "syncing") || strings.Contains(errOut, "creating") {
		t.Errorf("a changed requirements.txt should re-sync without recreating the venv:\n%s", errOut)
	}
	if !strings.Contains(out, "otherpkg 2.0\n") {
		t.Errorf("otherpkg was not installed:\n%s\n%s", out, errOut)
	}

	// A venv from another interpreter (its stamp differs) is rebuilt.
	writeFile(t, filepath.Join(venv, ".venv2flox-interpreter"), "another python\n")
	out, errOut, _ = run("changed interpreter")
	if !strings.Contains(errOut, "recreating") || !strings.Contains(out, "otherpkg 2.0\n") {
		t.Errorf("interpreter change did not rebuild and re-sync the venv:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}

	// A failing sync says which step failed and how to retry, keeps the
	// shell alive, and is retried on the next activation.
	writeFile(t, reqs, "./wheels/missing-1.0-py3-none-any.whl\n")
	for _, step := range []string{"failing sync", "failing sync again"} {
		out, errOut, _ = run(step)
		if !strings.Contains(errOut, "venv2flox: sync step 1 (python -m pip install -r requirements.txt) failed") || !strings.Contains(errOut, "flox activate") {
			t.Errorf("%s: error does not name the step and the retry:\n%s", step, errOut)
		}
		if !strings.Contains(out, "alive\n") || !strings.Contains(out, "VIRTUAL_ENV="+venv) {
			t.Errorf("%s: shell not usable afterwards:\n%s", step, out)
		}
		if _, err := os.Stat(filepath.Join(venv, ".venv2flox-stamp")); err == nil {
			t.Errorf("%s: stamp written although the sync failed", step)
		}
	}
}

// TestHookProjectVenv checks --venv-dir .venv, and that a folder that is
// not a venv is never deleted.
func TestHookProjectVenv(t *testing.T) {
	root, project, floxEnv := fakeFloxEnv(t)
	writeFile(t, filepath.Join(project, ".venv", "precious.txt"), "not a venv\n")
	plan, err := BuildPlan(&detect.Project{}, PlanOptions{Manager: "pip", VenvDir: ".venv"})
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=/usr/bin:/bin", "HOME=" + root, "FLOX_ENV=" + floxEnv, "FLOX_ENV_CACHE=" + filepath.Join(project, ".flox/cache"), "FLOX_ENV_PROJECT=" + project}
	cmd := exec.Command("bash", "-c", plan.Hook+"\necho \"VIRTUAL_ENV=${VIRTUAL_ENV-unset}\"")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatal(err, string(out))
	}
	if !strings.Contains(string(out), "is not a virtual environment") || !strings.Contains(string(out), "VIRTUAL_ENV=unset") {
		t.Errorf("a non-venv .venv should be refused:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(project, ".venv", "precious.txt")); err != nil {
		t.Errorf("the hook deleted a folder that is not a venv")
	}

	if err := os.RemoveAll(filepath.Join(project, ".venv")); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command("bash", "-c", plan.Hook+"\necho \"VIRTUAL_ENV=$VIRTUAL_ENV\"")
	cmd.Env = env
	out, err = cmd.CombinedOutput()
	if err != nil {
		t.Fatal(err, string(out))
	}
	if !strings.Contains(string(out), "VIRTUAL_ENV="+filepath.Join(project, ".venv")+"\n") {
		t.Errorf("venv not in the project:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(project, ".venv", "pyvenv.cfg")); err != nil {
		t.Errorf("no venv created in .venv: %v", err)
	}
}

// fakeFloxEnv makes a temporary root holding the path of a project folder
// (not created) and a $FLOX_ENV whose bin/python3 is this machine's
// python3. It skips the test in -short mode: the hook creates real venvs.
func fakeFloxEnv(t *testing.T) (root, project, floxEnv string) {
	t.Helper()
	if testing.Short() {
		t.Skip("creates virtual environments")
	}
	python := realPython(t)
	root = t.TempDir()
	project = filepath.Join(root, "project")
	floxEnv = filepath.Join(root, "floxenv")
	if err := os.MkdirAll(filepath.Join(floxEnv, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(python, filepath.Join(floxEnv, "bin", "python3")); err != nil {
		t.Fatal(err)
	}
	return root, project, floxEnv
}

// realPython returns this machine's python3 executable (not a pyenv shim),
// or skips the test.
func realPython(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import sys, venv, ensurepip; print(sys.executable)").Output()
	if err != nil {
		t.Skipf("no python3 with venv and ensurepip: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// writeWheel writes a minimal pure-Python wheel that pip installs offline.
func writeWheel(t *testing.T, dir, name, version string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	info := name + "-" + version + ".dist-info/"
	entries := []struct{ name, body string }{
		{name + "/__init__.py", "VERSION = \"" + version + "\"\n"},
		{info + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"},
		{info + "WHEEL", "Wheel-Version: 1.0\nGenerator: venv2flox-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
		{info + "RECORD", name + "/__init__.py,,\n" + info + "METADATA,,\n" + info + "WHEEL,,\n" + info + "RECORD,,\n"},
	}
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, name+"-"+version+"-py3-none-any.whl"), buf.String())
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
