package rewrite

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// Docs that read right after the rewrite: a step the environment now does
// goes, with the sentence that introduced it, instead of leaving a code
// block that says so; `flox activate` comes after the checkout is cloned;
// and "create a virtual environment" becomes "enter the Flox environment".

// Sentences that stand in for a step `flox activate` now does, where
// removing it would leave a list item or a section empty.
const (
	mdStepDone  = "`flox activate` (above) does this step."
	rstStepDone = "``flox activate`` (above) does this step."
)

// lastLine returns the 0-based last line of a block (its closing fence,
// if any).
func (r *docRewriter) lastLine(b docBlock) int {
	return dcLineOf(r.starts, max(b.closeEnd-1, 0))
}

// literalParagraph reports an rST `::` literal block, whose introducing
// paragraph is part of the block.
func (r *docRewriter) literalParagraph(b docBlock) bool {
	t := strings.TrimSpace(r.line(b.openLine))
	return r.rst && strings.HasSuffix(t, "::") && !strings.HasPrefix(t, "..")
}

// dropBlock removes a block whose every step the environment now does,
// with the short paragraph that introduced it. Where that would leave its
// section or list item empty, or the paragraph says more, a sentence takes
// the block's place. windows says the block held Windows steps: the WSL2
// note then takes its place, once per file.
func (r *docRewriter) dropBlock(b docBlock, windows bool) {
	done := mdStepDone
	if r.rst {
		done = rstStepDone
	}
	agentTells := r.agent && !r.agentTold // agents must learn once how to run commands
	if r.agent {
		r.agentTold = true
		done = agentDone
		if !r.linked {
			r.linked = true
			done = agentDone + " [Install Flox](" + dcFloxInstallURL + ") if it is missing."
		}
	}
	if windows && !r.windowsNoted {
		r.windowsNoted = true
		done = docWindowsNote
	}
	last := r.lastLine(b)
	end := r.ends[last]
	if last+1 < len(r.starts) && strings.TrimSpace(r.line(last+1)) == "" {
		end = r.ends[last+1] // and the blank line after it
	}
	if item, ok := r.stepItem(b, last); ok && !agentTells && done != docWindowsNote {
		// "3. Activate it:" and its block: the whole step goes, and the
		// steps after it are renumbered (result).
		r.edits = append(r.edits, Edit{Start: r.starts[item], End: end})
		r.droppedItems = append(r.droppedItems, item)
		return
	}
	if first, ok := r.removableIntro(b); ok && r.leavesEmpty(first, last) && !agentTells && done != docWindowsNote {
		// A part between two rules ("---") that held only this step: it
		// goes with the rule before it, so no two rules meet.
		from := first
		for from > 0 && r.sections[from-1] == r.sections[first] {
			from--
		}
		next := last + 1
		for next < len(r.starts) && r.sections[next] == r.sections[first] {
			next++
		}
		if r.thematicBreak(from) && next < len(r.starts) && r.thematicBreak(next) {
			r.edits = append(r.edits, Edit{Start: r.starts[from], End: r.starts[next]})
			return
		}
	}
	if first, ok := r.removableIntro(b); ok && !r.leavesEmpty(first, last) {
		text := ""
		if done == docWindowsNote || agentTells {
			text = b.baseIndent + done + r.nl + r.nl
		}
		r.edits = append(r.edits, Edit{Start: r.starts[first], End: end, Text: text})
		return
	}
	from := b.openLine
	if r.literalParagraph(b) && strings.TrimSpace(r.line(b.openLine)) != "::" {
		// The paragraph stays: its "::" becomes ":", since no literal
		// block follows it any more. A lone "::" goes with the block.
		t := r.line(b.openLine)
		at := r.starts[b.openLine] + strings.LastIndex(t, "::")
		r.edits = append(r.edits, Edit{Start: at, End: at + 2, Text: ":"})
		from = b.first
	}
	r.edits = append(r.edits, Edit{Start: r.starts[from], End: r.ends[last], Text: b.baseIndent + done + r.nl})
}

