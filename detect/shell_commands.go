package detect

import (
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// cmdCall is one simple command with its words rendered (argv), as written
// (raw), and the file line of each word.
type cmdCall struct {
	argv  []string
	raw   []string
	lines []int
	// words and run are set when the call came from the shell parser; they
	// let `sh -c '...'` strings be analysed in place.
	words []*syntax.Word
	run   *shellRun
	text  string
}

func (c cmdCall) shift(n int) cmdCall {
	if n > len(c.argv) {
		n = len(c.argv)
	}
	c.argv, c.raw, c.lines = c.argv[n:], c.raw[n:], c.lines[n:]
	if c.words != nil {
		c.words = c.words[n:]
	}
	return c
}

func (r *shellRun) callExpr(c *syntax.CallExpr) {
	for _, a := range c.Assigns {
		if len(c.Args) == 0 {
			r.assign(a)
		} else if a.Name != nil && a.Value != nil {
			// PATH=.venv/bin:$PATH cmd activates the venv for one command;
			// PYTHON=.venv/bin/python cmd hands it a venv's program.
			v, _ := r.word(a.Value)
			r.ss.assignFacts(a.Name.Value, v, r.commandText(c), r.line(a.Pos()))
		}
	}
	if len(c.Args) == 0 {
		return
	}
	call := cmdCall{words: c.Args, run: r, text: r.commandText(c)}
	for _, w := range c.Args {
		v, _ := r.word(w)
		call.argv = append(call.argv, v)
		call.raw = append(call.raw, r.raw(w.Pos(), w.End()))
		call.lines = append(call.lines, r.line(w.Pos()))
	}
	r.ss.dispatch(call)
}

func wordSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// dispatch records the facts of one simple command.
func (ss *shellSession) dispatch(c cmdCall) {
	start := venvcmd.Unwrap(c.argv)
	root := slices.ContainsFunc(c.argv[:start], venvcmd.RunsAsRoot)
	c = c.shift(start)
	if len(c.argv) == 0 || c.argv[0] == "" {
		return
	}
	name := c.argv[0]
	line := c.lines[0]
	ss.s.calls = append(ss.s.calls, shellCall{path: ss.path, line: line, argv: c.argv, root: root})
	// A Windows path to activate written in a POSIX shell block: the shell
	// would drop the backslashes, so look at the word as written.
	if dir, win, ok := venvcmd.ActivatePath(c.raw[0]); ok && strings.Contains(c.raw[0], "\\") {
		ss.venv(VenvActivate, dir, win, c.text, line)
		return
	}
	if dir, win, ok := venvcmd.ActivatePath(name); ok {
		ss.venv(VenvActivate, dir, win, c.text, line)
		return
	}
	if dir, prog, win, ok := ss.venvBin(c.raw[0]); ok && strings.Contains(c.raw[0], "\\") {
		ss.venv(VenvBinUse, dir, win, c.text, line)
		ss.program(prog, c, dir)
		return
	}
	if dir, prog, win, ok := ss.venvBin(name); ok {
		ss.venv(VenvBinUse, dir, win, c.text, line)
		ss.program(prog, c, dir)
		return
	}
	for i, arg := range c.argv[1:] {
		// make SPHINXBUILD=.venv/bin/sphinx-build: a venv's program handed
		// to the command as a variable.
		if name, val, ok := strings.Cut(arg, "="); ok && syntax.ValidName(name) {
			if dir, _, win, ok := ss.venvBin(val); ok {
				ss.venv(VenvBinUse, dir, win, c.text, c.lines[i+1])
				break
			}
		}
	}
	prog := name
	if strings.ContainsAny(name, "/\\") {
		if !venvcmd.IsSystemBinPath(name) {
			return // a project script (./scripts/test): not a tool to install
		}
		prog = path.Base(name)
	}
	ss.program(prog, c, "")
}

// skipOptions drops leading options; those in withValue take the next word.
func skipOptions(c cmdCall, withValue map[string]bool) cmdCall {
	for len(c.argv) > 0 && strings.HasPrefix(c.argv[0], "-") {
		if c.argv[0] == "--" {
			return c.shift(1)
		}
		if withValue[c.argv[0]] {
			c = c.shift(2)
			continue
		}
		c = c.shift(1)
	}
	return c
}

// argPositionals returns the arguments that are not options, skipping the
// values of options in withValue (given as "-p" or "--python"; the
// "--python=X" form needs no skipping).
func argPositionals(args []string, withValue map[string]bool) []int {
	var out []int
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			for j := i + 1; j < len(args); j++ {
				out = append(out, j)
			}
			return out
		case strings.HasPrefix(a, "-") && len(a) > 1:
			if withValue[a] {
				i++
			}
		default:
			out = append(out, i)
		}
	}
	return out
}

