package rewrite

import (
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"mvdan.cc/sh/v3/syntax"
)

// Instructions for coding agents (AGENTS.md, CLAUDE.md,
// .github/copilot-instructions.md, skills). An agent runs each command in
// a fresh, non-interactive shell: `source .venv/bin/activate` there lasted
// for the one command line, and an interactive `flox activate` would wait
// for input. So the venv setup goes, and each command that needs the
// project's tools runs as `flox activate -- CMD`.

// agentDone stands in for a block of agent instructions whose every step
// the environment now does.
const agentDone = "Run the project's commands as `flox activate -- CMD`: it builds the environment first."

// agentNoEnv are commands that do not need the project's environment.
var agentNoEnv = []string{
	"git", "gh", "cd", "pushd", "popd", "export", "unset", "echo", "printf", "ls", "cat", "less", "head",
	"tail", "grep", "rg", "find", "mkdir", "rm", "cp", "mv", "touch", "curl", "wget", "docker", "podman",
	"flox", "open", "xdg-open", "which", "true", "false", "sleep", "chmod",
}

// agentBlock rewrites a shell block of agent instructions.
func (r *docRewriter) agentBlock(b docBlock, m *dcMapped, masked string, unmask func(string) string) {
	plan := dcPlanSnippet(r.ctx, masked, "")
	if plan.ParseErr != nil || plan.Blocked {
		if plan.ParseErr != nil && r.mentionsVenv(b) {
			r.blockFollowUp(b, "code block mentions a venv but is not shell that venv2flox can read",
				"run its commands as `flox activate -- CMD`")
		}
		return
	}
	for _, is := range plan.Refused {
		r.followUps = append(r.followUps, dcFollowUp(r.path, r.fileLine(m, is.Line),
			"left a venv command in place: "+is.Msg, "run the commands as `flox activate -- CMD`"))
	}
	if !r.activated && !plan.Setup && len(plan.Edits) == 0 {
		return // before any venv: these commands never ran in it
	}
	first := !r.activated
	r.activated = true
	if emptied(masked, plan) {
		if l := r.venvProseAbove(b); l >= 0 && !r.literalParagraph(b) {
			if t, ok := rewordVenvProse(r.line(l)); ok {
				r.edits = append(r.edits, Edit{Start: r.starts[l], End: r.contentEnds[l], Text: t})
			}
		}
		r.dropBlock(b, false)
		return
	}
	wraps, left := agentWraps(masked, plan.Edits)
	for _, l := range left {
		r.followUps = append(r.followUps, dcFollowUp(r.path, r.fileLine(m, l),
			"a command over several lines (a loop, a heredoc, a continued line) left as written",
			"run it in the environment: `flox activate -c '...'`"))
	}
	edits := append(plan.Edits, wraps...)
	edits = append(edits, tidyBlanks(masked, plan.Edits)...)
	for i := range edits {
		edits[i].Text = unmask(edits[i].Text)
	}
	fe, ok := m.toFile(edits)
	if !ok {
		r.blockFollowUp(b, "could not place the edits to this code block", "run its commands as `flox activate -- CMD`")
		return
	}
	r.edits = append(r.edits, fe...)
	r.agentTold = true
	if l := r.venvProseAbove(b); l >= 0 {
		// "Activate the venv first:": the commands now say it themselves.
		if p, ok := r.removableIntro(b); ok && p <= l && !r.literalParagraph(b) {
			r.edits = append(r.edits, Edit{Start: r.starts[p], End: r.starts[b.openLine]})
		} else {
			r.followUps = append(r.followUps, dcFollowUp(r.path, l+1,
				"the text before this code block still talks about a virtual environment",
				"say that commands run as `flox activate -- CMD`"))
		}
	}
	if first && !r.linked {
		r.linked = true
		r.noteAfter(b, mdInstallNote)
	}
}

