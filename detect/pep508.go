package detect

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/internal/pep440"
)

// NormalizeName normalises a distribution or extra name per PEP 503: lower
// case, and every run of "-", "_" and "." becomes a single "-".
func NormalizeName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ParseRequirement parses one PEP 508 dependency specification:
//
//	requests[security, socks] (>=2.8.1, ==2.8.*) ; python_version < "3.12"
//	pip @ https://github.com/pypa/pip/archive/22.0.2.zip ; os_name == "posix"
//
// The name and extras are normalised, the specifier loses its parentheses
// and spaces, and the marker is re-spelled with single spaces. Evidence and
// Group are left for the caller.
func ParseRequirement(line string) (Requirement, error) {
	p := &reqParser{s: line}
	var r Requirement
	p.space()
	name := p.name()
	if name == "" {
		return r, p.errorf("expected a package name")
	}
	r.Name = NormalizeName(name)
	p.space()
	if p.peek() == '[' {
		extras, err := p.extras()
		if err != nil {
			return r, err
		}
		r.Extras = extras
		p.space()
	}
	switch {
	case p.peek() == '@':
		p.pos++
		p.space()
		url := p.until(isSpace)
		if url == "" {
			return r, p.errorf("expected a URL after @")
		}
		r.URL = url
		p.space()
	case p.peek() == '(':
		p.pos++
		spec, err := p.specifier(')')
		if err != nil {
			return r, err
		}
		if p.peek() != ')' {
			return r, p.errorf("expected ) to close the version specifier")
		}
		p.pos++
		r.Specifier = spec
		p.space()
	default:
		spec, err := p.specifier(';')
		if err != nil {
			return r, err
		}
		r.Specifier = spec
	}
	if p.peek() == ';' {
		p.pos++
		m, err := parseMarker(p.s[p.pos:])
		if err != nil {
			return r, err
		}
		r.Marker = m
		p.pos = len(p.s)
	}
	if p.pos < len(p.s) {
		return r, p.errorf("unexpected %q", p.s[p.pos:])
	}
	return r, nil
}

type reqParser struct {
	s   string
	pos int
}

func (p *reqParser) errorf(format string, args ...any) error {
	return fmt.Errorf("column %d: %s", p.pos+1, fmt.Sprintf(format, args...))
}

func (p *reqParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *reqParser) space() {
	for p.pos < len(p.s) && isSpace(p.s[p.pos]) {
		p.pos++
	}
}

func (p *reqParser) until(stop func(byte) bool) string {
	start := p.pos
	for p.pos < len(p.s) && !stop(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos]
}

// name reads a PEP 508 identifier: letters and digits, with "-", "_", "."
// allowed inside but not at either end.
func (p *reqParser) name() string {
	if p.pos >= len(p.s) || !isAlnum(p.s[p.pos]) {
		return ""
	}
	start := p.pos
	for p.pos < len(p.s) && (isAlnum(p.s[p.pos]) || p.s[p.pos] == '-' || p.s[p.pos] == '_' || p.s[p.pos] == '.') {
		p.pos++
	}
	for p.pos > start+1 && !isAlnum(p.s[p.pos-1]) {
		p.pos--
	}
	return p.s[start:p.pos]
}

func (p *reqParser) extras() ([]string, error) {
	p.pos++ // [
	var out []string
	for {
		p.space()
		if p.peek() == ']' && len(out) == 0 {
			p.pos++
			return nil, nil
		}
		n := p.name()
		if n == "" {
			return nil, p.errorf("expected an extra name")
		}
		out = append(out, NormalizeName(n))
		p.space()
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return out, nil
		default:
			return nil, p.errorf("expected , or ] in extras")
		}
	}
}

// specifier reads comma-separated version clauses up to end, each checked
// as PEP 440, and returns them joined by "," without spaces. A trailing
// comma is accepted, as pip does.
func (p *reqParser) specifier(end byte) (string, error) {
	start := p.pos
	text := p.until(func(c byte) bool { return c == end || c == ';' })
	if end == ')' && p.peek() == ';' {
		return "", p.errorf("expected ) to close the version specifier")
	}
	parts := strings.Split(text, ",")
	var clauses []string
	for i, part := range parts {
		c := strings.Join(strings.Fields(part), "")
		if c == "" {
			if i == len(parts)-1 && i > 0 || len(parts) == 1 {
				continue
			}
			p.pos = start
			return "", p.errorf("empty version clause in %q", strings.TrimSpace(text))
		}
		if !startsWithOperator(c) {
			p.pos = start
			return "", p.errorf("expected a version operator (==, >=, ~=, ...) before %q", c)
		}
		if _, err := pep440.ParseSpecifier(c); err != nil {
			p.pos = start
			return "", p.errorf("%v", err)
		}
		clauses = append(clauses, c)
	}
	return strings.Join(clauses, ","), nil
}

