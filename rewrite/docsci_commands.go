package rewrite

// Classification of the shell commands that README code blocks and CI steps
// run: which of them create, activate or fill a venv (and so become the Flox
// environment's job) and which are the project's own commands that keep
// running, now inside `flox activate`.

import (
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// dcKind is what one command does as far as the migration is concerned.
type dcKind int

const (
	dcOther       dcKind = iota // a project command: keep it, run it in the environment
	dcCreate                    // creates a venv (python -m venv, virtualenv, uv venv)
	dcActivate                  // activates or deactivates a venv, or puts its bin on PATH
	dcInstall                   // installs what the Flox hook already keeps in sync
	dcBootstrap                 // installs packaging tools (pip, virtualenv, uv) into a venv
	dcDeactivate                // leaves an activated venv (`deactivate`)
	dcWindows                   // a Windows-only venv instruction (venv\Scripts\activate, py -m venv)
	dcInterpreter               // installs or selects an interpreter (uv python install, pyenv install), or configures the manager's venv
	dcUnsafe                    // venv setup the rewrite cannot replace safely
	dcEnvInstall                // an install the hook covers only in part: kept, inside the environment
)

// isSetup reports whether commands of kind k are replaced by the Flox environment.
func (k dcKind) isSetup() bool { return k != dcOther && k != dcUnsafe && k != dcEnvInstall }

// dcCommand is the classification of one simple command.
type dcCommand struct {
	kind dcKind
	why  string // for dcUnsafe: what is wrong
}

// dcWordText returns a word's value when it is made of literals and quotes
// only, else its source text (so "$VENV/bin/activate" still reads as a path).
func dcWordText(w *syntax.Word, src string) string {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(l.Value)
				} else {
					b.WriteString(dcSource(src, q))
				}
			}
		default:
			b.WriteString(dcSource(src, p))
		}
	}
	return b.String()
}

// dcSource is the source text of a node, guarding against bad positions.
func dcSource(src string, n syntax.Node) string {
	s, e := int(n.Pos().Offset()), int(n.End().Offset())
	if s < 0 || e > len(src) || s > e {
		return ""
	}
	return src[s:e]
}