// agentWraps returns the insertions and replacements that run each
// command line of a snippet in the environment, leaving the lines edits
// remove, comments, commands that need no environment, and lines that are
// not one whole command (continuations, loops).
func agentWraps(text string, edits []Edit) (out []Edit, left []int) {
	f, err := detect.ParseShell(strings.NewReader(text), "", syntax.LangBash, false)
	if err != nil {
		return nil, nil
	}
	for _, st := range f.Stmts {
		at, stmtEnd := int(st.Pos().Offset()), int(st.End().Offset())
		if at < 0 || stmtEnd > len(text) || at >= stmtEnd {
			continue
		}
		cmd := text[at:stmtEnd]
		s := strings.LastIndexByte(text[:at], '\n') + 1
		e := len(text)
		if i := strings.IndexByte(text[stmtEnd:], '\n'); i >= 0 {
			e = stmtEnd + i + 1
		}
		// One statement on a line of its own: not a loop, a continued
		// line or a heredoc (whose body follows it).
		if lineGone(edits, s, e) {
			continue
		}
		if strings.Contains(cmd, "\n") || strings.TrimSpace(text[s:at]) != "" || hasHeredoc(st) {
			if agentNeedsEnv(cmd) && !dcSystemCommand(cmd).Any {
				left = append(left, int(st.Pos().Line()))
			}
			continue
		}
		if !agentNeedsEnv(cmd) || dcIsFloxCommand(cmd) || dcShellStateOnly(cmd) || dcSystemCommand(cmd).Any || ownEnvsRun(cmd) {
			continue
		}
		touched := slices.ContainsFunc(edits, func(x Edit) bool { return x.Start < e && x.End > s || x.Start == x.End && x.Start >= s && x.Start < e })
		if dcExecable(cmd) || touched && execableAfter(cmd, at, edits) {
			out = append(out, Edit{Start: at, End: at, Text: "flox activate -- "})
		} else if !touched {
			out = append(out, Edit{Start: at, End: stmtEnd, Text: dcWrapCommand("flox activate", cmd)})
		}
	}
	return out, left
}

// ownEnvsRun reports a command that makes environments of its own, for
// each Python it finds (tox, nox, `hatch test`, also through uvx or pipx):
// it runs as before, outside the Flox environment, whose one interpreter
// would narrow the run. `python -m tox` needs the environment's tox.
func ownEnvsRun(cmd string) bool {
	found := false
	dcEachCall(cmd, func(args []string) bool {
		name := path.Base(args[0])
		if (name == "uvx" || name == "pipx") && len(args) > 1 {
			args = dcNonFlags(args[1:])
			if len(args) > 0 && args[0] == "run" && name == "pipx" {
				args = args[1:]
			}
			if len(args) == 0 {
				return true
			}
			name = args[0]
		}
		words := dcNonFlags(args[1:])
		found = found || name == "tox" || name == "nox" || name == "hatch" && len(words) > 0 && words[0] == "test"
		return true
	})
	return found
}

// hasHeredoc reports a statement that reads a heredoc.
func hasHeredoc(st *syntax.Stmt) bool {
	found := false
	syntax.Walk(st, func(n syntax.Node) bool {
		if r, ok := n.(*syntax.Redirect); ok && r.Hdoc != nil {
			found = true
		}
		return !found
	})
	return found
}

// agentNeedsEnv reports a command line that runs a command outside
// agentNoEnv (`cd docs && make html` does).
func agentNeedsEnv(line string) bool {
	needs := false
	dcEachCall(line, func(args []string) bool {
		name := args[0]
		if i := strings.LastIndex(name, "/bin/"); i >= 0 {
			name = name[i+len("/bin/"):] // .venv/bin/pytest: the edits drop the path
		}
		windows := slices.Contains([]string{".bat", ".cmd", ".exe", ".ps1"}, strings.ToLower(path.Ext(name)))
		needs = needs || !slices.Contains(agentNoEnv, name) && !windows
		return true
	})
	return needs
}

// execableAfter reports a command that needs no shell once the edits
// inside it are made (`.venv/bin/pre-commit run` becomes `pre-commit run`).
func execableAfter(cmd string, at int, edits []Edit) bool {
	var local []Edit
	for _, x := range edits {
		if x.Start >= at && x.End <= at+len(cmd) {
			local = append(local, Edit{Start: x.Start - at, End: x.End - at, Text: x.Text})
		}
	}
	out, err := applyEdits([]byte(cmd), local)
	return err == nil && dcExecable(string(out))
}

// lineGone reports a snippet line [s, e) that an edit removes, or covers
// past its first line.
func lineGone(edits []Edit, s, e int) bool {
	return slices.ContainsFunc(edits, func(x Edit) bool {
		return x.Start <= s && x.End >= e && x.End > x.Start && (x.Text == "" || x.Start < s)
	})
}
