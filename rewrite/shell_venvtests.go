package rewrite

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Once Flox owns the venv, the project's old venv folder is never there:
// a test for a path inside it (`[ -d .venv ]`, `test -x venv/bin/flake8`)
// always comes out the same way, with Flox or without it. The code it
// guarded either always runs (`[ -d .venv ] || setup`) or never does, so
// the test goes and the branch that runs takes its place. Tests of
// $VIRTUAL_ENV are not read this way: the hook sets it inside the
// environment and a CI runner does not.

// pathTestOps are the test operators that are false for a missing path.
var pathTestOps = []string{"-d", "-e", "-f", "-x", "-r", "-w", "-s", "-L", "-h"}

// venvTestHolds reports whether a test of a path in the venv holds once
// the venv folder is gone; ok is false for other tests.
func (u *unit) venvTestHolds(s *syntax.Stmt) (holds, ok bool) {
	negated := s.Negated
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) < 3 || (c.Args[0].Lit() != "[" && c.Args[0].Lit() != "test") {
			return false, false
		}
		words := c.Args[1:]
		if c.Args[0].Lit() == "[" {
			if words[len(words)-1].Lit() != "]" {
				return false, false
			}
			words = words[:len(words)-1]
		}
		if len(words) == 3 && words[0].Lit() == "!" {
			negated, words = !negated, words[1:]
		}
		if len(words) != 2 || !isPathTestOp(words[0].Lit()) || !u.isVenvPathWord(words[1]) {
			return false, false
		}
		return negated, true
	case *syntax.TestClause:
		x := c.X
		for {
			p, isParen := x.(*syntax.ParenTest)
			if !isParen {
				break
			}
			x = p.X
		}
		un, isUnary := x.(*syntax.UnaryTest)
		if isUnary && un.Op == syntax.TsNot {
			negated = !negated
			un, isUnary = un.X.(*syntax.UnaryTest)
		}
		if !isUnary {
			return false, false
		}
		w, isWord := un.X.(*syntax.Word)
		if !isWord || !isPathTestOp(un.Op.String()) || !u.isVenvPathWord(w) {
			return false, false
		}
		return negated, true
	}
	return false, false
}

func isPathTestOp(op string) bool {
	for _, o := range pathTestOps {
		if op == o {
			return true
		}
	}
	return false
}

// isVenvPathWord reports a word naming a path in the project's venv.
func (u *unit) isVenvPathWord(w *syntax.Word) bool {
	ps, ok := u.flatten(w)
	if !ok {
		return false
	}
	ref, ok := u.venvPath(ps)
	return ok && !ref.outside
}

// unwrapIf replaces an if by the statements of the branch that always runs
// (already visited: their edits are in u.edits after mark), re-indented to
// the if's column. ok is false when the layout does not allow it (the if
// shares its lines with other code).
func (u *unit) unwrapIf(s *syntax.Stmt, runs []*syntax.Stmt, mark int) bool {
	start, end := u.stmtRange(s)
	if start >= end || !u.onOwnLines(s) || len(runs) == 0 || !u.onOwnLines(runs[len(runs)-1]) {
		return false
	}
	first := int(runs[0].Pos().Offset())
	from := lineStart(u.src, first)
	if strings.TrimSpace(string(u.src[from:first])) != "" {
		return false
	}
	body, ok := u.editedText(from, int(runs[len(runs)-1].End().Offset()), mark)
	if !ok {
		return false
	}
	ind := strings.Repeat(" ", int(s.Pos().Col())-1)
	lines := strings.Split(dedent(body), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = ind + l
		}
	}
	if strings.TrimSpace(strings.Join(lines, "")) == "" {
		return false
	}
	text := strings.Join(lines, "\n") + "\n"
	if ls := lineStart(u.src, start); strings.TrimSpace(string(u.src[ls:start])) == "" {
		start = ls
	}
	u.edits = append(u.edits[:mark], Edit{Start: start, End: end, Text: text})
	var names []string
	for _, r := range runs {
		n, ok := assignsOnly(r)
		if !ok {
			return true
		}
		names = append(names, n...)
	}
	if len(names) > 0 {
		if u.unwrapped == nil {
			u.unwrapped = map[*syntax.Stmt][]string{}
		}
		u.unwrapped[s] = names
	}
	return true
}

// setsUpVenv reports an if whose branches create, activate or install
// into the venv, or point a variable into it: venv setup the Flox hook now
// does, as opposed to a check that stops with advice or a cleanup.
func (u *unit) setsUpVenv(c *syntax.IfClause) bool {
	found := false
	for b := c; b != nil && !found; b = b.Else {
		for _, st := range b.Then {
			syntax.Walk(st, func(n syntax.Node) bool {
				switch n := n.(type) {
				case *syntax.CallExpr:
					if len(n.Args) == 0 {
						for _, a := range n.Assigns {
							found = found || u.assignsVenvPath(a)
						}
						break
					}
					mark, fus, blocked, pending := len(u.edits), len(u.followUps), u.blocked, len(u.pending)
					switch u.classifyCall(n) {
					case callCreate, callActivate, callInstall, callEmptied:
						found = true
					}
					u.edits, u.followUps, u.blocked, u.pending = u.edits[:mark], u.followUps[:fus], blocked, u.pending[:pending]
				case *syntax.DeclClause:
					for _, a := range n.Args {
						found = found || u.assignsVenvPath(a)
					}
				}
				return !found
			})
		}
	}
	return found
}

// assignsVenvPath reports `PREFIX=venv/bin/`, `PIP=.venv/bin/pip`.
func (u *unit) assignsVenvPath(a *syntax.Assign) bool {
	if a == nil || a.Name == nil || a.Value == nil {
		return false
	}
	ps, ok := u.flatten(a.Value)
	if !ok {
		return false
	}
	ref, ok := u.venvPath(ps)
	return ok && !ref.outside
}
