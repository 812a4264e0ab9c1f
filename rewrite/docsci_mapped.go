package rewrite

import (
	"sort"
	"strings"
)

// dcMapped is a shell snippet assembled from lines of a file (a README code
// block without its prompts, a YAML block scalar without its indentation),
// with the map back to file offsets so that edits planned over the snippet
// become edits of the file.
type dcMapped struct {
	text  string
	lines []dcMappedLine
	nl    string // the file's line terminator, for inserted lines
}

// dcMappedLine is one snippet line and the file bytes it stands for.
type dcMappedLine struct {
	textStart int    // offset of the line in text
	fileText  int    // file offset of the same byte
	fileStart int    // start of the file line(s) the snippet line owns
	fileEnd   int    // end of them, newline included
	prefix    string // indentation and prompt written before inserted lines
}

// add appends a snippet line whose text content starts at file offset
// fileText, on the file line [fileStart, fileEnd).
func (m *dcMapped) add(content string, fileStart, fileText, fileEnd int, prefix string) {
	m.lines = append(m.lines, dcMappedLine{textStart: len(m.text), fileText: fileText,
		fileStart: fileStart, fileEnd: fileEnd, prefix: prefix})
	m.text += content + "\n"
}

// attach makes the last snippet line own more file lines (a console
// block's output lines), so they go when the command goes.
func (m *dcMapped) attach(fileEnd int) {
	if n := len(m.lines); n > 0 {
		m.lines[n-1].fileEnd = fileEnd
	}
}

// lineAt returns the snippet line holding offset off.
func (m *dcMapped) lineAt(off int) int {
	i := sort.Search(len(m.lines), func(i int) bool { return m.lines[i].textStart > off })
	return max(i-1, 0)
}

// lineStarting returns the snippet line that starts at off, len(lines) for
// the end of the text, or -1.
func (m *dcMapped) lineStarting(off int) int {
	if off >= len(m.text) {
		return len(m.lines)
	}
	i := m.lineAt(off)
	if m.lines[i].textStart == off {
		return i
	}
	return -1
}

// toFile converts snippet edits to file edits. It fails for an edit that
// spans lines without covering them whole.
func (m *dcMapped) toFile(edits []Edit) ([]Edit, bool) {
	var out []Edit
	for _, e := range edits {
		if len(m.lines) == 0 {
			return nil, false
		}
		first, last := m.lineStarting(e.Start), m.lineStarting(e.End)
		if first == len(m.lines) && e.Start == e.End && strings.HasSuffix(e.Text, "\n") {
			// Lines added at the end go after the last line, as it is written.
			l := m.lines[len(m.lines)-1]
			var b strings.Builder
			for _, t := range strings.SplitAfter(e.Text, "\n") {
				if t != "" {
					b.WriteString(l.prefix + strings.TrimSuffix(t, "\n") + m.nl)
				}
			}
			out = append(out, Edit{Start: l.fileEnd, End: l.fileEnd, Text: b.String()})
			continue
		}
		if first >= 0 && first < len(m.lines) && last >= first && (e.Text == "" || strings.HasSuffix(e.Text, "\n")) {
			fe := Edit{Start: m.lines[first].fileStart, End: m.lines[first].fileStart}
			if last > first {
				fe.End = m.lines[last-1].fileEnd
			}
			var b strings.Builder
			for _, l := range strings.SplitAfter(e.Text, "\n") {
				if l == "" {
					continue
				}
				b.WriteString(m.lines[first].prefix + strings.TrimSuffix(l, "\n") + m.nl)
			}
			fe.Text = b.String()
			out = append(out, fe)
			continue
		}
		li := m.lineAt(e.Start)
		lineEnd := len(m.text)
		if li+1 < len(m.lines) {
			lineEnd = m.lines[li+1].textStart
		}
		if e.End >= lineEnd || strings.Contains(e.Text, "\n") {
			return nil, false
		}
		l := m.lines[li]
		out = append(out, Edit{Start: l.fileText + e.Start - l.textStart, End: l.fileText + e.End - l.textStart, Text: e.Text})
	}
	return out, true
}

// dcFileLines returns, for each line of src, its start offset, the end of
// its content (before "\r\n" or "\n") and its end (after the newline).
func dcFileLines(src []byte) (starts, contentEnds, ends []int) {
	i := 0
	for i < len(src) {
		starts = append(starts, i)
		j := i
		for j < len(src) && src[j] != '\n' {
			j++
		}
		ce := j
		if ce > i && src[ce-1] == '\r' {
			ce--
		}
		contentEnds = append(contentEnds, ce)
		if j < len(src) {
			j++
		}
		ends = append(ends, j)
		i = j
	}
	return starts, contentEnds, ends
}

// dcIndent returns the leading spaces of a line.
func dcIndent(line string) int {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n
}
