package rewrite

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

type verdict int

const (
	keep      verdict = iota
	remove            // the statement goes away
	venvTest          // a test of the venv: goes away with what it guards
	installed         // an install kept in an entry point (opts.KeepInstalls)
)

func allRemoved(flags []verdict) bool {
	for _, f := range flags {
		if f != remove {
			return false
		}
	}
	return true
}

func (u *unit) visitList(stmts []*syntax.Stmt) []verdict {
	flags := make([]verdict, len(stmts))
	for i, s := range stmts {
		flags[i] = u.visitStmt(s)
	}
	return flags
}

// removeFromList deletes the removed statements of a list that keeps at
// least one statement.
func (u *unit) removeFromList(stmts []*syntax.Stmt, flags []verdict) {
	if len(u.opts.KeepOutsideFlox) > 0 {
		u.guardRemoved(stmts, flags)
		return
	}
	for i, s := range stmts {
		if flags[i] == remove {
			u.addRemoval(u.stmtRange(s))
		}
	}
}

func (u *unit) addRemoval(start, end int) {
	if start < end {
		u.edits = append(u.edits, Edit{Start: start, End: end})
	}
}

func (u *unit) visitStmt(s *syntax.Stmt) verdict {
	if s == nil || s.Cmd == nil {
		return keep
	}
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		return u.visitCall(s, c)
	case *syntax.DeclClause:
		return u.visitAssigns(s, c.Args)
	case *syntax.BinaryCmd:
		return u.visitBinary(c)
	case *syntax.IfClause:
		return u.visitIf(s, c)
	case *syntax.Block:
		return u.visitBody(c.Stmts, true)
	case *syntax.Subshell:
		return u.visitBody(c.Stmts, true)
	case *syntax.FuncDecl:
		// Functions that only set up the venv were found on the dry run
		// (u.emptied); others keep their body's partial edits.
		if c.Name != nil && u.emptied[c.Name.Value] {
			u.usesVenv = true // its venv setup went with it
			return remove
		}
		u.visitStmt(c.Body)
		return keep
	case *syntax.TimeClause:
		return u.visitStmt(c.Stmt)
	case *syntax.TestClause:
		if u.isVenvTestExpr(c.X) {
			return venvTest
		}
	case *syntax.WhileClause:
		u.visitBody(c.Cond, false)
		u.visitBody(c.Do, false)
	case *syntax.ForClause:
		u.visitBody(c.Do, false)
	case *syntax.CaseClause:
		for _, item := range c.Items {
			flags := u.visitList(item.Stmts)
			u.removeFromList(item.Stmts, flags)
		}
	}
	return keep
}

// visitBody handles a nested list. When every statement goes away the
// whole construct goes if it may (blocks, subshells); a loop body cannot
// become empty, so such a loop is left alone and reported.
func (u *unit) visitBody(stmts []*syntax.Stmt, mayVanish bool) verdict {
	mark := len(u.edits)
	flags := u.visitList(stmts)
	if len(stmts) > 0 && allRemoved(flags) {
		u.edits = u.edits[:mark]
		if mayVanish {
			return remove
		}
		u.blockAt(stmts[0], "sets up a venv inside a loop", "Remove the venv setup by hand: the Flox hook creates and syncs the venv.")
		return keep
	}
	u.removeFromList(stmts, flags)
	return keep
}

func (u *unit) blockAt(n syntax.Node, what, suggestion string) {
	u.blocked = true
	u.followUp(int(n.Pos().Offset()), what, suggestion)
}

func (u *unit) visitBinary(b *syntax.BinaryCmd) verdict {
	mark := len(u.edits)
	vx := u.visitStmt(b.X)
	vy := u.visitStmt(b.Y)
	gone := func(v verdict) bool { return v == remove }
	switch b.Op {
	case syntax.AndStmt:
		switch {
		case vx == venvTest && vy == venvTest:
			return venvTest
		case (gone(vx) || vx == venvTest) && gone(vy), gone(vx) && vy == venvTest:
			u.edits = u.edits[:mark]
			return remove
		case gone(vx), vx == venvTest && !gone(vy) && u.holds(b.X, true):
			// `[ ! -x .venv/bin/ruff ] && pip install ruff`: Flox never
			// makes that path, so the install runs every time.
			u.addRemoval(int(b.X.Pos().Offset()), int(b.Y.Pos().Offset()))
		case gone(vy):
			u.addRemoval(int(b.X.End().Offset()), int(b.Y.End().Offset()))
		}
	case syntax.OrStmt:
		switch {
		case vx == venvTest && vy == venvTest:
			return venvTest
		case gone(vx), vx == venvTest && gone(vy):
			// `source x || exit 1`: the fallback only ran when the removed
			// command failed.
			u.edits = u.edits[:mark]
			return remove
		case vx == venvTest && !gone(vy) && u.holds(b.X, false):
			// `[ -f venv/bin/flake8 ] || pip install -e '.[dev]'`
			u.addRemoval(int(b.X.Pos().Offset()), int(b.Y.Pos().Offset()))
		case gone(vy):
			u.addRemoval(int(b.X.End().Offset()), int(b.Y.End().Offset()))
		}
	default: // pipes
		if gone(vx) {
			u.edits = u.edits[:mark]
			return remove
		}
	}
	return keep
}

