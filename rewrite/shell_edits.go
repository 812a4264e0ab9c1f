package rewrite

import (
	"bytes"
	"fmt"
	"slices"
	"sort"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
)

// stripComments drops comment-only lines, for the emptiness check.
func stripComments(b []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			out = append(out, t...)
		}
	}
	return out
}

// normalizeEdits sorts edits, insertions first at a shared offset, and
// merges overlapping deletions (a removed statement and the blank line
// after a removed neighbour).
func normalizeEdits(edits []Edit) ([]Edit, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Start != sorted[j].Start {
			return sorted[i].Start < sorted[j].Start
		}
		return sorted[i].End-sorted[i].Start < sorted[j].End-sorted[j].Start
	})
	var out []Edit
	for _, e := range sorted {
		if n := len(out); n > 0 && e.Text == "" && out[n-1].Text == "" && e.Start == out[n-1].End && e.Start < e.End {
			out[n-1].End = e.End // touching deletions become one
			continue
		}
		if n := len(out); n > 0 && e.Start < out[n-1].End {
			last := &out[n-1]
			if last.Text != "" || e.Text != "" {
				if *last == e {
					continue
				}
				return nil, fmt.Errorf("overlapping edits at offset %d", e.Start)
			}
			last.End = max(last.End, e.End)
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// tidyBlankLines widens deletions of whole lines so that they leave no
// run of two blank lines, nor a blank line at the end of the text.
func tidyBlankLines(src []byte, edits []Edit) []Edit {
	blank := func(from int) bool {
		return from < len(src) && len(bytes.TrimSpace(src[from:lineEnd(src, from)])) == 0
	}
	for i := range edits {
		e := &edits[i]
		if e.Text != "" || e.Start >= e.End || lineStart(src, e.Start) != e.Start || (e.End < len(src) && lineStart(src, e.End) != e.End) {
			continue
		}
		if i > 0 && edits[i-1].Text != "" && edits[i-1].End == e.Start || i+1 < len(edits) && edits[i+1].Text != "" && edits[i+1].Start == e.End {
			continue // lines replaced by inserted text keep their spacing
		}
		prevBlank := e.Start > 0 && blank(lineStart(src, e.Start-1))
		nextLimit := len(src)
		if i+1 < len(edits) {
			nextLimit = edits[i+1].Start
		}
		prevLimit := 0
		if i > 0 {
			prevLimit = edits[i-1].End
		}
		switch {
		case (prevBlank || e.Start == 0) && blank(e.End) && lineEnd(src, e.End) <= nextLimit:
			e.End = lineEnd(src, e.End)
		case prevBlank && e.End == len(src) && lineStart(src, e.Start-1) >= prevLimit:
			e.Start = lineStart(src, e.Start-1)
		}
	}
	return edits
}

// dropUnusedVars removes assignments of venv variables nothing uses any
// more once the other edits are made.
func (u *unit) dropUnusedVars() {
	if len(u.varDefs) == 0 && len(u.edits) == 0 && len(u.unwrapped) == 0 {
		return // nothing to drop: skip the re-parse
	}
	dropped := map[*syntax.Stmt]bool{}
	// Only top-level assignments: dropping one from an if or a function
	// body could leave that body empty.
	top := map[*syntax.Stmt]bool{}
	for _, s := range u.file.Stmts {
		top[s] = true
	}
	// Variables whose every use went with removed code go too:
	// PYTHON=python3 fed only `"$PYTHON" -m venv venv`.
	usedBefore := paramUses(u.file)
	defs := slices.Clone(u.varDefs)
	for _, s := range u.file.Stmts {
		if names, ok := assignsOnly(s); ok {
			for _, n := range names {
				if usedBefore[n] > 0 {
					defs = append(defs, varDef{name: n, stmt: s})
				}
			}
		}
	}
	for s, names := range u.unwrapped {
		for _, n := range names {
			defs = append(defs, varDef{name: n, stmt: s})
		}
	}
	if len(defs) == 0 {
		return
	}
	for range 3 {
		edits, err := normalizeEdits(u.edits)
		if err != nil {
			return
		}
		after, err := applyEdits(u.src, edits)
		if err != nil {
			return
		}
		f, err := detect.ParseShell(bytes.NewReader(after), "", langOr(u.opts.Lang), false)
		if err != nil {
			return
		}
		used := paramUses(f)
		changed := false
		for _, d := range defs {
			// An exported variable may be read by the programs the script
			// starts, unless all it held was a path into the venv.
			venvVar := u.vars["$"+d.name].kind == varVenvDir || u.vars["$"+d.name].kind == varVenvBin
			if !top[d.stmt] || dropped[d.stmt] || used[d.name] > 0 || u.exported(d.stmt) && !venvVar {
				continue
			}
			names, ok := assignsOnly(d.stmt)
			if un, isIf := u.unwrapped[d.stmt]; isIf {
				names, ok = un, true
			}
			if !u.onlyAssigns(d.stmt) && !(ok && allUnused(names, used)) {
				continue
			}
			dropped[d.stmt] = true
			rs, re := u.stmtRange(d.stmt)
			kept := u.edits[:0]
			for _, e := range u.edits {
				if e.Start < rs || e.End > re {
					kept = append(kept, e) // edits inside the dropped statement go with it
				}
			}
			u.edits = kept
			u.addRemoval(rs, re)
			changed = true
		}
		if !changed {
			return
		}
	}
}

// paramUses counts the expansions of each variable in a file.
func paramUses(f *syntax.File) map[string]int {
	used := map[string]int{}
	syntax.Walk(f, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil {
			used[pe.Param.Value]++
		}
		return true
	})
	return used
}

// assignsOnly returns the variables a statement assigns when assigning is
// all it does, tests aside: `X=1`, `[ "$1" = -p ] && X=$2 || X=python3`.
func assignsOnly(s *syntax.Stmt) ([]string, bool) {
	if s == nil || len(s.Redirs) > 0 || s.Background || s.Coprocess {
		return nil, false
	}
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 && len(c.Assigns) > 0 {
			var names []string
			for _, a := range c.Assigns {
				if a.Name == nil || a.Value != nil && hasCommandSubst(a.Value) {
					return nil, false
				}
				names = append(names, a.Name.Value)
			}
			return names, true
		}
		if len(c.Assigns) == 0 && len(c.Args) > 0 && (c.Args[0].Lit() == "[" || c.Args[0].Lit() == "test") {
			return nil, true
		}
	case *syntax.TestClause:
		return nil, true
	case *syntax.BinaryCmd:
		if c.Op != syntax.AndStmt && c.Op != syntax.OrStmt {
			return nil, false
		}
		x, okx := assignsOnly(c.X)
		y, oky := assignsOnly(c.Y)
		return append(x, y...), okx && oky && len(x)+len(y) > 0
	}
	return nil, false
}

