package detect

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// CircleCI (.circleci/config.yml): per job the primary docker image
// (cimg/python:3.11, circleci/python:3.8, an executor's, or the python
// orb's executor tag), `run:` steps (a string or {command:}) as shell, orb
// steps such as python/install-packages, and workflow matrices of
// parameters (`python-version: ["3.10", "3.11"]`).

type circleReader struct {
	s     *scanner
	f     *textFile
	lines []string
	root  *yaml.Node
	orbs  map[string]string // alias -> orb ("python" -> "circleci/python@2.1")
	ss    *shellSession
}

// circleMasks are CircleCI's `<< parameters.x >>` template expressions.
var circleMasks = [][2]string{{"<< parameters.", ">>"}, {"<<parameters.", ">>"}, {"<< pipeline.", ">>"}, {"<<pipeline.", ">>"}}

func maskCircle(s string, ph *placeholders) string { return maskTemplates(s, ph, circleMasks...) }

func extractCircleCI(s *scanner, f *textFile) {
	root := parseYAMLFile(s, f)
	if root == nil {
		return
	}
	c := &circleReader{s: s, f: f, lines: f.Lines(), root: root, orbs: map[string]string{},
		ss: newShellSession(s, f.Path, KindCircleCI)}
	for _, p := range yamlPairs(yamlGet(root, "orbs")) {
		c.orbs[p.Key.Value] = yamlScalar(p.Value)
	}
	matrices := c.workflowMatrices()
	for _, p := range yamlPairs(yamlGet(root, "jobs")) {
		c.job(p.Key.Value, p.Key.Line, p.Value, matrices[p.Key.Value])
	}
	for _, p := range yamlPairs(yamlGet(root, "commands")) {
		// Reusable commands: their run steps are shell too.
		c.steps(yamlGet(p.Value, "steps"), nil, nil)
	}
}

// workflowMatrices collects, per job, the values of each matrix parameter
// used by the workflows.
func (c *circleReader) workflowMatrices() map[string]map[string][]*yaml.Node {
	out := map[string]map[string][]*yaml.Node{}
	for _, wf := range yamlPairs(yamlGet(c.root, "workflows")) {
		for _, entry := range yamlItems(yamlGet(wf.Value, "jobs")) {
			for _, p := range yamlPairs(entry) {
				params := yamlPath(p.Value, "matrix", "parameters")
				if params == nil {
					continue
				}
				if out[p.Key.Value] == nil {
					out[p.Key.Value] = map[string][]*yaml.Node{}
				}
				for _, q := range yamlPairs(params) {
					out[p.Key.Value][q.Key.Value] = append(out[p.Key.Value][q.Key.Value], yamlItems(q.Value)...)
				}
			}
		}
	}
	return out
}

func (c *circleReader) job(name string, line int, job *yaml.Node, matrix map[string][]*yaml.Node) {
	ci := CIJob{System: KindCircleCI, Name: name, Evidence: c.f.Ev(line), Matrix: multiValued(matrix), EndLine: max(line, yamlLastLine(job))}
	defaults := map[string]*yaml.Node{}
	for _, p := range yamlPairs(yamlGet(job, "parameters")) {
		if d := yamlGet(p.Value, "default"); d != nil && d.Kind == yaml.ScalarNode {
			defaults[p.Key.Value] = d
		}
	}
	docker := yamlGet(job, "docker")
	exec := yamlGet(job, "executor")
	if docker == nil && exec != nil {
		execName := yamlScalar(exec)
		if exec.Kind == yaml.MappingNode {
			execName = yamlScalar(yamlGet(exec, "name"))
		}
		docker = yamlPath(c.root, "executors", execName, "docker")
		if docker == nil && strings.HasPrefix(execName, "python/") {
			// The python orb's executors are cimg/python:<tag>.
			if tag := yamlGet(exec, "tag"); tag != nil && tag.Kind == yaml.ScalarNode {
				for _, r := range circleResolve(tag, matrix, defaults) {
					c.image(&ci, "cimg/python:"+r.text, "cimg/python:"+tag.Value, r)
				}
			}
		}
	}
	if items := yamlItems(docker); len(items) > 0 {
		// The first image is where steps run; the others are services.
		if img := yamlGet(items[0], "image"); img != nil && img.Kind == yaml.ScalarNode {
			for _, r := range circleResolve(img, matrix, defaults) {
				c.image(&ci, r.text, img.Value, r)
			}
		}
	}
	if m := yamlGet(job, "machine"); m != nil {
		ci.OS = append(ci.OS, "machine")
	}
	if yamlGet(job, "macos") != nil {
		ci.OS = append(ci.OS, "macos")
	}
	c.steps(yamlGet(job, "steps"), &ci, defaults)
	c.s.p.CI = append(c.s.p.CI, ci)
}

