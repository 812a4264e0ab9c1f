package detect

import (
	"strings"
)

// Jenkinsfiles are Groovy, for which no Go parser exists. A small
// tokenizer finds what matters: `sh`/`bat` steps and their strings (all
// four quote forms, and `sh(script: ...)`), `agent { docker { image ... } }`
// and `docker.image('...')`, `environment { NAME = '...' }` and stage
// names. Comments are skipped, strings are decoded with their line breaks
// kept, so shell facts point at exact lines.

// groovyTok is one token: an identifier, a string literal, or punctuation.
type groovyTok struct {
	kind byte // 'i' identifier, 's' string, 'p' punctuation
	text string
	line int
	// For strings: the quote ("'", "\"", "'''", "\"\"\"") and the raw body
	// with the line and column where it starts.
	quote        string
	bodyLine     int
	unterminated bool
}

// groovyTokens tokenizes Groovy source. Slashy strings and regexes are not
// recognised (a `/` is punctuation), which only matters inside them.
func groovyTokens(src string) []groovyTok {
	var toks []groovyTok
	line := 1
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src) - i - 2
			}
			line += strings.Count(src[i:i+2+end], "\n")
			i += end + 4
		case c == '\'' || c == '"':
			q := string(c)
			if strings.HasPrefix(src[i:], strings.Repeat(q, 3)) {
				q = strings.Repeat(q, 3)
			}
			body, next, ok := groovyStringBody(src, i+len(q), q)
			toks = append(toks, groovyTok{kind: 's', text: body, line: line, quote: q, bodyLine: line, unterminated: !ok})
			line += strings.Count(src[i:next], "\n")
			i = next
		case isGroovyIdentStart(c):
			j := i
			for j < len(src) && (isGroovyIdentStart(src[j]) || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			toks = append(toks, groovyTok{kind: 'i', text: src[i:j], line: line})
			i = j
		default:
			toks = append(toks, groovyTok{kind: 'p', text: string(c), line: line})
			i++
		}
	}
	return toks
}

