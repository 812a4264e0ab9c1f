package rewrite

import (
	"bytes"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
)

// shellOptions says how rewriteShellSnippet treats one piece of shell: a
// script, a Makefile recipe, a README code block or a CI `run:` step.
type shellOptions struct {
	// Path and Line locate the snippet for follow-ups: Line is the file line
	// of the snippet's first line (0 or 1 for a whole file).
	Path string
	Line int
	// Lang is the shell dialect; the zero value is bash.
	Lang syntax.LangVariant
	// Activate, when set, replaces the first venv activation instead of
	// deleting it (a README's `source .venv/bin/activate` becomes
	// `flox activate`).
	Activate string
	// Sourced says the snippet is a script read with `source`; Activate
	// then activates the environment in place, and a "must be sourced"
	// check is no reason to leave the script alone.
	Sourced bool
	// Deactivate, when set, replaces `deactivate` instead of deleting it
	// (`exit` in a README).
	Deactivate string
	// Prefix goes before every remaining command that ran from the venv
	// ("flox activate -- " in CI, "$(FLOX) " in a Makefile). Empty leaves
	// them bare: a script re-enters the environment as a whole instead.
	Prefix string
	// Hint replaces "source .venv/bin/activate" inside echoed text;
	// "flox activate" when empty.
	Hint string
	// Ambient says the venv is already on PATH for this snippet (a Makefile
	// that exports PATH := $(VENV)/bin:$(PATH)), so bare Python tools need
	// Prefix too.
	Ambient bool
	// KeepInstalls keeps the installs the Flox hook also does: the snippet
	// is an entry point (a script, a Makefile target) that people and CI
	// jobs run to install, with Flox or without it.
	KeepInstalls bool
	// Vars are variables known from outside the snippet to point into the
	// venv, keyed by their expansion ("$(VENV)", "$VENV_DIR").
	Vars map[string]venvVar
	// KeepOutsideFlox, for a script that re-runs itself in Flox, lists the
	// venv folders callers outside Flox use after it: the venv setup stays
	// for runs without Flox (see guardRemoved).
	KeepOutsideFlox []string

	mk     map[int]mkRef     // make placeholders in the parsed text
	lineOf func(off int) int // file line of a parsed-text offset
}

// shellResult is the outcome of rewriteShellSnippet.
type shellResult struct {
	// Text is the rewritten snippet, equal to the input when nothing applies.
	Text string
	// Edits are the changes over the input snippet's bytes, sorted.
	Edits     []Edit
	FollowUps []FollowUp
	// UsesVenv is set when the snippet created, activated, installed into or
	// ran something from the project's venv.
	UsesVenv bool
	// Emptied is set when every statement of the snippet went away.
	Emptied bool
	// Blocked is set when a venv use was left alone on purpose (see FollowUps);
	// Text is then unchanged.
	Blocked bool
	// FloxAware is set when the snippet already runs through Flox: it calls
	// flox or reads $FLOX_ENV or $FLOX_ENV_PROJECT.
	FloxAware bool
	// OutsideFlox is the activation of the venv for runs without Flox
	// (opts.KeepOutsideFlox) that goes right after the re-run guard.
	OutsideFlox string
}

// rewriteShellSnippet removes what the Flox hook now does (venv creation,
// activation, installs of synced dependency files), turns paths into the
// venv into plain commands, rewrites "source .venv/bin/activate" hints in
// echoed text and, with opts.Prefix, prefixes commands that need the
// environment. src keeps its bytes outside the edits; CRLF is tolerated.
// A parse error is returned as is and nothing is changed.
func rewriteShellSnippet(ctx *Context, src string, opts shellOptions) (shellResult, error) {
	text := parseText([]byte(src))
	u, err := newUnit(ctx, text, opts)
	if err != nil {
		return shellResult{Text: src}, err
	}
	u.raw = []byte(src)
	u.run()
	res := u.result()
	if res.Blocked || len(res.Edits) == 0 {
		res.Text = src
		res.Edits = nil
		return res, nil
	}
	out, err := applyEdits([]byte(src), res.Edits)
	if err != nil {
		return shellResult{Text: src}, err
	}
	res.Text = string(out)
	return res, nil
}