// dcWindowsText reports text that only makes sense on Windows.
func dcWindowsText(raw string) bool {
	l := strings.ToLower(raw)
	return strings.Contains(l, `\scripts\`) || strings.Contains(l, "/scripts/activate") ||
		strings.HasSuffix(l, "activate.ps1") || strings.HasSuffix(l, "activate.bat") ||
		strings.HasSuffix(l, `\scripts\activate`)
}

// dcOutsideRepo reports a venv path that does not belong to the project
// (a venv a person keeps elsewhere, or a production venv).
func dcOutsideRepo(p string) bool {
	return strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || strings.HasPrefix(p, "$HOME") ||
		strings.HasPrefix(p, "${HOME}") || strings.HasPrefix(p, "..")
}

// dcSynced reports whether the dependency file p (as written in a command,
// relative to the command's folder) is kept in sync by the Flox hook.
func dcSynced(ctx *Context, p string) bool {
	p = path.Clean(strings.ReplaceAll(p, `\`, "/"))
	if ctx.ProjectDir != "" && ctx.ProjectDir != "." {
		p = strings.TrimPrefix(p, path.Clean(ctx.ProjectDir)+"/")
	}
	for _, s := range ctx.Synced {
		if path.Clean(s) == p {
			return true
		}
	}
	return false
}

// dcSyncedAny reports whether any of names is synced.
func dcSyncedAny(ctx *Context, names ...string) bool {
	for _, n := range names {
		if dcSynced(ctx, n) {
			return true
		}
	}
	return false
}

// dcGroupsSynced reports whether the hook syncs every named group or
// extra. Names compare as PEP 685 normalises them.
func dcGroupsSynced(ctx *Context, names []string) bool {
	norm := func(s string) string {
		return strings.NewReplacer("_", "-", ".", "-").Replace(strings.ToLower(s))
	}
	for _, n := range names {
		found := false
		for _, g := range ctx.Groups {
			found = found || norm(g) == norm(n)
		}
		if !found {
			return false
		}
	}
	return true
}

// dcClassifyInstall classifies the arguments after `pip install` (or
// `uv pip install`, `python -m pip install`), as internal/venvcmd reads
// them: an install of synced files or of the project goes, one of
// packaging tools alone is a bootstrap, anything else stays.
func dcClassifyInstall(ctx *Context, args []string) dcCommand {
	in := venvcmd.PipInstall(args)
	var extras, groups []string
	project, tools, buildTools, other, outside := false, false, false, false, false
	for _, g := range in.Groups {
		if strings.Contains(g, ":") {
			other = true // pip 25.1's [PATH:]NAME: another folder's pyproject.toml
		} else {
			groups = append(groups, g)
		}
	}
	for _, name := range in.Given {
		switch name {
		case "--requirement", "--editable", "--group", "--constraint", "--upgrade-strategy", "--progress-bar",
			"--upgrade", "--quiet", "--verbose", "--no-cache-dir", "--disable-pip-version-check", "--pre", "--no-input":
			// What the hook's sync makes no difference to.
		case "--user", "--system", "--break-system-packages":
			outside = true // fine to drop when synced; under a venv, kept it fails
		default:
			other = true // index URLs, --target: not what the hook does
		}
	}
	for _, t := range slices.Concat(in.Editables, in.Paths) {
		if t.Path == "." || t.Path == "./" {
			project = true
			extras = append(extras, t.Extras...)
		} else {
			other = true
		}
	}
	for _, p := range in.Packages {
		switch name := venvcmd.RequirementName(p); {
		case name == "setuptools" || name == "wheel":
			// Not in a new venv (Python 3.12+): an install of them
			// alone is for a later build (`setup.py build_ext`), and
			// stays; beside pip it is the usual upgrade of the tools.
			buildTools = true
		case venvcmd.IsBootstrapTool(p):
			tools = true
		default:
			other = true
		}
	}
	reqs := in.Requirements
	keep := dcCommand{kind: dcEnvInstall}
	if outside {
		keep = dcCommand{kind: dcUnsafe, why: "installs outside a venv (--user/--system), which fails inside the Flox venv"}
	}
	if other || buildTools && !tools {
		return keep
	}
	for _, r := range reqs {
		if !dcSynced(ctx, r) {
			return keep
		}
	}
	if project && (!dcSyncedAny(ctx, "pyproject.toml", "setup.py", "setup.cfg") || !dcGroupsSynced(ctx, extras)) {
		return keep
	}
	if len(groups) > 0 && (!dcSyncedAny(ctx, "pyproject.toml") || !dcGroupsSynced(ctx, groups)) {
		return keep
	}
	if len(reqs) > 0 || project || len(groups) > 0 {
		return dcCommand{kind: dcInstall}
	}
	if tools {
		return dcCommand{kind: dcBootstrap}
	}
	return keep
}

// dcClassifyCreate checks a venv creation's arguments for what the Flox hook
// cannot reproduce.
func dcClassifyCreate(args []string) dcCommand {
	for _, a := range args {
		if a == "--system-site-packages" {
			return dcCommand{kind: dcUnsafe, why: "venv with --system-site-packages"}
		}
		if !strings.HasPrefix(a, "-") && dcOutsideRepo(a) {
			return dcCommand{kind: dcUnsafe, why: "venv outside the repository (" + a + ")"}
		}
	}
	return dcCommand{kind: dcCreate}
}

// dcClassifyCall classifies one simple command given its words' values.
func dcClassifyCall(ctx *Context, args, raws []string) dcCommand {
	if len(args) == 0 {
		return dcCommand{kind: dcOther}
	}
	for _, r := range raws {
		if dcWindowsText(r) {
			return dcCommand{kind: dcWindows}
		}
	}
	// Wrappers (env, timeout 600, sudo) run the command after them.
	start := venvcmd.Unwrap(args)
	if start >= len(args) {
		return dcCommand{kind: dcOther}
	}
	name := path.Base(args[start])
	rest := args[start+1:]
	switch {
	case name == "source" || name == ".":
		if len(rest) == 0 {
			return dcCommand{kind: dcOther}
		}
		p := rest[0]
		if strings.HasSuffix(p, "/bin/activate") || strings.HasSuffix(p, "/bin/activate.fish") ||
			strings.HasSuffix(p, "/bin/activate.csh") || p == "$VENV" || p == "${VENV}" {
			if dcOutsideRepo(p) {
				return dcCommand{kind: dcUnsafe, why: "activates a venv outside the repository (" + p + ")"}
			}
			return dcCommand{kind: dcActivate}
		}
	case name == "eval":
		if dcEvalsActivation(rest) {
			return dcCommand{kind: dcActivate}
		}
	case name == "deactivate":
		return dcCommand{kind: dcDeactivate}
	case name == "pyenv" || name == "asdf" || name == "mise" || name == "rtx":
		return dcClassifyVersionManager(name, rest)
	case name == "workon":
		return dcCommand{kind: dcActivate}
	case name == "mkvirtualenv":
		return dcCommand{kind: dcCreate}
	case name == "virtualenv":
		return dcClassifyCreate(rest)
	case name == "py":
		if i := dcIndexOf(rest, "-m"); i >= 0 && i+1 < len(rest) && (rest[i+1] == "venv" || rest[i+1] == "virtualenv") {
			return dcCommand{kind: dcWindows}
		}
	case venvcmd.IsPython(name):
		rest = dcSplitModule(rest)
		i := dcIndexOf(rest, "-m")
		if i < 0 || i+1 >= len(rest) {
			break
		}
		switch rest[i+1] {
		case "venv", "virtualenv":
			return dcClassifyCreate(rest[i+2:])
		case "pip":
			if i+2 < len(rest) && rest[i+2] == "install" {
				return dcClassifyInstall(ctx, rest[i+3:])
			}
		}
	case venvcmd.IsPip(name):
		if len(rest) > 0 && rest[0] == "install" {
			return dcClassifyInstall(ctx, rest[1:])
		}
	case name == "uv":
		if len(rest) == 0 {
			break
		}
		switch rest[0] {
		case "venv":
			return dcClassifyCreate(rest[1:])
		case "sync":
			if dcSyncedAny(ctx, "uv.lock", "pyproject.toml") {
				return dcGroupsCommand(ctx, rest[1:], dcUVGroupFlags)
			}
		case "python":
			// The Flox environment provides the interpreter, and the hook
			// forbids uv's downloads (UV_PYTHON_DOWNLOADS=never).
			if len(rest) > 1 && (rest[1] == "install" || rest[1] == "pin") {
				return dcCommand{kind: dcInterpreter}
			}
		case "pip":
			if len(rest) > 1 && rest[1] == "install" {
				return dcClassifyInstall(ctx, rest[2:])
			}
			if len(rest) > 1 && rest[1] == "sync" && len(rest) > 2 {
				for _, r := range rest[2:] {
					if strings.HasPrefix(r, "-") || !dcSynced(ctx, r) {
						return dcCommand{kind: dcOther}
					}
				}
				return dcCommand{kind: dcInstall}
			}
		}
	case (name == "poetry" || name == "pdm") && dcVenvConfig(name, rest):
		return dcCommand{kind: dcInterpreter}
	case name == "poetry":
		if len(rest) > 0 && (rest[0] == "install" || rest[0] == "sync") && dcSyncedAny(ctx, "poetry.lock", "pyproject.toml") {
			return dcGroupsCommand(ctx, rest[1:], dcPoetryGroupFlags)
		}
		if len(rest) == 1 && rest[0] == "shell" {
			return dcCommand{kind: dcActivate}
		}
		if len(rest) > 1 && rest[0] == "env" && rest[1] == "use" {
			return dcCommand{kind: dcInterpreter}
		}
	case name == "pipenv":
		if len(rest) > 0 && rest[0] == "install" && dcSyncedAny(ctx, "Pipfile", "Pipfile.lock") {
			for _, r := range rest[1:] {
				if !strings.HasPrefix(r, "-") {
					return dcCommand{kind: dcOther} // adds a package: a change, not a setup
				}
			}
			return dcGroupsCommand(ctx, rest[1:], dcPipenvGroupFlags)
		}
		if len(rest) > 0 && rest[0] == "sync" && dcSyncedAny(ctx, "Pipfile.lock") {
			return dcGroupsCommand(ctx, rest[1:], dcPipenvGroupFlags)
		}
		if len(rest) == 1 && rest[0] == "shell" {
			return dcCommand{kind: dcActivate}
		}
	case name == "pdm":
		if len(rest) > 1 && rest[0] == "venv" && rest[1] == "create" {
			return dcCommand{kind: dcCreate}
		}
		if len(rest) > 0 && (rest[0] == "install" || rest[0] == "sync") && dcSyncedAny(ctx, "pdm.lock", "pyproject.toml") {
			return dcGroupsCommand(ctx, rest[1:], dcPDMGroupFlags)
		}
		if len(rest) == 1 && rest[0] == "shell" {
			return dcCommand{kind: dcActivate}
		}
		if len(rest) > 0 && rest[0] == "use" {
			return dcCommand{kind: dcInterpreter}
		}
	case name == "hatch":
		// The default environment only: `hatch shell docs` is another one.
		if len(rest) == 1 && rest[0] == "shell" {
			return dcCommand{kind: dcActivate}
		}
	}
	return dcCommand{kind: dcOther}
}

// dcVenvConfig reports `pdm config [-l] venv.in_project true`, `pdm config
// python.use_venv true` and `poetry config [--local] virtualenvs.KEY ...`:
// settings of the venv the manager makes, which the hook's venv replaces
// (it sets VIRTUAL_ENV and PDM_PYTHON for the manager).
func dcVenvConfig(name string, rest []string) bool {
	words := dcNonFlags(rest)
	if len(words) < 2 || words[0] != "config" {
		return false
	}
	if name == "poetry" {
		return strings.HasPrefix(words[1], "virtualenvs.")
	}
	// `python.use_venv false` turns venvs off (PEP 582): not the old venv.
	on := len(words) > 2 && slices.Contains([]string{"true", "1", "yes", "on"}, strings.ToLower(words[2]))
	return strings.HasPrefix(words[1], "venv.") || (words[1] == "python.use_venv" && on)
}

func dcIndexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// dcVenvWord reports a word that points into one of the project's venvs
// (".venv/bin", "$PWD/venv/bin") or names VIRTUAL_ENV.
func dcVenvWord(ctx *Context, raw string) bool {
	if strings.Contains(raw, "VIRTUAL_ENV") {
		return true
	}
	for _, d := range dcVenvDirs(ctx) {
		if strings.Contains(raw, d+"/bin") {
			return true
		}
	}
	return false
}

// dcVenvDirs is the project's venv folders, or the usual names when detect
// found none.
func dcVenvDirs(ctx *Context) []string {
	if len(ctx.VenvDirs) > 0 {
		return ctx.VenvDirs
	}
	return []string{".venv", "venv", "env", ".env"}
}

// dcClassifyStmtCmd classifies a statement's command when it is a simple
// command, an `export`, or a redirect into $GITHUB_PATH/$GITHUB_ENV.
func dcClassifyStmtCmd(ctx *Context, st *syntax.Stmt, src string) (dcCommand, bool) {
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			for _, a := range c.Assigns {
				if a.Name != nil && (a.Name.Value == "VIRTUAL_ENV" || (a.Name.Value == "PATH" && dcVenvWord(ctx, dcSource(src, a)))) {
					return dcCommand{kind: dcActivate}, true
				}
			}
			return dcCommand{kind: dcOther}, true
		}
		args, raws := dcCallWords(c, src)
		for _, r := range st.Redirs {
			if r.Word != nil {
				t := dcSource(src, r.Word)
				if (strings.Contains(t, "GITHUB_PATH") || strings.Contains(t, "GITHUB_ENV")) && dcVenvWord(ctx, dcSource(src, c)) {
					return dcCommand{kind: dcActivate}, true
				}
			}
		}
		return dcClassifyCall(ctx, args, raws), true
	case *syntax.DeclClause:
		if c.Variant == nil || c.Variant.Value != "export" {
			return dcCommand{kind: dcOther}, true
		}
		for _, a := range c.Args {
			if a.Name != nil && (a.Name.Value == "VIRTUAL_ENV" || (a.Name.Value == "PATH" && dcVenvWord(ctx, dcSource(src, a)))) {
				return dcCommand{kind: dcActivate}, true
			}
		}
		return dcCommand{kind: dcOther}, true
	}
	return dcCommand{}, false
}

