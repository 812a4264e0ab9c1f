package callgraph

import (
	"path"
	"strings"

	"github.com/venv2flox/venv2flox/internal/yamldoc"
)

// script adds the calls a shell script makes. Scripts are mostly run from
// the project's top folder (scripts/test runs scripts/check), so calls are
// resolved from there.
func (b *builder) script(p string) {
	b.shell(Caller{Kind: CallerScript, File: p, Line: 1}, b.read(p), ".", 1)
}

// docShells are the code block languages read as shell.
var docShells = map[string]bool{"": true, "sh": true, "bash": true, "shell": true, "console": true, "zsh": true,
	"shell-session": true, "shellsession": true, "text": true, "none": true}

// doc adds the calls in a document's shell code blocks (Markdown fences,
// reStructuredText code-block directives and `::` blocks), prompts removed.
func (b *builder) doc(p string) {
	c := Caller{Kind: CallerDoc, File: p, Line: 1}
	lines := strings.Split(b.read(p), "\n")
	rst := strings.HasSuffix(strings.ToLower(p), ".rst")
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		var block []string
		first := 0
		switch {
		case !rst && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")):
			fence := t[:3]
			lang := strings.ToLower(strings.Fields(strings.TrimLeft(t, "`~") + " x")[0])
			if lang == "x" {
				lang = ""
			}
			first = i + 2
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence); i++ {
				block = append(block, lines[i])
			}
			if !docShells[lang] {
				continue
			}
		case rst && (strings.HasPrefix(t, ".. code-block::") || strings.HasPrefix(t, ".. code::") || strings.HasSuffix(t, "::") && !strings.HasPrefix(t, "..")):
			lang := ""
			if strings.HasPrefix(t, "..") {
				f := strings.Fields(t)
				if len(f) > 2 {
					lang = strings.ToLower(f[2])
				}
			}
			if !docShells[lang] {
				continue
			}
			for i++; i < len(lines) && (strings.TrimSpace(lines[i]) == "" || strings.HasPrefix(lines[i], " ") || strings.HasPrefix(lines[i], "\t")); i++ {
				if first == 0 && strings.TrimSpace(lines[i]) != "" && !strings.HasPrefix(strings.TrimSpace(lines[i]), ":") {
					first = i + 1
				}
				if first > 0 {
					block = append(block, lines[i])
				}
			}
			i--
		default:
			continue
		}
		for k, l := range block {
			l = strings.TrimSpace(l)
			for _, prompt := range []string{"$ ", "% ", "> "} {
				l = strings.TrimPrefix(l, prompt)
			}
			block[k] = l
		}
		// The whole block first, so that `cd docs` carries to `make html`;
		// line by line when it is not shell as a whole.
		text := strings.Join(block, "\n")
		if calls := b.shellCalls(text, "."); calls != nil || parsesAsShell(text) {
			for _, f := range calls {
				b.add(c, f.entry, first+f.line-1)
			}
			continue
		}
		for k, l := range block {
			b.shell(c, l, ".", first+k)
		}
	}
}

// tox adds the calls of tox.ini's `commands` (and commands_pre/post).
func (b *builder) tox(p string) {
	section := ""
	key := ""
	lines := strings.Split(b.read(p), "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			section, key = strings.Trim(t, "[]"), ""
			continue
		}
		value := t
		if l[0] != ' ' && l[0] != '\t' {
			k, v, ok := strings.Cut(t, "=")
			if !ok {
				key = ""
				continue
			}
			key, value = strings.TrimSpace(k), strings.TrimSpace(v)
		}
		if !strings.HasPrefix(section, "testenv") || !strings.HasPrefix(key, "commands") || value == "" {
			continue
		}
		value = strings.TrimPrefix(strings.TrimPrefix(value, "-"), "!")
		b.shell(Caller{Kind: CallerTox, File: p, Name: section, Line: i + 1}, value, ".", i+1)
	}
}

// nox adds the calls of noxfile.py's session.run("make", "test").
func (b *builder) nox(p string) {
	text := b.read(p)
	for _, call := range pyCalls(text, "session.run") {
		b.argv(Caller{Kind: CallerNox, File: p, Name: pyFunction(text, call.offset), Line: call.line}, call.args, ".", call.line)
	}
}

// readthedocsFiles are the names Read the Docs looks for its settings by.
var readthedocsFiles = []string{".readthedocs.yaml", ".readthedocs.yml", "readthedocs.yml", "readthedocs.yaml"}

// readthedocs adds the commands of build.jobs.* and build.commands.
func (b *builder) readthedocs(p string) {
	root := parseYAML(b.read(p))
	if root == nil {
		return
	}
	build := yamldoc.Get(root, "build")
	c := Caller{Kind: CallerReadTheDocs, File: p, Line: 1}
	var lists []*yamlNode
	for _, kv := range yamldoc.Pairs(yamldoc.Get(build, "jobs")) {
		lists = append(lists, kv.Value)
	}
	lists = append(lists, yamldoc.Get(build, "commands"))
	for _, l := range lists {
		for _, cmd := range yamldoc.Items(l) {
			if cmd.Kind == scalarKind {
				b.shellStep(c, cmd.Value, ".", cmd.Line)
			}
		}
	}
}

