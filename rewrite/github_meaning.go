package rewrite

// A converted job must run what it ran before: the same Python, the same
// actions with the Python they need, the same caches, and only when its
// own commands are what uses the venv. Jobs that would change meaning are
// left as they are and reported: the scripts and Makefile targets they
// run keep working without Flox.

import (
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// Flox's GitHub actions at the releases venv2flox writes, for repositories
// that pin every action by commit: flox/install-flox-action v2.5.3 and
// flox/activate-action v1.1.0 (the v2 and v1 tags point at these commits
// in github.com/flox/install-flox-action and github.com/flox/activate-action).
const (
	ghInstallFloxSHA     = "3b80351ae97bbe063f264dc88fbd505507054963"
	ghInstallFloxVersion = "v2.5.3"
)

// ghPythonFreeActions are actions that never run the Python setup-python
// installs; any other `uses:` step after setup-python keeps it.
var ghPythonFreeActions = []string{
	"actions/checkout", "actions/cache", "actions/cache/restore", "actions/cache/save",
	"actions/upload-artifact", "actions/download-artifact", "actions/setup-node", "actions/setup-go",
	"actions/setup-java", "actions/github-script", "actions/upload-pages-artifact", "actions/deploy-pages",
	"actions/configure-pages", "codecov/codecov-action", "coverallsapp/github-action",
	"pypa/gh-action-pypi-publish", "softprops/action-gh-release", "docker/setup-buildx-action",
	"docker/login-action", "docker/build-push-action", "docker/setup-qemu-action",
	"astral-sh/setup-uv", "snok/install-poetry", "pdm-project/setup-pdm", "abatilo/actions-poetry",
}

// meaningBlocker returns why converting a job would change what it runs:
// another Python than the environment's, a Flox nodejs in front of
// setup-node, only tox/nox/pre-commit (they build their own venvs), or no
// command of its own that uses Python. "" when the job can move. quiet is
// set for jobs that never used the project's venv: they are not reported.
func (g *ghRewrite) meaningBlocker(owner *yaml.Node, steps []*ghStep, composite bool) (reason string, quiet bool) {
	for _, s := range steps {
		if s.setupPy == nil {
			continue
		}
		if v, ok := g.setupPythonVersion(owner, s.setupPy); ok && g.ctx.Python != "" && !sameMinor(v, g.ctx.Python) {
			return "runs on Python " + v + " and the Flox environment has " + g.ctx.Python, false
		}
		// A composite action's input is judged with its callers (closure).
		if expr := callerPython(s.setupPy); expr != "" && !composite {
			return "runs on the Python its callers choose (" + expr + "); one Flox environment has one interpreter", false
		}
	}
	if g.providesNode() && slices.ContainsFunc(steps, func(s *ghStep) bool { return s.action == "actions/setup-node" }) {
		return "sets up Node.js with actions/setup-node, and the Flox environment's nodejs would come first on PATH", false
	}
	if g.providesRust() {
		for _, s := range steps {
			if slices.Contains(ghRustToolchainActions, s.action) {
				return "sets up a Rust toolchain with " + s.action + ", and the Flox environment's cargo and rustc would come first on PATH", false
			}
		}
	}
	consumers, toolEnvs := 0, 0
	for _, s := range steps {
		if s.run == nil || s.system || s.remove || s.plan != nil && s.plan.Setup && !s.plan.Remaining {
			continue
		}
		switch ghRunKind(s.rewrittenScript()) {
		case runToolEnv:
			toolEnvs++
		case runPython:
			consumers++
		}
	}
	// A job whose run steps set up no venv of their own never used the
	// project's: it goes unmentioned.
	quiet = !slices.ContainsFunc(steps, func(s *ghStep) bool { return s.plan != nil && s.plan.Setup })
	switch {
	case consumers == 0 && toolEnvs > 0:
		return "only runs tools that build their own environments (tox, nox, pre-commit, uvx)", quiet
	case consumers == 0 && !composite:
		return "none of its run steps uses the Python it sets up", quiet
	}
	for _, s := range steps {
		if why := g.pinnedManager(owner, s); why != "" {
			return why, false
		}
	}
	for _, s := range steps {
		if s.run != nil && !s.remove {
			if m := ghSelfManaged(s.run.Value); m != "" {
				return "changes " + m + "'s own installation (`" + m + " self`), and the Flox environment's " + m + " is read-only", false
			}
		}
	}
	return "", false
}

// ghSelfManaged returns the package manager a script changes the own
// installation of (`pdm self add pdm-packer`, `poetry self add ...`):
// the catalog's copy lives in the read-only Nix store. "" when none.
func ghSelfManaged(script string) string {
	found := ""
	dcEachCall(script, func(args []string) bool {
		name := path.Base(args[0])
		if (name == "pdm" || name == "poetry") && len(args) > 2 && args[1] == "self" &&
			slices.Contains([]string{"add", "remove", "update", "install", "lock", "sync"}, args[2]) {
			found = name
		}
		return found == ""
	})
	return found
}

// ghManagerPins are the inputs of setup actions that pin the package
// manager's own version: Flox's would take its place on PATH.
var ghManagerPins = map[string][]string{
	"astral-sh/setup-uv":     {"version", "version-file"},
	"snok/install-poetry":    {"version"},
	"abatilo/actions-poetry": {"poetry-version"},
	"pdm-project/setup-pdm":  {"version"},
}

// pinnedManager says why a job whose setup action pins the package
// manager's version (setup-uv `version: 0.8.8`) stays: the environment
// brings the catalog's version instead. "" when nothing is pinned.
func (g *ghRewrite) pinnedManager(owner *yaml.Node, s *ghStep) string {
	for _, in := range ghManagerPins[s.action] {
		raw := strings.TrimSpace(yeString(s.setupPy, in))
		if raw == "" || raw == "latest" {
			continue
		}
		tool := strings.TrimPrefix(path.Base(s.action), "setup-")
		if strings.Contains(s.action, "poetry") {
			tool = "poetry"
		}
		v := raw
		if r := g.envValue(owner, raw); r != "" && r != raw {
			v = raw + " (" + r + ")"
		}
		what := "pins " + tool + " " + v
		if in == "version-file" {
			what = "takes its " + tool + " version from " + v
		}
		return what + " with " + s.action + ", and the Flox environment's " + tool + " would take its place"
	}
	return ""
}

// envValue resolves a `${{ env.NAME }}` value from the job's or the
// workflow's env; other values come back as they are, "" when unset.
func (g *ghRewrite) envValue(owner *yaml.Node, v string) string {
	if !strings.HasPrefix(v, "${{") || !strings.HasSuffix(v, "}}") {
		return v
	}
	name, ok := strings.CutPrefix(strings.TrimSpace(v[3:len(v)-2]), "env.")
	if !ok {
		return v
	}
	for _, o := range []*yaml.Node{owner, g.d.root} {
		if e := yeString(yeValue(o, "env"), name); e != "" {
			return e
		}
	}
	return ""
}

// setupPythonVersion returns the one version a setup-python `with:` asks
// for, with env expressions resolved; ok is false for a version file, a
// range, "3.x" or what cannot be read (those are not compared).
func (g *ghRewrite) setupPythonVersion(owner, with *yaml.Node) (string, bool) {
	v := strings.TrimSpace(yeString(with, "python-version"))
	if strings.HasPrefix(v, "${{") && strings.HasSuffix(v, "}}") {
		expr := strings.TrimSpace(v[3 : len(v)-2])
		if key, ok := strings.CutPrefix(expr, "matrix."); ok {
			// A matrix key with one value is that version.
			return g.setupPythonVersion(owner, &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: "python-version"}, {Kind: yaml.ScalarNode, Value: ghMatrixOne(owner, key)}}})
		}
		if !strings.HasPrefix(expr, "env.") {
			return "", false
		}
		v = g.envValue(owner, v)
	}
	if v == "" || strings.ContainsAny(v, "x*<>=^~, \n") || !strings.HasPrefix(v, "3.") {
		return "", false
	}
	return v, true
}

