package rewrite

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
)

// A script read with `source` runs in the caller's shell: the guard that
// re-runs a script under `flox activate --` would replace that shell (its
// $0 is the shell, not the script). Such a script activates the
// environment in place instead, where it activated the venv.

// inPlaceActivation is what replaces a sourced script's venv activation.
// bash and zsh name the sourced file in ${BASH_SOURCE[0]} and $0; POSIX sh
// has no way to, so there the environment is the current folder's. Where
// Flox is not installed nothing is activated and the caller's shell keeps
// the Python it had, as a rewritten script's guard does.
func inPlaceActivation(p string, lang syntax.LangVariant) string {
	act := `eval "$(flox activate -d "$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")` + scriptParents(p) + `" && pwd -P)")"`
	if lang == syntax.LangPOSIX {
		act = `eval "$(flox activate)"`
	}
	return "if " + floxOnPath + "; then " + act + "; fi"
}

// isSourcedScript reports a script that is read with `source`: another
// project file does so (ctx.SourcedScripts), or the script says so itself.
func isSourcedScript(ctx *Context, p string, src []byte, lang syntax.LangVariant) bool {
	if ctx != nil && slices.Contains(ctx.SourcedScripts, p) {
		return true
	}
	return sourcedByItself(p, src, lang)
}

// sourcedByItself reports a script written to be sourced: a comment says
// so ("source activate.sh", "must be sourced"), it compares
// ${BASH_SOURCE[0]} with $0, or it returns at its top level.
func sourcedByItself(p string, src []byte, lang syntax.LangVariant) bool {
	names := []string{strings.ToLower(path.Base(p)), strings.ToLower(p)}
	for _, line := range strings.Split(strings.ToLower(string(src)), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "#!") {
			if strings.Contains(t, "be sourced") || strings.Contains(t, "source this") {
				return true
			}
			for _, n := range names {
				if strings.Contains(t, "source "+n) || strings.Contains(t, "source ./"+n) || strings.Contains(t, ". ./"+n) {
					return true
				}
			}
			continue
		}
		if strings.Contains(t, "bash_source") && (strings.Contains(t, "$0") || strings.Contains(t, "${0}")) &&
			(strings.Contains(t, "==") || strings.Contains(t, "!=") || strings.Contains(t, " = ")) {
			return true
		}
	}
	if !bytes.Contains(src, []byte("return")) {
		return false
	}
	f, err := detect.ParseShell(bytes.NewReader(parseText(src)), "", langOr(lang), false)
	if err != nil {
		return false
	}
	returns := false
	for _, s := range f.Stmts {
		syntax.Walk(s, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.FuncDecl, *syntax.Subshell, *syntax.CmdSubst:
				return false // a function's or subshell's own return
			case *syntax.CallExpr:
				returns = returns || len(n.Args) > 0 && n.Args[0].Lit() == "return"
			}
			return !returns
		})
	}
	return returns
}
