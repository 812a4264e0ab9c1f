package rewrite

// GitHub Actions workflows and composite actions: the steps that set up
// Python and a venv give way to flox/install-flox-action, and the job's
// run steps execute inside the Flox environment through a custom shell
// (`flox activate -- bash ... {0}`), which keeps each script as it was,
// single quotes included (flox/activate-action's `command:` cannot carry them).

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/venv2flox/venv2flox/internal/yamldoc"
)

const ghInstallFlox = "flox/install-flox-action@v2"

// ghSetupActions are actions whose only job is a Python toolchain or venv
// that the Flox environment now provides.
var ghSetupActions = []string{
	"actions/setup-python",
	"astral-sh/setup-uv",
	"snok/install-poetry",
	"pdm-project/setup-pdm",
	"abatilo/actions-poetry",
}

// GitHubWorkflow rewrites a workflow (.github/workflows/*.yml) or a
// composite action (action.yml).
func GitHubWorkflow(ctx *Context, path string, src []byte) (Result, error) {
	res := Result{New: src}
	d, err := yeParse(src)
	if err != nil {
		return res, nil
	}
	g := &ghRewrite{ciYAMLRewrite{ctx: ctx, path: path, d: d}}
	if _, runs := yeGet(d.root, "runs"); runs != nil {
		if strings.EqualFold(yeString(runs, "using"), "composite") {
			_, steps := yeGet(runs, "steps")
			g.steps("composite action", nil, runs, steps, true)
			if ctx.FloxActions != nil && !slices.Contains(ctx.FloxActions, path) && len(g.edits) > 0 {
				// The jobs that use it stay outside Flox, or it is published
				// for workflows elsewhere: it keeps setting up Python.
				return Result{New: src, FollowUps: []FollowUp{dcFollowUp(path, runs.Line,
					"composite action: left as it is: "+keptActionReason(ctx.ActionUsers[path]),
					"nothing to do: the jobs that use it keep their Python setup; move it to Flox together with each of them")}}, nil
			}
		}
	} else if _, jobs := yeGet(d.root, "jobs"); jobs != nil && jobs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(jobs.Content); i += 2 {
			if !ctx.leaves(path, jobs.Content[i].Line) {
				g.job(jobs.Content[i], jobs.Content[i+1])
			}
		}
	}
	return dcFinishYAML(ctx, path, src, g.edits, g.followUps, "run the job's commands in the Flox environment")
}

// keptActionReason says why a composite action stays: the callers that
// cannot move to Flox with it, or none in this repository.
func keptActionReason(users []string) string {
	switch len(users) {
	case 0:
		return "no job of this repository moves to Flox with it (it may serve workflows elsewhere)"
	case 1:
		return users[0] + " uses it and stays as it is"
	}
	return strings.Join(users[:len(users)-1], ", ") + " and " + users[len(users)-1] + " use it and stay as they are"
}

// dcFinishYAML applies a YAML rewriter's edits, checks that the result still
// parses, and turns the edits into a follow-up under --keep-venv (a CI job
// cannot run both setups at once).
func dcFinishYAML(ctx *Context, path string, src []byte, edits []Edit, fus []FollowUp, what string) (Result, error) {
	res := Result{New: src, FollowUps: fus}
	if len(edits) == 0 {
		return res, nil
	}
	if ctx.KeepVenv {
		res.FollowUps = append(res.FollowUps, dcFollowUp(path, 0,
			"kept the venv setup (--keep-venv)", "when the team moves over, "+what))
		return res, nil
	}
	out, err := applyEdits(src, dcOrderEdits(edits))
	if err != nil {
		return res, err
	}
	if _, err := yamldoc.Parse(out); err != nil {
		// A layout the edits did not foresee: keep the file as it was.
		res.FollowUps = append(res.FollowUps, dcFollowUp(path, 0,
			"venv2flox could not rewrite this file without breaking its YAML ("+err.Error()+")", what+" by hand"))
		return res, nil
	}
	res.New = out
	return res, nil
}

// ciYAMLRewrite is what the CI config rewriters (GitHub Actions, GitLab CI,
// CircleCI) collect while they walk a parsed file, for dcFinishYAML.
type ciYAMLRewrite struct {
	ctx       *Context
	path      string
	d         *yeDoc
	edits     []Edit
	followUps []FollowUp
}