// visitIf removes an if whose branches only dealt with the venv, keeps
// partial removals in ifs about something else, and leaves alone (and
// reports) what it cannot reduce safely.
func (u *unit) visitIf(s *syntax.Stmt, c *syntax.IfClause) verdict {
	if u.isNoFloxBlock(c) {
		return keep
	}
	mark := len(u.edits)
	condVenv, condPure := true, true
	for _, cs := range c.Cond {
		v := u.visitStmt(cs)
		if v == remove {
			u.edits = u.edits[:mark]
			u.blockAt(cs, "installs or creates a venv inside an if condition", "Remove the venv setup by hand: the Flox hook creates and syncs the venv.")
			return keep
		}
		if v != venvTest {
			condVenv = false
		}
		if !u.isPureTest(cs) {
			condPure = false
		}
	}
	// Outside Flox (opts.KeepOutsideFlox) the venv test still decides.
	if condVenv && len(c.Cond) == 1 && (c.Else == nil || !c.Else.ThenPos.IsValid()) && u.setsUpVenv(c) && len(u.opts.KeepOutsideFlox) == 0 {
		if holds, ok := u.venvTestHolds(c.Cond[0]); ok {
			// Only one branch can run now: it takes the if's place. The
			// other goes, unless it holds what must not be dropped silently
			// (a Windows activation, a venv outside the repository).
			runs, dead := c.Then, []*syntax.Stmt(nil)
			if c.Else != nil {
				dead = c.Else.Then
			}
			if !holds {
				runs, dead = dead, runs
			}
			u.visitList(dead)
			u.edits = u.edits[:mark]
			if u.blocked {
				return keep
			}
			fus := len(u.followUps)
			flags := u.visitList(runs)
			quiet := true
			for i, f := range flags {
				quiet = quiet && (f == remove || u.isNoise(runs[i]))
			}
			if len(runs) == 0 || quiet {
				u.edits = u.edits[:mark]
				u.usesVenv = true
				return remove
			}
			u.removeFromList(runs, flags)
			if u.unwrapIf(s, runs, mark) {
				u.usesVenv = true
				return keep
			}
			u.edits, u.followUps = u.edits[:mark], u.followUps[:fus]
		}
	}
	type branch struct {
		stmts []*syntax.Stmt
		flags []verdict
	}
	var branches []branch
	anyRemoved, anyEmptied, allQuiet := false, false, true
	activated := u.activated
	u.activated = false
	for b := c; b != nil; b = b.Else {
		if b != c && b.ThenPos.IsValid() {
			// elif: its condition is part of the decision too.
			condVenv, condPure = false, false
		}
		flags := u.visitList(b.Then)
		branches = append(branches, branch{b.Then, flags})
		removed := 0
		quiet := true
		for i, f := range flags {
			if f == remove {
				removed++
			} else if !u.isNoise(b.Then[i]) {
				quiet = false
			}
		}
		anyRemoved = anyRemoved || removed > 0
		anyEmptied = anyEmptied || (len(b.Then) > 0 && removed == len(b.Then))
		allQuiet = allQuiet && quiet
	}
	branchActivates := u.activated
	u.activated = activated || branchActivates
	if branchActivates && !condVenv {
		if name, ok := u.switchVar(c.Cond); ok {
			// `if [ -z "${NO_VENV:-}" ]; then source venv/bin/activate; fi`:
			// the variable lets people run the script in another environment
			// (conda); an unconditional Flox guard would take that away.
			u.edits = u.edits[:mark]
			u.blockAt(s, "activates its venv only depending on $"+name+", a switch for running it in another environment",
				"Decide whether the switch is still needed; then replace the venv activation with `flox activate` by hand (keep the switch around the Flox guard if it is).")
			return keep
		}
	}
	switch {
	case condVenv && allQuiet, anyRemoved && condPure && allQuiet:
		// Only venv setup and talk about it: `if [ ! -d .venv ]; then ...`,
		// `if [ -z "$VIRTUAL_ENV" ]; then echo "activate first"; exit 1; fi`.
		u.edits = u.edits[:mark]
		return remove
	case !anyRemoved:
		if u.collapseCISwitch(s, c, mark) {
			return keep
		}
		if condVenv && u.testsVenvPath(c.Cond) {
			// `if [ ! -f .venv/bin/activate ]; then advise; return 1; fi`:
			// Flox never creates that path, so the branch is now fixed.
			u.noteOnce(int(s.Pos().Offset()), "tests for a venv path Flox does not create, so this if now always takes the same branch",
				"Remove the check, or test for the Flox environment ($FLOX_ENV or $VIRTUAL_ENV) instead.")
		}
		return keep
	}
	if condVenv || anyEmptied {
		u.edits = u.edits[:mark]
		u.blockAt(s, "mixes venv setup with other commands in an if", "Remove the venv setup by hand: the Flox hook creates and syncs the venv.")
		return keep
	}
	for _, b := range branches {
		u.removeFromList(b.stmts, b.flags)
	}
	u.collapseCISwitch(s, c, mark)
	return keep
}

