package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/migrate"
	"github.com/venv2flox/venv2flox/rewrite"
)

// The reports say a thing once: follow-ups that say the same of several
// jobs, lines or files (23 matrix jobs left on setup-python, one dev
// container command after another) become one note that lists where. The
// JSON report keeps every follow-up.

// note is one line of a report's follow-ups: a follow-up, or several that
// say the same thing.
type note struct {
	detect.Evidence // the first follow-up's
	Text            string
	Suggestion      string
	// Members are the follow-ups the note stands for, in file order.
	Members []rewrite.FollowUp
}

// notes groups follow-ups (already in file order) by what they say: their
// Topic, or their Message when they have none. A group keeps the place of
// its first member.
func notes(fus []rewrite.FollowUp) []note {
	var out []note
	at := map[string]int{}
	for _, f := range fus {
		key := f.Topic
		if key == "" {
			key = f.Message
		}
		i, ok := at[key]
		if !ok {
			at[key] = len(out)
			out = append(out, note{Evidence: f.Evidence, Text: f.Message, Suggestion: f.Suggestion})
			i = len(out) - 1
		} else if sameFollowUp(out[i].Members, f) {
			continue
		}
		out[i].Members = append(out[i].Members, f)
	}
	for i := range out {
		if len(out[i].Members) > 1 {
			out[i].Text = groupText(out[i].Members)
		}
	}
	return out
}

// sameFollowUp reports a follow-up already in the list (two rewriters, or
// two passes, saying the same at the same place).
func sameFollowUp(list []rewrite.FollowUp, f rewrite.FollowUp) bool {
	for _, g := range list {
		if g.Evidence == f.Evidence && g.Message == f.Message {
			return true
		}
	}
	return false
}

// maxListed is how many jobs or lines of one file a note names.
const maxListed = 4

// groupText says once what several follow-ups say: "3 jobs: runs in a
// container (ci.yml: test, lint; nightly.yml: build)", "the same text (3
// places: scripts/a:3, scripts/b:4, scripts/c:4)".
func groupText(ms []rewrite.FollowUp) string {
	topic := ms[0].Topic
	if topic == "" {
		topic = ms[0].Message
	}
	jobs := true
	subjects := map[string]bool{} // file and job
	for _, m := range ms {
		jobs = jobs && strings.HasPrefix(m.Subject, "job ")
		subjects[m.Evidence.Path+"\x00"+m.Subject] = true
	}
	if jobs && len(subjects) == 1 {
		// Several lines of one job: the job's note, with its lines.
		jobs, topic = false, ms[0].Message
	}
	var files []string
	byFile := map[string][]string{}
	for _, m := range ms {
		p := m.Evidence.Path
		if _, ok := byFile[p]; !ok {
			files = append(files, p)
		}
		item := fmt.Sprint(m.Evidence.Line)
		if jobs {
			item = strings.TrimPrefix(m.Subject, "job ")
		}
		if !slices.Contains(byFile[p], item) {
			byFile[p] = append(byFile[p], item)
		}
	}
	var where []string
	for _, p := range files {
		items := byFile[p]
		if len(items) > maxListed {
			items = append(items[:maxListed-1:maxListed-1], fmt.Sprintf("%d more", len(items)-maxListed+1))
		}
		switch {
		case jobs:
			where = append(where, p+": "+joinAnd(items))
		case len(items) == 1 && !strings.HasSuffix(items[0], "more"):
			where = append(where, p+":"+items[0])
		default:
			where = append(where, p+" lines "+joinAnd(items))
		}
	}
	n, noun := len(ms), "places"
	if jobs {
		n, noun = len(subjects), "jobs"
	}
	return fmt.Sprintf("%s (%d %s: %s)", topic, n, noun, strings.Join(where, "; "))
}

// joinAnd joins items as a sentence does: "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// leftAloneGroup is what the reports say of things left alone for one
// reason: the jobs of a release workflow, the user guides of a folder.
type leftAloneGroup struct {
	Audience detect.Audience
	Why      string
	Items    []migrate.LeftAlone
}

// leftAloneGroups groups what was left alone by audience and reason, in
// the order first seen.
func leftAloneGroups(ls []migrate.LeftAlone) []leftAloneGroup {
	var out []leftAloneGroup
	at := map[[2]string]int{}
	for _, l := range ls {
		k := [2]string{string(l.Audience), l.Why}
		i, ok := at[k]
		if !ok {
			at[k] = len(out)
			out = append(out, leftAloneGroup{Audience: l.Audience, Why: l.Why})
			i = len(out) - 1
		}
		out[i].Items = append(out[i].Items, l)
	}
	return out
}

// where names what a group holds, each path between quote marks:
// "ci.yml:70 (job build)", "release.yml:12 (jobs test, build and publish)",
// "docs/a.md, docs/b.md and 2 more".
func (g leftAloneGroup) where(quote string) string {
	var files []string
	at := map[string]int{}
	var jobs [][]string
	for _, l := range g.Items {
		i, ok := at[l.Path]
		if !ok {
			at[l.Path] = len(files)
			files = append(files, quote+l.Evidence.String()+quote)
			jobs = append(jobs, nil)
			i = len(files) - 1
		}
		if l.Job != "" {
			jobs[i] = append(jobs[i], l.Job)
		}
	}
	for i := range files {
		switch n := len(jobs[i]); {
		case n == 1:
			files[i] += " (job " + jobs[i][0] + ")"
		case n > maxListed:
			files[i] += fmt.Sprintf(" (jobs %s and %d more)", strings.Join(jobs[i][:maxListed-1], ", "), n-maxListed+1)
		case n > 1:
			files[i] += " (jobs " + joinAnd(jobs[i]) + ")"
		}
	}
	if len(files) > maxListed {
		files = append(files[:maxListed-1:maxListed-1], fmt.Sprintf("%d more", len(files)-maxListed+1))
	}
	return joinAnd(files)
}

// perFile splits a note by file, for reports that annotate files: the
// members in one file, at the first one's line.
func (n note) perFile() []note {
	if len(n.Members) < 2 {
		return []note{n}
	}
	var out []note
	at := map[string]int{}
	for _, m := range n.Members {
		i, ok := at[m.Evidence.Path]
		if !ok {
			at[m.Evidence.Path] = len(out)
			out = append(out, note{Evidence: m.Evidence, Suggestion: n.Suggestion})
			i = len(out) - 1
		}
		out[i].Members = append(out[i].Members, m)
	}
	for i := range out {
		out[i].Text = out[i].Members[0].Message
		if len(out[i].Members) > 1 {
			out[i].Text = groupText(out[i].Members)
		}
	}
	return out
}
