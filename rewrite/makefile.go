package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/makefile"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// varDropped marks PATH and VIRTUAL_ENV assignments the Flox hook replaces.
const varDropped varKind = -1

// Makefile rewrites a Makefile so that every target works both from a
// plain shell and inside `flox activate`:
//
//   - recipe commands that ran from the venv get a $(FLOX) prefix, a
//     variable that is `flox activate --` outside the environment and empty
//     inside it ($(VENV)/bin/pytest becomes $(FLOX) pytest);
//   - venv creation, activation and installs the Flox hook does go away;
//   - venv variables (VENV, VENV_BIN, PYTHON := $(VENV)/bin/python,
//     export PATH := $(VENV)/bin:$(PATH)) are dropped or point at plain
//     commands;
//   - rules that only built venv files ($(VENV)/bin/activate, stamp files)
//     go away with the prerequisites naming them, while named targets
//     (venv, install) stay as thin targets that build the Flox environment.
//
// Makefiles that switch venv paths per operating system, or include a venv
// helper Makefile, are left alone and reported.
func Makefile(ctx *Context, path string, src []byte) (Result, error) {
	m := newMakeRewrite(ctx, path, src)
	res := Result{New: src}
	if users := ctx.venvUsers(path); len(users) > 0 {
		// A recipe cannot keep its venv setup for runs without Flox
		// without a second set of variables: the Makefile stays as it is.
		res.FollowUps = []FollowUp{venvUsersNote(path, users, "so the Makefile keeps making it")}
		return res, nil
	}
	if m.group = loadMakeGroup(ctx, path, src); m.group != nil {
		m.seed(m.group.vars)
	}
	m.learnVars()
	m.rewriteRecipes()
	if !m.usesVenv && m.group != nil && m.definesFlox() {
		m.usesVenv = true // the others of its group run $(FLOX)
	}
	if !m.usesVenv {
		if e, ok := m.upgradeLegacyFloxVar(); ok && !ctx.KeepVenv {
			e, err := normalizeEdits(e)
			if err != nil {
				return res, err
			}
			out, err := applyEdits(src, e)
			if err != nil {
				return res, err
			}
			res.New = out
		}
		return res, nil
	}
	if m.checkBlockers(); m.blocked {
		res.FollowUps = m.followUps
		if r, ok := m.rewriteUnixBranches(ctx); ok {
			return r, nil
		}
		return res, nil
	}
	if ctx.KeepVenv {
		res.FollowUps = m.followUps
		res.New = m.addFloxTarget()
		return res, nil
	}
	m.rewriteRules()
	m.rewriteVars()
	m.insertFloxVar()
	if e, ok := m.upgradeLegacyFloxVar(); ok {
		m.edits = append(m.edits, e...)
	}
	edits, err := normalizeEdits(m.edits)
	if err != nil {
		return res, err
	}
	edits = tidyBlankLines(src, edits)
	out, err := applyEdits(src, edits)
	if err != nil {
		return res, err
	}
	res.New, res.FollowUps = out, m.followUps
	return res, nil
}

type makeRewrite struct {
	ctx       *Context
	path      string
	src       []byte
	nl        string
	lines     []makefile.Line
	starts    []int
	vars      map[string]venvVar // "$(VENV)" -> kind
	varLines  map[int]varKind    // assignment line index -> kind of venv variable it defines
	ambient   bool               // export PATH := $(VENV)/bin:$(PATH)
	oneshell  bool
	usesVenv  bool
	blocked   bool
	edits     []Edit
	followUps []FollowUp
	rules     map[int]*ruleState
	deleted   map[int]bool // logical lines deleted whole
	phony     map[string]bool
	prefixed  bool
	group     *makeGroup      // the Makefiles it shares variables with, if any
	thin      map[string]bool // targets kept only for their callers
}

// ruleState is what happened to one rule's recipe.
type ruleState struct {
	changed  bool         // a venv command, prerequisite or line went away
	commands int          // remaining recipe lines that do more than talk
	firstRec int          // index of the first recipe line, -1 if none
	thin     bool         // its recipe now only builds the Flox environment
	dropped  map[int]bool // indexes of prerequisite words deleted
}

func newMakeRewrite(ctx *Context, p string, src []byte) *makeRewrite {
	m := &makeRewrite{ctx: ctx, path: p, src: src, nl: newline(src), lines: makefile.Parse(src), starts: lineStarts(src),
		vars: map[string]venvVar{}, varLines: map[int]varKind{}, rules: map[int]*ruleState{}, deleted: map[int]bool{}, phony: map[string]bool{}, thin: map[string]bool{}}
	for _, l := range m.lines {
		if l.Kind != makefile.Rule {
			continue
		}
		targets := strings.TrimSpace(l.Text[:l.Colon-l.Start])
		if targets == ".ONESHELL" {
			m.oneshell = true
		}
		if targets == ".PHONY" {
			words, _ := makefile.Words(string(src[l.PrereqStart:l.PrereqEnd]))
			for _, w := range words {
				m.phony[w] = true
			}
		}
	}
	return m
}

func (m *makeRewrite) helper() *unit {
	return &unit{ctx: m.ctx, vars: m.vars}
}

