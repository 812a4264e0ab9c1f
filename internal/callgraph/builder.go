package callgraph

import (
	"bytes"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/venv2flox/venv2flox/detect"
)

// maxFile is the largest file read; detect has the same limit.
const maxFile = 8 << 20

// builder collects calls while the project's files are read.
type builder struct {
	fsys      fs.FS
	dir       string
	g         *Graph
	scripts   map[string]bool // shell scripts
	makefiles map[string]bool
	actions   map[string]bool // action.yml files of composite actions
	defaults  map[string]string
	runs      map[Caller]int // index in g.Runs
}

func newBuilder(fsys fs.FS, dir string, files []detect.File) *builder {
	b := &builder{fsys: fsys, dir: dir, g: &Graph{}, scripts: map[string]bool{},
		makefiles: map[string]bool{}, actions: map[string]bool{}, defaults: map[string]string{}, runs: map[Caller]int{}}
	for _, f := range files {
		switch f.Kind {
		case detect.KindShell:
			b.scripts[f.Path] = true
		case detect.KindMakefile:
			b.makefiles[f.Path] = true
		case detect.KindGitHubAction:
			b.actions[f.Path] = true
		}
	}
	return b
}

// full is a project-relative path in fsys.
func (b *builder) full(rel string) string {
	if b.dir == "." || b.dir == "" {
		return rel
	}
	return path.Join(b.dir, rel)
}

func (b *builder) exists(rel string) bool {
	info, err := fs.Stat(b.fsys, b.full(rel))
	return err == nil && info.Mode().IsRegular()
}

// read returns a text file's content with CRLF line ends made LF, or ""
// when it cannot be read or is not text.
func (b *builder) read(rel string) string {
	info, err := fs.Stat(b.fsys, b.full(rel))
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxFile {
		return ""
	}
	data, err := fs.ReadFile(b.fsys, b.full(rel))
	if err != nil || !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return ""
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	return strings.ReplaceAll(string(data), "\r\n", "\n")
}

func (b *builder) add(c Caller, e Entry, line int) {
	b.g.Calls = append(b.g.Calls, Call{Caller: c, Entry: e, Line: line})
}

// shell adds the calls of a piece of shell run by caller from folder cwd
// (relative to the project); first is the file line of its first line.
func (b *builder) shell(c Caller, text, cwd string, first int) {
	for _, f := range b.shellCalls(text, cwd) {
		b.add(c, f.entry, first+f.line-1)
	}
}

// argv adds the call of a command given as separate words (a devcontainer
// command array, a pre-commit entry).
func (b *builder) argv(c Caller, words []string, cwd string, line int) {
	for _, e := range b.resolve(words, cwd) {
		b.add(c, e, line)
	}
}

// step records a command a caller runs on its own (see Graph.Runs).
func (b *builder) step(c Caller, s Step) {
	i, ok := b.runs[c]
	if !ok {
		i = len(b.g.Runs)
		b.runs[c] = i
		b.g.Runs = append(b.g.Runs, Run{Caller: c})
	}
	b.g.Runs[i].Steps = append(b.g.Runs[i].Steps, s)
}

// shellStep is shell for a caller that runs it on its own.
func (b *builder) shellStep(c Caller, text, cwd string, first int) {
	b.step(c, Step{Shell: text, Dir: cwd, Line: first})
	b.shell(c, text, cwd, first)
}
