package detect

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/venv2flox/venv2flox/internal/yamldoc"
)

// GitLab CI (.gitlab-ci.yml and files under .gitlab/ci/): the image of
// each job (its own, an extended template's, `default:` or the top-level
// one) is an interpreter request; before_script, script and after_script
// are shell; cache paths and variables are kept.

// gitlabKeywords are top-level keys that are not jobs.
var gitlabKeywords = wordSet("image", "services", "before_script", "after_script", "variables", "cache",
	"stages", "include", "workflow", "default", "spec", "pages:deploy")

type gitlabReader struct {
	s     *scanner
	f     *textFile
	lines []string
	root  *yaml.Node
	ss    *shellSession
	vars  map[string]string
	// done holds script nodes already analysed: anchors and merges share
	// one node between several jobs, and its facts are recorded once.
	done map[*yaml.Node]bool
}

func extractGitLabCI(s *scanner, f *textFile) {
	root := parseYAMLFile(s, f)
	if root == nil {
		return
	}
	g := &gitlabReader{s: s, f: f, lines: f.Lines(), root: root, ss: newShellSession(s, f.Path, KindGitLabCI),
		vars: map[string]string{}, done: map[*yaml.Node]bool{}}
	g.variables(yamlGet(root, "variables"))
	def := yamlGet(root, "default")
	// Top-level image and default image: requests where they are written.
	for _, n := range []*yaml.Node{yamlGet(root, "image"), yamlGet(def, "image")} {
		g.imageRequests(n, nil)
	}
	for _, key := range []string{"before_script", "after_script"} {
		g.scripts(yamlGet(root, key))
		g.scripts(yamlGet(def, key))
	}
	for _, p := range yamlPairs(root) {
		name := p.Key.Value
		if gitlabKeywords[name] || p.Value == nil || p.Value.Kind != yaml.MappingNode {
			continue
		}
		g.job(name, p.Key.Line, p.Value, def)
	}
}

// variables adds `variables:` values (plain or {value: ...}) to the shell
// session, so that `$VENV_DIR/bin/activate` names its venv.
func (g *gitlabReader) variables(n *yaml.Node) {
	for _, p := range yamlPairs(n) {
		v := p.Value
		if v != nil && v.Kind == yaml.MappingNode {
			v = yamlGet(v, "value")
		}
		if val := yamlScalar(v); val != "" || (v != nil && v.Kind == yaml.ScalarNode) {
			g.vars[p.Key.Value] = val
			g.ss.vars[p.Key.Value] = val
		}
	}
}

// maxExtendsDepth bounds `extends:` chains.
const maxExtendsDepth = 10

// inherited returns key from the job or the templates it extends.
func (g *gitlabReader) inherited(job *yaml.Node, key string, depth int) *yaml.Node {
	if v := yamlGet(job, key); v != nil || depth >= maxExtendsDepth {
		return v
	}
	for _, parent := range yamlItems(yamlGet(job, "extends")) {
		if v := g.inherited(yamlGet(g.root, parent.Value), key, depth+1); v != nil {
			return v
		}
	}
	return nil
}

func (g *gitlabReader) job(name string, line int, job, def *yaml.Node) {
	g.variables(yamlGet(job, "variables"))
	matrix := gitlabMatrix(yamlPath(job, "parallel", "matrix"))
	hidden := strings.HasPrefix(name, ".")
	for _, key := range []string{"before_script", "script", "after_script"} {
		g.scripts(yamlGet(job, key))
	}
	own := yamlGet(job, "image")
	if own != nil {
		g.imageRequests(own, matrix)
	} else if inh := g.inherited(job, "image", 0); inh != nil && len(matrix) > 0 && !hidden {
		// A template's `python:$PYTHON_VERSION` takes this job's matrix values.
		if n := gitlabImageNode(inh); n != nil && strings.Contains(n.Value, "$") {
			g.imageRequests(inh, matrix)
		}
	}
	if hidden {
		return // a template: its facts are read, it is not a job
	}
	ci := CIJob{System: KindGitLabCI, Name: name, Evidence: g.f.Ev(line), Matrix: multiValued(matrix), EndLine: max(line, yamlLastLine(job))}
	g.s.hintJob(ci.Evidence, gitlabJobHint(job))
	img := g.inherited(job, "image", 0)
	if img == nil {
		img = yamlGet(def, "image")
	}
	if img == nil {
		img = yamlGet(g.root, "image")
	}
	if imgNode := gitlabImageNode(img); imgNode != nil {
		ci.Image = imgNode.Value
		for _, r := range g.expand(imgNode, matrix) {
			if v, ok := imagePython(r.text); ok {
				ci.Pythons = appendUnique(ci.Pythons, v)
			}
		}
	}
	cache := g.inherited(job, "cache", 0)
	if cache == nil {
		cache = yamlGet(def, "cache")
	}
	if cache == nil {
		cache = yamlGet(g.root, "cache")
	}
	ci.Cache = gitlabCachePaths(cache)
	g.s.p.CI = append(g.s.p.CI, ci)
}

