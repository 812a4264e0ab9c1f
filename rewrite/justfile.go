package rewrite

import (
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// justFloxComment and justFloxDef are the {{flox}} variable a rewritten
// justfile defines, as Makefile defines $(FLOX): empty when the project's
// Flox environment is the active one (FLOX_ENV_PROJECT is the justfile's
// folder) or when flox is not installed, else the `flox activate` prefix.
// Without flox (a CI job on setup-python, a contributor who has not moved
// yet) the recipes run their commands as before instead of failing with
// `flox: not found`. A spelling of the folder that differs (a symlink) only
// costs a nested activation, which works. env_var_or_default,
// justfile_directory(), backticks and if/else expressions (an if nested in
// else, casey/just GRAMMAR.md) are in every just release since 0.9;
// conditionals evaluate only the branch they take, so inside the
// environment no shell starts.
const (
	justFloxComment = "# Run Python tools inside the project's Flox environment when Flox is installed and the environment is not active.\n"
	justFloxDef     = `flox := if env_var_or_default("FLOX_ENV_PROJECT", "") == justfile_directory() { "" } else { if ` + "`command -v flox || true`" +
		` == "" { "" } else { 'flox activate -d "' + justfile_directory() + '" --' } }` + "\n"
	// justFloxBuild is the body of a recipe that only built the venv: it
	// builds the Flox environment, whose hook makes and syncs the venv (and
	// does nothing inside the environment or without Flox).
	justFloxBuild = `{{flox}} true`
)

// Justfile rewrites a justfile's recipes as Makefile rewrites recipes:
// each recipe line is shell, so the shell rewriter removes venv creation,
// activation and synced installs, and runs the venv's programs through
// {{flox}} ({{venv}}/bin/pytest becomes {{flox}} pytest). A recipe left
// without lines builds the Flox environment. String variables naming the
// venv (venv := ".venv") are read, and dropped once nothing uses them.
//
// Shebang recipes, variables built from expressions and justfiles outside
// the project root are left alone and reported.
func Justfile(ctx *Context, p string, src []byte) (Result, error) {
	res := Result{New: src}
	j := &justRewrite{ctx: ctx, path: p, src: src, lines: detect.ParseJustfile(string(src)), starts: lineStarts(src), vars: map[string]venvVar{}}
	j.learnVars()
	j.rewriteLines()
	if !j.usesVenv {
		return res, nil
	}
	if j.blocked || ctx.KeepVenv || strings.Contains(p, "/") {
		if strings.Contains(p, "/") && !j.blocked {
			j.followUps = append(j.followUps, FollowUp{Evidence: detect.Evidence{Path: p, Line: j.firstUse},
				Message:    "justfile outside the project folder uses the venv: not rewritten",
				Suggestion: "Run its venv commands through `flox activate -d <project> -- <command>` by hand."})
		}
		if ctx.KeepVenv {
			return res, nil
		}
		res.FollowUps = j.followUps
		return res, nil
	}
	j.refillRecipes()
	j.dropUnusedVars()
	j.insertFloxVar()
	out, err := applyEdits(src, j.edits)
	if err != nil {
		return res, err
	}
	res.New, res.FollowUps = out, j.followUps
	return res, nil
}

type justRewrite struct {
	ctx       *Context
	path      string
	src       []byte
	lines     []detect.JustLine
	starts    []int
	vars      map[string]venvVar // "{{venv}}" -> what it names
	varLine   map[string]int     // variable name -> index of its assignment line
	edits     []Edit
	followUps []FollowUp
	deleted   map[int]bool // indexes of deleted lines
	prefixed  bool         // an edit uses {{flox}}
	usesVenv  bool
	blocked   bool
	firstUse  int
}

func (j *justRewrite) lineStart(i int) int { return j.starts[j.lines[i].N-1] }

// lineEnd is the offset after line i's terminator.
func (j *justRewrite) lineEnd(i int) int {
	if n := j.lines[i].N; n < len(j.starts) {
		return j.starts[n]
	}
	return len(j.src)
}

func (j *justRewrite) note(line int, msg, suggestion string) {
	j.followUps = append(j.followUps, FollowUp{Evidence: detect.Evidence{Path: j.path, Line: line}, Message: msg, Suggestion: suggestion})
}

// learnVars reads the string variables that name the venv, its bin folder
// or a program in it, and aliases of Python (python := "python3").
func (j *justRewrite) learnVars() {
	j.varLine = map[string]int{}
	h := &unit{ctx: j.ctx, vars: j.vars}
	for i, l := range j.lines {
		if l.Kind != detect.JustAssign {
			continue
		}
		key := "{{" + l.Name + "}}"
		value, ok := detect.JustStringValue(l.Value)
		if !ok {
			if l.Name == "PATH" || strings.Contains(l.Value, "venv") || strings.Contains(l.Value, "VIRTUAL_ENV") {
				j.usesVenv, j.blocked = true, true
				j.note(l.N, "sets "+l.Name+" with a just expression that names the venv", "Replace the venv commands with `{{flox}} <command>` by hand.")
			}
			continue
		}
		if aliasedProgram(value) {
			j.vars[key] = venvVar{kind: varAlias, tool: value}
			continue
		}
		ref, ok := h.venvPath([]piece{{lit: value, end: len(value)}})
		if !ok || ref.outside {
			continue
		}
		switch {
		case ref.isDir():
			j.vars[key] = venvVar{kind: varVenvDir}
		case ref.isBinDir():
			j.vars[key] = venvVar{kind: varVenvBin}
		case ref.tool() != "":
			j.vars[key] = venvVar{kind: varTool, tool: ref.tool()}
		default:
			continue
		}
		j.varLine[l.Name] = i
	}
}

// rewriteLines runs the shell rewriter over every recipe line.
func (j *justRewrite) rewriteLines() {
	j.deleted = map[int]bool{}
	var script []int // lines of the current shebang recipe
	flushScript := func() {
		if len(script) > 0 && j.scriptUsesVenv(script) {
			j.usesVenv = true
			j.note(j.lines[script[0]].N, "shebang recipe uses the venv: not rewritten",
				"Run its venv commands through `{{flox}} <command>`, or the whole script through `flox activate --`, by hand.")
		}
		script = nil
	}
	for i, l := range j.lines {
		if l.Kind == detect.JustShebang {
			script = append(script, i)
			continue
		}
		flushScript()
		if l.Kind == detect.JustBody {
			j.rewriteLine(i)
		}
	}
	flushScript()
}

// scriptUsesVenv reports whether a shebang recipe's lines use a venv.
func (j *justRewrite) scriptUsesVenv(idx []int) bool {
	var b strings.Builder
	for _, i := range idx {
		b.WriteString(j.lines[i].Text + "\n")
	}
	text := b.String()
	if mentionsVenv([]byte(text)) {
		return true
	}
	for _, d := range j.ctx.VenvDirs {
		if strings.Contains(text, d+"/bin/") {
			return true
		}
	}
	for key := range j.vars {
		name := key[2 : len(key)-2]
		if j.vars[key].kind != varAlias && (strings.Contains(text, "{{"+name+"}}") || strings.Contains(text, "{{ "+name+" }}")) {
			return true
		}
	}
	return false
}

// rewriteLine rewrites one recipe line: its {{interpolations}} become
// same-length placeholders the shell rewriter reads as the variables.
func (j *justRewrite) rewriteLine(i int) {
	l := j.lines[i]
	cmd := l.Text[l.Command:]
	masked, mk := maskJust(cmd)
	// A recipe is an entry point: its installs stay, as a Makefile target's
	// do, now into the environment's venv, or the caller's Python without Flox.
	opts := shellOptions{Path: j.path, Line: l.N, Prefix: "{{flox}} ", Vars: j.vars, KeepInstalls: true, mk: mk}
	r, err := rewriteShellSnippet(j.ctx, masked, opts)
	if err != nil {
		if mentionsVenv([]byte(cmd)) {
			j.usesVenv = true
			j.note(l.N, "recipe line not rewritten: the shell parser failed: "+err.Error(), "Replace its venv commands with `{{flox}} <command>` by hand.")
		}
		return
	}
	j.followUps = append(j.followUps, r.FollowUps...)
	if r.UsesVenv || r.Blocked {
		j.usesVenv = true
		if j.firstUse == 0 {
			j.firstUse = l.N
		}
	}
	if r.Blocked {
		j.blocked = true
		return
	}
	if len(r.Edits) == 0 {
		return
	}
	if r.Emptied {
		j.deleted[i] = true
		j.edits = append(j.edits, Edit{Start: j.lineStart(i), End: j.lineEnd(i)})
		return
	}
	at := j.lineStart(i) + l.Command
	for _, e := range r.Edits {
		if strings.Contains(e.Text, justPlaceholderMark) {
			// The rewriter moved a placeholder: the line is left for a person.
			j.blocked = true
			j.note(l.N, "recipe line not rewritten: it moves a {{...}} interpolation", "Replace its venv commands with `{{flox}} <command>` by hand.")
			return
		}
		if strings.Contains(e.Text, "{{flox}}") {
			j.prefixed = true
		}
		j.edits = append(j.edits, Edit{Start: at + e.Start, End: at + e.End, Text: e.Text})
	}
}

// justPlaceholderMark starts every placeholder maskJust writes: a J and
// underscores, as long as the {{...}} it hides (at least four bytes).
const justPlaceholderMark = "J___"

// maskJust replaces each {{expression}} of a recipe line with a
// placeholder of the same length, and records what it stands for.
func maskJust(cmd string) (string, map[int]mkRef) {
	mk := map[int]mkRef{}
	var b strings.Builder
	rest, off := cmd, 0
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			break
		}
		k := strings.Index(rest[i:], "}}")
		if k < 0 {
			break
		}
		expr := rest[i : i+k+2]
		b.WriteString(rest[:i])
		start := off + i
		b.WriteString("J" + strings.Repeat("_", len(expr)-1))
		name := "{{" + strings.TrimSpace(expr[2:len(expr)-2]) + "}}"
		mk[start] = mkRef{end: start + len(expr), name: name}
		rest, off = rest[i+k+2:], off+i+k+2
	}
	b.WriteString(rest)
	return b.String(), mk
}