// callerPython returns a setup-python version that the workflow's callers
// or the repository's settings choose (`${{ inputs.PYTHON_VERSION }}` in a
// reusable workflow, `${{ vars.PY }}`), "" for any other.
func callerPython(with *yaml.Node) string {
	v := strings.TrimSpace(yeString(with, "python-version"))
	expr, ok := strings.CutPrefix(v, "${{")
	if !ok || !strings.HasSuffix(expr, "}}") {
		return ""
	}
	expr = strings.TrimSpace(strings.TrimSuffix(expr, "}}"))
	for _, prefix := range []string{"inputs.", "github.event.inputs.", "vars."} {
		if strings.HasPrefix(expr, prefix) {
			return v
		}
	}
	return ""
}

// ghMatrixOne returns the value of a job's matrix key that takes one
// value, "" otherwise.
func ghMatrixOne(job *yaml.Node, key string) string {
	_, strategy := yeGet(job, "strategy")
	_, matrix := yeGet(strategy, "matrix")
	_, vals := yeGet(matrix, key)
	if ghMatrixCount(key, matrix) != 1 {
		return ""
	}
	if vals == nil {
		// The one value comes from an `include` entry.
		_, inc := yeGet(matrix, "include")
		if inc == nil {
			return ""
		}
		for _, e := range inc.Content {
			if _, x := yeGet(e, key); x != nil {
				vals = &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{x}}
			}
		}
	}
	if vals != nil && vals.Kind == yaml.SequenceNode && len(vals.Content) == 1 && vals.Content[0].Kind == yaml.ScalarNode {
		return vals.Content[0].Value
	}
	return ""
}

