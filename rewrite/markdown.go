package rewrite

// READMEs and docs: shell code blocks that create, activate or fill a venv
// become `flox activate`; the project's other commands stay; the prose
// around the blocks stays, with a link to Flox's install docs once per file
// and a WSL2 note where Windows instructions were.

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// dcFloxInstallURL is Flox's installation guide.
const dcFloxInstallURL = "https://flox.dev/docs/install-flox/install/"

// Notes added after rewritten blocks, per markup.
const (
	mdInstallNote  = "`flox activate` needs Flox: [install Flox](" + dcFloxInstallURL + ") first."
	rstInstallNote = "``flox activate`` needs Flox: `install Flox <" + dcFloxInstallURL + ">`_ first."
	docWindowsNote = "On Windows, Flox runs through WSL2: run these commands in a WSL2 shell."
	// After a kept cmd.exe or PowerShell block "these commands" are the
	// Windows venv ones, which WSL2 does not run: the note names Flox's.
	mdWindowsKeptNote  = "On Windows, Flox runs through WSL2: in a WSL2 shell, `flox activate` replaces these commands."
	rstWindowsKeptNote = "On Windows, Flox runs through WSL2: in a WSL2 shell, ``flox activate`` replaces these commands."
	docKeepVenvMD      = "With [Flox](" + dcFloxInstallURL + ") installed, `flox activate` sets up the same environment; without it:"
	docKeepVenvOr      = "Or with a virtual environment:"
	docKeepVenvRST     = "With `Flox <" + dcFloxInstallURL + ">`_ installed, ``flox activate`` sets up the same environment; without it:"
)

// docBlock is one code block of a document.
type docBlock struct {
	lang       string
	openLine   int // 0-based line of the fence or directive
	first      int // first content line
	last       int // last content line (inclusive); last < first when empty
	indent     int // indentation stripped from content lines
	baseIndent string
	closeEnd   int  // file offset after the block (closing fence included)
	introLine  int  // 0-based first line of what introduces the block (its fence, directive or `::` paragraph)
	indented   bool // a Markdown indented code block: no fence
}

// docRewriter edits the code blocks of one Markdown or rST file.
type docRewriter struct {
	ctx                       *Context
	path                      string
	src                       []byte
	starts, contentEnds, ends []int
	nl                        string
	rst                       bool
	agent                     bool             // instructions for coding agents (markdown_agents.go)
	agentTold                 bool             // an agent file says how to run commands
	droppedItems              []int            // list items dropBlock removed (markdown_steps.go)
	rewritten                 map[int][]string // each section's rewritten blocks, as they read after
	edits                     []Edit
	followUps                 []FollowUp
	linked, windowsNoted      bool
	activated                 bool  // a block already became `flox activate`
	activatedIn               int   // the section of the block that did
	sections                  []int // the heading section of each line
	// leftIn marks the sections holding a block left for other readers
	// (Context.Leave): their prose is theirs too.
	leftIn map[int]bool
	blocks []docBlock
	// cloneFirst: a setup block came before the block that clones the
	// repository; `flox activate` goes after the clone.
	cloneFirst bool
}

// Markdown rewrites a Markdown README or doc page. Blocks in ctx.Leave
// (for the package's users, examples) stay as they are.
func Markdown(ctx *Context, path string, src []byte) (Result, error) {
	r := newDocRewriter(ctx, path, src, false)
	r.blocks = r.markdownBlocks()
	blocks := r.blocks
	r.sections = r.headingSections(blocks)
	for i, b := range blocks {
		r.block(i, b)
	}
	r.inlineVenvFollowUps(blocks)
	return r.result()
}

// RST rewrites a reStructuredText README or doc page.
func RST(ctx *Context, path string, src []byte) (Result, error) {
	r := newDocRewriter(ctx, path, src, true)
	r.blocks = r.rstBlocks()
	blocks := r.blocks
	r.sections = r.headingSections(blocks)
	for i, b := range blocks {
		r.block(i, b)
	}
	r.inlineVenvFollowUps(blocks)
	return r.result()
}

func newDocRewriter(ctx *Context, path string, src []byte, rst bool) *docRewriter {
	r := &docRewriter{ctx: ctx, path: path, src: src, nl: newline(src), rst: rst, leftIn: map[int]bool{}, rewritten: map[int][]string{},
		agent: detect.IsAgentInstructions(path)}
	r.starts, r.contentEnds, r.ends = dcFileLines(src)
	r.linked = strings.Contains(string(src), dcFloxInstallURL)
	r.windowsNoted = strings.Contains(string(src), docWindowsNote) || strings.Contains(string(src), mdWindowsKeptNote) ||
		strings.Contains(string(src), rstWindowsKeptNote)
	return r
}

