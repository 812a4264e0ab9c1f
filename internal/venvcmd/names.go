package venvcmd

import (
	"github.com/venv2flox/venv2flox/internal/pep440"
	"path"
	"slices"
	"strings"
)

// IsPython reports whether a program name is a Python interpreter:
// python, python3, python3.12, python3.13t, pypy, pypy3.10, py (the
// Windows launcher), with or without .exe, or with the version held in a
// variable (python$PYVERSION, python${PY}).
func IsPython(name string) bool {
	n := strings.TrimSuffix(strings.ToLower(path.Base(name)), ".exe")
	if n == "py" {
		return true
	}
	for _, p := range []string{"python", "pypy"} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			return versionSuffix(strings.TrimSuffix(rest, "t"))
		}
	}
	return false
}

// IsPip reports whether a program name is pip: pip, pip3, pip3.12,
// pip.exe, pip${PY}.
func IsPip(name string) bool {
	n := strings.TrimSuffix(strings.ToLower(path.Base(name)), ".exe")
	rest, ok := strings.CutPrefix(n, "pip")
	return ok && versionSuffix(rest)
}

// PythonVersion returns the version an interpreter name or request names:
// "3.11" for python3.11, /usr/bin/python3.11, 3.11, cpython@3.11 or
// py3.11; "" for python, python3 and names without a minor version.
func PythonVersion(word string) string {
	w := strings.TrimSuffix(strings.ToLower(path.Base(strings.Trim(word, `"'`))), ".exe")
	for _, p := range []string{"cpython@", "cpython-", "python", "pypy", "py"} {
		if rest, ok := strings.CutPrefix(w, p); ok {
			w = rest
			break
		}
	}
	w = strings.TrimSuffix(w, "t")
	major, minor, ok := strings.Cut(w, ".")
	if !ok || major != "3" || minor == "" || strings.Trim(minor, "0123456789.") != "" {
		return ""
	}
	return w
}

// versionSuffix reports what may follow "python" or "pip" in a program
// name: a version ("3.12"), or one variable that holds it.
func versionSuffix(rest string) bool {
	if strings.Trim(rest, "0123456789.") == "" {
		return true
	}
	name, ok := strings.CutPrefix(rest, "$")
	if !ok {
		return false
	}
	if inner, ok := strings.CutPrefix(name, "{"); ok {
		if name, ok = strings.CutSuffix(inner, "}"); !ok {
			return false
		}
	}
	return name != "" && strings.Trim(strings.ToLower(name), "abcdefghijklmnopqrstuvwxyz0123456789_") == ""
}

// VersionInVariable reports an interpreter or pip named with its version
// in a variable: python$PYVERSION, pip${PY} (a script that takes the
// Python version as an argument).
func VersionInVariable(name string) bool {
	for _, p := range []string{"python", "pypy", "pip"} {
		if rest, ok := strings.CutPrefix(name, p); ok && strings.HasPrefix(rest, "$") {
			return versionSuffix(rest)
		}
	}
	return false
}

// Managers are the package managers that own a project's venv, by the
// program name that runs them.
var Managers = []string{"uv", "poetry", "pdm", "pipenv", "hatch"}

// IsManager reports whether a program name is one of Managers.
func IsManager(name string) bool {
	return slices.Contains(Managers, name)
}

// BootstrapTools are packages installed only to build or manage venvs:
// installing nothing but these is a Bootstrap, not an Install.
var BootstrapTools = []string{"pip", "setuptools", "wheel", "virtualenv", "uv", "poetry", "pipenv", "pdm", "hatch"}

// IsBootstrapTool reports whether a requirement (a name with an optional
// specifier) is one of BootstrapTools. A pip with a version bound
// ("pip>=25.1") is not: the steps after it need that pip (pip install
// --group), and the venv's own may be older.
func IsBootstrapTool(spec string) bool {
	name := RequirementName(spec)
	if name == "pip" && needsNewPip(spec) {
		return false
	}
	return slices.Contains(BootstrapTools, name)
}

// groupsPip is the first pip that reads dependency groups (pip install
// --group; pip 25.1 release notes).
var groupsPip, _ = pep440.ParseVersion("25.1")

// needsNewPip reports a pip requirement with a floor a venv's seeded pip
// may not meet: one at or above the pip that reads dependency groups
// (`pip install -U "pip>=25.1"` before `pip install --group dev`). Lower
// floors ("pip>=21.3", for editable installs) every supported Python's
// pip meets already.
func needsNewPip(spec string) bool {
	i := strings.IndexAny(spec, "<>=~")
	if i < 0 {
		return false
	}
	floor, _, _ := strings.Cut(strings.TrimLeft(spec[i:], "<>=~! "), ",")
	v, err := pep440.ParseVersion(strings.Trim(floor, `"' ;`))
	return err == nil && v.Compare(groupsPip) >= 0
}

