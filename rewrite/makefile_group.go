package rewrite

import (
	"path"
	"slices"

	"github.com/venv2flox/venv2flox/internal/makefile"
)

// Makefiles that include one another share their variables: common.mk
// says `venv ?= .venv` and the Makefile that includes it runs
// `$(venv)/bin/python -m app`. Rewriting one of them alone would strand
// the other's references, so each is rewritten knowing its group: the venv
// variables of every member, what the other members still read once
// rewritten, and which member defines $(FLOX) (the one the others
// include). Recipes are expanded when they run, so $(FLOX) defined in an
// included file serves them all.

// makeGroup is what a Makefile's rewrite needs to know about its group.
type makeGroup struct {
	vars    map[string]venvVar // venv variables of every member
	others  map[string]bool    // variables the other members read after their rewrite
	floxIn  string             // the member that defines $(FLOX)
	useFlox bool               // some other member runs $(FLOX)
	// top is the member make is run with (included by none): $(CURDIR)
	// is its folder, whichever member a line is written in.
	top string
}

// loadMakeGroup returns the group of the Makefile at p, or nil when it is
// not part of one (or the other members cannot be read).
func loadMakeGroup(ctx *Context, p string, src []byte) *makeGroup {
	if ctx == nil || ctx.ReadFile == nil || !slices.Contains(ctx.SharedMakefiles, p) {
		return nil
	}
	texts := map[string][]byte{p: src}
	for _, q := range ctx.SharedMakefiles {
		if q == p {
			continue
		}
		b, err := ctx.ReadFile(q)
		if err != nil {
			return nil
		}
		texts[q] = b
	}
	// The members are the shared Makefiles linked to p through includes.
	edges := map[string][]string{}
	included := map[string]int{}
	for q, b := range texts {
		for _, l := range makefile.Parse(b) {
			if l.Kind != makefile.Include {
				continue
			}
			words, _ := makefile.Words(l.Text)
			for _, w := range words[1:] {
				t := path.Join(path.Dir(q), w)
				if _, ok := texts[t]; ok && t != q {
					edges[q] = append(edges[q], t)
					edges[t] = append(edges[t], q)
					included[t]++
				}
			}
		}
	}
	members := map[string]bool{p: true}
	for queue := []string{p}; len(queue) > 0; queue = queue[1:] {
		for _, n := range edges[queue[0]] {
			if !members[n] {
				members[n] = true
				queue = append(queue, n)
			}
		}
	}
	if len(members) < 2 {
		return nil
	}
	names := make([]string, 0, len(members))
	for q := range members {
		names = append(names, q)
	}
	slices.Sort(names)
	g := &makeGroup{vars: map[string]venvVar{}, others: map[string]bool{}}
	// $(FLOX) goes where the others look: the member included most.
	for _, q := range names {
		if g.floxIn == "" || included[q] > included[g.floxIn] {
			g.floxIn = q
		}
		if included[q] == 0 && g.top == "" {
			g.top = q
		}
	}
	if g.top == "" {
		g.top = p
	}
	for range 2 { // a variable built on another member's
		for _, q := range names {
			m := newMakeRewrite(ctx, q, texts[q])
			m.seed(g.vars)
			m.learnVars()
			for k, v := range m.vars {
				g.vars[k] = v
			}
		}
	}
	for _, q := range names {
		if q == p {
			continue
		}
		m := newMakeRewrite(ctx, q, texts[q])
		m.seed(g.vars)
		m.learnVars()
		m.rewriteRecipes()
		m.rewriteRules()
		edits, err := normalizeEdits(m.edits)
		if err != nil {
			return nil
		}
		after, err := applyEdits(texts[q], edits)
		if err != nil {
			return nil
		}
		for _, t := range makefile.Refs(string(after)) {
			g.others[t.Name] = true
		}
		g.useFlox = g.useFlox || m.prefixed
	}
	return g
}

// seed makes the venv variables of the other members known.
func (m *makeRewrite) seed(vars map[string]venvVar) {
	for k, v := range vars {
		if _, own := m.vars[k]; !own {
			m.vars[k] = v
		}
	}
}

// definesFlox reports whether this Makefile gets the $(FLOX) definition:
// on its own, or as the member of its group the others include.
func (m *makeRewrite) definesFlox() bool {
	if m.group == nil {
		return m.prefixed
	}
	return m.path == m.group.floxIn && (m.prefixed || m.group.useFlox)
}

// readByGroup reports a variable another member of the group still reads.
func (m *makeRewrite) readByGroup(name string) bool {
	return m.group != nil && m.group.others["$("+name+")"]
}
