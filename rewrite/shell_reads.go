package rewrite

import (
	"bytes"
	"slices"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
)

// readValueOptions are the `read` options that take a value; -a takes the
// array the answer goes to.
var readValueOptions = []string{"-p", "-t", "-n", "-N", "-d", "-u", "-i"}

// dropOrphanedReads removes the `read` prompts whose answers only fed code
// the migration removed: `read -p "Install dev dependencies [y/N]? "` ahead
// of an `if [[ $REPLY =~ ^[Yy]$ ]]` that ran pip would otherwise ask a
// question nothing uses. The answer's uses are those in the statements that
// follow the read in its list; a read with none (a "press Enter" pause)
// stays.
func (u *unit) dropOrphanedReads() {
	if len(u.edits) == 0 {
		return
	}
	saved := slices.Clone(u.edits)
	dropped := false
	eachStmtList(u.file, func(list []*syntax.Stmt) {
		for i, s := range list {
			names, ok := readTargets(s)
			if !ok {
				continue
			}
			rs, re := u.stmtRange(s)
			if rs >= re || u.removed(rs, re) {
				continue
			}
			uses, orphaned := 0, true
			for _, later := range list[i+1:] {
				syntax.Walk(later, func(n syntax.Node) bool {
					if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil && slices.Contains(names, pe.Param.Value) {
						uses++
						off := int(pe.Pos().Offset())
						orphaned = orphaned && u.removed(off, off+1)
					}
					return true
				})
			}
			if uses > 0 && orphaned {
				u.addRemoval(rs, re)
				dropped = true
			}
		}
	})
	if dropped {
		if _, ok := u.parseEdited(); !ok {
			u.edits = saved // a body left empty: keep the reads
		}
	}
}

// parseEdited parses the unit's source with its edits applied.
func (u *unit) parseEdited() (*syntax.File, bool) {
	edits, err := normalizeEdits(u.edits)
	if err != nil {
		return nil, false
	}
	out, err := applyEdits(u.src, edits)
	if err != nil {
		return nil, false
	}
	f, err := detect.ParseShell(bytes.NewReader(out), "", langOr(u.opts.Lang), false)
	return f, err == nil
}

// removed reports whether an edit already deletes [start, end).
func (u *unit) removed(start, end int) bool {
	for _, e := range u.edits {
		if e.Text == "" && e.Start <= start && e.End >= end {
			return true
		}
	}
	return false
}

// readTargets returns the variables a plain `read` statement sets (REPLY
// when it names none).
func readTargets(s *syntax.Stmt) ([]string, bool) {
	c, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || len(c.Args) == 0 || c.Args[0].Lit() != "read" || len(s.Redirs) > 0 || s.Negated || s.Background {
		return nil, false
	}
	var names []string
	for i := 1; i < len(c.Args); i++ {
		a := c.Args[i].Lit()
		switch {
		case a == "-a" && i+1 < len(c.Args):
			i++
			names = append(names, c.Args[i].Lit())
		case slices.Contains(readValueOptions, a):
			i++
		case len(a) > 1 && a[0] == '-':
		case a == "":
			return nil, false // an expansion: not sure what it sets
		default:
			names = append(names, a)
		}
	}
	if len(names) == 0 {
		names = []string{"REPLY"}
	}
	return names, true
}

// eachStmtList calls fn with every statement list: a file, block,
// function or branch body (not conditions).
func eachStmtList(f *syntax.File, fn func([]*syntax.Stmt)) {
	fn(f.Stmts)
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Block:
			fn(n.Stmts)
		case *syntax.Subshell:
			fn(n.Stmts)
		case *syntax.IfClause:
			fn(n.Then)
		case *syntax.WhileClause:
			fn(n.Do)
		case *syntax.ForClause:
			fn(n.Do)
		case *syntax.CaseItem:
			fn(n.Stmts)
		}
		return true
	})
}
