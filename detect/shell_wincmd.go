package detect

import (
	"strings"
)

// cmd.exe and PowerShell are not parsed as POSIX shell: their lines are
// split into words and only the venv and package-manager commands are
// recognised (`py -m venv .venv`, `.venv\Scripts\activate`,
// `.\venv\Scripts\Activate.ps1`, `pip install -r requirements.txt`).

// analyzeWindows records the facts of cmd.exe or PowerShell source whose
// lines follow the file's lines from first on.
func (ss *shellSession) analyzeWindows(src string, first int) {
	for i, line := range strings.Split(src, "\n") {
		ss.windowsLine(line, first+i)
	}
}

// windowsPrompts are prompts of cmd.exe and PowerShell sessions in docs.
var windowsPrompts = []string{"PS> ", "PS ", "C:\\> ", "> "}

// windowsLine records the facts of one cmd.exe or PowerShell line; a
// chain (`a && b`, `a; b`) is read command by command.
func (ss *shellSession) windowsLine(line string, lineNo int) {
	saved := ss.windows
	ss.windows = true
	defer func() { ss.windows = saved }()
	text := stripWindowsPrompt(strings.TrimSpace(strings.TrimSuffix(line, "\r")))
	for _, words := range windowsCommands(text) {
		ss.windowsCommand(words, lineNo)
	}
}

func (ss *shellSession) windowsCommand(words []string, lineNo int) {
	for len(words) > 0 {
		switch strings.ToLower(words[0]) {
		case "call", "&", "start", "start-process", "cmd", "/c", ".":
			// `.` is PowerShell dot-sourcing: `. .\venv\Scripts\Activate.ps1`.
			words = words[1:]
			continue
		}
		break
	}
	if len(words) == 0 {
		return
	}
	switch strings.ToLower(words[0]) {
	case "rem", "::", "echo", "write-host", "write-output":
		return
	}
	c := cmdCall{argv: words, raw: words, lines: make([]int, len(words)), text: strings.Join(words, " ")}
	for i := range c.lines {
		c.lines[i] = lineNo
	}
	ss.dispatch(c)
}

// stripWindowsPrompt removes a leading `PS C:\src> `, `C:\> `, `> ` or
// `(venv) ` prompt.
func stripWindowsPrompt(s string) string {
	if strings.HasPrefix(s, "(") {
		if i := strings.Index(s, ") "); i > 0 && !strings.ContainsAny(s[:i], " \"'") {
			s = strings.TrimSpace(s[i+2:])
		}
	}
	if len(s) > 3 && (s[1] == ':' && s[2] == '\\' || strings.HasPrefix(s, "PS ")) {
		if i := strings.Index(s, "> "); i > 0 {
			return strings.TrimSpace(s[i+2:])
		}
	}
	for _, p := range windowsPrompts {
		if strings.HasPrefix(s, p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}

// windowsCommands splits a cmd.exe or PowerShell line into commands and
// words: blanks separate words, quotes group, `&&`, `&`, `||`, `|` and `;`
// separate commands, and `#` (a PowerShell comment) ends the line. A
// leading `&` is PowerShell's call operator and stays a word.
func windowsCommands(s string) [][]string {
	var cmds [][]string
	var words []string
	var cur strings.Builder
	in := false
	var quote byte
	flushWord := func() {
		if in {
			words = append(words, cur.String())
			cur.Reset()
			in = false
		}
	}
	flushCmd := func() {
		flushWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
			words = nil
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote, in = c, true
		case c == ' ' || c == '\t':
			flushWord()
		case c == '#' && !in:
			flushCmd()
			return cmds
		case c == '&' && !in && len(words) == 0 && (i+1 == len(s) || s[i+1] != '&'):
			words = append(words, "&")
		case c == '&' || c == '|' || c == ';':
			flushCmd()
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	flushCmd()
	return cmds
}