func (r *docRewriter) line(l int) string { return string(r.src[r.starts[l]:r.contentEnds[l]]) }

func (r *docRewriter) result() (Result, error) {
	out, err := applyEdits(r.src, dcOrderEdits(append(r.edits, r.renumberEdits()...)))
	if err != nil {
		return Result{New: r.src, FollowUps: r.followUps}, err
	}
	return Result{New: out, FollowUps: r.followUps}, nil
}

// markdownBlocks finds fenced code blocks (``` and ~~~, any indentation,
// so blocks inside list items count too) and indented ones. Inside a list
// item, an indented block must be indented four columns past the item's
// text (CommonMark), otherwise it is the item's own text.
func (r *docRewriter) markdownBlocks() []docBlock {
	var blocks []docBlock
	blankBefore, inComment := true, false
	codeIndent := 4 // columns an indented code block needs here
	for l := 0; l < len(r.starts); l++ {
		t := r.line(l)
		trimmed := strings.TrimSpace(t)
		switch {
		case inComment:
			inComment = !strings.Contains(t, "-->")
			continue
		case strings.HasPrefix(trimmed, "<!--") && !strings.Contains(trimmed, "-->"):
			inComment = true
			continue
		case trimmed == "":
			blankBefore = true
			continue
		}
		ind := dcIndent(t)
		if ind == 0 && mdListItemWidth(trimmed) == 0 {
			codeIndent = 4
		}
		if b, end, ok := r.fencedBlock(l); ok {
			blocks = append(blocks, b)
			l, blankBefore = end, false
			continue
		} else if end < 0 {
			break // an unclosed fence runs to the end of the file: leave it
		}
		if blankBefore && ind >= codeIndent {
			b := docBlock{openLine: l, introLine: l, first: l, indent: ind, baseIndent: t[:codeIndent-4], indented: true}
			last := l
			for e := l; e < len(r.starts); e++ {
				et := r.line(e)
				if strings.TrimSpace(et) == "" {
					continue
				}
				if dcIndent(et) < codeIndent {
					break
				}
				last = e
			}
			b.last, b.closeEnd = last, r.ends[last]
			blocks = append(blocks, b)
			l, blankBefore = last, false
			continue
		}
		if n := mdListItemWidth(trimmed); n > 0 {
			codeIndent = ind + n + 4
		}
		blankBefore = false
	}
	return blocks
}

// fencedBlock reads the fenced block that opens at line l; end is its
// closing line, or -1 for a fence that never closes (ok is then false).
func (r *docRewriter) fencedBlock(l int) (b docBlock, end int, ok bool) {
	t := r.line(l)
	ind := dcIndent(t)
	rest := t[ind:]
	if len(rest) < 3 || (rest[0] != '`' && rest[0] != '~') {
		return b, l, false
	}
	ch := rest[0]
	n := 0
	for n < len(rest) && rest[n] == ch {
		n++
	}
	if n < 3 || (ch == '`' && strings.Contains(rest[n:], "`")) {
		return b, l, false
	}
	b = docBlock{lang: mdLang(rest[n:]), openLine: l, introLine: l, first: l + 1, last: l, indent: ind, baseIndent: t[:ind]}
	for c := l + 1; c < len(r.starts); c++ {
		ct := strings.TrimSpace(r.line(c))
		if len(ct) >= n && strings.Trim(ct, string(ch)) == "" {
			b.last, b.closeEnd = c-1, r.ends[c]
			return b, c, true
		}
	}
	return b, -1, false
}

