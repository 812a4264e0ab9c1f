package rewrite

import (
	"strings"

	"github.com/venv2flox/venv2flox/internal/makefile"
)

// A rule whose targets are files inside the venv ($(VENV)/bin/activate,
// venv/.install.stamp) can no longer work once Flox owns the venv: nothing
// creates its target any more, so make runs it on every call, and a
// leftover `touch` would create a stray venv folder. Its install commands
// still matter (`make venv` installs; a CI job without Flox gets its
// packages from them), so they move to the named target that depended on
// the rule (`venv: venv/bin/activate`), the other dependents depend on that
// target instead, and the rule goes.

// venvFileTargets reports rules whose every target is a file or folder
// inside the project's venv.
func (m *makeRewrite) venvFileTargets(targets []string) bool {
	h := m.helper()
	for _, t := range targets {
		ref, ok := h.venvPath(makePieces(t, 0))
		if !ok || ref.outside || !m.fileLike(t) {
			return false
		}
	}
	return len(targets) > 0
}

// installDestination returns the rule the commands of rule self (which
// builds targets inside the venv) move to: the only rule that depends on
// it, or else the only one that depends on it and has no recipe of its own
// (`venv: $(VENV)/bin/activate`). Either must name a single command people
// type, not a file. others are the rules that depend on self besides dest.
func (m *makeRewrite) installDestination(self int, targets []string) (dest int, others []int, ok bool) {
	var deps []int
	for i, l := range m.lines {
		if l.Kind != makefile.Rule || i == self || m.deleted[i] || specialRule(l) {
			continue
		}
		words, _ := makefile.Words(string(m.src[l.PrereqStart:l.PrereqEnd]))
		for _, w := range words {
			if contains(targets, w) {
				deps = append(deps, i)
				break
			}
		}
	}
	named := func(i int) bool {
		l := m.lines[i]
		names, _ := makefile.Words(l.Text[:l.Colon-l.Start])
		return !l.TargetVars && len(names) == 1 && !m.fileLike(names[0]) && !strings.Contains(l.Text[:l.Colon-l.Start], "%")
	}
	dest = -1
	for _, i := range deps {
		if named(i) && (len(deps) == 1 || m.rules[i].firstRec < 0) {
			if dest >= 0 {
				return -1, nil, false
			}
			dest = i
		}
	}
	if dest < 0 {
		return -1, nil, false
	}
	for _, i := range deps {
		if i != dest {
			others = append(others, i)
		}
	}
	return dest, others, true
}

// dependOn makes rule i depend on target name where it depended on one of
// targets: the first such prerequisite is renamed, the others dropped.
func (m *makeRewrite) dependOn(i int, targets []string, name string) {
	l, st := m.lines[i], m.rules[i]
	words, offs := makefile.Words(string(m.src[l.PrereqStart:l.PrereqEnd]))
	if st.dropped == nil {
		st.dropped = map[int]bool{}
	}
	has := contains(words, name)
	for k, w := range words {
		if !contains(targets, w) || st.dropped[k] {
			continue
		}
		st.dropped[k] = true
		if !has {
			m.edits = append(m.edits, Edit{Start: l.PrereqStart + offs[k], End: l.PrereqStart + offs[k] + len(w), Text: name})
			has = true
			continue
		}
		m.edits = append(m.edits, wordDeletion(m.src, l.PrereqStart+offs[k], len(w), l.Colon+1, !keptAfter(st.dropped, k, len(words))))
	}
	st.changed = true
}

// rewrittenRecipe returns the recipe of rule i as it reads after the edits
// made so far.
func (m *makeRewrite) rewrittenRecipe(i int) (string, bool) {
	st := m.rules[i]
	if st == nil || st.firstRec < 0 {
		return "", false
	}
	start, end := m.lines[st.firstRec].Start, m.lines[st.firstRec].End
	for k := st.firstRec + 1; k < len(m.lines) && m.lines[k].Kind == makefile.Recipe && m.lines[k].Rule == i; k++ {
		end = m.lines[k].End
	}
	var inside []Edit
	for _, e := range m.edits {
		if e.Start >= start && e.End <= end {
			inside = append(inside, Edit{Start: e.Start - start, End: e.End - start, Text: e.Text})
		} else if e.Start < end && e.End > start {
			return "", false // an edit crosses the recipe's edge
		}
	}
	inside, err := normalizeEdits(inside)
	if err != nil {
		return "", false
	}
	out, err := applyEdits(m.src[start:end], inside)
	if err != nil {
		return "", false
	}
	text := string(out)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += m.nl
	}
	return text, true
}

// moveRecipe moves what is left of rule i's recipe into rule dest, ahead
// of dest's own recipe, and deletes rule i.
func (m *makeRewrite) moveRecipe(i, dest int) bool {
	text, ok := m.rewrittenRecipe(i)
	if !ok {
		return false
	}
	m.deleteRule(i)
	ds := m.rules[dest]
	at := m.lines[dest].End
	if ds.firstRec >= 0 {
		at = m.lines[ds.firstRec].Start
	}
	if at == len(m.src) && at > 0 && m.src[at-1] != '\n' {
		text = m.nl + text
	}
	m.edits = append(m.edits, Edit{Start: at, End: at, Text: text})
	ds.commands++
	ds.changed = true
	return true
}
