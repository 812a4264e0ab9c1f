package detect

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// Azure Pipelines (azure-pipelines.yml, .azure-pipelines/*.yml): jobs at
// the top level, under `jobs:` or under `stages:`; UsePythonVersion@0's
// versionSpec (with `$(python.version)` resolved against the job's
// strategy matrix or variables); script/bash steps as shell (cmd on
// Windows pools), powershell/pwsh steps by their words.

type azureReader struct {
	s     *scanner
	f     *textFile
	lines []string
	vars  map[string]*yaml.Node
	ss    *shellSession
}

func extractAzurePipelines(s *scanner, f *textFile) {
	root := parseYAMLFile(s, f)
	if root == nil {
		return
	}
	a := &azureReader{s: s, f: f, lines: f.Lines(), vars: azureVariables(yamlGet(root, "variables")),
		ss: newShellSession(s, f.Path, KindAzure)}
	for k, v := range a.vars {
		a.ss.vars[k] = v.Value
	}
	if yamlGet(root, "steps") != nil {
		line := 1
		for _, p := range yamlPairs(root) {
			if p.Key.Value == "steps" {
				line = p.Key.Line
			}
		}
		a.job("default", line, root, yamlGet(root, "pool"))
	}
	a.jobs(yamlGet(root, "jobs"), yamlGet(root, "pool"))
	for _, st := range yamlItems(yamlGet(root, "stages")) {
		pool := yamlGet(st, "pool")
		if pool == nil {
			pool = yamlGet(root, "pool")
		}
		a.jobs(yamlGet(st, "jobs"), pool)
	}
}

// azureVariables reads `variables:` as a mapping or a list of
// {name, value} entries (groups and templates are skipped).
func azureVariables(n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n != nil && n.Kind == yaml.SequenceNode {
		for _, item := range yamlItems(n) {
			name, value := yamlScalar(yamlGet(item, "name")), yamlGet(item, "value")
			if name != "" && value != nil && value.Kind == yaml.ScalarNode {
				out[name] = value
			}
		}
		return out
	}
	return scalarMap(n)
}

func (a *azureReader) jobs(n, pool *yaml.Node) {
	for _, j := range yamlItems(n) {
		name := yamlGet(j, "job")
		if name == nil {
			name = yamlGet(j, "deployment")
		}
		if name == nil || name.Kind != yaml.ScalarNode {
			continue
		}
		p := yamlGet(j, "pool")
		if p == nil {
			p = pool
		}
		a.job(name.Value, name.Line, j, p)
	}
}

// azureMatrix reads strategy.matrix: entry name -> {variable: value}.
func azureMatrix(n *yaml.Node) map[string][]*yaml.Node {
	out := map[string][]*yaml.Node{}
	for _, entry := range yamlPairs(n) {
		for _, p := range yamlPairs(entry.Value) {
			if p.Value != nil && p.Value.Kind == yaml.ScalarNode {
				out[p.Key.Value] = append(out[p.Key.Value], p.Value)
			}
		}
	}
	return out
}

// resolve substitutes one `$(name)` macro from the matrix (one result per
// entry) or the variables.
func (a *azureReader) resolve(n *yaml.Node, matrix map[string][]*yaml.Node, vars map[string]*yaml.Node) []resolved {
	v := n.Value
	open := strings.Index(v, "$(")
	if open < 0 {
		return []resolved{{v, n.Line, false}}
	}
	end := strings.IndexByte(v[open:], ')')
	if end < 0 {
		return nil
	}
	end += open
	name := strings.TrimSpace(v[open+2 : end])
	prefix, suffix := v[:open], v[end+1:]
	if vals := matrix[name]; len(vals) > 0 {
		var out []resolved
		for _, m := range vals {
			out = append(out, resolved{prefix + m.Value + suffix, m.Line, true})
		}
		return out
	}
	if d := vars[name]; d != nil {
		return []resolved{{prefix + d.Value + suffix, d.Line, false}}
	}
	return nil
}

