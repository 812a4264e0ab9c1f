package main

import (
	"math"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestShortRunCollectorComesBack checks that startShortRun turns the
// collector off and that the first collection gives its settings back, so
// long runs are not left without one. It runs in a fresh test process:
// startShortRun expects the small heap of a starting program.
func TestShortRunCollectorComesBack(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set; startShortRun leaves them alone")
	}
	if os.Getenv("VENV2FLOX_SHORTRUN_TEST") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestShortRunCollectorComesBack$", "-test.v")
		cmd.Env = append(os.Environ(), "VENV2FLOX_SHORTRUN_TEST=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		t.Logf("%s", out)
		return
	}
	startShortRun()
	if gogc, limit := collectorSettings(); gogc != -1 && gogc != 0 || limit != shortRunLimit {
		t.Fatalf("after startShortRun: GOGC %d, limit %d; want off, %d", gogc, limit, shortRunLimit)
	}
	if b, err := os.ReadFile("/proc/self/smaps"); err == nil {
		t.Logf("transparent huge pages backing the process: %d kB", anonHugeKB(string(b)))
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		gogc, limit := collectorSettings()
		if gogc == 100 && limit == math.MaxInt64 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a collection: GOGC %d, limit %d; want 100, no limit", gogc, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func collectorSettings() (gogc, limit int64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
}

func anonHugeKB(smaps string) int {
	total := 0
	for _, line := range strings.Split(smaps, "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "AnonHugePages:" {
			kb, _ := strconv.Atoi(f[1])
			total += kb
		}
	}
	return total
}
