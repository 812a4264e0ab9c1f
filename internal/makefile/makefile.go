// Package makefile parses Makefiles into logical lines with byte offsets,
// once, for detect, the call graph and the rewriter alike: each line says
// what it is (rule, recipe line, assignment, conditional, ...), where it
// is, and for recipe lines which rule they belong to. Conditional lines
// between a rule's recipe lines (ifeq/else/endif at the start of a line)
// keep the recipe going, as make does; a tab-indented one is a recipe
// line, passed to the shell.
package makefile

import (
	"bytes"
	"strings"
)

// Kind is what a logical Makefile line is.
type Kind int

const (
	Other Kind = iota
	Blank
	Comment
	Recipe
	Rule
	Assign
	Conditional // ifeq, ifneq, ifdef, ifndef, else, endif
	Include
	Define // define ... endef, kept as one line
)

// Line is one logical Makefile line: physical lines joined by
// backslash-newline. Offsets are into the whole file.
type Line struct {
	Start, End int // End includes the final newline
	Line       int // 1-based number of the first physical line
	Kind       Kind
	Text       string // the logical line without its final newline (raw)
	OSSwitch   bool   // inside a conditional on the operating system
	Rule       int    // for recipe lines: index of their rule line, else -1
	Nested     bool   // inside any conditional

	// assignments
	Name, Op   string
	Export     bool
	ValueStart int // offset of the value in the file
	ValueEnd   int

	// rules: offsets of the target list and of the prerequisites
	Colon       int // offset of the ':' separating targets from prerequisites
	PrereqStart int
	PrereqEnd   int
	TargetVars  bool // `target: VAR = value`
}

// Parse splits a Makefile into logical lines. It never fails: what
// it does not recognise is Other.
func Parse(src []byte) []Line {
	var lines []Line
	var conds []bool // stack: is this conditional about the OS?
	inRule := -1
	inDefine := false
	prefix := byte('\t') // .RECIPEPREFIX changes it
	off, lineNo := 0, 1
	for off < len(src) {
		start, startLine := off, lineNo
		// Join physical lines ending in an odd number of backslashes.
		for {
			nl := bytes.IndexByte(src[off:], '\n')
			if nl < 0 {
				off = len(src)
				break
			}
			end := off + nl
			content := bytes.TrimSuffix(src[off:end], []byte("\r"))
			off = end + 1
			lineNo++
			if !endsWithContinuation(content) || inDefine {
				break
			}
		}
		l := Line{Start: start, End: off, Line: startLine, Rule: -1}
		l.Text = strings.TrimSuffix(strings.TrimSuffix(string(src[start:off]), "\n"), "\r")
		l.Nested = len(conds) > 0
		for _, os := range conds {
			l.OSSwitch = l.OSSwitch || os
		}
		trimmed := strings.TrimSpace(l.Text)
		word := FirstWord(trimmed)
		switch {
		case inDefine:
			l.Kind = Define
			if word == "endef" {
				inDefine = false
			}
		case l.Text != "" && l.Text[0] == prefix && inRule >= 0:
			l.Kind = Recipe
			l.Rule = inRule
		case trimmed == "":
			l.Kind = Blank
		case strings.HasPrefix(trimmed, "#"):
			l.Kind = Comment
		case word == "ifeq" || word == "ifneq" || word == "ifdef" || word == "ifndef":
			l.Kind = Conditional
			conds = append(conds, isOSCondition(trimmed))
		case word == "else":
			l.Kind = Conditional
			if rest := strings.TrimSpace(strings.TrimPrefix(trimmed, "else")); rest != "" && len(conds) > 0 {
				conds[len(conds)-1] = conds[len(conds)-1] || isOSCondition(rest)
			}
		case word == "endif":
			l.Kind = Conditional
			if len(conds) > 0 {
				conds = conds[:len(conds)-1]
			}
		case word == "include" || word == "-include" || word == "sinclude":
			l.Kind = Include
			inRule = -1
		case word == "define" || isDefinePrefix(trimmed):
			l.Kind = Define
			inDefine = !strings.Contains(trimmed, "endef")
			inRule = -1
		default:
			classifyStatement(&l)
			switch l.Kind {
			case Rule:
				inRule = len(lines)
			case Assign, Other:
				inRule = -1
			}
			if l.Kind == Assign && l.Name == ".RECIPEPREFIX" && l.ValueEnd > l.ValueStart {
				prefix = src[l.ValueStart]
			}
		}
		lines = append(lines, l)
	}
	return lines
}