func (a *azureReader) job(name string, line int, job, pool *yaml.Node) {
	matrix := azureMatrix(yamlPath(job, "strategy", "matrix"))
	vars := map[string]*yaml.Node{}
	for k, v := range a.vars {
		vars[k] = v
	}
	for k, v := range azureVariables(yamlGet(job, "variables")) {
		vars[k] = v
	}
	ci := CIJob{System: KindAzure, Name: name, Evidence: a.f.Ev(line), Matrix: len(matrix) > 0, EndLine: max(line, yamlLastLine(job))}
	if img := yamlGet(pool, "vmImage"); img != nil && img.Kind == yaml.ScalarNode {
		for _, r := range a.resolve(img, matrix, vars) {
			ci.OS = appendUnique(ci.OS, r.text)
		}
	} else if s := yamlScalar(pool); s != "" {
		ci.OS = append(ci.OS, s)
	}
	windows := len(ci.OS) > 0
	for _, os := range ci.OS {
		windows = windows && strings.HasPrefix(strings.ToLower(os), "windows")
	}
	if c := yamlGet(job, "container"); c != nil {
		img := c
		if c.Kind == yaml.MappingNode {
			img = yamlGet(c, "image")
		}
		if img != nil && img.Kind == yaml.ScalarNode {
			for _, r := range a.resolve(img, matrix, vars) {
				ci.Image = r.text
				if v, ok := imagePython(r.text); ok {
					ci.Pythons = appendUnique(ci.Pythons, v)
					a.s.addCIPython(KindAzure, v, r.matrix, a.f.Ev(r.line))
				}
			}
		}
	}
	for _, step := range yamlItems(yamlGet(job, "steps")) {
		a.step(step, &ci, matrix, vars, windows)
	}
	a.s.p.CI = append(a.s.p.CI, ci)
}

func (a *azureReader) step(step *yaml.Node, ci *CIJob, matrix map[string][]*yaml.Node, vars map[string]*yaml.Node, windows bool) {
	if task := yamlScalar(yamlGet(step, "task")); task != "" {
		ci.Actions = append(ci.Actions, task)
		if strings.HasPrefix(task, "UsePythonVersion@") {
			if spec := yamlPath(step, "inputs", "versionSpec"); spec != nil && spec.Kind == yaml.ScalarNode {
				for _, r := range a.resolve(spec, matrix, vars) {
					ci.Pythons = appendUnique(ci.Pythons, r.text)
					a.s.addCIPython(KindAzure, r.text, r.matrix, a.f.Ev(r.line))
				}
			}
		}
		return
	}
	for _, key := range []string{"script", "bash", "powershell", "pwsh"} {
		n := yamlGet(step, key)
		if n == nil || n.Kind != yaml.ScalarNode {
			continue
		}
		if key == "powershell" || key == "pwsh" || key == "script" && windows {
			first := n.Line
			if n.Style&yaml.LiteralStyle != 0 {
				first++
			}
			a.ss.analyzeWindows(n.Value, first)
			continue
		}
		mask := func(src string, ph *placeholders) string {
			return maskAzureMacros(maskTemplates(src, ph), ph, matrix, vars)
		}
		a.ss.analyze(yamlShellText(a.lines, n, &placeholders{}, mask))
	}
}

// maskAzureMacros replaces `$(name)` macros with same-length placeholders:
// names with a dot (Build.SourcesDirectory, python.version) and defined
// variables. Other `$(...)` are shell command substitutions.
func maskAzureMacros(src string, ph *placeholders, matrix map[string][]*yaml.Node, vars map[string]*yaml.Node) string {
	var b strings.Builder
	for {
		i := strings.Index(src, "$(")
		if i < 0 {
			break
		}
		j := strings.IndexByte(src[i:], ')')
		if j < 0 {
			break
		}
		name := src[i+2 : i+j]
		_, isVar := vars[name]
		_, isMatrix := matrix[name]
		b.WriteString(src[:i])
		if isAzureMacroName(name) && (strings.Contains(name, ".") || isVar || isMatrix) {
			orig := src[i : i+j+1]
			if v := vars[name]; v != nil && !isMatrix {
				b.WriteString(ph.putValue(orig, v.Value))
			} else {
				b.WriteString(ph.put(orig))
			}
		} else {
			b.WriteString(src[i : i+2])
			src = src[i+2:]
			continue
		}
		src = src[i+j+1:]
	}
	b.WriteString(src)
	return b.String()
}

func isAzureMacroName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '.' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
