package rewrite

// Editing YAML files by the positions of go.yaml.in/yaml/v3 nodes: the
// parser finds what to change, byte ranges derived from node lines and
// columns say where, and the rest of the file stays byte-identical.

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/venv2flox/venv2flox/internal/yamldoc"
)

// yeDoc is a parsed YAML file with the line tables for offset lookups.
type yeDoc struct {
	src                       []byte
	root                      *yaml.Node // the top-level mapping
	starts, contentEnds, ends []int
	nl                        string
}

// yeParse parses the first document of src; its top level must be a mapping.
func yeParse(src []byte) (*yeDoc, error) {
	doc, err := yamldoc.Parse(src)
	if err != nil {
		return nil, err
	}
	root := yamldoc.Root(doc)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, errors.New("not a YAML mapping")
	}
	d := &yeDoc{src: src, root: root, nl: newline(src)}
	d.starts, d.contentEnds, d.ends = dcFileLines(src)
	return d, nil
}

// line returns the content of 1-based line l without its terminator.
func (d *yeDoc) line(l int) string {
	if l < 1 || l > len(d.starts) {
		return ""
	}
	return string(d.src[d.starts[l-1]:d.contentEnds[l-1]])
}

// offset returns the byte offset of a node's first character, or -1.
// yaml.v3 counts columns in characters, not bytes.
func (d *yeDoc) offset(n *yaml.Node) int {
	if n == nil || n.Line < 1 || n.Line > len(d.starts) || n.Column < 1 {
		return -1
	}
	off, end := d.starts[n.Line-1], d.contentEnds[n.Line-1]
	for c := 1; c < n.Column; c++ {
		if off >= end {
			return -1
		}
		_, w := utf8.DecodeRune(d.src[off:end])
		off += w
	}
	return off
}

