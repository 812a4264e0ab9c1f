package installset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// The recorder runs a setup (a Makefile target, a script, doc blocks, CI
// steps, the Flox hook) with mvdan.cc/sh's interpreter. Every program the
// code starts is a stand-in: venv commands (python -m venv, virtualenv,
// pip, uv, poetry, pdm, pipenv) are classified with venvcmd and recorded,
// `make TARGET` and project scripts are followed into their own code, and
// anything else does nothing and succeeds. No program is executed, no
// make is run (recipes come from detect's reading of the Makefile, never
// from $(shell ...)), and nothing is written to disk.

// Environment folders the recorded code sees.
const (
	homeDir      = "/home/contributor"
	floxEnv      = "/flox/env"
	floxEnvCache = projectRoot + "/.flox/cache"
)

// Limits that keep a recording bounded whatever the code does.
const (
	maxDepth    = 12          // nested make targets and scripts
	maxCommands = 20000       // commands and function calls in one recording
	runTimeout  = time.Second // wall time of one recording
)

// errTooMany stops code that runs more commands than any setup does (a
// loop or a recursive function that never ends).
var errTooMany = errors.New("stopped after too many commands")

// Recorded is one venv command the recorded code ran.
type Recorded struct {
	Command  venvcmd.Command
	Dir      string
	Evidence detect.Evidence
	// Text is the command as written (installs, uninstalls, creations).
	Text string
	// Via are the targets and scripts it ran in, outermost first.
	Via []Call
}

// Call is a Makefile target or a script the recorded code ran.
type Call struct {
	// Label names it: "make install-dev", "scripts/bootstrap".
	Label string
	// From is the line that ran it, At where it is defined (the rule's
	// line, the script's first line).
	From, At detect.Evidence
}

// Recorder records what shell code does to venvs.
type Recorder struct {
	p     *detect.Project
	fs    *vfs
	env   map[string]string
	steps []Step
	seen  []Recorded
	notes []Note
	depth int
	count int
	// foreign are the commands that build the venv in a way the recorder
	// does not replay.
	foreign []Foreign
	// cloned are the folders `git clone` made: the checkout itself.
	cloned []string
	// via are the targets and scripts being run, outermost first.
	via    []Call
	cancel context.CancelFunc
}

// NewRecorder returns a recorder for a project. env adds to or replaces
// the environment the code sees (CI=true for CI jobs); the Flox variables
// point at virtual folders.
func NewRecorder(p *detect.Project, env map[string]string) *Recorder {
	var project fs.FS
	if p.FS != nil {
		if sub, err := fs.Sub(p.FS, p.Root); err == nil {
			project = sub
		}
	}
	r := &Recorder{p: p, fs: newVFS(project, homeDir, floxEnv+"/bin", floxEnvCache), env: map[string]string{
		"HOME": homeDir, "PATH": "/usr/local/bin:/usr/bin:/bin", "USER": "contributor", "SHELL": "/bin/bash",
		"FLOX_ENV": floxEnv, "FLOX_ENV_CACHE": floxEnvCache, "FLOX_ENV_PROJECT": projectRoot,
		"TMPDIR": "/tmp", "LANG": "C.UTF-8", "BASH": "/bin/bash",
	}}
	r.fs.binDirs = []string{floxEnv + "/bin"}
	for k, v := range env {
		r.env[k] = v
	}
	return r
}

// Steps are the install steps recorded so far, in order.
func (r *Recorder) Steps() []Step { return r.steps }

// Commands are every venv command recorded so far, in order.
func (r *Recorder) Commands() []Recorded { return r.seen }

// Notes are what the recorder could not follow.
func (r *Recorder) Notes() []Note { return r.notes }

// RunSource runs shell code cut out of a file (a doc block, a CI step, a
// recipe line) in a project folder.
func (r *Recorder) RunSource(src detect.ShellSource, dir string) {
	r.withTimeout(func(ctx context.Context) {
		r.run(ctx, src.Script, src.Path, src.LineAt, dir, nil, r.environ())
	})
}

// RunScript runs a project script by its project-relative path.
func (r *Recorder) RunScript(rel string, args ...string) {
	r.withTimeout(func(ctx context.Context) {
		r.script(ctx, rel, args, ".", r.environ(), detect.Evidence{Path: rel})
	})
}

