package callgraph

import (
	"testing"

	"github.com/venv2flox/venv2flox/detect"
)

// TestEveryKindHasAReaderEntry checks the readers table against the kinds
// detect reads: each is read for the entry points it runs, or says why
// not, and the table names no kind detect does not read.
func TestEveryKindHasAReaderEntry(t *testing.T) {
	known := map[detect.FileKind]bool{}
	for _, k := range detect.Kinds() {
		known[k] = true
		r, ok := readers[k]
		switch {
		case !ok:
			t.Errorf("kind %q has no row in the call graph's readers table (graph.go): read it, or say why its files run no entry point", k)
		case (r.read == nil) == (r.none == ""):
			t.Errorf("kind %q: a row has a reader or a reason for none, not both or neither", k)
		}
	}
	for k := range readers {
		if !known[k] {
			t.Errorf("kind %q is in the readers table but detect does not read it", k)
		}
	}
}
