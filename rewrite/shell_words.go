package rewrite

import (
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// piece is one part of a flattened shell word: literal text or an
// expansion. Literal pieces keep their offsets in the parsed text so an
// edit can target a substring of a quoted string.
type piece struct {
	lit        string
	exp        string // "$NAME", "$(NAME)" (make), "$(...)" or "${...}" when opaque
	start, end int
}

// mkRef is a make expansion hidden behind a placeholder in a recipe.
type mkRef struct {
	end  int
	name string // "$(VENV)"; "$(...)" for functions
}

// flatten turns a word into pieces, or reports false for words whose
// value cannot be read statically (arithmetic, globs, brace expansion).
func (u *unit) flatten(w *syntax.Word) ([]piece, bool) {
	if w == nil {
		return nil, false
	}
	var out []piece
	ok := u.flattenParts(w.Parts, &out)
	return out, ok
}

func (u *unit) flattenParts(parts []syntax.WordPart, out *[]piece) bool {
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			u.splitLit(p.Value, int(p.Pos().Offset()), out)
		case *syntax.SglQuoted:
			if p.Dollar {
				return false
			}
			u.splitLit(p.Value, int(p.Left.Offset())+1, out)
		case *syntax.DblQuoted:
			if p.Dollar || !u.flattenParts(p.Parts, out) {
				return false
			}
		case *syntax.ParamExp:
			name := "${...}"
			if p.Param != nil && (p.Exp == nil || p.Exp.Op == syntax.DefaultUnset || p.Exp.Op == syntax.DefaultUnsetOrNull) &&
				p.Index == nil && p.Slice == nil && p.Repl == nil && !p.Length && !p.Excl {
				name = "$" + p.Param.Value
			}
			*out = append(*out, piece{exp: name, start: int(p.Pos().Offset()), end: int(p.End().Offset())})
		case *syntax.CmdSubst:
			*out = append(*out, piece{exp: "$(...)", start: int(p.Pos().Offset()), end: int(p.End().Offset())})
		default:
			return false
		}
	}
	return true
}

// splitLit appends literal text, cutting out make placeholders.
func (u *unit) splitLit(s string, at int, out *[]piece) {
	from := 0
	for i := 0; i < len(s); i++ {
		ref, ok := u.mk[at+i]
		if !ok || ref.end-at > len(s) {
			continue
		}
		if i > from {
			*out = append(*out, piece{lit: s[from:i], start: at + from, end: at + i})
		}
		*out = append(*out, piece{exp: ref.name, start: at + i, end: ref.end})
		i = ref.end - at - 1
		from = ref.end - at
	}
	if from < len(s) {
		*out = append(*out, piece{lit: s[from:], start: at + from, end: at + len(s)})
	}
}

// text renders pieces back to a string, expansions in their source form.
func piecesText(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		if p.exp != "" {
			b.WriteString(p.exp)
		} else {
			b.WriteString(p.lit)
		}
	}
	return b.String()
}

// varKind says what a known variable points at.
type varKind int

const (
	varVenvDir     varKind = iota + 1 // VENV=.venv
	varVenvBin                        // BIN=.venv/bin
	varTool                           // PIP=.venv/bin/pip
	varVenvFile                       // STAMP=$(VENV)/.install.stamp
	varAlias                          // PYTHON ?= python3: names a program outside the venv
	varVenvCommand                    // VENV_RUN = . $(VENV)/bin/activate, VENV_BIN = python3 -m venv: a venv command in a Makefile variable
	varText                           // REQUIREMENTS="requirements.txt": plain text, assigned once
)

