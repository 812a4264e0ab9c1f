package detect

import "strings"

// targets lists the Makefile's rules as runnable shell: each target with
// its prerequisites and recipe, make references expanded with the file's
// variables (references make would compute, such as $(shell ...), stay as
// written). Rules of a Windows-only branch and pattern rules are left out.
// A target named by several rules gets the prerequisites of all and the
// recipe of the one that has one, as make does.
func (m *makefileReader) targets() Makefile {
	mf := Makefile{Path: m.f.Path, Includes: m.includes}
	index := map[string]int{}
	for _, r := range m.recipes {
		if r.windows {
			continue
		}
		prereqs := strings.Fields(m.expandAsWritten(r.prereqs))
		recipe := m.recipeSources(r)
		for _, name := range strings.Fields(m.expandAsWritten(r.targets)) {
			if strings.Contains(name, "%") {
				continue
			}
			i, seen := index[name]
			if !seen {
				index[name] = len(mf.Targets)
				mf.Targets = append(mf.Targets, MakeTarget{Name: name, Evidence: m.f.Ev(r.line)})
				i = len(mf.Targets) - 1
			}
			t := &mf.Targets[i]
			t.Prereqs = append(t.Prereqs, prereqs...)
			if len(recipe) > 0 && len(t.Recipe) == 0 {
				t.Recipe, t.Evidence = recipe, m.f.Ev(r.line)
			}
		}
	}
	return mf
}

// expandAsWritten expands make references, keeping those it cannot know
// as written.
func (m *makefileReader) expandAsWritten(s string) string {
	ph := &placeholders{}
	return restorePlaceholders(m.expand(s, ph, 0), ph)
}

// recipeSources turns a recipe into the shells make starts for it: one
// per line, or one for all lines under .ONESHELL.
func (m *makefileReader) recipeSources(r *makeRecipe) []ShellSource {
	var out []ShellSource
	for _, l := range r.lines {
		if makeFunctionLine(l.text) {
			continue
		}
		text := m.expandAsWritten(stripRecipePrefixes(l.text))
		src := ShellSource{Path: m.f.Path, Script: text}
		for i := range strings.Count(text, "\n") + 1 {
			src.Lines = append(src.Lines, l.first+i)
		}
		if m.oneShell && len(out) == 1 {
			out[0].Script += "\n" + src.Script
			out[0].Lines = append(out[0].Lines, src.Lines...)
			continue
		}
		out = append(out, src)
	}
	return out
}
