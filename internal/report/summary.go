package report

import (
	"fmt"
	"io"

	"github.com/venv2flox/venv2flox/migrate"
)

// Summary writes the human summary for stderr: counts, then problems,
// follow-ups and reasons a project was skipped or failed.
func Summary(w io.Writer, r *migrate.Result, readOnly bool) {
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
				fmt.Fprintf(w, "%s: conflict: %s (%s)\n", atRoot(p, c.A), c.Message, atRoot(p, c.B))
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
	s := Count(r)
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
func writeSetupSummary(w io.Writer, p *migrate.ProjectResult) {
	sc := p.Plan.Setup
	if sc == nil {
		return
	}
	fmt.Fprintf(w, "%s: %s\n", p.Dir, sc.Summary())
	for _, n := range sc.Notes {
		if n.Evidence != nil {
			fmt.Fprintf(w, "%s: %s\n", atRoot(p, *n.Evidence), n)
		} else {
			fmt.Fprintf(w, "%s: %s\n", p.Dir, n)
		}
	}
}
