package detect

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
	"go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/syntax"
)

// CI jobs: those that used the dev venv (tests, lint, docs) are migrated.
// Jobs that build, sign, publish or deploy are left alone: they never
// used the dev venv, and a Flox install and a full dev sync would widen
// the supply chain of a job holding publishing rights. So are jobs that
// never set up Python or a venv, and jobs that only run tox, nox or
// pre-commit, which manage their own environments.

// jobHint is what only a job's YAML says about its audience.
type jobHint struct {
	release string // why the whole workflow is a release workflow
	idToken bool   // the job may mint an OIDC token (trusted publishing)
	env     string // the deployment environment it runs in
	tags    string // why it runs only for tags or releases
	bot     string // why it is a bot's job (dependency updates, autoupdate PRs)
	// elsewhere says which other repository the job checks out and sets up.
	elsewhere string
	// noRun: the job has steps and none of them is a `run:` step.
	noRun bool
	// noCheckout: the job never checks out this repository
	// (actions/checkout): it works on artifacts, an sdist or nothing.
	noCheckout bool
	// name and needs place the job in its workflow's graph of jobs.
	name  string
	needs []string
}

func (s *scanner) hintJob(ev Evidence, h jobHint) {
	if s.jobHints == nil {
		s.jobHints = map[Evidence]jobHint{}
	}
	s.jobHints[ev] = h
}

// ghReleaseWorkflow says why every job of a GitHub workflow is part of a
// release: it runs only on tags and releases, or it is named for
// releasing, publishing or deploying.
func ghReleaseWorkflow(root *yaml.Node, rel string) string {
	release, other := false, false
	event := func(name string, cfg *yaml.Node) {
		switch name {
		case "release", "registry_package":
			release = true
		case "push":
			branches := yamlGet(cfg, "branches") != nil || yamlGet(cfg, "branches-ignore") != nil
			if yamlGet(cfg, "tags") != nil && !branches {
				release = true
			} else {
				other = true
			}
		case "workflow_dispatch", "workflow_call", "schedule", "workflow_run":
		default:
			other = true
		}
	}
	on := yamlGet(root, "on")
	switch {
	case on == nil:
	case on.Kind == yaml.ScalarNode:
		event(on.Value, nil)
	case on.Kind == yaml.SequenceNode:
		for _, e := range yamlItems(on) {
			event(e.Value, nil)
		}
	default:
		for _, p := range yamlPairs(on) {
			event(p.Key.Value, p.Value)
		}
	}
	if release && !other {
		return "its workflow runs only on tags and releases"
	}
	base := strings.ToLower(strings.TrimSuffix(path.Base(rel), path.Ext(rel)))
	name := strings.ToLower(yamlScalar(yamlGet(root, "name")))
	if hasAnyWord(base, "release", "publish", "deploy", "pypi") || base == "cd" || base == "wheels" ||
		hasAnyWord(name, "release", "publish", "deploy") {
		return "a job of the release workflow " + path.Base(rel)
	}
	return ""
}

// ghJobHint reads a GitHub job's permissions, environment and condition.
func ghJobHint(root, job *yaml.Node, release string) jobHint {
	h := jobHint{release: release}
	perms := yamlGet(job, "permissions")
	if perms == nil {
		perms = yamlGet(root, "permissions")
	}
	h.idToken = yamlScalar(yamlGet(perms, "id-token")) == "write"
	env := yamlGet(job, "environment")
	if env != nil && env.Kind == yaml.MappingNode {
		env = yamlGet(env, "name")
	}
	h.env = yamlScalar(env)
	cond := strings.ReplaceAll(yamlScalar(yamlGet(job, "if")), `"`, "'")
	negated := strings.Contains(cond, "!startsWith") || strings.Contains(cond, "!contains") || strings.Contains(cond, "!=")
	if !negated && (strings.Contains(cond, "refs/tags") || strings.Contains(cond, "event_name == 'release'")) {
		h.tags = "it runs only for tags or releases (if: " + cond + ")"
	}
	// `github.actor == 'dependabot[bot]'`, not `!=`: a job that skips
	// bots is an ordinary job.
	flat := strings.ToLower(strings.ReplaceAll(cond, " ", ""))
	for _, bot := range []string{"dependabot", "renovate", "pre-commit-ci"} {
		if strings.Contains(flat, "=='"+bot) || strings.Contains(flat, "startswith(github.head_ref,'"+bot) {
			h.bot = "it runs for " + bot + " (if: " + cond + ")"
		}
	}
	for _, n := range yamlItems(yamlGet(job, "needs")) {
		h.needs = append(h.needs, n.Value)
	}
	steps := yamlItems(yamlGet(job, "steps"))
	// A local composite action runs steps of its own.
	h.noRun = len(steps) > 0 && !slices.ContainsFunc(steps, func(st *yaml.Node) bool {
		return yamlGet(st, "run") != nil || strings.HasPrefix(yamlScalar(yamlGet(st, "uses")), "./")
	})
	h.elsewhere = ghOtherCheckout(steps)
	h.noCheckout = len(steps) > 0 && !slices.ContainsFunc(steps, func(st *yaml.Node) bool {
		uses := strings.ToLower(yamlScalar(yamlGet(st, "uses")))
		return strings.HasPrefix(uses, "actions/checkout@") || strings.HasPrefix(uses, "./")
	})
	return h
}

