package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/venv2flox/venv2flox/fixtures"
)

// BenchmarkProcessDryRun times the whole `venv2flox migrate --dry-run`
// process on the flask-requirements fixture, start to exit, as a user sees
// it. The binary is built the way README installs it.
func BenchmarkProcessDryRun(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "venv2flox")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(fixtures.Dir(), "flask-requirements")
	for b.Loop() {
		if out, err := exec.Command(bin, "migrate", "--dry-run", dir).CombinedOutput(); err != nil {
			b.Fatalf("venv2flox: %v\n%s", err, out)
		}
	}
}
