package detect

import (
	"path"
	"strings"

	"github.com/venv2flox/venv2flox/internal/makefile"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// A Makefile is read in two passes, as make does: the file is read top to
// bottom (variables, conditionals, rules, recipe lines), then each recipe
// is expanded with the variables' final values and analysed as shell,
// every fact keeping the recipe line it came from.

// makeVar is one variable definition, in make syntax: the value of a
// simple (:=) variable is stored already expanded, with $$ kept and
// unknown references left as written.
type makeVar struct {
	value string
}

// makeRecipe is the recipe of one rule: its lines in file order.
type makeRecipe struct {
	lines   []makeLine
	windows bool // inside an ifeq ($(OS),Windows_NT) branch
	// targets and prereqs are the rule's words as written; line is the
	// rule's line.
	targets, prereqs string
	line             int
}

// makeLine is one logical recipe line: physical lines joined with "\n"
// (make hands backslash-newline to the shell as is), prefixes removed.
type makeLine struct {
	first int // file line of the first physical line
	text  string
}

// makeCond is one open conditional.
type makeCond struct {
	// windows is true while reading a branch that only applies on Windows.
	windows bool
	// winFirst is true when the first branch is the Windows one.
	winFirst, inElse, known bool
}

type makefileReader struct {
	s        *scanner
	f        *textFile
	lines    []string
	vars     map[string]makeVar
	exported map[string]bool
	recipes  []*makeRecipe
	oneShell bool
	prefix   byte
	conds    []makeCond
	includes []string
	ss       *shellSession
	// budget bounds the references one expansion may substitute: values
	// that reference each other twice per level would grow exponentially.
	budget int
}

func extractMakefile(s *scanner, f *textFile) {
	m := &makefileReader{
		s: s, f: f, lines: f.Lines(), vars: map[string]makeVar{}, exported: map[string]bool{},
		prefix: '\t', ss: newShellSession(s, f.Path, KindMakefile),
	}
	m.read()
	for _, r := range m.recipes {
		m.analyzeRecipe(r)
	}
	m.s.p.Setup.Makefiles = append(m.s.p.Setup.Makefiles, m.targets())
}

func (m *makefileReader) windowsBranch() bool {
	for _, c := range m.conds {
		if c.windows {
			return true
		}
	}
	return false
}

// read is the first pass, over the logical lines internal/makefile finds
// (the rewriter reads the same ones): recipe lines go to their rule's
// recipe, even past conditional lines between them, and every other line
// is a directive, an assignment or a rule.
func (m *makefileReader) read() {
	recipes := map[int]*makeRecipe{} // by the index of the rule line
	for i, l := range makefile.Parse([]byte(m.f.Text)) {
		first := l.Line - 1
		phys := m.lines[first:min(first+strings.Count(l.Text, "\n")+1, len(m.lines))]
		if len(phys) == 0 {
			continue
		}
		switch l.Kind {
		case makefile.Recipe:
			if r := recipes[l.Rule]; r != nil {
				// make hands backslash-newline to the shell as is, and drops
				// the prefix of continuation lines.
				text := phys[0][1:]
				for _, next := range phys[1:] {
					if len(next) > 0 && next[0] == m.prefix {
						next = next[1:]
					}
					text += "\n" + next
				}
				r.lines = append(r.lines, makeLine{first: l.Line, text: text})
			}
			continue
		case makefile.Blank, makefile.Comment, makefile.Define:
			continue
		}
		if l.Kind == makefile.Assign {
			m.assign(l, joinLogical(strings.Split(m.f.Text[l.ValueStart:l.ValueEnd], "\n")))
			continue
		}
		logical := stripMakeComment(joinLogical(phys))
		if strings.TrimSpace(logical) == "" || m.directive(strings.TrimSpace(logical), l.Line) {
			continue
		}
		if l.Kind != makefile.Rule {
			continue
		}
		if r := m.rule(logical, l.Line); r != nil {
			recipes[i] = r
		}
	}
}

// joinLogical joins the physical lines of a logical line outside recipes
// as make does: each backslash-newline and the spaces around it become one
// space.
func joinLogical(phys []string) string {
	out := strings.TrimSuffix(phys[0], "\r")
	for _, next := range phys[1:] {
		out = strings.TrimSuffix(out, "\\") + " " + strings.TrimSpace(next)
	}
	return strings.TrimSpace(out)
}

// stripMakeComment removes a comment that is not escaped as \#.
func stripMakeComment(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && (i == 0 || s[i-1] != '\\') {
			return s[:i]
		}
	}
	return s
}

