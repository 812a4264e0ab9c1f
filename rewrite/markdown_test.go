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
