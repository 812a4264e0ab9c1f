// Package report renders what venv2flox found and did, in every output
// format: detect's facts as text, a migration as the stderr summary,
// Markdown for a pull-request comment, JSON and reviewdog's rdjson. The
// patch itself is rewrite.UnifiedDiff, and a plan renders itself
// (migrate.Plan's Text and Manifest). The command picks a format and calls
// one function here; report never decides anything.
package report

import (
	"encoding/json"
	"io"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/migrate"
	"github.com/venv2flox/venv2flox/rewrite"
)

// Encode writes v as indented JSON, with <, > and & as they are.
func Encode(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Totals counts projects by status and the files and follow-ups involved.
// FollowUps counts notes: follow-ups that say the same of several jobs or
// lines count once, as the reports show them.
type Totals struct {
	Migrated     int `json:"migrated"`
	Unchanged    int `json:"unchanged"`
	Skipped      int `json:"skipped"`
	Failed       int `json:"failed"`
	FilesChanged int `json:"filesChanged"`
	FollowUps    int `json:"followUps"`
	LeftAlone    int `json:"leftAlone"`
	Problems     int `json:"problems"`
}

// Count counts the result.
func Count(r *migrate.Result) Totals {
	var s Totals
	for _, p := range r.Projects {
		switch p.Status {
		case migrate.StatusMigrated:
			s.Migrated++
		case migrate.StatusUnchanged:
			s.Unchanged++
		case migrate.StatusSkipped:
			s.Skipped++
		case migrate.StatusFailed:
			s.Failed++
		}
		s.FilesChanged += len(p.ChangedFiles())
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
	*migrate.ProjectResult
	Files []jsonFile `json:"files"`
}

// JSON writes the full machine-readable result (shape documented in
// README.md).
func JSON(w io.Writer, r *migrate.Result) {
	out := struct {
		Version  int           `json:"version"`
		Summary  Totals        `json:"summary"`
		Projects []jsonProject `json:"projects"`
	}{Version: 1, Summary: Count(r), Projects: []jsonProject{}}
	for _, p := range r.Projects {
		jp := jsonProject{ProjectResult: p, Files: []jsonFile{}}
		for _, c := range p.ChangedFiles() {
			action := "modify"
			if c.Created {
				action = "create"
			}
			jp.Files = append(jp.Files, jsonFile{c.Path, action, string(rewrite.UnifiedDiff([]rewrite.FileChange{c}))})
		}
		out.Projects = append(out.Projects, jp)
	}
	Encode(w, out)
}

// atRoot makes evidence the plan gives relative to its project relative
// to the scanned root, as every other path of a report is.
func atRoot(p *migrate.ProjectResult, ev detect.Evidence) detect.Evidence {
	if p.Dir != "." && p.Dir != "" {
		ev.Path = p.Dir + "/" + ev.Path
	}
	return ev
}