func (m *makeRewrite) evidence(off int) detect.Evidence {
	return detect.Evidence{Path: m.path, Line: lineAt(m.starts, off)}
}

func (m *makeRewrite) followUp(off int, msg, suggestion string) {
	m.followUps = append(m.followUps, FollowUp{Evidence: m.evidence(off), Message: msg, Suggestion: suggestion})
}

// valuePieces returns the words of an assignment's value as pieces.
func (m *makeRewrite) valueWords(l makefile.Line) ([]string, []int) {
	words, offs := makefile.Words(string(m.src[l.ValueStart:l.ValueEnd]))
	for i := range offs {
		offs[i] += l.ValueStart
	}
	return words, offs
}

// learnVars finds the variables that point into the venv, and the PATH and
// VIRTUAL_ENV exports the Flox hook replaces.
func (m *makeRewrite) learnVars() {
	h := m.helper()
	for range 3 {
		for i, l := range m.lines {
			if l.Kind != makefile.Assign {
				continue
			}
			words, offs := m.valueWords(l)
			if len(words) == 0 {
				continue
			}
			switch l.Name {
			case "PATH":
				if strings.HasPrefix(l.Op, "+") {
					continue
				}
				if m.pathPrepend(h, words, offs) {
					m.ambient = true
					m.varLines[i] = varDropped
				}
				continue
			case "VIRTUAL_ENV":
				if ref, ok := h.venvPath(makePieces(words[0], offs[0])); ok && !ref.outside && len(words) == 1 {
					m.varLines[i] = varDropped
				}
				continue
			}
			key := "$(" + l.Name + ")"
			if value := string(m.src[l.ValueStart:l.ValueEnd]); strings.Contains(value, key) || strings.Contains(value, "${"+l.Name+"}") {
				continue // VENV := $(VENV)/bin: a value built on itself is not read
			}
			if _, ok := virtualEnvOr(string(m.src[l.ValueStart:l.ValueEnd])); ok {
				// The active venv, else the Makefile's own: the Flox hook's
				// is active inside the environment, so both are its venv.
				m.vars[key] = venvVar{kind: varVenvDir}
				m.varLines[i] = varVenvDir
				continue
			}
			if m.isVenvCommand(h, words, offs) {
				last := len(words) - 1
				m.vars[key] = venvVar{kind: varVenvCommand, text: string(m.src[offs[0] : offs[last]+len(words[last])])}
				m.varLines[i] = varVenvCommand
				continue
			}
			if aliasedProgram(words[0]) && m.vars[key].kind == 0 {
				m.vars[key] = venvVar{kind: varAlias, tool: words[0]}
				continue
			}
			ref, ok := h.venvPath(makePieces(words[0], offs[0]))
			if !ok || ref.outside {
				continue
			}
			switch {
			case ref.isDir() && len(words) == 1:
				m.vars[key] = venvVar{kind: varVenvDir}
				m.varLines[i] = varVenvDir
			case ref.isBinDir() && len(words) == 1:
				m.vars[key] = venvVar{kind: varVenvBin}
				m.varLines[i] = varVenvBin
			case ref.tool() != "":
				m.vars[key] = venvVar{kind: varTool, tool: ref.tool()}
				m.varLines[i] = varTool
			case len(words) == 1 && !ref.isWindows():
				v := venvVar{kind: varVenvFile}
				if ref.isActivate() {
					v.rest = ref.rest
				}
				m.vars[key] = v
				m.varLines[i] = varVenvFile
			}
		}
	}
}

// virtualEnvOr reads a value that names the active venv or else a folder
// of the project: $(shell echo $${VIRTUAL_ENV-.venv}), $(or
// $(VIRTUAL_ENV),.venv), $(if $(VIRTUAL_ENV),$(VIRTUAL_ENV),venv).
func virtualEnvOr(value string) (string, bool) {
	v := strings.Join(strings.Fields(value), " ")
	var dir string
	for _, form := range [][2]string{
		{"$(shell echo $${VIRTUAL_ENV-", "})"}, {"$(shell echo $${VIRTUAL_ENV:-", "})"},
		{"$(or $(VIRTUAL_ENV),", ")"}, {"$(or ${VIRTUAL_ENV},", ")"},
		{"$(if $(VIRTUAL_ENV),$(VIRTUAL_ENV),", ")"},
	} {
		if rest, ok := strings.CutPrefix(v, form[0]); ok {
			if d, ok := strings.CutSuffix(rest, form[1]); ok {
				dir = d
				break
			}
		}
	}
	for _, here := range []string{"$$PWD/", "$(CURDIR)/", "$(PWD)/", "./"} {
		dir = strings.TrimPrefix(dir, here)
	}
	if dir == "" || strings.ContainsAny(dir, "$ /`") {
		return "", false
	}
	return dir, true
}