// parseText returns src with what the shell parser would misread blanked
// out at the same offsets: a UTF-8 BOM and the CR of CRLF line ends.
func parseText(src []byte) []byte {
	out := bytes.Clone(src)
	if bytes.HasPrefix(out, []byte("\ufeff")) {
		copy(out, "   ")
	}
	for i := 1; i < len(out); i++ {
		if out[i] == '\n' && out[i-1] == '\r' {
			out[i-1] = ' '
		}
	}
	return out
}

// unit is one parsed piece of shell being rewritten.
type unit struct {
	ctx           *Context
	opts          shellOptions
	src           []byte
	raw           []byte // src as given, CRs and BOM in place: for text the rewrite keeps
	file          *syntax.File
	mk            map[int]mkRef
	vars          map[string]venvVar
	emptied       map[string]bool
	funcs         map[string]bool
	edits         []Edit
	followUps     []FollowUp
	pending       []FollowUp // blockers that matter only if the unit uses a venv
	blocked       bool
	usesVenv      bool
	ambient       bool
	activated     bool // a venv activation ran before the current statement
	installing    bool // the call being rewritten is a kept install
	varDefs       []varDef
	header        int // end of the leading comment block
	floxAware     bool
	venvCalls     map[int]callKind // offsets of the venv creations and activations
	activatePaths map[int]string   // the activate script of the venv a creation makes, by its offset
	guards        [][2]int         // ranges put behind noFloxTest (opts.KeepOutsideFlox)
	outsideFlox   string           // the activation for runs without Flox, after the re-run guard

	// unwrapped are the ifs on a venv test replaced by the assignments of
	// the branch that runs (`PREFIX=""`), with the variables they assign:
	// they go like any assignment once nothing reads them.
	unwrapped map[*syntax.Stmt][]string
}

// varDef is an assignment of a variable that pointed into the venv; it
// goes away once nothing uses the variable.
type varDef struct {
	name string
	stmt *syntax.Stmt
}

func newUnit(ctx *Context, src []byte, opts shellOptions) (*unit, error) {
	lang := opts.Lang
	if lang == 0 {
		lang = syntax.LangBash
	}
	f, err := detect.ParseShell(bytes.NewReader(src), opts.Path, lang, true)
	if err != nil {
		return nil, err
	}
	u := &unit{ctx: ctx, opts: opts, src: src, raw: src, file: f, mk: opts.mk, vars: map[string]venvVar{},
		emptied: map[string]bool{}, funcs: map[string]bool{}, ambient: opts.Ambient, venvCalls: map[int]callKind{}, activatePaths: map[int]string{}}
	for k, v := range opts.Vars {
		u.vars[k] = v
	}
	u.header = headerEnd(src)
	return u, nil
}

// headerEnd returns the offset after the shebang and the comment lines
// that directly follow it at the top of the text.
func headerEnd(src []byte) int {
	off := 0
	for off < len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		line := src[off:]
		next := len(src)
		if end >= 0 {
			line = src[off : off+end]
			next = off + end + 1
		}
		if !bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte("#")) {
			break
		}
		off = next
	}
	return off
}

