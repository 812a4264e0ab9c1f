package rewrite

// Planning the edits to one shell snippet (a README code block, a CI `run:`
// block, a Jenkins `sh` string): venv setup statements are removed, the
// project's commands stay byte-identical.

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// dcSnippetPlan is what dcPlanSnippet decided for one snippet.
type dcSnippetPlan struct {
	// Edits are over the snippet text. Deletions and replacements of whole
	// statements cover whole lines, newline included.
	Edits []Edit
	// Setup: venv setup was found and removed (or a venv path rewritten).
	Setup bool
	// Remaining: project commands are left once the setup is gone.
	Remaining bool
	// Windows: Windows-only venv instructions were removed (in code or in a
	// comment on a removed line).
	Windows bool
	// Refused are setup commands the plan leaves alone, by snippet line.
	Refused []dcRefusal
	// Blocked: setup was found that cannot be replaced safely, so the
	// snippet is left as it is (Edits is empty) and Refused says why.
	Blocked bool
	// ParseErr is set when the snippet is not shell; nothing is planned.
	ParseErr error
}

// dcRefusal is a command left alone, at a 1-based snippet line.
type dcRefusal struct {
	Line int
	Msg  string
}

// dcStmtAction is the decision for one top-level statement.
type dcStmtAction struct {
	stmt       *syntax.Stmt
	drop       bool
	rewrite    string // when set, the statement's new text
	edits      []Edit // in-place edits (venv path prefixes)
	setup      bool
	windows    bool
	deactivate bool // the statement is `deactivate`: "exit" leaves `flox activate`
	envInstall bool // an install kept because it asks for more than the hook syncs
}

// dcPlanSnippet plans the edits to a shell snippet. replacement, when not
// empty, takes the place of the first removed setup statement (a README's
// "flox activate"); CI files pass "" because the environment wraps their
// commands instead.
func dcPlanSnippet(ctx *Context, text, replacement string) dcSnippetPlan {
	var plan dcSnippetPlan
	f, err := detect.ParseShell(strings.NewReader(text), "", syntax.LangBash, true)
	if err != nil {
		plan.ParseErr = err
		return plan
	}
	if dcCondaOnly(ctx, f, text) {
		// `conda install ...` then `pip install -e .`: the installs go into
		// the conda environment, not a venv Flox could replace.
		plan.Remaining = true
		return plan
	}
	starts := dcLineStarts(text)
	var actions []dcStmtAction
	for _, st := range f.Stmts {
		a, why := dcPlanStmt(ctx, st, text)
		if why != "" {
			plan.Refused = append(plan.Refused, dcRefusal{Line: int(st.Pos().Line()), Msg: why})
		}
		actions = append(actions, a)
	}
	// Whole-line drops first, so that comments can be judged against them.
	type drop struct {
		a           dcStmtAction
		first, last int
	}
	var drops []drop
	dropped := map[int]bool{} // 0-based snippet lines of dropped statements
	placed := false
	// An install kept before the setup it belongs with (`poetry install
	// --all-extras` then `poetry shell`) must run in the environment, so
	// `flox activate` goes before it.
	firstSetup := len(actions)
	for i, a := range actions {
		if a.setup {
			firstSetup = i
			break
		}
	}
	// A venv made before the checkout is cloned or entered (`python -m
	// venv ~/venvs/app`, then `git clone`, `cd app`): the environment
	// comes from the checkout, so `flox activate` goes after the last
	// clone or cd that follows the setup.
	if enter := dcLastEnter(actions, firstSetup, text); replacement != "" && enter >= 0 {
		if _, last, ok := dcWholeLines(text, starts, actions[enter].stmt); ok {
			at, lead := len(text), ""
			if last+1 < len(starts) {
				at = starts[last+1]
			} else if !strings.HasSuffix(text, "\n") {
				lead = "\n"
			}
			plan.Edits = append(plan.Edits, Edit{Start: at, End: at, Text: lead + replacement + "\n"})
			placed = true
		}
	}
	for i, a := range actions {
		if replacement != "" && !placed && a.envInstall && i < firstSetup && firstSetup < len(actions) {
			if first, _, ok := dcWholeLines(text, starts, a.stmt); ok {
				plan.Edits = append(plan.Edits, Edit{Start: starts[first], End: starts[first], Text: replacement + "\n"})
				placed = true
			}
		}
		if !a.setup {
			plan.Remaining = true
			continue
		}
		plan.Setup = true
		plan.Windows = plan.Windows || a.windows
		if !a.drop {
			plan.Remaining = true
			if replacement != "" && !placed && i == firstSetup {
				ls := dcLineOf(starts, int(a.stmt.Pos().Offset()))
				plan.Edits = append(plan.Edits, Edit{Start: starts[ls], End: starts[ls], Text: replacement + "\n"})
				placed = true
			}
			if a.rewrite != "" {
				plan.Edits = append(plan.Edits, Edit{Start: int(a.stmt.Pos().Offset()), End: int(a.stmt.End().Offset()), Text: a.rewrite})
			} else {
				plan.Edits = append(plan.Edits, a.edits...)
			}
			continue
		}
		first, last, ok := dcWholeLines(text, starts, a.stmt)
		if !ok {
			plan.Refused = append(plan.Refused, dcRefusal{Line: int(a.stmt.Pos().Line()),
				Msg: "venv setup shares its line with other commands"})
			plan.Remaining = true
			continue
		}
		for l := first; l <= last; l++ {
			dropped[l] = true
		}
		drops = append(drops, drop{a: a, first: first, last: last})
	}
	for _, d := range drops {
		first := dcCommentsAbove(text, starts, d.first, dropped)
		for l := first; l <= d.last; l++ {
			if t := dcLine(text, starts, l); dcWindowsText(t) || strings.Contains(strings.ToLower(t), "windows") {
				plan.Windows = true
			}
		}
		end := len(text)
		if d.last+1 < len(starts) {
			end = starts[d.last+1]
		}
		e := Edit{Start: starts[first], End: end}
		switch {
		case replacement != "" && d.a.deactivate:
			e.Text = "exit\n"
		case replacement != "" && !placed:
			e.Text = replacement + "\n"
			placed = true
		}
		plan.Edits = append(plan.Edits, e)
	}
	if len(plan.Refused) > 0 {
		// Half a setup is worse than none: leave the snippet whole.
		plan.Edits, plan.Blocked, plan.Remaining = nil, true, true
	}
	return plan
}

