package detect

import (
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// READMEs and docs teach setup in code blocks: Markdown fences (``` and
// ~~~) and indented blocks, reStructuredText `.. code-block::` directives
// and `::` literal blocks. Shell blocks are analysed as shell after their
// prompts are removed; cmd.exe and PowerShell lines are recognised by their
// words; blocks in other languages (python, toml, yaml) are not shell.

// docBlock is one code block of a document.
type docBlock struct {
	lang  string   // info string's first word, lower case ("" when none)
	open  int      // file line of the fence or directive (the first line for indented blocks)
	first int      // file line of the first content line
	end   int      // file line of the block's last line (its closing fence, if any)
	lines []string // content lines, the block's indentation removed
	aside bool     // off the section's main path (docAside)
}

// docFile is what the audience pass needs of a document: its code blocks
// and its headings.
type docFile struct {
	blocks   []docBlock
	headings []docHeading
}

func extractMarkdown(s *scanner, f *textFile) {
	ss := newShellSession(s, f.Path, KindMarkdown)
	lines := f.Lines()
	blocks := markdownBlocks(lines)
	for i, b := range blocks {
		analyzeDocBlock(ss, b)
		blocks[i].aside = docAside(lines, b)
	}
	headings := markdownHeadings(lines, blocks)
	s.addDoc(f.Path, &docFile{blocks: blocks, headings: headings})
	s.docSetup(f.Path, blocks, headings)
}

func extractRST(s *scanner, f *textFile) {
	ss := newShellSession(s, f.Path, KindRST)
	lines := f.Lines()
	blocks := rstBlocks(lines)
	for i, b := range blocks {
		analyzeDocBlock(ss, b)
		blocks[i].aside = docAside(lines, b)
	}
	headings := rstHeadings(lines, blocks)
	s.addDoc(f.Path, &docFile{blocks: blocks, headings: headings})
	s.docSetup(f.Path, blocks, headings)
}

func (s *scanner) addDoc(rel string, d *docFile) {
	if s.docs == nil {
		s.docs = map[string]*docFile{}
	}
	s.docs[rel] = d
}

// markdownBlocks finds fenced and indented code blocks. Inside a list
// item, an indented block must be indented four columns past the item's
// text (CommonMark), otherwise it is the item's own text.
func markdownBlocks(lines []string) []docBlock {
	var blocks []docBlock
	blankBefore, inComment := true, false
	codeIndent := 4 // columns an indented code block needs here
	for i := 0; i < len(lines); i++ {
		l := strings.ReplaceAll(lines[i], "\t", "    ")
		trimmed := strings.TrimSpace(l)
		if inComment {
			inComment = !strings.Contains(l, "-->")
			continue
		}
		if strings.HasPrefix(trimmed, "<!--") && !strings.Contains(trimmed, "-->") {
			inComment = true
			continue
		}
		if trimmed == "" {
			blankBefore = true
			continue
		}
		indent := indentOf(l)
		if indent == 0 && !isListItem(trimmed) {
			codeIndent = 4
		}
		if indent, fence, info, ok := markdownFence(l); ok {
			b := docBlock{lang: fenceLang(info), open: i + 1, first: i + 2}
			for i++; i < len(lines); i++ {
				if closesFence(lines[i], fence) {
					break
				}
				b.lines = append(b.lines, dedent(lines[i], indent))
			}
			b.end = min(i+1, len(lines))
			blocks = append(blocks, b)
			blankBefore = false
			continue
		}
		if blankBefore && indent >= codeIndent {
			b := docBlock{first: i + 1}
			for ; i < len(lines); i++ {
				li := strings.ReplaceAll(lines[i], "\t", "    ")
				if strings.TrimSpace(li) != "" && indentOf(li) < codeIndent {
					break
				}
				b.lines = append(b.lines, dedent(li, codeIndent))
			}
			i--
			for len(b.lines) > 0 && strings.TrimSpace(b.lines[len(b.lines)-1]) == "" {
				b.lines = b.lines[:len(b.lines)-1]
			}
			b.open, b.end = b.first, b.first+len(b.lines)-1
			blocks = append(blocks, b)
			blankBefore = false
			continue
		}
		if n := listItemWidth(trimmed); n > 0 {
			codeIndent = indent + n + 4
		}
		blankBefore = false
	}
	return blocks
}

// markdownFence recognises an opening fence: its indentation, the fence
// itself (``` or ~~~~ ...) and the info string.
func markdownFence(l string) (indent int, fence, info string, ok bool) {
	t := strings.TrimLeft(l, " ")
	indent = len(l) - len(t)
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return 0, "", "", false
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 {
		return 0, "", "", false
	}
	info = strings.TrimSpace(t[n:])
	if t[0] == '`' && strings.Contains(info, "`") {
		return 0, "", "", false // inline code, not a fence
	}
	return indent, t[:n], info, true
}

func closesFence(l, fence string) bool {
	t := strings.TrimSpace(l)
	if !strings.HasPrefix(t, fence) {
		return false
	}
	return strings.Trim(t, fence[:1]) == ""
}

// fenceLang returns the language of an info string: "bash" of
// "bash title=x", "{.bash}", "shell-session", "console?".
func fenceLang(info string) string {
	info = strings.TrimLeft(info, "{.")
	w, _, _ := strings.Cut(info, " ")
	w, _, _ = strings.Cut(w, ",")
	return strings.ToLower(strings.Trim(w, "{}.:"))
}

func dedent(l string, n int) string {
	i := 0
	for i < n && i < len(l) && l[i] == ' ' {
		i++
	}
	return l[i:]
}

func isListItem(t string) bool { return listItemWidth(t) > 0 }

// listItemWidth returns the width of a list marker with its space ("- ",
// "12. "), or 0 when t does not start a list item.
func listItemWidth(t string) int {
	if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "+ ") {
		return 2
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' ' {
		return i + 2
	}
	return 0
}

// rstBlocks finds `.. code-block:: LANG` (also code, sourcecode, prompt)
// directives and `::` literal blocks.
func rstBlocks(lines []string) []docBlock {
	var blocks []docBlock
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimSpace(l)
		indent := len(l) - len(strings.TrimLeft(l, " "))
		lang, isDirective := rstDirective(trimmed)
		isLiteral := !isDirective && strings.HasSuffix(trimmed, "::") && !strings.HasPrefix(trimmed, "..")
		if !isDirective && !isLiteral {
			continue
		}
		j := i + 1
		if isDirective {
			// Options (`:linenos:`) follow the directive.
			for j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), ":") && indentOf(lines[j]) > indent {
				j++
			}
		}
		// The content: lines indented more than the directive, after blanks.
		start := -1
		end := j
		for k := j; k < len(lines); k++ {
			if strings.TrimSpace(lines[k]) == "" {
				continue
			}
			if indentOf(lines[k]) <= indent {
				break
			}
			if start < 0 {
				start = k
			}
			end = k + 1
		}
		if start < 0 {
			continue
		}
		min := -1
		for k := start; k < end; k++ {
			if strings.TrimSpace(lines[k]) != "" && (min < 0 || indentOf(lines[k]) < min) {
				min = indentOf(lines[k])
			}
		}
		b := docBlock{lang: lang, open: i + 1, first: start + 1, end: end}
		for k := start; k < end; k++ {
			b.lines = append(b.lines, dedent(lines[k], min))
		}
		blocks = append(blocks, b)
		i = end - 1
	}
	return blocks
}