// cdInto reports a script that changes into dir (or below it).
func cdInto(script, dir string) bool {
	words := strings.FieldsFunc(script, func(r rune) bool { return strings.ContainsRune(" \t\n;&|()", r) })
	for i := 0; i+1 < len(words); i++ {
		if words[i] != "cd" && words[i] != "pushd" {
			continue
		}
		to := strings.Trim(strings.TrimPrefix(strings.Trim(words[i+1], `"'`), "./"), "/")
		if to == dir || strings.HasPrefix(to, dir+"/") {
			return true
		}
	}
	return false
}

// ghOtherCheckout names the other repository a job checks out and works
// in: checked out to the workspace itself, or to a folder that a step
// then runs in (`working-directory:`, `cd`). A repository checked out
// beside the project's own for data, or one built there for it (a C
// library's source the project links), is not that.
func ghOtherCheckout(steps []*yaml.Node) string {
	isCheckout := func(st *yaml.Node) bool { return actionName(yamlScalar(yamlGet(st, "uses"))) == "actions/checkout" }
	ownRepo := func(repo string) bool {
		return repo == "" || strings.Contains(repo, "github.repository") || strings.Contains(repo, "github.event.pull_request.head.repo")
	}
	folder := func(with *yaml.Node) string {
		return strings.Trim(strings.TrimPrefix(yamlScalar(yamlGet(with, "path")), "./"), "/")
	}
	ownAtTop := false
	for _, st := range steps {
		if with := yamlGet(st, "with"); isCheckout(st) && ownRepo(yamlScalar(yamlGet(with, "repository"))) {
			ownAtTop = ownAtTop || folder(with) == "" || folder(with) == "."
		}
	}
	for _, st := range steps {
		if !isCheckout(st) {
			continue
		}
		with := yamlGet(st, "with")
		repo := yamlScalar(yamlGet(with, "repository"))
		if ownRepo(repo) {
			continue
		}
		dir := folder(with)
		if dir == "" || dir == "." {
			return repo
		}

		for _, other := range steps {
			wd := strings.Trim(strings.TrimPrefix(yamlScalar(yamlGet(other, "working-directory")), "./"), "/")
			run := yamlScalar(yamlGet(other, "run"))
			if !(wd == dir || strings.HasPrefix(wd, dir+"/") || cdInto(run, dir)) {
				continue
			}
			// Beside the project's own checkout, the other one is set up
			// only when Python work happens in it (a downstream test);
			// a C library built there is built for the project.
			if !ownAtTop || runsPythonWork(run) {
				return repo
			}
		}
	}
	return ""
}

// runsPythonWork reports a step script that runs Python, pip, a package
// manager or a test runner (a downstream project's install and tests).
func runsPythonWork(script string) bool {
	f, err := ParseShell(strings.NewReader(unknownTemplates(script)), "", syntax.LangBash, false)
	if err != nil {
		return false
	}
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && len(c.Args) > 0 {
			name := path.Base(c.Args[0].Lit())
			found = found || venvcmd.IsPython(name) || venvcmd.IsPip(name) || venvcmd.IsManager(name) ||
				name == "pytest" || name == "tox" || name == "nox"
		}
		return !found
	})
	return found
}

