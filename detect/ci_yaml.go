package detect

import (
	"errors"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/venv2flox/venv2flox/internal/yamldoc"
)

// CI files are YAML read as yaml.v3 nodes, which keep every value's line,
// so that a `run:` block's shell facts point at their exact file lines.

// parseYAMLFile parses f and returns its top-level node (a mapping for any
// CI file), or nil after recording a Problem.
func parseYAMLFile(s *scanner, f *textFile) (root *yaml.Node) {
	doc, err := yamldoc.Parse([]byte(f.Text))
	if pe := (*yamldoc.PanicError)(nil); errors.As(err, &pe) {
		s.problem(f.Ev(0), pe.Error())
		return nil
	}
	if err != nil {
		s.problem(f.Ev(ciYAMLErrorLine(err)), "YAML: "+ciYAMLErrorMessage(err))
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	n := resolveAlias(doc.Content[0])
	if n.Kind != yaml.MappingNode {
		if n.Kind != 0 && !(n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
			s.problem(f.Ev(n.Line), "YAML: the top level is not a mapping")
		}
		return nil
	}
	return n
}

// ciYAMLErrorLine reads the line of "yaml: line 12: ..." errors: the YAML
// package gives it only in the message.
func ciYAMLErrorLine(err error) int {
	msg := err.Error()
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	_, rest, ok := strings.Cut(msg, "line ")
	if !ok {
		return 0
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	line, _ := strconv.Atoi(rest[:n])
	return line
}

func ciYAMLErrorMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
		return rest
	}
	return msg
}

// The node accessors are internal/yamldoc's, which the call graph uses
// too; detect keeps its short names for them.
var (
	resolveAlias = yamldoc.Resolve
	yamlPairs    = yamldoc.Pairs
	yamlGet      = yamldoc.Get
	yamlPath     = yamldoc.Path
	yamlScalar   = yamldoc.Scalar
	yamlItems    = yamldoc.Items
	yamlTrue     = yamldoc.True
)

// yamlShellText returns the shell code of a scalar with its file lines.
// Literal blocks (`run: |`) map line by line from the line after the
// indicator; folded, plain and quoted scalars are located piece by piece
// in the file, since YAML joined their lines. mask replaces template
// expressions with same-length placeholders (nil: GitHub's `${{ }}`).
func yamlShellText(lines []string, n *yaml.Node, ph *placeholders, mask func(string, *placeholders) string) shellText {
	if mask == nil {
		mask = func(s string, ph *placeholders) string { return maskTemplates(s, ph) }
	}
	src := mask(n.Value, ph)
	var t shellText
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		t = linesFrom(src, n.Line+1)
	case !strings.Contains(n.Value, "\n") && n.Style&yaml.FoldedStyle == 0 && !yamlSpansLines(lines, n):
		t = linesFrom(src, n.Line)
	default:
		t = segmentedText(src, yamlSegments(lines, n, n.Value)) // same offsets: masks keep lengths
	}
	t.restore = ph.replacer()
	t.render = ph.renderer()
	return t
}

// yamlSpansLines reports whether a flow scalar continues past its first line.
func yamlSpansLines(lines []string, n *yaml.Node) bool {
	if n.Line < 1 || n.Line > len(lines) {
		return false
	}
	l := lines[n.Line-1]
	if n.Column-1 > len(l) || n.Column < 1 {
		return false
	}
	return !strings.Contains(l[n.Column-1:], strings.TrimSpace(n.Value))
}

// yamlSegments finds where each file line's text lands in the value of a
// folded, plain or quoted scalar.
func yamlSegments(lines []string, n *yaml.Node, value string) []lineSeg {
	first := n.Line
	segs := []lineSeg{{0, first}}
	if n.Style&yaml.FoldedStyle != 0 {
		first++
		segs[0].line = first
	}
	cursor := 0
	for ln := first; ln <= len(lines) && cursor < len(value); ln++ {
		piece := lines[ln-1]
		if ln == n.Line && n.Style&yaml.FoldedStyle == 0 && n.Column >= 1 && n.Column-1 <= len(piece) {
			piece = piece[n.Column-1:]
		}
		piece = strings.Trim(strings.TrimSpace(piece), "\"'")
		if piece == "" {
			continue
		}
		i := strings.Index(value[cursor:], piece)
		if i < 0 {
			// An escape changed the text; keep what was found so far.
			break
		}
		segs = append(segs, lineSeg{cursor + i, ln})
		cursor += i + len(piece)
	}
	return segs
}

// yamlLastLine returns the last file line a node's text reaches: the
// deepest of its children, or the last line of a block scalar.
func yamlLastLine(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	last := n.Line
	if n.Kind == yaml.ScalarNode {
		lines := strings.Count(strings.TrimRight(n.Value, "\n"), "\n")
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			lines++ // the value starts on the line after `|`
		}
		last += lines
	}
	for _, c := range n.Content {
		last = max(last, yamlLastLine(c))
	}
	return last
}