// switchVar returns the first variable an if condition reads that is not
// about the venv, CI or the script's arguments: a switch the user sets.
func (u *unit) switchVar(cond []*syntax.Stmt) (string, bool) {
	name := ""
	for _, cs := range cond {
		syntax.Walk(cs, func(n syntax.Node) bool {
			pe, ok := n.(*syntax.ParamExp)
			if !ok || pe.Param == nil || name != "" {
				return name == ""
			}
			v := pe.Param.Value
			if v == "VIRTUAL_ENV" || slices.Contains(ciVars, v) || u.vars["$"+v].kind != 0 || !syntax.ValidName(v) {
				return true
			}
			name = v
			return false
		})
	}
	return name, name != ""
}

// isNoise reports statements that only talk: echo, printf, :, exit.
func (u *unit) isNoise(s *syntax.Stmt) bool {
	call, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	switch call.Args[0].Lit() {
	case "echo", "printf", ":", "true", "exit", "return":
		return true
	}
	return false
}

func (u *unit) isPureTest(s *syntax.Stmt) bool {
	switch c := s.Cmd.(type) {
	case *syntax.TestClause:
		return true
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			return false
		}
		switch c.Args[0].Lit() {
		case "[", "test", "command", "type", "hash", "which":
			return true
		}
	case *syntax.BinaryCmd:
		return u.isPureTest(c.X) && u.isPureTest(c.Y)
	}
	return false
}

var testOperators = []string{"!", "-d", "-e", "-f", "-x", "-z", "-n",
	"-L", "-h", "-s", "=", "==", "!=", "]", ""}

// isVenvTestCall reports `[ -d .venv ]`, `test -f venv/bin/activate`,
// `[ -z "$VIRTUAL_ENV" ]`.
func (u *unit) isVenvTestCall(c *syntax.CallExpr) bool {
	if len(c.Args) < 2 || len(c.Args) > 6 {
		return false
	}
	if a := c.Args[0].Lit(); a != "[" && a != "test" {
		return false
	}
	found := false
	for _, w := range c.Args[1:] {
		if u.isVenvWord(w) {
			found = true
			continue
		}
		t, ok := u.argText(w)
		if !ok || !slices.Contains(testOperators, t) {
			return false
		}
	}
	return found
}

// testsVenvPath reports a condition that names a path inside the project's
// venv (not $VIRTUAL_ENV, which the Flox hook sets too).
func (u *unit) testsVenvPath(cond []*syntax.Stmt) bool {
	found := false
	for _, cs := range cond {
		syntax.Walk(cs, func(n syntax.Node) bool {
			w, ok := n.(*syntax.Word)
			if !ok || found {
				return !found
			}
			if ps, ok := u.flatten(w); ok {
				if ref, ok := u.venvPath(ps); ok && !ref.outside {
					found = true
				}
			}
			return false
		})
	}
	return found
}

func (u *unit) isVenvWord(w *syntax.Word) bool {
	ps, ok := u.flatten(w)
	if !ok {
		return false
	}
	if len(ps) == 1 && (ps[0].exp == "$VIRTUAL_ENV" || ps[0].exp == "$(VIRTUAL_ENV)") {
		return true
	}
	ref, ok := u.venvPath(ps)
	return ok && !ref.outside
}

