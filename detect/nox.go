package detect

import (
	"strings"
)

// nox, like tox, manages its own virtual environments (.nox/). venv2flox
// records that, the Python versions its sessions run on (a test matrix),
// and the programs sessions run. noxfile.py is Python: it is tokenized,
// never executed.

// noxTok is one Python token.
type noxTok struct {
	kind byte // 'n' name, 's' string, 'o' operator/punctuation, '#' number
	text string
	line int
}

// noxTokens splits Python source into names, string literals (value
// decoded for plain escapes), numbers and operators, skipping comments.
func noxTokens(src string) []noxTok {
	var toks []noxTok
	line := 1
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\\':
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
			if j < len(src) && (src[j] == '"' || src[j] == '\'') && len(word) <= 3 && strings.Trim(strings.ToLower(word), "rbfu") == "" {
				var t noxTok
				t, i, line = noxString(src, j, line, strings.ContainsAny(word, "rR"))
				toks = append(toks, t)
				continue
			}
			toks = append(toks, noxTok{'n', word, line})
			i = j
		case isDigitByte(c):
			j := i
			for j < len(src) && (isPyNameStart(src[j]) || isDigitByte(src[j]) || src[j] == '.') {
				j++
			}
			toks = append(toks, noxTok{'#', src[i:j], line})
			i = j
		case c == '"' || c == '\'':
			var t noxTok
			t, i, line = noxString(src, i, line, false)
			toks = append(toks, t)
		default:
			toks = append(toks, noxTok{'o', string(c), line})
			i++
		}
	}
	return toks
}

// noxString reads a string literal starting at the quote src[i]. It returns
// the token (at the line it starts), the offset after it and the line there.
func noxString(src string, i, line int, raw bool) (noxTok, int, int) {
	q := src[i]
	start := line
	triple := strings.HasPrefix(src[i:], strings.Repeat(string(q), 3))
	n := 1
	if triple {
		n = 3
	}
	i += n
	var b strings.Builder
	for i < len(src) {
		c := src[i]
		if c == '\n' {
			if !triple {
				break // an unterminated string ends at the line end
			}
			line++
		}
		if c == '\\' && i+1 < len(src) {
			if !raw {
				if src[i+1] == '\n' {
					line++
				} else {
					b.WriteByte(src[i+1])
				}
			} else {
				b.WriteByte(c)
				b.WriteByte(src[i+1])
				if src[i+1] == '\n' {
					line++
				}
			}
			i += 2
			continue
		}
		if c == q && (!triple || strings.HasPrefix(src[i:], strings.Repeat(string(q), 3))) {
			i += n
			break
		}
		b.WriteByte(c)
		i++
	}
	return noxTok{'s', b.String(), start}, i, line
}

func extractNox(s *scanner, f *textFile) {
	toks := noxTokens(f.Text)
	lists := noxModuleLists(toks)
	seen := map[string]bool{}
	version := func(spec string, line int) {
		if !seen[spec] && isPythonVersion(spec) {
			seen[spec] = true
			s.addCIPython(KindNox, spec, true, f.Ev(line))
		}
	}
	first := 0
	ss := newShellSession(s, f.Path, KindNox)
	for i := 0; i < len(toks); i++ {
		switch {
		case isNoxDecorator(toks, i):
			if first == 0 {
				first = toks[i].line
			}
			for _, v := range noxPythonArg(toks, i+4, lists) {
				version(v.text, v.line)
			}
		case tokIs(toks, i, 'n', "session") && tokIs(toks, i+1, 'o', ".") &&
			(tokIs(toks, i+2, 'n', "run") || tokIs(toks, i+2, 'n', "run_always") || tokIs(toks, i+2, 'n', "run_install")) &&
			tokIs(toks, i+3, 'o', "(") && i+4 < len(toks) && toks[i+4].kind == 's':
			name := toks[i+4].text
			var args []string
			for j := i + 5; j+1 < len(toks) && toks[j].text == "," && toks[j+1].kind == 's'; j += 2 {
				args = append(args, toks[j+1].text)
			}
			ss.dispatch(cmdCall{argv: append([]string{name}, args...), raw: append([]string{name}, args...),
				lines: repeatLine(toks[i+4].line, len(args)+1), text: strings.Join(append([]string{name}, args...), " ")})
		case tokIs(toks, i, 'n', "default_venv_backend") && tokIs(toks, i+1, 'o', "=") && i+2 < len(toks) && toks[i+2].kind == 's':
			switch toks[i+2].text {
			case "uv":
				ss.manager(ManagerUV, "nox venv backend uv", toks[i+2].line)
			case "conda", "mamba", "micromamba":
				ss.manager(ManagerConda, "nox venv backend "+toks[i+2].text, toks[i+2].line)
			}
		}
	}
	if first == 0 {
		first = 1
	}
	s.p.Venvs = append(s.p.Venvs, VenvUse{Action: VenvCreate, Dir: ".nox", Command: "nox", File: KindNox, Evidence: f.Ev(first)})
}