// mdListItemWidth returns the width of a list item's marker and the
// spaces after it ("- ", "1. "), or 0.
func mdListItemWidth(t string) int {
	switch {
	case len(t) >= 2 && strings.ContainsRune("-*+", rune(t[0])) && t[1] == ' ':
		return 2
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' ' {
		return i + 2
	}
	return 0
}

// headingSections numbers the sections headings start, for every line:
// Markdown "#" headings, and underlined titles of both formats. Lines in
// code blocks are not headings.
func (r *docRewriter) headingSections(blocks []docBlock) []int {
	inBlock := make([]bool, len(r.starts))
	for _, b := range blocks {
		for l := b.openLine; l <= b.last+1 && l < len(inBlock); l++ {
			inBlock[l] = true
		}
	}
	sections := make([]int, len(r.starts))
	n := 0
	for l := range r.starts {
		t := strings.TrimSpace(r.line(l))
		if !inBlock[l] && (!r.rst && strings.HasPrefix(t, "#") && !strings.HasPrefix(r.line(l), " ") ||
			l > 0 && len(t) >= 3 && strings.Trim(t, "=-~^*+#'`\"") == "" && strings.TrimSpace(r.line(l-1)) != "" && !inBlock[l-1] ||
			!r.rst && r.thematicBreak(l)) {
			n++
		}
		sections[l] = n
	}
	return sections
}

// thematicBreak reports a Markdown horizontal rule ("---" after a blank
// line): what it separates reads as sections of their own.
func (r *docRewriter) thematicBreak(l int) bool {
	t := strings.TrimSpace(r.line(l))
	if r.rst || len(t) < 3 || dcIndent(r.line(l)) > 3 || l > 0 && strings.TrimSpace(r.line(l-1)) != "" {
		return false
	}
	return strings.Trim(t, "-") == "" || strings.Trim(t, "*") == "" || strings.Trim(t, "_") == ""
}

// mdLang returns the language of a fence's info string ("bash", "console").
func mdLang(info string) string {
	f := strings.Fields(strings.Trim(strings.TrimSpace(info), "{}"))
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(f[0], "."))
}

// rstBlocks finds `.. code-block:: LANG` / `.. code::` / `.. sourcecode::`
// directives and `::` literal blocks.
func (r *docRewriter) rstBlocks() []docBlock {
	var blocks []docBlock
	for l := 0; l < len(r.starts); l++ {
		t := r.line(l)
		ind := dcIndent(t)
		rest := strings.TrimSpace(t)
		lang, ok := "", false
		if name, arg, isDirective := detect.RSTDirective(rest); isDirective && (name == "code-block" || name == "code" || name == "sourcecode") {
			lang, ok = strings.ToLower(arg), true
		}
		if !ok && strings.HasSuffix(rest, "::") && !strings.HasPrefix(rest, "..") {
			lang, ok = "", true
		}
		if !ok {
			continue
		}
		// Options (":linenos:") then a blank line, then the indented content.
		c := l + 1
		for c < len(r.starts) && strings.HasPrefix(strings.TrimSpace(r.line(c)), ":") && dcIndent(r.line(c)) > ind {
			c++
		}
		if c >= len(r.starts) || strings.TrimSpace(r.line(c)) != "" {
			continue
		}
		for c < len(r.starts) && strings.TrimSpace(r.line(c)) == "" {
			c++
		}
		if c >= len(r.starts) || dcIndent(r.line(c)) <= ind {
			continue
		}
		b := docBlock{lang: lang, openLine: l, introLine: l, first: c, indent: dcIndent(r.line(c)), baseIndent: t[:ind]}
		for b.introLine > 0 && !strings.HasPrefix(rest, "..") && strings.TrimSpace(r.line(b.introLine-1)) != "" {
			b.introLine-- // the whole paragraph that ends in "::"
		}
		last := c
		for e := c; e < len(r.starts); e++ {
			et := r.line(e)
			if strings.TrimSpace(et) == "" {
				continue
			}
			if dcIndent(et) < b.indent {
				break
			}
			last = e
		}
		b.last, b.closeEnd = last, r.ends[last]
		blocks = append(blocks, b)
		l = last
	}
	return blocks
}

// docShellLangs are block languages read as shell; the empty string is a
// block without a language, read only when it parses.
var docShellLangs = []string{
	"", "sh", "bash", "shell", "zsh", "console", "shell-session",
	"shellsession", "sh-session", "terminal", "text", "none", "bash-session",
	"no-highlight", "nohighlight", "plaintext", "txt", "plain",
}

// docWindowsLangs are Windows shells: their blocks are kept, with a note.
var docWindowsLangs = []string{
	"bat", "batch", "cmd", "doscon", "powershell", "ps1", "ps",
	"pwsh", "ps1con", "winbatch",
}

// blockFollowUp reports a code block left as it is, at its fence.
func (r *docRewriter) blockFollowUp(b docBlock, msg, suggestion string) {
	f := dcFollowUp(r.path, b.openLine+1, msg, suggestion)
	f.EndLine = b.last + 1
	r.followUps = append(r.followUps, f)
}

