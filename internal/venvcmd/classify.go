package venvcmd

import (
	"path"
	"slices"
	"strings"
)

// Classifier classifies commands. Its zero value knows venvs by their
// usual names (venv, .venv, env, .env, my-venv, $VENV, $(VENV_DIR),
// $VIRTUAL_ENV); VenvDirs adds folders the caller knows to be venvs
// (created earlier in the same file under another name).
type Classifier struct {
	VenvDirs []string
}

// Classify says what the words of one simple command do to a venv.
func Classify(words []string) Command {
	return Classifier{}.Classify(words)
}

// maxWrappers bounds how many wrappers (sudo env timeout ...) are peeled.
const maxWrappers = 8

// Classify says what the words of one simple command do to a venv.
func (cl Classifier) Classify(words []string) Command {
	c := Command{}
	start := 0
	for i := 0; i < maxWrappers && start < len(words); i++ {
		next, ok := unwrap(words, start)
		if !ok {
			next, ok = unwrapFlox(words, start)
		}
		if !ok {
			break
		}
		start = next
	}
	if start >= len(words) || words[start] == "" {
		return Command{Start: start}
	}
	c.Start = start
	cl.classifyProgram(&c, words[start], words[start+1:])
	return c
}

// classifyProgram classifies a program and its arguments.
func (cl Classifier) classifyProgram(c *Command, prog string, args []string) {
	if strings.Contains(prog, `\`) {
		c.Windows = true
	}
	if dir, win, ok := ActivatePath(prog); ok {
		// `venv\Scripts\activate` in cmd.exe, `.venv/bin/activate` run as is.
		c.Kind, c.Dir, c.Windows = Activate, dir, win
		return
	}
	name := prog
	if dir, tool, win, ok := cl.VenvBin(prog); ok {
		c.Dir, c.Windows, name = dir, win, tool
	} else if strings.ContainsAny(prog, `/\`) {
		base := path.Base(strings.ReplaceAll(prog, `\`, "/"))
		if !knownProgram(base) {
			return // a project script (./scripts/test): not a venv command
		}
		name = base
	}
	name = strings.TrimSuffix(name, ".exe")
	switch {
	case name == "source" || name == ".":
		classifySource(c, args)
	case name == "deactivate":
		c.Kind, c.Tool = Deactivate, "venv"
	case IsPython(name):
		cl.classifyPython(c, name, args)
	case IsPip(name):
		classifyPip(c, args)
	case name == "uv":
		classifyUV(c, args)
	case name == "poetry":
		classifyPoetry(c, args)
	case name == "pdm":
		classifyPDM(c, args)
	case name == "pipenv":
		classifyPipenv(c, args)
	case name == "hatch":
		classifyHatch(c, args)
	case name == "pip-sync":
		classifyPipSync(c, args)
	case name == "virtualenv":
		classifyVirtualenv(c, args)
	case name == "mkvirtualenv", name == "workon", name == "rmvirtualenv":
		classifyWrapper(c, name, args)
	case name == "pyenv":
		classifyPyenv(c, args)
	case name == "asdf" || name == "mise" || name == "rtx":
		classifyVersionManager(c, name, args)
	case c.Dir != "":
		// Any other program out of a venv's bin folder: .venv/bin/pytest.
		c.Kind, c.Tool, c.Run = RunTool, name, append([]string{name}, args...)
	}
}

// knownProgram reports program names classified whatever folder they are
// run from (/usr/bin/python3, $FLOX_ENV/bin/uv).
func knownProgram(name string) bool {
	name = strings.TrimSuffix(name, ".exe")
	switch {
	case IsPython(name), IsPip(name), IsManager(name):
		return true
	}
	switch name {
	case "pip-sync", "virtualenv", "deactivate":
		return true
	}
	return false
}

// pythonOptions are interpreter options that take a value.
var pythonOptions = opts([]string{"=-X"}, []string{"=-W"}, []string{"=-Q"}, []string{"=--check-hash-based-pycs"})

// classifyPython reads `python ARGS`: a module (-m venv, -m pip, -m
// pytest), setup.py develop|install, or a script.
func (cl Classifier) classifyPython(c *Command, name string, args []string) {
	c.Tool = "python"
	if name == "py" {
		c.Windows = true
	}
	// `py -3.11 -m venv`: the launcher's version option.
	if name == "py" && len(args) > 0 && strings.HasPrefix(args[0], "-3") {
		c.Python, args = strings.TrimPrefix(args[0], "-"), args[1:]
	}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "-m" || a == "-c" || !strings.HasPrefix(a, "-") || (strings.HasPrefix(a, "-m") && len(a) > 2) {
			break
		}
		if pythonOptions[a].value {
			i++
		}
	}
	rest := args[min(i, len(args)):]
	module := ""
	if m, r, ok := pythonModule(args); ok {
		module, rest = m, r
	}
	switch module {
	case "venv":
		classifyVenvModule(c, name, rest)
		return
	case "virtualenv":
		classifyVirtualenv(c, rest)
		return
	case "pip":
		classifyPip(c, rest)
		return
	case "uv":
		classifyUV(c, rest)
		return
	case "poetry":
		classifyPoetry(c, rest)
		return
	case "pdm":
		classifyPDM(c, rest)
		return
	case "pipenv":
		classifyPipenv(c, rest)
		return
	case "":
		if len(rest) > 1 && path.Base(rest[0]) == "setup.py" && (rest[1] == "develop" || rest[1] == "install") {
			c.Kind, c.Sub = Install, "setup.py "+rest[1]
			dir := path.Dir(rest[0])
			if rest[1] == "develop" {
				c.Install = &InstallArgs{Editables: []Target{{Path: dir}}}
			} else {
				c.Install = &InstallArgs{Paths: []Target{{Path: dir}}}
			}
			if slices.Contains(rest[2:], "--user") {
				c.Install.Outside = "--user" // as pip's --user: the user's site-packages, no venv
			}
			return
		}
	}
	c.Kind, c.Module = RunTool, module
	c.Run = append([]string{name}, args...)
}

// venvModuleOptions are `python -m venv`'s options that take a value.
var venvModuleOptions = opts([]string{"=--prompt"})

// classifyVenvModule reads `python -m venv [options] DIR`.
func classifyVenvModule(c *Command, interpreter string, args []string) {
	c.Kind, c.Tool, c.Sub = Create, "python", "venv"
	if c.Python == "" && interpreter != "py" {
		c.Python = interpreter
	}
	if p := parseArgs(args, venvModuleOptions, false); len(p.pos) > 0 {
		c.Dir = CleanDir(p.pos[0])
		c.Windows = c.Windows || isWindowsPath(p.pos[0])
	}
}

// virtualenvOptions are virtualenv's options that take a value
// (pypa/virtualenv src/virtualenv/run/plugin and config/cli/parser.py).
var virtualenvOptions = opts(
	[]string{"=--python", "-p"}, []string{"=--prompt"}, []string{"=--creator"}, []string{"=--seeder"},
	[]string{"=--activators"}, []string{"=--app-data"}, []string{"=--extra-search-dir"}, []string{"=--pip"},
	[]string{"=--setuptools"}, []string{"=--wheel"}, []string{"=--discovery"}, []string{"=--try-first-with"},
)

// VenvArgs reads the arguments after `python -m venv` (tool "venv"),
// `virtualenv` or `uv venv` (tool "uv"): the indexes of the folder words
// and the options given, by their canonical names.
func VenvArgs(tool string, args []string) (dirs []int, given []string) {
	t := venvModuleOptions
	switch tool {
	case "virtualenv":
		t = virtualenvOptions
	case "uv":
		t = uvVenv
	}
	p := parseArgs(args, t, false)
	for _, o := range p.opts {
		given = append(given, o.Name)
	}
	return p.posAt, given
}

// classifyVirtualenv reads `virtualenv [options] DIR`; without a folder
// (virtualenv --version) it is nothing.
func classifyVirtualenv(c *Command, args []string) {
	c.Tool = "virtualenv"
	p := parseArgs(args, virtualenvOptions, false)
	if len(p.pos) == 0 {
		return
	}
	c.Kind, c.Dir, c.Python = Create, CleanDir(p.pos[0]), p.value("--python")
	c.Windows = c.Windows || isWindowsPath(p.pos[0])
}

// mkvirtualenvOptions are virtualenvwrapper's mkvirtualenv options that
// take a value (and virtualenv's, which it passes on).
var mkvirtualenvOptions = merge(virtualenvOptions, opts([]string{"=-a"}, []string{"=-i"}, []string{"=-r"}))

// classifyWrapper reads virtualenvwrapper's commands: their venvs live in
// $WORKON_HOME, outside the project.
func classifyWrapper(c *Command, name string, args []string) {
	c.Tool, c.Sub = "virtualenvwrapper", name
	p := parseArgs(args, mkvirtualenvOptions, false)
	if len(p.pos) > 0 {
		c.Dir = p.pos[len(p.pos)-1]
	}
	switch name {
	case "mkvirtualenv":
		c.Kind, c.Python = Create, p.value("--python")
	case "workon":
		c.Kind = Activate
	}
}

// classifySource reads `source FILE` and `. FILE`.
func classifySource(c *Command, args []string) {
	if len(args) == 0 {
		return
	}
	if dir, win, ok := ActivatePath(args[0]); ok {
		c.Kind, c.Tool, c.Dir, c.Windows = Activate, "venv", dir, win || c.Windows
	}
}

// classifyPyenv reads pyenv's interpreter and pyenv-virtualenv commands.
func classifyPyenv(c *Command, args []string) {
	p := parseArgs(args, opts(), false)
	if len(p.pos) == 0 {
		return
	}
	c.Tool, c.Sub = "pyenv", p.pos[0]
	rest := p.pos[1:]
	switch c.Sub {
	case "install", "local", "global", "shell":
		c.Kind = Interpreter
		if len(rest) > 0 {
			c.Python = rest[0]
		}
	case "virtualenv":
		c.Kind = Create
		switch len(rest) {
		case 1:
			c.Dir = rest[0]
		case 2:
			c.Python, c.Dir = rest[0], rest[1]
		}
	case "activate":
		c.Kind = Activate
		if len(rest) > 0 {
			c.Dir = rest[0]
		}
	case "deactivate":
		c.Kind = Deactivate
	}
}

// classifyVersionManager reads asdf and mise commands that install or
// select a Python. A bare `asdf install` installs every tool: not ours.
func classifyVersionManager(c *Command, name string, args []string) {
	p := parseArgs(args, opts(), false)
	if len(p.pos) < 2 {
		return
	}
	c.Tool, c.Sub = name, p.pos[0]
	switch {
	case name == "asdf" && (c.Sub == "install" || c.Sub == "local" || c.Sub == "global" || c.Sub == "set") && p.pos[1] == "python":
		c.Kind = Interpreter
		if len(p.pos) > 2 {
			c.Python = p.pos[2]
		}
	case name != "asdf" && (c.Sub == "install" || c.Sub == "use"):
		tool, version, _ := strings.Cut(p.pos[1], "@")
		if tool == "python" {
			c.Kind, c.Python = Interpreter, version
		}
	}
}

// pythonFlags are the interpreter's one-letter options that take no value:
// they may be grouped before -m (`python -Im pip`, `python -Em build`).
const pythonFlags = "bBdEiIOPqRsSuvx"

// pythonModule reads the interpreter options before `-m MODULE` (`-I -m`,
// `-Im`, `-X dev -m`, `-mpip`) and returns the module and its arguments;
// ok is false for a script, `-c` or no module.
func pythonModule(args []string) (module string, rest []string, ok bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" || a == "-c" {
			return "", nil, false
		}
		if pythonOptions[a].value {
			i++
			continue
		}
		if strings.HasPrefix(a, "--") {
			continue
		}
		// A group of one-letter flags, the last of which may be -m:
		// `-Im pip`, `-Impip`.
		flags := a[1:]
		for j := 0; j < len(flags); j++ {
			switch c := flags[j]; {
			case c == 'm' && j+1 < len(flags):
				return flags[j+1:], args[i+1:], true
			case c == 'm' && i+1 < len(args):
				return args[i+1], args[i+2:], true
			case c == 'm':
				return "", nil, false
			case c == 'X' || c == 'W':
				j = len(flags) // the rest of the word is the value
			case !strings.ContainsRune(pythonFlags, rune(c)):
				return "", nil, false
			}
		}
	}
	return "", nil, false
}

// ModuleArgv returns what `python [options] -m MODULE ARGS` runs, as
// argv (MODULE ARGS), and whether argv is such a command.
func ModuleArgv(argv []string) ([]string, bool) {
	if len(argv) < 2 || !IsPython(path.Base(argv[0])) {
		return nil, false
	}
	module, rest, ok := pythonModule(argv[1:])
	if !ok {
		return nil, false
	}
	return append([]string{module}, rest...), true
}