// RunTarget runs `make TARGET` in a project folder.
func (r *Recorder) RunTarget(dir, target string) {
	r.withTimeout(func(ctx context.Context) {
		r.make(ctx, dir, []string{target}, r.environ(), detect.Evidence{})
	})
}

// RunJust runs one recipe of the project's top justfile.
func (r *Recorder) RunJust(recipe string) {
	r.withTimeout(func(ctx context.Context) {
		r.just(ctx, ".", []string{recipe}, r.environ(), detect.Evidence{})
	})
}

func (r *Recorder) withTimeout(fn func(ctx context.Context)) {
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	fn(ctx)
}

// environ is the starting environment, sorted.
func (r *Recorder) environ() []string {
	out := make([]string, 0, len(r.env))
	for k, v := range r.env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// exported returns the exported variables of a running shell, for the
// programs it starts.
func exported(env expand.Environ) []string {
	var out []string
	for name, vr := range env.Each {
		if vr.Exported && vr.IsSet() {
			out = append(out, name+"="+vr.String())
		}
	}
	sort.Strings(out)
	return out
}

// run interprets script, whose lines map to file lines through lineAt,
// in the project folder dir with the given positional parameters.
func (r *Recorder) run(ctx context.Context, script, file string, lineAt func(int) int, dir string, params, env []string) {
	if r.depth >= maxDepth {
		r.notes = append(r.notes, Note{Text: "too deeply nested to follow", Evidence: detect.Evidence{Path: file}})
		return
	}
	r.depth++
	defer func() { r.depth-- }()
	lang := syntax.LangBash
	if strings.HasSuffix(file, ".zsh") {
		lang = syntax.LangZsh
	}
	parser := parsers.Get().(*syntax.Parser)
	syntax.Variant(lang)(parser)
	prog, err := parser.Parse(strings.NewReader(strings.ReplaceAll(script, "\r\n", "\n")), file)
	parsers.Put(parser)
	if err != nil {
		r.notes = append(r.notes, Note{Text: "cannot follow: " + err.Error(), Evidence: detect.Evidence{Path: file}})
		return
	}
	site := &codeSite{file: file, lineAt: lineAt, calls: callsByOffset(prog)}
	runner, err := interp.New(
		interp.Env(expand.ListEnviron(env...)),
		virtualDir(path.Join(projectRoot, dir)),
		interp.Params(append([]string{"--"}, params...)...),
		interp.StdIO(nil, io.Discard, io.Discard),
		interp.CallHandler(r.call),
		interp.ExecHandlers(func(interp.ExecHandlerFunc) interp.ExecHandlerFunc {
			return func(ctx context.Context, args []string) error { return r.exec(ctx, args, site) }
		}),
		interp.OpenHandler(r.fs.open),
		interp.StatHandler(r.fs.stat),
		interp.ReadDirHandler2(r.fs.readDir),
		interp.AccessHandler(r.fs.access),
	)
	if err != nil {
		r.notes = append(r.notes, Note{Text: "cannot follow: " + err.Error(), Evidence: detect.Evidence{Path: file}})
		return
	}
	_ = runner.Run(ctx, prog) // exit statuses are the code's business
}

// parsers reuses shell parsers: a recording parses every recipe line,
// script and doc block it runs.
var parsers = sync.Pool{New: func() any { return syntax.NewParser() }}

// codeSite is the code being run: its file, how its lines map to the
// file's, and its simple commands by offset.
type codeSite struct {
	file   string
	lineAt func(int) int
	calls  map[uint]*syntax.CallExpr
}

// evidence is the file and line of a position in the code.
func (s *codeSite) evidence(pos syntax.Pos) detect.Evidence {
	line := int(pos.Line())
	if s.lineAt != nil {
		line = s.lineAt(line)
	}
	return detect.Evidence{Path: s.file, Line: line}
}

// callsByOffset indexes the simple commands of a program by offset.
func callsByOffset(prog *syntax.File) map[uint]*syntax.CallExpr {
	calls := map[uint]*syntax.CallExpr{}
	syntax.Walk(prog, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok {
			calls[c.Pos().Offset()] = c
		}
		return true
	})
	return calls
}

