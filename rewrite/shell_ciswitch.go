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
// Once CI runs in the Flox environment too, the CI branch is what both
// should do: the environment is already there. The if gives way to that
// branch, which the next pass rewrites like any other code.

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

// collapseCISwitch replaces an if on a CI variable whose local branch sets
// up the venv by its CI branch, re-indented to the if's column. ok is false
// when the CI branch uses the venv itself.
func (u *unit) collapseCISwitch(s *syntax.Stmt, c *syntax.IfClause) bool {
	ci, local, ok := u.ciSwitch(c)
	if !ok || !u.mentionsVenvIn(local) || u.mentionsVenvIn(ci) {
		return false
	}
	start, end := u.stmtRange(s)
	if start >= end || !u.onOwnLines(s) {
		return false
	}
	text := ""
	if len(ci) > 0 {
		first := int(ci[0].Pos().Offset())
		from := lineStart(u.src, first)
		if strings.TrimSpace(string(u.src[from:first])) != "" || !u.onOwnLines(ci[len(ci)-1]) {
			return false // `if ...; then a; else b; fi` on one line: left as it is
		}
		ind := strings.Repeat(" ", int(s.Pos().Col())-1)
		to := int(ci[len(ci)-1].End().Offset())
		body := string(u.src[from:to])
		cut := int(ci[0].Pos().Col()) - 1
		lines := strings.Split(body, "\n")
		for i, l := range lines {
			trimmed := strings.TrimLeft(l, " \t")
			if lead := len(l) - len(trimmed); lead >= cut {
				lines[i] = ind + l[cut:]
			} else {
				lines[i] = ind + trimmed
			}
		}
		text = strings.Join(lines, "\n") + "\n"
		ls := lineStart(u.src, start)
		if strings.TrimSpace(string(u.src[ls:start])) == "" {
			start = ls // the if started its line: the branch takes it over
		}
	}
	u.edits = append(u.edits, Edit{Start: start, End: end, Text: text})
	u.usesVenv = true
	u.dropPending(int(c.Cond[0].Pos().Offset()), int(c.Cond[0].End().Offset()))
	return true
}

// onOwnLines reports a statement with nothing else on its first and last
// lines (comments aside).
func (u *unit) onOwnLines(st *syntax.Stmt) bool {
	start, end := int(st.Pos().Offset()), int(st.End().Offset())
	before := strings.TrimSpace(string(u.src[lineStart(u.src, start):start]))
	after := strings.TrimSpace(string(u.src[end:lineEnd(u.src, end)]))
	return before == "" && (after == "" || strings.HasPrefix(after, "#"))
}

// mentionsVenvIn reports statements that create, activate or name the
// venv.
func (u *unit) mentionsVenvIn(stmts []*syntax.Stmt) bool {
	for _, st := range stmts {
		t := strings.ToLower(string(u.src[st.Pos().Offset():st.End().Offset()]))
		if strings.Contains(t, " -m venv") || strings.Contains(t, "virtualenv") || strings.Contains(t, "bin/activate") {
			return true
		}
		for _, d := range dcVenvDirs(u.ctx) {
			if strings.Contains(t, strings.ToLower(d)+"/bin") {
				return true
			}
		}
	}
	return false
}

// dropPending forgets the pending follow-ups raised on the lines of
// [start, end).
func (u *unit) dropPending(start, end int) {
	first, last := u.evidence(start).Line, u.evidence(end).Line
	u.pending = slices.DeleteFunc(u.pending, func(f FollowUp) bool {
		return f.Evidence.Line >= first && f.Evidence.Line <= last
	})
}
