package migrate

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/rewrite"
)

// RootResult is the result for one PATH argument. Prefix is prepended to
// every path when several roots are reported together ("" for one root).
type RootResult struct {
	Root   string
	Prefix string
	Result *Result
}

// Merge combines the results of several roots into one, with paths made
// relative to the current folder when there are several.
func Merge(roots []*RootResult) *Result {
	merged := &Result{}
	for _, r := range roots {
		for _, p := range r.Result.Projects {
			merged.Projects = append(merged.Projects, prefixProject(p, r.Prefix))
		}
	}
	return merged
}

func prefixProject(p *ProjectResult, prefix string) *ProjectResult {
	if prefix == "" {
		return p
	}
	q := *p
	q.Dir = path.Join(prefix, p.Dir)
	q.Changes = make([]rewrite.FileChange, len(p.Changes))
	for i, c := range p.Changes {
		c.Path = path.Join(prefix, c.Path)
		q.Changes[i] = c
	}
	q.FollowUps = make([]rewrite.FollowUp, len(p.FollowUps))
	for i, f := range p.FollowUps {
		f.Evidence.Path = path.Join(prefix, f.Evidence.Path)
		q.FollowUps[i] = f
	}
	q.LeftAlone = make([]LeftAlone, len(p.LeftAlone))
	for i, l := range p.LeftAlone {
		l.Path = path.Join(prefix, l.Path)
		q.LeftAlone[i] = l
	}
	q.Problems = make([]detect.Problem, len(p.Problems))
	for i, pr := range p.Problems {
		pr.Path = path.Join(prefix, pr.Path)
		q.Problems[i] = pr
	}
	return &q
}

// Summary counts projects by status and the files and follow-ups involved.
// FollowUps counts notes: follow-ups that say the same of several jobs or
// lines count once, as the reports show them.
type Summary struct {
	Migrated     int `json:"migrated"`
	Unchanged    int `json:"unchanged"`
	Skipped      int `json:"skipped"`
	Failed       int `json:"failed"`
	FilesChanged int `json:"filesChanged"`
	FollowUps    int `json:"followUps"`
	LeftAlone    int `json:"leftAlone"`
	Problems     int `json:"problems"`
}

// Summarize counts the result.
func (r *Result) Summarize() Summary {
	var s Summary
	for _, p := range r.Projects {
		switch p.Status {
		case StatusMigrated:
			s.Migrated++
		case StatusUnchanged:
			s.Unchanged++
		case StatusSkipped:
			s.Skipped++
		case StatusFailed:
			s.Failed++
		}
		for _, c := range p.Changes {
			if c.Changed() {
				s.FilesChanged++
			}
		}
		s.FollowUps += len(notes(p.FollowUps))
		s.LeftAlone += len(p.LeftAlone)
		s.Problems += len(p.Problems)
	}
	return s
}

// jsonFile is one changed file in the JSON report.
type jsonFile struct {
	Path   string `json:"path"`
	Action string `json:"action"` // "create" or "modify"
	Diff   string `json:"diff"`
}

type jsonProject struct {
	*ProjectResult
	Files []jsonFile `json:"files"`
}

