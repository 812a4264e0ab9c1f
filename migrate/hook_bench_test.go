// The cost of an activation where nothing changed, for the venv2flox hook
// and for the hook of the migration guide (the one `flox init` writes too,
// flox/flox cli/flox/src/commands/init/python.rs): a venv and `pip install
// -r requirements.txt` on every activation. Each runs with bash against a
// real venv on this machine's python3; a bare `bash -c true` is the floor.
//
// Reproduce:
//
//	go test ./migrate -run '^$' -bench HookNoop -benchtime 40x
//
// ms-over-bash is the median cost above a bare bash run just before each
// activation; processes are the programs one activation starts (strace,
// Linux only).
package migrate

import (
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/venv2flox/venv2flox/detect"
)

// guideHook is the migration guide's hook, with the fake environment's
// python3 for `python`.
const guideHook = `export PYTHON_DIR="$FLOX_ENV_CACHE/python"
if [ ! -d "$PYTHON_DIR" ]; then
  echo "Creating python virtual environment in $PYTHON_DIR"
  "$FLOX_ENV/bin/python3" -m venv "$PYTHON_DIR"
fi
(
  source "$PYTHON_DIR/bin/activate"
  pip install -r "$FLOX_ENV_PROJECT/requirements.txt" --quiet
)
`

func BenchmarkHookNoop(b *testing.B) {
	h := newHookEnv(b)
	h.standIn(b, "uv")
	writeWheel(b, filepath.Join(h.project, "wheels"), "tinypkg", "1.0")
	writeFile(b, filepath.Join(h.project, "requirements.txt"), filepath.Join(h.project, "wheels", "tinypkg-1.0-py3-none-any.whl")+"\n")
	plan, err := BuildPlan(&detect.Project{Files: files("requirements.txt"),
		Requirements: []detect.Requirement{requirement("tinypkg", "requirements.txt", 1)}}, PlanOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, bench := range []struct{ name, script string }{
		{"bash", "true"},
		{"venv2flox", plan.Hook},
		{"guide", guideHook},
	} {
		// The first activation makes the venv and installs.
		h.run(b, bench.script)
		b.Run(bench.name, func(b *testing.B) {
			processes, countErr := countProcesses(h.root, h.env, bench.script)
			// Each activation is paired with a bare bash run just before
			// it; the median difference resists the noise of a shared
			// machine.
			var over []time.Duration
			for b.Loop() {
				b.StopTimer()
				start := time.Now()
				runBash(b, h, "true")
				bare := time.Since(start)
				b.StartTimer()
				start = time.Now()
				runBash(b, h, bench.script)
				over = append(over, time.Since(start)-bare)
			}
			// After the loop: its start deletes reported metrics.
			slices.Sort(over)
			b.ReportMetric(float64(over[len(over)/2].Microseconds())/1000, "ms-over-bash")
			if countErr == nil {
				b.ReportMetric(float64(processes), "processes")
			}
		})
	}
}

func runBash(b *testing.B, h *hookEnv, script string) {
	cmd := exec.Command("bash", "-c", script)
	cmd.Env, cmd.Dir = h.env, h.root
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
}
