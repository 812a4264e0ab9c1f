package rewrite

import (
	"strings"

	"github.com/venv2flox/venv2flox/internal/makefile"
)

// Makefiles often pick venv paths per operating system:
//
//	ifeq ($(OS),Windows_NT)
//		VENV_ACTIVATE = $(VENV_DIR)/Scripts/activate
//	else
//		VENV_ACTIVATE = $(VENV_DIR)/bin/activate
//	endif
//
// Flox does not run on Windows (WSL2 is Linux), so only the Unix branch
// has a future. When such a block only sets variables, it is replaced by
// its Unix branch and the Makefile is rewritten as if written that way.

// osBranch is a top-level Windows_NT conditional that only sets venv
// variables.
type osBranch struct {
	first, last int   // indexes of the ifeq and endif lines
	unix        []int // indexes of the Unix branch's lines
	venv        bool  // it sets a venv variable
}

// windowsBlocks finds the Windows_NT conditionals the rewrite can drop.
func (m *makeRewrite) windowsBlocks() []osBranch {
	var out []osBranch
	for i := 0; i < len(m.lines); i++ {
		l := m.lines[i]
		word := makefile.FirstWord(strings.TrimSpace(l.Text))
		if l.Kind != makefile.Conditional || l.Nested || (word != "ifeq" && word != "ifneq") || !strings.Contains(l.Text, "Windows_NT") {
			continue
		}
		b, ok := m.windowsBlock(i, word == "ifeq")
		if ok {
			out = append(out, b)
			i = b.last
		}
	}
	return out
}

// windowsBlock reads the conditional opened at line i; windowsFirst is true
// for ifeq (the first branch is the Windows one).
func (m *makeRewrite) windowsBlock(i int, windowsFirst bool) (osBranch, bool) {
	b := osBranch{first: i}
	inFirst := true
	for j := i + 1; j < len(m.lines); j++ {
		l := m.lines[j]
		switch l.Kind {
		case makefile.Conditional:
			switch strings.TrimSpace(l.Text) {
			case "else":
				if !inFirst {
					return b, false
				}
				inFirst = false
				continue
			case "endif":
				b.last = j
				return b, true
			}
			return b, false // nested or chained conditionals stay as they are
		case makefile.Assign:
			// Only venv paths: a branch that also sets other things
			// (RM := rmdir /s /q) still serves Windows and stays.
			if kind := m.vars["$("+l.Name+")"].kind; m.varLines[j] == 0 && (kind == 0 || kind == varAlias) && l.Name != "VENV_BIN" && l.Name != "BIN" {
				return b, false
			}
			b.venv = true
		case makefile.Blank, makefile.Comment:
		default:
			return b, false
		}
		if inFirst != windowsFirst {
			b.unix = append(b.unix, j)
		}
	}
	return b, false
}

// withoutWindowsBranches returns the Makefile with every droppable
// Windows_NT block that sets venv variables replaced by its Unix branch,
// and the original line number of each line of the result.
func (m *makeRewrite) withoutWindowsBranches() ([]byte, []int, bool) {
	blocks := m.windowsBlocks()
	var out strings.Builder
	var origLine []int // origLine[n-1] is the source line of output line n
	emit := func(text string, line int) {
		out.WriteString(text)
		for range strings.Count(text, "\n") {
			origLine = append(origLine, line)
			line++
		}
	}
	changed := false
	next := 0
	for _, b := range blocks {
		if !b.venv {
			continue
		}
		changed = true
		emit(string(m.src[m.lines[next].Start:m.lines[b.first].Start]), m.lines[next].Line)
		for _, j := range b.unix {
			l := m.lines[j]
			// Dedented: a tab-indented line after a rule would read as a recipe.
			emit(strings.TrimLeft(string(m.src[l.Start:l.End]), " \t"), l.Line)
		}
		next = b.last + 1
	}
	if !changed {
		return nil, nil, false
	}
	if next < len(m.lines) {
		emit(string(m.src[m.lines[next].Start:]), m.lines[next].Line)
	}
	return []byte(out.String()), origLine, true
}

// rewriteUnixBranches rewrites the Makefile with its Windows venv branches
// dropped. The result is the whole change from the original file; follow-ups
// point at the original lines. ok is false when that is still blocked.
func (m *makeRewrite) rewriteUnixBranches(ctx *Context) (Result, bool) {
	unix, origLine, ok := m.withoutWindowsBranches()
	if !ok {
		return Result{}, false
	}
	r, err := Makefile(ctx, m.path, unix)
	if err != nil || string(r.New) == string(unix) {
		return Result{}, false // still blocked, or dropping the branch alone migrates nothing
	}
	for i, f := range r.FollowUps {
		if f.Evidence.Line >= 1 && f.Evidence.Line <= len(origLine) {
			r.FollowUps[i].Evidence.Line = origLine[f.Evidence.Line-1]
		}
	}
	for _, b := range m.windowsBlocks() {
		if b.venv {
			r.FollowUps = append(r.FollowUps, FollowUp{Evidence: m.evidence(m.lines[b.first].Start),
				Message:    "the Windows branch of the venv paths went away: Flox runs on Linux and macOS (on Windows, in WSL2)",
				Suggestion: "Nothing to do unless the Makefile is also used natively on Windows."})
		}
	}
	return r, true
}