func (u *unit) run() {
	u.learnVars()
	u.scanContext()
	syntax.Walk(u.file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			if n.Name != nil {
				u.funcs[n.Name.Value] = true
			}
		case *syntax.ParamExp:
			if n.Param != nil && (n.Param.Value == "FLOX_ENV" || n.Param.Value == "FLOX_ENV_PROJECT") {
				u.floxAware = true
			}
		case *syntax.CallExpr:
			if len(n.Args) > 0 && n.Args[0].Lit() == "flox" {
				u.floxAware = true
			}
		}
		return true
	})
	// Functions whose whole body is venv setup go away with their calls:
	// find them first, on a dry run.
	for changed := true; changed; {
		changed = false
		syntax.Walk(u.file, func(n syntax.Node) bool {
			fd, ok := n.(*syntax.FuncDecl)
			if !ok || fd.Name == nil || u.emptied[fd.Name.Value] {
				return true
			}
			mark, fus, blocked, opts := len(u.edits), len(u.followUps), u.blocked, u.opts
			if u.visitStmt(fd.Body) == remove {
				u.emptied[fd.Name.Value] = true
				changed = true
			}
			u.edits, u.followUps, u.blocked, u.opts = u.edits[:mark], u.followUps[:fus], blocked, opts
			return true
		})
	}
	u.pending = u.pending[:0]
	u.scanContext()
	u.ambient, u.activated, u.usesVenv, u.varDefs, u.unwrapped = u.opts.Ambient, false, false, nil, nil
	flags := u.visitList(u.file.Stmts)
	if allRemoved(flags) && len(flags) > 0 && len(u.opts.KeepOutsideFlox) == 0 {
		for _, s := range u.file.Stmts {
			u.addRemoval(u.stmtRange(s))
		}
	} else {
		u.removeFromList(u.file.Stmts, flags)
	}
	if u.usesVenv && len(u.pending) > 0 {
		u.blocked = true
		u.followUps = append(u.followUps, u.pending...)
	}
	if !u.blocked {
		if len(u.opts.KeepOutsideFlox) > 0 {
			u.outsideFlox = u.finishGuards()
		}
		u.dropUnusedVars()
		u.dropOrphanedReads()
	}
}

func (u *unit) result() shellResult {
	res := shellResult{FollowUps: u.followUps, UsesVenv: u.usesVenv, Blocked: u.blocked, FloxAware: u.floxAware, OutsideFlox: u.outsideFlox}
	if u.blocked {
		return res
	}
	edits, err := normalizeEdits(u.edits)
	if err != nil {
		res.Blocked = true
		res.FollowUps = append(res.FollowUps, FollowUp{Evidence: u.evidence(0), Message: "not rewritten: " + err.Error()})
		return res
	}
	res.Edits = tidyBlankLines(u.src, edits)
	after, err := applyEdits(u.src, res.Edits)
	if err == nil {
		res.Emptied = len(bytes.TrimSpace(stripComments(after))) == 0 && len(u.file.Stmts) > 0
	}
	return res
}

func (u *unit) evidence(off int) detect.Evidence {
	line := 1
	if u.opts.lineOf != nil {
		line = u.opts.lineOf(off)
	} else {
		line = bytes.Count(u.src[:min(off, len(u.src))], []byte("\n")) + max(u.opts.Line, 1)
	}
	return detect.Evidence{Path: u.opts.Path, Line: line}
}

func (u *unit) followUp(off int, what, suggestion string) {
	u.followUps = append(u.followUps, FollowUp{Evidence: u.evidence(off), Message: what, Suggestion: suggestion})
}

// noteOnce is followUp for checks that may run more than once on a
// statement (classification is repeated while functions are resolved).
func (u *unit) noteOnce(off int, what, suggestion string) {
	f := FollowUp{Evidence: u.evidence(off), Message: what, Suggestion: suggestion}
	for _, g := range u.followUps {
		if g == f {
			return
		}
	}
	u.followUps = append(u.followUps, f)
}

