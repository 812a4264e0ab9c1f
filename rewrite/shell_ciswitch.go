package rewrite

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Scripts that serve both a laptop and CI often branch on a CI variable:
//
//	if [ -z "$GITHUB_ACTIONS" ]; then
//	    python -m venv venv
//	    PIP="venv/bin/pip"
//	else
//	    PIP="pip"
//	fi
//
// The CI branch stays as it is: jobs that are not moved to Flox still run
// it, on the Python their runner set up. The local branch loses its venv
// setup like any other code; when it then reads exactly like the CI
// branch, the if has nothing left to decide and gives way to that branch.

// ciSwitch returns the branch of an if that runs in CI, when the if only
// tests whether a CI variable is set (-z, -n, = "", = "true", with or
// without !) and has no elif.
func (u *unit) ciSwitch(c *syntax.IfClause) (ci []*syntax.Stmt, local []*syntax.Stmt, ok bool) {
	if len(c.Cond) != 1 || c.Else != nil && c.Else.ThenPos.IsValid() {
		return nil, nil, false // an elif
	}
	inCI, ok := ciTest(c.Cond[0])
	if !ok {
		return nil, nil, false
	}
	var elseStmts []*syntax.Stmt
	if c.Else != nil {
		elseStmts = c.Else.Then
	}
	if inCI {
		return c.Then, elseStmts, true
	}
	return elseStmts, c.Then, true
}

// ciTest reads a test of a CI variable and reports whether it holds in CI.
func ciTest(s *syntax.Stmt) (inCI bool, ok bool) {
	negated := s.Negated
	var words []*syntax.Word
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) < 3 || (c.Args[0].Lit() != "[" && c.Args[0].Lit() != "test") {
			return false, false
		}
		words = c.Args[1:]
		if c.Args[0].Lit() == "[" {
			if words[len(words)-1].Lit() != "]" {
				return false, false
			}
			words = words[:len(words)-1]
		}
	case *syntax.TestClause:
		return ciTestExpr(c.X, negated)
	default:
		return false, false
	}
	if len(words) > 0 && words[0].Lit() == "!" {
		negated, words = !negated, words[1:]
	}
	switch {
	case len(words) == 2 && (words[0].Lit() == "-z" || words[0].Lit() == "-n") && isCIVar(words[1]):
		return (words[0].Lit() == "-n") != negated, true
	case len(words) == 3 && isCIVar(words[0]):
		return ciCompare(words[1].Lit(), words[2], negated)
	}
	return false, false
}

func ciTestExpr(x syntax.TestExpr, negated bool) (bool, bool) {
	switch x := x.(type) {
	case *syntax.UnaryTest:
		if x.Op == syntax.TsNot {
			return ciTestExpr(x.X, !negated)
		}
		w, isWord := x.X.(*syntax.Word)
		if !isWord || !isCIVar(w) || (x.Op != syntax.TsEmpStr && x.Op != syntax.TsNempStr) {
			return false, false
		}
		return (x.Op == syntax.TsNempStr) != negated, true
	case *syntax.BinaryTest:
		w, isWord := x.X.(*syntax.Word)
		y, yWord := x.Y.(*syntax.Word)
		if !isWord || !yWord || !isCIVar(w) {
			return false, false
		}
		return ciCompare(x.Op.String(), y, negated)
	case *syntax.ParenTest:
		return ciTestExpr(x.X, negated)
	}
	return false, false
}

// ciCompare reads `$CI = "true"` (holds in CI) and `$CI = ""` (does not).
func ciCompare(op string, value *syntax.Word, negated bool) (bool, bool) {
	v := strings.ToLower(strings.Trim(wordSource(value), `"'`))
	eq := op == "=" || op == "=="
	if !eq && op != "!=" {
		return false, false
	}
	switch v {
	case "true", "1", "yes":
		return eq != negated, true
	case "":
		return !eq != negated, true
	}
	return false, false
}