// block rewrites code block i.
func (r *docRewriter) block(i int, b docBlock) {
	if b.last < b.first {
		return
	}
	if r.ctx.leaves(r.path, b.openLine+1) {
		r.leftIn[r.sections[b.openLine]] = true
		return
	}
	if slices.Contains(docWindowsLangs, b.lang) || r.windowsPrompts(b) {
		if r.mentionsVenv(b) {
			r.keepWindows(b)
		}
		return
	}
	if !slices.Contains(docShellLangs, b.lang) {
		return
	}
	m, console := r.mapBlock(b)
	masked, unmask := detect.MaskDocPlaceholders(m.text) // `createuser <name>`
	if r.hasVenvCall(masked, dcWindows) && !r.hasVenvCall(masked, dcActivate) {
		// `.venv\Scripts\activate` in a `shell` fence, under a Windows
		// heading or tab: Windows readers keep their steps.
		r.keepWindows(b)
		return
	}
	if r.agent && !r.ctx.KeepVenv && !r.devEnvTool(masked) {
		r.agentBlock(b, m, masked, unmask)
		return
	}
	if customPythonBuild(masked) {
		return // a debug or sanitizer build of Python: not the setup
	}
	if r.devEnvTool(masked) {
		r.blockFollowUp(b, "tox or nox builds this development venv; left as it is",
			"say whether contributors should use `flox activate` instead")
		return
	}
	plan := dcPlanSnippet(r.ctx, masked, "flox activate")
	sameSection := r.activated && r.sections[b.openLine] == r.activatedIn
	later := r.activated || r.cloneFirst && !r.clonesRepo(b)
	switch {
	case r.ctx.KeepVenv || plan.Blocked:
	case !r.activated && r.cloneFirst && r.clonesRepo(b):
		// The venv was made in an earlier block: the environment is
		// entered once the repository is cloned.
		if c := activateAfterClone(masked); c.Setup && !strings.Contains(masked, "flox activate") {
			plan = dcPlanSnippet(r.ctx, masked, "")
			plan.Edits = append(plan.Edits, c.Edits...)
			plan.Setup = true
		}
	case !plan.Setup:
	case !r.activated && r.cloneLater(i):
		r.cloneFirst, later = true, true
		fallthrough
	case later && (!r.activated || !r.switchesVenv(masked)):
		// Steps run in the venv the reader is already in (installs), or
		// before the clone: they go, and no second `flox activate`
		// (a nested shell) takes their place.
		plan = dcPlanSnippet(r.ctx, masked, "")
		if emptied(masked, plan) {
			if !r.inAdmonition(b) { // a note's aside stays as written
				r.dropBlock(b, plan.Windows)
			}
			return
		}
	case sameSection && !r.leavesVenv(masked) && emptied(masked, dcPlanSnippet(r.ctx, masked, "")):
		// Entering the venv again in the same section: nothing left to
		// do. Blocks of other sections that enter the venv keep their
		// `flox activate`, so a section read on its own still works.
		if !r.inAdmonition(b) {
			r.dropBlock(b, plan.Windows)
		}
		return
	}
	for i := range plan.Edits {
		plan.Edits[i].Text = unmask(plan.Edits[i].Text)
	}
	if plan.ParseErr != nil {
		if r.mentionsVenv(b) {
			r.blockFollowUp(b,
				"code block mentions a venv but is not shell that venv2flox can read",
				"replace its venv setup with `flox activate`")
		}
		return
	}
	for _, is := range plan.Refused {
		r.followUps = append(r.followUps, dcFollowUp(r.path, r.fileLine(m, is.Line),
			"left a venv command in place: "+is.Msg, "replace it with `flox activate`"))
	}
	if !plan.Setup && !plan.Blocked && r.activated && console && !r.ctx.KeepVenv {
		// A later block run in the environment: its "(venv) $" prompts
		// name a venv that is now the environment's business.
		r.edits = append(r.edits, r.venvPromptEdits(b, nil)...)
	}
	if !plan.Setup || plan.Blocked {
		return
	}
	if r.ctx.KeepVenv {
		if !b.indented { // a fenced copy of an indented block would read oddly
			r.keepVenv(b, m, plan, console)
		}
		return
	}
	more := append(tidyBlanks(masked, plan.Edits), commentRewordEdits(masked, plan.Edits)...)
	if after, err := applyEdits([]byte(masked), dcOrderEdits(append(plan.Edits, more...))); err == nil {
		// "For virtualenvwrapper:" after "For venv:": alternatives that
		// now read the same go, with what introduced them.
		sec, text := r.sections[b.openLine], strings.TrimSpace(string(after))
		if slices.Contains(r.rewritten[sec], text) {
			r.dropBlock(b, false)
			return
		}
		r.rewritten[sec] = append(r.rewritten[sec], text)
	}
	fe, ok := m.toFile(append(plan.Edits, more...))
	if !ok {
		r.blockFollowUp(b,
			"could not place the edits to this code block", "replace its venv setup with `flox activate`")
		return
	}
	r.edits = append(r.edits, fe...)
	if console {
		r.edits = append(r.edits, r.venvPromptEdits(b, fe)...)
	}
	if later && !r.activated {
		return // setup dropped before the clone: the clone's block activates
	}
	if !r.activated || !sameSection {
		r.activated, r.activatedIn = true, r.sections[b.openLine]
	}
	if l := r.venvProseAbove(b); l >= 0 {
		if t, ok := rewordVenvProse(r.line(l)); ok {
			r.edits = append(r.edits, Edit{Start: r.starts[l], End: r.contentEnds[l], Text: t})
		} else {
			r.followUps = append(r.followUps, dcFollowUp(r.path, l+1,
				"the text before this code block still talks about a virtual environment",
				"reword it: `flox activate` now sets up the environment"))
		}
	}
	if !r.linked {
		r.linked = true
		if r.rst {
			r.noteAfter(b, rstInstallNote)
		} else {
			r.noteAfter(b, mdInstallNote)
		}
	}
	if l, e, ok := r.windowsParagraphAfter(b); ok && !r.windowsNoted {
		// "(On Windows use .venv\Scripts\activate instead.)" right after
		// the block: the WSL2 note takes its place.
		r.windowsNoted = true
		r.edits = append(r.edits, Edit{Start: r.starts[l], End: e, Text: b.baseIndent + docWindowsNote + r.nl})
	} else if plan.Windows {
		r.windowsNote(b)
	}
}