// dcLastEnter returns the index of the last statement after the first
// setup one that clones a repository or changes folder, or -1.
func dcLastEnter(actions []dcStmtAction, firstSetup int, src string) int {
	last := -1
	for i := firstSetup + 1; i < len(actions); i++ {
		parts := dcAndChain(actions[i].stmt)
		if parts == nil {
			parts = []*syntax.Stmt{actions[i].stmt}
		}
		for _, p := range parts {
			c, ok := p.Cmd.(*syntax.CallExpr)
			if !ok || len(c.Args) == 0 {
				continue
			}
			args, _ := dcCallWords(c, src)
			if args[0] == "cd" || args[0] == "git" && len(args) > 1 && args[1] == "clone" {
				last = i
			}
		}
	}
	return last
}

// dcPlanStmt decides what happens to one top-level statement; the second
// result explains a setup command that is left alone.
func dcPlanStmt(ctx *Context, st *syntax.Stmt, src string) (dcStmtAction, string) {
	a := dcStmtAction{stmt: st}
	if cmd, ok := dcClassifyStmtCmd(ctx, st, src); ok {
		switch {
		case cmd.kind == dcUnsafe:
			return a, cmd.why
		case cmd.kind.isSetup():
			a.drop, a.setup, a.windows, a.deactivate = true, true, cmd.kind == dcWindows, cmd.kind == dcDeactivate
			if len(st.Redirs) > 0 && st.Redirs[0].Hdoc != nil {
				return dcStmtAction{stmt: st}, "venv setup with a here-document"
			}
		default:
			a.envInstall = cmd.kind == dcEnvInstall
			if edits := dcVenvCommandEdits(ctx, st, src); len(edits) > 0 {
				a.setup, a.edits = true, edits
			}
		}
		return a, ""
	}
	if parts := dcAndChain(st); parts != nil {
		return dcPlanChain(ctx, st, parts, src)
	}
	// A compound statement: removable only when it does nothing but setup,
	// like `[ -d venv ] || python -m venv venv`.
	setup, other, windows, unsafe := 0, 0, false, ""
	syntax.Walk(st, func(n syntax.Node) bool {
		c, ok := n.(*syntax.CallExpr)
		if !ok || len(c.Args) == 0 {
			return true
		}
		args, raws := dcCallWords(c, src)
		switch k := dcClassifyCall(ctx, args, raws); {
		case k.kind == dcUnsafe:
			unsafe = k.why
		case k.kind.isSetup():
			setup++
			windows = windows || k.kind == dcWindows
		case args[0] == "[" || args[0] == "test" || args[0] == "echo" || args[0] == "true" || args[0] == ":":
		default:
			other++
		}
		return true
	})
	switch {
	case unsafe != "":
		return a, unsafe
	case setup == 0:
		return a, ""
	case other == 0:
		a.drop, a.setup, a.windows = true, true, windows
		return a, ""
	}
	return a, "venv setup inside a compound command"
}

