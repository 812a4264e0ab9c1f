package rewrite

import (
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// callKind is what a simple command does to or with a venv.
type callKind int

const (
	callOther      callKind = iota
	callCreate              // python -m venv .venv, virtualenv venv, uv venv
	callActivate            // source .venv/bin/activate
	callDeactivate          // deactivate
	callInstall             // an install the Flox hook now does
	callEmptied             // a call to a function whose body went away
	callBlock               // a venv use venv2flox must not rewrite (see u.block)
)

// command is the resolved command of a simple command: the word that
// names the program after wrappers such as exec or env.
type command struct {
	index    int    // index in CallExpr.Args
	name     string // program name ("python", "pip", "pytest")
	fromVenv bool   // named through a venv path or a variable pointing into one
	rewrite  string // replacement for the word ("pytest" for .venv/bin/pytest), "" = keep
	alias    bool   // named through a variable that holds the program ($PIP with PIP=pip)
}

func (u *unit) resolveCommand(call *syntax.CallExpr) (command, bool) {
	for i := 0; i < len(call.Args); i++ {
		ps, ok := u.flatten(call.Args[i])
		if !ok || len(ps) == 0 {
			return command{}, false
		}
		if ref, ok := u.venvPath(ps); ok && !ref.outside {
			if t := ref.tool(); t != "" {
				c := command{index: i, name: t, fromVenv: true, rewrite: t}
				if len(ps) == 1 && ps[0].exp != "" {
					c.rewrite = "" // $PIP stays: its assignment is rewritten
				}
				return c, true
			}
			return command{index: i, name: piecesText(ps)}, true
		}
		text := piecesText(ps)
		if len(ps) == 2 && ps[0].exp != "" && ps[1].exp == "" && u.vars[ps[0].exp].kind == varVenvBin && u.vars[ps[0].exp].text == "/" && safeToolName(ps[1].lit) {
			// ${PREFIX}pytest with PREFIX=venv/bin/: the venv's pytest.
			return command{index: i, name: ps[1].lit, fromVenv: true, rewrite: ps[1].lit}, true
		}
		if len(ps) == 1 && ps[0].exp != "" {
			if v := u.vars[ps[0].exp]; v.kind == varAlias {
				return command{index: i, name: v.tool, alias: true}, true
			}
			return command{index: i, name: text}, true
		}
		if strings.ContainsAny(text, "$") {
			return command{index: i, name: text}, true
		}
		name := text
		if strings.Contains(name, "/") {
			name = path.Base(name)
		}
		if i+1 < len(call.Args) {
			// Wrappers (env, exec, timeout 600, sudo -u app) run the
			// command after them; `command -v X` runs nothing.
			if next, ok := venvcmd.UnwrapAt(u.callWords(call), i); ok {
				if next >= len(call.Args) {
					return command{index: i, name: name}, true
				}
				i = next - 1
				continue
			}
		}
		return command{index: i, name: name}, true
	}
	return command{}, false
}

// callWords returns a call's words as text, "" for words with parts
// that cannot be read statically; venvcmd reads wrappers from them.
func (u *unit) callWords(call *syntax.CallExpr) []string {
	words := make([]string, len(call.Args))
	for i, a := range call.Args {
		if ps, ok := u.flatten(a); ok {
			words[i] = piecesText(ps)
		}
	}
	return words
}

// argText returns a word as plain text when it has no expansions.
func (u *unit) argText(w *syntax.Word) (string, bool) {
	ps, ok := u.flatten(w)
	if !ok {
		return "", false
	}
	var b strings.Builder
	for _, p := range ps {
		switch v := u.vars[p.exp]; {
		case p.exp == "":
			b.WriteString(p.lit)
		case v.kind == varText:
			b.WriteString(v.text) // REQUIREMENTS="requirements.txt"
		default:
			return "", false
		}
	}
	return b.String(), true
}

// pythonModule returns the module and its arguments for `python -m mod`.
func (u *unit) pythonModule(args []*syntax.Word) (string, []*syntax.Word) {
	for i := 0; i < len(args); i++ {
		a, ok := u.argText(args[i])
		if !ok {
			return "", nil
		}
		switch {
		case a == "-m" && i+1 < len(args):
			m, _ := u.argText(args[i+1])
			return m, args[i+2:]
		case strings.HasPrefix(a, "-m") && len(a) > 2:
			return a[2:], args[i+1:]
		case a == "-X" || a == "-W":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return "", nil
		}
	}
	return "", nil
}

// unknownPython reports `${PYTHON} -m venv DIR` where PYTHON's value is
// not known (set by the caller, or by a command: PYTHON=`command -v
// python3.11`): only an interpreter takes `-m venv`.
func (u *unit) unknownPython(name string, args []*syntax.Word) bool {
	if !(strings.HasPrefix(name, "$") || venvcmd.VersionInVariable(name)) || strings.ContainsAny(name, "/\\") {
		return false
	}
	mod, _ := u.pythonModule(args)
	return mod == "venv" || mod == "virtualenv"
}

// classifyCall decides what a simple command does with the venv.
func (u *unit) classifyCall(call *syntax.CallExpr) callKind {
	if len(call.Args) == 0 {
		return callOther
	}
	cmd, ok := u.resolveCommand(call)
	if !ok {
		return callOther
	}
	args := call.Args[cmd.index+1:]
	name := cmd.name
	switch {
	case name == "source" || name == ".":
		return u.classifySource(call, args)
	case name == "deactivate" && len(args) == 0:
		return callDeactivate
	case u.emptied[name] && cmd.index == 0:
		return callEmptied
	case name == "conda" || name == "mamba" || name == "micromamba":
		if len(args) > 0 && (args[0].Lit() == "activate" || args[0].Lit() == "create") {
			// Only a problem next to a venv: conda-only scripts stay as they are.
			u.pending = append(u.pending, FollowUp{Evidence: u.evidence(int(call.Pos().Offset())),
				Message:    "chooses between conda and a venv",
				Suggestion: "Decide which environment the script should use, then replace its venv part with `flox activate` by hand."})
		}
	case name == "workon" || name == "mkvirtualenv" || (name == "pyenv" && len(args) > 0 && (args[0].Lit() == "activate" || args[0].Lit() == "virtualenv")):
		return u.block(call, "uses a venv managed outside the repository ("+name+")", "Use the project's Flox environment (`flox activate`) instead of the external venv.")
	case name == "virtualenv":
		return u.classifyCreate(call, args, "virtualenv")
	case venvcmd.IsPython(name) || u.unknownPython(name, args):
		mod, margs := u.pythonModule(args)
		switch mod {
		case "venv", "virtualenv":
			if venvcmd.VersionInVariable(name) {
				u.noteOnce(int(call.Pos().Offset()), "picks the Python version through a variable ("+name+"); the Flox environment has one interpreter",
					"Drop the version argument, or choose the interpreter for the environment with `venv2flox migrate --python X.Y`.")
			}
			return u.classifyCreate(call, margs, mod)
		case "pip":
			return u.classifyPip(margs)
		case "poetry", "pdm", "pipenv":
			if u.managerModule(mod) {
				return u.classifyManager(mod, margs)
			}
		}
	case venvcmd.IsPip(name):
		return u.classifyPip(args)
	case name == "uv":
		return u.classifyUV(call, args)
	case name == "poetry" || name == "pdm" || name == "pipenv":
		return u.classifyManager(name, args)
	case name == "pip-sync":
		return u.installIf(u.allSynced(args))
	case name == "ln":
		// A link to the old venv (virtualenvwrapper's `workon` name):
		// it would point at a folder Flox never makes.
		for _, a := range args {
			if ps, ok := u.flatten(a); ok {
				if ref, ok := u.venvPath(ps); ok && !ref.outside && ref.isDir() {
					return callCreate
				}
			}
		}
	}
	return callOther
}

func (u *unit) classifySource(call *syntax.CallExpr, args []*syntax.Word) callKind {
	if len(args) != 1 {
		return callOther
	}
	ps, ok := u.flatten(args[0])
	if !ok {
		return callOther
	}
	if strings.Contains(piecesText(ps), `\Scripts\`) || strings.Contains(piecesText(ps), "/Scripts/activate") {
		return u.block(call, "activates a Windows venv (Scripts/activate)", "Windows shells are not rewritten: use `flox activate` where Flox runs (Linux, macOS, WSL).")
	}
	ref, ok := u.venvPath(ps)
	if !ok {
		if outsideVenvPath(ps) {
			return u.block(call, "activates a venv outside the repository", "Use the project's Flox environment (`flox activate`) instead of the external venv.")
		}
		return callOther
	}
	switch {
	case ref.outside:
		return u.block(call, "activates a venv outside the repository", "Use the project's Flox environment (`flox activate`) instead of the external venv.")
	case ref.isActivate():
		return callActivate
	}
	return callOther
}

func (u *unit) classifyCreate(call *syntax.CallExpr, args []*syntax.Word, tool string) callKind {
	var dirs []*syntax.Word
	for i := 0; i < len(args); i++ {
		a, lit := u.argText(args[i])
		switch {
		case lit && a == "--system-site-packages":
			return u.block(call, "creates a venv with --system-site-packages", "A Flox venv sees only the environment's packages: add the system packages the project needs to the manifest, then remove this venv by hand.")
		case lit && (a == "--prompt" || a == "-p" || a == "--python" || a == "--seed-version"):
			i++
		case lit && strings.HasPrefix(a, "-"):
		default:
			dirs = append(dirs, args[i])
		}
	}
	if len(dirs) == 0 && tool == "uv" {
		return callCreate // uv venv defaults to .venv
	}
	if len(dirs) != 1 {
		return callOther
	}
	ps, ok := u.flatten(dirs[0])
	if !ok {
		return callOther
	}
	ref, ok := u.venvPath(ps)
	if ok && ref.outside || !ok && outsideDir(ps) {
		return u.block(call, "creates a venv outside the repository", "Use the project's Flox environment, whose hook keeps its venv in $FLOX_ENV_CACHE.")
	}
	if ok && ref.isDir() {
		return callCreate
	}
	return callOther
}

func outsideDir(ps []piece) bool {
	comps := components(ps)
	first := comps[0]
	return len(comps) > 1 && first.text == "" && first.exp == "" || strings.HasPrefix(first.text, "~") || slices.Contains(homeVars, first.exp)
}

func (u *unit) installIf(ok bool) callKind {
	if ok {
		return callInstall
	}
	return callOther
}

func (u *unit) synced(file string) bool {
	file = path.Clean(file)
	for _, s := range u.ctx.Synced {
		if path.Clean(s) == file {
			return true
		}
	}
	return false
}

func (u *unit) syncedAny(files ...string) bool {
	for _, f := range files {
		if u.synced(f) {
			return true
		}
	}
	return false
}

// allSynced reports whether every file word is a dependency file the hook
// syncs (options among them are skipped).
func (u *unit) allSynced(files []*syntax.Word) bool {
	n := 0
	for _, w := range files {
		a, lit := u.argText(w)
		if strings.HasPrefix(a, "-") {
			continue
		}
		ps, ok := u.flatten(w)
		if !ok {
			return false
		}
		if lit {
			ps = []piece{{lit: a}} // with plain variables read ("$REQUIREMENTS")
		}
		f := projectFile(ps)
		if f == "" || !u.synced(f) {
			return false
		}
		n++
	}
	return n > 0
}

var pipValueFlags = []string{
	"-r", "--requirement", "-c", "--constraint", "-e", "--editable",
	"--progress-bar", "--upgrade-strategy", "--python", "-p", "--group",
	"--extra", "--config-settings", "-C", "--python-version",
}

// flags that make an install go somewhere other than the venv, or come
// from somewhere the hook does not know about.
var pipForeignFlags = []string{
	"--user", "--target", "-t", "--prefix", "--root", "--system",
	"-i", "--index-url", "--extra-index-url", "-f", "--find-links",
	"--break-system-packages",
}

// classifyPip handles `pip install ...` and `uv pip install|sync ...`.
func (u *unit) classifyPip(args []*syntax.Word) callKind {
	if len(args) == 0 {
		return callOther
	}
	sub, _ := u.argText(args[0])
	args = args[1:]
	if sub == "sync" {
		return u.installIf(u.allSynced(args))
	}
	if sub != "install" {
		return callOther
	}
	targets := 0
	for i := 0; i < len(args); i++ {
		a, lit := u.argText(args[i])
		flag, val, hasVal := strings.Cut(a, "=")
		switch {
		case lit && slices.Contains(pipForeignFlags, flag):
			return callOther
		case lit && (flag == "-r" || flag == "--requirement" || flag == "-c" || flag == "--constraint" || strings.HasPrefix(a, "-r") && len(a) > 2 && !strings.HasPrefix(a, "--")):
			var w *syntax.Word
			switch {
			case hasVal:
				if !u.synced(path.Clean(val)) {
					return callOther
				}
			case strings.HasPrefix(a, "-r") && len(a) > 2:
				if !u.synced(path.Clean(a[2:])) {
					return callOther
				}
			case i+1 < len(args):
				i++
				w = args[i]
				if !u.allSynced([]*syntax.Word{w}) {
					return callOther
				}
			default:
				return callOther
			}
			targets++
		case lit && (flag == "-e" || flag == "--editable"):
			if hasVal {
				if !u.projectItself(val) {
					return callOther
				}
			} else if i+1 < len(args) {
				i++
				t, _ := u.argText(args[i])
				if !u.projectItself(t) {
					return callOther
				}
			}
			targets++
		case lit && isShortCluster(a) && (strings.HasSuffix(a, "r") || strings.HasSuffix(a, "c")) && i+1 < len(args):
			// -Ur requirements.txt, -qr requirements.txt
			i++
			if !u.allSynced([]*syntax.Word{args[i]}) {
				return callOther
			}
			targets++
		case lit && slices.Contains(pipValueFlags, flag) && !hasVal:
			i++
		case lit && strings.HasPrefix(a, "-"):
		default:
			t, ok := u.argText(args[i])
			if !ok || !(u.projectItself(t) || u.bootstrapPackage(t)) {
				return callOther
			}
			targets++
		}
	}
	return u.installIf(targets > 0)
}

// isShortCluster reports bundled short options such as -Uq or -Ur.
func isShortCluster(a string) bool {
	if len(a) < 3 || a[0] != '-' || a[1] == '-' {
		return false
	}
	for _, c := range a[1:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// projectItself reports "." / ".[dev]" / "./" when the hook installs the
// project from its pyproject.toml or setup.py.
func (u *unit) projectItself(t string) bool {
	base, extras, _ := strings.Cut(t, "[")
	if base != "." && base != "./" {
		return false
	}
	// Extras the hook does not sync (".[docs]") still need this install.
	for _, e := range strings.Split(strings.TrimSuffix(extras, "]"), ",") {
		if e = strings.TrimSpace(e); e != "" && !contains(u.ctx.Groups, e) {
			return false
		}
	}
	return u.syncedAny("pyproject.toml", "setup.py", "setup.cfg")
}

// bootstrapPackage reports packages the Flox environment itself provides:
// the venv's own pip tooling and the package manager.
func (u *unit) bootstrapPackage(t string) bool {
	name := t
	if i := strings.IndexAny(name, "<>=!~;["); i >= 0 {
		name = name[:i]
	}
	switch strings.ToLower(name) {
	case "pip", "setuptools", "wheel":
		return true
	case "uv", "poetry", "pdm", "pipenv":
		return strings.EqualFold(name, u.ctx.Manager)
	}
	return false
}

func (u *unit) classifyUV(call *syntax.CallExpr, args []*syntax.Word) callKind {
	if len(args) == 0 {
		return callOther
	}
	switch args[0].Lit() {
	case "venv":
		return u.classifyCreate(call, args[1:], "uv")
	case "pip":
		return u.classifyPip(args[1:])
	case "sync":
		for _, a := range args[1:] {
			t, _ := u.argText(a)
			if !strings.HasPrefix(t, "-") {
				return callOther
			}
			if f, _, _ := strings.Cut(t, "="); f == "--python" || f == "-p" || f == "--active" {
				return callOther
			}
		}
		return u.installIf(u.syncedAny("uv.lock", "pyproject.toml"))
	}
	return callOther
}

func (u *unit) classifyManager(name string, args []*syntax.Word) callKind {
	if len(args) == 0 {
		return callOther
	}
	sub := args[0].Lit()
	if !(sub == "install" || (sub == "sync" && name != "poetry")) {
		return callOther
	}
	valueFlags := map[string]bool{"--with": true, "--without": true, "--only": true, "-E": true, "--extras": true, "-G": true, "--group": true}
	for i := 1; i < len(args); i++ {
		t, _ := u.argText(args[i])
		switch {
		case valueFlags[t]:
			i++
		case strings.HasPrefix(t, "-"):
		default:
			return callOther // adds a package
		}
	}
	switch name {
	case "poetry":
		return u.installIf(u.syncedAny("poetry.lock", "pyproject.toml"))
	case "pdm":
		return u.installIf(u.syncedAny("pdm.lock", "pyproject.toml"))
	default:
		return u.installIf(u.syncedAny("Pipfile", "Pipfile.lock"))
	}
}

// block records a venv use that must stay as it is and stops the rewrite
// of the whole unit.
func (u *unit) block(n syntax.Node, what, suggestion string) callKind {
	u.blocked = true
	u.followUp(int(n.Pos().Offset()), what, suggestion)
	return callBlock
}