// program records what running prog (argv[0] after wrappers) does. venvDir
// is set when prog was run from a venv's bin folder.
func (ss *shellSession) program(prog string, c cmdCall, venvDir string) {
	line := c.lines[0]
	args := c.argv[1:]
	switch {
	case prog == "source" || prog == ".":
		if len(args) > 0 {
			if dir, win, ok := venvcmd.ActivatePath(c.raw[1]); ok && strings.Contains(c.raw[1], "\\") {
				ss.venv(VenvActivate, dir, win, c.text, line)
			} else if dir, win, ok := venvcmd.ActivatePath(args[0]); ok {
				ss.venv(VenvActivate, dir, win, c.text, line)
			} else {
				// A project script read into the caller's shell: it must
				// not re-run itself elsewhere.
				ss.command(prog, args, line)
			}
		}
		return
	case prog == "deactivate":
		ss.venv(VenvDeactivate, "", false, c.text, line)
		return
	case prog == "workon":
		ss.venv(VenvActivate, "", false, c.text, line)
		return
	case prog == "mkvirtualenv":
		ss.venv(VenvCreate, "", false, c.text, line)
		return
	case venvcmd.IsPython(prog), unresolvedRef(prog) && len(args) > 1 && (args[0] == "-m" || strings.HasPrefix(args[0], "-m")):
		// $(PYTHON) -m venv: an interpreter defined elsewhere.
		ss.python(prog, c, venvDir)
		return
	case venvcmd.IsPip(prog), unresolvedRef(prog) && strings.Contains(strings.ToUpper(prog), "PIP") && len(args) > 0:
		ss.pip(c.shift(1), venvDir, c.text, line)
		return
	case prog == "virtualenv":
		if !ss.virtualenv(c.shift(1), c.text, line) && venvDir == "" {
			ss.command(prog, args, line)
		}
		return
	case prog == "pip-sync":
		ss.venv(VenvInstall, venvDir, false, c.text, line)
		ss.manager(ManagerPip, "pip-sync", line)
		return
	case prog == "pip-compile":
		ss.manager(ManagerPip, "pip-compile", line)
		return
	case prog == "uv":
		ss.uv(c.shift(1), venvDir, c.text, line)
		return
	case prog == "uvx":
		ss.manager(ManagerUV, "uvx", line)
		return
	case prog == "poetry", prog == "pdm", prog == "pipenv", prog == "hatch":
		ss.projectManager(prog, c.shift(1), c.text, line)
		return
	case prog == "conda" || prog == "mamba" || prog == "micromamba":
		sub := ""
		if len(args) > 0 {
			sub = " " + args[0]
		}
		ss.manager(ManagerConda, prog+sub, line)
		return
	case prog == "sh" || prog == "bash" || prog == "zsh" || prog == "dash":
		if ss.nestedShell(c) {
			return
		}
	case prog == "flox":
		ss.command(prog, args, line)
		ss.flox(c.shift(1))
		return
	}
	if ss.systemPackages(prog, c) {
		return
	}
	if ss.kind == KindEnvrc && ss.direnv(prog, c) {
		return
	}
	if venvDir != "" || ss.windows || venvcmd.IsShellBuiltin(prog) || ss.funcs[prog] || !isProgramName(prog) {
		return
	}
	ss.command(prog, args, line)
}

// unresolvedRef reports whether a command name is a variable reference
// that stayed unresolved ($PYTHON, ${PIP}, $(PYTHON), $(shell which python3)).
func unresolvedRef(s string) bool {
	return strings.HasPrefix(s, "$") && !strings.ContainsAny(s, "/\\")
}

// isProgramName filters out words that are not plain program names:
// unresolved variables, assignments, globs, template placeholders.
func isProgramName(s string) bool {
	if s == "" || strings.ContainsAny(s, "$=*?{}()<>|&;'\"`\\ \t") || strings.HasPrefix(s, "-") {
		return false
	}
	return !strings.HasPrefix(s, placeholderPrefix)
}

// pythonOptions are interpreter options that take a value.
var pythonOptions = wordSet("-X", "-W", "-Q")

