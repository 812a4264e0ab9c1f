package detect

import (
	"path"
	"strings"
)

// A justfile holds settings, variables (`venv := ".venv"`) and recipes.
// Each recipe line runs in its own shell (sh -cu unless `set shell`), after
// just replaces `{{expression}}` interpolations; a line may start with `@`
// (not echoed) or `-` (errors ignored). A recipe whose first line is a
// shebang is one script for that interpreter.

func isJustfile(rel string) bool {
	base := path.Base(rel)
	return base == "justfile" || base == "Justfile" || base == ".justfile" || strings.HasSuffix(base, ".just")
}

// JustLineKind says what a justfile line is.
type JustLineKind int

const (
	JustOther   JustLineKind = iota // blank, comment, setting, alias, import
	JustAssign                      // name := value, export name := value
	JustRecipe                      // a recipe header: name args: dependencies
	JustBody                        // a recipe line, run by the shell
	JustShebang                     // a line of a shebang recipe
)

// JustLine is one line of a justfile.
type JustLine struct {
	Kind JustLineKind
	N    int    // 1-based line number
	Text string // the line without its terminator
	// Name is an assignment's variable or a recipe's name; Value is an
	// assignment's value as written.
	Name, Value string
	// Recipe is the line number of a body line's recipe header.
	Recipe int
	// Command is where a body line's command starts in Text: after the
	// indentation and the @ and - prefixes.
	Command int
}

// ParseJustfile splits a justfile into lines and says what each is.
func ParseJustfile(src string) []JustLine {
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	out := make([]JustLine, 0, len(lines))
	recipe, shebang := 0, false
	for i, raw := range lines {
		text := strings.TrimSuffix(raw, "\r")
		l := JustLine{N: i + 1, Text: text}
		trimmed := strings.TrimSpace(text)
		indented := text != "" && (text[0] == ' ' || text[0] == '\t')
		switch {
		case indented && recipe > 0:
			l.Recipe = recipe
			if shebang || (strings.HasPrefix(trimmed, "#!") && prevBodyless(out, recipe)) {
				shebang = true
				l.Kind = JustShebang
				break
			}
			if strings.HasPrefix(trimmed, "#") {
				break // a comment line of the recipe (just echoes it; the shell ignores it)
			}
			l.Kind = JustBody
			l.Command = len(text) - len(strings.TrimLeft(text, " \t"))
			for l.Command < len(text) && (text[l.Command] == '@' || text[l.Command] == '-') {
				l.Command++
			}
		case trimmed == "" || indented:
			// A blank line inside a recipe keeps it open.
		default:
			recipe, shebang = 0, false
			if name, value, ok := justAssignment(trimmed); ok {
				l.Kind, l.Name, l.Value = JustAssign, name, value
				break
			}
			if name, ok := justRecipeHeader(trimmed); ok {
				l.Kind, l.Name = JustRecipe, name
				recipe = l.N
			}
		}
		out = append(out, l)
	}
	return out
}

// prevBodyless reports whether the recipe at header line has no body line yet.
func prevBodyless(lines []JustLine, header int) bool {
	for i := len(lines) - 1; i >= 0 && lines[i].N > header; i-- {
		if lines[i].Kind == JustBody || lines[i].Kind == JustShebang {
			return false
		}
	}
	return true
}

func justAssignment(t string) (string, string, bool) {
	t = strings.TrimPrefix(t, "export ")
	name, value, ok := strings.Cut(t, ":=")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t:") {
		return "", "", false
	}
	return name, strings.TrimSpace(value), true
}

func justRecipeHeader(t string) (string, bool) {
	for _, kw := range []string{"set ", "alias ", "import ", "mod ", "#", "["} {
		if strings.HasPrefix(t, kw) {
			return "", false
		}
	}
	t = strings.TrimLeft(t, "@")
	i := strings.IndexByte(t, ':')
	if i <= 0 || strings.HasPrefix(t[i:], ":=") {
		return "", false
	}
	name, _, _ := strings.Cut(strings.TrimSpace(t[:i]), " ")
	return name, name != ""
}