// text is the command at a position as written, on one line.
func (s *codeSite) text(pos syntax.Pos) string {
	c := s.calls[pos.Offset()]
	if c == nil {
		return ""
	}
	var b strings.Builder
	if syntax.NewPrinter(syntax.SingleLine(true)).Print(&b, c) != nil {
		return ""
	}
	return strings.TrimSpace(b.String())
}

// virtualDir sets the runner's folder without looking at the disk.
func virtualDir(dir string) interp.RunnerOption {
	return func(r *interp.Runner) error {
		r.Dir = dir
		return nil
	}
}

// call sees every command before it runs, builtins included: a venv's
// activate script is not read (the venv is virtual), and program lookups
// (command -v, type, hash) always find the program.
func (r *Recorder) call(ctx context.Context, args []string) ([]string, error) {
	r.count++
	if r.count > maxCommands {
		return nil, errTooMany
	}
	if len(args) == 0 {
		return args, nil
	}
	switch args[0] {
	case "source", ".":
		if len(args) > 1 {
			if _, _, ok := venvcmd.ActivatePath(args[1]); ok {
				return []string{":"}, nil
			}
		}
	case "command", "type", "hash":
		if len(args) > 1 && (args[1] == "-v" || args[1] == "-V" || args[0] != "command") {
			return []string{"echo", "/usr/bin/" + path.Base(args[len(args)-1])}, nil
		}
	case "cd":
		// `git clone URL && cd NAME`: NAME is the checkout, the project's
		// top, even when the project also has a folder of that name (its
		// package: beets/beets).
		if len(args) == 2 && (slices.Contains(r.cloned, path.Clean(args[1])) || r.checkoutName(ctx, args[1])) {
			return []string{"cd", "."}, nil
		}
		// A container's checkout (/workspace/NAME in Gitpod,
		// /workspaces/NAME in a dev container) is the project's top; any
		// other absolute folder is somewhere outside it, where what the
		// code does is not the venv's setup.
		if len(args) == 2 && path.IsAbs(args[1]) {
			if r.containerCheckout(args[1]) {
				return []string{"cd", projectRoot}, nil
			}
			if _, inProject := projectPath(args[1]); !inProject {
				r.fs.dirs[path.Clean(args[1])] = true
			}
		}
	case "read":
		return readDelim(args), nil
	case "set":
		// noclobber is not supported by the interpreter, and a virtual
		// file system has no other writer to guard against.
		return slices.DeleteFunc(args, func(a string) bool { return a == "-C" || a == "+C" }), nil
	}
	return args, nil
}

// containerCheckout reports the folder where Gitpod (/workspace/NAME) or
// a dev container (/workspaces/NAME) puts the checkout of the project
// NAME.
func (r *Recorder) containerCheckout(abs string) bool {
	dir, name := path.Split(path.Clean(abs))
	return (dir == "/workspace/" || dir == "/workspaces/") && r.p.Name != "" && detect.NormalizeName(name) == detect.NormalizeName(r.p.Name)
}

// checkoutArgs writes a container's checkout path in arguments
// (`pip install -e /workspace/NAME[test]`) relative to the folder the
// command runs in, as the project's own path.
func (r *Recorder) checkoutArgs(cwd string, args []string) []string {
	var out []string
	for i, a := range args {
		for _, prefix := range []string{"/workspace/", "/workspaces/"} {
			rest, ok := strings.CutPrefix(a, prefix)
			if !ok {
				continue
			}
			name, tail := rest, ""
			if k := strings.IndexAny(rest, "/["); k >= 0 {
				name, tail = rest[:k], rest[k:]
			}
			rel, err := filepath.Rel(cwd, projectRoot)
			if err != nil || !r.containerCheckout(prefix+name) {
				continue
			}
			if out == nil {
				out = slices.Clone(args)
			}
			if sub, ok := strings.CutPrefix(tail, "/"); ok {
				out[i] = path.Join(rel, sub)
			} else {
				out[i] = rel + tail // the extras: `.[test]`
			}
		}
	}
	if out == nil {
		return args
	}
	return out
}

// checkoutName reports `cd NAME` at the project's top where NAME is the
// project's name and no such folder exists: a doc that assumes the reader
// has just cloned the repository (`$ cd cattrs/` then `$ uv sync`), whose
// commands run at the checkout's top.
func (r *Recorder) checkoutName(ctx context.Context, arg string) bool {
	name := path.Clean(arg)
	if r.p.Name == "" || strings.Contains(name, "/") || detect.NormalizeName(name) != detect.NormalizeName(r.p.Name) {
		return false
	}
	dir := interp.HandlerCtx(ctx).Dir
	if dir != projectRoot {
		return false
	}
	_, err := r.fs.stat(ctx, path.Join(dir, name), true)
	return err != nil
}

