package detect

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
	"go.yaml.in/yaml/v3"
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
	return h
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
		"actions/attest-build-provenance", "peaceiris/actions-gh-pages", "actions/deploy-pages", "docker/build-push-action")
	buildActions = wordSet("pypa/cibuildwheel", "hynek/build-and-inspect-python-package")
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
	name := path.Base(argv[0])
	if venvcmd.IsPython(name) && len(argv) > 2 && argv[1] == "-m" {
		argv, name = argv[2:], argv[2]
	}
	sub := ""
	if len(argv) > 1 {
		sub = argv[1]
	}
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
		j.Audience, j.Why = AudienceContributor, ""
		if j.EndLine == 0 {
			continue // a job known by its first line only: nothing to judge by
		}
		j.Audience, j.Why = a.job(j)
	}
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
		switch name := actionName(act); {
		case publishActions[name]:
			return AudienceRelease, "it publishes with " + name
		case buildActions[name]:
			return AudienceRelease, "it builds distributions with " + name
		}
	}
	for _, c := range calls {
		if what := distCommand(c.argv); what != "" {
			return AudienceRelease, fmt.Sprintf("it %s distributions (`%s`, line %d)", what, strings.Join(c.argv, " "), c.line)
		}
	}
	switch {
	case h.env != "":
		return AudienceRelease, "it deploys to the " + h.env + " environment"
	case h.tags != "":
		return AudienceRelease, h.tags
	}
	if dir, ok := throwawayVenvs(venvs); ok {
		return AudienceNone, "its venv is a throwaway one outside the checkout (" + dir + ")"
	}
	if tool, ok := ownEnvironmentsOnly(j, calls, venvs); ok {
		return AudienceNone, "it only runs " + tool + ", which makes its own environments"
	}
	if !usesPython(j, calls, venvs) {
		return AudienceNone, "it never sets up Python or a venv"
	}
	return AudienceContributor, ""
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
func ownEnvironmentsOnly(j *CIJob, calls []shellCall, venvs []VenvUse) (string, bool) {
	tool := ""
	for _, act := range j.Actions {
		if actionName(act) == "pre-commit/action" {
			tool = "pre-commit"
		}
	}
	for _, v := range venvs {
		if v.Action != VenvInstall {
			return "", false
		}
	}
	for _, c := range calls {
		argv := c.argv
		name := path.Base(argv[0])
		if venvcmd.IsPython(name) && len(argv) > 2 && argv[1] == "-m" {
			argv, name = argv[2:], argv[2]
		}
		sub := ""
		if len(argv) > 1 {
			sub = argv[1]
		}
		switch {
		case ownEnvTools[name]:
			tool = name
		case (name == "uv" || name == "poetry" || name == "pdm" || name == "hatch" || name == "pipx") && sub == "run",
			name == "uvx", name == "uv" && sub == "tool":
			// The tool it runs is a call of its own.
		case venvcmd.IsPip(name) && sub == "install", name == "uv" && sub == "pip", name == "pipx" && sub == "install":
			if !installsOnly(argv[slices.Index(argv, "install")+1:], ownEnvTools, "tox-uv", "tox-gh-actions", "nox-uv", "virtualenv", "pip", "setuptools", "wheel") {
				return "", false
			}
		case venvcmd.IsPython(name) || venvcmd.IsPip(name) || pythonTools[name] || strings.Contains(argv[0], "/"):
			return "", false
		}
	}
	return tool, tool != ""
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
