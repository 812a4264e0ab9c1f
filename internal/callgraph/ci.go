package callgraph

import (
	"path"
	"strings"

	"github.com/venv2flox/venv2flox/internal/yamldoc"
)

// githubWorkflow adds the calls of a workflow's jobs: `run:` steps and
// `uses: ./path` steps that run a composite action of the repository.
func (b *builder) githubWorkflow(p string) {
	root := parseYAML(b.read(p))
	if root == nil {
		return
	}
	wdir := yamldoc.Scalar(yamldoc.Get(yamldoc.Get(yamldoc.Get(root, "defaults"), "run"), "working-directory"))
	for _, kv := range yamldoc.Pairs(yamldoc.Get(root, "jobs")) {
		job := kv.Value
		c := Caller{Kind: CallerGitHub, File: p, Name: kv.Key.Value, Line: kv.Key.Line}
		steps := yamldoc.Items(yamldoc.Get(job, "steps"))
		for _, st := range steps {
			if strings.HasPrefix(strings.ToLower(yamldoc.Scalar(yamldoc.Get(st, "uses"))), "flox/") {
				c.Flox = true
			}
		}
		// A job whose steps run through `flox activate` gets Flox from a
		// composite action it uses.
		for _, o := range []*yamlNode{job, root} {
			if strings.Contains(yamldoc.Scalar(yamldoc.Get(yamldoc.Get(yamldoc.Get(o, "defaults"), "run"), "shell")), "flox activate") {
				c.Flox = true
			}
		}
		jdir := wdir
		if d := yamldoc.Scalar(yamldoc.Get(yamldoc.Get(yamldoc.Get(job, "defaults"), "run"), "working-directory")); d != "" {
			jdir = d
		}
		b.githubSteps(c, steps, jdir)
	}
}

// githubAction adds the calls of a composite action's steps.
func (b *builder) githubAction(p string) {
	root := parseYAML(b.read(p))
	if root == nil {
		return
	}
	runs := yamldoc.Get(root, "runs")
	c := Caller{Kind: CallerAction, File: p, Name: "./" + path.Dir(p), Line: 1}
	steps := yamldoc.Items(yamldoc.Get(runs, "steps"))
	for _, st := range steps {
		if strings.HasPrefix(strings.ToLower(yamldoc.Scalar(yamldoc.Get(st, "uses"))), "flox/") {
			c.Flox = true
		}
	}
	b.githubSteps(c, steps, "")
}

func (b *builder) githubSteps(c Caller, steps []*yamlNode, dir string) {
	for _, st := range steps {
		if uses := yamldoc.Scalar(yamldoc.Get(st, "uses")); strings.HasPrefix(uses, "./") {
			for _, name := range []string{"action.yml", "action.yaml"} {
				if a := path.Clean(path.Join(b.relToRepo(uses), name)); b.actions[a] {
					b.add(c, Entry{Kind: EntryAction, File: a}, yamldoc.Get(st, "uses").Line)
					b.step(c, Step{Action: a, Dir: ".", Line: yamldoc.Get(st, "uses").Line})
				}
			}
			continue
		}
		run := yamldoc.Get(st, "run")
		if run == nil {
			continue
		}
		sdir := dir
		if d := yamldoc.Scalar(yamldoc.Get(st, "working-directory")); d != "" {
			sdir = d
		}
		b.shellStep(c, run.Value, b.ciDir(sdir), scriptLine(run))
	}
}

// relToRepo turns a `uses: ./path` (relative to the repository root) into
// a path relative to the project.
func (b *builder) relToRepo(p string) string {
	p = path.Clean(strings.TrimPrefix(p, "./"))
	if b.dir == "." || b.dir == "" {
		return p
	}
	rel := strings.TrimPrefix(p, b.dir+"/")
	return rel
}

// ciDir turns a CI working directory (relative to the checkout, which is
// the repository root) into a folder relative to the project.
func (b *builder) ciDir(d string) string {
	d = strings.TrimPrefix(d, "${{ github.workspace }}/")
	d = strings.TrimPrefix(d, "$GITHUB_WORKSPACE/")
	if d == "" || strings.ContainsAny(d, "$") {
		return "."
	}
	d = path.Clean(d)
	if b.dir == "." || b.dir == "" {
		return d
	}
	if d == b.dir {
		return "."
	}
	if rest, ok := strings.CutPrefix(d, b.dir+"/"); ok {
		return rest
	}
	return path.Join("..", d) // outside the project: nothing there matches
}