// sameMinor compares "3.12" or "3.12.4" with a minor "3.12".
func sameMinor(v, minor string) bool {
	parts := strings.Split(v, ".")
	return len(parts) >= 2 && parts[0]+"."+parts[1] == minor
}

// providesNode reports an environment that installs Node.js.
func (g *ghRewrite) providesNode() bool {
	return g.ctx != nil && slices.ContainsFunc(g.ctx.Packages, func(p string) bool {
		return p == "nodejs" || strings.HasPrefix(p, "nodejs_") || strings.HasPrefix(p, "nodejs-") || p == "pnpm" || p == "yarn"
	})
}

// ghRustToolchainActions install a chosen Rust toolchain (an MSRV, nightly).
var ghRustToolchainActions = []string{"dtolnay/rust-toolchain", "actions-rs/toolchain", "actions-rust-lang/setup-rust-toolchain"}

// providesRust reports an environment that installs Rust's compiler or cargo.
func (g *ghRewrite) providesRust() bool {
	return g.ctx != nil && slices.ContainsFunc(g.ctx.Packages, func(p string) bool {
		return p == "cargo" || p == "rustc" || p == "rustup" || strings.HasPrefix(p, "rust-bin")
	})
}

// runKind is what a run script does with Python.
type runKind int

const (
	runOther   runKind = iota // shell, git, echo, other toolchains
	runToolEnv                // only tox, nox, pre-commit and installs of them
	runPython                 // the project's Python commands
)

// ghRunKind classifies a run script by its commands.
func ghRunKind(script string) runKind {
	kind := runOther
	dcEachCall(script, func(args []string) bool {
		name := path.Base(args[0])
		rest := args[1:]
		if venvcmd.IsPython(name) && len(rest) >= 2 && rest[0] == "-m" {
			name, rest = rest[1], rest[2:]
		}
		if name == "uvx" || name == "pipx" || name == "uv" && len(rest) > 0 && rest[0] == "tool" ||
			name == "uv" && len(rest) > 0 && rest[0] == "run" && (slices.Contains(rest, "--isolated") || slices.Contains(rest, "--no-project")) {
			// A tool run in an environment of its own (`uvx zizmor .`,
			// `uv run --isolated --no-project --with pytest ...`).
			kind = max(kind, runToolEnv)
			return true
		}
		switch {
		case name == "uv" && len(rest) > 0 && slices.Contains([]string{"export", "lock", "tree", "cache", "self", "version"}, rest[0]):
			// uv's work on the lock file, not the venv.
		case venvcmd.IsOwnEnvTool(name):
			kind = max(kind, runToolEnv)
		case (venvcmd.IsPip(name) || name == "uv" && len(rest) > 0 && rest[0] == "pip") && installsOnlyToolEnvs(rest):
			kind = max(kind, runToolEnv)
		case isShellBuiltin(name) || isSystemCommand(name) && name != "make" && name != "gmake":
		default:
			kind = runPython
		}
		return kind != runPython
	})
	return kind
}

