package rewrite

import (
	"testing"

	"github.com/venv2flox/venv2flox/detect"
)

// TestEveryKindHasARewriteEntry checks the rewriters table against the
// kinds detect reads: each has a rewriter or says why it has none, and the
// table names no kind detect does not read.
func TestEveryKindHasARewriteEntry(t *testing.T) {
	known := map[detect.FileKind]bool{}
	for _, k := range detect.Kinds() {
		known[k] = true
		rw, ok := rewriters[k]
		switch {
		case !ok:
			t.Errorf("kind %q has no row in rewrite's table (rewrite.go): give it a rewriter, or say why it has none", k)
		case (rw.fn == nil) == (rw.never == ""):
			t.Errorf("kind %q: a row has a rewriter or a reason for none, not both or neither", k)
		}
	}
	for k := range rewriters {
		if !known[k] {
			t.Errorf("kind %q is in rewrite's table but detect does not read it", k)
		}
	}
}