// isVenvCommand reports a variable value that is a whole venv command:
// an activation (. $(VENV)/bin/activate) or a creation command without its
// folder (python3 -m venv). Recipes then read the command itself.
func (m *makeRewrite) isVenvCommand(h *unit, words []string, offs []int) bool {
	// RUN = . $(VENV)/bin/activate; and ACT = source ... &&: the separator
	// comes with the value, and recipes read it with the command.
	if n := len(words); n > 1 && (words[n-1] == "&&" || words[n-1] == ";") {
		words = words[:n-1]
	} else if n > 1 && strings.HasSuffix(words[n-1], ";") {
		words = append(slices.Clone(words[:n-1]), strings.TrimSuffix(words[n-1], ";"))
	}
	switch {
	case len(words) == 2 && (words[0] == "." || words[0] == "source"):
		ref, ok := h.venvPath(makePieces(words[1], offs[1]))
		return ok && !ref.outside && ref.isActivate()
	case len(words) == 3 && venvcmd.IsPython(words[0]) && words[1] == "-m":
		return words[2] == "venv" || words[2] == "virtualenv"
	}
	return false
}

// pathPrepend reports PATH := $(VENV)/bin:$(PATH).
func (m *makeRewrite) pathPrepend(h *unit, words []string, offs []int) bool {
	if len(words) != 1 {
		return false
	}
	left, right, ok := strings.Cut(words[0], ":")
	if !ok || (right != "$(PATH)" && right != "${PATH}" && right != "$$PATH") {
		return false
	}
	ref, ok := h.venvPath(makePieces(left, offs[0]))
	return ok && !ref.outside && ref.isBinDir()
}

func (m *makeRewrite) checkBlockers() {
	if m.ctx != nil && slices.Contains(m.ctx.SharedMakefiles, m.path) && m.group == nil {
		m.blocked = true
		m.followUp(0, "shares venv variables with the Makefiles it includes or that include it ("+strings.Join(m.ctx.SharedMakefiles, ", ")+")",
			"Migrate these Makefiles together by hand: replace their venv commands with `$(FLOX) <command>`.")
		return
	}
	osReported := false
	for i, l := range m.lines {
		switch {
		case osReported && l.OSSwitch:
		case l.Kind == makefile.Include && strings.Contains(strings.ToLower(l.Text), "venv") && m.group == nil:
			m.blocked = true
			m.followUp(l.Start, "includes a venv helper Makefile ("+strings.TrimSpace(l.Text)+")",
				"Replace the helper's targets with `flox activate -- <command>` by hand, then drop the include.")
		case l.Kind == makefile.Assign && l.OSSwitch && (m.varLines[i] != 0 || m.vars["$("+l.Name+")"].kind != 0 || l.Name == "VENV_BIN" || l.Name == "BIN"):
			m.blocked, osReported = true, true
			m.followUp(l.Start, "chooses venv paths per operating system ("+l.Name+")",
				"Flox does not run on Windows: rewrite the Unix branch to use `flox activate -- <command>` by hand.")
		case l.Kind == makefile.Assign && l.Name == ".RECIPEPREFIX":
			m.blocked = true
			m.followUp(l.Start, "changes .RECIPEPREFIX, which venv2flox does not rewrite", "Replace the venv commands with `$(FLOX) <command>` by hand.")
		}
	}
}

// recipeUnit is the shell text of one recipe line (or, with .ONESHELL, of
// a whole recipe) with the map back to file offsets.
type recipeUnit struct {
	lines     []int // indexes of the logical lines
	text      []byte
	orig      []int       // file offset of each text byte; one more for the end
	lineStart map[int]int // text offset of a line start -> file offset of its physical line
	mk        map[int]mkRef
	end       int // file offset after the unit's last newline
}

func (m *makeRewrite) buildUnit(idx []int) *recipeUnit {
	ru := &recipeUnit{lines: idx, lineStart: map[int]int{}, mk: map[int]mkRef{}}
	for n, li := range idx {
		l := m.lines[li]
		if n > 0 {
			// The newline that ended the previous logical line.
			ru.text = append(ru.text, '\n')
			ru.orig = append(ru.orig, m.lines[idx[n-1]].End-1)
		}
		phys := strings.Split(l.Text, "\n")
		off := l.Start
		for k, p := range phys {
			if k > 0 {
				ru.text = append(ru.text, '\n')
				ru.orig = append(ru.orig, off-1)
			}
			ru.lineStart[len(ru.text)] = off
			p = strings.TrimSuffix(p, "\r")
			skip := 0
			if strings.HasPrefix(p, "\t") {
				skip = 1
			}
			if k == 0 {
				for skip < len(p) && strings.IndexByte("@-+ \t", p[skip]) >= 0 {
					skip++
				}
			}
			m.appendShell(ru, p[skip:], off+skip)
			off += len(p) + 1
			if k < len(phys)-1 && strings.HasSuffix(l.Text[:min(len(l.Text), off-l.Start)], "\r\n") {
				off++ // the CR of a CRLF continuation
			}
		}
		ru.end = l.End
	}
	ru.orig = append(ru.orig, m.lines[idx[len(idx)-1]].Start+len(m.lines[idx[len(idx)-1]].Text))
	return ru
}

// appendShell adds recipe text as the shell sees it: $$ becomes $ and each
// make expansion becomes a same-length placeholder word, except variables
// holding an activation (VENV_RUN = . $(VENV)/bin/activate), which expand
// to their command so `$(VENV_RUN); pytest` reads as `. …/activate; pytest`.
func (m *makeRewrite) appendShell(ru *recipeUnit, s string, at int) {
	m.appendShellMapped(ru, s, func(i int) int { return at + i }, true)
}

