package detect

import (
	"path"
	"slices"
	"strings"
)

// extractSetupCfg reads setuptools' setup.cfg: [options] python_requires
// and install_requires, and [options.extras_require].
func extractSetupCfg(s *scanner, f *textFile) {
	ini := parseINI(s, f)
	if v, ok := ini.get("metadata", "name"); ok && len(v.lines) > 0 {
		s.setName(strings.TrimSpace(strings.Join(v.text(), "")), f.Path)
	}
	if v, ok := ini.get("options", "python_requires"); ok && len(v.lines) > 0 {
		addRequiresPython(s, KindSetupCfg, strings.Join(v.text(), ""), f.Ev(v.lines[0].n))
	}
	if v, ok := ini.get("options", "install_requires"); ok {
		setupCfgList(s, f, v, "", false)
	}
	for _, key := range ini.keys("options.extras_require") {
		v, _ := ini.get("options.extras_require", key)
		setupCfgList(s, f, v, NormalizeName(key), true)
	}
	mypyINI(s, f, ini, KindSetupCfg)
}

// setupCfgList reads a setuptools list value: one item per line when it
// spans lines, otherwise items separated by ";" (setuptools
// config/setupcfg.py _parse_list: a value with a line break is split at
// line ends, so markers after ";" stay with their requirement).
func setupCfgList(s *scanner, f *textFile, v iniValue, group string, optional bool) {
	var items []logicalLine
	if !v.multiline && len(v.lines) == 1 {
		for item := range strings.SplitSeq(v.lines[0].text, ";") {
			items = append(items, logicalLine{v.lines[0].n, item})
		}
	} else {
		items = v.lines
	}
	for _, item := range items {
		text := strings.TrimSpace(item.text)
		if text == "" {
			continue
		}
		if strings.HasPrefix(text, "file:") || strings.HasPrefix(text, "attr:") {
			s.problem(f.Ev(item.n), "setup.cfg directive "+quoteShort(text)+" is not followed")
			continue
		}
		addSetupRequirement(s, f, text, item.n, group, optional)
	}
}

// addSetupRequirement records a requirement of setup.cfg or setup.py
// written at line n, or a problem when it does not parse.
func addSetupRequirement(s *scanner, f *textFile, text string, n int, group string, optional bool) {
	r, err := ParseRequirement(text)
	if err != nil {
		s.problem(f.Ev(n), "invalid requirement "+quoteShort(text)+": "+err.Error())
		return
	}
	r.Group, r.Optional, r.Evidence = group, optional, f.Ev(n)
	s.p.Requirements = append(s.p.Requirements, r)
}

// addRequiresPython records a python_requires value (PEP 440).
func addRequiresPython(s *scanner, kind FileKind, spec string, ev Evidence) {
	spec = strings.Join(strings.Fields(spec), "")
	r := InterpreterRequest{Source: kind, Spec: spec, Evidence: ev}
	if _, err := InterpreterSpecifier(r); err != nil {
		s.problem(ev, "python_requires: invalid version constraint "+quoteShort(spec)+": "+err.Error())
	}
	s.p.Interpreters = append(s.p.Interpreters, r)
}

// iniFile is an INI file as Python's configparser reads it: sections,
// "key = value" or "key: value", values continued on indented lines, and
// whole-line comments starting with "#" or ";".
type iniFile struct {
	sections map[string]map[string]iniValue
	order    map[string][]string
}

type iniValue struct {
	lines []logicalLine // the first line's text after "=", then continuations
	// multiline is set when the value spans lines, an empty first line
	// included: setuptools then splits lists at line ends only.
	multiline bool
}

func (v iniValue) text() []string {
	var out []string
	for _, l := range v.lines {
		out = append(out, strings.TrimSpace(l.text))
	}
	return out
}

func (ini *iniFile) get(section, key string) (iniValue, bool) {
	v, ok := ini.sections[section][key]
	return v, ok
}

func (ini *iniFile) keys(section string) []string { return ini.order[section] }