// readDelim turns `read [-r] -d DELIM NAME`, which the interpreter lacks,
// into `mapfile -d DELIM NAME`: NAME (its first element) gets the input up
// to DELIM, as read gives it.
func readDelim(args []string) []string {
	var names []string
	delim, hasDelim := "", false
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-d" && i+1 < len(args):
			delim, hasDelim = args[i+1], true
			i++
		case a == "-r":
		case strings.HasPrefix(a, "-"):
			return args // other options: leave read as it is
		default:
			names = append(names, a)
		}
	}
	if !hasDelim || len(names) != 1 {
		return args
	}
	return []string{"mapfile", "-d", delim, names[0]}
}

// exec stands in for every program the code starts.
func (r *Recorder) exec(ctx context.Context, args []string, site *codeSite) error {
	hc := interp.HandlerCtx(ctx)
	ev := site.evidence(hc.Pos)
	dir, inProject := projectPath(hc.Dir)
	if !inProject {
		return nil // code working elsewhere (a temp folder) is not the venv setup
	}
	args = r.checkoutArgs(hc.Dir, args)
	c := venvcmd.Classify(args)
	words := args[c.Start:]
	if len(words) == 0 {
		return nil
	}
	prog := words[0]
	switch base := path.Base(prog); {
	case base == "make" || base == "gmake":
		r.make(ctx, dir, words[1:], exported(hc.Env), ev)
		return nil
	case base == "just":
		r.just(ctx, dir, words[1:], exported(hc.Env), ev)
		return nil
	case base == "tox":
		if install, ok := r.toxInstall(words[1:]); ok {
			return r.exec(ctx, install, site)
		}
		if toxDevenv(words[1:]) {
			r.foreign = append(r.foreign, Foreign{Text: site.text(hc.Pos), Evidence: ev, Tool: "tox --devenv"})
		}
		return nil
	case (base == "invoke" || base == "inv" || base == "poe") && len(words) > 1 && setupTask(words[1]):
		// `invoke setup`: a task in tasks.py or pyproject.toml whose
		// Python the recorder does not run.
		r.foreign = append(r.foreign, Foreign{Text: site.text(hc.Pos), Evidence: ev, Tool: base + " " + words[1]})
		return nil
	case base == "git" && len(words) > 1 && words[1] == "clone":
		r.cloned = append(r.cloned, detect.CloneDir(words[2:]))
		return nil
	case base == "gh" && len(words) > 2 && words[1] == "repo" && words[2] == "clone":
		r.cloned = append(r.cloned, detect.CloneDir(words[3:]))
		return nil
	case utilities[base] != nil:
		utilities[base](r, hc, words[1:])
		return nil
	case base == "sh" || base == "bash" || base == "dash" || base == "zsh":
		r.shell(ctx, dir, words[1:], exported(hc.Env), ev)
		return nil
	case c.Kind == venvcmd.Other && strings.Contains(prog, "/"):
		if rel, ok := r.projectFile(hc.Dir, prog); ok {
			r.script(ctx, rel, words[1:], dir, exported(hc.Env), ev)
		}
		return nil
	}
	if c.Kind == venvcmd.Other {
		return nil
	}
	if c.Kind == venvcmd.RunTool && c.Tool == "python" && c.Module == "" && len(c.Run) > 1 && path.Ext(c.Run[1]) == ".py" {
		if rel, ok := r.projectFile(hc.Dir, c.Run[1]); ok {
			r.pyScript(ctx, rel, dir, exported(hc.Env), ev)
		}
	}
	text := ""
	if c.Kind == venvcmd.Install || c.Kind == venvcmd.Uninstall || c.Kind == venvcmd.Create {
		text = site.text(hc.Pos)
	}
	r.seen = append(r.seen, Recorded{Command: c, Dir: dir, Evidence: ev, Text: text, Via: slices.Clone(r.via)})
	if c.Kind == venvcmd.RunTool && c.Module == "" && slices.Contains(c.Run, "-c") {
		fmt.Fprintln(hc.Stdout, freshToken) // python -c computing a stamp
	}
	switch c.Kind {
	case venvcmd.Install, venvcmd.Uninstall:
		r.steps = append(r.steps, Step{Command: c, Dir: dir, Evidence: ev, Text: text, Via: slices.Clone(r.via),
			Env: envOptions(func(name string) string { return hc.Env.Get(name).String() })})
	case venvcmd.ManagerRun:
		if sync, ok := venvcmd.UVRunSync(words[1:]); ok && c.Tool == "uv" && !r.uvSynced() && r.hasProject(hc.Dir, sync.Install.Project) {
			// `uv run X` syncs the project before it runs X. After an
			// explicit `uv sync`, that sync says what the setup installs
			// and `uv run` is the step that runs things.
			text = site.text(hc.Pos)
			r.steps = append(r.steps, Step{Command: sync, Dir: dir, Evidence: ev, Text: text, Via: slices.Clone(r.via),
				Env: envOptions(func(name string) string { return hc.Env.Get(name).String() })})
			r.seen[len(r.seen)-1].Command, r.seen[len(r.seen)-1].Text = sync, text
		}
		// `poetry run pip install x` installs into the manager's venv.
		if len(c.Run) > 0 {
			return r.exec(ctx, c.Run, site)
		}
	}
	return nil
}