// appendShellMapped is appendShell with orig giving the file offset of each
// byte of s; an expanded activation maps wholly onto its $(NAME).
func (m *makeRewrite) appendShellMapped(ru *recipeUnit, s string, orig func(int) int, expand bool) {
	last := 0
	emit := func(from, to int) {
		for i := from; i < to; i++ {
			ru.text = append(ru.text, s[i])
			ru.orig = append(ru.orig, orig(i))
		}
	}
	for _, t := range makefile.Refs(s) {
		emit(last, t.Start)
		switch v := m.vars[t.Name]; {
		case t.Name == "$$":
			ru.text = append(ru.text, '$')
			ru.orig = append(ru.orig, orig(t.Start))
		case expand && v.kind == varVenvCommand:
			ref := orig(t.Start)
			m.appendShellMapped(ru, v.text, func(int) int { return ref }, false)
		default:
			start := len(ru.text)
			for i := t.Start; i < t.End; i++ {
				c := byte('_')
				if i == t.Start {
					c = 'M'
				}
				ru.text = append(ru.text, c)
				ru.orig = append(ru.orig, orig(i))
			}
			ru.mk[start] = mkRef{end: len(ru.text), name: t.Name}
		}
		last = t.End
	}
	emit(last, len(s))
}

// mapEdit moves an edit from unit text offsets to file offsets. Deleting
// whole text lines deletes the whole physical lines, tab included.
func (ru *recipeUnit) mapEdit(e Edit) Edit {
	s, en := e.Start, e.End
	atLineStart := func(o int) bool { return o == 0 || (o <= len(ru.text) && ru.text[o-1] == '\n') }
	if e.Text == "" && atLineStart(s) && (en == len(ru.text) || atLineStart(en)) {
		fs, ok := ru.lineStart[s]
		if ok {
			fe := ru.end
			if en < len(ru.text) {
				fe = ru.lineStart[en]
			}
			return Edit{Start: fs, End: fe}
		}
	}
	return Edit{Start: ru.orig[s], End: ru.orig[en], Text: e.Text}
}

// rewriteRecipes runs the shell rewriter over every recipe.
func (m *makeRewrite) rewriteRecipes() {
	byRule := map[int][]int{}
	var order []int
	for i, l := range m.lines {
		if l.Kind == makefile.Rule {
			m.rules[i] = &ruleState{firstRec: -1}
			order = append(order, i)
		}
		if l.Kind == makefile.Recipe {
			byRule[l.Rule] = append(byRule[l.Rule], i)
			if st := m.rules[l.Rule]; st != nil && st.firstRec < 0 {
				st.firstRec = i
			}
		}
	}
	if len(m.varLines) > 0 {
		m.usesVenv = true
	}
	for _, r := range order {
		recs := byRule[r]
		if len(recs) == 0 {
			continue
		}
		if m.oneshell {
			m.rewriteUnit(r, recs)
			continue
		}
		for _, li := range recs {
			m.rewriteUnit(r, []int{li})
		}
	}
	// Stamp bookkeeping (touch $@) goes with the venv commands it recorded.
	for _, r := range order {
		st := m.rules[r]
		targets, _ := makefile.Words(m.lines[r].Text[:m.lines[r].Colon-m.lines[r].Start])
		// A stamp inside the venv goes even when nothing else changed:
		// the folder it is touched in is no longer made.
		if !st.changed && !m.venvFileTargets(targets) || m.oneshell {
			continue
		}
		var stamps []int
		for _, li := range byRule[r] {
			if !m.deleted[li] && m.isStampLine(r, li) {
				stamps = append(stamps, li)
			}
		}
		if st.commands > len(stamps) && !m.venvFileTargets(targets) {
			// Other commands stay in this rule (an install of extras): its
			// stamp still records when they ran.
			continue
		}
		for _, li := range stamps {
			m.deleted[li] = true
			m.edits = append(m.edits, Edit{Start: m.lines[li].Start, End: m.lines[li].End})
			st.commands--
		}
		if len(stamps) > 0 && st.commands == 0 && m.venvFileTargets(targets) && !m.deleted[r] {
			// An empty recipe (`;`): without one, make looks for an implicit
			// rule to build the stamp, such as a `$(VENV)/%` pattern rule.
			at := m.lines[r].PrereqEnd
			m.edits = append(m.edits, Edit{Start: at, End: at, Text: " ;"})
		}
	}
}