// directive handles conditionals, define blocks, include and export lines.
// It reports whether the line was one.
func (m *makefileReader) directive(t string, lineNo int) bool {
	word, rest, _ := strings.Cut(t, " ")
	rest = strings.TrimSpace(rest)
	switch word {
	case "ifeq", "ifneq", "ifdef", "ifndef":
		c := makeCond{}
		if strings.Contains(rest, "Windows_NT") {
			c.known, c.winFirst = true, word == "ifeq"
			c.windows = c.winFirst
		}
		m.conds = append(m.conds, c)
		return true
	case "else":
		if n := len(m.conds); n > 0 {
			c := &m.conds[n-1]
			c.inElse = true
			c.windows = c.known && !c.winFirst
			// `else ifeq (...)` opens a chained condition in the same block.
			if strings.HasPrefix(rest, "if") && strings.Contains(rest, "Windows_NT") {
				c.windows = true
			}
		}
		return true
	case "endif":
		if n := len(m.conds); n > 0 {
			m.conds = m.conds[:n-1]
		}
		return true
	case "include", "-include", "sinclude":
		// Other Makefiles of the project this one reads: their variables
		// are shared, so the files are migrated together or not at all.
		if args := strings.Fields(rest); len(args) > 0 {
			m.s.p.Commands = append(m.s.p.Commands, CommandUse{Name: "include", Args: args, File: KindMakefile,
				Evidence: Evidence{Path: m.f.Path, Line: lineNo}})
			for _, a := range args {
				if !strings.ContainsAny(a, "$*?[") {
					m.includes = append(m.includes, path.Clean(path.Join(path.Dir(m.f.Path), a)))
				}
			}
		}
		return true
	case "vpath", "unexport", "endef":
		return true
	case "export", "override", "private":
		if !strings.ContainsAny(rest, "=") {
			for _, name := range strings.Fields(rest) {
				m.exported[name] = true
			}
			return true
		}
	}
	return false
}

// assign records an assignment line (`NAME = v`, `:=`, `::=`, `:::=`,
// `?=`, `+=`, `!=`, with optional export/override/private prefixes), as
// internal/makefile reads it; value has its continuation lines joined.
func (m *makefileReader) assign(l makefile.Line, value string) {
	name, op, export, lineNo := l.Name, l.Op, l.Export, l.Line
	if m.windowsBranch() {
		return // the Unix branch defines what Flox environments use
	}
	if export {
		m.exported[name] = true
	}
	switch op {
	case "?=":
		if _, ok := m.vars[name]; !ok {
			m.vars[name] = makeVar{value: value}
		}
	case "+=":
		old := m.vars[name]
		if old.value != "" {
			value = old.value + " " + value
		}
		m.vars[name] = makeVar{value: value}
	case ":=", "::=", ":::=":
		m.vars[name] = makeVar{value: m.expandNow(value)}
	case "!=":
		// The value is the output of a shell command: unknown here, but the
		// command itself is analysed.
		m.shellLine(value, lineNo, false)
		delete(m.vars, name)
		return
	default:
		m.vars[name] = makeVar{value: value}
	}
	if name == ".RECIPEPREFIX" && value != "" {
		m.prefix = value[0]
	}
	ph := &placeholders{}
	expanded := restorePlaceholders(m.expand(value, ph, 0), ph)
	m.ss.assignFacts(name, expanded, strings.TrimSpace(m.lines[lineNo-1]), lineNo)
}

func restorePlaceholders(s string, ph *placeholders) string {
	if r := ph.replacer(); r != nil {
		return r.Replace(s)
	}
	return s
}