// gitlabJobHint reads a GitLab job's `only`, `rules`, `environment` and
// `stage`.
func gitlabJobHint(job *yaml.Node) jobHint {
	var h jobHint
	only := yamlGet(job, "only")
	if only != nil && only.Kind == yaml.MappingNode {
		only = yamlGet(only, "refs")
	}
	for _, o := range yamlItems(only) {
		if o.Value == "tags" {
			h.tags = "it runs only for tags (only: tags)"
		}
	}
	if rules := yamlItems(yamlGet(job, "rules")); len(rules) > 0 {
		all := true
		for _, r := range rules {
			cond := yamlScalar(yamlGet(r, "if"))
			all = all && strings.Contains(cond, "CI_COMMIT_TAG") && !strings.Contains(cond, "null") && !strings.Contains(cond, "!")
		}
		if all {
			h.tags = "it runs only for tags (rules: $CI_COMMIT_TAG)"
		}
	}
	env := yamlGet(job, "environment")
	if env != nil && env.Kind == yaml.MappingNode {
		env = yamlGet(env, "name")
	}
	h.env = yamlScalar(env)
	switch stage := strings.ToLower(yamlScalar(yamlGet(job, "stage"))); stage {
	case "deploy", "release", "publish":
		h.release = "it is in the " + stage + " stage"
	}
	return h
}

// publishActions are GitHub actions that publish, sign or deploy what a
// job built; buildActions build distributions.
var (
	publishActions = wordSet("pypa/gh-action-pypi-publish", "softprops/action-gh-release", "ncipollo/release-action",
		"actions/create-release", "actions/upload-release-asset", "sigstore/gh-action-sigstore-python",
		"actions/attest-build-provenance", "peaceiris/actions-gh-pages", "actions/deploy-pages", "docker/build-push-action",
		"jamesives/github-pages-deploy-action")
	// registryLogins log in to a container registry, which a job does to
	// push the images it builds.
	registryLogins = wordSet("docker/login-action", "redhat-actions/podman-login")
	buildActions   = wordSet("pypa/cibuildwheel", "hynek/build-and-inspect-python-package")
	// pythonSetupActions set up Python or a venv for the job's steps.
	pythonSetupActions = wordSet("actions/setup-python", "astral-sh/setup-uv", "snok/install-poetry", "abatilo/actions-poetry",
		"pdm-project/setup-pdm", "conda-incubator/setup-miniconda", "mamba-org/setup-micromamba", "usepythonversion")
	// ownEnvTools make their own environments.
	ownEnvTools = wordSet("tox", "nox", "pre-commit")
	// pythonTools are programs that run in, or fill, a Python environment.
	pythonTools = wordSet("uv", "uvx", "poetry", "pdm", "pipenv", "hatch", "pytest", "make", "just", "invoke", "task",
		"tox", "nox", "pre-commit", "twine", "flit", "maturin", "cibuildwheel", "sphinx-build", "mkdocs")
)

// actionName returns a `uses:` or task reference without its version.
func actionName(uses string) string {
	name, _, _ := strings.Cut(uses, "@")
	return strings.ToLower(name)
}

// distCommand says what a command does to distributions: "publishes"
// (twine upload, uv publish), "builds" (python -m build, uv build), or "".
func distCommand(argv []string) string {
	argv, name, sub := moduleToolAndSub(argv)
	switch {
	case name == "twine" && sub == "upload", name == "gh" && sub == "release" && len(argv) > 2 && (argv[2] == "create" || argv[2] == "upload"):
		return "publishes"
	case (name == "uv" || name == "poetry" || name == "flit" || name == "hatch" || name == "pdm") && sub == "publish":
		return "publishes"
	case name == "build" || name == "cibuildwheel" || name == "twine" && sub == "check":
		return "builds"
	case (name == "uv" || name == "poetry" || name == "flit" || name == "hatch" || name == "pdm" || name == "maturin") && sub == "build":
		return "builds"
	case venvcmd.IsPip(name) && sub == "wheel":
		return "builds"
	case venvcmd.IsPython(name) && sub == "setup.py" && len(argv) > 2 && (argv[2] == "sdist" || argv[2] == "bdist_wheel"):
		return "builds"
	}
	return ""
}

