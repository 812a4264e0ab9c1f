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