// learnVars finds variables assigned a path into the venv.
func (u *unit) learnVars() {
	assigned := map[string]int{}
	syntax.Walk(u.file, func(n syntax.Node) bool {
		if a, ok := n.(*syntax.Assign); ok && a.Name != nil {
			assigned[a.Name.Value]++
		}
		return true
	})
	for range 2 {
		syntax.Walk(u.file, func(n syntax.Node) bool {
			a, ok := n.(*syntax.Assign)
			if !ok || a.Name == nil || a.Value == nil || a.Name.Value == "PATH" {
				return true
			}
			ps, ok := u.flatten(a.Value)
			if !ok {
				return true
			}
			if def := defaultWord(a.Value, a.Name.Value); def != nil {
				if dps, ok := u.flatten(def); ok {
					ps = dps
				}
			}
			key := "$" + a.Name.Value
			if len(ps) == 1 && ps[0].exp == "" && aliasedProgram(ps[0].lit) {
				// PIP=pip in one branch and PIP=venv/bin/pip in another:
				// the venv's pip is what the variable is about.
				if k := u.vars[key].kind; k == 0 || k == varAlias {
					u.vars[key] = venvVar{kind: varAlias, tool: ps[0].lit}
				}
				return true
			}
			ref, ok := u.venvPath(ps)
			if !ok || ref.outside {
				if len(ps) == 1 && ps[0].exp == "" && assigned[a.Name.Value] == 1 && u.vars[key].kind == 0 {
					u.vars[key] = venvVar{kind: varText, text: ps[0].lit}
				}
				return true
			}
			switch {
			case ref.isDir():
				u.vars[key] = venvVar{kind: varVenvDir}
			case ref.isBinDir():
				u.vars[key] = venvVar{kind: varVenvBin}
				if strings.HasSuffix(piecesText(ps), "/") {
					u.vars[key] = venvVar{kind: varVenvBin, text: "/"} // PREFIX=venv/bin/: ${PREFIX}pytest
				}
			case ref.tool() != "":
				u.vars[key] = venvVar{kind: varTool, tool: ref.tool()}
			}
			return true
		})
	}
}

// defaultWord returns .venv in VENV="${VENV:-.venv}".
func defaultWord(w *syntax.Word, name string) *syntax.Word {
	parts := w.Parts
	if len(parts) == 1 {
		if dq, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = dq.Parts
		}
	}
	if len(parts) != 1 {
		return nil
	}
	pe, ok := parts[0].(*syntax.ParamExp)
	if !ok || pe.Param == nil || pe.Param.Value != name || pe.Exp == nil || pe.Exp.Word == nil {
		return nil
	}
	return pe.Exp.Word
}

var ciVars = []string{"CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "JENKINS_HOME",
	"BUILDKITE", "CIRCLECI", "TRAVIS", "TF_BUILD", "BITBUCKET_BUILD_NUMBER", "TEAMCITY_VERSION"}

// scanContext records what makes a venv-using script unsafe to rewrite:
// scripts meant to be sourced. (Branches on CI variables are rewritten like
// any code: see collapseCISwitch.)
func (u *unit) scanContext() {
	seen := map[string]bool{}
	syntax.Walk(u.file, func(n syntax.Node) bool {
		pe, ok := n.(*syntax.ParamExp)
		if !ok || pe.Param == nil {
			return true
		}
		name := pe.Param.Value
		off := int(pe.Pos().Offset())
		switch {
		case name == "BASH_SOURCE" && !seen[name] && !u.opts.Sourced && u.comparesWithZero(off):
			seen[name] = true
			u.pending = append(u.pending, FollowUp{Evidence: u.evidence(off),
				Message:    "is meant to be sourced into the current shell to activate its venv",
				Suggestion: "Replace `source` of this script with `flox activate` (or `use flox` in .envrc)."})
		}
		return true
	})
}

// comparesWithZero reports BASH_SOURCE compared with $0 on the same line,
// the usual "must be sourced" check.
func (u *unit) comparesWithZero(off int) bool {
	s, e := lineStart(u.src, off), lineEnd(u.src, off)
	return bytes.Contains(u.src[s:e], []byte("$0")) || bytes.Contains(u.src[s:e], []byte("${0}")) || bytes.Contains(u.src[s:e], []byte("return"))
}
