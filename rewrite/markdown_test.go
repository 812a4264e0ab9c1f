package rewrite

import (
	"slices"
	"strings"
	"testing"
)

func TestMarkdownGolden(t *testing.T) {
	runGolden(t, "markdown", *dcTestContext(), Markdown, docBlocksParse(false))
}

func TestRSTGolden(t *testing.T) {
	runGolden(t, "rst", *dcTestContext(), RST, docBlocksParse(true))
}

// docBlocksParse checks that every shell block of the rewritten document
// that parsed before still parses.
func docBlocksParse(rst bool) func(t *testing.T, c goldenCase, out []byte) {
	return func(t *testing.T, c goldenCase, out []byte) {
		t.Helper()
		in := c.In
		before := docSnippets(in, rst)
		for i, s := range docSnippets(out, rst) {
			if _, ok := before[i]; !ok {
				continue
			}
			dcMustParseShell(t, "code block", s)
		}
	}
}

// docSnippets returns the shell text of each parseable block by index.
func docSnippets(src []byte, rst bool) map[int]string {
	r := newDocRewriter(dcTestContext(), "x", src, rst)
	blocks := r.markdownBlocks()
	if rst {
		blocks = r.rstBlocks()
	}
	out := map[int]string{}
	for i, b := range blocks {
		if !slices.Contains(docShellLangs, b.lang) || b.last < b.first {
			continue
		}
		m, _ := r.mapBlock(b)
		if dcPlanSnippet(dcTestContext(), m.text, "").ParseErr == nil {
			out[i] = m.text
		}
	}
	return out
}

func TestDocPrompt(t *testing.T) {
	for in, want := range map[string]string{
		"$ pytest":        "$ ",
		"(.venv) $ pip x": "(.venv) $ ",
		"% make":          "% ",
		"$":               "$",
		"pytest":          "",
		"(oops":           "",
		"# comment":       "",
	} {
		if got := docPrompt(in); got != want {
			t.Errorf("docPrompt(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownLinksOncePerFile(t *testing.T) {
	src := "```sh\npython -m venv venv\nsource venv/bin/activate\n```\n\ntext\n\n```sh\n. venv/bin/activate\npytest\n```\n"
	res, err := Markdown(dcTestContext(), "README.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(res.New), dcFloxInstallURL); n != 1 {
		t.Errorf("install link %d times:\n%s", n, res.New)
	}
	if n := strings.Count(string(res.New), "flox activate\n"); n != 2 {
		t.Errorf("flox activate %d times:\n%s", n, res.New)
	}
}

// After a block became `flox activate`, a later block of install steps only
// says where setup happened instead of nesting a second shell; a block that
// enters the venv again keeps its own `flox activate`.
func TestLaterInstallBlocksPointUp(t *testing.T) {
	src := "```bash\npython -m venv .venv\n. .venv/bin/activate\n```\n\nEditable install:\n\n```bash\npython -m pip install -U pip\npython -m pip install -e .\n```\n\n" +
		"## Quick start\n\n```bash\nsource .venv/bin/activate\n```\n"
	res, err := Markdown(dcTestContext(), "CONTRIBUTING.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.New)
	if n := strings.Count(out, "flox activate\n```"); n != 2 {
		t.Errorf("`flox activate` blocks: %d, want 2 (first and quick start):\n%s", n, out)
	}
	if !strings.Contains(out, "```bash\n"+docActivatedAbove+"\n```") {
		t.Errorf("the install block does not point at the first one:\n%s", out)
	}
	again, err := Markdown(dcTestContext(), "CONTRIBUTING.md", res.New)
	if err != nil || string(again.New) != out {
		t.Errorf("second run changed the file:\n%s", again.New)
	}
}
