package detect

import (
	"strings"
)

// nox, like tox, manages its own virtual environments (.nox/). venv2flox
// records that, the Python versions its sessions run on (a test matrix),
// and the programs sessions run. noxfile.py is Python: it is tokenized,
// never executed.

func extractNox(s *scanner, f *textFile) {
	toks := pyTokens(f.Text)
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
		case tokIs(toks, i, pyName, "session") && tokIs(toks, i+1, pyOp, ".") &&
			(tokIs(toks, i+2, pyName, "run") || tokIs(toks, i+2, pyName, "run_always") || tokIs(toks, i+2, pyName, "run_install")) &&
			tokIs(toks, i+3, pyOp, "(") && i+4 < len(toks) && toks[i+4].kind == pyStr:
			name := toks[i+4].text
			var args []string
			for j := i + 5; j+1 < len(toks) && toks[j].text == "," && toks[j+1].kind == pyStr; j += 2 {
				args = append(args, toks[j+1].text)
			}
			ss.dispatch(cmdCall{argv: append([]string{name}, args...), raw: append([]string{name}, args...),
				lines: repeatLine(toks[i+4].line, len(args)+1), text: strings.Join(append([]string{name}, args...), " ")})
		case tokIs(toks, i, pyName, "default_venv_backend") && tokIs(toks, i+1, pyOp, "=") && i+2 < len(toks) && toks[i+2].kind == pyStr:
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

func tokIs(toks []pyToken, i int, kind pyKind, text string) bool {
	return i >= 0 && i < len(toks) && toks[i].kind == kind && toks[i].text == text
}

// isNoxDecorator matches `@nox.session(` and `@nox.parametrize(` at i
// (the `@` is optional: `nox.session(...)(func)` exists too).
func isNoxDecorator(toks []pyToken, i int) bool {
	return tokIs(toks, i, pyName, "nox") && tokIs(toks, i+1, pyOp, ".") &&
		(tokIs(toks, i+2, pyName, "session") || tokIs(toks, i+2, pyName, "parametrize")) && tokIs(toks, i+3, pyOp, "(")
}

// noxPythonArg returns the versions given to python=/py= (or, for
// parametrize, a first argument "python") in the call whose arguments
// start at i.
func noxPythonArg(toks []pyToken, i int, lists map[string][]pyToken) []pyToken {
	depth := 1
	parametrizePython := tokIs(toks, i, pyStr, "python")
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
		isKeyword := (t.kind == pyName && (t.text == "python" || t.text == "py")) && tokIs(toks, j+1, pyOp, "=")
		isParam := parametrizePython && t.kind == pyOp && t.text == "," && j == i+1
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
func noxValue(toks []pyToken, k int, lists map[string][]pyToken) []pyToken {
	if k >= len(toks) {
		return nil
	}
	switch t := toks[k]; {
	case t.kind == pyStr:
		return []pyToken{t}
	case t.kind == pyName:
		return lists[t.text]
	case t.text == "[" || t.text == "(":
		return stringsUntilClose(toks, k+1)
	}
	return nil
}

func stringsUntilClose(toks []pyToken, k int) []pyToken {
	var out []pyToken
	for ; k < len(toks); k++ {
		t := toks[k]
		if t.text == "]" || t.text == ")" {
			break
		}
		if t.kind == pyStr {
			out = append(out, t)
		}
	}
	return out
}

// noxModuleLists finds `NAME = ["3.10", "3.11"]` and `NAME = "3.12"` at
// the start of a line, the usual way noxfiles share version lists.
func noxModuleLists(toks []pyToken) map[string][]pyToken {
	out := map[string][]pyToken{}
	for i := 0; i+2 < len(toks); i++ {
		t := toks[i]
		if t.kind != pyName || !tokIs(toks, i+1, pyOp, "=") || (i > 0 && toks[i-1].line == t.line) {
			continue
		}
		v := toks[i+2]
		switch {
		case v.kind == pyStr:
			out[t.text] = []pyToken{v}
		case v.text == "[" || v.text == "(":
			out[t.text] = stringsUntilClose(toks, i+3)
		}
	}
	return out
}