func endsWithContinuation(b []byte) bool {
	n := 0
	for i := len(b) - 1; i >= 0 && b[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// FirstWord returns the first word of a directive line ("ifeq" of
// "ifeq ($(OS),Windows_NT)").
func FirstWord(s string) string {
	if i := strings.IndexAny(s, " \t("); i >= 0 {
		return s[:i]
	}
	return s
}

func isDefinePrefix(s string) bool {
	f := strings.Fields(s)
	return len(f) >= 2 && (f[0] == "override" || f[0] == "export" || f[0] == "private") && f[1] == "define"
}

func isOSCondition(s string) bool {
	return strings.Contains(s, "Windows_NT") || strings.Contains(s, "$(OS)") || strings.Contains(s, "${OS}") ||
		strings.Contains(s, "uname") || strings.Contains(s, "OSTYPE") || strings.Contains(s, "Darwin")
}

// classifyStatement tells an assignment from a rule by the first ':' or
// '=' outside a $(...) expansion.
func classifyStatement(l *Line) {
	text := l.Text
	pos := 0
	// Modifiers before an assignment.
	for {
		rest := text[pos:]
		trimmed := strings.TrimLeft(rest, " \t")
		w := FirstWord(trimmed)
		if w != "export" && w != "override" && w != "private" {
			break
		}
		after := trimmed[len(w):]
		if after == "" || !(after[0] == ' ' || after[0] == '\t') {
			break
		}
		if w == "export" {
			l.Export = true
		}
		pos += len(rest) - len(trimmed) + len(w)
	}
	depth := 0
	for i := pos; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '$' && i+1 < len(text) && (text[i+1] == '(' || text[i+1] == '{'):
			depth++
			i++
		case (c == ')' || c == '}') && depth > 0:
			depth--
		case depth > 0:
		case c == '#':
			l.Kind = Other
			return
		case c == '=':
			op := "="
			nameEnd := i
			if i > pos && strings.IndexByte("?+!", text[i-1]) >= 0 {
				op = text[i-1 : i+1]
				nameEnd = i - 1
			}
			setAssign(l, pos, nameEnd, op, i+1)
			return
		case c == ':':
			j := i
			for j < len(text) && text[j] == ':' {
				j++
			}
			if j < len(text) && text[j] == '=' && j-i <= 3 {
				setAssign(l, pos, i, text[i:j+1], j+1)
				return
			}
			l.Kind = Rule
			l.Colon = l.Start + i
			ps := j
			pe := len(text)
			rest := text[j:]
			if k := strings.IndexAny(rest, ";#"); k >= 0 {
				pe = j + k
			}
			if strings.Contains(text[j:pe], "=") && !strings.Contains(text[j:pe], "$(") {
				l.TargetVars = true
			}
			l.PrereqStart, l.PrereqEnd = l.Start+ps, l.Start+pe
			return
		}
	}
	l.Kind = Other
}

func setAssign(l *Line, nameStart, nameEnd int, op string, valueStart int) {
	name := strings.TrimSpace(l.Text[nameStart:nameEnd])
	if name == "" || strings.ContainsAny(name, " \t") {
		l.Kind = Other
		return
	}
	l.Kind = Assign
	l.Name, l.Op = name, op
	for valueStart < len(l.Text) && (l.Text[valueStart] == ' ' || l.Text[valueStart] == '\t') {
		valueStart++
	}
	// The value ends at an unescaped '#' outside expansions, without the
	// spaces before it.
	end, depth := len(l.Text), 0
	for i := valueStart; i < len(l.Text); i++ {
		switch c := l.Text[i]; {
		case c == '$' && i+1 < len(l.Text) && (l.Text[i+1] == '(' || l.Text[i+1] == '{'):
			depth++
			i++
		case (c == ')' || c == '}') && depth > 0:
			depth--
		case c == '#' && depth == 0 && (i == 0 || l.Text[i-1] != '\\'):
			end = i
			i = len(l.Text)
		}
	}
	for end > valueStart && (l.Text[end-1] == ' ' || l.Text[end-1] == '\t') {
		end--
	}
	l.ValueStart = l.Start + valueStart
	l.ValueEnd = l.Start + end
}

// Ref is one make expansion found in text.
type Ref struct {
	Start, End int    // offsets in the scanned text
	Name       string // "$(NAME)" for variable references, "$(...)" for functions, "$$" for an escaped dollar
}

// Refs finds the make expansions in text: $(NAME), ${NAME}, $X, $$
// and function calls, with nesting.
func Refs(text string) []Ref {
	var out []Ref
	for i := 0; i < len(text); i++ {
		if text[i] != '$' || i+1 >= len(text) {
			continue
		}
		c := text[i+1]
		switch {
		case c == '$':
			out = append(out, Ref{Start: i, End: i + 2, Name: "$$"})
			i++
		case c == '(' || c == '{':
			closer := byte(')')
			if c == '{' {
				closer = '}'
			}
			depth, j := 0, i+1
			for ; j < len(text); j++ {
				if text[j] == c {
					depth++
				} else if text[j] == closer {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if j >= len(text) {
				return out // unterminated: stop, make would fail too
			}
			inner := text[i+2 : j]
			name := "$(...)"
			if IsVarName(inner) {
				name = "$(" + inner + ")"
			}
			out = append(out, Ref{Start: i, End: j + 1, Name: name})
			i = j
		default:
			out = append(out, Ref{Start: i, End: i + 2, Name: "$(" + string(c) + ")"})
			i++
		}
	}
	return out
}

func IsVarName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c == ' ' || c == '\t' || c == ':' || c == ',' || c == '$' || c == '(' || c == ')' || c == '=' || c == '#' {
			return false
		}
	}
	return true
}

// Words splits make text into whitespace-separated words, keeping
// expansions whole. It returns the words and their offsets in text.
func Words(text string) ([]string, []int) {
	var words []string
	var offs []int
	refs := Refs(text)
	r := 0
	i := 0
	for i < len(text) {
		if text[i] == ' ' || text[i] == '\t' {
			i++
			continue
		}
		start := i
		for i < len(text) && text[i] != ' ' && text[i] != '\t' {
			for r < len(refs) && refs[r].End <= i {
				r++
			}
			if r < len(refs) && refs[r].Start == i {
				i = refs[r].End
				continue
			}
			i++
		}
		words = append(words, text[start:i])
		offs = append(offs, start)
	}
	return words, offs
}
