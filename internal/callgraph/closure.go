package callgraph

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
	"github.com/venv2flox/venv2flox/internal/yamldoc"
)

// Break is a call that fails once the changes are applied.
type Break struct {
	Call Call
	// Why says how it fails, for "<caller> will fail: <why>".
	Why string
}

func (b Break) String() string { return b.Call.Caller.String() + " will fail: " + b.Why }

// Check applies changed (new contents by project-relative path) over the
// project and returns the calls that would fail: a caller that does not run
// in the Flox environment and runs an entry point that now needs flox
// (directly or through the entry points it runs), a make target that is
// gone, a composite action that moved to Flox under a job that did not,
// or a use of a venv folder that what the caller ran no longer creates
// (OrphanedVenvs).
func Check(fsys fs.FS, dir string, files []detect.File, changed map[string][]byte) []Break {
	after := overlay{base: fsys, dir: dir, changed: changed}
	g := Build(after, dir, files)
	old := newBuilder(fsys, dir, files)
	b := newBuilder(after, dir, files)
	c := &checker{b: b, old: old, g: g, memo: map[Entry]string{}}
	var out []Break
	for _, call := range g.Calls {
		if call.Caller.Flox {
			continue
		}
		if why := c.gone(call.Entry); why != "" {
			out = append(out, Break{Call: call, Why: why})
			continue
		}
		switch call.Caller.Kind {
		case CallerMake, CallerScript, CallerDoc, CallerAction:
			// Entry points themselves (their callers are checked) and
			// instructions people follow with Flox installed.
			continue
		}
		if call.Entry.Kind == EntryAction {
			if c.actionUsesFlox(call.Entry) {
				out = append(out, Break{Call: call, Why: call.Entry.String() + " now runs its steps in the Flox environment, but this job's other steps still expect the Python it set up"})
			}
			continue
		}
		if why := c.needsFlox(call.Entry); why != "" {
			out = append(out, Break{Call: call, Why: "`" + call.Entry.String() + "` " + why + ", and flox is not installed there (flox: not found)"})
		}
	}
	for _, o := range orphanedVenvs(fsys, dir, files, &venvReader{b: b, g: g, entries: map[Entry][]venvEvent{}}) {
		out = append(out, Break{Call: Call{Caller: o.Caller, Entry: o.Entry, Line: o.Line}, Why: o.Why()})
	}
	return out
}

type checker struct {
	b, old *builder
	g      *Graph
	memo   map[Entry]string
}

// gone says why a make target the call runs no longer exists.
func (c *checker) gone(e Entry) string {
	if e.Kind != EntryMake || e.Target == "" {
		return ""
	}
	if parseMakefile(c.b.read(e.File)).rule(e.Target) != nil {
		return ""
	}
	if parseMakefile(c.old.read(e.File)).rule(e.Target) == nil {
		return "" // it never existed: not this patch's doing
	}
	return "`" + e.String() + "` no longer exists (make: *** No rule to make target '" + e.Target + "')"
}

// needsFlox says how an entry point runs flox where flox may be missing,
// or "" when it does not.
func (c *checker) needsFlox(e Entry) string {
	if why, ok := c.memo[e]; ok {
		return why
	}
	c.memo[e] = "" // cycles end here
	why := c.ownFlox(e)
	if why == "" {
		for _, call := range c.g.Calls {
			if c.runsFrom(call.Caller, e) && call.Entry != e {
				if inner := c.needsFlox(call.Entry); inner != "" {
					why = "runs `" + call.Entry.String() + "`, which " + inner
					break
				}
			}
		}
	}
	c.memo[e] = why
	return why
}

// runsFrom reports a caller that is part of entry e: a recipe of the
// target (or of its prerequisites), or the script itself.
func (c *checker) runsFrom(caller Caller, e Entry) bool {
	switch e.Kind {
	case EntryScript:
		return caller.Kind == CallerScript && caller.File == e.File
	case EntryMake:
		if caller.Kind != CallerMake || caller.File != e.File {
			return false
		}
		for _, t := range c.targetClosure(e) {
			if t == caller.Name {
				return true
			}
		}
	}
	return false
}

// targetClosure is the target and its prerequisites, recursively, in the
// order make runs their recipes.
func (c *checker) targetClosure(e Entry) []string {
	return prerequisitesFirst(parseMakefile(c.b.read(e.File)), e.Target)
}

