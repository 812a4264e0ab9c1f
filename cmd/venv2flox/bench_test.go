package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/venv2flox/venv2flox/fixtures"
)

// BenchmarkProcessDryRun times the whole `venv2flox migrate --dry-run`
// process on the flask-requirements fixture, start to exit, as a user sees
// it. The binary is built the way README installs it. Besides the mean it
// reports the median, which one slow run on a shared machine does not move:
//
//	go test ./cmd/venv2flox -run '^$' -bench Process -benchtime 200x
func BenchmarkProcessDryRun(b *testing.B) {
	bin := buildStatic(b, ".")
	timeProcess(b, bin, "migrate", "--dry-run", filepath.Join(fixtures.Dir(), "flask-requirements"))
}

// BenchmarkProcessHelloWorld times a Go hello-world built the same way:
// the cost of starting any Go program on this machine, for comparison.
func BenchmarkProcessHelloWorld(b *testing.B) {
	dir := b.TempDir()
	files := map[string]string{
		"go.mod":  "module hello\n\ngo 1.26\n",
		"main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	timeProcess(b, buildStatic(b, dir))
}

// buildStatic builds the main package in dir with CGO_ENABLED=0.
func buildStatic(b *testing.B, dir string) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "bin")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// timeProcess runs bin with args once per iteration, its output going to
// /dev/null as in a shell redirect, and reports the median wall time as
// median-ms.
func timeProcess(b *testing.B, bin string, args ...string) {
	b.Helper()
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := exec.Command(bin, args...).Run(); err != nil {
			out, _ := exec.Command(bin, args...).CombinedOutput()
			b.Fatalf("%s: %v\n%s", bin, err, out)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}
