package detect

import (
	"errors"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Shell code appears in many places: scripts, Makefile recipes, CI steps,
// README code blocks, Dockerfile RUN instructions. Each extractor cuts the
// code out as a shellText that remembers which file line every byte came
// from; one shellSession per file then parses it with mvdan.cc/sh and
// records what the commands do (shell_commands.go).

// shellText is shell source cut out of a bigger file.
type shellText struct {
	src string
	// lineOf maps a byte offset in src to a 1-based line of the file.
	lineOf func(off int) int
	// restore turns placeholders put in for template expressions or
	// unresolved Makefile references back into the text as written.
	restore *strings.Replacer
	// render, when set, turns placeholders into known values for reading
	// words (restore is used when it is nil).
	render *strings.Replacer
	// asWritten, when set, gives the command text to report for a file line
	// (Makefiles report the recipe line as written, before expansion).
	asWritten func(line int) string
}

// linesFrom returns shell text whose first line is file line first and
// whose lines follow the file's lines one to one.
func linesFrom(src string, first int) shellText {
	var nl []int
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			nl = append(nl, i)
		}
	}
	return shellText{src: src, lineOf: func(off int) int {
		return first + sort.SearchInts(nl, off)
	}}
}

// lineSeg says that src bytes from off on come from file line line.
type lineSeg struct{ off, line int }

// segmentedText returns shell text whose lines do not follow the file one
// to one (folded YAML, Groovy strings with escapes): segs must be sorted by
// off and start at 0.
func segmentedText(src string, segs []lineSeg) shellText {
	return shellText{src: src, lineOf: func(off int) int {
		i := sort.Search(len(segs), func(i int) bool { return segs[i].off > off }) - 1
		if i < 0 {
			if len(segs) == 0 {
				return 0
			}
			i = 0
		}
		return segs[i].line
	}}
}

// shellSession analyses the shell code of one file. Variables assigned in
// one snippet stay known for the following ones (CI steps of a job, recipe
// lines of a Makefile), which is what lets `$VENV/bin/pip` name its venv.
type shellSession struct {
	s    *scanner
	path string
	kind FileKind
	lang syntax.LangVariant
	vars map[string]string
	// funcs are shell functions the file defines: calls to them are not
	// programs the project needs.
	funcs map[string]bool
	// created are venv folders this file creates, so that paths into them
	// are recognised whatever their name.
	created map[string]bool
	// windows marks every fact as Windows-only (a job that runs on Windows).
	windows bool
	// quietErrors suppresses parse problems: text that is not run by a
	// shell as written (tox commands, README blocks) or that the migration
	// never edits (Dockerfiles, editor settings).
	quietErrors bool
	depth       int
}

func newShellSession(s *scanner, path string, kind FileKind) *shellSession {
	return &shellSession{
		s: s, path: path, kind: kind, lang: syntax.LangBash,
		vars: map[string]string{}, funcs: map[string]bool{}, created: map[string]bool{},
	}
}

// analyzeShell records the facts of shell source src whose first line is at
// ev (a file and line). It is the entry point for one-off snippets.
func analyzeShell(s *scanner, src string, ev Evidence, kind FileKind) {
	first := ev.Line
	if first < 1 {
		first = 1
	}
	newShellSession(s, ev.Path, kind).analyze(linesFrom(src, first))
}

// maxParseRestarts bounds how often a snippet is re-parsed after a syntax
// error, so that pathological input stays linear enough.
const maxParseRestarts = 64