// follow adds a follow-up at n's line (the whole file when n is nil).
func (r *ciYAMLRewrite) follow(n *yaml.Node, msg, suggestion string) {
	line := 0
	if n != nil {
		line = n.Line
	}
	r.followAt(line, msg, suggestion)
}

// followAt adds a follow-up at a file line. A note about one job ("job
// test: runs in a container") names the job as its subject, so that the
// report can say once what it says of several jobs.
func (r *ciYAMLRewrite) followAt(line int, msg, suggestion string) {
	f := dcFollowUp(r.path, line, msg, suggestion)
	if subject, topic, ok := strings.Cut(msg, ": "); ok && (strings.HasPrefix(subject, "job ") || subject == "composite action") {
		f.Subject, f.Topic = subject, topic
	}
	r.followUps = append(r.followUps, f)
}

// runLine is the file line of a line of a step's run script (1-based).
func (g *ghRewrite) runLine(s *ghStep, line int) int {
	if s.mapped == nil || line < 1 || line > len(s.mapped.lines) {
		return s.run.Line
	}
	return dcLineOf(g.d.starts, s.mapped.lines[line-1].fileStart) + 1
}

type ghRewrite struct{ ciYAMLRewrite }

// ghAction returns a `uses:` reference without its version.
func ghAction(uses string) string {
	name, _, _ := strings.Cut(uses, "@")
	return strings.ToLower(name)
}

// job rewrites one workflow job.
func (g *ghRewrite) job(key, job *yaml.Node) {
	if job.Kind != yaml.MappingNode || yeString(job, "uses") != "" {
		return
	}
	_, steps := yeGet(job, "steps")
	g.steps("job "+key.Value, key, job, steps, false)
}

// ghStep is one step and what happens to it.
type ghStep struct {
	node    *yaml.Node
	action  string
	run     *yaml.Node
	remove  bool
	plan    *dcSnippetPlan
	mapped  *dcMapped
	shellV  *yaml.Node // the step's `shell:` value
	system  bool       // the run script only installs system packages
	setupPy *yaml.Node // setup-python's `with:` mapping
	// floxAction: the step runs a composite action of the repository that
	// installs Flox (Context.FloxActions).
	floxAction bool
	// keptAction: the step runs a composite action that keeps setting up
	// Python (Context.KeptActions).
	keptAction bool
}