// gitlabImageNode returns the scalar naming an image: `image: x` or
// `image: {name: x}`.
func gitlabImageNode(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.MappingNode {
		n = yamlGet(n, "name")
	}
	if n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
		return nil
	}
	return n
}

// imageRequests records the interpreter request of an image, once per
// value it takes (parallel:matrix values make several).
func (g *gitlabReader) imageRequests(n *yaml.Node, matrix map[string][]*yaml.Node) {
	img := gitlabImageNode(n)
	if img == nil {
		return
	}
	for _, r := range g.expand(img, matrix) {
		if v, ok := imagePython(r.text); ok {
			g.s.addCIPython(KindGitLabCI, v, r.matrix, g.f.Ev(r.line))
		}
	}
}

// expand substitutes one $VAR or ${VAR} of a value from the job's
// parallel:matrix (one result per value) or the variables.
func (g *gitlabReader) expand(n *yaml.Node, matrix map[string][]*yaml.Node) []resolved {
	v := n.Value
	i := strings.IndexByte(v, '$')
	if i < 0 {
		return []resolved{{v, n.Line, false}}
	}
	j := i + 1
	braced := j < len(v) && v[j] == '{'
	if braced {
		j++
	}
	k := j
	for k < len(v) && (v[k] == '_' || v[k] >= 'A' && v[k] <= 'Z' || v[k] >= 'a' && v[k] <= 'z' || v[k] >= '0' && v[k] <= '9') {
		k++
	}
	name := v[j:k]
	end := k
	if braced {
		if k >= len(v) || v[k] != '}' {
			return nil
		}
		end++
	}
	if name == "" {
		return nil
	}
	if vals, ok := matrix[name]; ok {
		var out []resolved
		for _, m := range vals {
			out = append(out, resolved{v[:i] + m.Value + v[end:], m.Line, len(vals) > 1})
		}
		return out
	}
	if val, ok := g.vars[name]; ok {
		return []resolved{{v[:i] + val + v[end:], n.Line, false}}
	}
	return nil
}

// gitlabMatrix reads parallel:matrix, a list of mappings from variable
// names to one value or a list of values.
func gitlabMatrix(n *yaml.Node) map[string][]*yaml.Node {
	out := map[string][]*yaml.Node{}
	for _, entry := range yamlItems(n) {
		for _, p := range yamlPairs(entry) {
			out[p.Key.Value] = append(out[p.Key.Value], yamlItems(p.Value)...)
		}
	}
	return out
}

// gitlabCachePaths joins the paths of a cache (or a list of caches).
func gitlabCachePaths(n *yaml.Node) string {
	var paths []string
	caches := []*yaml.Node{n}
	if n != nil && n.Kind == yaml.SequenceNode {
		caches = yamlItems(n)
	}
	for _, c := range caches {
		for _, p := range yamlItems(yamlGet(c, "paths")) {
			paths = appendUnique(paths, p.Value)
		}
	}
	return strings.Join(paths, ",")
}

// scripts analyses a script list: strings, nested lists (GitLab flattens
// one level), or a single string. `!reference` tags point elsewhere and
// are skipped.
func (g *gitlabReader) scripts(n *yaml.Node) { g.scriptsDepth(n, 0) }

func (g *gitlabReader) scriptsDepth(n *yaml.Node, depth int) {
	n = resolveAlias(n)
	if n == nil || n.Tag == "!reference" || depth > yamldoc.MaxAliasDepth || g.done[n] {
		return
	}
	g.done[n] = true
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag != "!!null" {
			g.ss.analyze(yamlShellText(g.lines, n, &placeholders{}, nil))
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			item = resolveAlias(item)
			if item.Kind == yaml.SequenceNode && item.Tag != "!reference" {
				for _, sub := range item.Content {
					g.scriptsDepth(sub, depth+1)
				}
				continue
			}
			if item.Kind == yaml.ScalarNode {
				g.scriptsDepth(item, depth+1)
			}
		}
	}
}
