package rewrite

import "testing"

func TestIgnoreFileGolden(t *testing.T) {
	runGolden(t, "ignorefile", testContext, IgnoreFile, nil)
}