// Foreign is a command that builds the venv its own way, from a
// configuration venv2flox does not replay (tox --devenv reads tox.ini's
// deps, factors and package settings): its install set is unknown.
type Foreign struct {
	Tool, Text string
	Evidence   detect.Evidence
}

// setupTask reports a task runner's task named for setting up the
// development environment.
func setupTask(task string) bool {
	switch strings.ToLower(task) {
	case "setup", "install", "bootstrap", "init", "develop", "dev", "deps", "env", "venv", "install-dev", "setup-dev":
		return true
	}
	return false
}

// Foreign are the commands recorded so far that build the venv in a way
// the recorder does not replay.
func (r *Recorder) Foreign() []Foreign { return r.foreign }

// toxDevenv reports `tox --devenv DIR` and `tox devenv`/`tox d` (tox 4).
func toxDevenv(args []string) bool {
	for i, a := range args {
		if a == "--devenv" || strings.HasPrefix(a, "--devenv=") || i == 0 && (a == "devenv" || a == "d") {
			return true
		}
	}
	return false
}

// toxInstall turns a tox command that builds a development venv into the
// pip command that installs the same: `tox devenv [-e ENV] [DIR]`, `tox
// --devenv DIR`, and `tox -e ENV` (also `tox r -e ENV`) for one
// environment that installs the project editable (usedevelop, package =
// "editable": the `dev` environment of tox-dev's layout). Other runs make
// tox's own environments under .tox: no venv of the contributor's.
func (r *Recorder) toxInstall(args []string) ([]string, bool) {
	devenv := toxDevenv(args)
	name := ""
	for i, a := range args {
		switch {
		case (a == "-e" || a == "--env") && i+1 < len(args):
			name = args[i+1]
		case strings.HasPrefix(a, "-e") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			name = a[2:]
		case strings.HasPrefix(a, "--env="):
			name = strings.TrimPrefix(a, "--env=")
		}
	}
	if name == "" && devenv {
		name = "py" // tox devenv's default environment
	}
	if name == "" || strings.ContainsAny(name, ",{}") || name == "ALL" {
		return nil, false
	}
	env, ok := r.p.Setup.ToxEnv(name)
	if !ok || !devenv && (env.Package != "editable" || !devEnvName(name)) {
		return nil, false // `tox -e docs-watch` serves the docs, not a dev venv
	}
	for _, v := range slices.Concat(env.Extras, env.Groups, env.Deps) {
		if strings.ContainsAny(v, "{}") {
			return nil, false // a substitution this reading cannot expand
		}
	}
	install := []string{"pip", "install"}
	if env.Package != "skip" {
		project := "."
		if len(env.Extras) > 0 {
			project += "[" + strings.Join(env.Extras, ",") + "]"
		}
		install = append(install, "-e", project)
	}
	for _, g := range env.Groups {
		install = append(install, "--group", g)
	}
	for _, d := range env.Deps {
		if strings.HasPrefix(d, "-") {
			install = append(install, strings.Fields(d)...) // -r file, -c file
		} else {
			install = append(install, d)
		}
	}
	return install, len(install) > 2
}

