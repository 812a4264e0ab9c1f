package migrate

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/rewrite"
)

// Only the contributor workflow is migrated by default: files, CI jobs and
// doc blocks that serve other readers (detect's audiences) stay as they
// are, and those that use a venv are listed once each with the reason.

// Scope says what a migration may change.
type Scope string

const (
	// ScopeContributor (the default) changes only the contributor workflow.
	ScopeContributor Scope = "contributor"
	// ScopeAll also changes docs for users, examples, operator scripts and
	// release jobs.
	ScopeAll Scope = "all"
)

// LeftAlone is a file, a CI job or a document's code blocks that use a
// venv but serve other readers than the project's contributors: the
// migration does not change them.
type LeftAlone struct {
	detect.Evidence
	Job      string          `json:"job,omitempty"`
	Audience detect.Audience `json:"audience"`
	Why      string          `json:"reason"`
}

func (l LeftAlone) String() string {
	what := l.Evidence.String()
	if l.Job != "" {
		what += " (job " + l.Job + ")"
	}
	return fmt.Sprintf("%s: left alone (%s): %s", what, l.Audience, l.Why)
}

// contributorFile reports a file the migration may rewrite.
func contributorFile(f detect.File, scope Scope) bool {
	return scope == ScopeAll || f.Audience == "" || f.Audience == detect.AudienceContributor
}

// leaveSpans lists the doc blocks and CI jobs of a project that serve
// other readers, for the rewriters to skip.
func leaveSpans(p *detect.Project) []rewrite.Span {
	var out []rewrite.Span
	for _, b := range p.DocBlocks {
		out = append(out, rewrite.Span{Path: b.Path, First: b.Line, Last: b.EndLine})
	}
	for _, j := range p.CI {
		if j.Audience != detect.AudienceContributor && j.Audience != "" {
			out = append(out, rewrite.Span{Path: j.Evidence.Path, First: j.Evidence.Line, Last: max(j.EndLine, j.Evidence.Line)})
		}
	}
	return out
}

// leftAlone lists, once each, the files, CI jobs and documents' code
// blocks that use a venv and that the migration leaves to other readers.
// Paths are made relative to the scanned root with dir.
func leftAlone(p *detect.Project, dir string) []LeftAlone {
	uses := func(path string, first, last int) bool {
		for _, v := range p.Venvs {
			if v.Evidence.Path == path && first <= v.Evidence.Line && v.Evidence.Line <= last && !v.ToolsOwn() {
				return true
			}
		}
		return false
	}
	var out []LeftAlone
	for _, f := range p.Files {
		if rewrite.ForKind(f.Kind) == nil || contributorFile(f, ScopeContributor) || f.Kind.Info().Class == detect.ClassCI || !uses(f.Path, 0, 1<<30) {
			continue
		}
		out = append(out, LeftAlone{Evidence: detect.Evidence{Path: joinRel(dir, f.Path)}, Audience: f.Audience, Why: f.Why})
	}
	for _, j := range p.CI {
		last := max(j.EndLine, j.Evidence.Line)
		if j.Audience == detect.AudienceContributor || j.Audience == "" || !uses(j.Evidence.Path, j.Evidence.Line, last) {
			continue
		}
		out = append(out, LeftAlone{Evidence: detect.Evidence{Path: joinRel(dir, j.Evidence.Path), Line: j.Evidence.Line},
			Job: j.Name, Audience: j.Audience, Why: j.Why})
	}
	// A document's blocks for other readers make one line.
	for i := 0; i < len(p.DocBlocks); {
		j := i
		var lines, whys []string
		for ; j < len(p.DocBlocks) && p.DocBlocks[j].Path == p.DocBlocks[i].Path; j++ {
			b := p.DocBlocks[j]
			lines = append(lines, fmt.Sprint(b.Line))
			if !slices.Contains(whys, b.Why) {
				whys = append(whys, b.Why)
			}
		}
		first := p.DocBlocks[i]
		what := "a code block"
		if len(lines) > 1 {
			what = fmt.Sprintf("%d code blocks (lines %s)", len(lines), strings.Join(lines, ", "))
		}
		kept := " kept for other readers: "
		if first.Audience == detect.AudienceNone {
			kept = " not rewritten: " // a conda environment's, or a venv outside the checkout
		}
		out = append(out, LeftAlone{Evidence: detect.Evidence{Path: joinRel(dir, first.Path), Line: first.Line},
			Audience: first.Audience, Why: what + kept + strings.Join(whys, "; ")})
		i = j
	}
	sortLeftAlone(out)
	return out
}

// sortLeftAlone orders entries by file and line.
func sortLeftAlone(ls []LeftAlone) {
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].Path != ls[j].Path {
			return ls[i].Path < ls[j].Path
		}
		return ls[i].Line < ls[j].Line
	})
}
