package rewrite

import "testing"

func TestToolExcludesGolden(t *testing.T) {
	runGolden(t, "toolexcludes", *dcTestContext(), ToolExcludes, nil)
}

// Tools run over the whole tree get .flox in their settings even where
// those never named the venv.
func TestToolExcludesTreeWalkersGolden(t *testing.T) {
	ctx := *dcTestContext()
	ctx.TreeWalkers = []string{"flake8", "isort"}
	runGolden(t, "toolexcludes-walkers", ctx, ToolExcludes, nil)
}