// dcVenvBinPrefix returns the length of a leading "DIR/bin/" (or
// "./DIR/bin/") on a command name that runs a tool out of the project's
// venv, or 0. Inside the Flox environment the venv's bin is first on PATH,
// so the bare name runs the same tool.
func dcVenvBinPrefix(ctx *Context, name string) int {
	for _, d := range dcVenvDirs(ctx) {
		for _, p := range []string{d + "/bin/", "./" + d + "/bin/"} {
			if strings.HasPrefix(name, p) && len(name) > len(p) && !strings.ContainsAny(name[len(p):], "/$") {
				return len(p)
			}
		}
	}
	return 0
}

// dcSplitModule writes `python -mpip` as `python -m pip`.
func dcSplitModule(args []string) []string {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			break
		}
		if len(a) > 2 && strings.HasPrefix(a, "-m") {
			return slices.Concat(args[:i], []string{"-m", a[2:]}, args[i+1:])
		}
	}
	return args
}

// dcRunsToxOrNox reports a script that runs tox or nox, which build their
// own venvs from whatever interpreters they find: they keep working inside
// the Flox environment, but only with its one interpreter.
func dcRunsToxOrNox(script string) bool {
	found := false
	dcEachCall(script, func(args []string) bool {
		name := path.Base(args[0])
		if name == "tox" || name == "nox" || (venvcmd.IsPython(name) && len(args) > 2 && args[1] == "-m" && (args[2] == "tox" || args[2] == "nox")) ||
			((name == "uvx" || name == "pipx") && len(args) > 1 && (args[1] == "tox" || args[1] == "nox")) {
			found = true
		}
		return true
	})
	return found
}

