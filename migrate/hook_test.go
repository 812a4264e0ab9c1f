package migrate

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/fixtures"
)

// hookPlans are plans covering every manager and hook option.
func hookPlans(t *testing.T) map[string]*Plan {
	t.Helper()
	long := []detect.Requirement{requirement("numpy", "pyproject.toml", 7)}
	for _, g := range []string{"lint", "test", "typing", "docs-build", "benchmarks-long-name", "integration"} {
		long = append(long, detect.Requirement{Name: "x-" + g, Table: "dependency-groups", Group: g, Evidence: ev("pyproject.toml", 30)})
	}
	projects := map[string]struct {
		p    detect.Project
		opts PlanOptions
	}{
		"uv-lock": {detect.Project{Files: files("pyproject.toml", "uv.lock"),
			Requirements: []detect.Requirement{requirement("numpy", "pyproject.toml", 7)}}, PlanOptions{}},
		"uv-lock-long": {detect.Project{Files: files("pyproject.toml", "uv.lock", "requirements/docs-build.txt", "requirements/integration-tests.txt"),
			Requirements: long}, PlanOptions{VenvDir: "env/python-development", Groups: []string{"lint", "test", "typing", "docs-build", "benchmarks-long-name", "integration"}}},
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
			for _, p := range fixtures.CheckManifestLimits(plan.Manifest()) {
				t.Error(p)
			}
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
			if !strings.Contains(plan.Hook, `export VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH"`) {
				t.Errorf("hook does not export VIRTUAL_ENV and PATH")
			}
			if strings.Contains(plan.Hook, "LD_LIBRARY_PATH") {
				t.Errorf("hook sets LD_LIBRARY_PATH for every program")
			}
			wantPreload := len(plan.Libraries) > 0
			if got := strings.Contains(plan.Hook, "ctypes.CDLL"); got != wantPreload {
				t.Errorf("hook preloads libraries = %v, want %v", got, wantPreload)
			}
			if slices.ContainsFunc(plan.Vars, func(v Var) bool { return v.Name == "UV_PYTHON_DOWNLOADS" }) {
				t.Errorf("[vars] forbids uv's downloads for every command")
			}
			if strings.Contains(plan.Hook, "--without-pip") {
				t.Errorf("the venv is made without pip")
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

// TestHookLimits: a sync command of any length keeps the hook's lines
// short, and a line "SYNC" in a command is refused rather than cutting the
// hook's here-document short.
func TestHookLimits(t *testing.T) {
	interp := Interpreter{Minor: "3.12", Command: "python3"}
	words := []string{"uv", "sync", "--frozen"}
	for i := 0; i < 5; i++ {
		words = append(words, "--group", "'group with spaces'")
	}
	sp := syncPlan{Manager: "uv", Commands: []string{strings.Join(words, " "), `uv pip install --python "$VIRTUAL_ENV/bin/python" -e '.[dev]'`},
		Hashed:  []string{"pyproject.toml", "uv.lock", "requirements/development.txt", "requirements/documentation.txt"},
		Exports: []hookExport{{Name: "UV_PROJECT_ENVIRONMENT", Value: "$VIRTUAL_ENV"}}}
	hook, _, err := buildHook("$FLOX_ENV_PROJECT/env/python-development", interp, sp, []string{"libstdc++.so.6", "libz.so.1"}, Reason{})
	if err != nil {
		t.Fatal(err)
	}
	manifest := (&Plan{Hook: hook}).Manifest()
	for _, p := range fixtures.CheckManifestLimits(manifest) {
		t.Errorf("%s\n%s", p, hook)
	}
	bashN(t, "hook", hook)
	if !strings.Contains(hook, "--group 'group with spaces' \\\n  --group") {
		t.Errorf("the long command was not continued at a word:\n%s", hook)
	}
	if _, _, err := buildHook(defaultVenvDir, interp, syncPlan{Commands: []string{"echo '\nSYNC\n'"}}, nil, Reason{}); err == nil {
		t.Errorf("a command with a line SYNC was accepted")
	}
}

// checkNoFatalShell fails on commands that would end or harden the whole
// activation: exit outside a subshell, set -e/-u/-o pipefail.
func checkNoFatalShell(t *testing.T, what string, f *syntax.File) {
	t.Helper()
	var inSubshell func(n syntax.Node) bool
	subshells := map[syntax.Node]bool{}
	syntax.Walk(f, func(n syntax.Node) bool {
		if s, ok := n.(*syntax.Subshell); ok {
			syntax.Walk(s, func(m syntax.Node) bool { subshells[m] = true; return true })
		}
		return true
	})
	inSubshell = func(n syntax.Node) bool { return subshells[n] }
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
		case name == "exit" && !inSubshell(call):
			t.Errorf("%s calls exit at %s", what, call.Pos())
		case name == "set" && !inSubshell(call) && slices.ContainsFunc(args, func(a string) bool {
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
// network): it creates the venv with pip, installs, does nothing the second
// time (even under set -euo pipefail), ignores a file whose modification
// time alone changed, re-syncs when requirements.txt changes, rebuilds the
// venv when the interpreter changes, and survives a failing sync.
func TestHookRuns(t *testing.T) {
	h := newHookEnv(t)
	writeWheel(t, filepath.Join(h.project, "wheels"), "tinypkg", "1.0")
	writeWheel(t, filepath.Join(h.project, "wheels"), "otherpkg", "2.0")
	reqs := filepath.Join(h.project, "requirements.txt")
	writeFile(t, reqs, "# local wheels only\n./wheels/tinypkg-1.0-py3-none-any.whl\n")

	plan, err := BuildPlan(&detect.Project{
		Files:        files("requirements.txt"),
		Requirements: []detect.Requirement{{Name: "tinypkg", URL: "./wheels/tinypkg-1.0-py3-none-any.whl", Evidence: ev("requirements.txt", 2)}},
	}, PlanOptions{Manager: "pip"})
	if err != nil {
		t.Fatal(err)
	}
	probe := `
echo "VIRTUAL_ENV=$VIRTUAL_ENV"
echo "python=$(command -v python)"
echo "leaked=${venv-none}${sync-none}"
python -c "import tinypkg; print('tinypkg', tinypkg.VERSION)"
python -c "import otherpkg; print('otherpkg', otherpkg.VERSION)" 2>/dev/null || true
python -m pip --version >/dev/null && echo "pip works"
echo alive
`
	venv := filepath.Join(h.cache, "venv")
	run := func(step, prefix string) (string, string, time.Duration) {
		t.Helper()
		start := time.Now()
		out, errOut := h.run(t, prefix+plan.Hook+probe)
		return out, errOut, time.Since(start)
	}

	out, errOut, first := run("first activation", "")
	for _, want := range []string{"VIRTUAL_ENV=" + venv + "\n", "python=" + venv + "/bin/python\n", "leaked=nonenone\n", "tinypkg 1.0\n", "pip works\n", "alive\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("first activation: stdout lacks %q:\n%s\nstderr:\n%s", want, out, errOut)
		}
	}
	if !strings.Contains(errOut, "creating") || !strings.Contains(errOut, "syncing") {
		t.Errorf("first activation did not say it created and synced the venv:\n%s", errOut)
	}

	// The hook must not depend on the caller's shell options.
	out, errOut, second := run("second activation, under set -euo pipefail", "set -euo pipefail\n")
	if errOut != "" {
		t.Errorf("second activation printed something:\n%s", errOut)
	}
	if !strings.Contains(out, "tinypkg 1.0\n") || !strings.Contains(out, "VIRTUAL_ENV="+venv) {
		t.Errorf("second activation lost the venv:\n%s", out)
	}
	t.Logf("first activation %v, unchanged activation %v", first, second)

	// A checkout that only touches the file: checksums say nothing changed.
	touch(t, reqs)
	if _, errOut, _ = run("touched requirements", ""); errOut != "" {
		t.Errorf("a file whose contents did not change was synced again:\n%s", errOut)
	}

	writeFile(t, reqs, "# local wheels only\n./wheels/tinypkg-1.0-py3-none-any.whl\n./wheels/otherpkg-2.0-py3-none-any.whl\n")
	out, errOut, _ = run("changed requirements", "")
	if !strings.Contains(errOut, "syncing") || strings.Contains(errOut, "creating") {
		t.Errorf("a changed requirements.txt should re-sync without recreating the venv:\n%s", errOut)
	}
	if !strings.Contains(out, "otherpkg 2.0\n") {
		t.Errorf("otherpkg was not installed:\n%s\n%s", out, errOut)
	}

	// Another interpreter (its -VV differs from the one that made the
	// venv) rebuilds the venv once Flox has rewritten manifest.lock.
	writeFile(t, filepath.Join(venv, ".venv2flox-python"), "Python 3.0.0 (another build)\n")
	touch(t, filepath.Join(h.project, ".flox", "env", "manifest.lock"))
	out, errOut, _ = run("changed interpreter", "")
	if !strings.Contains(errOut, "creating") || !strings.Contains(out, "otherpkg 2.0\n") || !strings.Contains(out, "pip works\n") {
		t.Errorf("interpreter change did not rebuild and re-sync the venv:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}

	// A failing sync says so and how to start over, keeps the shell alive,
	// and is retried on the next activation.
	writeFile(t, reqs, "./wheels/missing-1.0-py3-none-any.whl\n")
	for _, step := range []string{"failing sync", "failing sync again"} {
		out, errOut, _ = run(step, "")
		if !strings.Contains(errOut, "venv2flox: sync failed; the shell works; activate again to retry") {
			t.Errorf("%s: error does not say what failed and what to do:\n%s", step, errOut)
		}
		if !strings.Contains(out, "alive\n") || !strings.Contains(out, "VIRTUAL_ENV="+venv) {
			t.Errorf("%s: shell not usable afterwards:\n%s", step, out)
		}
		if strings.Contains(errOut, "creating") {
			t.Errorf("%s: the venv was rebuilt for a failed sync:\n%s", step, errOut)
		}
	}
	writeFile(t, reqs, "./wheels/tinypkg-1.0-py3-none-any.whl\n")
	if _, errOut, _ = run("fixed sync", ""); !strings.Contains(errOut, "syncing") || strings.Contains(errOut, "failed") {
		t.Errorf("the fixed sync did not run:\n%s", errOut)
	}
	if _, errOut, _ = run("after the fix", ""); errOut != "" {
		t.Errorf("the sync ran again after it succeeded:\n%s", errOut)
	}
}

// TestHookProjectVenv checks --venv-dir .venv, and that a folder that is
// not a venv is never deleted.
func TestHookProjectVenv(t *testing.T) {
	h := newHookEnv(t)
	writeFile(t, filepath.Join(h.project, ".venv", "precious.txt"), "not a venv\n")
	plan, err := BuildPlan(&detect.Project{}, PlanOptions{Manager: "pip", VenvDir: ".venv"})
	if err != nil {
		t.Fatal(err)
	}
	out, errOut := h.run(t, plan.Hook)
	if !strings.Contains(errOut, "is not a venv") {
		t.Errorf("a non-venv .venv should be refused:\n%s%s", out, errOut)
	}
	if _, err := os.Stat(filepath.Join(h.project, ".venv", "precious.txt")); err != nil {
		t.Errorf("the hook deleted a folder that is not a venv")
	}

	if err := os.RemoveAll(filepath.Join(h.project, ".venv")); err != nil {
		t.Fatal(err)
	}
	out, errOut = h.run(t, plan.Hook+"\necho \"VIRTUAL_ENV=$VIRTUAL_ENV\"")
	if !strings.Contains(out, "VIRTUAL_ENV="+filepath.Join(h.project, ".venv")+"\n") {
		t.Errorf("venv not in the project:\n%s%s", out, errOut)
	}
	if _, err := os.Stat(filepath.Join(h.project, ".venv", "pyvenv.cfg")); err != nil {
		t.Errorf("no venv created in .venv: %v", err)
	}
}

// uvProject is a requirements project synced with uv.
var uvProject = detect.Project{Files: files("requirements.txt"), Requirements: []detect.Requirement{requirement("flask", "requirements.txt", 1)}}

// TestHookEditedSyncLine edits the sync line in a migrated manifest: the
// next activation (after Flox rewrote manifest.lock, as it does for every
// manifest change) runs the new line; a manifest change that leaves the
// sync alone runs nothing.
func TestHookEditedSyncLine(t *testing.T) {
	h := newHookEnv(t)
	h.standIn(t, "uv")
	writeFile(t, filepath.Join(h.project, "requirements.txt"), "flask\n")
	plan, err := BuildPlan(&uvProject, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	manifest := string(plan.Manifest())
	const line = `uv pip install --python "$VIRTUAL_ENV/bin/python" -r requirements.txt` + "\n"
	if !strings.Contains(manifest, "\n"+line) {
		t.Fatalf("the manifest does not hold the sync line %q:\n%s", line, manifest)
	}
	h.run(t, hookOf(t, manifest))
	if got := h.syncs(t); len(got) != 1 {
		t.Fatalf("first activation: syncs %q, want one", got)
	}

	lock := filepath.Join(h.project, ".flox", "env", "manifest.lock")
	touch(t, lock)
	h.run(t, hookOf(t, strings.Replace(manifest, "[options]", "[options]\n# an unrelated edit", 1)))
	if got := h.syncs(t); len(got) != 1 {
		t.Errorf("a manifest edit that leaves the sync alone synced again: %q", got)
	}

	edited := strings.Replace(manifest, line, strings.TrimSuffix(line, "\n")+" --upgrade\n", 1)
	touch(t, lock)
	_, errOut := h.run(t, hookOf(t, edited))
	got := h.syncs(t)
	if len(got) != 2 || !strings.Contains(got[1], "-r requirements.txt --upgrade") {
		t.Errorf("the edited sync line did not run: syncs %q\n%s", got, errOut)
	}
}

// TestHookConcurrentRuns starts four activations at once with a slow sync:
// one creates the venv and syncs, the others wait and find it done.
func TestHookConcurrentRuns(t *testing.T) {
	h := newHookEnv(t)
	h.standIn(t, "uv")
	h.env = append(h.env, "V2F_SLOW=2")
	writeFile(t, filepath.Join(h.project, "requirements.txt"), "flask\n")
	plan, err := BuildPlan(&uvProject, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	outs := make([]string, 4)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, errOut := h.run(t, plan.Hook+"\necho \"VIRTUAL_ENV=$VIRTUAL_ENV\"")
			outs[i] = out + errOut
		}()
	}
	wg.Wait()
	all := strings.Join(outs, "")
	if n := strings.Count(all, "venv2flox: creating"); n != 1 {
		t.Errorf("%d runs created the venv, want 1:\n%s", n, all)
	}
	if got := h.syncs(t); len(got) != 1 {
		t.Errorf("syncs %q, want one", got)
	}
	if n := strings.Count(all, "VIRTUAL_ENV="+filepath.Join(h.cache, "venv")+"\n"); n != 4 {
		t.Errorf("%d of 4 runs have the venv:\n%s", n, all)
	}
	if _, err := os.Stat(filepath.Join(h.cache, "venv2flox.lock")); !os.IsNotExist(err) {
		t.Errorf("the lock is left behind: %v", err)
	}
}

// TestHookStaleLock: a lock whose owner was killed does not block the
// next activation.
func TestHookStaleLock(t *testing.T) {
	h := newHookEnv(t)
	h.standIn(t, "uv")
	writeFile(t, filepath.Join(h.project, "requirements.txt"), "flask\n")
	plan, err := BuildPlan(&uvProject, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	killed := exec.Command("sleep", "60")
	if err := killed.Start(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(h.cache, "venv2flox.lock"), strconv.Itoa(killed.Process.Pid)+"\n")
	_ = killed.Process.Kill()
	_ = killed.Wait()

	done := make(chan string, 1)
	go func() { _, errOut := h.run(t, plan.Hook); done <- errOut }()
	select {
	case errOut := <-done:
		if got := h.syncs(t); len(got) != 1 {
			t.Errorf("syncs %q, want one\n%s", got, errOut)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the hook still waits for a lock whose owner is gone")
	}
	if _, err := os.Stat(filepath.Join(h.cache, "venv2flox.lock")); !os.IsNotExist(err) {
		t.Errorf("the lock is left behind: %v", err)
	}
}

// TestHookNoopStartsNoProcess counts, with strace, the processes an
// activation where nothing changed starts: none besides bash itself.
func TestHookNoopStartsNoProcess(t *testing.T) {
	h := newHookEnv(t)
	h.standIn(t, "uv")
	writeFile(t, filepath.Join(h.project, "requirements.txt"), "flask\n")
	plan, err := BuildPlan(&detect.Project{Files: files("requirements.txt"), Requirements: []detect.Requirement{requirement("numpy", "requirements.txt", 1)}}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h.run(t, plan.Hook)
	n, err := countProcesses(h.root, h.env, plan.Hook)
	if err != nil {
		t.Skip(err)
	}
	if n != 0 {
		t.Errorf("a no-op activation started %d processes", n)
	}
	// The count is real: a hook that runs one program counts one.
	if n, _ := countProcesses(h.root, h.env, plan.Hook+"\n/bin/true\n:"); n != 1 {
		t.Errorf("counted %d processes for one /bin/true", n)
	}
}

// countProcesses runs a script with bash under strace and counts the
// processes it starts besides bash itself.
func countProcesses(dir string, env []string, script string) (int, error) {
	if runtime.GOOS != "linux" {
		return 0, errSkip("process counting needs Linux")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		return 0, errSkip("strace is not installed")
	}
	log := filepath.Join(dir, "strace.log")
	cmd := exec.Command(strace, "-f", "-qq", "-e", "trace=execve,fork,vfork,clone,clone3", "-o", log, "bash", "-c", script)
	cmd.Env, cmd.Dir = env, dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, errSkip("strace does not run here: " + err.Error() + ": " + string(out))
	}
	data, err := os.ReadFile(log)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, " fork(") || strings.Contains(line, " vfork(") || strings.Contains(line, " clone(") || strings.Contains(line, " clone3(") {
			n++
		}
	}
	return n, nil
}

type errSkip string

func (e errSkip) Error() string { return string(e) }

// TestHookUsesTheCatalogsManager: the sync runs $FLOX_ENV/bin/uv even when
// the venv has its own uv, with downloads forbidden for the sync only; the
// venv keeps pip.
func TestHookUsesTheCatalogsManager(t *testing.T) {
	h := newHookEnv(t)
	h.standIn(t, "uv")
	writeFile(t, filepath.Join(h.project, "pyproject.toml"), "[project]\nname = \"x\"\n")
	plan, err := BuildPlan(&detect.Project{Files: files("pyproject.toml", "uv.lock")}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	probe := "\necho \"downloads=${UV_PYTHON_DOWNLOADS-unset} project=$UV_PROJECT_ENVIRONMENT\"\npython -m pip --version >/dev/null && echo 'pip works'\n"
	h.run(t, plan.Hook)
	venvUV := filepath.Join(h.cache, "venv", "bin", "uv")
	writeFile(t, venvUV, "#!/bin/sh\necho \"venv uv $*\" >>\"$V2F_LOG\"\n")
	if err := os.Chmod(venvUV, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(h.project, "uv.lock"), "version = 1\n")
	out, errOut := h.run(t, plan.Hook+probe)
	got := h.syncs(t)
	if len(got) != 2 || !strings.HasPrefix(got[1], "uv sync --frozen") {
		t.Errorf("syncs %q: want the catalog's uv twice\n%s", got, errOut)
	}
	for _, s := range got {
		if !strings.HasSuffix(s, "downloads=never") {
			t.Errorf("the sync ran with UV_PYTHON_DOWNLOADS unset: %q", s)
		}
	}
	for _, want := range []string{"downloads=unset project=" + filepath.Join(h.cache, "venv") + "\n", "pip works\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("the activated environment lacks %q:\n%s%s", want, out, errOut)
		}
	}
}

// TestHookPreloadsLibraries builds a library with a soname in $FLOX_ENV/lib
// and an extension that needs it: the venv's Python loads the extension,
// this machine's python3 (a host program) cannot, and LD_LIBRARY_PATH is
// never set.
func TestHookPreloadsLibraries(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("sonames and .so files: Linux")
	}
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	h := newHookEnv(t)
	lib := filepath.Join(h.floxEnv, "lib", "libv2fdemo.so.1")
	ext := filepath.Join(h.root, "ext", "libdemoext.so")
	writeFile(t, filepath.Join(h.root, "demo.c"), "int demo(void) { return 41; }\n")
	writeFile(t, filepath.Join(h.root, "ext.c"), "int demo(void);\nint ext(void) { return demo() + 1; }\n")
	if err := os.MkdirAll(filepath.Dir(lib), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(ext), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-shared", "-fPIC", "-Wl,-soname,libv2fdemo.so.1", "-o", lib, filepath.Join(h.root, "demo.c")},
		{"-shared", "-fPIC", "-o", ext, filepath.Join(h.root, "ext.c"), "-L" + filepath.Dir(lib), "-l:libv2fdemo.so.1"},
	} {
		if out, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
			t.Skipf("cc: %v\n%s", err, out)
		}
	}
	hook, _, err := buildHook(defaultVenvDir, Interpreter{Minor: "3.11", Command: "python3"}, syncPlan{}, []string{"libv2fdemo.so.1", "libabsent.so.2"}, Reason{})
	if err != nil {
		t.Fatal(err)
	}
	load := "import ctypes; print('ext', ctypes.CDLL('" + ext + "').ext())"
	out, errOut := h.run(t, hook+`
echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH-unset}"
python -c "`+load+`"
"$FLOX_ENV/bin/python3" -c "`+load+`" 2>/dev/null || echo "host python cannot load it"
`)
	for _, want := range []string{"LD_LIBRARY_PATH=unset\n", "ext 42\n", "host python cannot load it\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s%s", want, out, errOut)
		}
	}
	if strings.Contains(errOut, "Error processing line") {
		t.Errorf("the .pth file fails for a library Flox does not have:\n%s", errOut)
	}
}

// hookOf is the on-activate hook of a manifest.
func hookOf(t *testing.T, manifest string) string {
	t.Helper()
	var doc struct {
		Hook struct {
			OnActivate string `toml:"on-activate"`
		} `toml:"hook"`
	}
	if err := toml.Unmarshal([]byte(manifest), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Hook.OnActivate
}

// hookEnv is a fake Flox activation for running hooks: a project with
// .flox/env/manifest.lock, its cache, and a $FLOX_ENV whose bin/python3 is
// this machine's python3. Stand-ins for managers log to $V2F_LOG.
type hookEnv struct {
	root, project, floxEnv, cache string
	env                           []string
}

// newHookEnv makes a hookEnv. It skips the test in -short mode: the hook
// creates real venvs.
func newHookEnv(t testing.TB) *hookEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("creates virtual environments")
	}
	python := realPython(t)
	h := &hookEnv{root: t.TempDir()}
	h.project = filepath.Join(h.root, "project")
	h.floxEnv = filepath.Join(h.root, "floxenv")
	h.cache = filepath.Join(h.project, ".flox", "cache")
	for _, d := range []string{filepath.Join(h.floxEnv, "bin"), h.cache} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(h.project, ".flox", "env", "manifest.lock"), "{}\n")
	if err := os.Symlink(python, filepath.Join(h.floxEnv, "bin", "python3")); err != nil {
		t.Fatal(err)
	}
	h.env = []string{
		"PATH=/usr/bin:/bin", "HOME=" + h.root, "FLOX_ENV=" + h.floxEnv, "FLOX_ENV_CACHE=" + h.cache, "FLOX_ENV_PROJECT=" + h.project,
		"PIP_NO_INDEX=1", "PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_NO_CACHE_DIR=1", "V2F_LOG=" + filepath.Join(h.root, "syncs.log"),
	}
	return h
}

// run runs a script with bash in the fake activation; bash must not fail.
func (h *hookEnv) run(t testing.TB, script string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command("bash", "-c", script)
	cmd.Env, cmd.Dir = h.env, h.root
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Errorf("the hook ended the shell: %v\nstdout:\n%s\nstderr:\n%s", err, o.String(), e.String())
	}
	return o.String(), e.String()
}

