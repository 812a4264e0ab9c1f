package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/venv2flox/venv2flox/migrate"
	"github.com/venv2flox/venv2flox/rewrite"
)

// markdownPatchLimit is the longest patch shown inline in a Markdown report;
// longer ones are cut, the full patch being an artifact.
const markdownPatchLimit = 400

// Markdown writes a summary fit for a pull-request comment: a table of
// projects, then per project the interpreter, packages with reasons, files
// changed, follow-ups, and the patch in a folded section.
func Markdown(w io.Writer, r *migrate.Result) {
	s := Count(r)
	fmt.Fprintf(w, "## venv2flox migration\n\n")
	fmt.Fprintf(w, "%d project(s): %d to migrate, %d already migrated, %d skipped, %d failed; %d file(s) change, %d follow-up(s).\n\n",
		len(r.Projects), s.Migrated, s.Unchanged, s.Skipped, s.Failed, s.FilesChanged, s.FollowUps)
	fmt.Fprintf(w, "| Project | Status | Python | Manager | Files | Follow-ups |\n|---|---|---|---|---|---|\n")
	for _, p := range r.Projects {
		py, mgr := "", ""
		if p.Plan != nil {
			py, mgr = pythonLabel(p.Plan), p.Plan.Manager
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %d | %d |\n", p.Dir, p.Status, py, mgr, len(p.ChangedFiles()), len(notes(p.FollowUps)))
	}
	for _, p := range r.Projects {
		fmt.Fprintf(w, "\n### `%s`: %s\n\n", p.Dir, p.Status)
		if p.Reason != "" {
			fmt.Fprintf(w, "%s\n\n", p.Reason)
		}
		if p.Plan != nil {
			writeMarkdownPlan(w, p)
		}
		if cs := p.ChangedFiles(); len(cs) > 0 {
			fmt.Fprintf(w, "**Files**\n\n")
			for _, c := range cs {
				verb := "modified"
				if c.Created {
					verb = "created"
				}
				fmt.Fprintf(w, "- `%s` (%s)\n", c.Path, verb)
			}
			fmt.Fprintln(w)
		}
		if len(p.FollowUps) > 0 {
			fmt.Fprintf(w, "**Follow-ups** (left unchanged; please handle by hand)\n\n")
			for _, n := range notes(p.FollowUps) {
				fmt.Fprintf(w, "- [ ] `%s`: %s", n.Evidence, n.Text)
				if n.Suggestion != "" {
					fmt.Fprintf(w, " Suggested: %s", n.Suggestion)
				}
				fmt.Fprintln(w)
				if len(n.Members) > 1 {
					fmt.Fprintf(w, "  <details><summary>%d places</summary>\n\n", len(n.Members))
					for _, m := range n.Members {
						fmt.Fprintf(w, "  - `%s`: %s\n", m.Evidence, m.Message)
					}
					fmt.Fprintf(w, "\n  </details>\n")
				}
			}
			fmt.Fprintln(w)
		}
		if len(p.LeftAlone) > 0 {
			fmt.Fprintf(w, "**Left alone** (not the contributors' setup; `--scope all` migrates them too)\n\n")
			for _, g := range leftAloneGroups(p.LeftAlone) {
				fmt.Fprintf(w, "- %s, %s: %s\n", g.where("`"), g.Audience, g.Why)
			}
			fmt.Fprintln(w)
		}
		if len(p.Problems) > 0 {
			fmt.Fprintf(w, "**Problems**\n\n")
			for _, pr := range p.Problems {
				fmt.Fprintf(w, "- `%s`: %s\n", pr.Evidence, pr.Message)
			}
			fmt.Fprintln(w)
		}
		if cs := p.ChangedFiles(); len(cs) > 0 {
			patch := string(rewrite.UnifiedDiff(cs))
			// The patch ends in a newline, so SplitAfter's last element is empty.
			lines := strings.SplitAfter(patch, "\n")
			lines = lines[:len(lines)-1]
			fmt.Fprintf(w, "<details><summary>Patch (%d lines)</summary>\n\n````diff\n", len(lines))
			if len(lines) > markdownPatchLimit {
				fmt.Fprint(w, strings.Join(lines[:markdownPatchLimit], ""))
				fmt.Fprintf(w, "… %d more lines: see the full patch\n", len(lines)-markdownPatchLimit)
			} else {
				fmt.Fprint(w, patch)
			}
			fmt.Fprintf(w, "````\n\n</details>\n")
		}
	}
}

func pythonLabel(p *migrate.Plan) string {
	for _, pkg := range p.Packages {
		if pkg.ID == "python" {
			if pkg.Version != "" {
				return fmt.Sprintf("`%s` (%s)", pkg.PkgPath, pkg.Version)
			}
			return "`" + pkg.PkgPath + "`"
		}
	}
	return p.Interpreter.Minor
}

// writeMarkdownPlan writes a project's plan: interpreter, manager, setup
// check, packages, conflicts, warnings and notices.
func writeMarkdownPlan(w io.Writer, pr *migrate.ProjectResult) {
	p := pr.Plan
	fmt.Fprintf(w, "**Interpreter:** %s: %s\n\n", pythonLabel(p), markdownReason(pr, p.Interpreter.Reason))
	fmt.Fprintf(w, "**Manager:** `%s`: %s\n\n", p.Manager, markdownReason(pr, p.ManagerWhy))
	if sc := p.Setup; sc != nil {
		label, rest, _ := strings.Cut(sc.Summary(), ": ")
		fmt.Fprintf(w, "**%s:** %s\n\n", label, rest)
		for _, n := range sc.Notes {
			if n.Evidence != nil {
				fmt.Fprintf(w, "- `%s`: %s\n", atRoot(pr, *n.Evidence), n)
			} else {
				fmt.Fprintf(w, "- %s\n", n)
			}
		}
		if len(sc.Notes) > 0 {
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "| Package | pkg-path | Why |\n|---|---|---|\n")
	for _, pkg := range p.Packages {
		fmt.Fprintf(w, "| `%s` | `%s` | %s |\n", pkg.ID, pkg.PkgPath, strings.ReplaceAll(markdownReason(pr, pkg.Reason), "|", "\\|"))
	}
	fmt.Fprintln(w)
	for _, c := range p.Conflicts {
		fmt.Fprintf(w, "> **Conflict:** %s (`%s` vs `%s`)\n\n", c.Message, atRoot(pr, c.A), atRoot(pr, c.B))
	}
	for _, warning := range p.Warnings {
		fmt.Fprintf(w, "> **Warning:** %s\n\n", warning)
	}
	for _, n := range p.Notices {
		fmt.Fprintf(w, "> **Note:** %s\n\n", n)
	}
}

// markdownReason is a plan's reason with its evidence, relative to the
// scanned root.
func markdownReason(pr *migrate.ProjectResult, r migrate.Reason) string {
	s := r.Text
	if len(r.Evidence) > 0 {
		var evs []string
		for _, e := range r.Evidence {
			evs = append(evs, "`"+atRoot(pr, e).String()+"`")
		}
		s += " (" + strings.Join(evs, ", ") + ")"
	}
	return s
}
