package rewrite

import (
	"strings"
)

// A rule whose targets are files inside the venv ($(VENV)/bin/activate,
// venv/.install.stamp) can no longer work once Flox owns the venv: nothing
// creates its target any more, so make runs it on every call, and a
// leftover `touch` would create a stray venv folder. When such a rule
// still has commands that are not venv setup (`pip install -e ".[dev]"`
// of extras the hook does not sync), they move to the one named target
// that depended on the rule (`venv: venv/bin/activate`) and the rule goes.

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

// soleNamedDependent returns the rule that lists one of targets as a
// prerequisite when there is exactly one, and it names a single command
// people type (not a file).
func (m *makeRewrite) soleNamedDependent(self int, targets []string) (int, bool) {
	found := -1
	for i, l := range m.lines {
		if l.kind != mkRule || i == self || m.deleted[i] || specialRule(l) {
			continue
		}
		words, _ := makeWords(string(m.src[l.prereqStart:l.prereqEnd]))
		for _, w := range words {
			if contains(targets, w) {
				if found >= 0 && found != i {
					return -1, false
				}
				found = i
			}
		}
	}
	if found < 0 || m.lines[found].targetVars {
		return -1, false
	}
	l := m.lines[found]
	names, _ := makeWords(l.text[:l.colon-l.start])
	if len(names) != 1 || m.fileLike(names[0]) || strings.Contains(l.text[:l.colon-l.start], "%") {
		return -1, false
	}
	return found, true
}

// rewrittenRecipe returns the recipe of rule i as it reads after the edits
// made so far.
func (m *makeRewrite) rewrittenRecipe(i int) (string, bool) {
	st := m.rules[i]
	if st == nil || st.firstRec < 0 {
		return "", false
	}
	start, end := m.lines[st.firstRec].start, m.lines[st.firstRec].end
	for k := st.firstRec + 1; k < len(m.lines) && m.lines[k].kind == mkRecipe && m.lines[k].rule == i; k++ {
		end = m.lines[k].end
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
	at := m.lines[dest].end
	if ds.firstRec >= 0 {
		at = m.lines[ds.firstRec].start
	}
	if at == len(m.src) && at > 0 && m.src[at-1] != '\n' {
		text = m.nl + text
	}
	m.edits = append(m.edits, Edit{Start: at, End: at, Text: text})
	ds.commands++
	ds.changed = true
	return true
}