// ciJobs decides the audience of every CI job whose lines are known.
func (a *audiencePass) ciJobs() {
	for i := range a.s.p.CI {
		j := &a.s.p.CI[i]
		j.Audience, j.Why, j.TestRunner = AudienceContributor, "", ""
		j.NoCheckout = a.s.jobHints[j.Evidence].noCheckout
		if j.EndLine == 0 {
			continue // a job known by its first line only: nothing to judge by
		}
		j.Audience, j.Why = a.job(j)
	}
	a.releaseBuilds()
}

// job judges one CI job.
func (a *audiencePass) job(j *CIJob) (Audience, string) {
	h := a.s.jobHints[j.Evidence]
	calls := a.callsIn(j.Evidence.Path, j.Evidence.Line, j.EndLine)
	venvs := a.venvsIn(j.Evidence.Path, j.Evidence.Line, j.EndLine)
	switch {
	case h.release != "":
		return AudienceRelease, h.release
	case h.idToken:
		return AudienceRelease, "it holds `id-token: write` (trusted publishing)"
	}
	for _, act := range j.Actions {
		if name := actionName(act); publishActions[name] {
			return AudienceRelease, "it publishes with " + name
		} else if registryLogins[name] {
			return AudienceRelease, "it logs in to a container registry with " + name + ", to push the images it builds"
		}
	}
	for _, c := range calls {
		if distCommand(toolArgv(c.argv)) == "publishes" {
			return AudienceRelease, fmt.Sprintf("it publishes distributions (`%s`, line %d)", strings.Join(c.argv, " "), c.line)
		}
	}
	switch {
	case h.env != "":
		return AudienceRelease, "it deploys to the " + h.env + " environment"
	case h.tags != "":
		return AudienceRelease, h.tags
	case h.bot != "":
		return AudienceNone, h.bot
	case h.elsewhere != "":
		return AudienceNone, "it checks out " + h.elsewhere + " and sets up that project, not this one"
	}
	if why := botJob(j, calls); why != "" {
		return AudienceNone, why
	}
	if why := ownPythonJob(j, calls); why != "" {
		return AudienceNone, why
	}
	if dir, ok := throwawayVenvs(venvs); ok {
		return AudienceNone, "its venv is a throwaway one outside the checkout (" + dir + ")"
	}
	if tool, ok := ownEnvironmentsOnly(j, calls); ok {
		if tool == "tox" || tool == "nox" {
			j.TestRunner = tool
		}
		return AudienceNone, "it only runs " + tool + ", which makes its own environments"
	}
	if why, ok := buildsOnly(j, calls, venvs); ok {
		return AudienceNone, why
	}
	if first, ok := toolsOnly(calls); ok && len(venvs) == 0 {
		return AudienceNone, fmt.Sprintf("its Python tools come from `%s`, in venvs of their own, not the dev venv", first)
	}
	if why, ok := namedToolsOnly(j, calls, venvs); ok {
		return AudienceNone, why
	}
	if h.noRun {
		return AudienceNone, "it has no `run:` steps, so nothing of its own runs in an environment"
	}
	if !usesPython(j, calls, venvs) {
		return AudienceNone, "it never sets up Python or a venv"
	}
	return AudienceContributor, ""
}

// releaseBuilds gives the release audience to the GitHub jobs that build
// the distributions a release job of the same workflow publishes (it
// `needs:` them). A build that no release job takes is a check.
func (a *audiencePass) releaseBuilds() {
	for changed := true; changed; {
		changed = false
		for i := range a.s.p.CI {
			j := &a.s.p.CI[i]
			if j.Audience == AudienceRelease || j.EndLine == 0 || !a.buildsDists(j) {
				continue
			}
			name := a.s.jobHints[j.Evidence].name
			for k := range a.s.p.CI {
				r := &a.s.p.CI[k]
				if r.Evidence.Path == j.Evidence.Path && r.Audience == AudienceRelease && name != "" &&
					slices.Contains(a.s.jobHints[r.Evidence].needs, name) {
					j.Audience, j.Why = AudienceRelease, "it builds the distributions that job "+r.Name+" releases"
					changed = true
					break
				}
			}
		}
	}
}

// buildsDists reports a job that builds distributions, by command or action.
func (a *audiencePass) buildsDists(j *CIJob) bool {
	for _, act := range j.Actions {
		if buildActions[actionName(act)] {
			return true
		}
	}
	for _, c := range a.callsIn(j.Evidence.Path, j.Evidence.Line, j.EndLine) {
		if distCommand(toolArgv(c.argv)) == "builds" {
			return true
		}
	}
	return false
}

