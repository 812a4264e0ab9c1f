package detect

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// GitHub Actions workflows (.github/workflows/*.yml, including reusable
// `workflow_call` ones) and composite actions (.github/**/action.yml): one
// CIJob per job with its Python setup, interpreter requests per
// python-version (matrix values resolved), and every `run:` step analysed
// as shell at its exact lines.

type ghReader struct {
	s     *scanner
	f     *textFile
	lines []string
	kind  FileKind
	// env holds workflow-level env values; inputs the defaults of
	// workflow_call or composite action inputs, for ${{ }} resolution.
	env, inputs  map[string]*yaml.Node
	defaultShell string
	root         *yaml.Node
	release      string // why every job is part of a release (ghReleaseWorkflow)
}

func extractGitHubWorkflow(s *scanner, f *textFile) {
	root := parseYAMLFile(s, f)
	if root == nil {
		return
	}
	kind := KindGitHubWorkflow
	if isGitHubAction(f.Path) {
		kind = KindGitHubAction
	}
	w := &ghReader{s: s, f: f, lines: f.Lines(), kind: kind, env: scalarMap(yamlGet(root, "env")),
		defaultShell: yamlScalar(yamlPath(root, "defaults", "run", "shell")), root: root}
	if kind == KindGitHubAction {
		w.inputs = inputDefaults(yamlGet(root, "inputs"))
		runs := yamlGet(root, "runs")
		if yamlScalar(yamlGet(runs, "using")) != "composite" {
			return // a JavaScript or Docker action: no steps of its own
		}
		name := yamlScalar(yamlGet(root, "name"))
		if name == "" {
			name = path.Base(path.Dir(f.Path))
		}
		job := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Value: "steps"}, yamlGet(runs, "steps")}}
		w.job(name, runs.Line, yamlLastLine(runs), job)
		return
	}
	w.inputs = inputDefaults(yamlPath(root, "on", "workflow_call", "inputs"))
	w.release = ghReleaseWorkflow(root, f.Path)
	// A job ends where the next one starts (the last line of a folded
	// scalar is not known from its node), the last one where the next
	// top-level key does.
	end := len(w.lines)
	for _, p := range yamlPairs(root) {
		if p.Key.Value != "jobs" || p.Key.Line < 1 {
			continue
		}
		for _, q := range yamlPairs(root) {
			if q.Key.Line > p.Key.Line && q.Key.Line <= end {
				end = q.Key.Line - 1
			}
		}
	}
	jobs := yamlPairs(yamlGet(root, "jobs"))
	for i, p := range jobs {
		last := end
		if i+1 < len(jobs) {
			last = jobs[i+1].Key.Line - 1
		}
		w.job(p.Key.Value, p.Key.Line, last, p.Value)
	}
}

// scalarMap returns the scalar values of a mapping by key.
func scalarMap(n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, p := range yamlPairs(n) {
		if p.Value != nil && p.Value.Kind == yaml.ScalarNode {
			out[p.Key.Value] = p.Value
		}
	}
	return out
}

// inputDefaults maps input names to their `default:` nodes.
func inputDefaults(n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, p := range yamlPairs(n) {
		if d := yamlGet(p.Value, "default"); d != nil && d.Kind == yaml.ScalarNode {
			out[p.Key.Value] = d
		}
	}
	return out
}

// resolved is a value after ${{ }} substitution, with the line it came
// from (a matrix entry's line for matrix values).
type resolved struct {
	text   string
	line   int
	matrix bool
}