func (m *makeRewrite) rewriteUnit(rule int, idx []int) {
	ru := m.buildUnit(idx)
	st := m.rules[rule]
	opts := shellOptions{Path: m.path, Prefix: "$(FLOX) ", Vars: m.vars, Ambient: m.ambient, KeepInstalls: true, mk: ru.mk,
		lineOf: func(off int) int { return lineAt(m.starts, ru.orig[min(max(off, 0), len(ru.orig)-1)]) }}
	u, err := newUnit(m.ctx, ru.text, opts)
	if err != nil {
		if m.unitMentionsVenv(ru) {
			// The rest of the Makefile is still migrated: this recipe keeps
			// its text, and the variables it uses stay defined.
			m.usesVenv = true
			m.followUp(m.lines[idx[0]].Start, "recipe not rewritten: "+recipeParseError(err, opts.lineOf),
				"Replace its venv commands with `$(FLOX) <command>` by hand; the rest of the Makefile was migrated.")
		}
		m.countCommands(st, idx, nil)
		return
	}
	u.run()
	r := u.result()
	m.followUps = append(m.followUps, r.FollowUps...)
	if r.Blocked {
		m.usesVenv, m.blocked = true, true
		return
	}
	if r.UsesVenv {
		m.usesVenv = true
	}
	if len(r.Edits) == 0 {
		m.countStmts(st, u.file.Stmts)
		return
	}
	if r.UsesVenv {
		st.changed = true
	}
	if r.Emptied {
		for _, li := range idx {
			m.deleted[li] = true
			m.edits = append(m.edits, Edit{Start: m.lines[li].Start, End: m.lines[li].End})
		}
		return
	}
	for _, e := range r.Edits {
		me := ru.mapEdit(e)
		if strings.Contains(me.Text, "$(FLOX)") {
			m.prefixed = true
		}
		m.edits = append(m.edits, me)
	}
	after, _ := applyEdits(ru.text, r.Edits)
	m.countCommands(st, idx, after)
}

// countCommands counts the recipe lines that do more than print.
func (m *makeRewrite) countCommands(st *ruleState, idx []int, text []byte) {
	if text == nil {
		text = m.buildUnit(idx).text
	}
	f, err := detect.ParseShell(bytes.NewReader(text), "", syntax.LangBash, false)
	if err != nil {
		st.commands++
		return
	}
	m.countStmts(st, f.Stmts)
}

// countStmts counts a recipe's statements as countCommands does.
func (m *makeRewrite) countStmts(st *ruleState, stmts []*syntax.Stmt) {
	h := m.helper()
	for _, s := range stmts {
		if !h.isNoise(s) {
			st.commands++
			return
		}
	}
}

func (m *makeRewrite) unitMentionsVenv(ru *recipeUnit) bool {
	for _, ref := range ru.mk {
		if m.vars[ref.name].kind != 0 {
			return true
		}
	}
	return mentionsVenv(ru.text)
}

