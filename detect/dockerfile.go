package detect

import (
	"encoding/json"
	"strings"
)

// Dockerfiles: every stage's base image may name a Python version
// (FROM python:3.12-slim, with ARG defaults substituted); RUN instructions
// are shell (continuations, heredocs, exec form) whose apt-get/apk
// installs are evidence of native needs and whose venvs (/opt/venv) are
// production venvs the rewriter leaves alone; ENV PATH with a venv's bin
// folder first activates it.

// dockerInstr is one instruction: its keyword, the text after it, and the
// file line of each of its lines. text keeps continuation line breaks;
// comment and empty lines inside are dropped, as Docker does, and segs
// maps the remaining lines back to the file.
type dockerInstr struct {
	keyword string
	text    string
	first   int
	segs    []lineSeg
	// heredocs are the bodies of `<<EOF` documents that follow the
	// instruction, each with its first file line.
	heredocs []dockerHeredoc
}

type dockerHeredoc struct {
	word  string
	body  string
	first int
}

type dockerReader struct {
	s      *scanner
	f      *textFile
	escape byte
	args   map[string]string // ARG defaults in scope
	stages map[string]bool   // stage names (FROM ... AS name)
	ss     *shellSession
	// windowsShell is set by SHELL ["powershell", ...] or cmd, and by the
	// backtick escape of Windows images.
	windowsShell bool
}

func extractDockerfile(s *scanner, f *textFile) {
	d := &dockerReader{s: s, f: f, escape: '\\', args: map[string]string{}, stages: map[string]bool{},
		ss: newShellSession(s, f.Path, KindDockerfile)}
	// An image is built by its own tools and never rewritten: what the
	// shell parser cannot read in it is nothing for the maintainer to fix.
	d.ss.quietErrors = true
	lines := f.Lines()
	d.directives(lines)
	for _, in := range d.instructions(lines) {
		d.instruction(in)
	}
}

// directives reads `# escape=` at the top of the file.
func (d *dockerReader) directives(lines []string) {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "#") {
			return
		}
		k, v, ok := strings.Cut(strings.TrimSpace(t[1:]), "=")
		if !ok {
			return
		}
		if strings.EqualFold(strings.TrimSpace(k), "escape") && len(strings.TrimSpace(v)) == 1 {
			d.escape = strings.TrimSpace(v)[0]
			d.windowsShell = d.escape == '`'
		}
	}
}

// instructions splits the file into instructions.
func (d *dockerReader) instructions(lines []string) []dockerInstr {
	var out []dockerInstr
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		in := dockerInstr{first: i + 1}
		kw, _, _ := strings.Cut(t, " ")
		kw, _, _ = strings.Cut(kw, "\t")
		in.keyword = strings.ToUpper(kw)
		// The keyword becomes blanks, so that columns hold.
		start := strings.Index(lines[i], kw)
		text := strings.Repeat(" ", start+len(kw)) + lines[i][start+len(kw):]
		in.segs = []lineSeg{{0, i + 1}}
		for last := lines[i]; d.continues(last) && i+1 < len(lines); {
			i++
			if nt := strings.TrimSpace(lines[i]); nt == "" || strings.HasPrefix(nt, "#") {
				continue // Docker drops comment and empty lines inside an instruction
			}
			last = lines[i]
			text += "\n"
			in.segs = append(in.segs, lineSeg{len(text), i + 1})
			text += lines[i]
		}
		// An escape on the last line continues nothing: Docker drops it.
		if d.continues(last(text)) {
			text = strings.TrimRight(text, " \t")
			text = text[:len(text)-1]
		}
		in.text = text
		for _, word := range heredocWords(in.text) {
			h := dockerHeredoc{word: word.name, first: i + 2}
			var body []string
			for i+1 < len(lines) {
				i++
				l := lines[i]
				if word.dash {
					l = strings.TrimLeft(l, "\t")
				}
				if l == word.name {
					break
				}
				body = append(body, lines[i])
			}
			h.body = strings.Join(body, "\n")
			in.heredocs = append(in.heredocs, h)
		}
		out = append(out, in)
	}
	return out
}