func parseINI(s *scanner, f *textFile) *iniFile {
	ini := &iniFile{sections: map[string]map[string]iniValue{}, order: map[string][]string{}}
	section, key := "", ""
	for i, line := range f.Lines() {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if key == "" {
				s.problem(f.Ev(n), "indented line outside a value: "+quoteShort(trimmed))
				continue
			}
			v := ini.sections[section][key]
			v.lines = append(v.lines, logicalLine{n, trimmed})
			v.multiline = true
			ini.sections[section][key] = v
			continue
		}
		if strings.HasPrefix(trimmed, "[") {
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				s.problem(f.Ev(n), "section header without ]: "+quoteShort(trimmed))
				section, key = "", ""
				continue
			}
			section, key = strings.TrimSpace(trimmed[1:end]), ""
			if ini.sections[section] == nil {
				ini.sections[section] = map[string]iniValue{}
			}
			continue
		}
		sep := strings.IndexAny(trimmed, "=:")
		if sep <= 0 {
			s.problem(f.Ev(n), "expected key = value: "+quoteShort(trimmed))
			key = ""
			continue
		}
		if ini.sections[section] == nil {
			ini.sections[section] = map[string]iniValue{}
		}
		// configparser lower-cases keys; setuptools accepts - for _.
		key = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(trimmed[:sep])), "-", "_")
		var v iniValue
		if first := strings.TrimSpace(trimmed[sep+1:]); first != "" {
			v.lines = append(v.lines, logicalLine{n, first})
		}
		if _, dup := ini.sections[section][key]; !dup {
			ini.order[section] = append(ini.order[section], key)
		}
		ini.sections[section][key] = v
	}
	return ini
}

// extractSetupPy reads setup.py without running it: the keyword arguments
// python_requires, install_requires and extras_require, when their values
// are literals (strings, lists and dicts of strings). A value that names a
// variable or calls a function is not guessed at.
func extractSetupPy(s *scanner, f *textFile) {
	toks := pyTokens(f.Text)
	names := pyAssignments(toks)
	for _, t := range toks {
		// open("requirements.txt"): the file feeds install_requires.
		if t.kind == pyStr && isRequirementsFile(t.text) && !strings.ContainsAny(t.text, "{}%*") {
			s.p.ReadByCode = append(s.p.ReadByCode, FileUse{Path: path.Clean(path.Join(path.Dir(f.Path), t.text)), Evidence: f.Ev(t.line)})
		}
	}
	if line, ok := setupExtensions(toks); ok {
		s.p.Builds = append(s.p.Builds, BuildSystem{Extensions: true, Evidence: f.Ev(line)})
	}
	for i := 0; i+2 < len(toks); i++ {
		key, ok := setupKeyword(toks, i)
		if !ok {
			continue
		}
		v, next, ok := pyLiteral(toks, i+2, 0, names)
		if !ok || !endsArgument(toks, next) {
			continue
		}
		switch key {
		case "name":
			if str, ok := v.(pyString); ok && toks[i].kind == pyName { // setup(name=...), not a dict key
				s.setName(str.value, f.Path)
			}
		case "python_requires":
			if str, ok := v.(pyString); ok {
				addRequiresPython(s, KindSetupPy, str.value, f.Ev(str.line))
			}
		case "install_requires":
			setupPyList(s, f, v, "", false)
		case "extras_require":
			d, ok := v.(pyDict)
			if !ok {
				continue
			}
			for _, e := range d {
				setupPyList(s, f, e.value, NormalizeName(e.key.value), true)
			}
		}
	}
}

// setupExtensions finds the first line where setup.py declares compiled
// extensions: a call of setuptools' Extension (or pybind11's, Cython's
// cythonize, setuptools-rust's RustExtension) or an ext_modules argument.
func setupExtensions(toks []pyToken) (int, bool) {
	for i, t := range toks {
		if t.kind != pyName || !tokIs(toks, i+1, pyOp, "(") && !(t.text == "ext_modules" && tokIs(toks, i+1, pyOp, "=")) {
			continue
		}
		switch t.text {
		case "Extension", "Pybind11Extension", "RustExtension", "cythonize", "ext_modules":
			return t.line, true
		}
	}
	return 0, false
}

// pyAssignments collects the names a setup.py assigns a literal to
// (`tests_require = ["pytest"]`), so that setup() arguments naming them are
// read too. A name assigned more than once, or extended later (`+=`), is
// not guessed at.
func pyAssignments(toks []pyToken) map[string]any {
	names := map[string]any{}
	changed := map[string]bool{}
	for i := 0; i+2 < len(toks); i++ {
		t, op := toks[i], toks[i+1]
		if t.kind != pyName || op.kind != pyOp {
			continue
		}
		if i > 0 && toks[i-1].kind == pyOp && strings.Contains("(,.=", toks[i-1].text) {
			continue // a keyword argument or an attribute
		}
		switch op.text {
		case "=":
			v, next, ok := pyLiteral(toks, i+2, 0, names)
			if _, seen := names[t.text]; seen || !ok || !endsStatement(toks, next) {
				changed[t.text] = true
				continue
			}
			names[t.text] = v
		case "+=", "+", ".":
			changed[t.text] = true
		}
	}
	for n := range changed {
		delete(names, n)
	}
	return names
}