// dcEachCall calls fn with the words (dcWordText) of each simple command in
// a shell script, outermost first; fn says whether to look for commands
// inside that one's words too ($(...)). A script that does not parse has none.
func dcEachCall(script string, fn func(args []string) bool) {
	f, err := detect.ParseShell(strings.NewReader(script), "", syntax.LangBash, false)
	if err != nil {
		return
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		c, ok := n.(*syntax.CallExpr)
		if !ok || len(c.Args) == 0 {
			return true
		}
		args := make([]string, 0, len(c.Args))
		for _, w := range c.Args {
			args = append(args, dcWordText(w, script))
		}
		return fn(args)
	})
}

// dcToxFollowUp is the follow-up for a CI command that runs tox or nox.
const (
	dcToxMessage    = "tox/nox manage their own venvs; they now run inside the Flox environment"
	dcToxSuggestion = "check that their envlist only needs the environment's interpreter, or keep this job on its own Python setup"
)

// dcGroupFlags says how a package manager's install command names the
// dependency groups and extras it installs.
type dcGroupFlags struct {
	named   map[string]string // option -> group it always means ("--dev" -> "dev")
	valued  map[string]bool   // options followed by group names ("--group")
	all     map[string]bool   // options that install every group or extra
	neutral map[string]bool   // options that take a value unrelated to groups
	// only are options that install less than the hook's full sync (one
	// group and not the project): the environment cannot stand in for it.
	only map[string]bool
}