// yeGet returns the key and value nodes of key in mapping m.
func yeGet(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// yeValue returns the value of key in m.
func yeValue(m *yaml.Node, key string) *yaml.Node {
	_, v := yeGet(m, key)
	return v
}

// yeString returns the value of key in m when it is a scalar.
func yeString(m *yaml.Node, key string) string {
	_, v := yeGet(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// blockEnd returns the end offset of the block that starts on 1-based line
// first at indentation col: following lines belong to it while they are
// blank or indented deeper. Trailing blank lines are left out.
// With seqAtCol, "- " lines at indentation col belong to it too: YAML lets
// a mapping's sequence value sit at its key's indentation.
func (d *yeDoc) blockEnd(first, col int, seqAtCol bool) int {
	last := first
	for l := first + 1; l <= len(d.starts); l++ {
		t := d.line(l)
		if strings.TrimSpace(t) == "" {
			continue
		}
		if ind := dcIndent(t); ind < col || ind == col && !(seqAtCol && (t[ind:] == "-" || strings.HasPrefix(t[ind:], "- "))) {
			break
		}
		last = l
	}
	return d.ends[last-1]
}

// yeItem is a block sequence item's extent.
type yeItem struct {
	start, end int // whole lines, from the dash's line start
	dash       int // column of the dash
	indent     string
}

// item returns the extent of a block sequence item. It fails for flow
// sequences and for items that share their dash's line with another node.
func (d *yeDoc) item(n *yaml.Node) (yeItem, bool) {
	off := d.offset(n)
	if off < 0 {
		return yeItem{}, false
	}
	ls := d.starts[n.Line-1]
	p := off - 1
	for p >= ls && d.src[p] == ' ' {
		p--
	}
	if p < ls || d.src[p] != '-' || strings.TrimLeft(string(d.src[ls:p]), " ") != "" {
		return yeItem{}, false
	}
	col := p - ls
	return yeItem{start: ls, end: d.blockEnd(n.Line, col, false), dash: col, indent: string(d.src[ls:p])}, true
}

// entry returns the extent of a block mapping entry (key line through the
// value's last line) when the key starts its line.
func (d *yeDoc) entry(k, v *yaml.Node) (start, end int, ok bool) {
	off := d.offset(k)
	if off < 0 {
		return 0, 0, false
	}
	ls := d.starts[k.Line-1]
	if strings.TrimLeft(string(d.src[ls:off]), " ") != "" {
		return 0, 0, false
	}
	return ls, d.blockEnd(k.Line, off-ls, v != nil && v.Kind == yaml.SequenceNode), true
}

// snippet maps a scalar holding shell code to a dcMapped: literal block
// scalars (`run: |`) line by line without their indentation, plain
// single-line scalars as they are. Quoted and folded scalars fail.
func (d *yeDoc) snippet(v *yaml.Node) (*dcMapped, bool) {
	if v == nil || v.Kind != yaml.ScalarNode {
		return nil, false
	}
	off := d.offset(v)
	if off < 0 {
		return nil, false
	}
	m := &dcMapped{nl: d.nl}
	switch {
	case v.Style&yaml.LiteralStyle != 0:
		hdr := string(d.src[off:d.contentEnds[v.Line-1]])
		ind := strings.TrimLeft(hdr[1:], "+-")
		if ind != "" && ind[0] >= '1' && ind[0] <= '9' {
			return nil, false // explicit indentation: rare enough to leave
		}
		if t := strings.TrimSpace(ind); t != "" && !strings.HasPrefix(t, "#") {
			return nil, false
		}
		indent := -1
		lastContent := -1
		for l := v.Line + 1; l <= len(d.starts); l++ {
			t := d.line(l)
			blank := strings.TrimSpace(t) == ""
			if !blank {
				if indent < 0 {
					indent = dcIndent(t)
				}
				if dcIndent(t) < indent {
					break
				}
			}
			content := ""
			if indent >= 0 && len(t) > indent {
				content = t[indent:]
			}
			if indent < 0 && blank {
				content = ""
			}
			m.add(content, d.starts[l-1], d.starts[l-1]+min(max(indent, 0), len(t)), d.ends[l-1], strings.Repeat(" ", max(indent, 0)))
			if !blank {
				lastContent = len(m.lines) - 1
			}
		}
		if lastContent < 0 {
			return nil, false
		}
		m.lines = m.lines[:lastContent+1]
		ls := m.lines[lastContent].textStart
		m.text = m.text[:ls+strings.IndexByte(m.text[ls:], '\n')+1]
		if strings.TrimRight(m.text, "\n") != strings.TrimRight(v.Value, "\n") {
			return nil, false
		}
		return m, true
	case v.Style == 0 && !strings.Contains(v.Value, "\n"):
		if !bytes.HasPrefix(d.src[off:], []byte(v.Value)) {
			return nil, false
		}
		m.add(v.Value, off, off, off+len(v.Value), "")
		return m, true
	}
	return nil, false
}

// scalarRange returns the byte range of a single-line scalar as written,
// quotes included.
func (d *yeDoc) scalarRange(v *yaml.Node) (int, int, bool) {
	off := d.offset(v)
	if off < 0 || v.Kind != yaml.ScalarNode {
		return 0, 0, false
	}
	end := d.contentEnds[v.Line-1]
	switch {
	case v.Style&yaml.SingleQuotedStyle != 0:
		for i := off + 1; i < end; i++ {
			if d.src[i] == '\'' {
				if i+1 < end && d.src[i+1] == '\'' {
					i++
					continue
				}
				return off, i + 1, true
			}
		}
	case v.Style&yaml.DoubleQuotedStyle != 0:
		for i := off + 1; i < end; i++ {
			switch d.src[i] {
			case '\\':
				i++
			case '"':
				return off, i + 1, true
			}
		}
	case v.Style == 0 && !strings.Contains(v.Value, "\n") && bytes.HasPrefix(d.src[off:], []byte(v.Value)):
		return off, off + len(v.Value), true
	}
	return 0, 0, false
}

// yeQuote renders s as a YAML scalar on one line: plain when that reads
// back as the same string, else double-quoted.
func yeQuote(s string) string {
	if s != "" && !strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") && strings.TrimSpace(s) == s &&
		!strings.Contains(s, ": ") && !strings.Contains(s, " #") && !strings.ContainsAny(s, "\n\r\t") {
		var out map[string]any
		if yaml.Unmarshal([]byte("k: "+s), &out) == nil {
			if got, ok := out["k"].(string); ok && got == s {
				return s
			}
		}
	}
	return strconv.Quote(s)
}

// removal widens a block item's extent for deleting it: comment lines
// right above it at its indentation describe it and go too, and when a
// blank line follows it the blank lines before it go, so that removing
// steps neither stacks nor loses the empty lines between them.
func (d *yeDoc) removal(n *yaml.Node, it yeItem) (int, int) {
	start, end := it.start, it.end
	l := n.Line - 1 // 1-based line above the item
	for l >= 1 {
		t := d.line(l)
		if dcIndent(t) != it.dash || !strings.HasPrefix(strings.TrimSpace(t), "#") {
			break
		}
		start = d.starts[l-1]
		l--
	}
	next := dcLineOf(d.starts, end) + 1 // 1-based line after the item
	if end < len(d.src) && strings.TrimSpace(d.line(next)) == "" {
		for l >= 1 && strings.TrimSpace(d.line(l)) == "" {
			start = d.starts[l-1]
			l--
		}
	}
	return start, end
}

// replaceScalar returns the edit that gives scalar v a new value, keeping
// its style where it can: a literal block keeps its header and
// indentation, a single-line scalar is requoted as needed.
func (d *yeDoc) replaceScalar(v *yaml.Node, value string) (Edit, bool) {
	if v.Style&yaml.LiteralStyle != 0 {
		m, ok := d.snippet(v)
		if !ok {
			return Edit{}, false
		}
		first, last := m.lines[0], m.lines[len(m.lines)-1]
		var b strings.Builder
		for _, l := range strings.Split(strings.TrimRight(value, "\n"), "\n") {
			if l != "" {
				b.WriteString(first.prefix + l)
			}
			b.WriteString(d.nl)
		}
		return Edit{Start: first.fileStart, End: last.fileEnd, Text: b.String()}, true
	}
	if strings.Contains(value, "\n") {
		return Edit{}, false
	}
	s, e, ok := d.scalarRange(v)
	return Edit{Start: s, End: e, Text: yeQuote(value)}, ok
}
