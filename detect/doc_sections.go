package detect

import "strings"

// Documents are read by section: the recipe a README or CONTRIBUTING file
// gives for development is the shell code under a heading such as
// "Development" or "Setting up a dev environment".

// docHeading is a section title of a document.
type docHeading struct {
	line, level int
	text        string
}

// markdownHeadings finds ATX (`## Title`) and setext (`Title` over `===`
// or `---`) headings outside fenced code blocks.
func markdownHeadings(lines []string) []docHeading {
	var out []docHeading
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if fence != "" {
			if closesFence(l, fence) {
				fence = ""
			}
			continue
		}
		if _, f, _, ok := markdownFence(l); ok {
			fence = f
			continue
		}
		if indentOf(l) >= 4 {
			continue
		}
		if n := len(t) - len(strings.TrimLeft(t, "#")); n >= 1 && n <= 6 && (len(t) == n || t[n] == ' ') {
			out = append(out, docHeading{i + 1, n, strings.TrimSpace(strings.Trim(t[n:], "# "))})
			continue
		}
		if i > 0 && len(t) >= 2 && (strings.Trim(t, "=") == "" || strings.Trim(t, "-") == "") {
			prev := strings.TrimSpace(lines[i-1])
			if prev != "" && !isListItem(prev) && !strings.HasPrefix(prev, "#") {
				level := 1
				if t[0] == '-' {
					level = 2
				}
				out = append(out, docHeading{i, level, prev})
			}
		}
	}
	return out
}

// rstHeadings finds reStructuredText section titles: a line underlined
// (and maybe overlined) with one punctuation character at least as long
// as the title. Levels follow the order the styles first appear.
func rstHeadings(lines []string) []docHeading {
	var out []docHeading
	levels := map[string]int{}
	for i := 1; i < len(lines); i++ {
		under := strings.TrimRight(lines[i], " ")
		title := strings.TrimSpace(lines[i-1])
		if len(under) < 2 || title == "" || len(under) < len(title) || !rstAdornment(under) || rstAdornment(title) {
			continue
		}
		style := under[:1]
		if i >= 2 && strings.TrimRight(lines[i-2], " ") == under {
			style += "/over"
		}
		if _, ok := levels[style]; !ok {
			levels[style] = len(levels) + 1
		}
		out = append(out, docHeading{i, levels[style], title})
	}
	return out
}

// rstAdornment reports a line made of one repeated punctuation character.
func rstAdornment(l string) bool {
	if l == "" || strings.ContainsAny(l[:1], " \tabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") {
		return false
	}
	return strings.Trim(l, l[:1]) == ""
}

// docSetup records the shell blocks of a document with the headings
// they are under.
func (s *scanner) docSetup(path string, blocks []docBlock, headings []docHeading) {
	for _, b := range blocks {
		unix, _, ok := docShellLines(b)
		if !ok || strings.TrimSpace(strings.Join(unix, "")) == "" {
			continue
		}
		src := ShellSource{Path: path, Script: strings.Join(unix, "\n")}
		for i := range unix {
			src.Lines = append(src.Lines, b.first+i)
		}
		s.p.Setup.Docs = append(s.p.Setup.Docs, DocBlock{Headings: headingsAt(headings, b.first), Source: src})
	}
}

// headingsAt returns the titles of the sections a line is in, outermost
// first.
func headingsAt(headings []docHeading, line int) []string {
	var stack []docHeading
	for _, h := range headings {
		if h.line >= line {
			break
		}
		for len(stack) > 0 && stack[len(stack)-1].level >= h.level {
			stack = stack[:len(stack)-1]
		}
		stack = append(stack, h)
	}
	out := make([]string, len(stack))
	for i, h := range stack {
		out[i] = h.text
	}
	return out
}
