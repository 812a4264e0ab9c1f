package rewrite

import "testing"

func TestJustfileGolden(t *testing.T) {
	runGolden(t, "justfile", testContext, Justfile, nil)
}