func startsWithOperator(s string) bool {
	for _, op := range []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"} {
		if strings.HasPrefix(s, op) {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// markerVariables are the environment markers PEP 508 defines, plus the
// dotted legacy spellings pip still accepts.
var markerVariables = []string{
	"python_version", "python_full_version", "os_name",
	"sys_platform", "platform_release", "platform_system",
	"platform_version", "platform_machine",
	"platform_python_implementation", "implementation_name",
	"implementation_version", "extra", "extras", "dependency_groups",
	"os.name", "sys.platform", "platform.version",
	"platform.machine", "platform.python_implementation",
	"python_implementation",
}

// parseMarker checks an environment marker's grammar and returns it with
// single spaces between tokens and double-quoted strings.
func parseMarker(s string) (string, error) {
	toks, err := markerTokens(s)
	if err != nil {
		return "", err
	}
	if len(toks) == 0 {
		return "", errors.New("empty environment marker after ;")
	}
	m := &markerParser{toks: toks}
	if err := m.or(0); err != nil {
		return "", err
	}
	if m.pos < len(toks) {
		return "", fmt.Errorf("marker: unexpected %q", toks[m.pos].text)
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && toks[i-1].text != "(" && t.text != ")" {
			b.WriteByte(' ')
		}
		if t.kind == tokString {
			q := `"`
			if strings.Contains(t.text, `"`) {
				q = "'"
			}
			b.WriteString(q + t.text + q)
		} else {
			b.WriteString(t.text)
		}
	}
	return b.String(), nil
}

type tokKind int

const (
	tokWord tokKind = iota
	tokString
	tokOp
	tokParen
)

type markerTok struct {
	kind tokKind
	text string
}

func markerTokens(s string) ([]markerTok, error) {
	var out []markerTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '(' || c == ')':
			out = append(out, markerTok{tokParen, string(c)})
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, errors.New("marker: unterminated string")
			}
			out = append(out, markerTok{tokString, s[i+1 : i+1+j]})
			i += j + 2
		case strings.ContainsRune("<>=!~", rune(c)):
			j := i
			for j < len(s) && strings.ContainsRune("<>=!~", rune(s[j])) {
				j++
			}
			op := s[i:j]
			switch op {
			case "<", "<=", "==", "!=", ">=", ">", "~=", "===":
			default:
				return nil, fmt.Errorf("marker: unknown operator %q", op)
			}
			out = append(out, markerTok{tokOp, op})
			i = j
		case isAlnum(c) || c == '_':
			j := i
			for j < len(s) && (isAlnum(s[j]) || s[j] == '_' || s[j] == '.') {
				j++
			}
			out = append(out, markerTok{tokWord, s[i:j]})
			i = j
		default:
			return nil, fmt.Errorf("marker: unexpected %q", string(c))
		}
	}
	return out, nil
}

type markerParser struct {
	toks []markerTok
	pos  int
}

func (m *markerParser) at(text string) bool {
	return m.pos < len(m.toks) && m.toks[m.pos].kind != tokString && m.toks[m.pos].text == text
}

// or and and take the nesting depth so hostile input cannot exhaust the stack.
func (m *markerParser) or(depth int) error {
	if depth > 50 {
		return errors.New("marker: too deeply nested")
	}
	if err := m.and(depth); err != nil {
		return err
	}
	for m.at("or") {
		m.pos++
		if err := m.and(depth); err != nil {
			return err
		}
	}
	return nil
}

func (m *markerParser) and(depth int) error {
	if err := m.expr(depth); err != nil {
		return err
	}
	for m.at("and") {
		m.pos++
		if err := m.expr(depth); err != nil {
			return err
		}
	}
	return nil
}

func (m *markerParser) expr(depth int) error {
	if m.at("(") {
		m.pos++
		if err := m.or(depth + 1); err != nil {
			return err
		}
		if !m.at(")") {
			return errors.New("marker: expected )")
		}
		m.pos++
		return nil
	}
	if err := m.value(); err != nil {
		return err
	}
	switch {
	case m.pos < len(m.toks) && m.toks[m.pos].kind == tokOp, m.at("in"):
		m.pos++
	case m.at("not"):
		m.pos++
		if !m.at("in") {
			return errors.New("marker: expected in after not")
		}
		m.pos++
	default:
		return errors.New("marker: expected a comparison operator")
	}
	return m.value()
}

func (m *markerParser) value() error {
	if m.pos >= len(m.toks) {
		return errors.New("marker: unexpected end")
	}
	t := m.toks[m.pos]
	switch {
	case t.kind == tokString:
	case t.kind == tokWord && slices.Contains(markerVariables, t.text):
	case t.kind == tokWord:
		return fmt.Errorf("marker: unknown variable %q", t.text)
	default:
		return fmt.Errorf("marker: expected a variable or string, got %q", t.text)
	}
	m.pos++
	return nil
}
