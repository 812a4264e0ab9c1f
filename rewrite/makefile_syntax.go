package rewrite

import (
	"bytes"
	"strings"
)

// mkKind is what a logical Makefile line is.
type mkKind int

const (
	mkOther mkKind = iota
	mkBlank
	mkComment
	mkRecipe
	mkRule
	mkAssign
	mkConditional // ifeq, ifneq, ifdef, ifndef, else, endif
	mkInclude
	mkDefine // define ... endef, kept as one line
)

// mkLine is one logical Makefile line: physical lines joined by
// backslash-newline. Offsets are into the whole file.
type mkLine struct {
	start, end int // end includes the final newline
	line       int // 1-based number of the first physical line
	kind       mkKind
	text       string // the logical line without its final newline (raw)
	osSwitch   bool   // inside a conditional on the operating system
	rule       int    // for recipe lines: index of their rule line, else -1
	nested     bool   // inside any conditional

	// assignments
	name, op   string
	export     bool
	valueStart int // offset of the value in the file
	valueEnd   int

	// rules: offsets of the target list and of the prerequisites
	colon       int // offset of the ':' separating targets from prerequisites
	prereqStart int
	prereqEnd   int
	targetVars  bool // `target: VAR = value`
}

// parseMakefile splits a Makefile into logical lines. It never fails: what
// it does not recognise is mkOther.
func parseMakefile(src []byte) []mkLine {
	var lines []mkLine
	var conds []bool // stack: is this conditional about the OS?
	inRule := -1
	inDefine := false
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
		l := mkLine{start: start, end: off, line: startLine, rule: -1}
		l.text = strings.TrimSuffix(strings.TrimSuffix(string(src[start:off]), "\n"), "\r")
		l.nested = len(conds) > 0
		for _, os := range conds {
			l.osSwitch = l.osSwitch || os
		}
		trimmed := strings.TrimSpace(l.text)
		word := firstWord(trimmed)
		switch {
		case inDefine:
			l.kind = mkDefine
			if word == "endef" {
				inDefine = false
			}
		case strings.HasPrefix(l.text, "\t") && inRule >= 0:
			l.kind = mkRecipe
			l.rule = inRule
		case trimmed == "":
			l.kind = mkBlank
		case strings.HasPrefix(trimmed, "#"):
			l.kind = mkComment
		case word == "ifeq" || word == "ifneq" || word == "ifdef" || word == "ifndef":
			l.kind = mkConditional
			conds = append(conds, isOSCondition(trimmed))
		case word == "else":
			l.kind = mkConditional
			if rest := strings.TrimSpace(strings.TrimPrefix(trimmed, "else")); rest != "" && len(conds) > 0 {
				conds[len(conds)-1] = conds[len(conds)-1] || isOSCondition(rest)
			}
		case word == "endif":
			l.kind = mkConditional
			if len(conds) > 0 {
				conds = conds[:len(conds)-1]
			}
		case word == "include" || word == "-include" || word == "sinclude":
			l.kind = mkInclude
			inRule = -1
		case word == "define" || isDefinePrefix(trimmed):
			l.kind = mkDefine
			inDefine = !strings.Contains(trimmed, "endef")
			inRule = -1
		default:
			classifyStatement(&l)
			switch l.kind {
			case mkRule:
				inRule = len(lines)
			case mkAssign, mkOther:
				inRule = -1
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

func firstWord(s string) string {
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
func classifyStatement(l *mkLine) {
	text := l.text
	pos := 0
	// Modifiers before an assignment.
	for {
		rest := text[pos:]
		trimmed := strings.TrimLeft(rest, " \t")
		w := firstWord(trimmed)
		if w != "export" && w != "override" && w != "private" {
			break
		}
		after := trimmed[len(w):]
		if after == "" || !(after[0] == ' ' || after[0] == '\t') {
			break
		}
		if w == "export" {
			l.export = true
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
			l.kind = mkOther
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
			l.kind = mkRule
			l.colon = l.start + i
			ps := j
			pe := len(text)
			rest := text[j:]
			if k := strings.IndexAny(rest, ";#"); k >= 0 {
				pe = j + k
			}
			if strings.Contains(text[j:pe], "=") && !strings.Contains(text[j:pe], "$(") {
				l.targetVars = true
			}
			l.prereqStart, l.prereqEnd = l.start+ps, l.start+pe
			return
		}
	}
	l.kind = mkOther
}

func setAssign(l *mkLine, nameStart, nameEnd int, op string, valueStart int) {
	name := strings.TrimSpace(l.text[nameStart:nameEnd])
	if name == "" || strings.ContainsAny(name, " \t") {
		l.kind = mkOther
		return
	}
	l.kind = mkAssign
	l.name, l.op = name, op
	for valueStart < len(l.text) && (l.text[valueStart] == ' ' || l.text[valueStart] == '\t') {
		valueStart++
	}
	// The value ends at an unescaped '#' outside expansions, without the
	// spaces before it.
	end, depth := len(l.text), 0
	for i := valueStart; i < len(l.text); i++ {
		switch c := l.text[i]; {
		case c == '$' && i+1 < len(l.text) && (l.text[i+1] == '(' || l.text[i+1] == '{'):
			depth++
			i++
		case (c == ')' || c == '}') && depth > 0:
			depth--
		case c == '#' && depth == 0 && (i == 0 || l.text[i-1] != '\\'):
			end = i
			i = len(l.text)
		}
	}
	for end > valueStart && (l.text[end-1] == ' ' || l.text[end-1] == '\t') {
		end--
	}
	l.valueStart = l.start + valueStart
	l.valueEnd = l.start + end
}

// mkToken is one make expansion found in text.
type mkToken struct {
	start, end int    // offsets in the scanned text
	name       string // "$(NAME)" for variable references, "$(...)" for functions, "$$" for an escaped dollar
}

// makeRefs finds the make expansions in text: $(NAME), ${NAME}, $X, $$
// and function calls, with nesting.
func makeRefs(text string) []mkToken {
	var out []mkToken
	for i := 0; i < len(text); i++ {
		if text[i] != '$' || i+1 >= len(text) {
			continue
		}
		c := text[i+1]
		switch {
		case c == '$':
			out = append(out, mkToken{start: i, end: i + 2, name: "$$"})
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
			if isMakeVarName(inner) {
				name = "$(" + inner + ")"
			}
			out = append(out, mkToken{start: i, end: j + 1, name: name})
			i = j
		default:
			out = append(out, mkToken{start: i, end: i + 2, name: "$(" + string(c) + ")"})
			i++
		}
	}
	return out
}

func isMakeVarName(s string) bool {
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

// makePieces turns one whitespace-free make word into pieces for venv path
// matching; $(abspath X) and $(realpath X) are read as X.
func makePieces(word string, at int) []piece {
	for _, fn := range []string{"$(abspath ", "$(realpath "} {
		if strings.HasPrefix(word, fn) && strings.HasSuffix(word, ")") {
			inner := word[len(fn) : len(word)-1]
			return makePieces(inner, at+len(fn))
		}
	}
	var out []piece
	last := 0
	for _, t := range makeRefs(word) {
		if t.start > last {
			out = append(out, piece{lit: word[last:t.start], start: at + last, end: at + t.start})
		}
		if t.name == "$$" {
			out = append(out, piece{lit: "$", start: at + t.start, end: at + t.end})
		} else {
			out = append(out, piece{exp: t.name, start: at + t.start, end: at + t.end})
		}
		last = t.end
	}
	if last < len(word) {
		out = append(out, piece{lit: word[last:], start: at + last, end: at + len(word)})
	}
	return out
}

// makeWords splits make text into whitespace-separated words, keeping
// expansions whole. It returns the words and their offsets in text.
func makeWords(text string) ([]string, []int) {
	var words []string
	var offs []int
	refs := makeRefs(text)
	r := 0
	i := 0
	for i < len(text) {
		if text[i] == ' ' || text[i] == '\t' {
			i++
			continue
		}
		start := i
		for i < len(text) && text[i] != ' ' && text[i] != '\t' {
			for r < len(refs) && refs[r].end <= i {
				r++
			}
			if r < len(refs) && refs[r].start == i {
				i = refs[r].end
				continue
			}
			i++
		}
		words = append(words, text[start:i])
		offs = append(offs, start)
	}
	return words, offs
}
