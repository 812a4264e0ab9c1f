package detect

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSON with comments (JSONC) is what VS Code settings, launch
// configurations, workspaces, devcontainer.json and pyrightconfig.json are
// written in: JSON plus // and /* */ comments and trailing commas. The
// parser keeps each value's byte range so a rewriter can edit one string
// and leave every other byte as it was.

// JSONValue is one parsed JSONC value.
type JSONValue struct {
	// Kind is 'o' (object), 'a' (array), 's' (string) or 'v' (number,
	// true, false, null).
	Kind byte
	// Str is a string's decoded value.
	Str string
	// Start and End are the value's byte range in the source (a string's
	// includes its quotes); Line is the 1-based line it starts on.
	Start, End, Line int
	// Keys and Fields are an object's members in source order.
	Keys   []string
	Fields []*JSONValue
	// Items are an array's elements.
	Items []*JSONValue
}

// Get returns an object's member, nil when absent or not an object.
func (v *JSONValue) Get(key string) *JSONValue {
	if v == nil || v.Kind != 'o' {
		return nil
	}
	for i, k := range v.Keys {
		if k == key {
			return v.Fields[i]
		}
	}
	return nil
}

// JSONString is a string somewhere in a document, with the keys and array
// indexes leading to it ("configurations", "0", "python").
type JSONString struct {
	Path []string
	*JSONValue
}

// Strings lists every string value under v in source order.
func (v *JSONValue) Strings() []JSONString {
	var out []JSONString
	var walk func(n *JSONValue, at []string)
	walk = func(n *JSONValue, at []string) {
		switch n.Kind {
		case 's':
			out = append(out, JSONString{Path: append([]string(nil), at...), JSONValue: n})
		case 'o':
			for i, f := range n.Fields {
				walk(f, append(at, n.Keys[i]))
			}
		case 'a':
			for i, it := range n.Items {
				walk(it, append(at, strconv.Itoa(i)))
			}
		}
	}
	walk(v, nil)
	return out
}

// Key is the name of the member holding the string, or of the array
// holding it ("ruff.path" for ["${workspaceFolder}/.venv/bin/ruff"]).
func (s JSONString) Key() string {
	for i := len(s.Path) - 1; i >= 0; i-- {
		if _, err := strconv.Atoi(s.Path[i]); err != nil {
			return s.Path[i]
		}
	}
	return ""
}

// JSONError is a syntax error at a line.
type JSONError struct {
	Line int
	Msg  string
}

func (e *JSONError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// maxJSONDepth bounds nesting so hostile input cannot exhaust the stack.
const maxJSONDepth = 200

// ParseJSONC parses a JSONC document (a leading BOM is skipped).
func ParseJSONC(src string) (*JSONValue, error) {
	p := &jsoncParser{src: src, line: 1}
	if strings.HasPrefix(src, "\ufeff") {
		p.pos = len("\ufeff")
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.pos < len(src) {
		return nil, p.fail("unexpected text after the document")
	}
	return v, nil
}

type jsoncParser struct {
	src  string
	pos  int
	line int
}

func (p *jsoncParser) fail(msg string) error { return &JSONError{Line: p.line, Msg: msg} }

// space skips white space and comments.
func (p *jsoncParser) space() error {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\n':
			p.line++
			p.pos++
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case strings.HasPrefix(p.src[p.pos:], "//"):
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		case strings.HasPrefix(p.src[p.pos:], "/*"):
			end := strings.Index(p.src[p.pos+2:], "*/")
			if end < 0 {
				return p.fail("unclosed /* comment")
			}
			p.line += strings.Count(p.src[p.pos:p.pos+2+end], "\n")
			p.pos += 2 + end + 2
		default:
			return nil
		}
	}
	return nil
}

func (p *jsoncParser) value(depth int) (*JSONValue, error) {
	if depth > maxJSONDepth {
		return nil, p.fail("nested too deeply")
	}
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.pos >= len(p.src) {
		return nil, p.fail("unexpected end of file")
	}
	v := &JSONValue{Start: p.pos, Line: p.line}
	switch c := p.src[p.pos]; c {
	case '{':
		v.Kind = 'o'
		if err := p.members(v, depth); err != nil {
			return nil, err
		}
	case '[':
		v.Kind = 'a'
		if err := p.items(v, depth); err != nil {
			return nil, err
		}
	case '"':
		v.Kind = 's'
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		v.Str = s
	default:
		v.Kind = 'v'
		for p.pos < len(p.src) && strings.IndexByte(",]} \t\r\n/", p.src[p.pos]) < 0 {
			p.pos++
		}
		if p.pos == v.Start {
			return nil, p.fail(fmt.Sprintf("unexpected %q", c))
		}
	}
	v.End = p.pos
	return v, nil
}

// members reads an object from its '{' to its '}'.
func (p *jsoncParser) members(v *JSONValue, depth int) error {
	p.pos++
	for {
		if err := p.space(); err != nil {
			return err
		}
		if p.pos >= len(p.src) {
			return p.fail("unclosed object")
		}
		if p.src[p.pos] == '}' {
			p.pos++
			return nil
		}
		if p.src[p.pos] != '"' {
			return p.fail("expected a quoted key")
		}
		key, err := p.str()
		if err != nil {
			return err
		}
		if err := p.space(); err != nil {
			return err
		}
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return p.fail("expected ':' after key " + strconv.Quote(key))
		}
		p.pos++
		f, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		v.Keys = append(v.Keys, key)
		v.Fields = append(v.Fields, f)
		if err := p.separator('}'); err != nil {
			return err
		}
	}
}

// items reads an array from its '[' to its ']'.
func (p *jsoncParser) items(v *JSONValue, depth int) error {
	p.pos++
	for {
		if err := p.space(); err != nil {
			return err
		}
		if p.pos >= len(p.src) {
			return p.fail("unclosed array")
		}
		if p.src[p.pos] == ']' {
			p.pos++
			return nil
		}
		it, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		v.Items = append(v.Items, it)
		if err := p.separator(']'); err != nil {
			return err
		}
	}
}

// separator accepts a ',' (trailing ones too) or the closing bracket,
// which it leaves for the caller.
func (p *jsoncParser) separator(closing byte) error {
	if err := p.space(); err != nil {
		return err
	}
	switch {
	case p.pos < len(p.src) && p.src[p.pos] == ',':
		p.pos++
		return nil
	case p.pos < len(p.src) && p.src[p.pos] == closing:
		return nil
	}
	return p.fail("expected ',' or '" + string(closing) + "'")
}

// str reads a quoted string and returns its decoded value.
func (p *jsoncParser) str() (string, error) {
	start := p.pos
	p.pos++
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '\\':
			p.pos += 2
		case '"':
			p.pos++
			raw := p.src[start:p.pos]
			s, err := strconv.Unquote(raw)
			if err != nil {
				// JSON escapes that Go does not share (\/) decode by hand.
				s, err = strconv.Unquote(strings.ReplaceAll(raw, `\/`, "/"))
			}
			if err != nil || !utf8.ValidString(s) {
				return "", p.fail("invalid string " + raw)
			}
			return s, nil
		case '\n':
			return "", p.fail("newline in string")
		default:
			p.pos++
		}
	}
	return "", p.fail("unclosed string")
}