// endsStatement reports whether the literal that ends before toks[i] is
// the whole right side: no operator (+, *, %, a method call, a tuple)
// carries on the expression.
func endsStatement(toks []pyToken, i int) bool {
	return i >= len(toks) || toks[i].kind != pyOp || !slices.Contains([]string{"+", "*", "%", ".", "[", ","}, toks[i].text)
}

// endsArgument reports whether toks[i] ends a keyword argument or dict
// value, so that "[...] + more" is not taken for the list alone.
func endsArgument(toks []pyToken, i int) bool {
	if i >= len(toks) {
		return true
	}
	t := toks[i]
	return t.kind == pyOp && (t.text == "," || t.text == ")" || t.text == "}")
}

// setupKeyword reports whether toks[i] starts "name=" in a call or
// "'name':" in a dict, for the keywords setup() takes that detect reads.
func setupKeyword(toks []pyToken, i int) (string, bool) {
	t, next := toks[i], toks[i+1]
	var name string
	switch {
	case t.kind == pyName && next.kind == pyOp && next.text == "=":
		if i == 0 || toks[i-1].kind != pyOp || (toks[i-1].text != "(" && toks[i-1].text != ",") {
			return "", false
		}
		name = t.text
	case t.kind == pyStr && next.kind == pyOp && next.text == ":":
		name = t.text
	default:
		return "", false
	}
	switch name {
	case "name", "python_requires", "install_requires", "extras_require":
		return name, true
	}
	return "", false
}

// setupPyList reads a literal list (or tuple) of requirement strings, or a
// single string holding one requirement per line.
func setupPyList(s *scanner, f *textFile, v any, group string, optional bool) {
	var items []pyString
	switch v := v.(type) {
	case pyList:
		for _, item := range v {
			str, ok := item.(pyString)
			if !ok {
				return // a nested structure: not a requirements list
			}
			items = append(items, str)
		}
	case pyString:
		for i, line := range strings.Split(v.value, "\n") {
			items = append(items, pyString{value: line, line: v.line + i})
		}
	default:
		return
	}
	for _, item := range items {
		text := strings.TrimSpace(item.value)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		addSetupRequirement(s, f, text, item.line, group, optional)
	}
}

// Python literal values read from setup.py.
type (
	pyString struct {
		value string
		line  int
	}
	pyList []any
	pyDict []pyDictEntry
)

type pyDictEntry struct {
	key   pyString
	value any
}

// pyLiteral reads the literal starting at toks[i]: a string, a list or
// tuple, or a dict with string keys. It fails on anything else, including
// adjacent strings and "+" (concatenation), names and calls.
func pyLiteral(toks []pyToken, i, depth int, names map[string]any) (any, int, bool) {
	if i >= len(toks) || depth > 50 {
		return nil, i, false
	}
	t := toks[i]
	switch {
	case t.kind == pyName && names != nil:
		// A module-level name: dev_require = [...] then extras_require={"dev": dev_require}.
		v, ok := names[t.text]
		if !ok || i+1 < len(toks) && toks[i+1].kind == pyOp && strings.IndexByte("+.[(", toks[i+1].text[0]) >= 0 {
			return nil, i, false
		}
		return v, i + 1, true
	case t.kind == pyStr:
		if i+1 < len(toks) && (toks[i+1].kind == pyStr || toks[i+1].kind == pyOp && toks[i+1].text == "+") {
			return nil, i, false
		}
		return pyString{t.text, t.line}, i + 1, true
	case t.kind == pyOp && (t.text == "[" || t.text == "("):
		closing := "]"
		if t.text == "(" {
			closing = ")"
		}
		var list pyList
		i++
		for {
			if i < len(toks) && toks[i].kind == pyOp && toks[i].text == closing {
				return list, i + 1, true
			}
			if i+1 < len(toks) && toks[i].kind == pyOp && toks[i].text == "*" && toks[i+1].kind == pyName {
				// [*tests_require, "flake8"]: a known list's items.
				inner, ok := names[toks[i+1].text].(pyList)
				if !ok {
					return nil, i, false
				}
				list = append(list, inner...)
				i += 2
			} else {
				v, next, ok := pyLiteral(toks, i, depth+1, names)
				if !ok {
					return nil, i, false
				}
				list = append(list, v)
				i = next
			}
			if i < len(toks) && toks[i].kind == pyOp && toks[i].text == "," {
				i++
				continue
			}
			if i < len(toks) && toks[i].kind == pyOp && toks[i].text == closing {
				return list, i + 1, true
			}
			return nil, i, false
		}
	case t.kind == pyOp && t.text == "{":
		var dict pyDict
		i++
		for {
			if i < len(toks) && toks[i].kind == pyOp && toks[i].text == "}" {
				return dict, i + 1, true
			}
			k, next, ok := pyLiteral(toks, i, depth+1, names)
			key, isStr := k.(pyString)
			if !ok || !isStr || next >= len(toks) || toks[next].kind != pyOp || toks[next].text != ":" {
				return nil, i, false
			}
			v, next, ok := pyLiteral(toks, next+1, depth+1, names)
			if !ok {
				// One computed value does not hide the literal entries.
				v, next = nil, skipPyValue(toks, next+1)
			}
			if v != nil {
				dict = append(dict, pyDictEntry{key, v})
			}
			i = next
			if i < len(toks) && toks[i].kind == pyOp && toks[i].text == "," {
				i++
				continue
			}
			if i < len(toks) && toks[i].kind == pyOp && toks[i].text == "}" {
				return dict, i + 1, true
			}
			return nil, i, false
		}
	}
	return nil, i, false
}

