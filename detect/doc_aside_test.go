package detect

import (
	"strings"
	"testing"
)

// TestDocAside: notes, tips and blocks introduced as another way are
// asides; the steps of the main path are not.
func TestDocAside(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		rst       bool
		want      []bool // per block
	}{
		{"main path, then alternatives", "## Setup\n\nCreate a venv:\n\n```bash\npython -m venv .venv\n```\n\n" +
			"Alternatively, with conda:\n\n```bash\nconda create -n x\n```\n\nOr, with uv:\n\n```bash\nuv sync\n```\n\n" +
			"If you are using Poetry, run:\n\n```bash\npoetry install\n```\n\nThen install the hooks:\n\n```bash\npre-commit install\n```\n",
			false, []bool{false, true, true, true, false}},
		{"a conditional step of the main path is not an aside", "If you have not cloned it yet:\n\n```bash\ngit clone x\n```\n\n" +
			"If you want to build the docs too:\n\n```bash\npip install -r docs/requirements.txt\n```\n",
			false, []bool{false, false}},
		{"mkdocs admonition", "Install:\n\n```bash\npip install -e .\n```\n\n!!! tip \"Faster\"\n    Use uv:\n\n    ```bash\n    uv pip install -e .\n    ```\n",
			false, []bool{false, true}},
		{"numbered list item with an alternative", "1. Install:\n\n   ```bash\n   pip install -e .\n   ```\n\n   Alternatively, if you prefer uv:\n\n   ```bash\n   uv pip install -e .\n   ```\n",
			false, []bool{false, true}},
		{"rst note", "Install::\n\n   $ uv sync\n\n.. note::\n\n   To keep the docs group, use::\n\n      $ uv sync --group docs --inexact\n",
			true, []bool{false, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := strings.Split(tc.doc, "\n")
			blocks := markdownBlocks(lines)
			if tc.rst {
				blocks = rstBlocks(lines)
			}
			if len(blocks) != len(tc.want) {
				t.Fatalf("%d blocks, want %d", len(blocks), len(tc.want))
			}
			for i, b := range blocks {
				if got := docAside(lines, b); got != tc.want[i] {
					t.Errorf("block %d (%q): aside %v, want %v (lead-in %q)", i, b.lines, got, tc.want[i], leadIn(lines, b))
				}
			}
		})
	}
}