// keepWindows keeps a Windows venv block whole: Flox runs on Windows only
// in WSL2, where these commands are not the ones to run. One note per file
// says so.
func (r *docRewriter) keepWindows(b docBlock) {
	r.blockFollowUp(b, "Windows venv instructions kept", "point Windows users at Flox in WSL2")
	if r.windowsNoted {
		return
	}
	r.windowsNoted = true
	if r.rst {
		r.noteAfter(b, rstWindowsKeptNote)
	} else {
		r.noteAfter(b, mdWindowsKeptNote)
	}
}

// devEnvTool reports a block whose venv comes from tox (`tox --devenv
// .venv`) or nox (a session, then activating the venv it built): the
// project's own recipe for a dev venv, which the reader may still want.
func (r *docRewriter) devEnvTool(text string) bool {
	tox, nox := false, false
	dcEachCall(text, func(args []string) bool {
		switch path.Base(args[0]) {
		case "tox":
			tox = tox || slices.ContainsFunc(args[1:], func(a string) bool {
				return a == "--devenv" || strings.HasPrefix(a, "--devenv=")
			})
		case "nox":
			nox = true
		}
		return true
	})
	return tox || nox && r.hasVenvCall(text, dcActivate)
}

// customPythonBuild reports a snippet that builds a Python of its own
// (`pyenv install -g 3.13`, `CONFIGURE_OPTS=... pyenv install`): a debug
// or sanitizer interpreter, which the environment's Python does not
// replace.
func customPythonBuild(text string) bool {
	if strings.Contains(text, "CONFIGURE_OPTS=") && strings.Contains(text, "pyenv") {
		return true
	}
	found := false
	dcEachCall(text, func(args []string) bool {
		if len(args) > 2 && path.Base(args[0]) == "pyenv" && args[1] == "install" {
			found = found || slices.ContainsFunc(args[2:], func(a string) bool { return a == "-g" || a == "--debug" })
		}
		return true
	})
	return found
}

// docAdmonitions are rST directives and MkDocs/Sphinx admonitions whose
// blocks are asides (a note on how a tool behaves, an example): a block
// there is rewritten like any other, but never removed.
var docAdmonitions = []string{
	"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
	"seealso", "admonition", "example", "info",
}

