package callgraph

import (
	"path"
	"strings"
)

// A Makefile is read only as far as calls need: rules (targets,
// prerequisites, recipe lines), variable assignments and the default goal.
// Variables are not expanded, except $(MAKE), which runs make.

// mkRule is one rule of a Makefile.
type mkRule struct {
	targets []string
	prereqs []string
	line    int
	recipe  []mkRecipeLine
}

type mkRecipeLine struct {
	text string // without the tab and the @-+ prefixes, continuations joined
	line int
}

// mkFile is a parsed Makefile.
type mkFile struct {
	rules       []*mkRule
	vars        map[string]string // NAME -> value of its last assignment
	defaultGoal string
}

// parseMakefile reads the rules and assignments of a Makefile.
func parseMakefile(text string) *mkFile {
	mf := &mkFile{vars: map[string]string{}}
	lines := strings.Split(text, "\n")
	var cur *mkRule
	inDefine := false
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		l := lines[i]
		for strings.HasSuffix(l, "\\") && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, "\\") + " " + strings.TrimLeft(lines[i], " \t")
		}
		t := strings.TrimSpace(l)
		switch {
		case inDefine:
			inDefine = t != "endef"
			continue
		case strings.HasPrefix(t, "define "):
			inDefine = true
			continue
		case strings.HasPrefix(l, "\t"):
			if cur != nil {
				r := strings.TrimLeft(strings.TrimPrefix(l, "\t"), "@-+ \t")
				cur.recipe = append(cur.recipe, mkRecipeLine{text: r, line: lineNo})
			}
			continue
		case t == "" || strings.HasPrefix(t, "#"):
			continue
		}
		if name, value, ok := mkAssignment(t); ok {
			mf.vars[name] = value
			if name == ".DEFAULT_GOAL" {
				mf.defaultGoal = value
			}
			continue
		}
		colon := mkRuleColon(t)
		if colon < 0 {
			cur = nil // a directive: include, ifeq, export, ...
			continue
		}
		head, rest := t[:colon], strings.TrimLeft(t[colon+1:], ":")
		recipe := ""
		if semi := strings.IndexByte(rest, ';'); semi >= 0 {
			rest, recipe = rest[:semi], strings.TrimSpace(rest[semi+1:])
		}
		if _, _, targetVar := mkAssignment(strings.TrimSpace(rest)); targetVar {
			cur = nil // `target: VAR = value`
			continue
		}
		cur = &mkRule{targets: strings.Fields(head), prereqs: strings.Fields(strings.ReplaceAll(rest, "|", " ")), line: lineNo}
		if recipe != "" {
			cur.recipe = append(cur.recipe, mkRecipeLine{text: strings.TrimLeft(recipe, "@-+ "), line: lineNo})
		}
		mf.rules = append(mf.rules, cur)
	}
	if mf.defaultGoal == "" {
		for _, r := range mf.rules {
			if t := r.targets[0]; !strings.HasPrefix(t, ".") && !strings.ContainsAny(t, "%") {
				mf.defaultGoal = t
				break
			}
		}
	}
	return mf
}

// mkAssignment reads `NAME = value` (also :=, ::=, ?=, +=, !=, with
// export or override in front).
func mkAssignment(t string) (name, value string, ok bool) {
	for _, kw := range []string{"export ", "override ", "private "} {
		t = strings.TrimPrefix(t, kw)
	}
	i := strings.IndexAny(t, "=:?+!")
	for i >= 0 && i < len(t) {
		switch {
		case t[i] == '=':
			return strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+1:]), isMakeName(strings.TrimSpace(t[:i]))
		case strings.HasPrefix(t[i:], ":=") || strings.HasPrefix(t[i:], "?=") || strings.HasPrefix(t[i:], "+=") || strings.HasPrefix(t[i:], "!="):
			return strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+2:]), isMakeName(strings.TrimSpace(t[:i]))
		case strings.HasPrefix(t[i:], "::="):
			return strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+3:]), isMakeName(strings.TrimSpace(t[:i]))
		case t[i] == ':':
			return "", "", false // a rule
		}
		i++
	}
	return "", "", false
}

func isMakeName(s string) bool {
	return s != "" && !strings.ContainsAny(s, " \t$()")
}

// mkRuleColon returns the offset of the colon that ends a rule's targets,
// outside $(...) references; -1 when the line is not a rule.
func mkRuleColon(t string) int {
	depth := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '(', '{':
			depth++
		case ')', '}':
			depth--
		case ':':
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// rule returns the rule that makes target t.
func (mf *mkFile) rule(t string) *mkRule {
	for _, r := range mf.rules {
		if contains(r.targets, t) && len(r.recipe)+len(r.prereqs) > 0 {
			return r
		}
	}
	for _, r := range mf.rules {
		if contains(r.targets, t) {
			return r
		}
	}
	return nil
}

// defaultGoal returns the target `make` runs without arguments.
func (b *builder) defaultGoal(mk string) string {
	if g, ok := b.defaults[mk]; ok {
		return g
	}
	g := parseMakefile(b.read(mk)).defaultGoal
	b.defaults[mk] = g
	return g
}

// makefile adds the calls of a Makefile's recipes; each target is a caller.
func (b *builder) makefile(p string) {
	mf := parseMakefile(b.read(p))
	dir := path.Dir(p)
	for _, r := range mf.rules {
		c := Caller{Kind: CallerMake, File: p, Name: r.targets[0], Line: r.line}
		for _, rl := range r.recipe {
			b.shell(c, makeRecipeShell(rl.text), dir, rl.line)
		}
	}
}

// makeRecipeShell turns a recipe line into the shell text make runs, as
// far as calls go: $(MAKE) is make, $$ is $, and what follows $(FLOX) (the
// prefix venv2flox writes) is the command.
func makeRecipeShell(s string) string {
	return strings.NewReplacer("$(MAKE)", "make", "${MAKE}", "make", "$$", "$", "$(FLOX) ", "").Replace(s)
}