var (
	dcUVGroupFlags = dcGroupFlags{
		valued:  map[string]bool{"--group": true, "--extra": true},
		all:     map[string]bool{"--all-groups": true, "--all-extras": true},
		neutral: map[string]bool{"--python": true, "-p": true, "--package": true, "--directory": true, "--project": true, "--index": true, "--no-group": true, "--no-extra": true},
		only:    map[string]bool{"--only-group": true, "--only-dev": true},
	}
	dcPoetryGroupFlags = dcGroupFlags{
		valued:  map[string]bool{"--with": true, "--only": true, "-E": true, "--extras": true},
		all:     map[string]bool{"--all-extras": true, "--all-groups": true},
		neutral: map[string]bool{"--without": true, "--directory": true, "-C": true, "--project": true, "-P": true},
		only:    map[string]bool{"--only": true, "--only-root": true},
	}
	dcPDMGroupFlags = dcGroupFlags{
		valued:  map[string]bool{"-G": true, "--group": true, "--with": true},
		neutral: map[string]bool{"--without": true, "-p": true, "--project": true, "-L": true, "--lockfile": true},
	}
	dcPipenvGroupFlags = dcGroupFlags{
		named:   map[string]string{"--dev": "dev-packages", "-d": "dev-packages"},
		valued:  map[string]bool{"--categories": true},
		neutral: map[string]bool{"--python": true},
	}
)

// dcGroupsCommand classifies a sync or install of a synced lock file by the
// groups and extras it asks for: redundant when the hook syncs them all,
// else kept inside the environment (it installs more than the hook does).
// One that installs only part of the set (`uv sync --only-group coverage`)
// cannot become the hook's full sync, which would build and install what
// the job never needed.
func dcGroupsCommand(ctx *Context, args []string, flags dcGroupFlags) dcCommand {
	for _, a := range args {
		if k, _, _ := strings.Cut(a, "="); flags.only[k] {
			return dcCommand{kind: dcUnsafe, why: "installs only part of the project's dependencies (" + k +
				"), and the Flox environment syncs all of them"}
		}
	}
	var want []string
	for i := 0; i < len(args); i++ {
		a, value, hasValue := args[i], "", false
		if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(a, "-") {
			a, value, hasValue = k, v, true
		}
		next := func() string {
			if hasValue {
				return value
			}
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case flags.named[a] != "":
			want = append(want, flags.named[a])
		case flags.all[a]:
			return dcCommand{kind: dcEnvInstall}
		case flags.valued[a]:
			v := next()
			if v == ":all" {
				return dcCommand{kind: dcEnvInstall}
			}
			want = append(want, strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })...)
		case flags.neutral[a]:
			next()
		}
	}
	if !dcGroupsSynced(ctx, want) {
		return dcCommand{kind: dcEnvInstall}
	}
	return dcCommand{kind: dcInstall}
}