// steps rewrites the steps of a job (owner is the job mapping, key its
// key) or of a composite action (owner is `runs:`).
func (g *ghRewrite) steps(what string, key, owner, steps *yaml.Node, composite bool) {
	if steps == nil || steps.Kind != yaml.SequenceNode {
		return
	}
	var list []*ghStep
	setup, checkout, workdir := false, -1, false
	for i, n := range steps.Content {
		if n.Kind != yaml.MappingNode {
			return
		}
		s := &ghStep{node: n, action: ghAction(yeString(n, "uses"))}
		list = append(list, s)
		_, s.shellV = yeGet(n, "shell")
		if yeString(n, "working-directory") != "" {
			workdir = true
		}
		switch {
		case strings.HasPrefix(s.action, "flox/"):
			return // migrated already
		case s.action == "actions/checkout":
			if checkout < 0 {
				checkout = i
			}
		case slices.Contains(ghSetupActions, s.action):
			s.remove, setup = true, true
			_, s.setupPy = yeGet(n, "with") // python-version inputs of setup-python, setup-uv, setup-pdm
		case strings.HasPrefix(s.action, "./") && g.localAction(s.action, g.ctx.KeptActions):
			// Its Python and venv come from an action that stays: the job
			// stays too, and says so.
			s.keptAction, setup = true, true
		case strings.HasPrefix(s.action, "./") && g.localAction(s.action, g.ctx.FloxActions):
			// A composite action of the repository that now installs Flox
			// sets the job up; its python-version input is what it asked for.
			s.floxAction, setup = true, true
			_, s.setupPy = yeGet(n, "with")
		}
		if _, run := yeGet(n, "run"); run != nil && run.Kind == yaml.ScalarNode {
			s.run = run
			masked, _ := ghMaskExpressions(run.Value)
			if sys := dcSystemCommand(masked); sys.Only {
				s.system = true
				continue
			}
			g.planRun(s)
			if s.plan != nil && s.plan.Setup {
				setup = true
			}
		}
	}
	if !setup {
		return
	}
	reason := g.jobBlocker(owner, list, composite)
	for _, s := range list {
		if s.keptAction && reason == "" {
			reason = "its Python comes from " + s.action + ", which stays as it is"
		}
	}
	if reason == "" {
		var quiet bool
		if reason, quiet = g.meaningBlocker(owner, list, composite); quiet {
			return // it never used the project's venv: nothing to say
		}
	}
	if reason != "" {
		g.follow(owner, what+": left as it is: "+reason,
			"nothing to do: the scripts and Makefile targets it runs keep working without Flox, on the Python the job sets up")
		return
	}
	for i, s := range list {
		if s.remove && keepSetupPython(list, i) {
			s.remove = false // a later action, its outputs or its cache need it
		}
	}
	for _, s := range list {
		if s.plan != nil && s.plan.Blocked {
			for _, is := range s.plan.Refused {
				g.followAt(g.runLine(s, is.Line), what+": venv setup it cannot replace: "+is.Msg, "migrate this job by hand")
			}
			return
		}
	}
	if reason := ghDanglingOutputs(list); reason != "" {
		g.follow(owner, what+": "+reason, "migrate this job by hand")
		return
	}
	if !composite && checkout < 0 {
		// Without the checkout it works on something else (an sdist, an
		// artifact): it never used the project's venv, and nothing it runs
		// changes.
		return
	}
	shell := g.shellString(owner, list, workdir, checkoutPath(list))
	// Steps before the checkout cannot activate the environment.
	first := -1
	for i, s := range list {
		if s.system {
			continue
		}
		if s.remove || s.floxAction || (s.run != nil && (composite || i > checkout)) {
			first = i
			break
		}
		if s.run != nil && !composite && i < checkout {
			g.follow(s.node, what+": a run step before actions/checkout cannot run in the Flox environment",
				"give that step `shell: bash` or move it after the checkout")
			return
		}
	}
	if first >= 0 && !list[first].floxAction && slices.ContainsFunc(list[first:], func(s *ghStep) bool { return s.floxAction }) {
		g.follow(owner, what+": left as it is: a run step comes before the composite action that installs Flox",
			"nothing to do: the scripts and Makefile targets it runs keep working without Flox")
		return
	}
	var edits []Edit
	install := false
	for i, s := range list {
		it, ok := g.d.item(s.node)
		if !ok {
			g.follow(s.node, what+": steps in flow style", "migrate this job by hand")
			return
		}
		installText := it.indent + "- uses: " + g.installFloxStep() + g.d.nl
		gone := s.remove || (s.plan != nil && s.plan.Setup && (!s.plan.Remaining || onlyMoves(s.rewrittenScript())))
		if i == first && s.floxAction {
			install = true // the action installs Flox
		}
		if i == first && !gone && !s.floxAction {
			edits = append(edits, Edit{Start: it.start, End: it.start, Text: installText})
			install = true
		}
		switch {
		case gone:
			text := ""
			if !install {
				text, install = installText, true
			}
			start, end := it.start, it.end // replaced in place
			if text == "" {
				start, end = g.d.removal(s.node, it)
			}
			edits = append(edits, Edit{Start: start, End: end, Text: text})
			continue
		case s.plan != nil && s.plan.Setup && s.mapped != nil:
			fe, ok := s.mapped.toFile(s.plan.Edits)
			if !ok {
				g.follow(s.run, what+": could not place the edits to this run step", "remove its venv setup by hand")
			} else {
				edits = append(edits, fe...)
			}
		}
		if s.system {
			// The runner's package manager, outside the environment.
			if s.shellV == nil && !composite {
				edits = append(edits, g.plainShell(s.node, it))
			}
			continue
		}
		if s.run != nil && s.shellV != nil {
			start, end, ok := g.d.scalarRange(s.shellV)
			if !ok {
				g.follow(s.shellV, what+": unusual `shell:` value", "run this step with "+shell)
				return
			}
			edits = append(edits, Edit{Start: start, End: end, Text: yeQuote(shell)})
		}
	}
	if !composite {
		e, ok := g.defaultsEdit(owner, shell, g.indentStep(key, owner))
		if !ok {
			g.follow(owner, what+": could not set the job's default shell", "set `defaults: run: shell: "+shell+"`")
			return
		}
		edits = append(edits, e)
		if e, ok := g.uvSystemEdit(owner); ok {
			edits = append(edits, e)
		}
	}
	for _, s := range list {
		if s.run != nil && !s.remove && dcRunsToxOrNox(s.run.Value) {
			g.follow(s.run, what+": "+dcToxMessage, dcToxSuggestion)
		}
		if s.plan != nil {
			for _, is := range s.plan.Refused {
				g.followAt(g.runLine(s, is.Line), what+": left a venv command in place: "+is.Msg,
					"remove it once the Flox environment provides the venv")
			}
		}
	}
	if composite && g.ctx.FloxActions == nil {
		g.follow(owner, "steps after this action in the calling jobs no longer get its Python or venv",
			"run those jobs' steps in the Flox environment too: `defaults: run: shell: "+shell+"`")
	}
	g.edits = append(g.edits, edits...)
}