// analyze parses t and records its facts. Parsing resumes on the line
// after a syntax error, so the rest is still read. The error is a Problem
// only when the text that could not be read touches a venv: that is a step
// the migration may miss. Any other error (bash the parser does not know,
// a typo in a release script) changes nothing venv2flox does, so it is not
// the maintainer's to fix in this patch.
func (ss *shellSession) analyze(t shellText) {
	base := 0
	reported := ss.quietErrors
	for restarts := 0; base < len(t.src) && restarts <= maxParseRestarts; restarts++ {
		stmts, errOff, err := ss.parse(t.src[base:])
		run := &shellRun{ss: ss, t: t, base: base}
		run.collectFuncs(stmts)
		for _, st := range stmts {
			run.walk(st)
		}
		if err == nil {
			return
		}
		// The unread text runs from the end of the last statement read to
		// the end of the line holding the error, where parsing resumes.
		from := 0
		if n := len(stmts); n > 0 && stmts[n-1].End().IsValid() {
			from = min(int(stmts[n-1].End().Offset()), errOff)
		}
		resume := len(t.src) - base
		if nl := strings.IndexByte(t.src[base+errOff:], '\n'); nl >= 0 {
			resume = errOff + nl + 1
		}
		if !reported && touchesVenv(t.src[base+from:base+resume]) {
			reported = true // one problem per snippet: later errors mostly follow from it
			ss.s.problem(Evidence{Path: ss.path, Line: t.lineOf(base + errOff)},
				"shell: "+err.Error()+": venv2flox could not read the venv step here")
		}
		base += resume
	}
}

// touchesVenv reports text that names a venv, its activation or a Python
// installer: words whose commands venv2flox reads and rewrites.
func touchesVenv(text string) bool {
	t := strings.ToLower(text)
	for _, w := range []string{"venv", "virtualenv", "activate", "pip", "poetry", "pdm ", "uv ", "conda", "site-packages", "bin/python"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// parse returns the statements read before an error, and the error's offset
// in src with a message without position.
func (ss *shellSession) parse(src string) ([]*syntax.Stmt, int, error) {
	p := getShellParser(ss.lang, false)
	defer shellParsers.Put(p)
	var stmts []*syntax.Stmt
	var first error
	// The loop never stops early: the parser's iterator may yield its
	// final error after a body returned false, which Go forbids.
	for st, err := range p.StmtsSeq(strings.NewReader(src)) {
		switch {
		case err != nil && first == nil:
			first = err
		case err == nil && first == nil && st != nil:
			stmts = append(stmts, st)
		}
	}
	if first == nil {
		return stmts, 0, nil
	}
	var pe syntax.ParseError
	var le syntax.LangError
	switch {
	case errors.As(first, &pe):
		return stmts, clampOff(int(pe.Pos.Offset()), len(src)), errors.New(pe.Text)
	case errors.As(first, &le):
		return stmts, clampOff(int(le.Pos.Offset()), len(src)), errors.New(le.Feature + " is not supported")
	}
	return stmts, 0, first
}

func clampOff(off, n int) int {
	if off < 0 || off > n {
		return 0
	}
	return off
}

// shellRun is one parse of (part of) a shellText.
type shellRun struct {
	ss   *shellSession
	t    shellText
	base int // offset of the parsed source in t.src
}

func (r *shellRun) collectFuncs(stmts []*syntax.Stmt) {
	for _, st := range stmts {
		syntax.Walk(st, func(n syntax.Node) bool {
			if fd, ok := n.(*syntax.FuncDecl); ok && fd.Name != nil {
				r.ss.funcs[fd.Name.Value] = true
			}
			return true
		})
	}
}

func (r *shellRun) walk(st *syntax.Stmt) {
	syntax.Walk(st, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			r.redirects(n)
		case *syntax.CallExpr:
			r.callExpr(n)
		case *syntax.DeclClause:
			if n.Variant != nil && n.Variant.Value != "nameref" {
				for _, a := range n.Args {
					r.assign(a)
				}
			}
		}
		return true
	})
}

// line is the file line of a node position.
func (r *shellRun) line(p syntax.Pos) int {
	if !p.IsValid() {
		return r.t.lineOf(r.base)
	}
	return r.t.lineOf(r.base + int(p.Offset()))
}

// raw is the source text between two positions, placeholders restored.
func (r *shellRun) raw(from, to syntax.Pos) string {
	if !from.IsValid() || !to.IsValid() {
		return ""
	}
	a, b := r.base+int(from.Offset()), r.base+int(to.Offset())
	if a < 0 || b > len(r.t.src) || a > b {
		return ""
	}
	return r.restore(r.t.src[a:b])
}

func (r *shellRun) restore(s string) string {
	if r.t.restore == nil {
		return s
	}
	return r.t.restore.Replace(s)
}