// image records a job's image; written is the image as written, kept
// for matrix jobs (cimg/python:<< parameters.python-version >>).
func (c *circleReader) image(ci *CIJob, img, written string, r resolved) {
	switch {
	case r.matrix:
		ci.Image = written
	case ci.Image == "":
		ci.Image = img
	}
	if v, ok := imagePython(img); ok {
		ci.Pythons = appendUnique(ci.Pythons, v)
		c.s.addCIPython(KindCircleCI, v, r.matrix, c.f.Ev(r.line))
	}
}

// circleResolve substitutes one `<< parameters.x >>` from the workflow
// matrix (one result per value) or the parameter's default.
func circleResolve(n *yaml.Node, matrix map[string][]*yaml.Node, defaults map[string]*yaml.Node) []resolved {
	v := n.Value
	open := strings.Index(v, "<<")
	if open < 0 {
		return []resolved{{v, n.Line, false}}
	}
	end := strings.Index(v[open:], ">>")
	if end < 0 {
		return nil
	}
	end += open
	expr := strings.TrimSpace(v[open+2 : end])
	name, ok := strings.CutPrefix(expr, "parameters.")
	if !ok {
		return nil
	}
	prefix, suffix := v[:open], v[end+2:]
	if vals := matrix[name]; len(vals) > 0 {
		var out []resolved
		for _, m := range vals {
			out = append(out, resolved{prefix + m.Value + suffix, m.Line, len(vals) > 1})
		}
		return out
	}
	if d := defaults[name]; d != nil {
		return []resolved{{prefix + d.Value + suffix, d.Line, false}}
	}
	return nil
}

// steps reads a job's steps: run steps as shell, orb steps as actions.
func (c *circleReader) steps(n *yaml.Node, ci *CIJob, defaults map[string]*yaml.Node) {
	for _, step := range yamlItems(n) {
		if step.Kind == yaml.ScalarNode {
			continue // checkout, setup_remote_docker
		}
		for _, p := range yamlPairs(step) {
			switch key := p.Key.Value; {
			case key == "run":
				cmd := p.Value
				if cmd != nil && cmd.Kind == yaml.MappingNode {
					cmd = yamlGet(cmd, "command")
				}
				if cmd != nil && cmd.Kind == yaml.ScalarNode {
					c.ss.analyze(yamlShellText(c.lines, cmd, &placeholders{}, maskCircle))
				}
			case strings.Contains(key, "/"):
				alias, _, _ := strings.Cut(key, "/")
				if ci != nil {
					name := key
					if orb := c.orbs[alias]; orb != "" {
						name = orb + " " + strings.TrimPrefix(key, alias+"/")
					}
					ci.Actions = append(ci.Actions, name)
				}
				if m := yamlScalar(yamlGet(p.Value, "pkg-manager")); m != "" {
					switch m {
					case "pip", "pip-dist":
						c.ss.manager(ManagerPip, key, p.Key.Line)
					case "poetry", "pipenv", "uv", "pdm":
						c.ss.manager(Manager(m), key, p.Key.Line)
					}
				}
			}
		}
	}
}