// plainShell gives a step `shell: bash`, so that it runs on the runner as
// before rather than in the job's Flox environment.
func (g *ghRewrite) plainShell(step *yaml.Node, it yeItem) Edit {
	ind := it.indent + "  "
	if off := g.d.offset(step.Content[0]); off >= 0 {
		ind = strings.Repeat(" ", off-g.d.starts[step.Content[0].Line-1])
	}
	text := ind + "shell: bash" + g.d.nl
	if it.end > 0 && g.d.src[it.end-1] != '\n' {
		text = g.d.nl + text
	}
	return Edit{Start: it.end, End: it.end, Text: text}
}

// planRun plans the edits to a step's `run:` script. Expressions
// (`${{ matrix.x }}`) are masked while the shell is read.
func (g *ghRewrite) planRun(s *ghStep) {
	m, ok := g.d.snippet(s.run)
	if !ok {
		// A quoted or folded script: only whole-step removal is possible.
		masked, _ := ghMaskExpressions(s.run.Value)
		p := dcPlanSnippet(g.ctx, masked, "")
		if p.ParseErr == nil && p.Setup && !p.Remaining {
			s.plan = &p
		}
		return
	}
	masked, unmask := ghMaskExpressions(m.text)
	p := dcPlanSnippet(g.ctx, masked, "")
	if p.ParseErr != nil {
		return
	}
	for i := range p.Edits {
		p.Edits[i].Text = unmask(p.Edits[i].Text)
	}
	s.plan, s.mapped = &p, m
}

// ghMatrixReason is why a job that tests several Pythons stays as it is.
const ghMatrixReason = "tests several Python versions; one Flox environment has one interpreter"

// jobBlocker returns why a job that sets up Python cannot move to Flox:
// several interpreters, Windows runners, containers, non-bash shells.
func (g *ghRewrite) jobBlocker(job *yaml.Node, steps []*ghStep, composite bool) string {
	_, strategy := yeGet(job, "strategy")
	_, matrix := yeGet(strategy, "matrix")
	// Several Pythons is the reason that holds on every runner, so it is
	// the one given first.
	for _, s := range steps {
		if s.setupPy != nil && ghPythonVersions(s.setupPy, matrix) > 1 || s.run != nil && ghRunPythonMatrix(s.run.Value, matrix) > 1 {
			return ghMatrixReason
		}
		// A composite action given the matrix's Python.
		if strings.HasPrefix(s.action, "./") && ghPythonVersions(yeValue(s.node, "with"), matrix) > 1 {
			return ghMatrixReason
		}
	}
	if !composite {
		if _, c := yeGet(job, "container"); c != nil {
			return "runs in a container, whose image has its own Python"
		}
		_, runsOn := yeGet(job, "runs-on")
		if ghMentionsWindows(runsOn, nil) {
			return "runs on Windows, where Flox needs WSL2"
		}
		if ghMentionsWindows(runsOn, matrix) {
			return "its matrix runs it on Windows too, where Flox needs WSL2"
		}
		if sh := ghDefaultShell(job); sh != "" && sh != "bash" && sh != "sh" {
			return "its default shell is " + sh
		}
	}
	for _, s := range steps {
		if s.run != nil && s.shellV != nil && s.shellV.Value != "bash" && s.shellV.Value != "sh" {
			return "a step runs with shell " + s.shellV.Value
		}
		if s.run != nil && !s.remove {
			masked, unmask := ghMaskExpressions(s.run.Value)
			if v, ok := dcOtherPython(g.ctx, masked); ok {
				return "runs uv with --python " + unmask(v) + ", which the Flox environment (Python " + g.ctx.Python + ") does not provide"
			}
		}
	}
	return ""
}