// standIn puts a program in $FLOX_ENV/bin that logs its arguments and the
// UV_PYTHON_DOWNLOADS it saw, then sleeps $V2F_SLOW seconds.
func (h *hookEnv) standIn(t testing.TB, name string) {
	t.Helper()
	p := filepath.Join(h.floxEnv, "bin", name)
	writeFile(t, p, "#!/bin/sh\necho \"${0##*/} $* downloads=${UV_PYTHON_DOWNLOADS-unset}\" >>\"$V2F_LOG\"\n[ -z \"$V2F_SLOW\" ] || sleep \"$V2F_SLOW\"\n")
	if err := os.Chmod(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

// syncs are the stand-ins' log lines so far.
func (h *hookEnv) syncs(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(h.root, "syncs.log"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// touch sets a file's modification time to now (plus a little, so it is
// newer than a stamp written in the same clock tick).
func touch(t testing.TB, path string) {
	t.Helper()
	later := time.Now().Add(time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
}

// realPython returns this machine's python3 executable (not a pyenv shim),
// or skips the test.
func realPython(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import sys, venv, ensurepip; print(sys.executable)").Output()
	if err != nil {
		t.Skipf("no python3 with venv and ensurepip: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// writeWheel writes a minimal pure-Python wheel that pip installs offline.
func writeWheel(t testing.TB, dir, name, version string) {
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

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestProfilesPutTheVenvFirst runs each shell's profile script after Flox
// put its own bin folder first: the venv's comes first again, and without
// a venv nothing changes.
func TestProfilesPutTheVenvFirst(t *testing.T) {
	profile := buildProfile()
	for _, sh := range []struct{ shell, script, printPath string }{
		{"bash", profile.Bash, `echo "$PATH"`},
		{"zsh", profile.Zsh, `echo "$PATH"`},
		{"fish", profile.Fish, `string join : $PATH`},
		{"tcsh", profile.Tcsh, `echo "$PATH"`},
	} {
		bin, err := exec.LookPath(sh.shell)
		if err != nil {
			continue
		}
		for _, venv := range []string{"/work/venv", ""} {
			env := []string{"PATH=/flox/bin:/work/venv/bin:/usr/bin:/bin", "HOME=" + t.TempDir()}
			want := "/flox/bin:/work/venv/bin:/usr/bin:/bin"
			if venv != "" {
				env = append(env, "VIRTUAL_ENV="+venv)
				want = "/work/venv/bin:" + want
			}
			cmd := exec.Command(bin, "-c", sh.script+"\n"+sh.printPath)
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) != want {
				t.Errorf("%s with VIRTUAL_ENV=%q: PATH = %q (%v), want %q", sh.shell, venv, out, err, want)
			}
		}
	}
}

// TestHookFailsInCI: a failed sync leaves a working shell on a
// contributor's machine, and fails the activation (so the CI step) when $CI
// is set.
func TestHookFailsInCI(t *testing.T) {
	h := newHookEnv(t)
	p := filepath.Join(h.floxEnv, "bin", "uv")
	writeFile(t, p, "#!/bin/sh\nexit 3\n")
	if err := os.Chmod(p, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(h.project, "requirements.txt"), "flask\n")
	plan, err := BuildPlan(&uvProject, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ci := range []string{"", "true"} {
		cmd := exec.Command("bash", "-c", plan.Hook)
		cmd.Env, cmd.Dir = append(slices.Clone(h.env), "CI="+ci), h.root
		out, err := cmd.CombinedOutput()
		if !strings.Contains(string(out), "sync failed") {
			t.Errorf("CI=%q: no message for the failed sync:\n%s", ci, out)
		}
		if failed := err != nil; failed != (ci != "") {
			t.Errorf("CI=%q: the activation failed = %v, want %v\n%s", ci, failed, ci != "", out)
		}
	}
}

// TestHookRetriesAFailedSyncInTheSameVenv: after a failed sync the next
// activation syncs again without making the venv anew.
func TestHookRetriesAFailedSyncInTheSameVenv(t *testing.T) {
	h := newHookEnv(t)
	p := filepath.Join(h.floxEnv, "bin", "uv")
	// Fails the first time, then logs like the other stand-ins.
	writeFile(t, p, "#!/bin/sh\necho \"uv $*\" >>\"$V2F_LOG\"\n[ -e \"$V2F_LOG.failed\" ] && exit 0\n: >\"$V2F_LOG.failed\"; exit 3\n")
	if err := os.Chmod(p, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(h.project, "requirements.txt"), "flask\n")
	plan, err := BuildPlan(&uvProject, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, first := h.run(t, plan.Hook)
	_, second := h.run(t, plan.Hook)
	if !strings.Contains(first, "sync failed") || strings.Contains(second, "sync failed") {
		t.Fatalf("want a failed then a good sync:\n%s\n---\n%s", first, second)
	}
	if strings.Contains(second, "venv2flox: creating") {
		t.Errorf("the retry made the venv anew:\n%s", second)
	}
	if got := h.syncs(t); len(got) != 2 {
		t.Errorf("syncs %q, want two", got)
	}
	_, third := h.run(t, plan.Hook)
	if got := h.syncs(t); len(got) != 2 || third != "" {
		t.Errorf("a third activation with nothing changed synced or spoke: %q\n%s", got, third)
	}
}
