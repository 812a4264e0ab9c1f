package callgraph

import (
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/makefile"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// A caller that stays outside Flox (a CI matrix job on setup-python) often
// runs an entry point that makes the venv and then uses the venv itself:
//
//	- run: scripts/bootstrap      # python3 -m venv .venv; . .venv/bin/activate; pip install ...
//	- run: .venv/bin/pytest
//
// When a rewrite takes the venv creation out of the entry point, the
// caller's next step finds no .venv. OrphanedVenvs finds such uses by
// following, step by step, what each caller runs before and after the
// changes: the venv folders created (by its own commands or by the entry
// points it runs, and the ones those run) and the ones used (a program run
// from DIR/bin, an activation).

// venvCmd is a command that creates a venv or uses one.
type venvCmd struct {
	create bool
	// dir is the venv folder: relative to the project when it is a plain
	// path, else as written ("$RUNNER_TEMP/venv").
	dir  string
	text string // the command as written, shortened, for messages
}

// venvCommand says whether the words of one command create or use a venv;
// cwd is the folder it runs in, relative to the project.
func venvCommand(words []string, cwd string) (venvCmd, bool) {
	// Dir is the folder created or activated, or the one whose bin folder
	// the program runs from: every other command with one uses the venv.
	c := venvcmd.Classify(words)
	if c.Dir == "" || c.Windows {
		return venvCmd{}, false
	}
	d := venvcmd.CleanDir(c.Dir)
	if !strings.ContainsAny(d, "$`~") && !path.IsAbs(d) {
		d = path.Clean(path.Join(cwd, d))
	}
	text := strings.Join(words[c.Start:], " ")
	if len(text) > 60 {
		text = text[:57] + "..."
	}
	return venvCmd{create: c.Kind == venvcmd.Create, dir: d, text: text}, true
}

// valueWords returns the words of a command as text, with the variables
// whose plain values are known put in ("$VENV/bin/pytest" with VENV=.venv
// is .venv/bin/pytest) and `${VENV:-.venv}` read as its default when VENV
// is not known. Other expansions stay as written.
func valueWords(args []*syntax.Word, vars map[string]string) []string {
	out := make([]string, 0, len(args))
	for _, w := range args {
		var sb strings.Builder
		for _, p := range w.Parts {
			writeValue(&sb, p, vars)
		}
		out = append(out, sb.String())
	}
	return out
}

func writeValue(sb *strings.Builder, p syntax.WordPart, vars map[string]string) {
	switch p := p.(type) {
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			writeValue(sb, q, vars)
		}
	case *syntax.ParamExp:
		simple := p.Param != nil && p.Index == nil && !p.Length && !p.Excl
		v, known := "", false
		if simple {
			v, known = vars[p.Param.Value]
		}
		withDefault := p.Exp != nil && p.Exp.Word != nil && (p.Exp.Op == syntax.DefaultUnsetOrNull || p.Exp.Op == syntax.DefaultUnset)
		switch {
		case known && (p.Exp == nil || withDefault && v != ""):
			sb.WriteString(v)
		case simple && !known && withDefault:
			for _, q := range p.Exp.Word.Parts {
				writeValue(sb, q, vars)
			}
		default:
			writePart(sb, p)
		}
	default:
		writePart(sb, p)
	}
}

// venvEvent is a venv command as a caller reaches it.
type venvEvent struct {
	venvCmd
	file string // the file the command is written in
	line int    // its line there
	// entry is the entry point the caller ran to reach the command; zero
	// for the caller's own commands.
	entry Entry
	at    int // the line, in the caller's file, of that call or command
}

// venvReader lists the venv commands of runs and entry points, each entry
// point read once.
type venvReader struct {
	b       *builder
	g       *Graph
	entries map[Entry][]venvEvent
}

func newVenvReader(fsys fs.FS, dir string, files []detect.File) *venvReader {
	return &venvReader{b: newBuilder(fsys, dir, files), g: Build(fsys, dir, files), entries: map[Entry][]venvEvent{}}
}

