package rewrite

import (
	"strings"
	"testing"
)

func TestInlineVenvFollowUps(t *testing.T) {
	src := "# App\n\n" +
		"1. Create a venv: `python3 -m venv .venv`\n" +
		"2. Activate it with `source .venv/bin/activate` (or ``.venv\\Scripts\\activate.bat`` on Windows).\n" +
		"3. Run `make test`; `pip install -e .` works too.\n" +
		"Set `VIRTUAL_ENV` only when `venv` is not a folder name you use.\n" +
		"```sh\nsource .venv/bin/activate\n```\n"
	res, err := Markdown(&testContext, "README.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, f := range res.FollowUps {
		if strings.Contains(f.Message, "still teaches the venv") {
			lines = append(lines, f.String())
		}
	}
	want := []string{
		"README.md:3: the text still teaches the venv: `python3 -m venv .venv`",
		"README.md:4: the text still teaches the venv: `source .venv/bin/activate`",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("follow-ups:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestInlineVenvCommand(t *testing.T) {
	for code, want := range map[string]bool{
		"source .venv/bin/activate": true, ". venv/bin/activate": true, `.venv\Scripts\activate`: true,
		"env/Scripts/activate.ps1": true, "python3 -m venv .venv": true, "python -m virtualenv env": true,
		"virtualenv env": true, "uv venv": true, "$ source venv/bin/activate.fish": true,
		"source ~/.bashrc": false, "pip install -e .": false, "venv": false, "activate": false,
		"python -m pytest": false, "uv sync": false, "": false,
		// internal/venvcmd's names and wrappers; other tools' environments are not the project's venv.
		"pypy3 -m venv .venv": true, "timeout 600 python3 -m venv .venv": true, "virtualenv": false,
		"poetry shell": false, "workon proj": false, "pyenv virtualenv 3.12 proj": false,
	} {
		if got := inlineVenvCommand(code); got != want {
			t.Errorf("inlineVenvCommand(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestTidyBlanks(t *testing.T) {
	for _, c := range []struct{ in, drop, want string }{
		// The activation went: the blank line before the comment that went
		// with it would end the block.
		{in: "flox activate\n\n# again\nsource .venv/bin/activate\n", drop: "# again\nsource .venv/bin/activate\n", want: "flox activate\n"},
		// Steps between two paragraphs of commands went: one blank stays.
		{in: "make\n\npython -m venv .venv\n\npytest\n", drop: "python -m venv .venv\n", want: "make\n\npytest\n"},
		// Leading blank after removed lines.
		{in: "python -m venv .venv\n\npytest\n", drop: "python -m venv .venv\n", want: "pytest\n"},
		// Blank lines the author wrote, with nothing removed near them, stay.
		{in: "a\n\nb\nc\n", drop: "c\n", want: "a\n\nb\n"},
	} {
		i := strings.Index(c.in, c.drop)
		edits := []Edit{{Start: i, End: i + len(c.drop)}}
		out, err := applyEdits([]byte(c.in), append(edits, tidyBlanks(c.in, edits)...))
		if err != nil || string(out) != c.want {
			t.Errorf("tidyBlanks(%q without %q) = %q (%v), want %q", c.in, c.drop, out, err, c.want)
		}
	}
}
