package rewrite

import (
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// Prose often teaches the venv in inline code: "activate it with
// `source .venv/bin/activate`". Rewriting a sentence is not safe (the words
// around the code would no longer match), so such spans are reported.

// inlineVenvFollowUps reports the venv commands in inline code outside the
// code blocks.
func (r *docRewriter) inlineVenvFollowUps(blocks []docBlock) {
	inBlock := make([]bool, len(r.starts))
	for _, b := range blocks {
		for l := b.openLine; l <= b.last+1 && l < len(inBlock); l++ {
			inBlock[l] = true
		}
	}
	for l := range r.starts {
		if inBlock[l] || r.leftIn[r.sections[l]] {
			continue
		}
		for _, code := range inlineCode(r.line(l)) {
			if inlineVenvCommand(code) {
				r.followUps = append(r.followUps, FollowUp{Evidence: detect.Evidence{Path: r.path, Line: l + 1},
					Message:    "the text still teaches the venv: `" + code + "`",
					Suggestion: "Say `flox activate` instead: it builds and enters the environment, venv included."})
				break
			}
		}
	}
}

// inlineCode returns the contents of a line's code spans, each between
// equal runs of backticks.
func inlineCode(line string) []string {
	var out []string
	for i := 0; i < len(line); {
		if line[i] != '`' {
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		fence := line[i : i+n]
		end := strings.Index(line[i+n:], fence)
		if end < 0 {
			break
		}
		out = append(out, strings.TrimSpace(line[i+n:i+n+end]))
		i += n + end + n
	}
	return out
}

// inlineVenvCommand reports a span that creates or activates a venv:
// `source .venv/bin/activate`, `.venv\Scripts\activate`, `python3 -m venv
// .venv`, `virtualenv env`.
func inlineVenvCommand(code string) bool {
	f := strings.Fields(strings.TrimPrefix(code, "$ "))
	if len(f) == 0 {
		return false
	}
	switch c := venvcmd.Classify(f); c.Kind {
	case venvcmd.Create:
		// A venv of the project's own, not pyenv's or a manager's.
		return c.Tool == "python" || c.Tool == "virtualenv" || c.Tool == "uv"
	case venvcmd.Activate:
		return c.Tool == "venv" || c.Tool == "" // source X/bin/activate, X\Scripts\activate
	}
	return false
}