// dcAndChain flattens `a && b && c` into its statements, or returns nil
// when st is not such a chain of simple commands.
func dcAndChain(st *syntax.Stmt) []*syntax.Stmt {
	b, ok := st.Cmd.(*syntax.BinaryCmd)
	if !ok || b.Op != syntax.AndStmt || st.Negated || st.Background || len(st.Redirs) > 0 {
		return nil
	}
	var out []*syntax.Stmt
	for _, side := range []*syntax.Stmt{b.X, b.Y} {
		if sub := dcAndChain(side); sub != nil {
			out = append(out, sub...)
			continue
		}
		switch side.Cmd.(type) {
		case *syntax.CallExpr, *syntax.DeclClause:
			out = append(out, side)
		default:
			return nil
		}
	}
	return out
}

// dcPlanChain drops the setup parts of an && chain and keeps the rest.
func dcPlanChain(ctx *Context, st *syntax.Stmt, parts []*syntax.Stmt, src string) (dcStmtAction, string) {
	a := dcStmtAction{stmt: st}
	var kept []string
	for _, p := range parts {
		cmd, _ := dcClassifyStmtCmd(ctx, p, src)
		switch {
		case cmd.kind == dcUnsafe:
			return dcStmtAction{stmt: st}, cmd.why
		case cmd.kind.isSetup():
			a.setup = true
			a.windows = a.windows || cmd.kind == dcWindows
		default:
			text := dcSource(src, p)
			if edits := dcVenvCommandEdits(ctx, p, src); len(edits) > 0 {
				off := int(p.Pos().Offset())
				for i := len(edits) - 1; i >= 0; i-- { // back to front: offsets hold
					e := edits[i]
					text = text[:e.Start-off] + e.Text + text[e.End-off:]
				}
				a.setup = true
			}
			kept = append(kept, text)
		}
	}
	if !a.setup {
		return a, ""
	}
	if len(kept) == 0 {
		a.drop = true
		return a, ""
	}
	a.rewrite = strings.Join(kept, " && ")
	return a, ""
}

// dcVenvCommandEdits returns the edits a command that ran in the venv
// needs inside the Flox environment: a venv bin prefix goes
// (".venv/bin/pytest" -> "pytest"). pip commands stay as they are: the
// hook seeds pip into the venv, so they install where they did.
func dcVenvCommandEdits(ctx *Context, st *syntax.Stmt, src string) []Edit {
	c, isCall := st.Cmd.(*syntax.CallExpr)
	if !isCall || len(c.Args) == 0 {
		return nil
	}
	prefix := 0
	if lit, isLit := c.Args[0].Parts[0].(*syntax.Lit); isLit && dcSource(src, lit) == lit.Value {
		prefix = dcVenvBinPrefix(ctx, lit.Value)
	}
	start := int(c.Args[0].Pos().Offset())
	// `python -m uv` ran the manager a dropped `pip install uv` put in the
	// runner's Python; in the environment the manager is a program of its
	// own, and the venv's Python has no such module.
	if args, _ := dcCallWords(c, src); len(args) > 2 && venvcmd.IsPython(args[0][prefix:]) && args[1] == "-m" &&
		ctx != nil && args[2] == ctx.Manager && slices.Contains([]string{"uv", "poetry", "pdm", "pipenv", "hatch"}, args[2]) {
		return []Edit{{Start: start, End: int(c.Args[2].End().Offset()), Text: args[2]}}
	}
	if prefix == 0 {
		return nil
	}
	return []Edit{{Start: start, End: start + prefix}}
}