// botActions open pull requests, commit or merge for a bot.
var botActions = wordSet("peter-evans/create-pull-request", "stefanzweifel/git-auto-commit-action",
	"endbug/add-and-commit", "dependabot/fetch-metadata", "renovatebot/github-action",
	"browniebroke/pre-commit-autoupdate-action", "vrslev/pre-commit-autoupdate", "autofix-ci/action", "pre-commit-ci/lite-action")

// botJob says why a job works for a bot: it updates dependencies or hooks
// and commits, pushes or opens a pull request with the result.
func botJob(j *CIJob, calls []shellCall) string {
	for _, act := range j.Actions {
		if name := actionName(act); botActions[name] {
			return "a bot's job: it commits or opens pull requests with " + name
		}
	}
	for _, c := range calls {
		argv := toolArgv(c.argv)
		name, sub := toolAndSub(argv)
		switch {
		case name == "pre-commit" && sub == "autoupdate",
			name == "git" && sub == "push",
			name == "gh" && sub == "pr" && len(argv) > 2 && (argv[2] == "create" || argv[2] == "merge"):
			return fmt.Sprintf("a bot's job: it pushes or opens pull requests (`%s`, line %d)", strings.Join(c.argv, " "), c.line)
		}
	}
	return ""
}

// ownPythonJob says why a job runs on a Python it makes for itself: a
// WebAssembly build (Pyodide, Emscripten), cibuildwheel's environments,
// or an interpreter it compiles.
func ownPythonJob(j *CIJob, calls []shellCall) string {
	// Only a job that runs on nothing else: a matrix with one PyPy or
	// free-threaded entry beside CPython versions is a test job still.
	if len(j.Pythons) > 0 && !slices.ContainsFunc(j.Pythons, func(v string) bool { return !otherInterpreter(v) }) {
		return "it runs on " + j.Pythons[0] + ", an interpreter the Flox environment does not provide"
	}
	for _, act := range j.Actions {
		name := actionName(act)
		switch {
		case strings.Contains(name, "pyodide") || strings.Contains(name, "emsdk") || strings.Contains(name, "emscripten"):
			return "it builds for WebAssembly (" + name + "), with a Python of its own"
		case name == "pypa/cibuildwheel":
			return "cibuildwheel builds and tests the wheels in environments of its own"
		case name == "deadsnakes/action":
			return "it installs its own Python with deadsnakes/action"
		}
	}
	for _, c := range calls {
		argv := toolArgv(c.argv)
		name, sub := toolAndSub(argv)
		at := fmt.Sprintf("(`%s`, line %d)", strings.Join(c.argv, " "), c.line)
		switch {
		case name == "pyodide" || strings.HasPrefix(name, "emcc") || name == "emsdk" || name == "emcmake" ||
			slices.ContainsFunc(argv, func(a string) bool { return strings.Contains(strings.ToLower(a), "pyodide") }):
			return "it builds for WebAssembly " + at + ", with a Python of its own"
		case name == "cibuildwheel":
			return "cibuildwheel builds and tests the wheels in environments of its own " + at
		case name == "pyenv" && sub == "install":
			return "it builds its own Python " + at
		case name == "uv" && (sub == "python" || sub == "venv") && slices.ContainsFunc(argv[2:], otherInterpreter):
			return "it installs another interpreter than the environment's " + at
		}
	}
	return ""
}

// otherInterpreter reports an argument naming an interpreter no Flox
// environment of the project provides: PyPy, GraalPy, a free-threaded build.
func otherInterpreter(arg string) bool {
	a := strings.ToLower(arg)
	if strings.Contains(a, "pypy") || strings.Contains(a, "graalpy") {
		return true
	}
	v := strings.TrimPrefix(strings.TrimPrefix(a, "cpython-"), "python")
	return strings.HasPrefix(v, "3.") && strings.HasSuffix(v, "t")
}