// installsOnlyToolEnvs reports `pip install [-U] tox pre-commit ...`.
func installsOnlyToolEnvs(args []string) bool {
	if len(args) > 0 && args[0] == "pip" {
		args = args[1:]
	}
	if len(args) == 0 || args[0] != "install" {
		return false
	}
	n := 0
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "-") {
			continue
		}
		if !venvcmd.IsToolEnvPackage(a) {
			return false
		}
		n++
	}
	return n > 0
}

// keepSetupPython reports a setup-python step the converted job still
// needs: a later `uses:` step runs its Python, a kept step reads its
// outputs, or its cache serves the job.
func keepSetupPython(steps []*ghStep, i int) bool {
	s := steps[i]
	if s.action != "actions/setup-python" {
		return false
	}
	if yeString(s.setupPy, "cache") != "" {
		return true
	}
	for _, later := range steps[i+1:] {
		if later.action != "" && !slices.Contains(ghPythonFreeActions, later.action) && !strings.HasPrefix(later.action, "./") {
			return true
		}
	}
	if id := yeString(s.node, "id"); id != "" {
		for j, other := range steps {
			if j != i && yamlMentions(other.node, "steps."+id+".") {
				return true
			}
		}
	}
	return false
}

// yamlMentions reports a node whose scalars contain text.
func yamlMentions(n *yaml.Node, text string) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, text) {
		return true
	}
	for _, c := range n.Content {
		if yamlMentions(c, text) {
			return true
		}
	}
	return false
}

// installFloxStep is the `uses:` value of the install step, written the
// way the file writes its own: pinned by commit, with the release in a
// comment so that readers and update bots know it, in a file that pins
// its actions; quoted in a file that quotes them.
func (g *ghRewrite) installFloxStep() string {
	pins, all, quoted := 0, 0, false
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "uses" && v.Kind == yaml.ScalarNode && !strings.HasPrefix(v.Value, "./") && !strings.HasPrefix(v.Value, "docker://") {
					all++
					if _, ref, _ := strings.Cut(v.Value, "@"); isCommitSHA(ref) {
						pins++
					}
					if v.Style == yaml.DoubleQuotedStyle {
						quoted = true
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(g.d.root)
	// A file that pins most of its actions pins by policy; one tag among
	// them is an oversight, not the rule to follow.
	pinned := pins > 0 && 2*pins > all
	ref := ghInstallFlox
	if pinned {
		ref = "flox/install-flox-action@" + ghInstallFloxSHA
	}
	text := ref
	if quoted {
		text = `"` + ref + `"`
	}
	if pinned {
		text += " # " + ghInstallFloxVersion
	}
	return text
}

func isCommitSHA(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// indentStep is how many columns the file nests a mapping under its key,
// read from the job (its first key against the job's own key).
func (g *ghRewrite) indentStep(jobKey, job *yaml.Node) int {
	if jobKey == nil || job == nil || job.Kind != yaml.MappingNode || len(job.Content) == 0 {
		return 2
	}
	if step := job.Content[0].Column - jobKey.Column; step > 0 && job.Content[0].Line > jobKey.Line {
		return step
	}
	return 2
}

// checkoutPath returns the `path:` the repository is checked out to, or
// "" for the workspace itself.
func checkoutPath(steps []*ghStep) string {
	for _, s := range steps {
		if s.action == "actions/checkout" {
			p := strings.Trim(strings.TrimSpace(yeString(yeValue(s.node, "with"), "path")), "/")
			if p == "." {
				p = ""
			}
			return p
		}
	}
	return ""
}

// rewrittenScript is the step's run script as the planned edits leave it,
// expressions masked.
func (s *ghStep) rewrittenScript() string {
	if s.plan != nil && s.plan.Setup && s.mapped != nil {
		masked, _ := ghMaskExpressions(s.mapped.text)
		if out, err := applyEdits([]byte(masked), s.plan.Edits); err == nil {
			return string(out)
		}
	}
	masked, _ := ghMaskExpressions(s.run.Value)
	return masked
}

// onlyMoves reports a script left with nothing but `cd` and talk: once
// its venv setup went, the step does nothing.
func onlyMoves(script string) bool {
	moves := true
	dcEachCall(script, func(args []string) bool {
		switch path.Base(args[0]) {
		case "cd", "pushd", "popd", "echo", "true", ":", "set":
		default:
			moves = false
		}
		return moves
	})
	return moves
}