// devEnvName reports the names tox projects give their development
// environment: dev, develop, devenv, venv.
func devEnvName(name string) bool {
	switch name {
	case "dev", "develop", "devel", "devenv", "venv":
		return true
	}
	return false
}

// uvSynced reports a `uv sync` recorded so far.
func (r *Recorder) uvSynced() bool {
	return slices.ContainsFunc(r.steps, func(st Step) bool { return st.Command.Tool == "uv" && st.Command.Sub == "sync" })
}

// hasProject reports a pyproject.toml in the folder uv takes for the
// project: outside a project, `uv run` syncs nothing.
func (r *Recorder) hasProject(cwd, project string) bool {
	_, err := r.fs.stat(context.Background(), path.Join(cwd, project, "pyproject.toml"), true)
	return err == nil
}

// projectFile returns the project-relative path of a program that is a
// file of the project (./scripts/bootstrap).
func (r *Recorder) projectFile(cwd, prog string) (string, bool) {
	abs := prog
	if !path.IsAbs(abs) {
		abs = path.Join(cwd, prog)
	}
	rel, ok := projectPath(abs)
	if !ok {
		return "", false
	}
	info, err := r.fs.stat(context.Background(), abs, true)
	return rel, err == nil && info.Mode().IsRegular()
}

// shell follows `bash -c 'code'` (also `-ec`, `-euxc`) and `bash
// script.sh ARGS`.
func (r *Recorder) shell(ctx context.Context, dir string, args, env []string, ev detect.Evidence) {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "c") && i+1 < len(args):
			r.run(ctx, args[i+1], ev.Path, func(int) int { return ev.Line }, dir, args[i+2:], env)
			return
		case strings.HasPrefix(a, "-"):
		default:
			if rel, ok := r.projectFile(path.Join(projectRoot, dir), a); ok {
				r.script(ctx, rel, args[i+1:], dir, env, ev)
			}
			return
		}
	}
}

// script runs a project script from the folder it was started in.
func (r *Recorder) script(ctx context.Context, rel string, args []string, dir string, env []string, ev detect.Evidence) {
	if path.Ext(rel) == ".py" {
		r.pyScript(ctx, rel, dir, env, ev)
		return
	}
	data, err := fs.ReadFile(r.fs.project, rel)
	if err != nil {
		r.notes = append(r.notes, Note{Text: "cannot read " + rel, Evidence: ev})
		return
	}
	r.enter(Call{Label: rel, From: ev, At: detect.Evidence{Path: rel, Line: 1}})
	defer r.leave()
	r.run(ctx, string(data), rel, nil, dir, args, env)
}

// pyScript stands in for a Python provisioning script (tools/venv.py):
// the venv it creates and what it installs into it are run as the shell
// commands they amount to. Other Python scripts do nothing here.
func (r *Recorder) pyScript(ctx context.Context, rel, dir string, env []string, ev detect.Evidence) {
	data, err := fs.ReadFile(r.fs.project, rel)
	if err != nil {
		return
	}
	venv, args, ok := detect.PythonProvision(string(data))
	if !ok {
		return
	}
	if venv == "" {
		venv = ".venv"
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i], _ = syntax.Quote(a, syntax.LangBash)
	}
	v, _ := syntax.Quote(venv, syntax.LangBash)
	script := "python3 -m venv " + v + "\n" + v + "/bin/python -m pip install " + strings.Join(quoted, " ") + "\n"
	r.enter(Call{Label: rel, From: ev, At: detect.Evidence{Path: rel, Line: 1}})
	defer r.leave()
	r.run(ctx, script, rel, func(int) int { return 1 }, dir, nil, env)
}

// makeOptions are make's options that take a value.
var makeOptions = []string{"-C", "-f", "-I", "-j", "-l", "-o", "-W", "--directory", "--file", "--makefile", "--jobs"}