// toolArgv returns the command a call runs: `python -m X ...`, `pipx run
// X`, `uvx X` and `uv tool run X` run X.
func toolArgv(argv []string) []string {
	name := path.Base(argv[0])
	if m, ok := venvcmd.ModuleArgv(argv); ok {
		return m
	}
	switch {
	case name == "uvx" && len(argv) > 1:
		return argv[1:]
	case name == "pipx" && len(argv) > 2 && argv[1] == "run":
		return argv[2:]
	case name == "uv" && len(argv) > 3 && argv[1] == "tool" && argv[2] == "run":
		return argv[3:]
	}
	return argv
}

// buildTools are what a job that only builds distributions installs.
var buildTools = wordSet("build", "twine", "wheel", "setuptools", "setuptools-scm", "pip", "uv", "check-wheel-contents",
	"check-manifest", "pkginfo", "hatch", "hatchling", "flit", "flit-core", "maturin", "pdm", "poetry", "pipx", "virtualenv")

// buildsOnly says why a job whose Python work is building and checking
// distributions (installing the build tools, or what it built) needs no
// dev venv: it is a packaging check.
func buildsOnly(j *CIJob, calls []shellCall, venvs []VenvUse) (string, bool) {
	for _, v := range venvs {
		if v.Action != VenvInstall {
			return "", false
		}
	}
	var first *shellCall
	for i, c := range calls {
		argv := toolArgv(c.argv)
		name, sub := toolAndSub(argv)
		switch {
		case distCommand(argv) == "builds":
			if first == nil {
				first = &calls[i]
			}
		case venvcmd.IsPip(name) && sub == "install", name == "uv" && sub == "pip", name == "pipx" && sub == "install":
			args := argv[slices.Index(argv, "install")+1:]
			if !installsOnly(builtOnly(args), buildTools) {
				return "", false
			}
		case venvcmd.IsPython(name) || venvcmd.IsPip(name) || pythonTools[name] || strings.Contains(argv[0], "/"):
			return "", false
		}
	}
	if first == nil {
		return "", false
	}
	return fmt.Sprintf("it only builds and checks distributions (`%s`, line %d), with build tools of its own", strings.Join(first.argv, " "), first.line), true
}

// namedToolsOnly says why a job that installs only tools by name (`pip
// install tomli`, `pip install coverage`) into the Python it set up, and
// runs them or the project's scripts with them, never used the dev venv:
// it installs neither the project nor its requirements, and runs no test
// runner (`coverage combine` is no test run), task runner or manager.
// Moving it to Flox would make it sync the whole dev set first, and run
// its tools in another venv than the one it pinned.
func namedToolsOnly(j *CIJob, calls []shellCall, venvs []VenvUse) (string, bool) {
	for _, v := range venvs {
		if v.Action != VenvInstall {
			return "", false
		}
	}
	for _, act := range j.Actions {
		if name := actionName(act); strings.HasPrefix(name, "./") || pythonSetupActions[name] && name != "actions/setup-python" {
			return "", false // a composite action or another setup: not only the runner's Python
		}
	}
	var first, script *shellCall
	shell := false // runs a script of its own that is not Python
	for i, c := range calls {
		argv := toolArgv(c.argv)
		name, sub := toolAndSub(argv)
		if venvcmd.IsPython(name) && len(argv) > 1 && strings.HasSuffix(argv[1], ".py") || strings.HasSuffix(name, ".py") {
			py := name
			if venvcmd.IsPython(name) {
				py = path.Base(argv[1])
			}
			if strings.Contains(py, "test") || py == "manage.py" || py == "setup.py" {
				return "", false // runtests.py, manage.py test: the project's tests
			}
			if script == nil {
				script = &calls[i]
			}
			continue
		}
		if strings.Contains(argv[0], "/") {
			shell = true
		}
		if name == "uv" && sub == "pip" && len(argv) > 2 {
			argv = argv[1:]
			name, sub = toolAndSub(argv)
		}
		switch {
		case (venvcmd.IsPip(name) || name == "pip") && sub == "install":
			if !namedOnly(argv[2:]) {
				return "", false
			}
			// Cite the tools, not the pip upgrade before them.
			if first == nil || venvcmd.IsBootstrapTool(first.argv[len(first.argv)-1]) {
				first = &calls[i]
			}
		case name == "make" || name == "just" || name == "unittest" || name == "coverage" && sub == "run" || name == "invoke" || name == "task" || name == "pytest" || name == "py.test" ||
			name == "uv" || name == "poetry" || name == "pdm" || name == "pipenv" || name == "hatch" ||
			name == "tox" || name == "nox" || name == "pre-commit" || venvcmd.IsPip(name):
			return "", false
		}
	}
	// With nothing installed, Python scripts can only use the standard
	// library; a shell script may make or fill a venv of its own.
	if first == nil && script != nil && !shell && len(venvs) == 0 {
		return fmt.Sprintf("it installs nothing and runs the project's Python scripts (`%s`, line %d) on the Python it sets up", strings.Join(script.argv, " "), script.line), true
	}
	if first == nil {
		return "", false
	}
	return fmt.Sprintf("it installs only tools by name (`%s`, line %d) into the Python it sets up, never the project or its requirements", strings.Join(first.argv, " "), first.line), true
}