// precommit adds the entries of local hooks: `language: system` runs a
// command line, `language: script` a script of the repository.
func (b *builder) precommit(p string) {
	root := parseYAML(b.read(p))
	if root == nil {
		return
	}
	for _, repo := range yamldoc.Items(yamldoc.Get(root, "repos")) {
		if yamldoc.Scalar(yamldoc.Get(repo, "repo")) != "local" {
			continue
		}
		for _, h := range yamldoc.Items(yamldoc.Get(repo, "hooks")) {
			entry := yamldoc.Get(h, "entry")
			if entry == nil {
				continue
			}
			c := Caller{Kind: CallerPreCommit, File: p, Name: yamldoc.Scalar(yamldoc.Get(h, "id")), Line: h.Line}
			switch yamldoc.Scalar(yamldoc.Get(h, "language")) {
			case "script":
				words := strings.Fields(entry.Value)
				if len(words) > 0 && !strings.Contains(words[0], "/") {
					words[0] = "./" + words[0]
				}
				b.step(c, Step{Argv: words, Dir: ".", Line: entry.Line})
				b.argv(c, words, ".", entry.Line)
			case "system", "unsupported":
				b.shellStep(c, entry.Value, ".", entry.Line)
			}
		}
	}
}

// devcontainer adds the lifecycle commands of devcontainer.json: a string
// runs in a shell, an array is a command, an object holds several.
func (b *builder) devcontainer(p string) {
	root := parseJSONC(b.read(p))
	if root == nil {
		return
	}
	c := Caller{Kind: CallerDevcontainer, File: p, Line: 1}
	dir := "."
	for _, key := range []string{"initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand", "postAttachCommand"} {
		var cmds []any
		switch v := root[key].(type) {
		case map[string]any:
			for _, x := range v {
				cmds = append(cmds, x)
			}
		case nil:
		default:
			cmds = append(cmds, v)
		}
		for _, cmd := range cmds {
			switch v := cmd.(type) {
			case string:
				b.shellStep(c, v, dir, 1)
			case []any:
				var words []string
				for _, w := range v {
					if s, ok := w.(string); ok {
						words = append(words, s)
					}
				}
				b.step(c, Step{Argv: words, Dir: dir, Line: 1})
				b.argv(c, words, dir, 1)
			}
		}
	}
}

// gitpod adds the commands of .gitpod.yml tasks.
func (b *builder) gitpod(p string) {
	root := parseYAML(b.read(p))
	if root == nil {
		return
	}
	for _, t := range yamldoc.Items(yamldoc.Get(root, "tasks")) {
		c := Caller{Kind: CallerGitpod, File: p, Name: yamldoc.Scalar(yamldoc.Get(t, "name")), Line: t.Line}
		for _, key := range []string{"before", "init", "command"} {
			if s := yamldoc.Get(t, key); s != nil && s.Kind == scalarKind {
				b.shellStep(c, s.Value, ".", scriptLine(s))
			}
		}
	}
}

// justfile adds the calls of just recipes: their indented body lines,
// run in the justfile's folder.
func (b *builder) justfile(p string) {
	var c Caller
	for i, l := range strings.Split(b.read(p), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "" || strings.HasPrefix(t, "#"):
		case l[0] != ' ' && l[0] != '\t':
			c = Caller{}
			if name, _, ok := strings.Cut(t, ":"); ok && !strings.Contains(t, ":=") && !strings.HasPrefix(t, "set ") {
				c = Caller{Kind: CallerJust, File: p, Name: strings.Fields(strings.TrimLeft(name, "@") + " x")[0], Line: i + 1}
			}
		case c.Kind != "":
			b.shell(c, strings.TrimLeft(t, "@-"), path.Dir(p), i+1)
		}
	}
}

// taskfile adds the cmds of Taskfile.yml tasks.
func (b *builder) taskfile(p string) {
	root := parseYAML(b.read(p))
	if root == nil {
		return
	}
	for _, kv := range yamldoc.Pairs(yamldoc.Get(root, "tasks")) {
		c := Caller{Kind: CallerTask, File: p, Name: kv.Key.Value, Line: kv.Key.Line}
		dir := path.Join(path.Dir(p), b.ciDir(yamldoc.Scalar(yamldoc.Get(kv.Value, "dir"))))
		for _, cmd := range yamldoc.Items(yamldoc.Get(kv.Value, "cmds")) {
			if cmd.Kind != scalarKind {
				cmd = yamldoc.Get(cmd, "cmd")
			}
			if cmd != nil && cmd.Kind == scalarKind {
				b.shell(c, cmd.Value, dir, cmd.Line)
			}
		}
	}
}