// stepItem returns the Markdown list item a block belongs to when the
// item holds only a short line introducing the block ("3. Activate it:")
// and the block, and other items or text stay in its section.
func (r *docRewriter) stepItem(b docBlock, last int) (int, bool) {
	if r.rst || b.openLine < 2 || strings.TrimSpace(r.line(b.openLine-1)) != "" {
		return 0, false
	}
	item := b.openLine - 2
	t := r.line(item)
	ind := dcIndent(t)
	trimmed := strings.TrimSpace(t)
	w := mdListItemWidth(trimmed)
	if w == 0 || ind+w != len(b.baseIndent) || len(trimmed) > 120 || r.leavesEmpty(item, last) {
		return 0, false
	}
	low := strings.ToLower(trimmed)
	if !strings.HasSuffix(low, ":") && !strings.Contains(low, "venv") && !strings.Contains(low, "virtual env") &&
		!strings.Contains(low, "activate") && !strings.Contains(low, "install") {
		return 0, false
	}
	// Nothing more in the item after the block: the next text is another
	// item, or less indented.
	for l := last + 1; l < len(r.starts); l++ {
		if n := r.line(l); strings.TrimSpace(n) != "" {
			return item, dcIndent(n) <= ind
		}
	}
	return item, true
}

// renumberEdits renumbers the ordered-list items after the steps
// dropBlock removed, so the list still counts 1, 2, 3.
func (r *docRewriter) renumberEdits() []Edit {
	shift := map[int]int{}
	removed := map[int]bool{}
	for _, item := range r.droppedItems {
		removed[item] = true
	}
	for _, item := range r.droppedItems {
		t := r.line(item)
		ind := dcIndent(t)
		if _, ok := mdItemNumber(strings.TrimSpace(t)); !ok {
			continue
		}
		for l := item + 1; l < len(r.starts); l++ {
			n := r.line(l)
			if strings.TrimSpace(n) == "" || dcIndent(n) > ind || removed[l] {
				continue
			}
			if _, ok := mdItemNumber(strings.TrimSpace(n)); dcIndent(n) < ind || !ok {
				break
			}
			shift[l]++
		}
	}
	var out []Edit
	for l, by := range shift {
		if removed[l] {
			continue
		}
		t := r.line(l)
		ind := dcIndent(t)
		num, _ := mdItemNumber(t[ind:])
		digits := len(fmt.Sprint(num))
		out = append(out, Edit{Start: r.starts[l] + ind, End: r.starts[l] + ind + digits, Text: fmt.Sprint(max(num-by, 1))})
	}
	return out
}

// mdItemNumber returns the number of an ordered-list item ("3. Run").
func mdItemNumber(t string) (int, bool) {
	w := mdListItemWidth(t)
	if w == 0 || t[0] < '0' || t[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(t[:w-2])
	return n, err == nil
}

// removableIntro returns the first line of the paragraph that introduces
// a block when it only introduces it: at most three lines, at the block's
// indentation, neither a heading nor a list item, ending in ":" or about
// the venv or installing.
func (r *docRewriter) removableIntro(b docBlock) (int, bool) {
	first, last := b.introLine, b.openLine
	if !r.literalParagraph(b) {
		last = b.introLine - 1
		if last < 1 || strings.TrimSpace(r.line(last)) != "" {
			return 0, false
		}
		last--
		first = last
		for first > 0 && strings.TrimSpace(r.line(first-1)) != "" {
			first--
		}
	}
	if last-first > 2 || dcIndent(r.line(first)) != len(b.baseIndent) {
		return 0, false
	}
	var text strings.Builder
	for l := first; l <= last; l++ {
		t := strings.TrimSpace(r.line(l))
		if t == "" || strings.HasPrefix(t, "#") || mdListItemWidth(t) > 0 || strings.HasPrefix(t, "```") ||
			strings.HasPrefix(t, "~~~") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, "..") || isAdornmentLine(t) {
			return 0, false
		}
		text.WriteString(strings.ToLower(t) + " ")
	}
	p := strings.TrimSpace(text.String())
	venvish := strings.Contains(p, "venv") || strings.Contains(p, "virtualenv") || strings.Contains(p, "virtual env") ||
		strings.Contains(p, "install") || strings.Contains(p, "dependencies") || strings.Contains(p, "requirements") ||
		strings.Contains(p, "activate")
	if len(p) > 240 || !venvish && !strings.HasSuffix(p, ":") {
		return 0, false
	}
	return first, true
}