// make runs `make [-C DIR] [-f FILE] [TARGET...]` from detect's reading of
// the Makefile: prerequisites first, each recipe line in its own shell.
func (r *Recorder) make(ctx context.Context, dir string, args, env []string, ev detect.Evidence) {
	file := ""
	var targets []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-C" || a == "--directory":
			if i+1 < len(args) {
				dir = path.Join(dir, args[i+1])
			}
			i++
		case a == "-f" || a == "--file" || a == "--makefile":
			if i+1 < len(args) {
				file = args[i+1]
			}
			i++
		case slices.Contains(makeOptions, a):
			i++
		case strings.HasPrefix(a, "-"):
		case strings.Contains(a, "="):
			// `make plugin=X test`: make exports a command-line variable
			// to the recipes' environment and to sub-makes.
			name, _, _ := strings.Cut(a, "=")
			env = append(slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, name+"=") }), a)
		default:
			targets = append(targets, a)
		}
	}
	mf, ok := r.makefile(dir, file)
	if !ok {
		r.notes = append(r.notes, Note{Text: "no Makefile in " + dir, Evidence: ev})
		return
	}
	if len(targets) == 0 && len(mf.Targets) > 0 {
		targets = []string{mf.Targets[0].Name} // the default goal
	}
	done := map[string]bool{}
	for _, t := range targets {
		at, ok := r.rule(mf, t)
		if !ok {
			continue // make would build a file of that name
		}
		r.enter(Call{Label: "make " + t, From: ev, At: at})
		r.target(ctx, mf, t, path.Dir(mf.Path), env, done)
		r.leave()
	}
}

// just runs `just RECIPE...` from the justfile in dir (its first recipe
// when none is named). Options are skipped; `just -f FILE` is not followed.
func (r *Recorder) just(ctx context.Context, dir string, args, env []string, ev detect.Evidence) {
	var jf *detect.Makefile
	for i, f := range r.p.Setup.Justfiles {
		if path.Dir(f.Path) == path.Clean(dir) {
			jf = &r.p.Setup.Justfiles[i]
		}
	}
	if jf == nil {
		r.notes = append(r.notes, Note{Text: "no justfile in " + dir, Evidence: ev})
		return
	}
	var recipes []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") && !strings.Contains(a, "=") {
			recipes = append(recipes, a)
			break // the words after a recipe are its arguments
		}
	}
	if len(recipes) == 0 && len(jf.Targets) > 0 {
		recipes = []string{jf.Targets[0].Name}
	}
	done := map[string]bool{}
	for _, t := range recipes {
		i := slices.IndexFunc(jf.Targets, func(mt detect.MakeTarget) bool { return mt.Name == t })
		if i < 0 {
			continue
		}
		r.enter(Call{Label: "just " + t, From: ev, At: jf.Targets[i].Evidence})
		r.target(ctx, *jf, t, path.Dir(jf.Path), env, done)
		r.leave()
	}
}

// enter and leave track the targets and scripts being run.
func (r *Recorder) enter(c Call) { r.via = append(r.via, c) }
func (r *Recorder) leave()       { r.via = r.via[:len(r.via)-1] }

// makefile finds the Makefile make would read in dir.
func (r *Recorder) makefile(dir, file string) (detect.Makefile, bool) {
	names := []string{"GNUmakefile", "makefile", "Makefile"}
	if file != "" {
		names = []string{file}
	}
	for _, n := range names {
		want := path.Clean(path.Join(dir, n))
		for _, mf := range r.p.Setup.Makefiles {
			if mf.Path == want {
				return mf, true
			}
		}
	}
	return detect.Makefile{}, false
}

// rule finds where target is defined: in mf or a Makefile it includes.
func (r *Recorder) rule(mf detect.Makefile, target string) (detect.Evidence, bool) {
	if i := slices.IndexFunc(mf.Targets, func(t detect.MakeTarget) bool { return t.Name == target }); i >= 0 {
		return mf.Targets[i].Evidence, true
	}
	for _, inc := range mf.Includes {
		if imf, ok := r.makefileAt(inc); ok {
			if i := slices.IndexFunc(imf.Targets, func(t detect.MakeTarget) bool { return t.Name == target }); i >= 0 {
				return imf.Targets[i].Evidence, true
			}
		}
	}
	return detect.Evidence{}, false
}

// makefileAt returns the Makefile read at a project path.
func (r *Recorder) makefileAt(rel string) (detect.Makefile, bool) {
	for _, mf := range r.p.Setup.Makefiles {
		if mf.Path == rel {
			return mf, true
		}
	}
	return detect.Makefile{}, false
}

