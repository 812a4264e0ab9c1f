package rewrite

import "testing"

func TestToolExcludesGolden(t *testing.T) {
	runGolden(t, "toolexcludes", *dcTestContext(), ToolExcludes, nil)
}