// invoke adds the commands tasks.py runs with c.run("...").
func (b *builder) invoke(p string) {
	text := b.read(p)
	for _, call := range pyCalls(text, ".run") {
		if len(call.args) > 0 {
			c := Caller{Kind: CallerInvoke, File: p, Name: pyFunction(text, call.offset), Line: call.line}
			b.shell(c, call.args[0], ".", call.line)
		}
	}
}

// jenkins adds the sh steps of a Jenkinsfile, by stage.
func (b *builder) jenkins(p string) {
	text := b.read(p)
	stage := Caller{Kind: CallerJenkins, File: p, Line: 1}
	for i := 0; i < len(text); i++ {
		switch {
		case strings.HasPrefix(text[i:], "stage(") || strings.HasPrefix(text[i:], "stage ("):
			j := strings.IndexByte(text[i:], '(') + i + 1
			if s, _, ok := groovyString(text, skipSpace(text, j)); ok {
				line := strings.Count(text[:i], "\n") + 1
				stage = Caller{Kind: CallerJenkins, File: p, Name: s, Line: line, Flox: stageUsesFlox(text[i:])}
			}
		case strings.HasPrefix(text[i:], "sh") && (i == 0 || !isIdent(text[i-1])) && i+2 < len(text) && !isIdent(text[i+2]):
			j := skipSpace(text, i+2)
			if j < len(text) && text[j] == '(' {
				j = skipSpace(text, j+1)
				if strings.HasPrefix(text[j:], "script:") {
					j = skipSpace(text, j+len("script:"))
				}
			}
			if s, end, ok := groovyString(text, j); ok {
				line := strings.Count(text[:j], "\n") + 1
				if strings.HasPrefix(text[j:], `'''`) || strings.HasPrefix(text[j:], `"""`) {
					line++
					s = strings.TrimPrefix(s, "\n")
				}
				b.shellStep(stage, s, ".", line)
				i = end - 1
			}
		}
	}
}

// stageUsesFlox reports a stage whose text (up to the next stage) runs flox.
func stageUsesFlox(rest string) bool {
	if next := strings.Index(rest[1:], "stage("); next >= 0 {
		rest = rest[:next+1]
	}
	return strings.Contains(rest, "flox activate")
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// groovyString reads a Groovy string literal at s[i:] ('...', "...",
// ”'...”', """..."""); interpolations are left as written.
func groovyString(s string, i int) (value string, end int, ok bool) {
	for _, q := range []string{`'''`, `"""`, `'`, `"`} {
		if !strings.HasPrefix(s[i:], q) {
			continue
		}
		var sb strings.Builder
		for j := i + len(q); j < len(s); j++ {
			switch {
			case strings.HasPrefix(s[j:], q):
				return sb.String(), j + len(q), true
			case s[j] == '\\' && j+1 < len(s):
				j++
				sb.WriteByte(s[j])
			case len(q) == 1 && s[j] == '\n':
				return "", 0, false
			default:
				sb.WriteByte(s[j])
			}
		}
		return "", 0, false
	}
	return "", 0, false
}

// pyCall is a call in Python source with its leading string arguments.
type pyCall struct {
	args   []string
	line   int
	offset int
}

// pyCalls finds calls of fn (a name ending, "session.run" or ".run") and
// reads their leading string-literal arguments; f-strings and other
// expressions end the list.
func pyCalls(text, fn string) []pyCall {
	var out []pyCall
	for off := 0; ; {
		i := strings.Index(text[off:], fn+"(")
		if i < 0 {
			return out
		}
		i += off
		off = i + len(fn) + 1
		j := off
		var args []string
		for {
			j = skipPySpace(text, j)
			s, end, ok := pyString(text, j)
			if !ok {
				break
			}
			args = append(args, s)
			j = skipPySpace(text, end)
			if j >= len(text) || text[j] != ',' {
				break
			}
			j++
		}
		out = append(out, pyCall{args: args, line: strings.Count(text[:i], "\n") + 1, offset: i})
	}
}

func skipPySpace(s string, i int) int {
	for i < len(s) && strings.IndexByte(" \t\r\n", s[i]) >= 0 {
		i++
	}
	return i
}

// pyString reads a plain Python string literal (no prefix) at s[i:].
func pyString(s string, i int) (string, int, bool) {
	if i >= len(s) || (s[i] != '"' && s[i] != '\'') {
		return "", 0, false
	}
	return groovyString(s, i)
}

// pyFunction returns the name of the Python function around offset.
func pyFunction(text string, offset int) string {
	i := strings.LastIndex(text[:offset], "def ")
	if i < 0 {
		return ""
	}
	name := text[i+4:]
	if j := strings.IndexAny(name, "(: "); j >= 0 {
		name = name[:j]
	}
	return name
}