// WriteJSON writes the full machine-readable result (shape documented in
// README.md).
func WriteJSON(w io.Writer, r *Result) {
	out := struct {
		Version  int           `json:"version"`
		Summary  Summary       `json:"summary"`
		Projects []jsonProject `json:"projects"`
	}{Version: 1, Summary: r.Summarize(), Projects: []jsonProject{}}
	for _, p := range r.Projects {
		jp := jsonProject{ProjectResult: p, Files: []jsonFile{}}
		for _, c := range sortedChanges(p.Changes) {
			action := "modify"
			if c.Created {
				action = "create"
			}
			jp.Files = append(jp.Files, jsonFile{c.Path, action, string(rewrite.UnifiedDiff([]rewrite.FileChange{c}))})
		}
		out.Projects = append(out.Projects, jp)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
}

func sortedChanges(cs []rewrite.FileChange) []rewrite.FileChange {
	var out []rewrite.FileChange
	for _, c := range cs {
		if c.Changed() {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// markdownPatchLimit is the longest patch shown inline in a Markdown report;
// longer ones are cut, the full patch being an artifact.
const markdownPatchLimit = 400

// WriteMarkdown writes a summary fit for a pull-request comment: a table of
// projects, then per project the interpreter, packages with reasons, files
// changed, follow-ups, and the patch in a folded section.
func WriteMarkdown(w io.Writer, r *Result) {
	s := r.Summarize()
	fmt.Fprintf(w, "## venv2flox migration\n\n")
	fmt.Fprintf(w, "%d project(s): %d to migrate, %d already migrated, %d skipped, %d failed; %d file(s) change, %d follow-up(s).\n\n",
		len(r.Projects), s.Migrated, s.Unchanged, s.Skipped, s.Failed, s.FilesChanged, s.FollowUps)
	fmt.Fprintf(w, "| Project | Status | Python | Manager | Files | Follow-ups |\n|---|---|---|---|---|---|\n")
	for _, p := range r.Projects {
		py, mgr := "", ""
		if p.Plan != nil {
			py, mgr = pythonLabel(p.Plan), p.Plan.Manager
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %d | %d |\n", p.Dir, p.Status, py, mgr, len(sortedChanges(p.Changes)), len(notes(p.FollowUps)))
	}
	for _, p := range r.Projects {
		fmt.Fprintf(w, "\n### `%s`: %s\n\n", p.Dir, p.Status)
		if p.Reason != "" {
			fmt.Fprintf(w, "%s\n\n", p.Reason)
		}
		if p.Plan != nil {
			writeMarkdownPlan(w, p.Plan)
		}
		if cs := sortedChanges(p.Changes); len(cs) > 0 {
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
		if cs := sortedChanges(p.Changes); len(cs) > 0 {
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

func pythonLabel(p *Plan) string {
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

func writeMarkdownPlan(w io.Writer, p *Plan) {
	fmt.Fprintf(w, "**Interpreter:** %s: %s\n\n", pythonLabel(p), markdownReason(p.Interpreter.Reason))
	fmt.Fprintf(w, "**Manager:** `%s`: %s\n\n", p.Manager, markdownReason(p.ManagerWhy))
	if sc := p.Setup; sc != nil {
		label, rest, _ := strings.Cut(sc.Summary(), ": ")
		fmt.Fprintf(w, "**%s:** %s\n\n", label, rest)
		for _, n := range sc.Notes {
			if n.Evidence != nil {
				fmt.Fprintf(w, "- `%s`: %s\n", n.Evidence, n)
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
		fmt.Fprintf(w, "| `%s` | `%s` | %s |\n", pkg.ID, pkg.PkgPath, strings.ReplaceAll(markdownReason(pkg.Reason), "|", "\\|"))
	}
	fmt.Fprintln(w)
	for _, c := range p.Conflicts {
		fmt.Fprintf(w, "> **Conflict:** %s (`%s` vs `%s`)\n\n", c.Message, c.A, c.B)
	}
	for _, warning := range p.Warnings {
		fmt.Fprintf(w, "> **Warning:** %s\n\n", warning)
	}
	for _, n := range p.Notices {
		fmt.Fprintf(w, "> **Note:** %s\n\n", n)
	}
}

func markdownReason(r Reason) string {
	s := r.Text
	if len(r.Evidence) > 0 {
		var evs []string
		for _, e := range r.Evidence {
			evs = append(evs, "`"+e.String()+"`")
		}
		s += " (" + strings.Join(evs, ", ") + ")"
	}
	return s
}

// WriteSummary writes the human summary for stderr: counts, then problems,
// follow-ups and reasons a project was skipped or failed.
func WriteSummary(w io.Writer, r *Result, readOnly bool) {
	for _, p := range r.Projects {
		if p.Reason != "" {
			fmt.Fprintf(w, "%s: %s: %s\n", p.Dir, p.Status, p.Reason)
		}
		for _, pr := range p.Problems {
			fmt.Fprintf(w, "%s: problem: %s\n", pr.Evidence, pr.Message)
		}
		for _, n := range notes(p.FollowUps) {
			fmt.Fprintf(w, "%s: follow-up: %s\n", n.Evidence, n.Text)
		}
		for _, g := range leftAloneGroups(p.LeftAlone) {
			if len(g.Items) == 1 {
				fmt.Fprintln(w, g.Items[0])
				continue
			}
			fmt.Fprintf(w, "%s: left alone (%s): %s\n", g.where(""), g.Audience, g.Why)
		}
		if p.Plan != nil {
			for _, c := range p.Plan.Conflicts {
				a, b := c.A, c.B
				a.Path, b.Path = joinRel(p.Dir, a.Path), joinRel(p.Dir, b.Path)
				fmt.Fprintf(w, "%s: conflict: %s (%s)\n", a, c.Message, b)
			}
			for _, warning := range p.Plan.Warnings {
				fmt.Fprintf(w, "%s: warning: %s\n", p.Dir, warning)
			}
			for _, n := range p.Plan.Notices {
				fmt.Fprintf(w, "%s: note: %s\n", p.Dir, n)
			}
			writeSetupSummary(w, p)
		}
	}
	s := r.Summarize()
	verb := "changed"
	if readOnly {
		verb = "would change"
	}
	left := ""
	if s.LeftAlone > 0 {
		left = fmt.Sprintf("; %d left alone (not the contributors' setup)", s.LeftAlone)
	}
	fmt.Fprintf(w, "venv2flox: %d project(s): %d migrated, %d unchanged, %d skipped, %d failed; %d file(s) %s; %d follow-up(s)%s\n",
		len(r.Projects), s.Migrated, s.Unchanged, s.Skipped, s.Failed, s.FilesChanged, verb, s.FollowUps, left)
	if s.Migrated > 0 {
		fmt.Fprintln(w, "venv2flox: run 'flox activate' once and commit .flox/env/manifest.lock with the migration: CI jobs and contributors then get the packages it pins, and no job leaves a new lock behind for a bot to commit")
	}
}

// writeSetupSummary writes the install-set check of a project and what its
// sync leaves out: "DIR: install set: same as `make install-dev` (...)",
// "FILE:LINE: not synced: ...", "DIR: project not installed: ...".
func writeSetupSummary(w io.Writer, p *ProjectResult) {
	sc := p.Plan.Setup
	if sc == nil {
		return
	}
	fmt.Fprintf(w, "%s: %s\n", p.Dir, sc.Summary())
	for _, n := range sc.Notes {
		if n.Evidence != nil {
			ev := *n.Evidence
			ev.Path = joinRel(p.Dir, ev.Path)
			fmt.Fprintf(w, "%s: %s\n", ev, n)
		} else {
			fmt.Fprintf(w, "%s: %s\n", p.Dir, n)
		}
	}
}