// aliasedProgram reports the programs a variable may name for venv work:
// `$(PYTHON) -m venv $(VENV)` creates the venv like `python3 -m venv` does.
func aliasedProgram(name string) bool {
	if strings.ContainsAny(name, `/\`) {
		return false // a path: into the venv or not, never an alias
	}
	return venvcmd.IsPython(name) || venvcmd.IsPip(name) || venvcmd.IsManager(name) || name == "virtualenv"
}

type venvVar struct {
	kind varKind
	tool string   // for varTool
	rest []string // for a varVenvFile that is an activate script: its path in the venv
	text string   // for varVenvCommand: the command, as recipes expand it; for varText, the value
}

// venvRef is a path into one of the project's venvs.
type venvRef struct {
	// rest holds the components after the venv folder: empty for the
	// folder itself, ["bin", "pytest"] for a tool.
	rest []string
	// outside is set for venvs that are not the project's (absolute paths,
	// ~ or $HOME): such paths are reported, never rewritten.
	outside bool
}

func (r venvRef) tool() string {
	if len(r.rest) == 2 && r.rest[0] == "bin" && safeToolName(r.rest[1]) && !isActivateScript(r.rest[1]) {
		return r.rest[1]
	}
	return ""
}

func (r venvRef) isActivate() bool {
	return len(r.rest) == 2 && r.rest[0] == "bin" && isActivateScript(r.rest[1])
}

func (r venvRef) isDir() bool {
	return len(r.rest) == 0 || (len(r.rest) == 1 && r.rest[0] == "")
}

func (r venvRef) isBinDir() bool {
	return (len(r.rest) == 1 && r.rest[0] == "bin") || (len(r.rest) == 2 && r.rest[0] == "bin" && r.rest[1] == "")
}

func (r venvRef) isWindows() bool {
	return len(r.rest) > 0 && strings.EqualFold(r.rest[0], "Scripts")
}

func isActivateScript(name string) bool {
	switch name {
	case "activate", "activate.fish", "activate.csh", "activate.nu", "activate.ps1", "activate.bat":
		return true
	}
	return false
}

func safeToolName(s string) bool {
	switch s {
	case "", ".", "..", "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until",
		"for", "in", "function", "select", "time", "coproc":
		return false // a reserved word would change the statement's meaning
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._+-", c)) {
			return false
		}
	}
	return true
}

// homeVars are expansions that point outside the project.
var homeVars = []string{"$HOME", "$(HOME)", "$WORKON_HOME", "$(WORKON_HOME)", "$PYENV_ROOT", "$CONDA_PREFIX"}

// component is one slash-separated part of a flattened path.
type component struct {
	text string // literal text, expansions rendered
	exp  string // set when the component is exactly one expansion
}

func components(ps []piece) []component {
	comps := []component{{}}
	for _, p := range ps {
		cur := &comps[len(comps)-1]
		if p.exp != "" {
			if cur.text == "" && cur.exp == "" {
				cur.exp = p.exp
			} else {
				cur.exp = ""
			}
			cur.text += p.exp
			continue
		}
		parts := strings.Split(p.lit, "/")
		for i, part := range parts {
			if i > 0 {
				comps = append(comps, component{})
				cur = &comps[len(comps)-1]
			}
			if part != "" {
				cur.exp = ""
				cur.text += part
			}
		}
	}
	return comps
}

// venvDirs returns the venv folders to recognise, as path components.
func (u *unit) venvDirs() [][]string {
	seen := map[string]bool{}
	var out [][]string
	for _, d := range append(append([]string(nil), u.ctx.VenvDirs...), ".venv", "venv") {
		d = path.Clean(strings.TrimSpace(d))
		if d == "." || d == "" || strings.HasPrefix(d, "/") || strings.HasPrefix(d, "..") || seen[d] {
			continue
		}
		seen[d] = true
		out = append(out, strings.Split(d, "/"))
	}
	return out
}

// venvPath reports whether pieces name a path inside one of the project's
// venvs, possibly anchored on the script's folder ("$SCRIPT_DIR/.venv",
// "$(dirname "$0")/../venv") or reached through a known variable.
func (u *unit) venvPath(ps []piece) (venvRef, bool) {
	if len(ps) == 0 {
		return venvRef{}, false
	}
	comps := components(ps)
	for i := range comps {
		c := comps[i]
		var ref venvRef
		matched := false
		if v, ok := u.vars[c.exp]; ok && c.exp != "" {
			switch v.kind {
			case varVenvDir:
				ref.rest = u.restTexts(comps[i+1:])
				matched = true
			case varVenvBin:
				ref.rest = append([]string{"bin"}, u.restTexts(comps[i+1:])...)
				matched = true
			case varTool:
				if i == len(comps)-1 {
					ref.rest = []string{"bin", v.tool}
					matched = true
				}
			case varVenvFile:
				ref.rest = append([]string{"\x00file"}, u.restTexts(comps[i+1:])...)
				if v.rest != nil && i == len(comps)-1 {
					ref.rest = v.rest // ACTIVATE = $(VENV)/bin/activate: `. $(ACTIVATE)` activates
				}
				matched = true
			}
		} else {
			for _, dir := range u.venvDirs() {
				if i+len(dir) <= len(comps) && equalTexts(comps[i:i+len(dir)], dir) {
					ref.rest = u.restTexts(comps[i+len(dir):])
					matched = true
					break
				}
			}
		}
		if !matched {
			continue
		}
		ok, outside := anchored(comps[:i])
		if outside {
			return venvRef{rest: ref.rest, outside: true}, true
		}
		if ok {
			return ref, true
		}
		return venvRef{}, false
	}
	return venvRef{}, false
}

// outsideVenvPath reports paths such as ~/.virtualenvs/x/bin/activate or
// /opt/venv/bin/python: a venv the project does not own.
func outsideVenvPath(ps []piece) bool {
	comps := components(ps)
	if len(comps) < 3 {
		return false
	}
	first := comps[0]
	if !(first.text == "" && first.exp == "" || strings.HasPrefix(first.text, "~") || slices.Contains(homeVars, first.exp)) {
		return false
	}
	n := len(comps)
	return comps[n-2].text == "bin" && (isActivateScript(comps[n-1].text) || strings.HasPrefix(comps[n-1].text, "python") || comps[n-1].text == "pip")
}

// anchored checks the components before a venv folder: ".", "..", or
// expansions naming a folder of the project. The second result is set for
// anchors that leave the project (absolute paths, ~, $HOME).
func anchored(comps []component) (ok, outside bool) {
	for i, c := range comps {
		switch {
		case i == 0 && c.text == "" && c.exp == "" && len(comps) > 0:
			return false, true
		case strings.HasPrefix(c.text, "~"):
			return false, true
		case slices.Contains(homeVars, c.exp):
			return false, true
		case c.text == "." || c.text == "..":
		case c.exp != "":
		default:
			return false, false
		}
	}
	return true, false
}

// restTexts is texts with the variables that name an interpreter
// (PYTHON = python3) read as that program: $(VENV)/bin/$(PYTHON) is the
// venv's python3.
func (u *unit) restTexts(comps []component) []string {
	out := texts(comps)
	for i, c := range comps {
		if v, ok := u.vars[c.exp]; ok && c.exp != "" && v.kind == varAlias && venvcmd.IsPython(v.tool) {
			out[i] = v.tool
		}
	}
	return out
}

func texts(comps []component) []string {
	out := make([]string, len(comps))
	for i, c := range comps {
		out[i] = c.text
	}
	return out
}

func equalTexts(comps []component, want []string) bool {
	for i, w := range want {
		if comps[i].exp != "" || comps[i].text != w {
			return false
		}
	}
	return true
}

// projectFile normalises a path argument ("./requirements.txt",
// "$SCRIPT_DIR/../requirements/dev.txt") to a project-relative path, or
// "" when it cannot tell.
func projectFile(ps []piece) string {
	comps := components(ps)
	var parts []string
	for i, c := range comps {
		switch {
		case c.exp != "" && len(parts) == 0 && !slices.Contains(homeVars, c.exp):
			continue // anchor
		case c.exp != "" || strings.Contains(c.text, "$"):
			return ""
		case c.text == "" && i == 0 && len(comps) > 1:
			return "" // absolute
		case c.text == "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		case c.text == "." || c.text == "":
		default:
			parts = append(parts, c.text)
		}
	}
	return strings.Join(parts, "/")
}
