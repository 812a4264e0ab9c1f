// Benchmarks of Prepare over synthetic monorepos (fixtures.GenerateMonorepo:
// ~100 files of its own and ~200 decoy files in .venv and node_modules per
// project) and over one small project.
//
// Reproduce:
//
//	go test ./migrate -run '^$' -bench 'Prepare' -benchtime 5x
//
// Whole-process numbers, against find over the same tree:
//
//	VENV2FLOX_MONOREPO_OUT=/tmp/mono1000 VENV2FLOX_MONOREPO_PROJECTS=1000 \
//	  go test ./fixtures -run TestWriteMonorepo -v
//	go build -o /tmp/venv2flox ./cmd/venv2flox
//	cd /tmp/mono1000
//	/usr/bin/time -v sh -c 'find . -type f | wc -l'
//	/usr/bin/time -v /tmp/venv2flox migrate --dry-run -r . > /dev/null
//
// Set VENV2FLOX_BENCH_TREE to a generated tree to benchmark it instead of
// generating one (its project count is then read from the tree).
package migrate

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/venv2flox/venv2flox/fixtures"
)

func BenchmarkPrepareMonorepo(b *testing.B) {
	for _, n := range []int{100, 1000} {
		// Generated once per size, outside the timer: sub-benchmarks run
		// their function several times while b.N is calibrated.
		dir := b.TempDir()
		if _, err := fixtures.GenerateMonorepo(dir, n); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("projects=%d", n), func(b *testing.B) {
			benchmarkPrepare(b, dir, n)
		})
	}
}

// BenchmarkPrepareTree benchmarks a tree generated beforehand (see the top
// of this file); it is skipped unless VENV2FLOX_BENCH_TREE is set.
func BenchmarkPrepareTree(b *testing.B) {
	dir := os.Getenv("VENV2FLOX_BENCH_TREE")
	if dir == "" {
		b.Skip("VENV2FLOX_BENCH_TREE is not set")
	}
	roots, err := Discover(os.DirFS(dir), DiscoverOptions{})
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPrepare(b, dir, len(roots))
}

func benchmarkPrepare(b *testing.B, dir string, projects int) {
	b.ReportAllocs()
	for b.Loop() {
		res, err := Prepare(os.DirFS(dir), Options{Recursive: true, RootName: filepath.Base(dir)})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Projects) != projects || res.Failed() {
			b.Fatalf("%d projects (failed: %v), want %d", len(res.Projects), res.Failed(), projects)
		}
	}
	b.ReportMetric(float64(projects)*float64(b.N)/b.Elapsed().Seconds(), "projects/s")
}

// BenchmarkPrepareSingleProject runs Prepare on the flask-requirements
// fixture, as `venv2flox migrate --dry-run` does for one project.
func BenchmarkPrepareSingleProject(b *testing.B) {
	dir := filepath.Join(fixtures.Dir(), "flask-requirements")
	if _, err := os.Stat(filepath.Join(dir, "src")); err == nil {
		dir = filepath.Join(dir, "src") // the fixture's tree, when kept beside its golden files
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Prepare(os.DirFS(dir), Options{RootName: "flask-requirements"})
		if err != nil {
			b.Fatal(err)
		}
		if !res.Pending() {
			b.Fatal("nothing to migrate")
		}
	}
}