// rule reads `targets: prerequisites [; recipe]` and returns the recipe
// that the following lines feed, or nil for lines that are not rules.
func (m *makefileReader) rule(logical string, lineNo int) *makeRecipe {
	colon := makeRuleColon(logical)
	if colon < 0 {
		return nil
	}
	targets := strings.TrimSpace(logical[:colon])
	rest := strings.TrimLeft(logical[colon+1:], ":")
	prereqs, inline, hasInline := strings.Cut(rest, ";")
	if targets == ".ONESHELL" {
		m.oneShell = true
	}
	if strings.HasPrefix(targets, ".") && !strings.Contains(targets, "/") && strings.ToUpper(targets) == targets {
		return nil // special targets (.PHONY, .ONESHELL) have no recipe
	}
	m.ruleFacts(targets+" "+prereqs, lineNo)
	r := &makeRecipe{windows: m.windowsBranch(), targets: targets, prereqs: prereqs, line: lineNo}
	m.recipes = append(m.recipes, r)
	if hasInline && strings.TrimSpace(inline) != "" {
		// `target: ; cmd`: the recipe starts on the rule line.
		r.lines = append(r.lines, makeLine{first: lineNo, text: inline})
	}
	return r
}

// makeRuleColon finds the ':' that separates targets from prerequisites
// in a rule line internal/makefile found, its continuation lines joined.
func makeRuleColon(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '{':
			depth++
		case ')', '}':
			depth--
		case ':':
			if depth == 0 {
				// A Windows drive letter (C:\) is not a rule separator.
				if i+1 < len(s) && s[i+1] == '\\' {
					continue
				}
				return i
			}
		}
	}
	return -1
}

// ruleFacts records targets and prerequisites that are files of a venv:
// `$(VENV)/bin/activate: requirements.txt`, `.venv/.install.stamp: ...`.
func (m *makefileReader) ruleFacts(words string, lineNo int) {
	ph := &placeholders{}
	expanded := restorePlaceholders(m.expand(words, ph, 0), ph)
	text := strings.TrimSpace(m.lines[lineNo-1])
	for _, w := range strings.Fields(expanded) {
		if w == "|" {
			continue
		}
		dir, _, win, ok := m.ss.venvBin(w)
		if !ok {
			if d, w2, ok2 := venvcmd.ActivatePath(w); ok2 {
				dir, win, ok = d, w2, true
			} else if d := path.Dir(w); d != "." && m.ss.isVenvDir(d) {
				dir, ok = venvcmd.CleanDir(d), true
			}
		}
		if ok {
			m.ss.venv(VenvBinUse, dir, win, text, lineNo)
			return
		}
	}
}

// analyzeRecipe expands a recipe's lines and analyses them as shell.
func (m *makefileReader) analyzeRecipe(r *makeRecipe) {
	m.ss.windows = r.windows
	defer func() { m.ss.windows = false }()
	if m.oneShell && len(r.lines) > 0 {
		// One shell for the whole recipe: join every line, keeping each at
		// its file line (blank lines fill the gaps of skipped comments).
		var b strings.Builder
		first := r.lines[0].first
		at := first
		for _, l := range r.lines {
			for ; at < l.first; at++ {
				b.WriteString("\n")
			}
			b.WriteString(stripRecipePrefixes(l.text))
			at += strings.Count(l.text, "\n")
		}
		m.shellLine(b.String(), first, true)
		return
	}
	for _, l := range r.lines {
		if makeFunctionLine(l.text) {
			continue
		}
		m.shellLine(stripRecipePrefixes(l.text), l.first, true)
	}
}

// makeFunctionLine reports a recipe line that is one call of a make
// function that expands to nothing ($(eval ...), $(info ...)): make runs
// it, the shell never sees it.
func makeFunctionLine(text string) bool {
	t := strings.TrimSpace(strings.TrimLeft(text, "\t @-+"))
	if len(t) < 3 || t[0] != '$' || (t[1] != '(' && t[1] != '{') {
		return false
	}
	closing := ")"
	if t[1] == '{' {
		closing = "}"
	}
	for _, fn := range []string{"eval", "info", "warning", "error"} {
		if strings.HasPrefix(t[2:], fn+" ") && strings.HasSuffix(t, closing) {
			return true
		}
	}
	return false
}