// isStampLine reports `touch $@`, `touch $(VENV)/bin/activate` or
// `mkdir -p $(@D)` in a rule whose venv commands went away.
func (m *makeRewrite) isStampLine(rule, li int) bool {
	ru := m.buildUnit([]int{li})
	u, err := newUnit(m.ctx, ru.text, shellOptions{Vars: m.vars, mk: ru.mk})
	if err != nil || len(u.file.Stmts) != 1 {
		return false
	}
	call, ok := u.file.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) < 2 {
		return false
	}
	if name := call.Args[0].Lit(); name != "touch" && name != "mkdir" {
		return false
	}
	targets, _ := makefile.Words(m.lines[rule].Text[:m.lines[rule].Colon-m.lines[rule].Start])
	for _, w := range call.Args[1:] {
		ps, ok := u.flatten(w)
		if !ok {
			return false
		}
		text := piecesText(ps)
		if text == "-p" || text == "$(@)" || text == "$(@D)" {
			continue
		}
		if ref, ok := u.venvPath(ps); ok && !ref.outside {
			continue
		}
		if !contains(targets, text) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fileLike reports targets that name files rather than commands people
// type: they may go away when all they did was build the venv.
func (m *makeRewrite) fileLike(target string) bool {
	return !m.phony[target] && strings.ContainsAny(target, "./$")
}

var specialTargets = []string{".PHONY", ".PRECIOUS", ".SECONDARY", ".INTERMEDIATE",
	".NOTINTERMEDIATE", ".DELETE_ON_ERROR", ".SILENT", ".IGNORE"}

// rewriteRules removes rules that only built venv files, drops
// prerequisites naming them, and keeps emptied named targets that
// something runs as targets that build the Flox environment.
func (m *makeRewrite) rewriteRules() {
	removed := map[string]bool{}
	kept := map[string]bool{}
	for i, l := range m.lines {
		st := m.rules[i]
		if l.Kind != makefile.Rule || st == nil {
			continue
		}
		targets, offs := makefile.Words(l.Text[:l.Colon-l.Start])
		if len(targets) == 0 {
			continue
		}
		for k := range offs {
			offs[k] += l.Start
		}
		if st.changed && st.commands > 0 && !l.TargetVars && m.venvFileTargets(targets) {
			if dest, others, ok := m.installDestination(i, targets); ok && m.moveRecipe(i, dest) {
				names, _ := makefile.Words(m.lines[dest].Text[:m.lines[dest].Colon-m.lines[dest].Start])
				for _, o := range others {
					m.dependOn(o, targets, names[0])
				}
				for _, t := range targets {
					removed[t] = true
				}
				continue
			}
			m.followUp(l.Start, "rule "+strings.Join(targets, " ")+": its target is in the venv, which Flox does not create, so the commands it keeps run on every make",
				"Move them to the targets that need them and drop the rule, or give it a target of its own.")
		}
		if !st.changed || st.commands > 0 || l.TargetVars {
			for _, t := range targets {
				kept[t] = true
			}
			continue
		}
		var drop []int
		for k, t := range targets {
			if m.fileLike(t) {
				drop = append(drop, k)
				removed[t] = true
			} else {
				kept[t] = true
			}
		}
		switch {
		case len(drop) == len(targets):
			m.deleteRule(i)
		case len(drop) > 0:
			dropped := map[int]bool{}
			for _, k := range drop {
				dropped[k] = true
			}
			for _, k := range drop {
				m.edits = append(m.edits, wordDeletion(m.src, offs[k], len(targets[k]), l.Start, !keptAfter(dropped, k, len(targets))))
			}
		}
	}
	// Prerequisites naming what went away go too; a named target left
	// with nothing to do is kept while something runs it, as a target that
	// builds the Flox environment, and otherwise goes as well, which may
	// empty the targets that depended on it.
	for changed := true; changed; {
		changed = false
		for i, l := range m.lines {
			st := m.rules[i]
			if l.Kind != makefile.Rule || st == nil || m.deleted[i] {
				continue
			}
			targets, _ := makefile.Words(l.Text[:l.Colon-l.Start])
			if len(targets) == 0 {
				continue
			}
			remaining := m.dropPrereqs(i, removed, kept)
			if !st.changed || st.commands > 0 || remaining > 0 || l.TargetVars || m.fileLikeAll(targets) || slices.Contains(specialTargets, targets[0]) || st.thin {
				continue
			}
			if m.called(targets) {
				// Kept for its callers; the targets that depend on it need
				// nothing from it.
				m.addThinRecipe(i)
				for _, t := range targets {
					removed[t], m.thin[t] = true, true
				}
				changed = true
				continue
			}
			m.deleteRule(i)
			for _, t := range targets {
				removed[t] = true
			}
			changed = true
		}
	}
}

// dropPrereqs deletes the prerequisites of rule i that name removed
// targets or files in the venv, once, and returns how many stay. A special
// target (.PHONY) left with none goes.
func (m *makeRewrite) dropPrereqs(i int, removed, kept map[string]bool) int {
	l, st := m.lines[i], m.rules[i]
	h := m.helper()
	targets, _ := makefile.Words(l.Text[:l.Colon-l.Start])
	words, offs := makefile.Words(string(m.src[l.PrereqStart:l.PrereqEnd]))
	if st.dropped == nil {
		st.dropped = map[int]bool{}
	}
	var drop []int
	remaining := 0
	for k, w := range words {
		if w == "|" || st.dropped[k] {
			continue
		}
		ref, isVenv := h.venvPath(makePieces(w, 0))
		if m.thin[w] && slices.Contains(specialTargets, targets[0]) {
			remaining++ // a target kept for its callers stays .PHONY
			continue
		}
		if removed[w] || (isVenv && !ref.outside && m.fileLike(w) && !kept[w]) {
			drop = append(drop, k)
		} else {
			remaining++
		}
	}
	if len(drop) == 0 {
		return remaining
	}
	if len(targets) == 1 && slices.Contains(specialTargets, targets[0]) && remaining == 0 {
		m.deleted[i] = true
		m.edits = append(m.edits, Edit{Start: l.Start, End: l.End})
		return 0
	}
	for _, k := range drop {
		st.dropped[k] = true
	}
	// A trailing order-only bar goes with the last prerequisites.
	for k := len(words) - 1; k >= 0; k-- {
		if words[k] == "|" && !st.dropped[k] && (k == len(words)-1 || allDropped(st.dropped, k+1, len(words))) {
			st.dropped[k] = true
			drop = append(drop, k)
			break
		}
	}
	for _, k := range drop {
		m.edits = append(m.edits, wordDeletion(m.src, l.PrereqStart+offs[k], len(words[k]), l.Colon+1, !keptAfter(st.dropped, k, len(words))))
	}
	st.changed = true
	return remaining
}

// called reports targets something outside the rule runs: a caller the
// context names (a CI job, the docs, another Makefile), or a recipe of
// this Makefile (`$(MAKE) venv`). Without a call graph every target counts
// as called.
func (m *makeRewrite) called(targets []string) bool {
	if m.ctx == nil || m.ctx.Called == nil {
		return true
	}
	for _, t := range targets {
		if slices.Contains(m.ctx.Called[m.path], t) || m.madeByRecipe(t) {
			return true
		}
	}
	return false
}

// madeByRecipe reports a recipe line of this Makefile that makes target
// t itself: `$(MAKE) venv`, `make -f Makefile venv`.
func (m *makeRewrite) madeByRecipe(t string) bool {
	for i, l := range m.lines {
		if l.Kind != makefile.Recipe || m.deleted[i] {
			continue
		}
		words, _ := makefile.Words(l.Text)
		for k, w := range words {
			w = strings.TrimLeft(w, "@-+\t")
			if (w == "$(MAKE)" || w == "${MAKE}" || w == "make") && slices.Contains(words[k+1:], t) {
				return true
			}
		}
	}
	return false
}

func allDropped(dropped map[int]bool, from, to int) bool {
	for k := from; k < to; k++ {
		if !dropped[k] {
			return false
		}
	}
	return true
}

// specialRule reports rules of special targets only (.PHONY, .ONESHELL):
// they configure make rather than start the rules section.
func specialRule(l makefile.Line) bool {
	targets, _ := makefile.Words(l.Text[:l.Colon-l.Start])
	for _, t := range targets {
		if !strings.HasPrefix(t, ".") || strings.ToUpper(t) != t {
			return false
		}
	}
	return len(targets) > 0
}

func (m *makeRewrite) fileLikeAll(targets []string) bool {
	for _, t := range targets {
		if !m.fileLike(t) {
			return false
		}
	}
	return len(targets) > 0
}

// keptAfter reports whether a word after index k of n stays.
func keptAfter(dropped map[int]bool, k, n int) bool {
	for j := k + 1; j < n; j++ {
		if !dropped[j] {
			return true
		}
	}
	return false
}

// wordDeletion deletes a word of a list and the blanks before it (never
// before floor). When a kept word follows and nothing but blanks precedes,
// it takes the blanks after it instead, so "a: b c" loses "b " cleanly.
func wordDeletion(src []byte, start, n, floor int, last bool) Edit {
	s := start
	for s > floor && (src[s-1] == ' ' || src[s-1] == '\t') {
		s--
	}
	if !last && (s == floor || s == start) {
		e := start + n
		for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
			e++
		}
		return Edit{Start: start, End: e}
	}
	return Edit{Start: s, End: start + n}
}