// isAdornmentLine reports a heading underline ("=====", "-----").
func isAdornmentLine(t string) bool {
	return len(t) >= 3 && strings.Trim(t, "=-~^*+#'`\":._") == ""
}

// leavesEmpty reports whether removing lines first..last would leave
// their section with nothing but its heading.
func (r *docRewriter) leavesEmpty(first, last int) bool {
	sec := r.sections[first]
	for l := range r.starts {
		if l >= first && l <= last || r.sections[l] != sec {
			continue
		}
		t := strings.TrimSpace(r.line(l))
		if t != "" && !strings.HasPrefix(t, "#") && !isAdornmentLine(t) {
			if l+1 < len(r.starts) && r.sections[l+1] != sec {
				continue // the title of the next section (setext, rST)
			}
			return false
		}
	}
	return true
}

// emptied reports a block whose planned rewrite leaves nothing but blank
// lines and comments.
func emptied(text string, plan dcSnippetPlan) bool {
	out, err := applyEdits([]byte(text), dcOrderEdits(plan.Edits))
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(out), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}

// clonesRepo reports a block that runs `git clone`.
func (r *docRewriter) clonesRepo(b docBlock) bool {
	for l := b.first; l <= b.last && l < len(r.starts); l++ {
		t := r.stripped(b, l)
		t = strings.TrimPrefix(t, docPrompt(t))
		if f := strings.Fields(t); len(f) > 1 && f[0] == "git" && f[1] == "clone" {
			return true
		}
	}
	return false
}

// cloneLater reports a block after block i, in the same section, that
// clones the repository: the environment can only be entered after it.
func (r *docRewriter) cloneLater(i int) bool {
	sec := r.sections[r.blocks[i].openLine]
	for _, b := range r.blocks[i+1:] {
		if r.sections[b.openLine] != sec {
			return false
		}
		if r.clonesRepo(b) {
			return true
		}
	}
	return false
}

// activateAfterClone plans `flox activate` after the last `git clone` or
// `cd` of a snippet that does no setup of its own. After a clone that the
// snippet does not enter, the reader is still in the folder above it:
// `flox activate -d DIR` enters the clone's environment from there, and
// the steps that follow keep the folder they were written for.
func activateAfterClone(text string) dcSnippetPlan {
	var plan dcSnippetPlan
	starts := dcLineStarts(text)
	last, dir := -1, ""
	for l := range starts {
		f := strings.Fields(dcLine(text, starts, l))
		switch {
		case len(f) > 0 && f[0] == "cd":
			last, dir = l, ""
		case len(f) > 2 && f[0] == "git" && f[1] == "clone":
			last, dir = l, detect.CloneDir(f[2:])
		}
	}
	if last < 0 {
		return plan
	}
	at, lead := len(text), ""
	if last+1 < len(starts) {
		at = starts[last+1]
	} else if !strings.HasSuffix(text, "\n") {
		lead = "\n"
	}
	activate := "flox activate\n"
	if dir != "" && dir != "." && !strings.ContainsAny(dir, " \t$`'\"\\;&|<>(){}*?#") {
		activate = "flox activate -d " + dir + "\n"
	}
	plan.Edits = []Edit{{Start: at, End: at, Text: lead + activate}}
	plan.Setup = true
	return plan
}