// dockerWords splits ARG's text into words as Docker does: blanks
// outside quotes separate them, quotes go, an escape keeps the next
// character and an escaped line break joins the lines.
func dockerWords(text string, escape byte) []string {
	var words []string
	var b strings.Builder
	quote, inWord := byte(0), false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == escape && quote != '\'' && i+1 < len(text):
			i++
			if text[i] != '\n' {
				b.WriteByte(text[i])
				inWord = true
			}
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			b.WriteByte(c)
		case c == '"' || c == '\'':
			quote, inWord = c, true
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words
}

// last returns the last line of text.
func last(text string) string { return text[strings.LastIndexByte(text, '\n')+1:] }

func (d *dockerReader) continues(l string) bool {
	t := strings.TrimRight(l, " \t")
	return len(t) > 0 && t[len(t)-1] == d.escape
}

type heredocWord struct {
	name string
	dash bool
}

// heredocWords finds `<<EOF`, `<<-EOF`, `<<"EOF"` and `<<'EOF'` in an
// instruction (Dockerfile heredocs, BuildKit syntax 1.4+).
func heredocWords(text string) []heredocWord {
	var out []heredocWord
	for i := 0; i+2 < len(text); i++ {
		if text[i] != '<' || text[i+1] != '<' || (i > 0 && text[i-1] == '<') || text[i+2] == '<' {
			continue
		}
		j := i + 2
		w := heredocWord{}
		if j < len(text) && text[j] == '-' {
			w.dash = true
			j++
		}
		quote := byte(0)
		if j < len(text) && (text[j] == '"' || text[j] == '\'') {
			quote = text[j]
			j++
		}
		k := j
		for k < len(text) && (text[k] == '_' || text[k] >= 'A' && text[k] <= 'Z' || text[k] >= 'a' && text[k] <= 'z' || text[k] >= '0' && text[k] <= '9') {
			k++
		}
		if k == j || (quote != 0 && (k >= len(text) || text[k] != quote)) {
			continue
		}
		w.name = text[j:k]
		out = append(out, w)
		i = k
	}
	return out
}

func (d *dockerReader) instruction(in dockerInstr) {
	switch in.keyword {
	case "FROM":
		d.from(in)
	case "ARG":
		for _, f := range dockerWords(in.text, d.escape) {
			name, val, ok := strings.Cut(f, "=")
			if _, seen := d.args[name]; ok || !seen {
				d.args[name] = val
				d.ss.vars[name] = val
			}
		}
	case "ENV":
		d.env(in)
	case "SHELL":
		var argv []string
		if json.Unmarshal([]byte(strings.TrimSpace(in.text)), &argv) == nil && len(argv) > 0 {
			prog := strings.ToLower(argv[0])
			d.windowsShell = strings.Contains(prog, "powershell") || strings.Contains(prog, "pwsh") || strings.Contains(prog, "cmd")
		}
	case "RUN":
		d.run(in)
	case "ENTRYPOINT", "CMD":
		d.entrypoint(in)
	}
}

// entrypoint records the program an ENTRYPOINT or CMD starts: a script
// the image runs (./boot.sh) belongs to the container, whose venv it
// activates, and is never moved to Flox.
func (d *dockerReader) entrypoint(in dockerInstr) {
	t := strings.TrimSpace(in.text)
	var argv []string
	if strings.HasPrefix(t, "[") {
		if json.Unmarshal([]byte(t), &argv) != nil {
			return
		}
	} else {
		argv = strings.Fields(t)
	}
	if len(argv) == 0 || argv[0] == "" {
		return
	}
	d.s.p.Commands = append(d.s.p.Commands, CommandUse{Name: argv[0], Args: argv[1:], File: KindDockerfile, Evidence: d.f.Ev(in.first)})
}

// from records the base image of a stage.
func (d *dockerReader) from(in dockerInstr) {
	fields := strings.Fields(in.text)
	var image string
	for i, f := range fields {
		if strings.HasPrefix(f, "--") {
			continue
		}
		image = f
		if i+2 < len(fields) && strings.EqualFold(fields[i+1], "AS") {
			d.stages[strings.ToLower(fields[i+2])] = true
		}
		break
	}
	image = d.substitute(image)
	if image == "" || d.stages[strings.ToLower(image)] {
		return
	}
	if v, ok := imagePython(image); ok {
		d.s.addCIPython(KindDockerfile, v, false, d.f.Ev(in.first))
	}
}

