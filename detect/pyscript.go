package detect

import (
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// Python provisioning scripts (scripts/setup_dev.py, bootstrap.py) build
// the venv themselves: subprocess.run([sys.executable, "-m", "venv",
// ".venv"]), venv.create(".venv", with_pip=True), or shell lines passed to
// os.system. They are read without being run, for those venv steps and
// the venv paths they use; Python is never rewritten, so each is reported.

// pyScriptStems are words in the name of a project-root script that
// provisions the development setup.
var pyScriptStems = []string{"bootstrap", "setup_", "setup-", "dev", "venv", "install", "provision", "init_env"}

// isPythonScript matches Python files in the script folders, and
// project-root ones named like a setup script. setup.py, noxfile.py and
// tasks.py are read by their own extractors first.
func isPythonScript(rel string) bool {
	if path.Ext(rel) != ".py" {
		return false
	}
	dir := path.Dir(rel)
	if dir != "." {
		return slices.Contains(scriptDirs, dir)
	}
	stem := strings.ToLower(strings.TrimSuffix(rel, ".py"))
	for _, w := range pyScriptStems {
		if strings.Contains(stem, w) {
			return true
		}
	}
	return false
}

func extractPythonScript(s *scanner, f *textFile) {
	if !strings.Contains(f.Text, "venv") && !strings.Contains(f.Text, "virtualenv") {
		return // cheap: most scripts have nothing to do with venvs
	}
	pythonVenvFacts(newShellSession(s, f.Path, KindPythonScript), pyTokens(f.Text))
}

// pythonVenvFacts records what Python code does with venvs: the venv and
// virtualenv modules, `-m venv` argument lists, shell command strings
// given to a run/system call, and paths into a venv's bin folder.
func pythonVenvFacts(ss *shellSession, toks []pyToken) {
	ss.quietErrors = true
	shellArg := map[int]bool{} // string tokens read as shell command lines
	// The modules by the names the script gives them: `import venv as pyvenv`.
	modules := map[string]bool{"venv": true, "virtualenv": true}
	for i := 0; i+3 < len(toks); i++ {
		if toks[i].text == "import" && modules[toks[i+1].text] && toks[i+2].text == "as" && toks[i+3].kind == pyName {
			modules[toks[i+3].text] = true
		}
	}
	for i, t := range toks {
		switch {
		case t.kind == pyName && modules[t.text] && tokIs(toks, i+1, pyOp, ".") && i+2 < len(toks) &&
			(toks[i+2].text == "create" || toks[i+2].text == "EnvBuilder" || toks[i+2].text == "cli_run" || toks[i+2].text == "create_environment"):
			dir := ""
			if tokIs(toks, i+3, pyOp, "(") && i+4 < len(toks) && toks[i+4].kind == pyStr {
				dir = venvcmd.CleanDir(toks[i+4].text)
			}
			ss.venv(VenvCreate, dir, false, t.text+"."+toks[i+2].text+"(...)", t.line)
		case t.kind == pyStr && t.text == "venv" && i >= 2 && toks[i-2].kind == pyStr && toks[i-2].text == "-m" && tokIs(toks, i-1, pyOp, ","):
			// [sys.executable, "-m", "venv", ".venv"]: the folder is the next string not an option.
			dir := ""
			for j := i + 1; j+1 < len(toks) && toks[j].text == ","; j += 2 {
				if n := toks[j+1]; n.kind == pyStr && !strings.HasPrefix(n.text, "-") {
					dir = venvcmd.CleanDir(n.text)
					break
				}
			}
			ss.venv(VenvCreate, dir, false, `"-m", "venv"`+map[bool]string{true: `, "` + dir + `"`}[dir != ""], t.line)
		case t.kind == pyStr && i >= 2 && tokIs(toks, i-1, pyOp, "(") && toks[i-2].kind == pyName && isRunCall(toks[i-2].text) &&
			strings.ContainsAny(t.text, " ;&|"):
			shellArg[i] = true
			ss.analyze(linesFrom(t.text, t.line))
		}
	}
	for i, t := range toks {
		if t.kind == pyStr && !shellArg[i] {
			ss.setting(t.text, t.text, t.line, false)
		}
	}
}

// isRunCall names the calls whose first string argument is a shell
// command line: os.system, subprocess's shell=True calls, invoke's c.run.
func isRunCall(name string) bool {
	switch name {
	case "system", "run", "call", "check_call", "check_output", "Popen", "sudo", "local":
		return true
	}
	return false
}

// PythonProvision reads a Python provisioning script (tools/venv.py,
// scripts/bootstrap.py) for what the shell recipes spell out: the venv it
// creates and the pip arguments it installs into it. It finds the
// arguments where such scripts keep them, as string literals: one string
// per argument ("-e", "packages/core") or one per option ("-e acme[test]",
// "-r requirements-dev.txt"). ok is false for a script that creates no
// venv or names nothing to install; dir is "" when the venv folder is not
// a literal.
func PythonProvision(text string) (dir string, args []string, ok bool) {
	if !strings.Contains(text, "venv") && !strings.Contains(text, "virtualenv") {
		return "", nil, false
	}
	toks := pyTokens(text)
	creates := false
	seen := map[string]bool{}
	add := func(opt, val string) {
		if val == "" || strings.Contains(val, "://") || path.IsAbs(val) || strings.ContainsAny(val, "{}%$") || seen[opt+" "+val] {
			return
		}
		seen[opt+" "+val] = true
		args = append(args, opt, val)
	}
	for i, t := range toks {
		switch {
		case t.kind == pyName && (t.text == "venv" || t.text == "virtualenv") && tokIs(toks, i+1, pyOp, ".") && i+2 < len(toks) &&
			(toks[i+2].text == "create" || toks[i+2].text == "EnvBuilder" || toks[i+2].text == "cli_run"):
			creates = true
		case t.kind == pyStr && t.text == "venv" && i >= 2 && toks[i-2].kind == pyStr && toks[i-2].text == "-m":
			creates = true
		case t.kind == pyStr && (t.text == ".venv" || t.text == "venv") && dir == "":
			dir = t.text
		case t.kind == pyStr:
			opt, val, _ := strings.Cut(strings.TrimSpace(t.text), " ")
			switch opt {
			case "-e", "--editable", "-r", "--requirement":
				if opt == "--editable" || opt == "--requirement" {
					opt = opt[1:3]
				}
				if val == "" && tokIs(toks, i+1, pyOp, ",") && i+2 < len(toks) && toks[i+2].kind == pyStr {
					val = toks[i+2].text
				}
				add(opt, strings.TrimSpace(val))
			}
		}
	}
	return dir, args, creates && len(args) > 0
}