func isGroovyIdentStart(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// groovyStringBody returns the raw body of a string whose quote q ends
// before start, the offset after its closing quote, and whether it was
// closed. An unterminated one-line string ends at the line end.
func groovyStringBody(src string, start int, q string) (string, int, bool) {
	for i := start; i < len(src); i++ {
		switch {
		case src[i] == '\\':
			i++
		case src[i] == '\n' && len(q) == 1:
			return src[start:i], i, false
		case strings.HasPrefix(src[i:], q):
			return src[start:i], i + len(q), true
		}
	}
	return src[min(start, len(src)):], len(src), false
}

// groovyShell decodes a string token into shell text: escapes removed,
// GString interpolation resolved from the environment block where known
// and masked otherwise, every raw line break starting a new segment.
func groovyShell(t groovyTok, env map[string]string) shellText {
	ph := &placeholders{}
	gstring := t.quote[0] == '"'
	raw := t.text
	var b strings.Builder
	segs := []lineSeg{{0, t.bodyLine}}
	line := t.bodyLine
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\r' && i+1 < len(raw) && raw[i+1] == '\n':
			// CRLF files: the shell sees plain line ends.
		case c == '\n':
			line++
			b.WriteByte('\n')
			segs = append(segs, lineSeg{b.Len(), line})
		case c == '\\' && i+1 < len(raw):
			i++
			switch raw[i] {
			case '\n':
				line++ // a line continuation: no newline for the shell
				segs = append(segs, lineSeg{b.Len(), line})
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '$', '\\', '\'', '"':
				b.WriteByte(raw[i])
			default:
				b.WriteByte('\\')
				b.WriteByte(raw[i])
			}
		case c == '$' && gstring && i+1 < len(raw) && raw[i+1] == '{':
			end := strings.IndexByte(raw[i:], '}')
			if end < 0 || strings.Contains(raw[i:i+end], "\n") {
				b.WriteByte(c)
				continue
			}
			expr := raw[i : i+end+1]
			name := strings.TrimSpace(expr[2 : len(expr)-1])
			name = strings.TrimPrefix(strings.TrimPrefix(name, "env."), "params.")
			if v, ok := env[name]; ok {
				b.WriteString(v)
			} else if isShellName(name) {
				b.WriteString("${" + name + "}") // an environment variable for the shell
			} else {
				b.WriteString(ph.put(expr))
			}
			i += end
		case c == '$' && gstring:
			j := i + 1
			for j < len(raw) && (isGroovyIdentStart(raw[j]) && raw[j] != '$' || j > i+1 && raw[j] >= '0' && raw[j] <= '9') {
				j++
			}
			if v, ok := env[raw[i+1:j]]; ok && j > i+1 {
				b.WriteString(v)
				i = j - 1
			} else {
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
	}
	st := segmentedText(b.String(), segs)
	st.restore = ph.replacer()
	return st
}

func isShellName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// jenkinsBlock is an open `{`: the identifier before it, and for stages
// the stage's name and job.
type jenkinsBlock struct {
	name  string
	stage *CIJob
}

type jenkinsReader struct {
	s      *scanner
	f      *textFile
	toks   []groovyTok
	env    map[string]string
	ss     *shellSession
	blocks []jenkinsBlock
	image  string // the pipeline-level docker image
	stages int
}

func extractJenkinsfile(s *scanner, f *textFile) {
	j := &jenkinsReader{s: s, f: f, toks: groovyTokens(f.Text), env: map[string]string{},
		ss: newShellSession(s, f.Path, KindJenkinsfile)}
	for _, t := range j.toks {
		if t.unterminated {
			s.problem(f.Ev(t.line), "Groovy: unterminated string starting "+t.quote)
		}
	}
	j.read()
}

func (j *jenkinsReader) tok(i int) groovyTok {
	if i < 0 || i >= len(j.toks) {
		return groovyTok{}
	}
	return j.toks[i]
}

func (j *jenkinsReader) inside(name string) bool {
	for _, b := range j.blocks {
		if b.name == name {
			return true
		}
	}
	return false
}

// currentStage is the innermost open stage's job, or nil.
func (j *jenkinsReader) currentStage() *CIJob {
	for k := len(j.blocks) - 1; k >= 0; k-- {
		if j.blocks[k].stage != nil {
			return j.blocks[k].stage
		}
	}
	return nil
}

func (j *jenkinsReader) read() {
	var pendingStage *CIJob
	firstLine := 0
	for i := 0; i < len(j.toks); i++ {
		t := j.toks[i]
		switch {
		case t.kind == 'p' && t.text == "{":
			name := ""
			if p := j.tok(i - 1); p.kind == 'i' {
				name = p.text
			} else if p.text == ")" {
				name = j.callName(i - 1)
			}
			j.blocks = append(j.blocks, jenkinsBlock{name: name, stage: pendingStage})
			pendingStage = nil
		case t.kind == 'p' && t.text == "}":
			if n := len(j.blocks); n > 0 {
				if st := j.blocks[n-1].stage; st != nil {
					if st.Image == "" {
						st.Image = j.image
						if v, ok := imagePython(j.image); ok {
							st.Pythons = appendUnique(st.Pythons, v)
						}
					}
					j.s.p.CI = append(j.s.p.CI, *st)
				}
				j.blocks = j.blocks[:n-1]
			}
		case t.kind == 'i' && t.text == "stage" && j.tok(i+1).text == "(" && j.tok(i+2).kind == 's':
			pendingStage = &CIJob{System: KindJenkinsfile, Name: j.tok(i + 2).text, Evidence: j.f.Ev(t.line)}
			j.stages++
		case t.kind == 'i' && (t.text == "pipeline" || t.text == "node") && firstLine == 0:
			firstLine = t.line
		case t.kind == 'i' && j.inside("environment") && j.tok(i+1).text == "=" && j.tok(i+2).kind == 's':
			j.environment(t, j.tok(i+2))
			i += 2
		case t.kind == 'i' && t.text == "image" && j.inside("docker") && j.tok(i+1).kind == 's':
			j.dockerImage(j.tok(i + 1))
		case t.kind == 'i' && t.text == "docker" && j.inside("agent") && j.tok(i+1).kind == 's':
			j.dockerImage(j.tok(i + 1)) // agent { docker 'python:3.12' }
		case t.kind == 'i' && t.text == "docker" && j.tok(i+1).text == "." && j.tok(i+2).text == "image" &&
			j.tok(i+3).text == "(" && j.tok(i+4).kind == 's':
			j.dockerImage(j.tok(i + 4)) // docker.image('python:3.12').inside { ... }
		case t.kind == 'i' && (t.text == "sh" || t.text == "bat" || t.text == "powershell" || t.text == "pwsh"):
			if k := j.stepString(i); k >= 0 {
				j.step(t.text, j.toks[k])
			}
		}
	}
	if j.stages == 0 && (firstLine > 0 || j.image != "") {
		if firstLine == 0 {
			firstLine = 1
		}
		ci := CIJob{System: KindJenkinsfile, Name: "pipeline", Image: j.image, Evidence: j.f.Ev(firstLine)}
		if v, ok := imagePython(j.image); ok {
			ci.Pythons = []string{v}
		}
		j.s.p.CI = append(j.s.p.CI, ci)
	}
}

// callName returns the identifier called by the `(...)` ending at close:
// `stage('x') {` gives "stage".
func (j *jenkinsReader) callName(close int) string {
	depth := 0
	for k := close; k >= 0; k-- {
		switch j.toks[k].text {
		case ")":
			depth++
		case "(":
			depth--
			if depth == 0 {
				if p := j.tok(k - 1); p.kind == 'i' {
					return p.text
				}
				return ""
			}
		}
	}
	return ""
}

// stepString finds the script string of a step at i: `sh 'x'`,
// `sh("x")`, `sh script: 'x'`, `sh(label: 'l', script: """x""")`.
func (j *jenkinsReader) stepString(i int) int {
	k := i + 1
	paren := j.tok(k).text == "("
	if paren {
		k++
	}
	if j.tok(k).kind == 's' && j.tok(k+1).text != ":" {
		return k
	}
	// Named arguments: find script: within this call.
	depth := 0
	for ; k < len(j.toks); k++ {
		t := j.toks[k]
		switch {
		case t.text == "(" || t.text == "[":
			depth++
		case t.text == ")" || t.text == "]":
			if depth == 0 {
				return -1
			}
			depth--
		case t.text == "{" || t.text == "}":
			return -1
		case depth == 0 && t.kind == 'i' && t.text == "script" && j.tok(k+1).text == ":" && j.tok(k+2).kind == 's':
			return k + 2
		case !paren && t.line != j.toks[i].line && k > i+1 && j.toks[k-1].text != ",":
			return -1 // an unparenthesised call ends with its line
		}
	}
	return -1
}

// step analyses a step's script string.
func (j *jenkinsReader) step(kind string, t groovyTok) {
	if t.unterminated {
		return // already reported; its text is not the script
	}
	st := groovyShell(t, j.env)
	if kind != "sh" {
		off := 0
		for _, l := range strings.Split(st.src, "\n") {
			j.ss.windowsLine(st.restoreText(l), st.lineOf(off))
			off += len(l) + 1
		}
		return
	}
	j.ss.analyze(st)
}

// restoreText restores the placeholders of a piece of t's source.
func (t shellText) restoreText(s string) string {
	if t.restore == nil {
		return s
	}
	return t.restore.Replace(s)
}

// environment reads `NAME = 'value'` of an environment block.
func (j *jenkinsReader) environment(name, value groovyTok) {
	st := groovyShell(value, j.env)
	v := st.restoreText(st.src)
	j.env[name.text] = v
	j.ss.vars[name.text] = v
	j.ss.assignFacts(name.text, v, name.text+" = "+value.quote+value.text+value.quote, name.line)
}

// dockerImage records a docker agent image for the stage or pipeline.
func (j *jenkinsReader) dockerImage(t groovyTok) {
	st := groovyShell(t, j.env)
	img := strings.TrimSpace(st.restoreText(st.src))
	if v, ok := imagePython(img); ok {
		j.s.addCIPython(KindJenkinsfile, v, false, j.f.Ev(t.line))
	}
	if stage := j.currentStage(); stage != nil {
		stage.Image = img
		if v, ok := imagePython(img); ok {
			stage.Pythons = appendUnique(stage.Pythons, v)
		}
		return
	}
	j.image = img
}