func repeatLine(line, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = line
	}
	return out
}

func tokIs(toks []noxTok, i int, kind byte, text string) bool {
	return i >= 0 && i < len(toks) && toks[i].kind == kind && toks[i].text == text
}

// isNoxDecorator matches `@nox.session(` and `@nox.parametrize(` at i
// (the `@` is optional: `nox.session(...)(func)` exists too).
func isNoxDecorator(toks []noxTok, i int) bool {
	return tokIs(toks, i, 'n', "nox") && tokIs(toks, i+1, 'o', ".") &&
		(tokIs(toks, i+2, 'n', "session") || tokIs(toks, i+2, 'n', "parametrize")) && tokIs(toks, i+3, 'o', "(")
}

// noxPythonArg returns the versions given to python=/py= (or, for
// parametrize, a first argument "python") in the call whose arguments
// start at i.
func noxPythonArg(toks []noxTok, i int, lists map[string][]noxTok) []noxTok {
	depth := 1
	parametrizePython := tokIs(toks, i, 's', "python")
	for j := i; j < len(toks) && depth > 0; j++ {
		t := toks[j]
		switch t.text {
		case "(", "[", "{":
			depth++
			continue
		case ")", "]", "}":
			depth--
			continue
		}
		if depth != 1 {
			continue
		}
		isKeyword := (t.kind == 'n' && (t.text == "python" || t.text == "py")) && tokIs(toks, j+1, 'o', "=")
		isParam := parametrizePython && t.kind == 'o' && t.text == "," && j == i+1
		if isKeyword || isParam {
			k := j + 2
			if isParam {
				k = j + 1
			}
			return noxValue(toks, k, lists)
		}
	}
	return nil
}

// noxValue reads a string, a list/tuple of strings, or a name bound at
// module level to one.
func noxValue(toks []noxTok, k int, lists map[string][]noxTok) []noxTok {
	if k >= len(toks) {
		return nil
	}
	switch t := toks[k]; {
	case t.kind == 's':
		return []noxTok{t}
	case t.kind == 'n':
		return lists[t.text]
	case t.text == "[" || t.text == "(":
		return stringsUntilClose(toks, k+1)
	}
	return nil
}

func stringsUntilClose(toks []noxTok, k int) []noxTok {
	var out []noxTok
	for ; k < len(toks); k++ {
		t := toks[k]
		if t.text == "]" || t.text == ")" {
			break
		}
		if t.kind == 's' {
			out = append(out, t)
		}
	}
	return out
}

// noxModuleLists finds `NAME = ["3.10", "3.11"]` and `NAME = "3.12"` at
// the start of a line, the usual way noxfiles share version lists.
func noxModuleLists(toks []noxTok) map[string][]noxTok {
	out := map[string][]noxTok{}
	for i := 0; i+2 < len(toks); i++ {
		t := toks[i]
		if t.kind != 'n' || !tokIs(toks, i+1, 'o', "=") || (i > 0 && toks[i-1].line == t.line) {
			continue
		}
		v := toks[i+2]
		switch {
		case v.kind == 's':
			out[t.text] = []noxTok{v}
		case v.text == "[" || v.text == "(":
			out[t.text] = stringsUntilClose(toks, i+3)
		}
	}
	return out
}
