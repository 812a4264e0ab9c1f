package rewrite

// Running commands in the Flox environment from CI files and READMEs:
// the `flox activate` prefixes, wrapping a command line so it still means
// the same, and the follow-ups and edit ordering the docs and CI
// rewriters share.

import (
	"sort"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// dcFollowUp builds a follow-up at path:line.
func dcFollowUp(path string, line int, msg, suggestion string) FollowUp {
	return FollowUp{Evidence: detect.Evidence{Path: path, Line: line}, Message: msg, Suggestion: suggestion}
}

// dcActivateCmd is the `flox activate` prefix for a CI file at the
// repository root: `-d DIR` when the project is in a subfolder.
func dcActivateCmd(ctx *Context) string {
	if ctx.ProjectDir == "" || ctx.ProjectDir == "." {
		return "flox activate"
	}
	return "flox activate -d " + dcShellWord(ctx.ProjectDir)
}

// dcShellWord quotes s for a POSIX shell when it needs quoting.
func dcShellWord(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/' || r == '.' || r == '_' || r == '-' || r == '+' || r == ':' || r == '@' || r == '=' || r == ',') {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += `'\''`
		} else {
			out += string(r)
		}
	}
	return out + "'"
}

// dcWrapCommand runs a shell command line inside the Flox environment,
// act being the `flox activate ...` prefix: `act -- cmd args` when exec
// needs no shell (no expansions, globs, redirects or builtins), else
// `act -c 'cmd'`.
func dcWrapCommand(act, cmd string) string {
	if dcExecable(cmd) {
		return act + " -- " + cmd
	}
	return act + " -c " + dcShellWord(cmd)
}

// dcExecable reports a single simple command whose words need no shell.
func dcExecable(cmd string) bool {
	f, err := detect.ParseShell(strings.NewReader(cmd), "", syntax.LangBash, false)
	if err != nil || len(f.Stmts) != 1 || strings.Contains(cmd, "\n") {
		return false
	}
	st := f.Stmts[0]
	c, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || len(st.Redirs) > 0 || len(c.Assigns) > 0 || len(c.Args) == 0 {
		return false
	}
	if venvcmd.NeedsShell(c.Args[0].Lit()) {
		return false
	}
	for _, w := range c.Args {
		for _, p := range w.Parts {
			switch p := p.(type) {
			case *syntax.Lit:
				if strings.ContainsAny(p.Value, "*?[]{}~") {
					return false
				}
			case *syntax.SglQuoted:
				if p.Dollar {
					return false
				}
			case *syntax.DblQuoted:
				for _, q := range p.Parts {
					if _, ok := q.(*syntax.Lit); !ok {
						return false
					}
				}
			default:
				return false
			}
		}
	}
	return true
}

// dcIsFloxCommand reports a command line that already runs through Flox.
func dcIsFloxCommand(cmd string) bool {
	return strings.HasPrefix(strings.TrimSpace(cmd), "flox ")
}

// dcShellStateOnly reports a command line that only changes the shell's
// state (`cd doc`, `export X=1`).
func dcShellStateOnly(cmd string) bool {
	f, err := detect.ParseShell(strings.NewReader(cmd), "", syntax.LangBash, false)
	if err != nil || len(f.Stmts) == 0 {
		return false
	}
	for _, st := range f.Stmts {
		switch c := st.Cmd.(type) {
		case *syntax.DeclClause:
		case *syntax.CallExpr:
			if len(c.Args) > 0 && !venvcmd.ChangesShellState(c.Args[0].Lit()) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// dcParseOne reports whether line parses as exactly one statement.
func dcParseOne(line string) (bool, error) {
	f, err := detect.ParseShell(strings.NewReader(line), "", syntax.LangBash, false)
	if err != nil {
		return false, err
	}
	return len(f.Stmts) == 1, nil
}

// dcOrderEdits puts insertions before the edits that start at the same
// offset, which applyEdits (a stable sort by start) then keeps.
func dcOrderEdits(edits []Edit) []Edit {
	out := append([]Edit(nil), edits...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End == out[i].Start && out[j].End != out[j].Start
	})
	return out
}

// dcWrapLines runs each command line of a script through act (a
// `flox activate ...` prefix), except system package installs. Each
// top-level command must sit on its own line. Lines that only change the shell's state (`cd`, `export`) stay as
// they are; that is right only when act names the environment by absolute
// path, so with a relative act they make the script unwrappable.
func dcWrapLines(act, script string, absolute bool) (string, bool) {
	var out []string
	for _, l := range strings.Split(script, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "" || strings.HasPrefix(t, "#") || dcIsFloxCommand(t):
			out = append(out, l)
		case dcSystemCommand(t).Any:
			out = append(out, l) // the machine's package manager: never in the environment
		case dcShellStateOnly(t):
			if !absolute && strings.Contains(strings.TrimSpace(script), "\n") {
				return "", false
			}
			out = append(out, l)
		case strings.HasSuffix(t, `\`) || !dcOneCommand(t):
			return "", false
		default:
			out = append(out, l[:len(l)-len(strings.TrimLeft(l, " \t"))]+dcWrapCommand(act, t))
		}
	}
	return strings.Join(out, "\n"), true
}

// dcOneCommand reports a line that is one complete statement.
func dcOneCommand(line string) bool {
	p, err := dcParseOne(line)
	return err == nil && p
}
