package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A single-project run allocates about 1.3 MB and touches about 2.4 MB of
// heap, 4 KB at a time. On virtual machines the first touch of a page can
// cost 15–25 µs, so those 600 faults take longer than the migration's own
// work. Backed by transparent huge pages they are a handful.
const (
	heapChunk = 4 << 20 // the step the Go runtime maps its heap in
	hugePage  = 2 << 20
	pageSize  = 4 << 10
	// shortRunLimit is the heap size at which the collector, off at first,
	// runs once and gets its usual settings back.
	shortRunLimit = 16 << 20
)

// heapProbe is a heap allocation that shows where the heap begins.
var heapProbe *byte

// startShortRun asks for huge pages on the heap a run is about to use.
// Only memory mapped now can be advised (chunks the runtime maps later come
// without the advice), so it makes the runtime map two chunks more by
// allocating a spare block it never touches. The collector stays off until
// the heap reaches shortRunLimit, which single-project runs never do; the
// collection that frees the spare block restores the usual settings, so
// long runs (monorepos) collect as usual. Everything here is best effort:
// without THP nothing changes.
func startShortRun() {
	if os.Getpagesize() != pageSize || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	gcPercent := debug.SetGCPercent(-1)
	memoryLimit := debug.SetMemoryLimit(shortRunLimit)

	heapProbe = new(byte)
	// One page more than a chunk: the runtime maps two chunks for it, and
	// places it at the top of the heap, below the memory allocations use next.
	spare := make([]byte, heapChunk+pageSize)
	runtime.AddCleanup(&spare[0], func(struct{}) {
		debug.SetGCPercent(gcPercent)
		debug.SetMemoryLimit(memoryLimit)
	}, struct{}{})

	bottom := uintptr(unsafe.Pointer(heapProbe))
	top := uintptr(unsafe.Pointer(&spare[0]))
	if top < bottom || top-bottom > heapChunk {
		return // not the layout this relies on
	}
	base := bottom &^ (heapChunk - 1)
	madvise(base, alignUp(top, heapChunk)+2*heapChunk-base, unix.MADV_HUGEPAGE)
	// MADV_HUGEPAGE only applies to regions not touched yet: fold the pages
	// runtime and package initialisation touched into huge pages.
	start := bottom &^ (hugePage - 1)
	madvise(start, alignUp(top, hugePage)-start, unix.MADV_COLLAPSE)
}

func madvise(addr, length uintptr, advice int) {
	unix.Syscall(unix.SYS_MADVISE, addr, length, uintptr(advice))
}

func alignUp(n, to uintptr) uintptr { return (n + to - 1) &^ (to - 1) }