func indentOf(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

// rstDirective recognises a code directive and returns its language.
func rstDirective(t string) (string, bool) {
	name, arg, ok := RSTDirective(t)
	if !ok || name != "code-block" && name != "code" && name != "sourcecode" && name != "prompt" {
		return "", false
	}
	lang, _, _ := strings.Cut(arg, " ")
	return strings.ToLower(lang), true
}

// RSTDirective reads a trimmed line that opens a reStructuredText
// directive (`.. code-block:: bash`) into its name, lowercased, and its
// argument. As in docutils, any number of blanks follow the two periods
// (`..  code::`) and one may precede the `::` (docutils
// parsers/rst/states.py, Body.patterns "explicit_markup" and the directive
// pattern).
func RSTDirective(t string) (name, arg string, ok bool) {
	rest, ok := strings.CutPrefix(t, "..")
	if !ok || !strings.HasPrefix(rest, " ") {
		return "", "", false
	}
	name, arg, ok = strings.Cut(strings.TrimLeft(rest, " "), "::")
	name = strings.TrimSuffix(name, " ")
	if !ok || name == "" || strings.ContainsAny(name, " \t`") || arg != "" && arg[0] != ' ' {
		return "", "", false
	}
	return strings.ToLower(name), strings.TrimSpace(arg), true
}

// Languages of code blocks.
var (
	shellLangs = wordSet("bash", "sh", "shell", "console", "zsh", "shell-session", "sh-session",
		"bash-session", "shellsession", "terminal", "ksh", "dash", "shell-script", "shellscript", "session")
	looseLangs   = wordSet("", "text", "none", "plaintext", "txt", "plain", "default", "output", "no-highlight", "nohighlight")
	windowsLangs = wordSet("bat", "batch", "cmd", "doscon", "powershell", "ps1", "ps", "pwsh",
		"ps1con", "posh", "winbatch", "dosbatch", "batchfile", "pwsh-session")
)

// docCommandWords are first words that make a line of an unlabelled block
// a command worth reading: it sets up or uses a venv, or says where the
// block runs (`cd`, `git clone`), which decides whose setup it is.
var docCommandWords = wordSet("source", ".", "cd", "git", "mkdir", "virtualenv", "uv", "poetry", "pdm", "pipenv", "hatch",
	"deactivate", "workon", "mkvirtualenv", "conda", "make", "py", "pre-commit", "tox", "nox")

// analyzeDocBlock analyses one code block. Its syntax errors are never
// problems: a document is not run as it is written, and a venv step the
// doc rewriter cannot read is its follow-up.
func analyzeDocBlock(ss *shellSession, b docBlock) {
	if windowsLangs[b.lang] {
		for i, l := range b.lines {
			ss.windowsLine(l, b.first+i)
		}
		return
	}
	unix, windows, ok := docShellLines(b)
	if !ok {
		return
	}
	for _, w := range windows {
		ss.windowsLine(w.cmd, b.first+w.index)
	}
	text := strings.Join(unix, "\n")
	if strings.TrimSpace(text) == "" {
		return
	}
	saved := ss.quietErrors
	ss.quietErrors = true
	ss.analyze(docText(text, b.first))
	ss.quietErrors = saved
}

// cutPrompt removes a shell prompt: `$ `, `% `, `(.venv) $ `,
// `user@host:~/src$ `, `> `, `C:\> `, `PS> `. win is true for the
// cmd.exe and PowerShell ones.
func cutPrompt(l string) (cmd string, win, ok bool) {
	t := strings.TrimLeft(l, " \t")
	// A venv name in parentheses before the prompt: (.venv) $, (.venv)$
	if strings.HasPrefix(t, "(") {
		if i := strings.IndexByte(t, ')'); i > 1 && !strings.ContainsAny(t[1:i], " (") {
			if rest := strings.TrimLeft(t[i+1:], " "); rest != t[i+1:] || strings.HasPrefix(rest, "$") || strings.HasPrefix(rest, "%") {
				t = rest
			}
		}
	}
	switch {
	case strings.HasPrefix(t, "$ ") || strings.HasPrefix(t, "% "):
		return t[2:], false, true
	case t == "$" || t == "%":
		return "", false, true
	case strings.HasPrefix(t, ">>>") || strings.HasPrefix(t, "..."):
		return "", false, false // a Python REPL
	case strings.HasPrefix(t, "PS>"), strings.HasPrefix(t, "PS "):
		if i := strings.Index(t, "> "); i > 0 {
			return t[i+2:], true, true
		}
	case len(t) > 3 && t[1] == ':' && t[2] == '\\':
		if i := strings.Index(t, "> "); i > 0 {
			return t[i+2:], true, true
		}
	case strings.HasPrefix(t, "> "):
		// Also a quotation, a debugger's line or a secondary prompt: a
		// prompt only before a command.
		cmd := t[2:]
		if win := isWindowsLine(cmd) || strings.HasPrefix(cmd, "py "); win || looksLikeDocCommand(cmd) {
			return cmd, win, true
		}
		return l, false, false
	}
	// user@host:~/dir$ cmd, and ~/src/acme $ cmd (a directory, then the prompt)
	if i := strings.Index(t, "$ "); i > 0 {
		pre := strings.TrimSuffix(t[:i], " ")
		if pre != "" && !strings.ContainsAny(pre, " \"'`=") && strings.ContainsAny(pre, "@:~") {
			return t[i+2:], false, true
		}
	}
	return l, false, false
}

// isWindowsLine recognises a cmd.exe or PowerShell command in a shell
// block: `venv\Scripts\activate`, `.\venv\Scripts\Activate.ps1`,
// `py -m venv .venv`.
func isWindowsLine(cmd string) bool {
	t := strings.TrimSpace(cmd)
	if strings.HasPrefix(t, "#") {
		return false
	}
	code, _, _ := strings.Cut(t, " #")
	lower := strings.ToLower(code)
	return strings.Contains(lower, "\\scripts\\") || strings.HasPrefix(t, ".\\") ||
		strings.HasPrefix(t, "py -") || strings.HasPrefix(lower, "call ") || strings.HasPrefix(t, "& ")
}

// looksLikeDocCommand reports whether a line of a block without a
// language reads as a command venv2flox cares about.
func looksLikeDocCommand(l string) bool {
	t := strings.TrimSpace(l)
	w, _, _ := strings.Cut(t, " ")
	switch {
	case w == "":
		return false
	case docCommandWords[w], venvcmd.IsPython(w), venvcmd.IsPip(w):
		return true
	}
	lower := strings.ToLower(t)
	return strings.Contains(lower, "/bin/activate") || strings.Contains(lower, "\\scripts\\") ||
		strings.Contains(lower, "/bin/pip") || strings.Contains(lower, "/bin/python")
}