// run returns the venv commands of a caller's run, in order.
func (r *venvReader) run(run Run) []venvEvent {
	var out []venvEvent
	for _, s := range run.Steps {
		switch {
		case s.Action != "":
			e := Entry{Kind: EntryAction, File: s.Action}
			out = append(out, reached(r.entry(e), e, s.Line)...)
		case s.Argv != nil:
			for _, e := range r.b.resolve(s.Argv, s.Dir) {
				out = append(out, reached(r.entry(e), e, s.Line)...)
			}
			if v, ok := venvCommand(s.Argv, s.Dir); ok {
				out = append(out, venvEvent{venvCmd: v, file: run.Caller.File, line: s.Line, at: s.Line})
			}
		default:
			out = append(out, r.shell(s.Shell, s.Dir, run.Caller.File, s.Line, true)...)
		}
	}
	return out
}

// shell returns the venv commands of a piece of shell written in file
// from line first on, and those of the entry points it runs. top says the
// shell is the caller's own: the entry points it runs are the ones named
// in the events.
func (r *venvReader) shell(text, cwd, file string, first int, top bool) []venvEvent {
	var out []venvEvent
	for _, f := range r.b.shellFinds(text, cwd) {
		line := first + f.line - 1
		if f.venv != nil {
			out = append(out, venvEvent{venvCmd: *f.venv, file: file, line: line, at: line})
			continue
		}
		inner := r.entry(f.entry)
		if top {
			inner = reached(inner, f.entry, line)
		}
		out = append(out, inner...)
	}
	return out
}

// reached marks events as reached through entry e, called at line at.
func reached(events []venvEvent, e Entry, at int) []venvEvent {
	out := make([]venvEvent, len(events))
	for i, ev := range events {
		ev.entry, ev.at = e, at
		out[i] = ev
	}
	return out
}

// entry returns the venv commands an entry point runs, with those of the
// entry points it runs in turn.
func (r *venvReader) entry(e Entry) []venvEvent {
	if events, ok := r.entries[e]; ok {
		return events
	}
	r.entries[e] = nil // a cycle ends here
	var out []venvEvent
	switch e.Kind {
	case EntryScript:
		out = r.shell(r.b.read(e.File), ".", e.File, 1, false)
	case EntryMake:
		mf := parseMakefile(r.b.read(e.File))
		for _, t := range prerequisitesFirst(mf, e.Target) {
			for _, rl := range mf.rule(t).recipe {
				out = append(out, r.shell(makeRecipeShell(expandMakeVars(rl.text, mf.vars, 0)), path.Dir(e.File), e.File, rl.line, false)...)
			}
		}
	case EntryAction:
		for _, run := range r.g.Runs {
			if run.Caller.Kind == CallerAction && run.Caller.File == e.File {
				out = append(out, r.run(run)...)
			}
		}
	}
	r.entries[e] = out
	return out
}

// prerequisitesFirst returns the targets make runs for target t, in the
// order it runs their recipes: prerequisites before the targets that
// need them, each once.
func prerequisitesFirst(mf *mkFile, t string) []string {
	seen := map[string]bool{}
	var out []string
	var visit func(t string)
	visit = func(t string) {
		if seen[t] {
			return
		}
		seen[t] = true
		r := mf.rule(t)
		if r == nil {
			return
		}
		for _, p := range r.prereqs {
			visit(p)
		}
		out = append(out, t)
	}
	visit(t)
	return out
}

// expandMakeVars puts the values of the Makefile's variables in place of
// $(NAME) and ${NAME}; $$, other references and $(FLOX), the prefix
// venv2flox writes (makeRecipeShell reads it), stay as written.
func expandMakeVars(s string, vars map[string]string, depth int) string {
	if depth > 8 || !strings.Contains(s, "$") {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			sb.WriteByte(s[i])
			continue
		}
		if s[i+1] == '$' {
			sb.WriteString("$$")
			i++
			continue
		}
		closer := map[byte]byte{'(': ')', '{': '}'}[s[i+1]]
		end := strings.IndexByte(s[i+2:], closer)
		if closer == 0 || end < 0 {
			sb.WriteByte(s[i])
			continue
		}
		name := s[i+2 : i+2+end]
		v, ok := vars[name]
		if !ok || !makefile.IsVarName(name) || name == "FLOX" {
			sb.WriteByte(s[i])
			continue
		}
		sb.WriteString(expandMakeVars(v, vars, depth+1))
		i += 2 + end
	}
	return sb.String()
}

