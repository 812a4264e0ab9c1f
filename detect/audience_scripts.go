package detect

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// Scripts: development setup is migrated; scripts that run on servers or
// users' machines are not. Their signs: a Dockerfile or systemd unit runs
// them; the docs run them as root or from the deployed copy (/opt/app);
// their venv is outside the checkout; they run as root or administer the
// system (apt-get, systemctl); they live in a deployment folder; they
// share their venv with a systemd unit; or the docs give them to users to
// start the app.

// adminCommands administer a machine: a script that runs them sets up a
// server, not a checkout.
var adminCommands = wordSet("apt-get", "apt", "aptitude", "apk", "dnf", "microdnf", "yum", "zypper",
	"systemctl", "service", "supervisorctl", "useradd", "adduser", "groupadd", "chown", "update-rc.d")

// deployDirs are folders of deployment and operations scripts.
var deployDirs = wordSet("deploy", "deployment", "deployments", "ops", "provisioning", "ansible", "infra", "infrastructure")

// deployNames are words of script names that deploy or upgrade a server.
var deployNames = []string{"deploy", "upgrade", "provision", "production", "prod", "server"}

// devTools are programs and modules of the development workflow.
var devTools = wordSet("pytest", "py.test", "tox", "nox", "ruff", "mypy", "black", "flake8", "pylint", "isort",
	"pre-commit", "pre_commit", "coverage", "sphinx-build", "sphinx", "mkdocs", "twine", "build", "pip-compile",
	"unittest", "pyright", "bandit", "make")

// script decides the audience of a shell script.
func (a *audiencePass) script(rel string) (Audience, string) {
	for _, c := range a.s.p.Commands {
		// Matched by name: the image copies the script where it likes.
		if c.File == KindDockerfile && path.Base(scriptArg(append([]string{c.Name}, c.Args...))) == path.Base(rel) {
			return AudienceOperator, fmt.Sprintf("a Dockerfile runs it (%s); the image has its own venv", c.Evidence)
		}
	}
	for _, c := range a.s.calls {
		if c.path == rel || !runsScript(c.argv, rel, true) {
			continue
		}
		switch target := scriptArg(c.argv); {
		case strings.HasSuffix(c.path, ".service"):
			return AudienceOperator, fmt.Sprintf("a systemd unit runs it (%s:%d)", c.path, c.line)
		case c.root:
			return AudienceOperator, fmt.Sprintf("run as root (%s:%d)", c.path, c.line)
		case path.IsAbs(target):
			return AudienceOperator, fmt.Sprintf("run from the deployed copy %s (%s:%d)", target, c.path, c.line)
		}
	}
	venvs := a.venvsIn(rel, 1, 1<<30)
	for _, v := range venvs {
		if v.Dir != "" && outsideCheckout(v.Dir) {
			return AudienceOperator, fmt.Sprintf("its venv is outside the checkout (%s, line %d)", v.Dir, v.Evidence.Line)
		}
	}
	calls := a.callsIn(rel, 1, 1<<30)
	if why := distSmokeTest(venvs, calls); why != "" {
		return AudienceNone, why
	}
	for _, c := range calls {
		if c.root {
			return AudienceOperator, fmt.Sprintf("runs `sudo %s` (line %d)", path.Base(c.argv[0]), c.line)
		}
		if adminCommands[path.Base(c.argv[0])] {
			return AudienceOperator, fmt.Sprintf("runs %s (line %d), which administers the machine", path.Base(c.argv[0]), c.line)
		}
	}
	for _, d := range strings.Split(path.Dir(rel), "/") {
		if deployDirs[strings.ToLower(d)] {
			return AudienceOperator, "under " + d + "/: a deployment script"
		}
	}
	if unit, ok := a.sharesServiceVenv(rel, venvs); ok {
		return AudienceOperator, "it builds the venv a systemd unit runs from (" + unit + ")"
	}
	for _, c := range a.userCalls {
		if runsScript(c.argv, rel, false) && runsApp(calls) {
			return AudienceOperator, fmt.Sprintf("a launcher the docs give to the package's users (%s:%d)", c.path, c.line)
		}
	}
	if why := releaseScript(calls); why != "" && !a.contributorJobRuns(rel) {
		return AudienceRelease, why
	}
	if why := venvInClone(calls, venvs); why != "" {
		return AudienceNone, why
	}
	return AudienceContributor, ""
}