// resolve substitutes the one ${{ matrix.X }}, ${{ inputs.X }} or
// ${{ env.X }} expression of a value; nil when it cannot be resolved.
func (w *ghReader) resolve(n *yaml.Node, matrix map[string][]*yaml.Node, env map[string]*yaml.Node) []resolved {
	v := n.Value
	open := strings.Index(v, "${{")
	if open < 0 {
		return []resolved{{v, n.Line, false}}
	}
	end := strings.Index(v[open:], "}}")
	if end < 0 || strings.Contains(v[open+end+2:], "${{") {
		return nil
	}
	end += open
	expr := strings.TrimSpace(v[open+3 : end])
	prefix, suffix := v[:open], v[end+2:]
	ref, name, ok := strings.Cut(expr, ".")
	if !ok {
		return nil
	}
	if ref == "github" && strings.HasPrefix(name, "event.inputs.") {
		ref, name = "inputs", strings.TrimPrefix(name, "event.inputs.")
	}
	var out []resolved
	switch ref {
	case "matrix":
		// A matrix key with one value is a single version, not a matrix.
		for _, m := range matrix[name] {
			out = append(out, resolved{prefix + m.Value + suffix, m.Line, len(matrix[name]) > 1})
		}
	case "inputs":
		if d := w.inputs[name]; d != nil {
			out = append(out, resolved{prefix + d.Value + suffix, d.Line, false})
		}
	case "env":
		if d := env[name]; d != nil && !strings.Contains(d.Value, "${{") {
			out = append(out, resolved{prefix + d.Value + suffix, d.Line, false})
		}
	}
	return out
}

// multiValued reports a matrix with a key of several values: one value
// per key is a single combination, not a matrix.
func multiValued(matrix map[string][]*yaml.Node) bool {
	for _, vals := range matrix {
		if len(vals) > 1 {
			return true
		}
	}
	return false
}

// ghMatrix reads strategy.matrix: each key's values, with include entries.
func ghMatrix(n *yaml.Node) map[string][]*yaml.Node {
	out := map[string][]*yaml.Node{}
	add := func(key string, v *yaml.Node) {
		if v == nil || v.Kind != yaml.ScalarNode || strings.Contains(v.Value, "${{") {
			return
		}
		for _, old := range out[key] {
			if old.Value == v.Value {
				return
			}
		}
		out[key] = append(out[key], v)
	}
	for _, p := range yamlPairs(n) {
		switch p.Key.Value {
		case "exclude":
		case "include":
			for _, entry := range yamlItems(p.Value) {
				for _, q := range yamlPairs(entry) {
					add(q.Key.Value, q.Value)
				}
			}
		default:
			for _, v := range yamlItems(p.Value) {
				add(p.Key.Value, v)
			}
		}
	}
	return out
}