// ghDefaultShell returns a job's `defaults.run.shell`.
func ghDefaultShell(job *yaml.Node) string {
	_, def := yeGet(job, "defaults")
	_, run := yeGet(def, "run")
	return yeString(run, "shell")
}

// ghMentionsWindows reports a Windows runner, directly or through the matrix.
func ghMentionsWindows(runsOn, matrix *yaml.Node) bool {
	if runsOn == nil {
		return false
	}
	found := false
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.ScalarNode && strings.Contains(strings.ToLower(n.Value), "windows") {
			found = true
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(runsOn)
	if strings.Contains(runsOn.Value, "matrix.") {
		walk(matrix)
	}
	return found
}

// ghPythonVersions counts the interpreters setup-python installs: several
// lines in python-version, or a matrix variable with several values.
func ghPythonVersions(with, matrix *yaml.Node) int {
	v := yeString(with, "python-version")
	if strings.Contains(strings.TrimSpace(v), "\n") {
		return len(strings.Fields(v))
	}
	i := strings.Index(v, "matrix.")
	if i < 0 {
		return 1
	}
	return ghMatrixCount(strings.TrimSpace(strings.TrimRight(v[i+len("matrix."):], "} ")), matrix)
}

// ghMatrixCount returns how many values a matrix key takes, counting its
// include entries; 2 when the values are an expression.
func ghMatrixCount(key string, matrix *yaml.Node) int {
	n := 0
	if _, vals := yeGet(matrix, key); vals != nil {
		if vals.Kind != yaml.SequenceNode {
			return 2 // an expression: cannot tell, assume several
		}
		n = len(vals.Content)
	}
	if _, inc := yeGet(matrix, "include"); inc != nil {
		for _, e := range inc.Content {
			if _, x := yeGet(e, key); x != nil {
				n++
			}
		}
	}
	return max(n, 1)
}

// ghRunPythonMatrix returns how many Python versions the matrix values a
// run script uses stand for (`uv python install ${{ matrix.python }}`):
// 0 when it uses no matrix key that holds Python versions.
func ghRunPythonMatrix(run string, matrix *yaml.Node) int {
	most := 0
	for rest := run; ; {
		i := strings.Index(rest, "matrix.")
		if i < 0 {
			return most
		}
		rest = rest[i+len("matrix."):]
		end := strings.IndexFunc(rest, func(r rune) bool {
			return !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		})
		if end < 0 {
			end = len(rest)
		}
		if key := rest[:end]; ghPythonKey(key, matrix) {
			most = max(most, ghMatrixCount(key, matrix))
		}
	}
}

// ghPythonKey reports a matrix key that holds Python versions: named so
// ("python", "python-version", "py"), or whose values are all 3.x or pypy.
func ghPythonKey(key string, matrix *yaml.Node) bool {
	low := strings.ToLower(key)
	if strings.Contains(low, "python") || low == "py" || low == "pyver" {
		return true
	}
	_, vals := yeGet(matrix, key)
	if vals == nil || vals.Kind != yaml.SequenceNode || len(vals.Content) == 0 {
		return false
	}
	for _, v := range vals.Content {
		if !strings.HasPrefix(v.Value, "3.") && !strings.HasPrefix(strings.ToLower(v.Value), "pypy") {
			return false
		}
	}
	return true
}

// ghVenvCache reports an actions/cache path list that only holds venvs or
// pip/uv/poetry download caches.
func ghVenvCache(ctx *Context, paths string) bool {
	any := false
	for _, p := range strings.Split(paths, "\n") {
		p = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(p), "./"), "/")
		if p == "" {
			continue
		}
		any = true
		venv := false
		for _, d := range dcVenvDirs(ctx) {
			if p == d {
				venv = true
			}
		}
		switch p {
		case "~/.cache/pip", "~/.cache/pypoetry", "~/.cache/uv", "~/Library/Caches/pip", "~/.local/share/virtualenvs":
			venv = true
		}
		if !venv {
			return false
		}
	}
	return any
}