// hasCommandSubst reports a word that runs a command: `$(...)`.
func hasCommandSubst(w *syntax.Word) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		if _, ok := n.(*syntax.CmdSubst); ok {
			found = true
		}
		return !found
	})
	return found
}

func allUnused(names []string, used map[string]int) bool {
	for _, n := range names {
		if used[n] > 0 {
			return false
		}
	}
	return len(names) > 0
}

func (u *unit) exported(s *syntax.Stmt) bool {
	d, ok := s.Cmd.(*syntax.DeclClause)
	return ok && (d.Variant.Value == "export" || d.Variant.Value == "readonly" || d.Variant.Value == "declare")
}

func (u *unit) onlyAssigns(s *syntax.Stmt) bool {
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		return len(c.Args) == 0 && len(c.Assigns) == 1
	case *syntax.DeclClause:
		return len(c.Args) == 1
	}
	return false
}

func langOr(l syntax.LangVariant) syntax.LangVariant {
	if l == 0 {
		return syntax.LangBash
	}
	return l
}

// stmtRange returns the bytes to delete for a statement: its whole lines
// (with the comment lines just above it and one surplus blank line) when
// it is alone on them, else just the statement and its spacing.
func (u *unit) stmtRange(s *syntax.Stmt) (int, int) {
	start, end := int(s.Pos().Offset()), int(s.End().Offset())
	if start > end || end > len(u.src) {
		return 0, 0
	}
	ls := lineStart(u.src, start)
	le := lineEnd(u.src, max(end-1, start))
	before := u.src[ls:start]
	after := bytes.TrimLeft(u.src[end:max(le, end)], " \t")
	alone := len(bytes.TrimLeft(before, " \t")) == 0
	trailing := len(bytes.TrimSpace(after)) == 0 || after[0] == '#'
	switch {
	case alone && trailing:
		// Comment lines directly above describe the statement.
		for ls > u.header {
			ps := lineStart(u.src, ls-1)
			line := bytes.TrimSpace(u.src[ps:ls])
			if len(line) == 0 || line[0] != '#' || ps < u.header {
				break
			}
			ls = ps
		}
		return ls, le
	case trailing:
		trimmed := start
		for start > ls && (u.src[start-1] == ' ' || u.src[start-1] == '\t') {
			start--
		}
		if start < trimmed && end < len(u.src) && u.src[end] == '#' {
			start++ // `{ cmd&#note`: a comment needs a blank before it
		}
		return start, end
	default:
		for end < len(u.src) && (u.src[end] == ' ' || u.src[end] == '\t') {
			end++
		}
		return start, end
	}
}

// lineStart returns the offset of the first byte of the line holding off.
func lineStart(src []byte, off int) int {
	off = min(max(off, 0), len(src))
	i := bytes.LastIndexByte(src[:off], '\n')
	return i + 1
}

// lineEnd returns the offset just after the newline ending the line that
// holds off (or len(src)).
func lineEnd(src []byte, off int) int {
	off = min(max(off, 0), len(src))
	i := bytes.IndexByte(src[off:], '\n')
	if i < 0 {
		return len(src)
	}
	return off + i + 1
}