// target runs one target after its prerequisites, once per make run.
func (r *Recorder) target(ctx context.Context, mf detect.Makefile, name, dir string, env []string, done map[string]bool) {
	if done[name] || ctx.Err() != nil {
		return
	}
	done[name] = true
	i := slices.IndexFunc(mf.Targets, func(t detect.MakeTarget) bool { return t.Name == name })
	if i < 0 {
		// A rule of an included Makefile (include mk/python.mk).
		for _, inc := range mf.Includes {
			if imf, ok := r.makefileAt(inc); ok && slices.ContainsFunc(imf.Targets, func(t detect.MakeTarget) bool { return t.Name == name }) {
				done[name] = false
				r.target(ctx, imf, name, dir, env, done)
				return
			}
		}
		return // a file, not a rule of this Makefile
	}
	t := mf.Targets[i]
	for _, p := range t.Prereqs {
		r.target(ctx, mf, p, dir, env, done)
	}
	for _, src := range t.Recipe {
		r.run(ctx, environmentRefs(src.Script, env), src.Path, src.LineAt, dir, nil, env)
	}
}

// environmentRefs expands the make references a Makefile leaves to the
// environment: detect expanded the variables the Makefile defines and kept
// the others as written ($(plugin)), which make takes from the environment
// and from the command line (`make plugin=X`).
func environmentRefs(script string, env []string) string {
	if !strings.Contains(script, "$") {
		return script
	}
	var pairs []string
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if name == "SHELL" || name == "" {
			continue // make's SHELL is its own, not the environment's
		}
		pairs = append(pairs, "$("+name+")", value, "${"+name+"}", value)
	}
	return strings.NewReplacer(pairs...).Replace(script)
}

// utilities stand in for the programs scripts use to compute paths and
// read small files: they answer from the virtual file system.
var utilities = map[string]func(r *Recorder, hc interp.HandlerContext, args []string){
	"which": func(_ *Recorder, hc interp.HandlerContext, args []string) {
		for _, a := range args {
			fmt.Fprintf(hc.Stdout, "/usr/bin/%s\n", path.Base(a))
		}
	},
	"dirname": func(_ *Recorder, hc interp.HandlerContext, args []string) {
		for _, a := range nonOptions(args) {
			fmt.Fprintln(hc.Stdout, path.Dir(a))
		}
	},
	"basename": func(_ *Recorder, hc interp.HandlerContext, args []string) {
		if a := nonOptions(args); len(a) > 0 {
			fmt.Fprintln(hc.Stdout, strings.TrimSuffix(path.Base(a[0]), strings.Join(a[1:], "")))
		}
	},
	"realpath":  absolutePaths,
	"readlink":  absolutePaths,
	"cksum":     printToken,
	"sha256sum": printToken,
	"sha1sum":   printToken,
	"md5sum":    printToken,
	"shasum":    printToken,
	"b2sum":     printToken,
	"uname": func(_ *Recorder, hc interp.HandlerContext, _ []string) {
		fmt.Fprintln(hc.Stdout, "Linux")
	},
	"cat": func(r *Recorder, hc interp.HandlerContext, args []string) {
		for _, a := range nonOptions(args) {
			if !path.IsAbs(a) {
				a = path.Join(hc.Dir, a)
			}
			if f, err := r.fs.open(context.Background(), a, 0, 0); err == nil {
				io.Copy(hc.Stdout, f)
				f.Close()
			}
		}
	},
}

// freshToken is what stand-ins print where code computes a stamp (hash
// programs, python -c): it matches no stored stamp, so "is the venv up to
// date?" checks fail and the sync is recorded.
const freshToken = "recorded"

func printToken(_ *Recorder, hc interp.HandlerContext, _ []string) {
	fmt.Fprintln(hc.Stdout, freshToken)
}

// absolutePaths prints its arguments as absolute, clean paths (realpath,
// readlink -f).
func absolutePaths(_ *Recorder, hc interp.HandlerContext, args []string) {
	for _, a := range nonOptions(args) {
		if !path.IsAbs(a) {
			a = path.Join(hc.Dir, a)
		}
		fmt.Fprintln(hc.Stdout, path.Clean(a))
	}
}

// nonOptions drops the options of a utility's arguments.
func nonOptions(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") || a == "-" {
			out = append(out, a)
		}
	}
	return out
}