// RequirementName returns the normalised (PEP 503) project name of a
// requirement specifier: "Django>=4" -> "django", "ruff[all]==1" ->
// "ruff"; "" when the specifier names no project (a URL).
func RequirementName(spec string) string {
	spec = strings.TrimSpace(spec)
	end := strings.IndexAny(spec, "<>=!~[;@ (")
	if end < 0 {
		end = len(spec)
	}
	name := spec[:end]
	if name == "" || strings.ContainsAny(name, "/:\\$") {
		return ""
	}
	return NormalizeName(name)
}

// NormalizeName normalises a project, extra or group name as PEP 503 and
// PEP 685 do: lower case, runs of '-', '_' and '.' become one '-'.
func NormalizeName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == '-' || r == '_' || r == '.' {
			if !dash {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		dash = false
		b.WriteRune(r)
	}
	return b.String()
}

// builtin says what a shell builtin does beyond running.
type builtin struct {
	// state: it changes the calling shell (cd, export); run in a child
	// shell it does nothing.
	state bool
	// program: a program of the same name exists (echo, test), so exec can
	// run it without a shell.
	program bool
}

// builtins are commands every shell provides: never programs a project
// needs installed, never venv commands.
var builtins = map[string]builtin{
	":": {}, ".": {}, "[": {program: true}, "alias": {state: true}, "bg": {}, "bind": {}, "break": {},
	"builtin": {}, "caller": {}, "cd": {state: true}, "command": {}, "compgen": {}, "complete": {},
	"continue": {}, "declare": {}, "dirs": {}, "disown": {}, "echo": {program: true}, "enable": {},
	"eval": {}, "exec": {}, "exit": {}, "export": {state: true}, "false": {program: true}, "fg": {},
	"getopts": {}, "hash": {}, "help": {}, "history": {}, "jobs": {}, "kill": {program: true},
	"let": {}, "local": {}, "logout": {}, "mapfile": {}, "popd": {state: true},
	"printf": {program: true}, "pushd": {state: true}, "pwd": {program: true}, "read": {},
	"readarray": {}, "readonly": {}, "return": {}, "set": {state: true}, "shift": {},
	"shopt": {state: true}, "source": {}, "test": {program: true}, "times": {}, "trap": {state: true},
	"true": {program: true}, "type": {}, "typeset": {}, "ulimit": {state: true}, "umask": {state: true},
	"unalias": {}, "unset": {state: true}, "wait": {},
}

// IsShellBuiltin reports whether name is a shell builtin.
func IsShellBuiltin(name string) bool {
	_, ok := builtins[name]
	return ok
}

// NeedsShell reports a builtin that only a shell runs: no program of
// that name exists for exec (`flox activate -- cd x` fails).
func NeedsShell(name string) bool {
	b, ok := builtins[name]
	return ok && !b.program
}

// ChangesShellState reports a builtin that changes the calling shell
// (cd, export, set, ulimit): in a child shell it does nothing.
func ChangesShellState(name string) bool {
	return builtins[name].state
}

// systemBinDirs are folders whose programs are named by their base name
// (/usr/bin/env, /usr/local/bin/python3).
var systemBinDirs = []string{"/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin", "/opt/homebrew/bin"}

// IsSystemBinPath reports whether p is a program in a system bin folder.
func IsSystemBinPath(p string) bool {
	return slices.Contains(systemBinDirs, path.Dir(p))
}

// OwnEnvTools make virtual environments of their own: a job that runs
// only them needs no project venv.
var OwnEnvTools = []string{"tox", "nox", "pre-commit"}

// IsOwnEnvTool reports whether a program name is one of OwnEnvTools.
func IsOwnEnvTool(name string) bool {
	return slices.Contains(OwnEnvTools, name)
}

// toolEnvPlugins are installed with OwnEnvTools to extend them.
var toolEnvPlugins = []string{"tox-gh-actions", "tox-uv", "nox-uv", "pre-commit-uv"}

// IsToolEnvPackage reports a requirement installed only to run
// OwnEnvTools: one of them, one of their plugins, or a packaging tool
// they use (pip, virtualenv, uv).
func IsToolEnvPackage(spec string) bool {
	name := RequirementName(spec)
	switch {
	case IsOwnEnvTool(name), slices.Contains(toolEnvPlugins, name):
		return true
	}
	switch name {
	case "pip", "setuptools", "wheel", "virtualenv", "uv":
		return true
	}
	return false
}