// shellString is the custom shell that runs a step in the environment:
// GitHub's own bash invocation behind `flox activate --`. With a
// working-directory the environment is named by absolute path.
func (g *ghRewrite) shellString(owner *yaml.Node, steps []*ghStep, workdir bool, checkout string) string {
	for _, o := range []*yaml.Node{owner, g.d.root} {
		_, def := yeGet(o, "defaults")
		_, run := yeGet(def, "run")
		if yeString(run, "working-directory") != "" {
			workdir = true
		}
	}
	// The folder holding .flox: the project's folder in the checkout,
	// which a `path:` input puts below the workspace.
	dir := checkout
	if g.ctx.ProjectDir != "" && g.ctx.ProjectDir != "." {
		dir = path.Join(checkout, g.ctx.ProjectDir)
	}
	act := "flox activate"
	switch {
	case workdir && dir == "":
		act += " -d ${{ github.workspace }}"
	case workdir:
		act += " -d ${{ github.workspace }}/" + dir
	case dir != "":
		act += " -d " + dir
	}
	return act + " -- bash --noprofile --norc -eo pipefail {0}"
}

// uvSystemEdit turns UV_SYSTEM_PYTHON off for a job that now runs in the
// Flox environment while the workflow or the job turns it on: `uv pip`
// with it skips virtual environments (astral-sh/uv crates/uv-cli, the
// --system option) and would install into Flox's read-only Python instead
// of the venv the hook made.
func (g *ghRewrite) uvSystemEdit(job *yaml.Node) (Edit, bool) {
	const name, off = "UV_SYSTEM_PYTHON", `"0"`
	on := func(v *yaml.Node) bool {
		if v == nil || v.Kind != yaml.ScalarNode {
			return false
		}
		switch strings.ToLower(v.Value) {
		case "", "0", "false", "no", "n", "off", "f":
			return false
		}
		return true
	}
	_, jobEnv := yeGet(job, "env")
	_, rootEnv := yeGet(g.d.root, "env")
	if _, v := yeGet(jobEnv, name); v != nil {
		if !on(v) {
			return Edit{}, false
		}
		s, e, ok := g.d.scalarRange(v)
		return Edit{Start: s, End: e, Text: off}, ok
	}
	if _, v := yeGet(rootEnv, name); !on(v) {
		return Edit{}, false
	}
	line := name + ": " + off + "  # uv installs into the Flox environment's venv, not its Python"
	at := func(n *yaml.Node) (int, string, bool) {
		o := g.d.offset(n)
		if o < 0 {
			return 0, "", false
		}
		ls := g.d.starts[n.Line-1]
		ind := string(g.d.src[ls:o])
		return ls, ind, strings.TrimLeft(ind, " ") == ""
	}
	if jobEnv != nil && jobEnv.Kind == yaml.MappingNode && len(jobEnv.Content) > 0 {
		ls, ind, ok := at(jobEnv.Content[0])
		return Edit{Start: ls, End: ls, Text: ind + line + g.d.nl}, ok
	}
	if jobEnv != nil {
		return Edit{}, false // a flow mapping or an expression: left to people
	}
	stepsK, _ := yeGet(job, "steps")
	ls, ind, ok := at(stepsK)
	sp := strings.Repeat(" ", max(g.indentStep(nil, job), 2))
	return Edit{Start: ls, End: ls, Text: ind + "env:" + g.d.nl + ind + sp + line + g.d.nl}, ok
}