// gitlab adds the calls of .gitlab-ci.yml jobs: script, before_script,
// after_script (also from `default:`).
func (b *builder) gitlab(p string) {
	root := parseYAML(b.read(p))
	if root == nil {
		return
	}
	reserved := map[string]bool{"stages": true, "variables": true, "default": true, "include": true, "workflow": true,
		"image": true, "services": true, "cache": true, "before_script": true, "after_script": true, "pages": false}
	defImage := yamldoc.Scalar(yamldoc.Get(yamldoc.Get(root, "default"), "image")) + yamldoc.Scalar(yamldoc.Get(root, "image"))
	for _, kv := range yamldoc.Pairs(root) {
		if reserved[kv.Key.Value] || yamldoc.Get(kv.Value, "script") == nil && yamldoc.Get(kv.Value, "extends") == nil {
			continue
		}
		job := kv.Value
		image := yamldoc.Scalar(yamldoc.Get(job, "image")) + yamldoc.Scalar(yamldoc.Get(yamldoc.Get(job, "image"), "name"))
		if image == "" {
			image = defImage
		}
		c := Caller{Kind: CallerGitLab, File: p, Name: kv.Key.Value, Line: kv.Key.Line, Flox: strings.Contains(image, "flox/flox")}
		for _, key := range []string{"before_script", "script", "after_script"} {
			for _, line := range yamldoc.Items(yamldoc.Get(job, key)) {
				if line.Kind == scalarKind {
					b.shellStep(c, line.Value, ".", scriptLine(line))
				}
			}
		}
	}
}

// circleci adds the calls of .circleci/config.yml jobs' run steps.
func (b *builder) circleci(p string) {
	root := parseYAML(b.read(p))
	if root == nil {
		return
	}
	for _, kv := range yamldoc.Pairs(yamldoc.Get(root, "jobs")) {
		c := Caller{Kind: CallerCircleCI, File: p, Name: kv.Key.Value, Line: kv.Key.Line}
		steps := yamldoc.Items(yamldoc.Get(kv.Value, "steps"))
		for _, st := range steps {
			for _, sk := range yamldoc.Pairs(st) {
				if strings.HasPrefix(sk.Key.Value, "flox/") {
					c.Flox = true
				}
			}
		}
		for _, st := range steps {
			run := yamldoc.Get(st, "run")
			if run == nil {
				continue
			}
			if cmd := yamldoc.Get(run, "command"); cmd != nil {
				run = cmd
			}
			if run.Kind == scalarKind {
				dir := b.ciDir(yamldoc.Scalar(yamldoc.Get(yamldoc.Get(st, "run"), "working_directory")))
				b.shellStep(c, run.Value, dir, scriptLine(run))
			}
		}
	}
}

// azure adds the calls of azure-pipelines.yml script and bash steps, in
// jobs, stages or at the top.
func (b *builder) azure(p string) {
	root := parseYAML(b.read(p))
	if root == nil {
		return
	}
	var walk func(n *yamlNode, name string, line int)
	walk = func(n *yamlNode, name string, line int) {
		if j := yamldoc.Scalar(yamldoc.Get(n, "job")); j != "" {
			name, line = j, n.Line
		}
		steps := yamldoc.Items(yamldoc.Get(n, "steps"))
		if len(steps) > 0 {
			c := Caller{Kind: CallerAzure, File: p, Name: name, Line: line}
			for _, st := range steps {
				for _, key := range []string{"script", "bash"} {
					if s := yamldoc.Get(st, key); s != nil && s.Kind == scalarKind {
						c.Flox = c.Flox || strings.Contains(s.Value, "flox activate")
					}
				}
			}
			for _, st := range steps {
				for _, key := range []string{"script", "bash"} {
					if s := yamldoc.Get(st, key); s != nil && s.Kind == scalarKind {
						b.shellStep(c, s.Value, b.ciDir(yamldoc.Scalar(yamldoc.Get(st, "workingDirectory"))), scriptLine(s))
					}
				}
			}
		}
		for _, key := range []string{"jobs", "stages"} {
			for _, it := range yamldoc.Items(yamldoc.Get(n, key)) {
				walk(it, name, line)
			}
		}
	}
	walk(root, "", 1)
}