// Orphan is a use of a venv folder by a caller that stays outside the
// Flox environment, where something the caller ran created the folder
// before the changes and nothing it runs creates it after them.
type Orphan struct {
	Caller Caller
	// Line is where, in Caller.File, the caller runs the use: its own
	// command, or the call of the entry point that holds it.
	Line int
	Dir  string // the venv folder, relative to the project
	Use  string // the command that uses it, as written
	// UsedIn and UseLine locate the command.
	UsedIn  string
	UseLine int
	// Creator is the file whose commands created Dir before the changes
	// (a script, a Makefile), and Entry is what the caller ran to reach
	// them.
	Creator string
	Entry   Entry
	// Files are the files besides the caller's own whose commands created
	// or used Dir in the caller's run before the changes, Creator first:
	// for the caller to keep working, each goes on using the folder
	// without Flox.
	Files []string
}

// Why says how the caller fails, for Break.
func (o Orphan) Why() string {
	use := "`" + o.Use + "`"
	if o.UsedIn != o.Caller.File {
		use += " (" + o.UsedIn + ":" + strconv.Itoa(o.UseLine) + ")"
	}
	by := "`" + o.Entry.String() + "`"
	if o.Entry == (Entry{}) {
		by = o.Creator
	} else if o.Creator != o.Entry.File {
		by += " (through " + o.Creator + ")"
	}
	return use + " needs the venv " + o.Dir + ", which " + by + " no longer creates without Flox"
}

// OrphanedVenvs applies changed (new contents by project-relative path)
// over the project and returns the uses of venv folders that callers
// outside Flox still make, though what created the folder for them no
// longer does. Each folder is reported once per caller.
func OrphanedVenvs(fsys fs.FS, dir string, files []detect.File, changed map[string][]byte) []Orphan {
	return orphanedVenvs(fsys, dir, files, newVenvReader(overlay{base: fsys, dir: dir, changed: changed}, dir, files))
}

// orphanedVenvs is OrphanedVenvs with the tree after the changes read by
// after.
func orphanedVenvs(fsys fs.FS, dir string, files []detect.File, after *venvReader) []Orphan {
	var before *venvReader // read only for a caller that uses a venv
	var out []Orphan
	for _, run := range after.g.Runs {
		if run.Caller.Flox || run.Caller.Kind == CallerAction || !slices.ContainsFunc(after.run(run), func(ev venvEvent) bool { return !ev.create }) {
			continue
		}
		if before == nil {
			before = newVenvReader(fsys, dir, files)
		}
		old, ok := findRun(before.g, run.Caller)
		if !ok {
			continue
		}
		// The uses a folder made earlier in the run served before. A use
		// is known by its text and how many times the run made it so far:
		// lines move when other jobs of the file change.
		served := map[string]venvEvent{}
		created := map[string]venvEvent{}
		files := map[string][]string{}
		seen := map[string]int{}
		for _, ev := range before.run(old) {
			if ev.file != run.Caller.File && !slices.Contains(files[ev.dir], ev.file) {
				files[ev.dir] = append(files[ev.dir], ev.file)
			}
			if _, ok := created[ev.dir]; ev.create && !ok {
				created[ev.dir] = ev
			} else if c, ok := created[ev.dir]; ok && !ev.create {
				served[useKey(ev, seen)] = c
			}
		}
		clear(created)
		clear(seen)
		reported := map[string]bool{}
		for _, ev := range after.run(run) {
			if ev.create {
				created[ev.dir] = ev
				continue
			}
			c, ok := served[useKey(ev, seen)]
			if _, made := created[ev.dir]; made || !ok || reported[ev.dir] {
				continue
			}
			reported[ev.dir] = true
			involved := append([]string{c.file}, slices.DeleteFunc(slices.Clone(files[ev.dir]), func(f string) bool { return f == c.file })...)
			if c.file == run.Caller.File {
				involved = involved[1:]
			}
			out = append(out, Orphan{Caller: run.Caller, Line: ev.at, Dir: ev.dir, Use: ev.text, UsedIn: ev.file,
				UseLine: ev.line, Creator: c.file, Entry: c.entry, Files: involved})
		}
	}
	return out
}

// useKey names a use within a run: its file, its text and how many times
// the run made it before (counted in seen).
func useKey(ev venvEvent, seen map[string]int) string {
	k := ev.file + "\x00" + ev.text
	seen[k]++
	return k + "\x00" + strconv.Itoa(seen[k])
}

// findRun returns the run of a caller, matched by kind, file and name.
func findRun(g *Graph, c Caller) (Run, bool) {
	for _, r := range g.Runs {
		if r.Caller.Kind == c.Kind && r.Caller.File == c.File && r.Caller.Name == c.Name {
			return r, true
		}
	}
	return Run{}, false
}