// skipPyValue skips an expression up to the "," or closing bracket that
// ends it at the current nesting level.
func skipPyValue(toks []pyToken, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		t := toks[i]
		if t.kind != pyOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			if depth == 0 {
				return i
			}
			depth--
		case ",":
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

type pyKind int

const (
	pyName pyKind = iota
	pyStr
	pyOp
	pyOther // numbers, f-strings, byte strings: never literals here
)

type pyToken struct {
	kind pyKind
	text string // a string's decoded value
	line int
}

// pyTokens splits Python source into the tokens setup.py reading needs:
// names, strings (all quote styles, prefixes, triple quotes), operators;
// comments are dropped.
func pyTokens(src string) []pyToken {
	var toks []pyToken
	line := 1
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\\':
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case isPyNameStart(c):
			j := i
			for j < len(src) && (isPyNameStart(src[j]) || isDigitByte(src[j])) {
				j++
			}
			word := src[i:j]
			if j < len(src) && (src[j] == '"' || src[j] == '\'') && isStringPrefix(word) {
				tok, end, lines := pyStringToken(src, j, strings.ToLower(word), line)
				toks = append(toks, tok)
				line += lines
				i = end
				continue
			}
			toks = append(toks, pyToken{pyName, word, line})
			i = j
		case c == '"' || c == '\'':
			tok, end, lines := pyStringToken(src, i, "", line)
			toks = append(toks, tok)
			line += lines
			i = end
		case isDigitByte(c):
			j := i
			for j < len(src) && (isPyNameStart(src[j]) || isDigitByte(src[j]) || src[j] == '.') {
				j++
			}
			toks = append(toks, pyToken{pyOther, src[i:j], line})
			i = j
		default:
			op := string(c)
			if i+1 < len(src) && strings.Contains("=!<>*/+-%&|^:", string(c)) && src[i+1] == '=' {
				op = src[i : i+2]
			} else if i+1 < len(src) && (c == '*' || c == '/') && src[i+1] == c {
				op = src[i : i+2]
			}
			toks = append(toks, pyToken{pyOp, op, line})
			i += len(op)
		}
	}
	return toks
}

func isPyNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isStringPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "r", "u", "b", "br", "rb", "f", "fr", "rf":
		return true
	}
	return false
}

// pyStringToken reads a string literal starting at the quote src[i]. It
// returns the token, the offset after it and how many newlines it spans.
// Byte strings and f-strings come back as pyOther: not requirement text.
func pyStringToken(src string, i int, prefix string, line int) (pyToken, int, int) {
	q := src[i]
	triple := strings.HasPrefix(src[i:], strings.Repeat(string(q), 3))
	raw := strings.Contains(prefix, "r")
	start := i + 1
	if triple {
		start = i + 3
	}
	var b strings.Builder
	j := start
	for j < len(src) {
		c := src[j]
		if c == '\\' && j+1 < len(src) {
			if raw {
				b.WriteByte(c)
				b.WriteByte(src[j+1])
			} else {
				b.WriteString(pyEscape(src[j+1]))
			}
			j += 2
			continue
		}
		if c == q && (!triple || strings.HasPrefix(src[j:], strings.Repeat(string(q), 3))) {
			break
		}
		if c == '\n' && !triple {
			break // unterminated: stop at the line's end
		}
		b.WriteByte(c)
		j++
	}
	end := j
	kind := pyStr
	switch {
	case j >= len(src) || src[j] == '\n':
		kind = pyOther // unterminated: Python would not compile it
	case triple:
		end = j + 3
	default:
		end = j + 1
	}
	lines := strings.Count(src[i:min(end, len(src))], "\n")
	if strings.ContainsAny(prefix, "bf") {
		kind = pyOther
	}
	return pyToken{kind, b.String(), line}, end, lines
}

func pyEscape(c byte) string {
	switch c {
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case '\n':
		return "" // a backslash-newline continues the string
	}
	return string(c)
}
