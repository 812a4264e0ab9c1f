package detect

import "strings"

// Which lines of a documentation code block are shell commands. The answer
// comes from the block's language, its prompts and the shape of its lines,
// never from whether the text parses: program output, an HTTP exchange, a
// config file or prose in a `bash` fence is not shell, and what the shell
// parser would make of it is noise.

// windowsDocLine is a cmd.exe or PowerShell command of a shell block.
type windowsDocLine struct {
	index int // in the block's lines
	cmd   string
}

// docShellLines returns the POSIX shell commands of a block, one entry per
// block line (blank for output, prose and Windows lines; prompts turned
// into blanks so columns hold), and its Windows lines. ok is false for
// blocks in other languages. In a block with prompts the prompted lines
// are the commands, with the lines that continue them (a trailing `\`, an
// open quote). Without prompts, a shell block whose lines mostly have the
// shape of commands is read whole; any other block keeps only the lines
// that run the tools venv2flox cares about (looksLikeDocCommand).
func docShellLines(b docBlock) (unix []string, windows []windowsDocLine, ok bool) {
	if !shellLangs[b.lang] && !looseLangs[b.lang] {
		return nil, nil, false // python, toml, yaml, fish, ...: not POSIX shell
	}
	prompted := false
	for _, l := range b.lines {
		if _, _, ok := cutPrompt(l); ok {
			prompted = true
			break
		}
	}
	whole := !prompted && !looseLangs[b.lang] && mostlyCommands(b.lines)
	unix = make([]string, len(b.lines))
	var st shellLineState
	for i, l := range b.lines {
		cmd, win, hasPrompt := cutPrompt(l)
		switch {
		case st.open():
			cmd, win = continuedLine(l), false
		case whole:
			cmd = l
		case prompted && !hasPrompt:
			continue // command output
		case !prompted && !looksLikeDocCommand(l):
			continue
		}
		st = st.next(cmd)
		if win || isWindowsLine(cmd) {
			windows = append(windows, windowsDocLine{i, strings.TrimSpace(cmd)})
			continue
		}
		unix[i] = strings.Repeat(" ", len(l)-len(cmd)) + cmd
	}
	return unix, windows, true
}

// continuedLine is a line that continues a command: the `> ` of a
// secondary prompt goes.
func continuedLine(l string) string {
	if t := strings.TrimLeft(l, " \t"); strings.HasPrefix(t, "> ") {
		return t[2:]
	}
	return l
}

// mostlyCommands reports a block more than half of whose lines, comments
// and blanks aside, have the shape of commands.
func mostlyCommands(lines []string) bool {
	content, commands, assignments, sections := 0, 0, 0, 0
	var st shellLineState
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if st.open() {
			st = st.next(l) // the rest of the line before
			continue
		}
		content++
		switch {
		case strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") && !strings.Contains(t, " "):
			sections++ // [Unit], [tool.x]
		case commandShaped(t):
			commands++
			if w, _, _ := strings.Cut(t, " "); strings.Contains(w, "=") {
				assignments++
			}
		}
		st = st.next(l)
	}
	if sections > 0 && commands == assignments {
		return false // an INI file or a systemd unit
	}
	return 2*commands > content
}

// commandShaped reports a line that reads as a command: a program name or
// path with arguments, an assignment, a shell keyword. Output, log lines
// (`INFO: ...`), HTTP (`GET /x`, `HTTP/1.1 200 OK`), JSON, Python
// (`x = 1`, `import os`), config (`listen 80;`, `server {`,
// `user ALL=(ALL) ALL`) and sentences are not.
func commandShaped(t string) bool {
	fields := strings.Fields(t)
	w := fields[0]
	if shellKeywords[w] || w == "[" || w == "[[" {
		return true
	}
	if name, _, ok := strings.Cut(w, "="); ok {
		return isShellName(name) // VAR=value cmd
	}
	if strings.HasSuffix(w, ")") && strings.Contains(t, ";;") {
		return true // a case arm: 2) echo timeout ;;
	}
	if strings.ContainsAny(w[:1], "{}[]()<>\"'|;&!*,-^") || strings.HasSuffix(w, ":") || strings.ContainsAny(w, "()[]") {
		return false
	}
	if strings.Trim(w, "0123456789.") == "" || strings.HasPrefix(w, "HTTP/") || pythonWords[w] {
		return false
	}
	if len(fields) > 1 {
		second := fields[1]
		switch {
		case second == "=" || strings.HasPrefix(second, "=") || strings.HasPrefix(second, "+="):
			return false // x = 1
		case strings.ToUpper(w) == w && isASCIILetter(w[0]) && strings.HasPrefix(second, "/"):
			return false // GET /path
		}
		for _, f := range fields[1:] {
			if strings.Contains(f, "=(") {
				return false // sudoers: user ALL=(ALL) NOPASSWD: ...
			}
		}
	}
	if strings.HasSuffix(t, ";") || strings.HasSuffix(t, " {") && !strings.Contains(t, "()") {
		return false // nginx and other config
	}
	// A capitalised word that is not a variable starts a sentence or a
	// line of output ("Successfully installed", "Connected to host").
	if w[0] >= 'A' && w[0] <= 'Z' && strings.ToUpper(w) != w {
		return false
	}
	return true
}

var (
	shellKeywords = wordSet("if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done",
		"case", "esac", "function", "export", "source", ".", "cd", "set", "unset", "alias", "local", "readonly")
	pythonWords = wordSet("import", "from", "def", "class", "return", "print", "async", "await", "with", "try:", "except", "raise", "assert", "lambda", "yield")
)

// shellLineState follows quoting across the lines of a block, so that a
// command whose quoted argument spans lines (`curl --data '{` ... `}'`)
// is read whole and its middle lines are not taken for output.
type shellLineState struct {
	quote byte // the open quote, 0 when none
	// escaped is set when the line ended in a backslash outside single
	// quotes, or in a pipe or && / || that needs another line.
	escaped bool
}

func (s shellLineState) open() bool { return s.quote != 0 || s.escaped }

// next returns the state after one more line.
func (s shellLineState) next(line string) shellLineState {
	q := s.quote
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q == '\'':
			if c == '\'' {
				q = 0
			}
		case c == '\\':
			i++ // the next byte is taken literally (or it is the line's end)
		case q == '"':
			if c == '"' {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return shellLineState{} // a comment runs to the end of the line
		}
	}
	t := strings.TrimRight(line, " \t")
	escaped := q != '\'' && strings.HasSuffix(t, "\\") && !strings.HasSuffix(t, "\\\\")
	if q == 0 {
		escaped = escaped || strings.HasSuffix(t, "|") || strings.HasSuffix(t, "&&")
	}
	return shellLineState{quote: q, escaped: escaped}
}