func (ss *shellSession) python(prog string, c cmdCall, venvDir string) {
	line := c.lines[0]
	win := strings.EqualFold(prog, "py") || strings.HasSuffix(strings.ToLower(prog), ".exe")
	i := 1
	for ; i < len(c.argv); i++ {
		a := c.argv[i]
		if a == "-m" || !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "-m") || a == "-c" {
			break
		}
		if pythonOptions[a] {
			i++
		}
	}
	module := ""
	switch {
	case i < len(c.argv) && c.argv[i] == "-m" && i+1 < len(c.argv):
		module, i = c.argv[i+1], i+2
	case i < len(c.argv) && strings.HasPrefix(c.argv[i], "-m") && len(c.argv[i]) > 2:
		module, i = c.argv[i][2:], i+1
	}
	rest := c.shift(i)
	switch module {
	case "venv":
		dir := ""
		if p := argPositionals(rest.argv, wordSet("--prompt")); len(p) > 0 {
			dir = venvcmd.CleanDir(rest.argv[p[0]])
		}
		ss.venv(VenvCreate, dir, win, c.text, line)
		ss.venvPython(prog, line)
		return
	case "virtualenv":
		ss.virtualenv(rest, c.text, line)
		return
	case "pip":
		ss.pip(rest, venvDir, c.text, line)
		return
	case "uv":
		ss.uv(rest, venvDir, c.text, line)
		return
	}
	if venvDir == "" && !ss.windows {
		ss.command(prog, c.argv[1:], line)
	}
}

var virtualenvOptions = wordSet("-p", "--python", "--prompt", "--creator", "--seeder", "--activators",
	"--app-data", "--extra-search-dir", "--pip", "--setuptools", "--wheel", "--discovery", "--try-first-with")

// virtualenv records `virtualenv [opts] DIR`; false when no folder is given
// (`virtualenv --version`).
func (ss *shellSession) virtualenv(c cmdCall, text string, line int) bool {
	p := argPositionals(c.argv, virtualenvOptions)
	if len(p) == 0 {
		return false
	}
	ss.venv(VenvCreate, venvcmd.CleanDir(c.argv[p[0]]), false, text, line)
	ss.venvPython(optionValue(c.argv, "-p", "--python"), line)
	return true
}

var pipGlobalOptions = wordSet("--python", "--cache-dir", "--log", "--proxy", "--timeout", "--retries",
	"--exists-action", "--trusted-host", "--cert", "--client-cert", "--use-feature", "--use-deprecated")

func (ss *shellSession) pip(c cmdCall, venvDir, text string, line int) {
	p := argPositionals(c.argv, pipGlobalOptions)
	if len(p) == 0 || c.argv[p[0]] != "install" {
		return
	}
	ss.venv(VenvInstall, venvDir, false, text, line)
	ss.manager(ManagerPip, "pip install", line)
}

var uvOptions = wordSet("--directory", "--project", "--cache-dir", "--color", "--config-file",
	"-p", "--python", "--prompt", "-i", "--index-url", "--extra-index-url", "--index", "--default-index",
	"-f", "--find-links", "--link-mode", "--index-strategy", "--keyring-provider", "--exclude-newer",
	"--python-preference", "--with", "--with-requirements", "--with-editable", "--group", "--only-group",
	"--extra", "--package", "--env-file", "--no-group", "-r", "--requirement", "-c", "--constraint",
	"--allow-insecure-host", "--python-platform", "--prerelease", "--resolution", "-P", "--upgrade-package",
	"-C", "--config-setting", "-o", "--output-file", "--target", "--prefix")

func (ss *shellSession) uv(c cmdCall, venvDir, text string, line int) {
	p := argPositionals(c.argv, uvOptions)
	if len(p) == 0 {
		ss.manager(ManagerUV, "uv", line)
		return
	}
	sub := c.argv[p[0]]
	reason := "uv " + sub
	switch sub {
	case "venv":
		dir := ".venv"
		if v := ss.vars["UV_PROJECT_ENVIRONMENT"]; v != "" {
			dir = v
		}
		if len(p) > 1 {
			dir = c.argv[p[1]]
		}
		ss.venv(VenvCreate, venvcmd.CleanDir(dir), false, text, line)
		ss.venvPython(optionValue(c.argv, "-p", "--python"), line)
	case "pip":
		if len(p) > 1 {
			reason += " " + c.argv[p[1]]
			if c.argv[p[1]] == "install" || c.argv[p[1]] == "sync" {
				ss.venv(VenvInstall, venvDir, false, text, line)
			}
		}
	case "sync":
		ss.venv(VenvInstall, venvDir, false, text, line)
	case "run":
		ss.manager(ManagerUV, reason, line)
		ss.runInside(c.shift(p[0]+1), uvOptions)
		return
	}
	ss.manager(ManagerUV, reason, line)
}