// ghJob reads one job (or a composite action's steps).
func (w *ghReader) job(name string, line, last int, job *yaml.Node) {
	ci := CIJob{System: w.kind, Name: name, Evidence: w.f.Ev(line), EndLine: max(line, last, yamlLastLine(job))}
	if w.kind == KindGitHubWorkflow {
		h := ghJobHint(w.root, job, w.release)
		h.name = name
		w.s.hintJob(ci.Evidence, h)
	}
	matrixNode := yamlPath(job, "strategy", "matrix")
	matrix := ghMatrix(matrixNode)
	ci.Matrix = multiValued(matrix)
	env := map[string]*yaml.Node{}
	for k, v := range w.env {
		env[k] = v
	}
	for k, v := range scalarMap(yamlGet(job, "env")) {
		env[k] = v
	}
	windowsOnly := false
	for _, os := range w.runsOn(yamlGet(job, "runs-on"), matrix, env) {
		ci.OS = appendUnique(ci.OS, os)
	}
	if len(ci.OS) > 0 {
		windowsOnly = true
		for _, os := range ci.OS {
			windowsOnly = windowsOnly && strings.HasPrefix(strings.ToLower(os), "windows")
		}
	}
	if c := yamlGet(job, "container"); c != nil {
		img := c
		if c.Kind == yaml.MappingNode {
			img = yamlGet(c, "image")
		}
		if img != nil && img.Kind == yaml.ScalarNode {
			for _, r := range w.resolve(img, matrix, env) {
				ci.Image = r.text
				if v, ok := imagePython(r.text); ok {
					w.s.addCIPython(w.kind, v, r.matrix, w.f.Ev(r.line))
					ci.Pythons = appendUnique(ci.Pythons, v)
				}
			}
		}
	}
	if uses := yamlScalar(yamlGet(job, "uses")); uses != "" {
		ci.Actions = append(ci.Actions, uses) // a reusable workflow
	}
	shell := yamlScalar(yamlPath(job, "defaults", "run", "shell"))
	if shell == "" {
		shell = w.defaultShell
	}
	ss := newShellSession(w.s, w.f.Path, w.kind)
	ss.windows = windowsOnly
	for k, v := range env {
		if !strings.Contains(v.Value, "${{") {
			ss.vars[k] = v.Value
		}
	}
	steps := CIJobSteps{Job: name, Evidence: ci.Evidence}
	for _, step := range yamlItems(yamlGet(job, "steps")) {
		if uses := yamlGet(step, "uses"); yamlScalar(uses) != "" {
			ci.Actions = append(ci.Actions, uses.Value)
			w.action(uses, yamlGet(step, "with"), &ci, matrix, env, ss)
		}
		run := yamlGet(step, "run")
		if run == nil || run.Kind != yaml.ScalarNode {
			continue
		}
		w.runPythons(run.Value, &ci, matrix)
		stepShell := yamlScalar(yamlGet(step, "shell"))
		if stepShell == "" {
			stepShell = shell
		}
		if stepShell == "" && windowsOnly {
			stepShell = "pwsh" // the default shell of Windows runners
		}
		for k, v := range scalarMap(yamlGet(step, "env")) {
			if !strings.Contains(v.Value, "${{") {
				ss.vars[k] = v.Value
			}
		}
		if t, ok := w.runStep(ss, run, stepShell, env); ok {
			steps.Steps = append(steps.Steps, CIStep{Name: yamlScalar(yamlGet(step, "name")),
				If: yamlScalar(yamlGet(step, "if")), Source: t.source(w.f.Path)})
		}
	}
	w.s.p.CI = append(w.s.p.CI, ci)
	w.s.p.Setup.CI = append(w.s.p.Setup.CI, steps)
}

// runStep analyses a `run:` value in its shell and returns it when it is
// POSIX shell.
func (w *ghReader) runStep(ss *shellSession, run *yaml.Node, shell string, env map[string]*yaml.Node) (shellText, bool) {
	prog := strings.ToLower(path.Base(strings.Fields(shell + " bash")[0]))
	switch prog {
	case "pwsh", "powershell", "cmd":
		first := run.Line
		if run.Style&yaml.LiteralStyle != 0 {
			first++
		}
		ss.analyzeWindows(run.Value, first)
	case "python", "python3", "node", "perl", "ruby", "rscript", "deno", "bun":
		// Not shell: the step's script is a program in that language.
	default:
		return w.posixStep(ss, run, env), true
	}
	return shellText{}, false
}

// posixStep analyses a `run:` value in bash or sh.
func (w *ghReader) posixStep(ss *shellSession, run *yaml.Node, env map[string]*yaml.Node) shellText {
	// ${{ env.X }} and ${{ inputs.X }} read as their values.
	mask := func(src string, ph *placeholders) string {
		return maskTemplatesWith(src, ph, func(expr string) (string, bool) {
			n := &yaml.Node{Kind: yaml.ScalarNode, Value: expr}
			if rs := w.resolve(n, nil, env); len(rs) == 1 {
				return rs[0].text, true
			}
			return "", false
		})
	}
	t := yamlShellText(w.lines, run, &placeholders{}, mask)
	ss.analyze(t)
	return t
}