// stripRecipePrefixes removes the @, - and + prefixes of a recipe line.
// make reads them at the start of the line only: a continuation line that
// starts with `--option` keeps it.
func stripRecipePrefixes(text string) string {
	j := 0
	for j < len(text) && strings.IndexByte("@-+ \t", text[j]) >= 0 {
		j++
	}
	// Keep the width so that columns hold.
	return strings.Repeat(" ", j) + text[j:]
}

// shellLine expands make references in text and analyses the result as
// shell whose first line is file line first. Facts report the recipe
// line as written.
func (m *makefileReader) shellLine(text string, first int, expand bool) {
	ph := &placeholders{}
	if expand {
		text = m.expand(text, ph, 0)
	}
	t := linesFrom(text, first)
	t.restore = ph.replacer()
	t.asWritten = func(line int) string {
		if line < 1 || line > len(m.lines) {
			return ""
		}
		l := m.lines[line-1]
		if len(l) > 0 && l[0] == m.prefix {
			l = l[1:]
		}
		l = strings.TrimLeft(l, "\t @-+")
		return strings.TrimSuffix(strings.TrimSpace(l), "\\")
	}
	m.ss.analyze(t)
}

// maxMakeDepth bounds recursive variable expansion ($(A) -> $(B) -> ...),
// which also stops self-referencing definitions.
const maxMakeDepth = 16

// expand replaces $(VAR) and ${VAR} of variables defined in the file with
// their values and $$ with $. Functions, automatic variables and unknown
// variables become placeholders that restore to the text as written.
// Newlines are kept, so lines hold.
func (m *makefileReader) expand(s string, ph *placeholders, depth int) string {
	if !strings.Contains(s, "$") {
		return s
	}
	if depth == 0 {
		m.budget = maxMakeReferences
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		next := s[i+1]
		switch next {
		case '$':
			b.WriteByte('$')
			i++
			continue
		case '(', '{':
			end := matchMakeParen(s, i+1)
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			inner := s[i+2 : end]
			orig := s[i : end+1]
			b.WriteString(m.reference(inner, orig, ph, depth))
			i = end
		case '\n':
			b.WriteByte(c)
		default:
			// $@ $< $^ and one-letter variables.
			b.WriteString(ph.put(s[i : i+2]))
			i++
		}
	}
	return b.String()
}

// maxMakeReferences is the budget of one top-level expansion.
const maxMakeReferences = 4096

// reference expands one $(inner).
func (m *makefileReader) reference(inner, orig string, ph *placeholders, depth int) string {
	name := strings.TrimSpace(inner)
	if strings.ContainsAny(name, " \t,:$") || name == "" || m.budget <= 0 {
		return ph.put(orig) // a function call or a substitution reference
	}
	m.budget--
	if v, ok := m.vars[name]; ok && depth < maxMakeDepth {
		if strings.Contains(v.value, "`") {
			// PYTHON=`command -v python3.11`: the shell computes the value,
			// so the reference stays one unknown word.
			return ph.put(orig)
		}
		return m.expand(strings.ReplaceAll(v.value, "\n", " "), ph, depth+1)
	}
	if name == "MAKE" {
		return "make"
	}
	return ph.put(orig)
}

// expandNow expands a := value when it is defined: known variables are
// substituted, while $$ and unknown references stay in make syntax for the
// expansion at use.
func (m *makefileReader) expandNow(value string) string {
	const dollar = "\x00"
	ph := &placeholders{}
	out := m.expand(strings.ReplaceAll(value, "$$", dollar+dollar), ph, 0)
	return strings.ReplaceAll(restorePlaceholders(out, ph), dollar+dollar, "$$")
}

// matchMakeParen returns the index of the bracket closing s[open].
func matchMakeParen(s string, open int) int {
	o := s[open]
	cl := byte(')')
	if o == '{' {
		cl = '}'
	}
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case o:
			depth++
		case cl:
			depth--
			if depth == 0 {
				return i
			}
		case '\n':
			return -1
		}
	}
	return -1
}