// dcClassifyVersionManager classifies pyenv, asdf and mise commands: those
// that install or select a Python (the Flox environment's job now), or that
// create or activate a pyenv-virtualenv.
func dcClassifyVersionManager(name string, rest []string) dcCommand {
	if len(rest) == 0 {
		return dcCommand{kind: dcOther}
	}
	python := func(args []string) bool {
		return len(args) > 0 && (args[0] == "python" || strings.HasPrefix(args[0], "python@"))
	}
	switch name {
	case "pyenv":
		switch rest[0] {
		case "install", "local", "global", "shell":
			return dcCommand{kind: dcInterpreter}
		case "virtualenv":
			return dcCommand{kind: dcCreate}
		case "activate", "deactivate":
			return dcCommand{kind: dcActivate}
		}
	case "asdf":
		// A bare `asdf install` installs every tool of .tool-versions: kept.
		switch rest[0] {
		case "install", "local", "global", "set", "shell":
			if python(rest[1:]) {
				return dcCommand{kind: dcInterpreter}
			}
		case "plugin":
			if len(rest) > 2 && (rest[1] == "add" || rest[1] == "install") && rest[2] == "python" {
				return dcCommand{kind: dcInterpreter}
			}
		}
	default: // mise, rtx
		if (rest[0] == "install" || rest[0] == "use") && python(dcNonFlags(rest[1:])) {
			return dcCommand{kind: dcInterpreter}
		}
	}
	return dcCommand{kind: dcOther}
}

// dcNonFlags drops options from a list of words.
func dcNonFlags(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			out = append(out, a)
		}
	}
	return out
}

// dcEvalsActivation reports `eval "$(pdm venv activate)"` and
// `eval $(poetry env activate)`: activations printed by the tool.
func dcEvalsActivation(words []string) bool {
	text := strings.Join(words, " ")
	for _, act := range []string{"pdm venv activate", "poetry env activate"} {
		if strings.Contains(text, "$("+act) || strings.Contains(text, "`"+act) {
			return true
		}
	}
	return false
}

// dcOtherPython finds a uv command that asks for an interpreter other than
// the environment's (`uv sync --python 3.10`, `uv run -p ${{ matrix.py }}`):
// inside Flox, uv would look for that Python, not find it (downloads are
// off) and fail, or rebuild the venv on it. It returns the value as written.
// A value set by a CI expression (masked as QX...) counts as another.
func dcOtherPython(ctx *Context, script string) (string, bool) {
	if ctx == nil || ctx.Python == "" {
		return "", false
	}
	var found string
	dcEachCall(script, func(args []string) bool {
		if found != "" || path.Base(args[0]) != "uv" || len(args) < 3 {
			return found == ""
		}
		switch args[1] {
		case "sync", "run", "pip", "venv", "tool", "export":
		default:
			return true
		}
		for i := 2; i < len(args); i++ {
			v, ok := "", false
			switch a := args[i]; {
			case (a == "--python" || a == "-p") && i+1 < len(args):
				v, ok = args[i+1], true
			case strings.HasPrefix(a, "--python="):
				v, ok = strings.TrimPrefix(a, "--python="), true
			}
			if ok && dcPythonDiffers(v, ctx.Python) {
				found = v
				return false
			}
		}
		return true
	})
	return found, found != ""
}

// dcPythonDiffers reports a --python value that names another minor than
// want ("3.10" vs "3.12"), or one set by a CI expression. Paths and names
// without a version are taken as the environment's own.
func dcPythonDiffers(v, want string) bool {
	if strings.HasPrefix(v, "QX") {
		return true
	}
	v = strings.ToLower(v)
	for _, p := range []string{"cpython@", "cpython-", "cpython", "python"} {
		v = strings.TrimPrefix(v, p)
	}
	major, rest, ok := strings.Cut(v, ".")
	if !ok || major == "" || strings.Trim(major, "0123456789") != "" {
		return false
	}
	minor := rest
	if i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minor = rest[:i]
	}
	return minor != "" && major+"."+minor != want
}