// defaultsEdit sets the job's `defaults.run.shell`, adding what is missing.
func (g *ghRewrite) defaultsEdit(job *yaml.Node, shell string, step int) (Edit, bool) {
	defK, def := yeGet(job, "defaults")
	_, run := yeGet(def, "run")
	if _, sh := yeGet(run, "shell"); sh != nil {
		s, e, ok := g.d.scalarRange(sh)
		return Edit{Start: s, End: e, Text: yeQuote(shell)}, ok
	}
	// The job's keys' indentation, and one step of nesting.
	if len(job.Content) == 0 {
		return Edit{}, false
	}
	firstKey := job.Content[0]
	keyOff := g.d.offset(firstKey)
	if keyOff < 0 {
		return Edit{}, false
	}
	col := keyOff - g.d.starts[firstKey.Line-1]
	nl := g.d.nl
	at := func(n *yaml.Node) (int, string, bool) {
		off := g.d.offset(n)
		if off < 0 {
			return 0, "", false
		}
		ls := g.d.starts[n.Line-1]
		if strings.TrimLeft(string(g.d.src[ls:off]), " ") != "" {
			return 0, "", false
		}
		return ls, string(g.d.src[ls:off]), true
	}
	switch {
	case run != nil && run.Kind == yaml.MappingNode && len(run.Content) > 0:
		ls, ind, ok := at(run.Content[0])
		return Edit{Start: ls, End: ls, Text: ind + "shell: " + yeQuote(shell) + nl}, ok
	case def != nil && def.Kind == yaml.MappingNode && len(def.Content) > 0 && run == nil:
		ls, ind, ok := at(def.Content[0])
		return Edit{Start: ls, End: ls, Text: ind + "run:" + nl + ind + strings.Repeat(" ", step) + "shell: " + yeQuote(shell) + nl}, ok
	case defK == nil:
		// Before `steps:` so the defaults read next to what they affect.
		stepsK, _ := yeGet(job, "steps")
		ls, ind, ok := at(stepsK)
		if !ok || len(ind) != col {
			return Edit{}, false
		}
		sp := strings.Repeat(" ", step)
		return Edit{Start: ls, End: ls, Text: ind + "defaults:" + nl + ind + sp + "run:" + nl +
			ind + sp + sp + "shell: " + yeQuote(shell) + nl}, true
	}
	return Edit{}, false
}

// ghDanglingOutputs reports a kept step that reads the outputs of a step
// the rewrite removes (`steps.setup-python.outputs.python-version`).
func ghDanglingOutputs(steps []*ghStep) string {
	var ids []string
	for _, s := range steps {
		if id := yeString(s.node, "id"); id != "" && s.remove {
			ids = append(ids, id)
		}
	}
	for _, s := range steps {
		if s.remove || (s.plan != nil && s.plan.Setup && !s.plan.Remaining) {
			continue
		}
		var found string
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.ScalarNode {
				for _, id := range ids {
					if strings.Contains(n.Value, "steps."+id+".") {
						found = id
					}
				}
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(s.node)
		if found != "" {
			return "a later step reads the outputs of step " + found + ", which sets up Python and would go"
		}
	}
	return ""
}

// ghMaskExpressions replaces each `${{ ... }}` expression of a run script
// by a shell word of the same length, so the script parses as shell and
// offsets stay put; unmask restores the expressions in edited text.
func ghMaskExpressions(script string) (masked string, unmask func(string) string) {
	var b strings.Builder
	var pairs []string
	rest := script
	for {
		i := strings.Index(rest, "${{")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			break
		}
		expr := rest[i : i+j+2]
		ph := fmt.Sprintf("QX%dX", len(pairs)/2)
		if len(ph) > len(expr) || strings.Contains(expr, "\n") {
			b.WriteString(rest[:i+j+2])
			rest = rest[i+j+2:]
			continue
		}
		ph += strings.Repeat("Q", len(expr)-len(ph))
		pairs = append(pairs, ph, expr)
		b.WriteString(rest[:i] + ph)
		rest = rest[i+j+2:]
	}
	b.WriteString(rest)
	r := strings.NewReplacer(pairs...)
	return b.String(), r.Replace
}

// localAction reports a `uses: ./path` naming one of the composite
// actions of the repository in list (paths of their action.yml).
func (g *ghRewrite) localAction(uses string, list []string) bool {
	if g.ctx == nil || len(list) == 0 {
		return false
	}
	dir := path.Clean(strings.TrimPrefix(uses, "./"))
	if p := g.ctx.ProjectDir; p != "" && p != "." {
		rest, ok := strings.CutPrefix(dir, p+"/")
		if !ok {
			return false
		}
		dir = rest
	}
	return slices.Contains(list, path.Join(dir, "action.yml")) || slices.Contains(list, path.Join(dir, "action.yaml"))
}