// venvPhrases are ways prose asks for a virtual environment that read as
// entering the Flox environment once replaced.
var venvPhrases = []string{
	"create and activate a virtual environment", "create and activate a virtualenv", "create and activate a venv",
	"create and activate the virtual environment", "create a virtual environment and activate it",
	"create a virtualenv and activate it", "create a venv and activate it",
	"create a new virtual environment", "create a virtual environment", "create a virtualenv", "create a venv",
	"set up a virtual environment", "set up a virtualenv", "setup a virtual environment", "setup a virtualenv",
	"set up the virtual environment", "set up the virtualenv", "setup the virtual environment", "setup the virtualenv",
	"create the virtual environment", "create the virtualenv",
	"make a virtual environment", "make a virtualenv",
	"activate the virtual environment", "activate the virtualenv", "activate the venv",
	"activate your virtual environment", "activate your virtualenv",
	"in a virtual environment", "in a virtualenv",
	"the project's virtual environment", "the project's virtualenv",
}

// rewordVenvProse replaces a venv phrase of a line ("Then create a
// virtual environment:") with the Flox one ("Then enter the Flox
// environment:"). It fails when the line still talks about a venv after.
func rewordVenvProse(line string) (string, bool) {
	low := strings.ToLower(line)
	for _, p := range venvPhrases {
		i := strings.Index(low, p)
		if i < 0 {
			continue
		}
		with := "enter the Flox environment"
		switch {
		case strings.HasPrefix(p, "in "):
			with = "in the Flox environment"
		case strings.HasPrefix(p, "the project's "):
			with = "the project's Flox environment"
		}
		if line[i] >= 'A' && line[i] <= 'Z' {
			with = strings.ToUpper(with[:1]) + with[1:]
		}
		out := line[:i] + with + line[i+len(p):]
		rest := strings.ToLower(out)
		if strings.Contains(rest, "venv") || strings.Contains(rest, "virtualenv") || strings.Contains(rest, "virtual env") {
			return line, false
		}
		return out, true
	}
	return line, false
}

// tidyBlanks returns edits that remove the blank lines of a snippet which
// its edits would leave at its start or end, or doubled where the lines
// between two blanks went: a rewritten block reads as if written so.
func tidyBlanks(text string, edits []Edit) []Edit {
	starts := dcLineStarts(text)
	end := func(l int) int {
		if l+1 < len(starts) {
			return starts[l+1]
		}
		return len(text)
	}
	type line struct {
		l int
		// goneBefore: lines right before it went; afterGone: some line
		// before it went.
		blank, goneBefore, afterGone bool
	}
	var stay []line
	gone, anyGone, lastGone := false, false, -1
	for l, s := range starts {
		e := end(l)
		if lineGone(edits, s, e) {
			gone, anyGone, lastGone = true, true, l
			continue
		}
		stay = append(stay, line{l: l, blank: strings.TrimSpace(text[s:e]) == "", goneBefore: gone, afterGone: anyGone})
		gone = false
	}
	drop := map[int]bool{}
	for i := 0; i < len(stay) && stay[i].blank && stay[i].afterGone; i++ {
		drop[i] = true
	}
	for i := len(stay) - 1; i >= 0 && stay[i].blank && stay[i].l < lastGone; i-- {
		drop[i] = true
	}
	for i := 1; i < len(stay); i++ {
		if stay[i].blank && stay[i-1].blank && stay[i].goneBefore && !drop[i-1] {
			drop[i] = true
		}
	}
	var out []Edit
	for i, x := range stay {
		if drop[i] {
			out = append(out, Edit{Start: starts[x.l], End: end(x.l)})
		}
	}
	return out
}

// commentRewordEdits rewords the comments of a snippet that still speak of
// the venv once its setup became `flox activate` ("# Set up the virtual
// environment" becomes "# Enter the Flox environment").
func commentRewordEdits(text string, edits []Edit) []Edit {
	var out []Edit
	starts := dcLineStarts(text)
	for l, s := range starts {
		e := len(text)
		if l+1 < len(starts) {
			e = starts[l+1]
		}
		line := strings.TrimRight(text[s:e], "\n")
		if !strings.HasPrefix(strings.TrimSpace(line), "#") || lineGone(edits, s, e) ||
			slices.ContainsFunc(edits, func(x Edit) bool { return x.Start < s+len(line) && x.End > s }) {
			continue
		}
		if t, ok := rewordVenvProse(line); ok {
			out = append(out, Edit{Start: s, End: s + len(line), Text: t})
		}
	}
	return out
}
