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
		"(venv)$ make":    "(venv)$ ",
		"(a b) $ x":       "",
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
	src := "```sh\npython -m venv venv\nsource venv/bin/activate\n```\n\n## Tests\n\n```sh\n. venv/bin/activate\npytest\n```\n"
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

// After a block became `flox activate`, a later block of install steps
// goes, with the sentence that introduced it; a block that enters the venv
// again to run something keeps its own `flox activate`, as does one of
// another section; a numbered step holding only that block goes, and the
// steps after it are renumbered.
func TestLaterInstallBlocksGo(t *testing.T) {
	src := "```bash\npython -m venv .venv\n. .venv/bin/activate\n```\n\nEditable install:\n\n```bash\npython -m pip install -U pip\npython -m pip install -e .\n```\n\n" +
		"Run it:\n\n```bash\n. .venv/bin/activate\npython -m app\n```\n\n" +
		"## Quick start\n\n```bash\nsource .venv/bin/activate\n```\n\n## Steps\n\n1. Install:\n\n   ```bash\n   pip install -e .\n   ```\n\n2. Run.\n"
	res, err := Markdown(dcTestContext(), "CONTRIBUTING.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.New)
	want := "```bash\nflox activate\n```\n\n" + mdInstallNote + "\n\nRun it:\n\n```bash\nflox activate\npython -m app\n```\n\n" +
		"## Quick start\n\n```bash\nflox activate\n```\n\n## Steps\n\n1. Run.\n"
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	again, err := Markdown(dcTestContext(), "CONTRIBUTING.md", res.New)
	if err != nil || string(again.New) != out {
		t.Errorf("second run changed the file:\n%s", again.New)
	}
}

// A venv made before the repository is cloned: `flox activate` comes
// once the clone is entered, and the prose says so.
func TestActivateAfterClone(t *testing.T) {
	src := "## Development\n\nFirst create a virtual environment:\n\n```sh\npython3 -m venv venv\nsource venv/bin/activate\n```\n\n" +
		"Then clone the repository and install it:\n\n```sh\ngit clone https://example.org/app.git\ncd app\n```\n"
	res, err := Markdown(dcTestContext(), "README.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "## Development\n\nThen clone the repository and install it:\n\n```sh\ngit clone https://example.org/app.git\ncd app\nflox activate\n```\n\n" + mdInstallNote + "\n"
	if string(res.New) != want {
		t.Errorf("got:\n%s\nwant:\n%s", res.New, want)
	}
}

// A clone the block does not enter: the reader stays in the folder above
// it, where the steps that follow were written to run (`pip install -r
// app/requirements.txt`), so the environment is entered with -d.
func TestActivateAfterCloneNotEntered(t *testing.T) {
	src := "## Development\n\n```sh\nmkdir -p ~/webapps && cd ~/webapps\npython3 -m venv .venv\nsource .venv/bin/activate\n```\n\n" +
		"Check out the code:\n\n```sh\ngit clone https://example.org/app.git\n```\n"
	res, err := Markdown(dcTestContext(), "README.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.New), "git clone https://example.org/app.git\nflox activate -d app\n") {
		t.Errorf("got:\n%s", res.New)
	}
}

func TestRewordVenvProse(t *testing.T) {
	for in, want := range map[string]string{
		"Clone the repository, then create a virtual environment:": "Clone the repository, then enter the Flox environment:",
		"Create and activate a virtualenv:":                        "Enter the Flox environment:",
		"To manually create a virtualenv on MacOS and Linux:":      "To manually enter the Flox environment on MacOS and Linux:",
		"Always work in the project's virtual environment:":        "Always work in the project's Flox environment:",
		"Work in a virtual environment (venv) please:":             "",
		"Install the package:":                                     "",
	} {
		got, ok := rewordVenvProse(in)
		if want == "" {
			if ok {
				t.Errorf("rewordVenvProse(%q) = %q, want no change", in, got)
			}
			continue
		}
		if !ok || got != want {
			t.Errorf("rewordVenvProse(%q) = %q, %v, want %q", in, got, ok, want)
		}
	}
}
