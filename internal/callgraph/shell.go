package callgraph

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// found is an entry point a piece of shell runs, or a venv command it
// runs, at a line of the text.
type found struct {
	entry Entry
	venv  *venvCmd // set, instead of entry, for a command that creates or uses a venv
	line  int
}

// shellCalls parses text as bash and returns the entry points it runs.
// cwd is the folder it starts in, relative to the project; a `cd DIR`
// statement moves it for the statements after it. Text that is not shell
// gives nothing.
func (b *builder) shellCalls(text, cwd string) []found {
	var out []found
	for _, f := range b.shellFinds(text, cwd) {
		if f.venv == nil {
			out = append(out, f)
		}
	}
	return out
}

// shellFinds is shellCalls with the venv commands among the calls, in
// the order the text runs them.
func (b *builder) shellFinds(text, cwd string) []found {
	f, err := detect.ParseShell(strings.NewReader(maskExpressions(text)), "", syntax.LangBash, false)
	if err != nil {
		return nil
	}
	w := &shellWalk{b: b, vars: map[string]string{}}
	w.list(f.Stmts, cwd)
	return w.out
}

// shellWalk collects what a piece of shell runs. vars holds the plain
// values assigned so far (VENV=.venv), so that "$VENV/bin/pytest" is
// known as a use of .venv. Inside a branch, a loop, a function or after
// && and || (cond > 0) a command may not run: venvs it creates count, but
// its uses and assignments do not, so that a use is only ever reported
// where it surely runs.
type shellWalk struct {
	b    *builder
	out  []found
	vars map[string]string
	cond int
}

// branch walks stmts as code that may not run.
func (w *shellWalk) branch(stmts []*syntax.Stmt, cwd string) {
	w.cond++
	w.list(stmts, cwd)
	w.cond--
}

func (w *shellWalk) list(stmts []*syntax.Stmt, cwd string) string {
	for _, st := range stmts {
		cwd = w.stmt(st, cwd)
	}
	return cwd
}

// stmt records the calls of one statement and returns the folder the
// next statement starts in.
func (w *shellWalk) stmt(st *syntax.Stmt, cwd string) string {
	if st == nil {
		return cwd
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			w.assign(c.Assigns)
			return cwd
		}
		words := literalWords(c.Args)
		if len(words) >= 1 && words[0] == "cd" {
			if len(words) == 2 && !strings.ContainsAny(words[1], "$`~") && !path.IsAbs(words[1]) {
				return path.Clean(path.Join(cwd, words[1]))
			}
			return cwd
		}
		line := int(c.Pos().Line())
		for _, e := range w.b.resolve(words, cwd) {
			w.out = append(w.out, found{entry: e, line: line})
		}
		if v, ok := venvCommand(valueWords(c.Args, w.vars), cwd); ok && (v.create || w.cond == 0) {
			w.out = append(w.out, found{venv: &v, line: line})
		}
		// Commands inside $(...) run too.
		for _, a := range c.Args {
			syntax.Walk(a, func(n syntax.Node) bool {
				if cs, ok := n.(*syntax.CmdSubst); ok {
					w.list(cs.Stmts, cwd)
					return false
				}
				return true
			})
		}
	case *syntax.DeclClause:
		if c.Variant != nil && c.Variant.Value == "export" {
			w.assign(c.Args)
		}
	case *syntax.BinaryCmd:
		cwd = w.stmt(c.X, cwd)
		if c.Op == syntax.AndStmt || c.Op == syntax.OrStmt {
			w.cond++
			defer func() { w.cond-- }()
		}
		return w.stmt(c.Y, cwd)
	case *syntax.Block:
		return w.list(c.Stmts, cwd)
	case *syntax.Subshell:
		w.list(c.Stmts, cwd)
	case *syntax.IfClause:
		for cl := c; cl != nil; cl = cl.Else {
			w.branch(cl.Cond, cwd)
			w.branch(cl.Then, cwd)
		}
	case *syntax.WhileClause:
		w.branch(c.Cond, cwd)
		w.branch(c.Do, cwd)
	case *syntax.ForClause:
		w.branch(c.Do, cwd)
	case *syntax.CaseClause:
		for _, it := range c.Items {
			w.branch(it.Stmts, cwd)
		}
	case *syntax.FuncDecl:
		w.branch([]*syntax.Stmt{c.Body}, cwd)
	case *syntax.TimeClause:
		return w.stmt(c.Stmt, cwd)
	}
	return cwd
}

// assign records the plain values of assignments; a variable given
// anything else is forgotten.
func (w *shellWalk) assign(as []*syntax.Assign) {
	for _, a := range as {
		if a.Name == nil || a.Index != nil || a.Append {
			continue
		}
		delete(w.vars, a.Name.Value)
		if a.Value == nil || w.cond > 0 {
			continue
		}
		if v := valueWords([]*syntax.Word{a.Value}, w.vars)[0]; !strings.ContainsAny(v, "$`") {
			w.vars[a.Name.Value] = v
		}
	}
}

// literalWords returns the words of a command as text: quotes removed,
// expansions kept as written ("$VAR"), so they never match a file.
func literalWords(args []*syntax.Word) []string {
	out := make([]string, 0, len(args))
	for _, w := range args {
		var sb strings.Builder
		for _, p := range w.Parts {
			writePart(&sb, p)
		}
		out = append(out, sb.String())
	}
	return out
}