// namedOnly reports pip install arguments that name packages from an
// index and nothing of the checkout: no requirements or constraints file,
// no editable or local path, no dependency group.
func namedOnly(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-U" || a == "--upgrade" || a == "-q" || a == "--quiet" || a == "--user" || a == "--pre" ||
			a == "--no-cache-dir" || a == "--disable-pip-version-check" || a == "--system" || a == "--break-system-packages":
		case strings.HasPrefix(a, "-"):
			return false // -r, -e, -c, --group and options that take values
		case a == "." || strings.HasPrefix(a, ".[") || strings.ContainsAny(a, "/$") || strings.HasSuffix(a, ".txt"):
			return false // the checkout, a file, or a variable (the wheel it built)
		}
	}
	return true
}

// builtOnly drops the distributions a job built (dist/*.whl) from install
// arguments.
func builtOnly(args []string) []string {
	var out []string
	for _, a := range args {
		if strings.HasPrefix(a, "dist/") || strings.HasPrefix(a, "./dist/") || strings.HasSuffix(a, ".whl") || strings.HasSuffix(a, ".tar.gz") {
			continue
		}
		out = append(out, a)
	}
	return out
}

// throwawayVenvs reports a job whose venvs are all outside the checkout
// ($RUNNER_TEMP/w, /tmp/venv): a smoke test of what was built.
func throwawayVenvs(venvs []VenvUse) (string, bool) {
	dir := ""
	for _, v := range venvs {
		if v.Dir == "" {
			continue
		}
		if !outsideCheckout(v.Dir) {
			return "", false
		}
		dir = v.Dir
	}
	return dir, dir != ""
}

// ownEnvironmentsOnly reports a job whose Python work is running tox,
// nox or pre-commit (and installing them): they make their own venvs.
func ownEnvironmentsOnly(j *CIJob, calls []shellCall) (string, bool) {
	tool, others := "", false
	for _, act := range j.Actions {
		if actionName(act) == "pre-commit/action" {
			tool = "pre-commit"
		}
	}
	for _, c := range calls {
		argv, name, sub := moduleToolAndSub(c.argv)
		switch {
		case ownEnvTools[name]:
			tool = name
		case name == "uv" && sub == "venv", name == "virtualenv":
			// A venv to hold the tool: what it installs is judged below.
		case (name == "uv" || name == "poetry" || name == "pdm" || name == "hatch" || name == "pipx") && sub == "run",
			name == "uvx", name == "uv" && sub == "tool":
			// The tool it runs is a call of its own.
		case venvcmd.IsPip(name) && sub == "install", name == "uv" && sub == "pip", name == "pipx" && sub == "install":
			if !installsOnly(argv[slices.Index(argv, "install")+1:], ownEnvTools, "tox-uv", "tox-gh-actions", "nox-uv", "pre-commit-uv", "virtualenv", "pip", "setuptools", "wheel") {
				others = true
			}
		case venvcmd.IsPython(name) || venvcmd.IsPip(name) || pythonTools[name] || strings.Contains(argv[0], "/"):
			return "", false
		}
	}
	// What else the job installs does not reach tox's or nox's own
	// environments; pre-commit's system hooks may run it.
	if others && (tool == "" || tool == "pre-commit") {
		return "", false
	}
	return tool, tool != ""
}

// venvManagers build or fill a venv of the project's when they run: a
// job that installs them with pipx still sets the project up.
var venvManagers = wordSet("poetry", "pdm", "pipenv", "hatch", "uv", "virtualenv", "tox", "nox", "pre-commit")

