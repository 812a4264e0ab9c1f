package detect

import "strings"

// Headings tell which part of a README a code block is in: "Installation"
// is for the package's users, "Development" for its contributors.

// docHeading is one section title of a document.
type docHeading struct {
	line  int // file line of the title
	level int // 1 for the top level
	title string
}

// inBlocks marks the 0-based lines that belong to code blocks.
func inBlocks(n int, blocks []docBlock) []bool {
	in := make([]bool, n)
	for _, b := range blocks {
		for l := b.open - 1; l < b.end && l < n; l++ {
			if l >= 0 {
				in[l] = true
			}
		}
	}
	return in
}

// markdownHeadings finds ATX ("## Title") and setext (a title underlined
// with === or ---) headings outside code blocks.
func markdownHeadings(lines []string, blocks []docBlock) []docHeading {
	in := inBlocks(len(lines), blocks)
	var out []docHeading
	for i, l := range lines {
		if in[i] {
			continue
		}
		t := strings.TrimSpace(l)
		if indentOf(l) <= 3 && strings.HasPrefix(t, "#") {
			n := len(t) - len(strings.TrimLeft(t, "#"))
			if n <= 6 && (len(t) == n || t[n] == ' ') {
				out = append(out, docHeading{line: i + 1, level: n, title: strings.TrimSpace(strings.Trim(t, "#"))})
			}
			continue
		}
		if i > 0 && !in[i-1] && len(t) >= 2 && (strings.Trim(t, "=") == "" || strings.Trim(t, "-") == "") {
			prev := strings.TrimSpace(lines[i-1])
			if prev == "" || isListItem(prev) || strings.HasPrefix(prev, "#") {
				continue
			}
			level := 1
			if t[0] == '-' {
				level = 2
			}
			out = append(out, docHeading{line: i, level: level, title: prev})
		}
	}
	return out
}

// rstHeadings finds reStructuredText section titles: a line underlined
// (and maybe overlined) with one punctuation character. Levels follow the
// order in which adornment styles first appear, as docutils assigns them.
func rstHeadings(lines []string, blocks []docBlock) []docHeading {
	in := inBlocks(len(lines), blocks)
	var styles []string
	var out []docHeading
	for i := 1; i < len(lines); i++ {
		t := strings.TrimRight(lines[i], " ")
		title := strings.TrimSpace(lines[i-1])
		if in[i] || in[i-1] || !isAdornment(t) || title == "" || isAdornment(title) || indentOf(lines[i-1]) > 0 || len(t) < len([]rune(title)) {
			continue
		}
		style := t[:1]
		if i >= 2 && strings.TrimRight(lines[i-2], " ") == t {
			style += "/over"
		}
		level := 0
		for j, st := range styles {
			if st == style {
				level = j + 1
			}
		}
		if level == 0 {
			styles = append(styles, style)
			level = len(styles)
		}
		out = append(out, docHeading{line: i, level: level, title: title})
	}
	return out
}

// isAdornment reports a line of one repeated punctuation character, at
// least two long ("=====", "-----", "~~~~"; "^^" under "uv": docutils
// takes an underline as long as its title, however short). "::" is the
// literal block marker.
func isAdornment(t string) bool {
	if len(t) < 2 || t == "::" || !strings.ContainsRune("=-~^*+#'`\":._", rune(t[0])) {
		return false
	}
	return strings.Trim(t, t[:1]) == ""
}

// titlesAt returns the titles of the sections holding file line line,
// outermost first.
func titlesAt(headings []docHeading, line int) []string {
	var chain []docHeading
	for _, h := range headings {
		if h.line >= line {
			break
		}
		for len(chain) > 0 && chain[len(chain)-1].level >= h.level {
			chain = chain[:len(chain)-1]
		}
		chain = append(chain, h)
	}
	out := make([]string, len(chain))
	for i, h := range chain {
		out[i] = h.title
	}
	return out
}

// sectionAt returns the index (1-based) of the heading above file line
// line, 0 before the first heading.
func sectionAt(headings []docHeading, line int) int {
	n := 0
	for i, h := range headings {
		if h.line < line {
			n = i + 1
		}
	}
	return n
}
