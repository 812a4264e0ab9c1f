package callgraph

import (
	"path"
	"strings"

	"github.com/venv2flox/venv2flox/internal/makefile"
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

// parseMakefile reads the rules and assignments of a Makefile, from the
// lines internal/makefile parses for detect and the rewriter too.
func parseMakefile(text string) *mkFile {
	mf := &mkFile{vars: map[string]string{}}
	lines := makefile.Parse([]byte(text))
	rules := map[int]*mkRule{} // by the index of the rule line
	for i, l := range lines {
		switch l.Kind {
		case makefile.Assign:
			value := text[l.ValueStart:l.ValueEnd]
			mf.vars[l.Name] = value
			if l.Name == ".DEFAULT_GOAL" {
				mf.defaultGoal = value
			}
		case makefile.Rule:
			if l.TargetVars {
				continue // `target: VAR = value`
			}
			head := text[l.Start:l.Colon]
			prereqs := text[l.PrereqStart:l.PrereqEnd]
			r := &mkRule{targets: strings.Fields(joinContinued(head)), prereqs: strings.Fields(strings.ReplaceAll(joinContinued(prereqs), "|", " ")), line: l.Line}
			if semi := l.PrereqEnd - l.Start; semi < len(l.Text) && l.Text[semi] == ';' {
				if recipe := strings.TrimSpace(joinContinued(l.Text[semi+1:])); recipe != "" {
					r.recipe = append(r.recipe, mkRecipeLine{text: strings.TrimLeft(recipe, "@-+ "), line: l.Line})
				}
			}
			if len(r.targets) > 0 {
				rules[i] = r
				mf.rules = append(mf.rules, r)
			}
		case makefile.Recipe:
			if r := rules[l.Rule]; r != nil {
				text := strings.TrimLeft(joinContinued(strings.TrimPrefix(l.Text, "\t")), "@-+ \t")
				r.recipe = append(r.recipe, mkRecipeLine{text: text, line: l.Line})
			}
		}
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

// joinContinued joins backslash-continued physical lines with a space,
// as far as calls go.
func joinContinued(s string) string {
	phys := strings.Split(s, "\n")
	out := strings.TrimSuffix(phys[0], "\r")
	for _, p := range phys[1:] {
		out = strings.TrimSuffix(out, "\\") + " " + strings.TrimLeft(strings.TrimSuffix(p, "\r"), " \t")
	}
	return out
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