// refillRecipes gives a recipe whose every line went away (it only built
// the venv) a line that builds the Flox environment, so `just bootstrap`
// and the recipes depending on it still mean something.
func (j *justRewrite) refillRecipes() {
	for i, l := range j.lines {
		if l.Kind != detect.JustRecipe {
			continue
		}
		first, left := -1, 0
		for k := i + 1; k < len(j.lines) && j.lines[k].Recipe == l.N; k++ {
			if j.lines[k].Kind != detect.JustBody && j.lines[k].Kind != detect.JustShebang {
				continue
			}
			if j.deleted[k] {
				if first < 0 {
					first = k
				}
				continue
			}
			left++
		}
		if first < 0 || left > 0 {
			continue
		}
		t := j.lines[first].Text
		indent := t[:len(t)-len(strings.TrimLeft(t, " \t"))]
		// The first deleted line is replaced instead.
		for e := range j.edits {
			if j.edits[e].Start == j.lineStart(first) && j.edits[e].Text == "" {
				j.edits[e].Text = indent + justFloxBuild + newline(j.src)
				j.prefixed = true
			}
		}
	}
}

// dropUnusedVars removes the venv variables nothing refers to any more.
func (j *justRewrite) dropUnusedVars() {
	after, err := applyEdits(j.src, j.edits)
	if err != nil {
		return
	}
	for name, i := range j.varLine {
		own := j.lines[i].Text
		if strings.Count(string(after), name) > strings.Count(own, name) {
			continue // still used (or the name is part of other words: kept)
		}
		j.edits = append(j.edits, Edit{Start: j.lineStart(i), End: j.lineEnd(i)})
	}
}

// insertFloxVar defines {{flox}} before the first recipe (and the comment
// and attribute lines right above it), once.
func (j *justRewrite) insertFloxVar() {
	if !j.prefixed {
		return
	}
	first := -1
	for i, l := range j.lines {
		if l.Kind == detect.JustAssign && l.Name == "flox" {
			return
		}
		if l.Kind == detect.JustRecipe && first < 0 {
			first = i
		}
	}
	if first < 0 {
		return
	}
	for first > 0 {
		t := strings.TrimSpace(j.lines[first-1].Text)
		if !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "[") {
			break
		}
		first--
	}
	nl := newline(j.src)
	at := j.lineStart(first)
	j.edits = append(j.edits, Edit{Start: at, End: at, Text: withNewline(justFloxComment+justFloxDef+"\n", nl)})
}