// deleteRule removes a rule line, its recipe and the comment lines just
// above it.
func (m *makeRewrite) deleteRule(i int) {
	start := m.lines[i].Start
	for k := i - 1; k >= 0 && m.lines[k].Kind == makefile.Comment && !m.deleted[k]; k-- {
		start = m.lines[k].Start
	}
	end := m.lines[i].End
	for k := i + 1; k < len(m.lines) && (m.lines[k].Kind == makefile.Recipe && m.lines[k].Rule == i); k++ {
		end = m.lines[k].End
		m.deleted[k] = true
	}
	m.deleted[i] = true
	kept := m.edits[:0]
	for _, e := range m.edits {
		if outsideRange(e, start, end) {
			kept = append(kept, e)
		}
	}
	m.edits = append(kept, Edit{Start: start, End: end})
}

// outsideRange reports an edit that survives the deletion of [start, end):
// one that reaches outside it, or text inserted at its edges (a recipe
// moved to the rule just before or after it).
func outsideRange(e Edit, start, end int) bool {
	return e.Start < start || e.End > end || e.Text != "" && e.Start == e.End && (e.Start == start || e.Start == end)
}

// addThinRecipe gives a named target whose venv work went away, and that
// something still runs, a recipe that builds the Flox environment and runs
// its hook, which creates and syncs the venv; without Flox it does nothing.
// What was left of its recipe (echoes about the venv) goes.
func (m *makeRewrite) addThinRecipe(i int) {
	st := m.rules[i]
	st.thin, st.commands = true, 1
	at := m.lines[i].End
	if st.firstRec >= 0 {
		at = m.lines[st.firstRec].Start
		for k := st.firstRec; k < len(m.lines); k++ {
			l := m.lines[k]
			if l.Kind == makefile.Blank || l.Kind == makefile.Comment {
				continue // blank lines may part a recipe
			}
			if l.Kind != makefile.Recipe || l.Rule != i {
				break
			}
			if !m.deleted[k] {
				m.deleteLine(k)
			}
		}
	}
	lead := ""
	if at == len(m.src) && at > 0 && m.src[at-1] != '\n' {
		lead = m.nl
	}
	m.edits = append(m.edits, Edit{Start: at, End: at, Text: lead + "\t$(FLOX) true" + m.nl})
	m.prefixed = true
}

// rewriteVars points tool variables at plain commands, removes the PATH
// and VIRTUAL_ENV exports, and drops venv variables nothing uses any more.
func (m *makeRewrite) rewriteVars() {
	for i, kind := range m.varLines {
		l := m.lines[i]
		switch kind {
		case varDropped:
			m.deleteLine(i)
		case varTool:
			words, offs := m.valueWords(l)
			tool := m.vars["$("+l.Name+")"].tool
			if words[0] != tool {
				m.edits = append(m.edits, Edit{Start: offs[0], End: offs[0] + len(words[0]), Text: tool})
			}
		}
	}
	// Other variables whose every use went with removed commands go too
	// (SYSTEM_PYTHON = python3 fed only `$(SYSTEM_PYTHON) -m venv`); not in
	// Makefiles that share variables through include.
	usedBefore := map[string]bool{}
	for _, t := range makefile.Refs(string(m.src)) {
		usedBefore[t.Name] = true
	}
	candidates := map[int]bool{}
	for i := range m.varLines {
		candidates[i] = m.varLines[i] != varDropped
	}
	shared := m.ctx != nil && slices.Contains(m.ctx.SharedMakefiles, m.path) && m.group == nil
	for i, l := range m.lines {
		if l.Kind == makefile.Assign && !l.Nested && !shared && usedBefore["$("+l.Name+")"] && m.varLines[i] == 0 && plainAssignment(l.Text) {
			candidates[i] = true
		}
	}
	for range 4 {
		edits, err := normalizeEdits(m.edits)
		if err != nil {
			return
		}
		after, err := applyEdits(m.src, edits)
		if err != nil {
			return
		}
		used := map[string]bool{}
		for _, t := range makefile.Refs(string(after)) {
			used[t.Name] = true
		}
		changed := false
		for i, ok := range candidates {
			if !ok || m.deleted[i] || used["$("+m.lines[i].Name+")"] || m.readByGroup(m.lines[i].Name) {
				continue
			}
			m.deleteLine(i)
			m.deleteOwnComment(i)
			changed = true
		}
		if !changed {
			return
		}
	}
}

