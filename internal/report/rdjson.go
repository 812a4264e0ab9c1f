package report

import (
	"io"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/migrate"
	"github.com/venv2flox/venv2flox/rewrite"
)

// The rdjson types follow reviewdog's Diagnostic Result format, so CI can
// post each rewrite as a line suggestion on a pull request.
type rdResult struct {
	Source      rdSource       `json:"source"`
	Severity    string         `json:"severity,omitempty"`
	Diagnostics []rdDiagnostic `json:"diagnostics"`
}

type rdSource struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type rdDiagnostic struct {
	Message     string         `json:"message"`
	Location    rdLocation     `json:"location"`
	Severity    string         `json:"severity,omitempty"`
	Code        *rdCode        `json:"code,omitempty"`
	Suggestions []rdSuggestion `json:"suggestions,omitempty"`
}

type rdLocation struct {
	Path  string   `json:"path"`
	Range *rdRange `json:"range,omitempty"`
}

type rdRange struct {
	Start rdPosition `json:"start"`
	End   rdPosition `json:"end"`
}

type rdPosition struct {
	Line   int `json:"line"`
	Column int `json:"column,omitempty"`
}

type rdCode struct {
	Value string `json:"value"`
}

type rdSuggestion struct {
	Range rdRange `json:"range"`
	Text  string  `json:"text"`
}

// RDJSON writes the result as reviewdog diagnostics: one suggestion per
// changed region of an existing file, one note per created file (whose
// content only the plain patch can carry), the follow-ups (one diagnostic
// per file for those that say the same of several places), the problems,
// and the plan's conflicts, warnings and notices at the manifest.
func RDJSON(w io.Writer, r *migrate.Result) {
	out := rdResult{Source: rdSource{Name: "venv2flox"}, Diagnostics: []rdDiagnostic{}}
	for _, p := range r.Projects {
		for _, c := range p.ChangedFiles() {
			if c.Created {
				out.Diagnostics = append(out.Diagnostics, rdDiagnostic{
					Message:  "venv2flox creates " + c.Path + " (see the patch)",
					Location: rdLocation{Path: c.Path},
					Severity: "INFO",
					Code:     &rdCode{"create-file"},
				})
				continue
			}
			for _, rep := range rewrite.Replacements(c.Old, c.New) {
				rng := rdRange{Start: rdPosition{Line: rep.Start, Column: 1}, End: rdPosition{Line: rep.End, Column: 1}}
				out.Diagnostics = append(out.Diagnostics, rdDiagnostic{
					Message:     "use the Flox environment instead of a hand-made venv",
					Location:    rdLocation{Path: c.Path, Range: &rng},
					Severity:    "WARNING",
					Code:        &rdCode{"rewrite"},
					Suggestions: []rdSuggestion{{Range: rng, Text: rep.Text}},
				})
			}
		}
		for _, n := range notes(p.FollowUps) {
			for _, d := range n.perFile() {
				msg := d.Text
				if n.Suggestion != "" {
					msg += " Suggested: " + n.Suggestion
				}
				out.Diagnostics = append(out.Diagnostics, rdDiagnostic{
					Message: msg, Location: rdLocation{Path: d.Path, Range: d.lines()},
					Severity: "INFO", Code: &rdCode{"follow-up"},
				})
			}
		}
		for _, pr := range p.Problems {
			out.Diagnostics = append(out.Diagnostics, rdDiagnostic{
				Message: pr.Message, Location: rdLocation{Path: pr.Path, Range: lineRange(pr.Line)},
				Severity: "ERROR", Code: &rdCode{"problem"},
			})
		}
		if p.Plan != nil {
			out.Diagnostics = append(out.Diagnostics, planDiagnostics(p)...)
		}
	}
	Encode(w, out)
}

// lines is the range a note speaks for: its line, or the code block one
// follow-up speaks for. Without columns, the range holds its end line
// (reviewdog/reviewdog proto/rdf/reviewdog.proto, message Range).
func (n note) lines() *rdRange {
	r := lineRange(n.Line)
	if len(n.Members) == 1 && r != nil && n.Members[0].EndLine > n.Line {
		r.End = rdPosition{Line: n.Members[0].EndLine}
	}
	return r
}

func lineRange(line int) *rdRange {
	if line <= 0 {
		return nil
	}
	return &rdRange{Start: rdPosition{Line: line}}
}

// planDiagnostics are the plan's conflicts (at the statement that lost),
// and its warnings and notices, at the manifest that carries the plan.
func planDiagnostics(p *migrate.ProjectResult) []rdDiagnostic {
	var out []rdDiagnostic
	for _, c := range p.Plan.Conflicts {
		out = append(out, rdDiagnostic{
			Message: c.Message, Location: rdLocation{Path: atRoot(p, c.B).Path, Range: lineRange(c.B.Line)},
			Severity: "WARNING", Code: &rdCode{"conflict"},
		})
	}
	manifest := rdLocation{Path: atRoot(p, detect.Evidence{Path: ".flox/env/manifest.toml"}).Path}
	for _, w := range p.Plan.Warnings {
		out = append(out, rdDiagnostic{Message: w, Location: manifest, Severity: "WARNING", Code: &rdCode{"warning"}})
	}
	for _, n := range p.Plan.Notices {
		out = append(out, rdDiagnostic{Message: n, Location: manifest, Severity: "INFO", Code: &rdCode{"note"}})
	}
	return out
}