func (u *unit) isVenvTestExpr(x syntax.TestExpr) bool {
	switch x := x.(type) {
	case *syntax.UnaryTest:
		if w, ok := x.X.(*syntax.Word); ok {
			return u.isVenvWord(w)
		}
		return u.isVenvTestExpr(x.X)
	case *syntax.ParenTest:
		return u.isVenvTestExpr(x.X)
	case *syntax.BinaryTest:
		if x.Op == syntax.AndTest || x.Op == syntax.OrTest {
			return u.isVenvTestExpr(x.X) && u.isVenvTestExpr(x.Y)
		}
		if w, ok := x.X.(*syntax.Word); ok && u.isVenvWord(w) {
			return true
		}
	}
	return false
}

// visitAssigns handles assignments: VIRTUAL_ENV and PATH pointing into the
// venv go away (the hook exports both); PIP=.venv/bin/pip becomes PIP=pip;
// VENV=.venv is dropped later if nothing uses it any more.
func (u *unit) visitAssigns(s *syntax.Stmt, assigns []*syntax.Assign) verdict {
	if len(assigns) == 0 {
		return keep
	}
	removable := 0
	for _, a := range assigns {
		if a.Name == nil || a.Value == nil || a.Index != nil || a.Append {
			continue
		}
		name := a.Name.Value
		ps, ok := u.flatten(a.Value)
		if !ok {
			continue
		}
		switch {
		case name == "PATH" && u.venvPathPrepend(ps):
			removable++
			u.usesVenv, u.ambient = true, true
			continue
		case name == "VIRTUAL_ENV":
			if ref, ok := u.venvPath(ps); ok && !ref.outside {
				removable++
				u.usesVenv = true
				continue
			}
		}
		v, known := u.vars["$"+name]
		if !known {
			continue
		}
		switch v.kind {
		case varTool:
			if ref, ok := u.venvPath(ps); ok && ref.tool() != "" && !(len(ps) == 1 && ps[0].exp != "") {
				u.edits = append(u.edits, Edit{Start: int(a.Value.Pos().Offset()), End: int(a.Value.End().Offset()), Text: sameQuotes(a.Value, ref.tool())})
				u.usesVenv = true
			}
			u.varDefs = append(u.varDefs, varDef{name: name, stmt: s})
		case varVenvDir, varVenvBin:
			u.varDefs = append(u.varDefs, varDef{name: name, stmt: s})
		}
	}
	if removable == len(assigns) {
		return remove
	}
	return keep
}

// venvPathPrepend reports "$VENV/bin:$PATH".
func (u *unit) venvPathPrepend(ps []piece) bool {
	for i, p := range ps {
		if p.exp != "" {
			continue
		}
		before, after, ok := strings.Cut(p.lit, ":")
		if !ok {
			continue
		}
		left := append(append([]piece(nil), ps[:i]...), piece{lit: before, start: p.start, end: p.start + len(before)})
		if before == "" {
			left = left[:len(left)-1]
		}
		rest := after + piecesText(ps[i+1:])
		ref, ok := u.venvPath(left)
		return ok && !ref.outside && ref.isBinDir() && (rest == "$PATH" || rest == "$(PATH)")
	}
	return false
}

func (u *unit) visitCall(s *syntax.Stmt, c *syntax.CallExpr) verdict {
	if len(c.Args) == 0 {
		return u.visitAssigns(s, c.Assigns)
	}
	if u.writesIntoVenv(s) {
		// Bookkeeping in the old venv folder (`echo $(ROOT) >
		// venv/.project` for virtualenvwrapper): Flox never makes it.
		u.usesVenv = true
		return remove
	}
	switch u.classifyCall(c) {
	case callInstall:
		if u.opts.KeepInstalls {
			// An entry point people run to install keeps installing, now
			// into the environment's venv (which has pip).
			u.usesVenv, u.installing = true, true
			u.rewriteCall(s, c)
			u.installing = false
			return installed
		}
		u.usesVenv = true
		return remove
	case callCreate:
		u.usesVenv = true
		u.venvCalls[int(c.Pos().Offset())] = callCreate
		u.activatePaths[int(c.Pos().Offset())] = u.activatePath(c)
		return remove
	case callActivate:
		u.usesVenv, u.ambient, u.activated = true, true, true
		u.venvCalls[int(c.Pos().Offset())] = callActivate
		if u.opts.Activate != "" {
			u.edits = append(u.edits, Edit{Start: int(c.Pos().Offset()), End: int(c.End().Offset()), Text: u.opts.Activate})
			u.opts.Activate = "" // the first one only
			return keep
		}
		return remove
	case callDeactivate:
		if u.funcs["deactivate"] {
			return keep
		}
		if u.opts.Deactivate != "" {
			u.edits = append(u.edits, Edit{Start: int(c.Pos().Offset()), End: int(c.End().Offset()), Text: u.opts.Deactivate})
			return keep
		}
		return remove
	case callEmptied:
		u.usesVenv = true
		return remove
	case callBlock:
		return keep
	}
	if u.isVenvTestCall(c) {
		return venvTest
	}
	u.rewriteCall(s, c)
	return keep
}