// inAdmonition reports a block inside an rST admonition (`.. note::`) or
// a MkDocs one (`!!! note`, `??? tip`).
func (r *docRewriter) inAdmonition(b docBlock) bool {
	ind := len(b.baseIndent)
	for l := b.introLine - 1; l >= 0 && ind > 0; l-- {
		t := r.line(l)
		if strings.TrimSpace(t) == "" || dcIndent(t) >= ind {
			continue
		}
		ind = dcIndent(t)
		f := strings.Fields(strings.ToLower(strings.TrimSpace(t)))
		switch {
		case r.rst && len(f) > 1 && f[0] == ".." && strings.HasSuffix(f[1], "::"):
			if slices.Contains(docAdmonitions, strings.TrimSuffix(f[1], "::")) {
				return true
			}
		case !r.rst && len(f) > 1 && (f[0] == "!!!" || f[0] == "???" || f[0] == "???+"):
			return slices.Contains(docAdmonitions, strings.Trim(f[1], `"`))
		}
	}
	return false
}

// switchesVenv reports a snippet that creates, activates or leaves a venv
// (not one that only installs into the active one).
func (r *docRewriter) switchesVenv(text string) bool {
	return r.hasVenvCall(text, dcCreate, dcActivate, dcWindows, dcDeactivate)
}

// leavesVenv reports a snippet that deactivates the venv: it becomes
// `exit`, which leaves the environment.
func (r *docRewriter) leavesVenv(text string) bool {
	return r.hasVenvCall(text, dcDeactivate)
}

func (r *docRewriter) hasVenvCall(text string, kinds ...dcKind) bool {
	found := false
	dcEachCall(text, func(args []string) bool {
		found = found || slices.Contains(kinds, dcClassifyCall(r.ctx, args, args).kind)
		return true
	})
	return found
}

// windowsParagraphAfter finds a short paragraph right after a block that
// only tells Windows users how to activate the venv: its first line and
// the end of its last line.
func (r *docRewriter) windowsParagraphAfter(b docBlock) (int, int, bool) {
	l := dcLineOf(r.starts, b.closeEnd)
	if b.closeEnd >= len(r.src) || r.starts[l] != b.closeEnd {
		return 0, 0, false
	}
	for l < len(r.starts) && strings.TrimSpace(r.line(l)) == "" {
		l++
	}
	first := l
	var text strings.Builder
	for ; l < len(r.starts) && strings.TrimSpace(r.line(l)) != ""; l++ {
		text.WriteString(strings.TrimSpace(r.line(l)) + " ")
	}
	t := strings.TrimSpace(text.String())
	if first >= len(r.starts) || l-first > 2 || dcIndent(r.line(first)) != len(b.baseIndent) ||
		!strings.Contains(strings.ToLower(t), "windows") || strings.Count(t, ".") > 2 || len(t) > 120 {
		return 0, 0, false
	}
	words := strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '`' || r == '(' || r == ')' })
	for _, w := range words {
		if dcWindowsText(strings.TrimRight(w, ".,;")) {
			return first, r.ends[l-1], true
		}
	}
	return 0, 0, false
}