// dcWholeLines returns the 0-based first and last lines of a statement when
// it has them to itself (nothing before it, only a comment after it).
func dcWholeLines(text string, starts []int, st *syntax.Stmt) (int, int, bool) {
	s, e := int(st.Pos().Offset()), int(st.End().Offset())
	first, last := dcLineOf(starts, s), dcLineOf(starts, max(s, e-1))
	if strings.TrimSpace(text[starts[first]:s]) != "" {
		return 0, 0, false
	}
	rest := dcLine(text, starts, last)
	restOff := e - starts[last]
	if restOff > len(rest) {
		return 0, 0, false
	}
	tail := strings.TrimSpace(rest[restOff:])
	if tail != "" && !strings.HasPrefix(tail, "#") {
		return 0, 0, false
	}
	return first, last, true
}

// dcLineStarts returns the offset of each line of text (0-based lines).
func dcLineStarts(text string) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' && i+1 < len(text) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// dcLineOf returns the 0-based line holding offset off.
func dcLineOf(starts []int, off int) int {
	l := 0
	for l+1 < len(starts) && starts[l+1] <= off {
		l++
	}
	return l
}

// dcLine returns line l of text without its newline.
func dcLine(text string, starts []int, l int) string {
	end := len(text)
	if l+1 < len(starts) {
		end = starts[l+1]
	}
	return strings.TrimRight(text[starts[l]:end], "\r\n")
}

// String renders a refusal for a follow-up message.
func (i dcRefusal) String() string { return fmt.Sprintf("line %d: %s", i.Line, i.Msg) }

// dcCommentsAbove returns the first line of the comment lines right above
// line first when they describe only dropped statements: every line from
// them down to the next blank line is a comment or dropped. Otherwise it
// returns first.
func dcCommentsAbove(text string, starts []int, first int, dropped map[int]bool) int {
	c := first
	for c > 0 && !dropped[c-1] && strings.HasPrefix(strings.TrimSpace(dcLine(text, starts, c-1)), "#") {
		c--
	}
	if c == first {
		return first
	}
	for l := first; l < len(starts); l++ {
		t := strings.TrimSpace(dcLine(text, starts, l))
		if t == "" {
			break
		}
		if !dropped[l] && !strings.HasPrefix(t, "#") {
			return first
		}
	}
	return c
}

// dcCallWords returns a call's words as the shell reads them, and as
// written.
func dcCallWords(c *syntax.CallExpr, src string) (args, raws []string) {
	for _, w := range c.Args {
		args = append(args, dcWordText(w, src))
		raws = append(raws, dcSource(src, w))
	}
	return args, raws
}

// dcCondaOnly reports a snippet that runs conda (or mamba) and never makes,
// activates or names a venv: its pip commands install into the conda
// environment, which venv2flox does not migrate.
func dcCondaOnly(ctx *Context, f *syntax.File, src string) bool {
	conda, venv := false, false
	syntax.Walk(f, func(n syntax.Node) bool {
		c, ok := n.(*syntax.CallExpr)
		if !ok || len(c.Args) == 0 {
			return true
		}
		args, raws := dcCallWords(c, src)
		switch path.Base(args[0]) {
		case "conda", "mamba", "micromamba":
			conda = true
			return true
		}
		switch dcClassifyCall(ctx, args, raws).kind {
		case dcCreate, dcActivate, dcDeactivate, dcWindows:
			venv = true
		}
		if lit, ok := c.Args[0].Parts[0].(*syntax.Lit); ok && dcVenvBinPrefix(ctx, lit.Value) > 0 {
			venv = true
		}
		return true
	})
	return conda && !venv
}