// runsOn returns the runner labels of a job, matrix values resolved.
func (w *ghReader) runsOn(n *yaml.Node, matrix map[string][]*yaml.Node, env map[string]*yaml.Node) []string {
	var nodes []*yaml.Node
	if n != nil && n.Kind == yaml.MappingNode {
		nodes = yamlItems(yamlGet(n, "labels"))
	} else {
		nodes = yamlItems(n)
	}
	var out []string
	for _, x := range nodes {
		for _, r := range w.resolve(x, matrix, env) {
			out = append(out, r.text)
		}
	}
	return out
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// action reads the inputs of the setup actions venv2flox cares about.
func (w *ghReader) action(uses, with *yaml.Node, ci *CIJob, matrix map[string][]*yaml.Node, env map[string]*yaml.Node, ss *shellSession) {
	name, _, _ := strings.Cut(uses.Value, "@")
	line := uses.Line
	switch strings.ToLower(name) {
	case "actions/setup-python", "astral-sh/setup-uv", "pdm-project/setup-pdm", "conda-incubator/setup-miniconda":
		w.pythonVersions(yamlGet(with, "python-version"), ci, matrix, env)
		if f := yamlScalar(yamlGet(with, "python-version-file")); f != "" {
			ci.PythonVersionFile = f
		}
	}
	switch strings.ToLower(name) {
	case "actions/setup-python":
		if c := yamlScalar(yamlGet(with, "cache")); c != "" {
			ci.Cache = c
		}
	case "astral-sh/setup-uv":
		ss.manager(ManagerUV, "astral-sh/setup-uv", line)
		if yamlTrue(yamlGet(with, "enable-cache")) && ci.Cache == "" {
			ci.Cache = "uv"
		}
		if a := yamlGet(with, "activate-environment"); yamlTrue(a) {
			ss.venv(VenvActivate, ".venv", false, "astral-sh/setup-uv activate-environment: true", a.Line)
		}
	case "snok/install-poetry", "abatilo/actions-poetry":
		ss.manager(ManagerPoetry, name, line)
	case "pdm-project/setup-pdm":
		ss.manager(ManagerPDM, name, line)
	case "conda-incubator/setup-miniconda", "mamba-org/setup-micromamba":
		ss.manager(ManagerConda, name, line)
	}
}

// pythonVersions records a python-version input: a scalar, a literal block
// listing several versions, or a sequence.
func (w *ghReader) pythonVersions(n *yaml.Node, ci *CIJob, matrix map[string][]*yaml.Node, env map[string]*yaml.Node) {
	if n == nil {
		return
	}
	var items []*yaml.Node
	switch {
	case n.Kind == yaml.SequenceNode:
		items = yamlItems(n)
	case n.Kind == yaml.ScalarNode && strings.Contains(strings.TrimSpace(n.Value), "\n"):
		// One version per line of a block.
		first := n.Line
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			first++
		}
		for i, l := range strings.Split(n.Value, "\n") {
			if t := strings.TrimSpace(l); t != "" {
				items = append(items, &yaml.Node{Kind: yaml.ScalarNode, Value: t, Line: first + i})
			}
		}
	case n.Kind == yaml.ScalarNode:
		items = []*yaml.Node{n}
	}
	for _, it := range items {
		for _, r := range w.resolve(it, matrix, env) {
			v := strings.TrimSpace(r.text)
			if v == "" {
				continue
			}
			ci.Pythons = appendUnique(ci.Pythons, v)
			w.s.addCIPython(w.kind, v, r.matrix || len(items) > 1, w.f.Ev(r.line))
		}
	}
}

// matrixPythonRef finds a matrix value a run step hands to a command as its
// Python: `uv run --python ${{ matrix.py }}`, `python${{ matrix.py }} -m
// venv`, a conda spec `python=${{ matrix.py }}`.
var matrixPythonRef = regexp.MustCompile(`(?:--python[= ]+|\bpython=?|UV_PYTHON=)["']?\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}`)

// runPythons records the matrix Pythons a run step tests the project on
// without a setup action: the job runs each of them.
func (w *ghReader) runPythons(run string, ci *CIJob, matrix map[string][]*yaml.Node) {
	for _, m := range matrixPythonRef.FindAllStringSubmatch(run, -1) {
		for _, v := range matrix[m[1]] {
			if slices.Contains(ci.Pythons, v.Value) || !isPythonVersion(v.Value) {
				continue
			}
			ci.Pythons = append(ci.Pythons, v.Value)
			w.s.addCIPython(w.kind, v.Value, len(matrix[m[1]]) > 1, w.f.Ev(v.Line))
		}
	}
}