// commandText is the command as written, for reports: the recipe line for
// Makefiles, otherwise the call's source on one line.
func (r *shellRun) commandText(c *syntax.CallExpr) string {
	if r.t.asWritten != nil {
		return strings.TrimSpace(r.t.asWritten(r.line(c.Pos())))
	}
	return shellOneLine(r.raw(c.Pos(), c.End()))
}

// shellOneLine joins backslash-continued lines and squeezes the whitespace.
func shellOneLine(s string) string {
	s = strings.ReplaceAll(s, "\\\r\n", " ")
	s = strings.ReplaceAll(s, "\\\n", " ")
	return strings.Join(strings.Fields(s), " ")
}

func (r *shellRun) assign(a *syntax.Assign) {
	if a == nil || a.Name == nil || a.Naked || a.Value == nil || a.Index != nil {
		return
	}
	val, level := r.word(a.Value)
	name := a.Name.Value
	if a.Append {
		val = r.ss.vars[name] + val
	}
	line := r.line(a.Pos())
	cmd := shellOneLine(r.raw(a.Pos(), a.End()))
	if r.t.asWritten != nil {
		cmd = strings.TrimSpace(r.t.asWritten(line))
	}
	r.ss.assignFacts(name, val, cmd, line)
	if level == wordDynamic {
		// SCRIPT_DIR=$(cd ... && pwd): keep `$SCRIPT_DIR` as written.
		delete(r.ss.vars, name)
		return
	}
	r.ss.vars[name] = val
}

// assignFacts records what an assignment says about a venv: PATH with a
// venv's bin folder first is an activation, PIP=.venv/bin/pip a use.
func (ss *shellSession) assignFacts(name, val, cmd string, line int) {
	if name == "PATH" {
		for _, elem := range strings.Split(val, ":") {
			if dir, ok := ss.venvBinDir(elem); ok {
				ss.venv(VenvActivate, dir, false, cmd, line)
				return
			}
		}
		return
	}
	if dir, _, win, ok := ss.venvBin(val); ok {
		ss.venv(VenvBinUse, dir, win, cmd, line)
	} else if dir, ok := ss.venvBinDir(val); ok {
		ss.venv(VenvBinUse, dir, false, cmd, line)
	}
}

// redirects finds `echo "$PWD/.venv/bin" >> $GITHUB_PATH`, the way a
// GitHub Actions step puts a venv first on PATH for later steps.
func (r *shellRun) redirects(st *syntax.Stmt) {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) < 2 {
		return
	}
	name, _ := r.word(call.Args[0])
	if name != "echo" && name != "printf" {
		return
	}
	toPath := false
	for _, rd := range st.Redirs {
		if rd.Word != nil {
			w, _ := r.word(rd.Word)
			toPath = toPath || strings.Contains(w, "GITHUB_PATH")
		}
	}
	if !toPath {
		return
	}
	for _, a := range call.Args[1:] {
		v, _ := r.word(a)
		if dir, ok := r.ss.venvBinDir(strings.TrimSpace(v)); ok {
			r.ss.venv(VenvActivate, dir, false, shellOneLine(r.raw(st.Pos(), st.End())), r.line(a.Pos()))
			return
		}
	}
}

// Levels of how well a word could be rendered.
const (
	wordStatic  = iota // fully known
	wordParam          // holds variables that stayed unresolved ($VENV)
	wordDynamic        // holds command substitutions or other run-time values
)

// word renders a word the way the shell would see it where that is known:
// quotes removed, variables assigned earlier substituted, `${X:-default}`
// giving its default. Parts that stay unresolved are kept as written; the
// level says how much was resolved.
func (r *shellRun) word(w *syntax.Word) (text string, level int) {
	if w == nil {
		return "", wordStatic
	}
	var b strings.Builder
	for _, p := range w.Parts {
		level = max(level, r.part(&b, p, false))
	}
	if r.t.render != nil {
		return r.t.render.Replace(b.String()), level
	}
	return r.restore(b.String()), level
}