// ownFlox looks for flox in the entry's own text: a script's commands, or
// the recipes of a target and its prerequisites.
func (c *checker) ownFlox(e Entry) string {
	switch e.Kind {
	case EntryScript:
		if line, ok := unguardedFlox(c.b.read(e.File)); ok {
			return fmt.Sprintf("runs flox (%s:%d)", e.File, line)
		}
	case EntryMake:
		mf := parseMakefile(c.b.read(e.File))
		floxVar := mf.vars["FLOX"]
		guardedVar := floxVar == "" || strings.Contains(floxVar, "command -v flox")
		for _, t := range c.targetClosure(e) {
			r := mf.rule(t)
			if r == nil {
				continue
			}
			for _, rl := range r.recipe {
				if !guardedVar && (strings.Contains(rl.text, "$(FLOX)") || strings.Contains(rl.text, "${FLOX}")) {
					return fmt.Sprintf("runs flox (%s:%d)", e.File, rl.line)
				}
				if _, ok := unguardedFlox(makeRecipeShell(rl.text)); ok {
					return fmt.Sprintf("runs flox (%s:%d)", e.File, rl.line)
				}
			}
		}
	}
	return ""
}

// actionUsesFlox reports a composite action whose steps install Flox.
func (c *checker) actionUsesFlox(e Entry) bool {
	root := parseYAML(c.b.read(e.File))
	for _, st := range yamldoc.Items(yamldoc.Get(yamldoc.Get(root, "runs"), "steps")) {
		if strings.HasPrefix(strings.ToLower(yamldoc.Scalar(yamldoc.Get(st, "uses"))), "flox/") {
			return true
		}
	}
	return false
}

// floxChecks are the tests that make code run only where flox is installed.
var floxChecks = []string{"command -v flox", "which flox", "type flox", "hash flox", "type -p flox"}

// unguardedFlox returns the line of the first flox command in a script
// that does not depend on a test for flox being installed.
func unguardedFlox(text string) (int, bool) {
	f, err := detect.ParseShell(strings.NewReader(maskExpressions(text)), "", syntax.LangBash, false)
	if err != nil {
		return 0, false
	}
	src := maskExpressions(text)
	mentionsCheck := func(n syntax.Node) bool {
		t := src[n.Pos().Offset():min(int(n.End().Offset()), len(src))]
		for _, chk := range floxChecks {
			if strings.Contains(t, chk) {
				return true
			}
		}
		return false
	}
	line := 0
	var stmt func(st *syntax.Stmt, guarded bool)
	var list func(sts []*syntax.Stmt, guarded bool)
	list = func(sts []*syntax.Stmt, guarded bool) {
		for _, st := range sts {
			stmt(st, guarded)
		}
	}
	stmt = func(st *syntax.Stmt, guarded bool) {
		if st == nil || line > 0 {
			return
		}
		switch cmd := st.Cmd.(type) {
		case *syntax.CallExpr:
			words := literalWords(cmd.Args)
			if len(words) > 1 && (words[0] == "command" && (words[1] == "-v" || words[1] == "-V") || words[0] == "which" || words[0] == "type" || words[0] == "hash") {
				return // looks flox up, does not run it
			}
			words = words[venvcmd.Unwrap(words):]
			if len(words) > 0 && path.Base(words[0]) == "flox" && !guarded {
				line = int(cmd.Pos().Line())
				return
			}
			for _, a := range cmd.Args {
				syntax.Walk(a, func(n syntax.Node) bool {
					if cs, ok := n.(*syntax.CmdSubst); ok {
						list(cs.Stmts, guarded)
						return false
					}
					return true
				})
			}
		case *syntax.BinaryCmd:
			stmt(cmd.X, guarded)
			stmt(cmd.Y, guarded || cmd.Op == syntax.AndStmt && mentionsCheck(cmd.X))
		case *syntax.IfClause:
			for cl := cmd; cl != nil; cl = cl.Else {
				checked := false
				for _, cs := range cl.Cond {
					checked = checked || mentionsCheck(cs)
				}
				list(cl.Cond, guarded)
				list(cl.Then, guarded || checked)
			}
		case *syntax.Block:
			list(cmd.Stmts, guarded)
		case *syntax.Subshell:
			list(cmd.Stmts, guarded)
		case *syntax.FuncDecl:
			stmt(cmd.Body, guarded)
		case *syntax.WhileClause:
			list(cmd.Do, guarded)
		case *syntax.ForClause:
			list(cmd.Do, guarded)
		case *syntax.CaseClause:
			for _, it := range cmd.Items {
				list(it.Stmts, guarded)
			}
		}
	}
	list(f.Stmts, false)
	return line, line > 0
}

// BuildChanged is Build over the project with changed (new contents by
// project-relative path) applied.
func BuildChanged(fsys fs.FS, dir string, files []detect.File, changed map[string][]byte) *Graph {
	return Build(overlay{base: fsys, dir: dir, changed: changed}, dir, files)
}
