package rewrite

// A workflow at the root of a monorepo whose root is not a project: each
// job that works in one project's folder (`defaults.run.working-directory`)
// is migrated to that project's Flox environment; other jobs are left for
// the caller to report.

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// GitHubRootWorkflow rewrites the jobs of a repository-root workflow that
// belong to one of projects (ProjectDir relative to the repository root).
// The second result lists the jobs left alone, by name.
func GitHubRootWorkflow(projects []*Context, p string, src []byte) (Result, []string, error) {
	res := Result{New: src}
	d, err := yeParse(src)
	if err != nil || len(projects) == 0 {
		return res, nil, nil
	}
	_, jobs := yeGet(d.root, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return res, nil, nil
	}
	var edits []Edit
	var fus []FollowUp
	var left []string
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		name, job := jobs.Content[i].Value, jobs.Content[i+1]
		ctx := ghJobProject(projects, d.root, job)
		if ctx == nil || ctx.leaves(p, jobs.Content[i].Line) {
			left = append(left, name)
			continue
		}
		g := &ghRewrite{ciYAMLRewrite{ctx: ctx, path: p, d: d}}
		g.job(jobs.Content[i], job)
		edits = append(edits, g.edits...)
		fus = append(fus, g.followUps...)
	}
	out, err := dcFinishYAML(projects[0], p, src, edits, fus, "run the job's commands in its project's Flox environment")
	return out, left, err
}

// ghJobProject returns the project a job works in: the one whose folder
// holds the job's (or the workflow's) default working-directory.
func ghJobProject(projects []*Context, root, job *yaml.Node) *Context {
	wd := ""
	for _, o := range []*yaml.Node{job, root} {
		_, def := yeGet(o, "defaults")
		_, run := yeGet(def, "run")
		if w := yeString(run, "working-directory"); w != "" && wd == "" {
			wd = w
		}
	}
	if wd == "" || strings.Contains(wd, "${{") {
		return nil
	}
	wd = path.Clean(strings.TrimPrefix(wd, "./"))
	var best *Context
	for _, c := range projects {
		dir := path.Clean(c.ProjectDir)
		if dir == "." {
			continue
		}
		if (wd == dir || strings.HasPrefix(wd, dir+"/")) && (best == nil || len(dir) > len(path.Clean(best.ProjectDir))) {
			best = c
		}
	}
	return best
}
