package rewrite

import (
	"bytes"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// useFloxBlock loads the Flox environment from direnv. direnv >= 2.36
// ships `use flox`; older versions get the function from flox-direnv,
// with the source_url line exactly as its README documents it.
const useFloxBlock = `# Load the project's Flox environment (direnv >= 2.36 has "use flox" built in).
if ! has use_flox; then
  source_url "https://raw.githubusercontent.com/flox/flox-direnv/v1.1.0/direnv.rc" 'sha256-c2YCane8WGmYeCDc9wIZyVL8AgbdfhPaEoM+5aFuysw='
fi
use flox
`

// venvLayouts are the direnv layouts that build a venv.
var venvLayouts = []string{"python", "python3", "python2", "uv", "poetry",
	"pipenv", "pdm", "pyenv", "hatch"}

// Envrc rewrites a direnv .envrc: the venv layouts (`layout python3`,
// `layout uv`, `layout poetry`), venv activation, PATH_add of the venv's
// bin and venv creation go away, and `use flox` loads the Flox environment
// in their place. Other lines (dotenv, exports, watch_file) stay.
func Envrc(ctx *Context, path string, src []byte) (Result, error) {
	res := Result{New: src}
	text := parseText(src)
	u, err := newUnit(ctx, text, shellOptions{Path: path, Line: 1})
	if err != nil {
		if mentionsVenv(src) || bytes.Contains(src, []byte("layout ")) {
			res.FollowUps = append(res.FollowUps, FollowUp{Evidence: parseErrorEvidence(path, err),
				Message: "not rewritten: the shell parser failed: " + err.Error(), Suggestion: "Replace the venv lines with `use flox` by hand."})
		}
		return res, nil
	}
	u.learnVars()
	hasUseFlox := false
	removedLayouts := map[string]bool{}
	flags := make([]verdict, len(u.file.Stmts))
	first := -1
	for i, s := range u.file.Stmts {
		if isUseFlox(s) {
			hasUseFlox = true
		}
		if layout, ok := u.envrcVenvStmt(s); ok {
			flags[i] = remove
			if layout != "" {
				removedLayouts[layout] = true
			}
		} else if _, isFunc := s.Cmd.(*syntax.FuncDecl); !isFunc {
			flags[i] = u.visitStmt(s)
		}
		if flags[i] == remove && first < 0 {
			first = i
		}
	}
	// A custom layout function (layout_uv) goes with its last call.
	for i, s := range u.file.Stmts {
		if fd, ok := s.Cmd.(*syntax.FuncDecl); ok && fd.Name != nil {
			if name, ok := strings.CutPrefix(fd.Name.Value, "layout_"); ok && removedLayouts[name] {
				flags[i] = remove
			}
		}
	}
	if u.blocked {
		res.FollowUps = u.followUps
		return res, nil
	}
	if first < 0 {
		return res, nil
	}
	if plainAssignments(src) {
		// A Makefile may `include` an .envrc of plain assignments, which
		// `use flox` would break.
		res.FollowUps = append(res.FollowUps, FollowUp{Evidence: u.evidence(int(u.file.Stmts[first].Pos().Offset())),
			Message:    "sets venv variables in an .envrc made of plain assignments (a Makefile may include it)",
			Suggestion: "Add `use flox` by hand if nothing includes this file."})
		return res, nil
	}
	nl := newline(src)
	if ctx.KeepVenv {
		if bytes.Contains(src, []byte(floxHintPrefix)) {
			return res, nil
		}
		at := lineEnd(text, int(u.file.Stmts[first].End().Offset()))
		lead := ""
		if at == len(src) && at > 0 && src[at-1] != '\n' {
			lead = nl
		}
		hint := floxHintPrefix + "replace the venv lines with \"use flox\" to load the project's Flox environment instead.\n"
		out, err := applyEdits(src, []Edit{{Start: at, End: at, Text: lead + withNewline(hint, nl)}})
		if err != nil {
			return res, err
		}
		res.New = out
		return res, nil
	}
	u.removeFromList(u.file.Stmts, flags)
	if !hasUseFlox {
		// use flox takes the place of the first venv line.
		at, _ := u.stmtRange(u.file.Stmts[first])
		u.edits = append(u.edits, Edit{Start: at, End: at, Text: withNewline(useFloxBlock, nl)})
	}
	edits, err := normalizeEdits(u.edits)
	if err != nil {
		return res, err
	}
	out, err := applyEdits(src, tidyBlankLines(text, edits))
	if err != nil {
		return res, err
	}
	res.New, res.FollowUps = out, u.followUps
	return res, nil
}

// envrcVenvStmt recognises the direnv ways of using a venv: layouts,
// PATH_add of its bin folder. It returns the layout name when it is one.
func (u *unit) envrcVenvStmt(s *syntax.Stmt) (string, bool) {
	call, ok := s.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return "", false
	}
	name := call.Args[0].Lit()
	switch {
	case name == "layout" && len(call.Args) >= 2 && slices.Contains(venvLayouts, call.Args[1].Lit()):
		return call.Args[1].Lit(), true
	case strings.HasPrefix(name, "layout_") && slices.Contains(venvLayouts, strings.TrimPrefix(name, "layout_")):
		return strings.TrimPrefix(name, "layout_"), true
	case name == "PATH_add" && len(call.Args) == 2:
		ps, ok := u.flatten(call.Args[1])
		if !ok {
			return "", false
		}
		if len(ps) >= 1 && (ps[0].exp == "$VIRTUAL_ENV") && strings.TrimSuffix(piecesText(ps), "/") == "$VIRTUAL_ENV/bin" {
			return "", true
		}
		ref, ok := u.venvPath(ps)
		return "", ok && !ref.outside && ref.isBinDir()
	}
	return "", false
}

func isUseFlox(s *syntax.Stmt) bool {
	call, ok := s.Cmd.(*syntax.CallExpr)
	return ok && len(call.Args) >= 2 && call.Args[0].Lit() == "use" && call.Args[1].Lit() == "flox"
}

// plainAssignments reports an .envrc that is only comments and
// `[export] NAME=value` lines: valid make syntax as well as shell.
func plainAssignments(src []byte) bool {
	for _, line := range bytes.Split(bytes.TrimPrefix(src, []byte("\ufeff")), []byte("\n")) {
		t := string(bytes.TrimSpace(line))
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		t = strings.TrimPrefix(t, "export ")
		name, _, ok := strings.Cut(t, "=")
		if !ok || name == "" || strings.ContainsAny(name, " \t$(){}") {
			return false
		}
	}
	return true
}