// substitute replaces $NAME, ${NAME} and ${NAME:-default} with ARG values.
func (d *dockerReader) substitute(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == '{' {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				break
			}
			inner := s[i+2 : i+end]
			name, def, _ := strings.Cut(inner, ":-")
			if v := d.args[name]; v != "" {
				b.WriteString(v)
			} else {
				b.WriteString(def)
			}
			i += end
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		b.WriteString(d.args[s[i+1:j]])
		i = j - 1
	}
	return b.String()
}

// env reads ENV k=v ... (or the legacy ENV k v) into the shell session, so
// that later RUN lines resolve $VIRTUAL_ENV, and records PATH activations.
func (d *dockerReader) env(in dockerInstr) {
	t := strings.TrimSpace(in.text)
	first, rest, _ := strings.Cut(t, " ")
	if !strings.Contains(first, "=") {
		name := first
		val := strings.TrimSpace(rest)
		d.ss.assignFacts(name, val, "ENV "+t, in.first)
		d.ss.vars[name] = val
		return
	}
	// ENV assignments are shell-like words: let the shell parser split them.
	d.ss.analyze(segmentedText(in.text, in.segs))
}

// run analyses a RUN instruction.
func (d *dockerReader) run(in dockerInstr) {
	text := in.text
	// Flags: --mount=..., --network=..., --security=..., on one line or
	// continued over several.
	trimmed := d.trimBlanks(text)
	for strings.HasPrefix(trimmed, "--") {
		end := strings.IndexAny(trimmed, " \t\n")
		if end < 0 {
			return
		}
		trimmed = d.trimBlanks(trimmed[end:])
	}
	prefix := len(text) - len(trimmed)
	text = strings.Repeat(" ", prefix) + trimmed
	if argv, ok := execForm(trimmed); ok {
		if len(argv) > 0 {
			d.ss.dispatch(cmdCall{argv: argv, raw: argv, lines: repeatLine(in.first, len(argv)), text: strings.Join(argv, " ")})
		}
		return
	}
	if d.windowsShell {
		for i, l := range strings.Split(text, "\n") {
			d.ss.windowsLine(strings.TrimRight(strings.TrimSpace(l), "`\\"), in.segs[min(i, len(in.segs)-1)].line)
		}
		return
	}
	if len(in.heredocs) > 0 {
		cmd := strings.TrimSpace(trimmed[:strings.Index(trimmed, "<<")])
		isScript := cmd == "" || cmd == "bash" || cmd == "sh" || strings.HasSuffix(cmd, "/bash") || strings.HasSuffix(cmd, "/sh")
		if isScript {
			for _, h := range in.heredocs {
				d.ss.analyze(linesFrom(normalizeCRLF(h.body), h.first))
			}
			return
		}
		// `cat <<EOF > file`: the command line is shell, the body data.
		d.ss.analyze(segmentedText(d.withoutHeredocs(text), in.segs))
		return
	}
	d.ss.analyze(segmentedText(text, in.segs))
}

// withoutHeredocs removes the heredoc operators of a command line, whose
// bodies are not part of the analysed text.
func (d *dockerReader) withoutHeredocs(text string) string {
	for _, w := range heredocWords(text) {
		for _, op := range []string{"<<-'" + w.name + "'", "<<-\"" + w.name + "\"", "<<-" + w.name,
			"<<'" + w.name + "'", "<<\"" + w.name + "\"", "<<" + w.name} {
			text = strings.Replace(text, op, strings.Repeat(" ", len(op)), 1)
		}
	}
	return text
}

// trimBlanks drops the blanks, and the escapes that continue a line,
// before the next word of an instruction.
func (d *dockerReader) trimBlanks(text string) string {
	for {
		t := strings.TrimLeft(text, " \t\n")
		if len(t) > 1 && t[0] == d.escape && t[1] == '\n' {
			text = t[2:]
			continue
		}
		return t
	}
}

// execForm reads the exec form, RUN ["python", "-m", "venv", "/opt/venv"].
// Text that is not a JSON array of strings is the shell form, as Docker
// reads it (moby/buildkit frontend/dockerfile/parser/line_parsers.go,
// parseMaybeJSON): `RUN [ "$X" != y ] || ...` is a test command.
func execForm(text string) ([]string, bool) {
	if !strings.HasPrefix(text, "[") {
		return nil, false
	}
	var argv []string
	if json.Unmarshal([]byte(strings.TrimSpace(text)), &argv) != nil {
		return nil, false
	}
	return argv, true
}