// isCIVar reports a word that is just a CI variable: $CI, "${GITHUB_ACTIONS}",
// "${CI:-}".
func isCIVar(w *syntax.Word) bool {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 1 {
		return false
	}
	pe, ok := parts[0].(*syntax.ParamExp)
	return ok && pe.Param != nil && slices.Contains(ciVars, pe.Param.Value) && pe.Index == nil &&
		(pe.Exp == nil || pe.Exp.Word == nil || pe.Exp.Word.Lit() == "")
}

// wordSource renders a literal or quoted literal word.
func wordSource(w *syntax.Word) string {
	var b strings.Builder
	syntax.NewPrinter().Print(&b, w)
	return b.String()
}

// collapseCISwitch replaces an if on a CI variable whose branches read the
// same once rewritten by that branch, re-indented to the if's column. It
// runs after the branches were visited; ok is false when they differ.
func (u *unit) collapseCISwitch(s *syntax.Stmt, c *syntax.IfClause, mark int) bool {
	ci, local, ok := u.ciSwitch(c)
	if !ok || len(ci) == 0 || len(local) == 0 {
		return false
	}
	start, end := u.stmtRange(s)
	if start >= end || !u.onOwnLines(s) || !u.onOwnLines(ci[len(ci)-1]) || !u.onOwnLines(local[len(local)-1]) {
		return false
	}
	branchText := func(stmts []*syntax.Stmt) (string, bool) {
		first := int(stmts[0].Pos().Offset())
		from := lineStart(u.src, first)
		if strings.TrimSpace(string(u.src[from:first])) != "" {
			return "", false // `if ...; then a; else b; fi` on one line: left as it is
		}
		text, ok := u.editedText(from, int(stmts[len(stmts)-1].End().Offset()), mark)
		return text, ok
	}
	ciText, ok1 := branchText(ci)
	localText, ok2 := branchText(local)
	if !ok1 || !ok2 || dedent(ciText) != dedent(localText) {
		return false
	}
	ind := strings.Repeat(" ", int(s.Pos().Col())-1)
	lines := strings.Split(dedent(ciText), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = ind + l
		}
	}
	text := strings.Join(lines, "\n") + "\n"
	if ls := lineStart(u.src, start); strings.TrimSpace(string(u.src[ls:start])) == "" {
		start = ls // the if started its line: the branch takes it over
	}
	u.edits = append(u.edits[:mark], Edit{Start: start, End: end, Text: text})
	return true
}

// editedText returns src[from:to] with the unit's edits since mark
// applied; ok is false when an edit crosses the range's edges.
func (u *unit) editedText(from, to, mark int) (string, bool) {
	var inside []Edit
	for _, e := range u.edits[mark:] {
		switch {
		case e.Start >= from && e.End <= to:
			inside = append(inside, Edit{Start: e.Start - from, End: e.End - from, Text: e.Text})
		case e.Start < to && e.End > from:
			return "", false
		}
	}
	inside, err := normalizeEdits(inside)
	if err != nil {
		return "", false
	}
	out, err := applyEdits(u.src[from:to], inside)
	if err != nil {
		return "", false
	}
	return string(out), true
}

// dedent removes the indentation the non-blank lines of text share and
// any trailing blank lines.
func dedent(text string) string {
	lines := strings.Split(strings.TrimRight(text, " \t\r\n"), "\n")
	common := -1
	for _, l := range lines {
		t := strings.TrimLeft(l, " \t")
		if t == "" {
			continue
		}
		if n := len(l) - len(t); common < 0 || n < common {
			common = n
		}
	}
	for i, l := range lines {
		if len(l) >= common && common > 0 {
			lines[i] = l[common:]
		} else {
			lines[i] = strings.TrimLeft(l, " \t")
		}
	}
	return strings.Join(lines, "\n")
}

// onOwnLines reports a statement with nothing else on its first and last
// lines (comments aside).
func (u *unit) onOwnLines(st *syntax.Stmt) bool {
	start, end := int(st.Pos().Offset()), int(st.End().Offset())
	before := strings.TrimSpace(string(u.src[lineStart(u.src, start):start]))
	after := strings.TrimSpace(string(u.src[end:lineEnd(u.src, end)]))
	return before == "" && (after == "" || strings.HasPrefix(after, "#"))
}