// toolsOnly reports a job whose Python work is installing tools by name
// with `uv tool install` or `pipx install`, or running them with uvx,
// `pipx run` or `uv tool run`, and then running those tools (a coverage
// combine job's `uv tool install coverage; coverage combine`). It returns
// the first such command.
func toolsOnly(calls []shellCall) (string, bool) {
	tools := map[string]bool{}
	first := ""
	for _, c := range calls {
		argv := c.argv
		name, sub := toolAndSub(argv)
		install := name == "pipx" && sub == "install" || name == "uv" && sub == "tool" && len(argv) > 2 && argv[2] == "install"
		run := name == "uvx" || name == "pipx" && sub == "run" || name == "uv" && sub == "tool" && len(argv) > 2 && argv[2] == "run"
		switch {
		case install:
			for _, a := range argv[slices.Index(argv, "install")+1:] {
				if !strings.HasPrefix(a, "-") {
					n, _, _ := strings.Cut(a, "[")
					if i := strings.IndexAny(n, "<>=!~;@ "); i >= 0 {
						n = n[:i]
					}
					tools[NormalizeName(n)] = true
				}
			}
		case run:
		case name == "poe" || name == "invoke" || name == "inv":
			return "", false // a task runner: it runs the project's tasks, in the project's venv
		case tools[NormalizeName(name)] && !venvManagers[name]:
			continue
		case venvcmd.IsPython(name) || venvcmd.IsPip(name) || pythonTools[name] || strings.Contains(argv[0], "/"):
			return "", false
		default:
			continue
		}
		if first == "" {
			first = strings.Join(argv, " ")
		}
	}
	return first, first != ""
}

// installsOnly reports install arguments that name only the given
// packages (options aside).
func installsOnly(args []string, set map[string]bool, more ...string) bool {
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			continue
		}
		name := a
		if i := strings.IndexAny(name, "[<>=!~;@ "); i >= 0 {
			name = name[:i]
		}
		name = NormalizeName(name)
		if !set[name] && !slices.Contains(more, name) {
			return false
		}
	}
	return true
}

// usesPython reports a job that sets up Python, runs in a Python image,
// touches a venv, or runs Python, its tools, make or the project's scripts.
func usesPython(j *CIJob, calls []shellCall, venvs []VenvUse) bool {
	if len(j.Pythons) > 0 || j.PythonVersionFile != "" || len(venvs) > 0 {
		return true
	}
	for _, act := range j.Actions {
		name := actionName(act)
		if pythonSetupActions[name] || strings.HasPrefix(name, "./") {
			return true
		}
	}
	for _, c := range calls {
		name := path.Base(c.argv[0])
		if venvcmd.IsPython(name) || venvcmd.IsPip(name) || pythonTools[name] || strings.Contains(c.argv[0], "/") && !path.IsAbs(c.argv[0]) || strings.HasSuffix(name, ".sh") {
			return true
		}
	}
	return false
}

// ciFile gives a CI file the audience of its jobs: contributor when one
// of them is, else that of its first job.
func (a *audiencePass) ciFile(rel string) (Audience, string) {
	var first *CIJob
	for i := range a.s.p.CI {
		j := &a.s.p.CI[i]
		if j.Evidence.Path != rel {
			continue
		}
		if j.Audience == AudienceContributor {
			return AudienceContributor, ""
		}
		if first == nil || j.Audience == AudienceRelease && first.Audience != AudienceRelease {
			first = j
		}
	}
	if first == nil {
		return AudienceContributor, ""
	}
	if first.Audience == AudienceRelease {
		return AudienceRelease, "all its jobs build, publish or deploy, or never use a venv"
	}
	return first.Audience, "none of its jobs uses the dev venv"
}

// moduleToolAndSub is toolAndSub for the module `python -m MODULE` runs,
// or the program; argv is returned from the module on.
func moduleToolAndSub(argv []string) ([]string, string, string) {
	if m, ok := venvcmd.ModuleArgv(argv); ok {
		argv = m
	}
	name, sub := toolAndSub(argv)
	return argv, name, sub
}

// toolAndSub returns the program a command runs and its first argument
// (`git push` gives "git", "push"; "" when there is none).
func toolAndSub(argv []string) (name, sub string) {
	name = path.Base(argv[0])
	if len(argv) > 1 {
		sub = argv[1]
	}
	return name, sub
}