// distSmokeTest says why a script that makes a venv and installs built
// distributions into it (dist/*.whl, an sdist) needs no dev venv: it
// tests what was built in a fresh venv of its own, which the dev venv
// cannot stand in for (the built package would replace the editable one).
func distSmokeTest(venvs []VenvUse, calls []shellCall) string {
	if !slices.ContainsFunc(venvs, func(v VenvUse) bool { return v.Action == VenvCreate }) {
		return ""
	}
	for _, c := range calls {
		argv := toolArgv(c.argv)
		name, sub := toolAndSub(argv)
		if !(venvcmd.IsPip(name) && sub == "install") && !(name == "uv" && sub == "pip") {
			continue
		}
		args := argv[slices.Index(argv, sub)+1:]
		if len(builtOnly(args)) < len(args) {
			return fmt.Sprintf("a smoke test of the built distributions in a venv of its own (`%s`, line %d)", strings.Join(c.argv, " "), c.line)
		}
	}
	return ""
}

// venvInClone says why a script that clones a repository and then makes a
// venv (a release script that builds from a fresh clone in a temporary
// folder) never used this checkout's venv.
func venvInClone(calls []shellCall, venvs []VenvUse) string {
	for _, c := range calls {
		if path.Base(c.argv[0]) != "git" || len(c.argv) < 3 || c.argv[1] != "clone" {
			continue
		}
		dir := path.Clean(CloneDir(c.argv[2:]))
		// The venv is made in the clone: after going into it, or by path.
		in := 0
		for _, d := range calls {
			if n := path.Base(d.argv[0]); (n == "cd" || n == "pushd") && len(d.argv) == 2 && d.line > c.line &&
				path.Clean(strings.Trim(d.argv[1], `"'`)) == dir {
				in = d.line
				break
			}
		}
		for _, v := range venvs {
			if v.Action == VenvCreate && (in > 0 && v.Evidence.Line > in || strings.HasPrefix(path.Clean(v.Dir), dir+"/")) {
				return fmt.Sprintf("it makes its venv (line %d) in a fresh clone (`git clone`, line %d), not in this checkout", v.Evidence.Line, c.line)
			}
		}
	}
	return ""
}

// releaseScript says what a script that publishes the package or deploys
// its docs runs (`twine upload`, `mkdocs gh-deploy`): it is the release's,
// run by maintainers or a release job, not the development setup.
func releaseScript(calls []shellCall) string {
	for _, c := range calls {
		argv := slices.Clone(c.argv)
		// `${PREFIX}twine upload`: the tool behind a venv prefix.
		if i := strings.LastIndex(argv[0], "}"); strings.HasPrefix(argv[0], "${") && i > 0 {
			argv[0] = argv[0][i+1:]
		}
		if argv[0] == "" {
			continue
		}
		argv = toolArgv(argv)
		what := ""
		switch {
		case distCommand(argv) == "publishes":
			what = "publishes the package"
		case path.Base(argv[0]) == "mkdocs" && len(argv) > 1 && argv[1] == "gh-deploy":
			what = "deploys the docs"
		default:
			continue
		}
		shown := append([]string{path.Base(c.argv[0])}, c.argv[1:]...)
		return fmt.Sprintf("a release script: it %s (`%s`, line %d)", what, strings.Join(shown, " "), c.line)
	}
	return ""
}