// runInside records the command a manager runs (`uv run pytest`,
// `poetry run python -m build`).
func (ss *shellSession) runInside(c cmdCall, withValue map[string]bool) {
	c = skipOptions(c, withValue)
	if len(c.argv) > 0 {
		ss.dispatch(c)
	}
}

var managerOptions = map[string]map[string]bool{
	"poetry": wordSet("-C", "--directory", "-P", "--project"),
	"pdm":    wordSet("-p", "--project", "-c", "--config"),
	"pipenv": wordSet("--python", "--site-packages"),
	"hatch":  wordSet("-e", "--env", "-p", "--project", "--data-dir", "--cache-dir", "--config"),
}

func (ss *shellSession) projectManager(prog string, c cmdCall, text string, line int) {
	m := Manager(prog)
	opts := managerOptions[prog]
	p := argPositionals(c.argv, opts)
	if len(p) == 0 {
		ss.manager(m, prog, line)
		return
	}
	sub := c.argv[p[0]]
	ss.manager(m, prog+" "+sub, line)
	switch sub {
	case "install", "sync":
		if prog != "hatch" {
			ss.venv(VenvInstall, "", false, text, line)
		}
	case "shell":
		if prog == "poetry" || prog == "pipenv" || prog == "hatch" {
			ss.venv(VenvActivate, "", false, text, line)
		}
	case "venv":
		if prog == "pdm" && len(p) > 1 && c.argv[p[1]] == "create" {
			ss.venv(VenvCreate, "", false, text, line)
		}
	case "run":
		rest := c.shift(p[0] + 1)
		if prog == "hatch" {
			rest = skipOptions(rest, opts)
			if len(rest.argv) > 0 && strings.Contains(rest.argv[0], ":") {
				return // env:script runs a script defined in pyproject.toml
			}
		}
		ss.runInside(rest, opts)
	}
}

// flox records what `flox activate -- cmd` or `flox activate -c 'cmd'` runs.
func (ss *shellSession) flox(c cmdCall) {
	if len(c.argv) == 0 || c.argv[0] != "activate" {
		return
	}
	for i := 1; i < len(c.argv); i++ {
		if c.argv[i] == "--" {
			ss.dispatch(c.shift(i + 1))
			return
		}
		if c.argv[i] == "-c" || c.argv[i] == "--command" {
			ss.nestedShellWord(c, i+1)
			return
		}
	}
}

// nestedShell analyses the string of `bash -c '...'` in place.
func (ss *shellSession) nestedShell(c cmdCall) bool {
	for i := 1; i < len(c.argv); i++ {
		if c.argv[i] == "-c" {
			return ss.nestedShellWord(c, i+1)
		}
		if !strings.HasPrefix(c.argv[i], "-") {
			return false
		}
	}
	return false
}

// maxNestedShells bounds `bash -c "bash -c '...'"` recursion.
const maxNestedShells = 4

func (ss *shellSession) nestedShellWord(c cmdCall, i int) bool {
	if c.words == nil || c.run == nil || i >= len(c.words) || ss.depth >= maxNestedShells {
		return false
	}
	w := c.words[i]
	if len(w.Parts) != 1 {
		return false
	}
	var start int
	var body string
	switch q := w.Parts[0].(type) {
	case *syntax.SglQuoted:
		if q.Dollar {
			return false
		}
		start, body = int(q.Left.Offset())+1, q.Value
	case *syntax.DblQuoted:
		if len(q.Parts) != 1 {
			return false
		}
		lit, ok := q.Parts[0].(*syntax.Lit)
		if !ok || strings.Contains(lit.Value, "\\") {
			return false
		}
		start, body = int(q.Left.Offset())+1, lit.Value
	case *syntax.Lit:
		start, body = int(q.Pos().Offset()), q.Value
	default:
		return false
	}
	outer := c.run
	base := outer.base + start
	inner := shellText{src: body, restore: outer.t.restore, render: outer.t.render, asWritten: outer.t.asWritten,
		lineOf: func(off int) int { return outer.t.lineOf(base + off) }}
	ss.depth++
	ss.analyze(inner)
	ss.depth--
	return true
}