func (r *shellRun) part(b *strings.Builder, p syntax.WordPart, quoted bool) int {
	switch p := p.(type) {
	case *syntax.Lit:
		b.WriteString(unescapeLit(p.Value, quoted))
		return wordStatic
	case *syntax.SglQuoted:
		b.WriteString(p.Value)
		return wordStatic
	case *syntax.DblQuoted:
		level := wordStatic
		for _, q := range p.Parts {
			level = max(level, r.part(b, q, true))
		}
		return level
	case *syntax.ParamExp:
		if p.Param != nil && p.Index == nil && !p.Excl && !p.Length && p.Slice == nil && p.Repl == nil {
			v, known := r.ss.vars[p.Param.Value]
			isDefault := p.Exp != nil && (p.Exp.Op == syntax.DefaultUnsetOrNull || p.Exp.Op == syntax.DefaultUnset)
			switch {
			case p.Exp == nil && known:
				b.WriteString(v)
				return wordStatic
			case isDefault && known && v != "":
				b.WriteString(v)
				return wordStatic
			case isDefault && !known:
				d, level := r.word(p.Exp.Word)
				b.WriteString(d)
				return level
			case p.Exp == nil:
				b.WriteString(r.raw(p.Pos(), p.End()))
				return wordParam
			}
		}
	}
	b.WriteString(r.raw(p.Pos(), p.End()))
	return wordDynamic
}

// unescapeLit removes the backslashes the shell removes: every one outside
// quotes, and inside double quotes only before $ ` " \ and newline.
func unescapeLit(s string, quoted bool) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		next := s[i+1]
		switch {
		case next == '\n':
			i++
		case !quoted || strings.IndexByte("$`\"\\", next) >= 0:
			b.WriteByte(next)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// venv records a VenvUse.
func (ss *shellSession) venv(act VenvAction, dir string, windows bool, cmd string, line int) {
	if act == VenvCreate && dir != "" {
		ss.created[dir] = true
	}
	ss.s.p.Venvs = append(ss.s.p.Venvs, VenvUse{
		Action: act, Dir: dir, Command: cmd, File: ss.kind,
		Windows: windows || ss.windows, Evidence: Evidence{Path: ss.path, Line: line},
	})
}

func (ss *shellSession) command(name string, args []string, line int) {
	ss.s.p.Commands = append(ss.s.p.Commands, CommandUse{
		Name: name, Args: args, File: ss.kind, Evidence: Evidence{Path: ss.path, Line: line},
	})
}

func (ss *shellSession) manager(m Manager, reason string, line int) {
	ss.s.p.Managers = append(ss.s.p.Managers, ManagerUse{
		Manager: m, Strength: 1, Reason: reason, Evidence: Evidence{Path: ss.path, Line: line},
	})
}

func (ss *shellSession) system(name, source string, line int) {
	ss.s.p.System = append(ss.s.p.System, SystemNeed{Name: name, Source: source, Evidence: Evidence{Path: ss.path, Line: line}})
}

// source turns shell text into a ShellSource of the file at path: known
// values rendered, other placeholders back as written, and the file line
// of every line.
func (t shellText) source(path string) ShellSource {
	script := t.src
	if t.render != nil {
		script = t.render.Replace(script)
	} else if t.restore != nil {
		script = t.restore.Replace(script)
	}
	src := ShellSource{Path: path, Script: unknownTemplates(script)}
	off := 0
	for _, l := range strings.SplitAfter(t.src, "\n") {
		if l == "" {
			break
		}
		src.Lines = append(src.Lines, t.lineOf(off))
		off += len(l)
	}
	return src
}

// UnknownCIValue stands for a CI expression whose value is not known
// (${{ matrix.x }}) in the shell text detect hands on.
const UnknownCIValue = "CI_EXPRESSION"

// unknownTemplates replaces the CI expressions whose value is not known
// (${{ matrix.x }}) with a plain word, so the script stays shell.
func unknownTemplates(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${{")
		j := strings.Index(s[max(i, 0):], "}}")
		if i < 0 || j < 0 || strings.Contains(s[i:i+j], "\n") {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(UnknownCIValue)
		s = s[i+j+2:]
	}
}