// contributorJobRuns reports a CI job of the development workflow (a
// test or lint job) that runs the script: it is then theirs too.
func (a *audiencePass) contributorJobRuns(rel string) bool {
	for _, c := range a.s.calls {
		if !runsScript(c.argv, rel, false) {
			continue
		}
		for _, j := range a.s.p.CI {
			if j.Evidence.Path == c.path && j.Evidence.Line <= c.line && c.line <= j.EndLine && j.Audience == AudienceContributor {
				return true
			}
		}
	}
	return false
}

// sharesServiceVenv reports a deployment-named script (upgrade.sh,
// deploy.sh) whose venv folder is the one a systemd unit runs from
// (venv and /opt/app/venv/bin/gunicorn).
func (a *audiencePass) sharesServiceVenv(rel string, venvs []VenvUse) (string, bool) {
	base := strings.ToLower(path.Base(rel))
	if !hasAnyWord(base, deployNames...) {
		return "", false
	}
	for _, u := range a.s.p.Venvs {
		if u.File != KindSystemd {
			continue
		}
		for _, v := range venvs {
			dir := path.Clean(v.Dir)
			if v.Dir != "" && !strings.ContainsAny(dir, "$`") && strings.HasSuffix(u.Dir, "/"+dir) {
				return u.Evidence.String(), true
			}
		}
		if strings.HasSuffix(u.Dir, "/venv") || strings.HasSuffix(u.Dir, "/.venv") {
			// The script's venv is a variable (VENV="$(pwd -P)/venv"):
			// a deployment-named script building a venv beside a unit
			// that runs one is taken as its deployer.
			for _, v := range venvs {
				if strings.ContainsAny(v.Dir, "$`") {
					return u.Evidence.String(), true
				}
			}
		}
	}
	return "", false
}

// scriptArg returns the script a call runs: `./run.sh`, `bash run.sh`,
// `/opt/app/upgrade.sh`; "" for other calls.
func scriptArg(argv []string) string {
	switch path.Base(argv[0]) {
	case "sh", "bash", "zsh", "dash", "source", ".":
		for _, a := range argv[1:] {
			if !strings.HasPrefix(a, "-") {
				return a
			}
		}
		return ""
	}
	if strings.Contains(argv[0], "/") || strings.HasSuffix(argv[0], ".sh") {
		return argv[0]
	}
	return ""
}

// runsScript reports a call that runs the project's script rel; with
// deployed, also through an absolute path to a copy of the checkout
// (/opt/app/upgrade.sh for upgrade.sh).
func runsScript(argv []string, rel string, deployed bool) bool {
	target := scriptArg(argv)
	if target == "" || strings.ContainsAny(target, "$`") {
		return false
	}
	if path.IsAbs(target) {
		return deployed && strings.HasSuffix(target, "/"+rel)
	}
	return path.Clean(target) == rel
}

// runsApp reports a script that starts an application (`python app.py`,
// `python -m app`, `exec streamlit run ...`) and runs no development tool.
func runsApp(calls []shellCall) bool {
	app := false
	for _, c := range calls {
		name := path.Base(c.argv[0])
		switch {
		case devTools[name]:
			return false
		case isModule(c.argv):
			m, _ := venvcmd.ModuleArgv(c.argv)
			switch m := m[0]; {
			case devTools[m]:
				return false
			case m != "pip" && m != "venv" && m != "virtualenv" && m != "ensurepip" && m != "uv":
				app = true
			}
		case venvcmd.IsPython(name) && len(c.argv) > 1 && strings.HasSuffix(c.argv[1], ".py"):
			app = true
		case name == "streamlit" || name == "gradio" || name == "gunicorn" || name == "uvicorn" || name == "waitress-serve":
			app = true
		}
	}
	return app
}

// isModule reports `python [options] -m MODULE ...`.
func isModule(argv []string) bool {
	_, ok := venvcmd.ModuleArgv(argv)
	return ok
}