// deleteOwnComment deletes the comment lines right above line i when they
// are about it alone: a blank line (or the top) comes before them and one
// follows the line.
func (m *makeRewrite) deleteOwnComment(i int) {
	k := i
	for k > 0 && m.lines[k-1].Kind == makefile.Comment && !m.deleted[k-1] {
		k--
	}
	if k == i || k > 0 && m.lines[k-1].Kind != makefile.Blank || i+1 < len(m.lines) && m.lines[i+1].Kind != makefile.Blank {
		return
	}
	for ; k < i; k++ {
		m.deleteLine(k)
	}
}

func (m *makeRewrite) deleteLine(i int) {
	if m.deleted[i] {
		return
	}
	m.deleted[i] = true
	l := m.lines[i]
	kept := m.edits[:0]
	for _, e := range m.edits {
		if outsideRange(e, l.Start, l.End) {
			kept = append(kept, e)
		}
	}
	m.edits = append(kept, Edit{Start: l.Start, End: l.End})
}

// insertFloxVar defines $(FLOX) after the variable block that precedes the
// first rule, when a recipe uses it and the Makefile does not define it.
func (m *makeRewrite) insertFloxVar() {
	if !m.definesFlox() {
		return
	}
	at, firstRule := -1, -1
	for i, l := range m.lines {
		if l.Kind == makefile.Assign && l.Name == "FLOX" {
			return
		}
		if l.Kind == makefile.Rule && firstRule < 0 && !specialRule(l) && !m.deleted[i] {
			firstRule = i
		}
		if l.Kind == makefile.Assign && firstRule < 0 && !l.Nested && !m.deleted[i] {
			at = i
		}
	}
	def := floxVarComment + m.floxVarDef() + "\n"
	var off int
	var text string
	switch {
	case at >= 0:
		off = m.lines[at].End
		text = "\n" + def
		next := at + 1
		for next < len(m.lines) && m.deleted[next] {
			next++ // the variables that went away
		}
		if next < len(m.lines) && m.lines[next].Kind != makefile.Blank {
			text += "\n"
		}
		if off == len(m.src) && off > 0 && m.src[off-1] != '\n' {
			text = "\n" + text
		}
	case firstRule >= 0:
		k := firstRule
		for k > 0 && m.lines[k-1].Kind == makefile.Comment {
			k--
		}
		if k == 0 {
			// A header comment: keep it first when a blank line ends it.
			for j := 0; j < firstRule; j++ {
				if m.lines[j].Kind == makefile.Blank {
					k = j + 1
					break
				}
			}
		}
		off = m.lines[k].Start
		text = def + "\n"
	default:
		return
	}
	m.edits = append(m.edits, Edit{Start: off, End: off, Text: withNewline(text, m.nl)})
}

// addFloxTarget is the --keep-venv rewrite: the venv targets stay and a
// `flox` target enters the Flox environment beside them.
func (m *makeRewrite) addFloxTarget() []byte {
	for _, l := range m.lines {
		if l.Kind != makefile.Rule {
			continue
		}
		targets, _ := makefile.Words(l.Text[:l.Colon-l.Start])
		if contains(targets, "flox") {
			return m.src
		}
	}
	text := "\n# Flox: `make flox` enters the project's Flox environment, which provides Python and the dependencies without this venv.\n" +
		".PHONY: flox\nflox:\n\tflox activate\n"
	if len(m.src) > 0 && m.src[len(m.src)-1] != '\n' {
		text = "\n" + text
	}
	out := append(bytes.Clone(m.src), withNewline(text, m.nl)...)
	return out
}

// recipeParseError describes a recipe the shell parser rejects, at the
// Makefile's own line: the parser counts lines within the joined recipe,
// which names no line a reader can find. A recipe line that ends in
// `&& \` before a comment line fails under sh as well.
func recipeParseError(err error, lineOf func(int) int) string {
	var pe syntax.ParseError
	if errors.As(err, &pe) && lineOf != nil {
		return fmt.Sprintf("its shell does not parse (line %d: %s)", lineOf(int(pe.Pos.Offset())), pe.Text)
	}
	return "the shell parser failed: " + err.Error()
}

// plainAssignment reports `NAME = value` without export or override, which
// other Makefiles and sub-makes may read.
func plainAssignment(text string) bool {
	t := strings.TrimSpace(text)
	return !strings.HasPrefix(t, "export") && !strings.HasPrefix(t, "override") && !strings.HasPrefix(t, "define")
}
