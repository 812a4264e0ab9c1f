package rewrite

import (
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// A script may serve callers that stay outside Flox and then use its venv
// themselves: a CI matrix job on setup-python runs scripts/bootstrap, then
// .venv/bin/pytest. Deleting the script's venv setup would leave that job
// without .venv. Such a script (Context.VenvUsers) keeps its venv setup,
// behind a test that lets it run only outside the project's Flox
// environment, where the re-run guard at the top did not take the script
// into Flox:
//
//	# Without Flox, make and enter .venv as before: callers outside Flox use it after this script.
//	if [ "${FLOX_ENV_PROJECT:-}" != "$_flox_project" ]; then
//	  if [ ! -d .venv ]; then
//	    python3 -m venv .venv
//	  fi
//	  . .venv/bin/activate
//	fi
//
// The statements the rewrite removes go inside the test as they were
// written; the commands that ran from the venv by path are plain commands
// now, so when the script did not activate the venv itself the block
// activates it, and those commands still run from it. Inside the Flox
// environment the block is skipped and the hook's venv serves. Once the
// callers move to Flox the block can go. Leaving the script untouched
// instead would keep contributors with Flox building a second venv.

// noFloxTest holds outside the project's Flox environment: $_flox_project
// is the project folder the re-run guard computes (see scriptGuard).
const noFloxTest = `[ "${FLOX_ENV_PROJECT:-}" != "$` + guardDirVar + `" ]`

// The comments of the kept setup and of an activation for a script that
// only ran programs from the venv; %s is the venv folder.
const (
	noFloxSetupComment = "# Without Flox, make and enter %s as before: callers outside Flox use it after this script.\n"
	noFloxUseComment   = "# Without Flox, run from %s as before: callers outside Flox set it up for this script.\n"
)

// guardRemoved puts the removed statements of a list, each run of
// neighbours together, behind noFloxTest instead of deleting them. A run
// that shares a line with other commands cannot be set apart: the script
// is then left alone.
func (u *unit) guardRemoved(stmts []*syntax.Stmt, flags []verdict) {
	for i := 0; i < len(stmts); i++ {
		if flags[i] != remove {
			continue
		}
		j := i
		for j+1 < len(stmts) && flags[j+1] == remove {
			j++
		}
		first, last := stmts[i], stmts[j]
		if !u.onOwnLines(first) || !u.onOwnLines(last) {
			u.blockAt(first, "sets up the venv that callers outside Flox use after this script, on a line shared with other commands",
				"Put the venv setup on its own lines, or move those callers to Flox, then run venv2flox again.")
			return
		}
		start := lineStart(u.src, int(first.Pos().Offset()))
		end := lineEnd(u.src, int(last.End().Offset())-1)
		kept := u.edits[:0]
		for _, e := range u.edits {
			if e.End <= start || e.Start >= end {
				kept = append(kept, e) // edits inside go: the block keeps the original text
			}
		}
		u.edits = append(kept, Edit{Start: start, End: end, Text: u.noFloxBlock(start, end, "")})
		u.guards = append(u.guards, [2]int{start, end})
		i = j
	}
}

// noFloxBlock is src[start:end] (whole lines) indented one step inside
// the noFloxTest if, with extra (an activation) as its last line.
func (u *unit) noFloxBlock(start, end int, extra string) string {
	nl := newline(u.raw)
	body := strings.TrimRight(string(u.raw[start:end]), "\r\n")
	ind := body[:len(body)-len(strings.TrimLeft(body, " \t"))]
	step := indentStep(u.raw)
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	if u.indentable(start, end) {
		for i, l := range lines {
			if strings.TrimSpace(l) != "" {
				lines[i] = step + l
			}
		}
	}
	if extra != "" {
		lines = append(lines, ind+step+extra)
	}
	return ind + "if " + noFloxTest + "; then" + nl + strings.Join(lines, nl) + nl + ind + "fi" + nl
}

// indentable reports whether the lines of src[start:end] can be indented
// without changing what they say: no here-document or quoted text in them
// spans lines.
func (u *unit) indentable(start, end int) bool {
	ok := true
	syntax.Walk(u.file, func(n syntax.Node) bool {
		if n == nil || !ok {
			return false
		}
		if int(n.End().Offset()) <= start || int(n.Pos().Offset()) >= end {
			return true
		}
		switch n := n.(type) {
		case *syntax.Redirect:
			ok = n.Hdoc == nil
		case *syntax.SglQuoted, *syntax.DblQuoted:
			ok = n.Pos().Line() == n.End().Line()
		}
		return ok
	})
	return ok
}

// indentStep is the script's indentation: its first indented line's, or
// two spaces.
func indentStep(src []byte) string {
	for _, l := range strings.Split(string(src), "\n") {
		t := strings.TrimLeft(l, " \t")
		if t != "" && len(t) < len(l) && !strings.HasPrefix(t, "#") {
			return l[:len(l)-len(t)]
		}
	}
	return "  "
}

// finishGuards makes sure the venv is active in runs without Flox once the
// kept blocks ran, and explains the first of them. A block that creates
// the venv activates it when none does; a script that only ran programs
// from it gets an activation of its own, returned for the re-run guard to
// go before (it is "" when not needed).
func (u *unit) finishGuards() string {
	var blocks []*Edit // in file order
	for i := range u.edits {
		e := &u.edits[i]
		for _, g := range u.guards {
			if e.Start == g[0] && e.End == g[1] && strings.Contains(e.Text, noFloxTest) {
				blocks = append(blocks, e)
				break
			}
		}
	}
	sort.Slice(blocks, func(a, b int) bool { return blocks[a].Start < blocks[b].Start })
	last := func(want callKind) *Edit {
		var at *Edit
		for _, b := range blocks {
			for off, k := range u.venvCalls {
				if k == want && b.Start <= off && off < b.End {
					at = b
				}
			}
		}
		return at
	}
	dir := u.opts.KeepOutsideFlox[0]
	nl := newline(u.raw)
	comment := func(format string) string {
		return withNewline(strings.Replace(format, "%s", dir, 1), nl)
	}
	// From the project folder: the script may not be in it yet.
	activate := `. "$` + guardDirVar + "/" + dir + `/bin/activate"`
	if strings.HasPrefix(dir, "$") {
		activate = `. "` + dir + `/bin/activate"` // a folder the caller names
	}
	switch creates := last(callCreate); {
	case last(callActivate) != nil:
	case creates != nil:
		// The venv the block creates, named as the script names it.
		at := -1
		for off, k := range u.venvCalls {
			if k == callCreate && creates.Start <= off && off < creates.End && u.activatePaths[off] != "" && off > at {
				activate, at = ". "+u.activatePaths[off], off
			}
		}
		creates.Text = u.noFloxBlock(creates.Start, creates.End, activate)
	case u.usesVenv:
		return comment(noFloxUseComment) + "if " + noFloxTest + "; then " + activate + "; fi" + nl
	}
	if len(blocks) > 0 {
		first := blocks[0]
		ind := first.Text[:len(first.Text)-len(strings.TrimLeft(first.Text, " \t"))]
		format := noFloxSetupComment
		if last(callCreate) == nil {
			format = noFloxUseComment
		}
		first.Text = ind + comment(format) + first.Text
	}
	return ""
}

// isNoFloxBlock reports an if that tests noFloxTest: a block an earlier
// run kept for callers outside Flox, left as it is.
func (u *unit) isNoFloxBlock(c *syntax.IfClause) bool {
	if len(c.Cond) != 1 {
		return false
	}
	cond := c.Cond[0]
	if cond.Cmd == nil || cond.Negated {
		return false
	}
	return string(u.src[cond.Cmd.Pos().Offset():cond.Cmd.End().Offset()]) == noFloxTest
}

// activatePath returns the path of the activate script of the venv a
// create command makes, spelled as the command names the folder:
// "$VENV/bin/activate" for `python3 -m venv "$VENV"`, .venv/bin/activate
// for `uv venv`. "" when the folder is not a plain word.
func (u *unit) activatePath(c *syntax.CallExpr) string {
	var dirs []*syntax.Word
	for i := 1; i < len(c.Args); i++ {
		switch t := c.Args[i].Lit(); {
		case t == "-m" || t == "--prompt" || t == "-p" || t == "--python" || t == "--seed-version":
			i++ // the module (venv, virtualenv) or the option's value
		case strings.HasPrefix(t, "-"):
		default:
			dirs = append(dirs, c.Args[i])
		}
	}
	if c.Args[0].Lit() == "uv" && len(dirs) > 0 {
		dirs = dirs[1:] // the subcommand
	}
	if len(dirs) == 0 {
		return ".venv/bin/activate" // uv venv's default
	}
	w := dirs[len(dirs)-1]
	text := string(u.src[w.Pos().Offset():w.End().Offset()])
	if strings.ContainsAny(text, "\n'`") || strings.Contains(text, "$(") {
		return ""
	}
	if inner, ok := strings.CutPrefix(text, `"`); ok && strings.HasSuffix(inner, `"`) && len(w.Parts) == 1 {
		return `"` + strings.TrimSuffix(inner, `"`) + `/bin/activate"`
	}
	return strings.TrimSuffix(text, "/") + "/bin/activate"
}

// NoFloxLines returns the line ranges (first, last, 1-based) of the blocks
// a shell script keeps for callers outside Flox: the venv uses in them are
// meant to stay. A text that does not parse as shell has none.
func NoFloxLines(src []byte) [][2]int {
	f, err := syntax.NewParser(syntax.KeepComments(true)).Parse(strings.NewReader(string(src)), "")
	if err != nil {
		return nil
	}
	u := &unit{src: src}
	var out [][2]int
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.IfClause); ok && u.isNoFloxBlock(c) {
			out = append(out, [2]int{int(c.Pos().Line()), int(c.End().Line())})
			return false
		}
		return true
	})
	return out
}