// isSystemCommand reports commands that never come from the venv: they
// get no prefix even when the venv was on PATH.
func isSystemCommand(name string) bool {
	if isShellBuiltin(name) {
		return true
	}
	switch name {
	case "find", "grep", "egrep", "sed", "awk", "head", "tail", "tee", "sort", "uniq", "wc", "xargs",
		"chmod", "chown", "date", "env", "printenv", "basename", "dirname", "realpath", "readlink", "git",
		"docker", "docker-compose", "podman", "make", "gmake", "curl", "wget", "tar", "gzip", "gunzip", "unzip", "zip",
		"open", "xdg-open", "which", "ssh", "scp", "rsync", "kill", "ps", "tr", "cut", "diff", "patch", "flox",
		"nix", "brew", "apt-get", "apt", "sudo", "install", "cmp", "jq", "yq", "gh", "whoami", "id", "uname":
		return true
	}
	return false
}

// isShellBuiltin reports shell builtins and file utilities whose work
// does not depend on the environment: they run bare after an activation.
func isShellBuiltin(name string) bool {
	switch name {
	case "sleep", "rm", "mkdir", "rmdir", "cp", "mv", "ln", "touch", "cat", "ls", "deactivate":
		return true
	}
	return venvcmd.IsShellBuiltin(name)
}

// rewriteCall turns venv paths of a kept command into plain commands,
// prefixes commands that need the environment, and rewrites echoed hints.
func (u *unit) rewriteCall(s *syntax.Stmt, c *syntax.CallExpr) {
	cmd, ok := u.resolveCommand(c)
	if !ok {
		return
	}
	word := c.Args[cmd.index]
	start := int(word.Pos().Offset())
	prefix := u.opts.Prefix
	needs := cmd.fromVenv
	if !needs && u.ambient && !isSystemCommand(cmd.name) && !u.funcs[cmd.name] && !strings.Contains(cmd.name, "$") && !strings.Contains(cmd.name, "/") && !u.alreadyPrefixed(c, cmd) {
		needs = true
	}
	if !needs && u.activated && !isShellBuiltin(cmd.name) && !u.funcs[cmd.name] && !u.alreadyPrefixed(c, cmd) {
		// Whatever ran after the activation ran in the activated venv: a
		// sub-make, another script or git with its hooks may start Python
		// tools, so it keeps running inside the environment.
		needs = true
	}
	if !needs && u.installing && u.managerInstall(c, cmd) {
		// `uv sync`, `poetry install`: the manager's project venv is now
		// the environment's (the hook points it there); outside the
		// environment it would build the old .venv again.
		needs = true
	}
	if !needs && u.managerRun(c, cmd) {
		// The hook points the manager at its venv (UV_PROJECT_ENVIRONMENT,
		// VIRTUAL_ENV): outside the environment `uv run`, `pipenv run` and
		// friends would build a second venv of their own.
		needs = true
	}
	if u.venvToolValues(c, cmd) {
		needs = true // the program now comes from the environment's PATH
	}
	if !needs && uvPipIntoVenv(c, cmd) {
		// `uv pip install -r docs/requirements.txt`: uv installs into the
		// venv it finds ($VIRTUAL_ENV, else .venv); outside the environment
		// that is the old .venv, not the one the next recipe line runs in.
		needs = true
	}
	if cmd.fromVenv {
		u.usesVenv = true
	}
	if u.alreadyPrefixed(c, cmd) {
		prefix = ""
	}
	if !needs {
		prefix = ""
	}
	switch {
	case u.rewriteManagerModule(c, cmd, prefix):
	case cmd.rewrite != "" && needs:
		u.edits = append(u.edits, Edit{Start: start, End: int(word.End().Offset()), Text: prefix + cmd.rewrite})
	case cmd.rewrite != "":
		u.edits = append(u.edits, Edit{Start: start, End: int(word.End().Offset()), Text: cmd.rewrite})
	case needs && prefix != "":
		u.edits = append(u.edits, Edit{Start: start, End: start, Text: prefix})
	}
	switch cmd.name {
	case "echo", "printf", "cat", "log", "info", "warn":
		for _, w := range c.Args[cmd.index+1:] {
			u.hintsInWord(w)
		}
		for _, r := range s.Redirs {
			if r.Hdoc != nil {
				u.hintsInWord(r.Hdoc)
			}
		}
		return
	case "rm", "touch", "mkdir", "test", "[":
		return
	}
	for _, w := range c.Args[cmd.index+1:] {
		ps, ok := u.flatten(w)
		if !ok {
			continue
		}
		if ref, ok := u.venvPath(ps); ok && !ref.outside && !ref.isDir() {
			u.followUp(int(w.Pos().Offset()), "still refers to "+piecesText(ps)+", which Flox does not create",
				"Use the command from the Flox environment ($VIRTUAL_ENV points at its venv).")
		}
	}
}