// JustStringValue returns the value of a quoted string literal, the only
// assignments whose value venv2flox reads.
func JustStringValue(v string) (string, bool) {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] && !strings.ContainsAny(v[1:len(v)-1], `"'\`) {
		return v[1 : len(v)-1], true
	}
	return "", false
}

func extractJustfile(s *scanner, f *textFile) {
	lines := ParseJustfile(f.Text)
	vars := map[string]string{}
	for _, l := range lines {
		if l.Kind == JustAssign {
			if v, ok := JustStringValue(l.Value); ok {
				vars[l.Name] = v
			}
		}
	}
	valueOf := func(expr string) (string, bool) {
		v, ok := vars[strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(expr, "{{"), "}}"))]
		return v, ok
	}
	s.p.Setup.Justfiles = append(s.p.Setup.Justfiles, justTargets(f.Path, lines, vars))
	ss := newShellSession(s, f.Path, KindJustfile)
	var script strings.Builder
	scriptLine := 0
	flush := func() {
		if scriptLine > 0 {
			ss.analyze(justShellText(script.String(), scriptLine, valueOf))
		}
		script.Reset()
		scriptLine = 0
	}
	for _, l := range lines {
		switch l.Kind {
		case JustBody:
			flush()
			ss.analyze(justShellText(l.Text[l.Command:], l.N, valueOf))
		case JustShebang:
			if scriptLine == 0 {
				if !IsShellShebang(strings.TrimSpace(l.Text)) {
					continue
				}
				scriptLine = l.N
			}
			script.WriteString(strings.TrimLeft(l.Text, " \t") + "\n")
		default:
			flush()
		}
	}
	flush()
}

// justShellText masks a recipe's {{interpolations}} with placeholders that
// read as the values of the string variables they name.
func justShellText(src string, line int, valueOf func(string) (string, bool)) shellText {
	ph := &placeholders{}
	t := linesFrom(maskTemplatesWith(src, ph, valueOf, [2]string{"{{", "}}"}), line)
	t.restore, t.render = ph.replacer(), ph.renderer()
	return t
}

// justTargets turns a justfile's recipes into targets the setup recorder
// can run like make's: each body line a shell of its own, `{{name}}`
// replaced by the string variables (recipe parameters become empty).
// Shebang recipes are left out: their interpreter may not be a shell.
func justTargets(path string, lines []JustLine, vars map[string]string) Makefile {
	mf := Makefile{Path: path}
	for _, l := range lines {
		switch l.Kind {
		case JustRecipe:
			t := MakeTarget{Name: l.Name, Evidence: Evidence{Path: path, Line: l.N}}
			if _, deps, ok := strings.Cut(strings.TrimLeft(strings.TrimSpace(l.Text), "@"), ":"); ok {
				for _, d := range strings.Fields(deps) {
					if !strings.HasPrefix(d, "#") && !strings.ContainsAny(d, "()'\"") {
						t.Prereqs = append(t.Prereqs, d)
					} else {
						break
					}
				}
			}
			mf.Targets = append(mf.Targets, t)
		case JustBody:
			if len(mf.Targets) == 0 {
				continue
			}
			t := &mf.Targets[len(mf.Targets)-1]
			t.Recipe = append(t.Recipe, ShellSource{Script: justExpand(l.Text[l.Command:], vars), Lines: []int{l.N}, Path: path})
		}
	}
	return mf
}

// justExpand replaces `{{name}}` with the named string variable, or with
// nothing when the expression is anything else.
func justExpand(text string, vars map[string]string) string {
	var b strings.Builder
	for {
		open := strings.Index(text, "{{")
		if open < 0 {
			break
		}
		end := strings.Index(text[open:], "}}")
		if end < 0 {
			break
		}
		b.WriteString(text[:open])
		b.WriteString(vars[strings.TrimSpace(text[open+2:open+end])])
		text = text[open+end+2:]
	}
	b.WriteString(text)
	return b.String()
}
