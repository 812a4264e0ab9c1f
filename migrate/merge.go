package migrate

import (
	"path"

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