func writePart(sb *strings.Builder, p syntax.WordPart) {
	switch p := p.(type) {
	case *syntax.Lit:
		sb.WriteString(p.Value)
	case *syntax.SglQuoted:
		sb.WriteString(p.Value)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			writePart(sb, q)
		}
	case *syntax.ParamExp:
		if p.Param != nil {
			sb.WriteString("$" + p.Param.Value)
		} else {
			sb.WriteString("$")
		}
	default:
		sb.WriteString("$?")
	}
}

// shells run the script that follows their options.
var shells = map[string]bool{"sh": true, "bash": true, "dash": true, "zsh": true, "source": true, ".": true}

// resolve reads one command line and returns the entry points it runs.
func (b *builder) resolve(words []string, cwd string) []Entry {
	for len(words) > 0 {
		w := words[0]
		switch {
		case strings.Contains(w, "=") && !strings.Contains(w, "/") && !strings.HasPrefix(w, "-"):
			words = words[1:] // VAR=value before the command
			continue
		}
		if next, ok := venvcmd.UnwrapAt(words, 0); ok {
			words = words[next:] // sudo -u app, env -i, timeout 60: what they run
			continue
		}
		break
	}
	if len(words) == 0 {
		return nil
	}
	name := words[0]
	switch {
	case name == "make" || name == "gmake" || name == "$MAKE" || strings.HasSuffix(name, "/make"):
		return b.makeCall(words[1:], cwd)
	case shells[name]:
		for _, w := range words[1:] {
			if strings.HasPrefix(w, "-") {
				continue
			}
			return b.scriptAt(w, cwd)
		}
		return nil
	}
	return b.scriptAt(name, cwd)
}

// scriptAt returns the project script a command word names.
func (b *builder) scriptAt(word, cwd string) []Entry {
	if word == "" || strings.ContainsAny(word, "$`*?") || path.IsAbs(word) || strings.HasPrefix(word, "~") {
		return nil
	}
	if !strings.Contains(word, "/") && !strings.HasSuffix(word, ".sh") {
		return nil // a program on PATH
	}
	p := path.Clean(path.Join(cwd, word))
	if b.scripts[p] {
		return []Entry{{Kind: EntryScript, File: p}}
	}
	return nil
}

// makeOptionsWithValue are make's options that take the next word.
var makeOptionsWithValue = map[string]bool{"-C": true, "-f": true, "-I": true, "-j": false, "-l": false, "-o": true, "-W": true,
	"--directory": true, "--file": true, "--makefile": true, "--include-dir": true, "--old-file": true, "--what-if": true}

// makeCall reads make's arguments: the folder (-C), the Makefile (-f), and
// the targets; each target is one entry (the default goal when none).
func (b *builder) makeCall(args []string, cwd string) []Entry {
	dir, file := cwd, ""
	var targets []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		opt, val, hasVal := strings.Cut(a, "=")
		switch {
		case a == "-C" || a == "--directory" || a == "-f" || a == "--file" || a == "--makefile":
			if i+1 >= len(args) {
				return nil
			}
			i++
			if a == "-C" || a == "--directory" {
				dir = path.Join(dir, args[i])
			} else {
				file = args[i]
			}
		case hasVal && (opt == "--directory"):
			dir = path.Join(dir, val)
		case hasVal && (opt == "--file" || opt == "--makefile"):
			file = val
		case strings.HasPrefix(a, "-C") && len(a) > 2:
			dir = path.Join(dir, a[2:])
		case strings.HasPrefix(a, "-f") && len(a) > 2:
			file = a[2:]
		case makeOptionsWithValue[a]:
			i++
		case strings.HasPrefix(a, "-"):
		case strings.Contains(a, "="):
		default:
			targets = append(targets, a)
		}
	}
	if strings.ContainsAny(dir+file, "$`") {
		return nil
	}
	mk := ""
	if file != "" {
		mk = path.Clean(path.Join(dir, file))
		if !b.makefiles[mk] {
			return nil
		}
	} else {
		for _, name := range []string{"GNUmakefile", "makefile", "Makefile"} {
			if p := path.Clean(path.Join(dir, name)); b.makefiles[p] {
				mk = p
				break
			}
		}
	}
	if mk == "" {
		return nil
	}
	if len(targets) == 0 {
		targets = []string{b.defaultGoal(mk)}
	}
	var out []Entry
	for _, t := range targets {
		if !strings.ContainsAny(t, "$`") {
			out = append(out, Entry{Kind: EntryMake, File: mk, Target: t})
		}
	}
	return out
}

// maskExpressions replaces CI template expressions (`${{ matrix.x }}`,
// `$(Build.SourcesDirectory)` stays: it parses) with a plain word, so the
// text parses as shell.
func maskExpressions(s string) string {
	for {
		i := strings.Index(s, "${{")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return s
		}
		s = s[:i] + "CIEXPR" + s[i+j+2:]
	}
}

// parsesAsShell reports text the shell parser reads.
func parsesAsShell(text string) bool {
	_, err := detect.ParseShell(strings.NewReader(maskExpressions(text)), "", syntax.LangBash, false)
	return err == nil
}