// mapBlock builds the shell snippet of a block: prompts and output lines of
// console blocks are left out of it, output going with its command.
func (r *docRewriter) mapBlock(b docBlock) (*dcMapped, bool) {
	m := &dcMapped{nl: r.nl}
	console := b.lang == "console" || b.lang == "shell-session" || b.lang == "shellsession" ||
		b.lang == "sh-session" || b.lang == "terminal" || b.lang == "bash-session"
	for l := b.first; l <= b.last && !console; l++ {
		if p := docPrompt(r.stripped(b, l)); p != "" {
			console = true
		}
	}
	continued, haveCmd := false, false
	for l := b.first; l <= b.last; l++ {
		t := r.stripped(b, l)
		cut := r.starts[l] + min(b.indent, dcIndent(r.line(l)))
		switch {
		case !console:
			m.add(t, r.starts[l], cut, r.ends[l], b.baseIndent+strings.Repeat(" ", b.indent-len(b.baseIndent)))
		case continued:
			m.add(t, r.starts[l], cut, r.ends[l], "")
		case docPrompt(t) != "":
			p := docPrompt(t)
			m.add(t[len(p):], r.starts[l], cut+len(p), r.ends[l], r.line(l)[:cut-r.starts[l]]+docPlainPrompt(p))
			haveCmd = true
		case docWindowsPrompt(t):
			haveCmd = false // kept as is, and not output of the command before
		case haveCmd:
			m.attach(r.ends[l])
		}
		continued = console && strings.HasSuffix(t, `\`) && (continued || docPrompt(t) != "")
	}
	return m, console
}

// stripped returns content line l without the block's indentation.
func (r *docRewriter) stripped(b docBlock, l int) string {
	t := r.line(l)
	return t[min(b.indent, dcIndent(t)):]
}

// docPrompt returns a console prompt at the start of a line: "$ ", "% ",
// and the venv-decorated "(.venv) $ " and "(venv)$ ".
func docPrompt(t string) string {
	p := 0
	if strings.HasPrefix(t, "(") {
		// "(.venv) $ " and "(venv)$ "
		i := strings.IndexByte(t, ')')
		if i < 0 || strings.ContainsAny(t[:i], " \t") {
			return ""
		}
		p = i + 1
		if strings.HasPrefix(t[p:], " ") {
			p++
		}
	}
	for _, s := range []string{"$ ", "% "} {
		if strings.HasPrefix(t[p:], s) {
			return t[:p+len(s)]
		}
	}
	if t[p:] == "$" {
		return t[:p+1]
	}
	return ""
}

// docPlainPrompt drops a venv decoration from a prompt, for new lines.
func docPlainPrompt(p string) string {
	if i := strings.IndexByte(p, ')'); strings.HasPrefix(p, "(") && i >= 0 {
		return strings.TrimPrefix(p[i+1:], " ")
	}
	return p
}

// docWindowsPrompt reports a cmd or PowerShell prompt ("C:\> ", "PS> ").
func docWindowsPrompt(t string) bool {
	if strings.HasPrefix(t, "PS ") || strings.HasPrefix(t, "PS>") || strings.HasPrefix(t, "> ") {
		return true
	}
	return len(t) > 2 && t[1] == ':' && t[2] == '\\' && strings.Contains(t, ">")
}

// windowsPrompts reports a block whose commands all follow cmd.exe or
// PowerShell prompts (`> py -3 -m venv .venv`, `C:\> .venv\Scripts\activate`).
func (r *docRewriter) windowsPrompts(b docBlock) bool {
	seen := false
	for l := b.first; l <= b.last; l++ {
		t := strings.TrimSpace(r.line(l))
		if t == "" {
			continue
		}
		if !docWindowsPrompt(t) {
			return false
		}
		seen = true
	}
	return seen
}

// mentionsVenv reports a block that talks about venvs.
func (r *docRewriter) mentionsVenv(b docBlock) bool {
	for l := b.first; l <= b.last; l++ {
		t := strings.ToLower(r.line(l))
		if strings.Contains(t, "venv") || strings.Contains(t, "virtualenv") || strings.Contains(t, `\scripts\activate`) {
			return true
		}
	}
	return false
}

// fileLine returns the 1-based file line of a 1-based snippet line.
func (r *docRewriter) fileLine(m *dcMapped, snippetLine int) int {
	if snippetLine < 1 || snippetLine > len(m.lines) {
		return 0
	}
	return dcLineOf(r.starts, m.lines[snippetLine-1].fileStart) + 1
}

// noteAfter adds a paragraph after a block, separated by blank lines.
func (r *docRewriter) noteAfter(b docBlock, note string) {
	text := r.nl + r.noteIndent(b) + note + r.nl
	if b.closeEnd < len(r.src) && r.src[b.closeEnd] != '\n' && r.src[b.closeEnd] != '\r' {
		text += r.nl
	}
	if b.closeEnd == len(r.src) && (len(r.src) == 0 || r.src[len(r.src)-1] != '\n') {
		text = r.nl + text
	}
	r.edits = append(r.edits, Edit{Start: b.closeEnd, End: b.closeEnd, Text: text})
}

// listMarker matches the start of a list item: "-", "*", "+", "1.", "#."
// (reStructuredText), "a)", "(2)", with the blanks after it.
var listMarker = regexp.MustCompile(`^([-*+]|#\.|\(?[0-9a-zA-Z]{1,3}[.)])[ \t]+`)

// noteIndent is where a note after a block starts: inside the list item
// whose text introduces the block, else at the block's own base.
func (r *docRewriter) noteIndent(b docBlock) string {
	t := r.line(b.introLine)
	ind := dcIndent(t)
	if ind != len(b.baseIndent) {
		return b.baseIndent
	}
	if m := listMarker.FindString(t[ind:]); m != "" && !strings.Contains(m, "\t") && ind+len(m) <= b.indent {
		return b.baseIndent + strings.Repeat(" ", len(m))
	}
	return b.baseIndent
}

// windowsNote adds the WSL2 note once per file.
func (r *docRewriter) windowsNote(b docBlock) {
	if r.windowsNoted {
		return
	}
	r.windowsNoted = true
	r.noteAfter(b, docWindowsNote)
}

// keepVenv (--keep-venv) leaves the block and puts the Flox way before it:
// the same commands with `flox activate` in place of the venv setup.
func (r *docRewriter) keepVenv(b docBlock, m *dcMapped, plan dcSnippetPlan, console bool) {
	if b.introLine > 1 && strings.TrimSpace(r.line(b.introLine-2)) == docKeepVenvOr {
		return // added by an earlier run
	}
	newText, err := applyEdits([]byte(m.text), plan.Edits)
	if err != nil {
		return
	}
	intro := docKeepVenvMD
	if r.rst {
		intro = docKeepVenvRST
	}
	var sb strings.Builder
	open := r.line(b.openLine)
	ind := b.baseIndent
	if r.rst {
		// A directive of its own: a `::` literal block needs its paragraph.
		lang := b.lang
		if lang == "" {
			lang = "shell"
		}
		fmt.Fprintf(&sb, "%s.. code-block:: %s%s%s", ind, lang, r.nl, r.nl)
	} else {
		sb.WriteString(open + r.nl)
	}
	content := ind + strings.Repeat(" ", max(b.indent-len(ind), 0))
	for _, l := range strings.SplitAfter(string(newText), "\n") {
		if l = strings.TrimSuffix(l, "\n"); l == "" {
			continue
		}
		p := ""
		if console {
			p = "$ "
		}
		sb.WriteString(content + p + l + r.nl)
	}
	if !r.rst {
		sb.WriteString(ind + strings.TrimSpace(r.closingFence(b)) + r.nl)
	}
	text := ind + intro + r.nl + r.nl + sb.String() + r.nl + ind + docKeepVenvOr + r.nl + r.nl
	at := r.starts[b.introLine]
	r.edits = append(r.edits, Edit{Start: at, End: at, Text: text})
}

// closingFence returns a Markdown block's closing fence line.
func (r *docRewriter) closingFence(b docBlock) string {
	return r.line(b.last + 1)
}

// venvPromptEdits drops a venv's name from the prompts of the commands
// that stay ("(.venv) $ pytest" -> "$ pytest"): the venv is the Flox
// environment's business now. Prompts the block's edits touch are skipped.
func (r *docRewriter) venvPromptEdits(b docBlock, taken []Edit) []Edit {
	var out []Edit
	for l := b.first; l <= b.last; l++ {
		t := r.stripped(b, l)
		p := docPrompt(t)
		if !strings.HasPrefix(p, "(") {
			continue
		}
		name := p[1:strings.Index(p, ")")]
		venv := false
		for _, d := range dcVenvDirs(r.ctx) {
			venv = venv || name == d || name == strings.TrimPrefix(d, ".")
		}
		if !venv {
			continue
		}
		at := r.starts[l] + min(b.indent, dcIndent(r.line(l)))
		e := Edit{Start: at, End: at + len(p) - len(docPlainPrompt(p))}
		free := true
		for _, x := range taken {
			if x.Start < e.End && x.End > e.Start || x.Start == x.End && x.Start == e.Start {
				free = false
			}
		}
		if free {
			out = append(out, e)
		}
	}
	return out
}

// venvProseAbove returns the 0-based line of the paragraph introducing a
// block that mentions a virtual environment, or -1: an rST paragraph
// ending in "::", or the paragraph right above the fence or directive
// (one blank line between), not indented deeper than the block.
func (r *docRewriter) venvProseAbove(b docBlock) int {
	mentions := func(l int) bool {
		t := strings.ToLower(r.line(l))
		return strings.Contains(t, "virtual env") || strings.Contains(t, "virtualenv") || strings.Contains(t, "venv")
	}
	if b.introLine < b.openLine || strings.HasSuffix(strings.TrimSpace(r.line(b.openLine)), "::") && !strings.HasPrefix(strings.TrimSpace(r.line(b.openLine)), "..") {
		for l := b.introLine; l <= b.openLine; l++ {
			if mentions(l) {
				return l
			}
		}
		return -1
	}
	l := b.introLine - 1
	if l >= 0 && strings.TrimSpace(r.line(l)) == "" {
		l--
	}
	for ; l >= 0; l-- {
		t := strings.TrimSpace(r.line(l))
		if t == "" || dcIndent(r.line(l)) > len(b.baseIndent) || strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") || strings.HasPrefix(t, "#") {
			return -1
		}
		if mentions(l) {
			return l
		}
	}
	return -1
}