// venvToolValues rewrites the venv programs a command is handed as
// variables, `PYTHON=.venv/bin/python ./run.sh` or `make html
// SPHINXBUILD=.venv/bin/sphinx-build`, to the program's name, and reports
// whether it did.
func (u *unit) venvToolValues(c *syntax.CallExpr, cmd command) bool {
	did := false
	rewrite := func(ps []piece, valueStart, valueEnd int, value *syntax.Word) {
		if ref, ok := u.venvPath(ps); ok && !ref.outside && ref.tool() != "" {
			text := ref.tool()
			if value != nil {
				text = sameQuotes(value, text)
			}
			u.edits = append(u.edits, Edit{Start: valueStart, End: valueEnd, Text: text})
			did = true
		}
	}
	for _, a := range c.Assigns {
		if a.Name == nil || a.Value == nil || a.Index != nil || a.Append || a.Name.Value == "PATH" {
			continue
		}
		if ps, ok := u.flatten(a.Value); ok {
			rewrite(ps, int(a.Value.Pos().Offset()), int(a.Value.End().Offset()), a.Value)
		}
	}
	for _, w := range c.Args[cmd.index+1:] {
		ps, ok := u.flatten(w)
		if !ok || len(ps) == 0 || ps[0].exp != "" {
			continue
		}
		name, rest, ok := strings.Cut(ps[0].lit, "=")
		if !ok || !syntax.ValidName(name) || ps[0].start != int(w.Pos().Offset()) {
			continue
		}
		value := append([]piece{{lit: rest, start: ps[0].start + len(name) + 1, end: ps[0].end}}, ps[1:]...)
		if rest == "" {
			value = value[1:]
		}
		if len(value) > 0 {
			rewrite(value, ps[0].start+len(name)+1, int(w.End().Offset()), nil)
		}
	}
	return did
}

// alreadyPrefixed reports a command that already runs through Flox
// (`flox activate -- x`, `$(FLOX) x`).
func (u *unit) alreadyPrefixed(c *syntax.CallExpr, cmd command) bool {
	return cmd.name == "flox" || cmd.name == "$(FLOX)" || cmd.name == "$FLOX"
}

// sameQuotes quotes a plain word the way w was quoted, so PIP="venv/bin/pip"
// becomes PIP="pip".
func sameQuotes(w *syntax.Word, text string) string {
	if len(w.Parts) == 1 {
		switch w.Parts[0].(type) {
		case *syntax.DblQuoted:
			return `"` + text + `"`
		case *syntax.SglQuoted:
			return "'" + text + "'"
		}
	}
	return text
}

// holds reports a venv path test that comes out as want once the venv
// folder is gone.
func (u *unit) holds(s *syntax.Stmt, want bool) bool {
	h, ok := u.venvTestHolds(s)
	return ok && h == want
}

// writesIntoVenv reports a command whose output goes to a file in the
// project's venv folder.
func (u *unit) writesIntoVenv(s *syntax.Stmt) bool {
	for _, r := range s.Redirs {
		if r.Word == nil || (r.Op != syntax.RdrOut && r.Op != syntax.AppOut && r.Op != syntax.RdrClob) {
			continue
		}
		if ps, ok := u.flatten(r.Word); ok {
			if ref, ok := u.venvPath(ps); ok && !ref.outside {
				return true
			}
		}
	}
	return false
}
