package rewrite

// Jenkinsfiles: `sh` steps run through `flox activate`, steps that only
// set up or activate a venv go (activation never carried over to the next
// `sh` anyway), and a docker agent on a Python image moves to the Flox
// image. A small Groovy tokenizer finds the steps and their string
// literals with exact offsets; everything else stays byte-identical.

import (
	"strings"
)

const jkFloxImage = "ghcr.io/flox/flox:latest"

// jkString is a Groovy string literal.
type jkString struct {
	start, end int    // the literal, quotes included
	quote      string // ', ", ''', """
	raw        string // between the quotes
}

// jkToken is an identifier or a string literal, in file order.
type jkToken struct {
	ident string
	str   *jkString
	start int
	end   int
}

// jkTokens scans Groovy source for identifiers and string literals,
// skipping comments; other characters are punctuation.
func jkTokens(src string) []jkToken {
	var out []jkToken
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case strings.HasPrefix(src[i:], "//"):
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				return out
			}
			i += j
		case strings.HasPrefix(src[i:], "/*"):
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return out
			}
			i += j + 4
		case c == '\'' || c == '"':
			q := string(c)
			if strings.HasPrefix(src[i:], q+q+q) {
				q = q + q + q
			}
			j := i + len(q)
			for j < len(src) && !strings.HasPrefix(src[j:], q) {
				if src[j] == '\\' {
					j++
				} else if len(q) == 1 && src[j] == '\n' {
					break // unterminated: stop at the line
				}
				j++
			}
			if j >= len(src) || !strings.HasPrefix(src[j:], q) {
				return out // unterminated string: nothing after it is reliable
			}
			out = append(out, jkToken{str: &jkString{start: i, end: j + len(q), quote: q, raw: src[i+len(q) : j]}, start: i, end: j + len(q)})
			i = j + len(q)
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(src) && (src[j] == '_' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			out = append(out, jkToken{ident: src[i:j], start: i, end: j})
			i = j
		default:
			i++
		}
	}
	return out
}

// jkDecode returns the value of a literal, or false when it holds escapes
// or Groovy interpolation that venv2flox will not reason about.
func jkDecode(s *jkString) (string, bool) {
	if strings.Contains(s.raw, `\`) {
		return "", false
	}
	if s.quote[0] == '"' && strings.Contains(s.raw, "$") {
		return "", false
	}
	return s.raw, true
}

// jkEncode writes a value for a literal of the given quote.
func jkEncode(v, quote string) string {
	v = strings.ReplaceAll(v, `\`, `\\`)
	if quote[0] == '"' {
		v = strings.ReplaceAll(v, "$", `\$`)
	}
	if len(quote) == 1 {
		v = strings.ReplaceAll(v, quote, `\`+quote)
	} else {
		// Inside a triple-quoted string only the closing sequence, or a
		// quote right before the closing one, would end it early.
		c, tail := quote[:1], ""
		if strings.HasSuffix(v, c) {
			v, tail = v[:len(v)-1], `\`+c
		}
		v = strings.ReplaceAll(v, quote, `\`+c+`\`+c+`\`+c) + tail
	}
	return v
}

// jkActivate names the environment by absolute path so `dir(...)` blocks
// and `cd` inside a script still find it.
func jkActivate(ctx *Context) string {
	if ctx.ProjectDir == "" || ctx.ProjectDir == "." {
		return `flox activate -d "$WORKSPACE"`
	}
	return `flox activate -d "$WORKSPACE"/` + dcShellWord(ctx.ProjectDir)
}

// Jenkinsfile rewrites a declarative or scripted Jenkinsfile.
func Jenkinsfile(ctx *Context, path string, src []byte) (Result, error) {
	res := Result{New: src}
	text := string(src)
	toks := jkTokens(text)
	starts := lineStarts(src)
	follow := func(off int, msg, sug string) {
		res.FollowUps = append(res.FollowUps, dcFollowUp(path, lineAt(starts, off), msg, sug))
	}
	var edits []Edit
	setup, floxImage, already, blocked := false, false, false, false
	type shStep struct {
		tok   jkToken
		str   *jkString
		value string
		plan  dcSnippetPlan
		sys   dcSystemInstall
	}
	var steps []shStep
	seen := map[int]bool{} // string literals already taken by a step
	for i, t := range toks {
		switch t.ident {
		case "sh":
			if i > 0 && t.start > 0 && text[t.start-1] == '.' {
				continue
			}
			s, captures := jkShScript(text, toks, i)
			if s == nil || seen[s.start] {
				continue
			}
			seen[s.start] = true
			v, ok := jkDecode(s)
			if !ok {
				continue
			}
			if captures {
				// Its output is the point (returnStdout): left alone unless it is setup.
				if dcPlanSnippet(ctx, v, "").Setup {
					follow(t.start, "sh step whose output is used sets up a venv", "remove the venv setup by hand")
				}
				continue
			}
			v = strings.ReplaceAll(v, "\r\n", "\n")
			if dcIsFloxCommand(v) {
				already = true
				continue
			}
			if sys := dcSystemCommand(v); sys.Only {
				steps = append(steps, shStep{tok: t, str: s, value: v, sys: sys})
				continue
			}
			p := dcPlanSnippet(ctx, v, "")
			setup = setup || p.Setup
			blocked = blocked || p.Blocked
			steps = append(steps, shStep{tok: t, str: s, value: v, plan: p})
		case "bat", "powershell", "pwsh":
			if i+1 < len(toks) && toks[i+1].str != nil && strings.Contains(strings.ToLower(toks[i+1].str.raw), "venv") {
				follow(t.start, "Windows step with venv setup", "run it on a Linux agent with Flox, or keep it")
			}
		case "image", "docker":
			if i+1 < len(toks) && toks[i+1].str != nil && jkOnlyPunct(text[t.end:toks[i+1].start], "(") {
				s := toks[i+1].str
				if glPythonImage(s.raw) {
					edits = append(edits, Edit{Start: s.start + len(s.quote), End: s.end - len(s.quote), Text: jkFloxImage})
					floxImage = true
				} else if s.raw == jkFloxImage {
					floxImage = true
				}
			}
		case "PATH":
			if i+1 < len(toks) && toks[i+1].str != nil && dcVenvWord(ctx, toks[i+1].str.raw) {
				follow(t.start, "PATH puts a venv's bin first", "remove it: `flox activate` does that")
			}
		}
	}
	if !setup || already {
		return res, nil
	}
	if blocked {
		for _, s := range steps {
			for _, is := range s.plan.Refused {
				follow(s.tok.start, "venv setup venv2flox cannot replace: "+is.Msg, "migrate this Jenkinsfile by hand")
			}
		}
		return res, nil
	}
	var removals []Edit
	for _, s := range steps {
		// System package installs are never run through `flox activate`.
		// On Flox's image the environment provides those libraries.
		if s.sys.Only {
			if !floxImage {
				continue
			}
			ls, le, ok := jkStepLines(text, s.tok.start, s.str.end)
			if !ok {
				continue
			}
			fu := dcSystemFollowUp(path, lineAt(starts, s.tok.start), s.sys)
			res.FollowUps = append(res.FollowUps, fu)
			removals = append(removals, Edit{Start: ls, End: le})
			continue
		}
		for _, is := range s.plan.Refused {
			follow(s.tok.start, "left a venv command in place: "+is.Msg, "remove it once Flox provides the venv")
		}
		if s.plan.Setup && !s.plan.Remaining {
			ls, le, ok := jkStepLines(text, s.tok.start, s.str.end)
			if !ok {
				follow(s.tok.start, "venv setup step shares its line", "remove it")
				continue
			}
			removals = append(removals, Edit{Start: ls, End: le})
			continue
		}
		v := s.value
		if dcRunsToxOrNox(v) {
			follow(s.tok.start, dcToxMessage, dcToxSuggestion)
		}
		if s.plan.Setup {
			out, err := applyEdits([]byte(v), s.plan.Edits)
			if err != nil {
				return res, err
			}
			v = string(out)
		}
		v = jkSystemLines(v, floxImage, func(l int, sys dcSystemInstall) {
			line := lineAt(starts, s.tok.start) + l
			if sys.Only {
				res.FollowUps = append(res.FollowUps, dcSystemFollowUp(path, line, sys))
			} else {
				res.FollowUps = append(res.FollowUps, dcSystemKeptFollowUp(path, line))
			}
		})
		wrapped, ok := dcWrapLines(jkActivate(ctx), v, true)
		if !ok {
			follow(s.tok.start, "sh step venv2flox cannot wrap line by line", "run it as "+jkActivate(ctx)+" -c '...'")
			continue
		}
		if strings.Contains(s.str.raw, "\r\n") {
			wrapped = withNewline(wrapped, "\r\n")
		}
		edits = append(edits, Edit{Start: s.str.start + len(s.str.quote), End: s.str.end - len(s.str.quote), Text: jkEncode(wrapped, s.str.quote)})
	}
	edits = append(edits, jkRemovals(text, removals, jkActivate(ctx))...)
	if !floxImage {
		follow(0, "the sh steps now run `flox activate`", "install Flox on the Jenkins agents, or use the docker agent image "+jkFloxImage)
	}
	if ctx.KeepVenv {
		res.FollowUps = append(res.FollowUps, dcFollowUp(path, 0, "kept the venv setup (--keep-venv)",
			"when the team moves over, run the sh steps with `flox activate`"))
		return res, nil
	}
	out, err := applyEdits(src, dcOrderEdits(edits))
	if err != nil {
		return res, err
	}
	res.New = out
	return res, nil
}

// jkSystemLines drops the lines of a multi-line script that only install
// system packages when the agent runs Flox's image, and reports lines that
// mix such installs with other commands (dcWrapLines leaves those alone).
// report gets the 0-based line within the script. A one-line script is
// kept whole: it is a step of its own, handled by the caller.
func jkSystemLines(script string, floxImage bool, report func(line int, sys dcSystemInstall)) string {
	lines := strings.SplitAfter(script, "\n")
	if len(lines) < 2 {
		return script
	}
	var b strings.Builder
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasSuffix(t, `\`) {
			b.WriteString(l)
			continue
		}
		sys := dcSystemCommand(t)
		switch {
		case sys.Only && floxImage:
			report(i, sys)
			continue
		case sys.Any && !sys.Only:
			report(i, sys)
		}
		b.WriteString(l)
	}
	return b.String()
}

// jkOnlyPunct reports text between two tokens that is only spaces and the
// given characters.
func jkOnlyPunct(s, allowed string) bool {
	return strings.Trim(s, " \t"+allowed) == ""
}

// jkStepLines returns the whole lines of a step from start to end when it
// has them to itself (a trailing `)` or comment allowed).
func jkStepLines(text string, start, end int) (int, int, bool) {
	ls := strings.LastIndexByte(text[:start], '\n') + 1
	if strings.TrimSpace(text[ls:start]) != "" {
		return 0, 0, false
	}
	le := strings.IndexByte(text[end:], '\n')
	if le < 0 {
		le = len(text)
	} else {
		le += end + 1
	}
	tail := strings.TrimSpace(strings.TrimRight(text[end:le], "\r\n"))
	tail = strings.TrimSpace(strings.TrimPrefix(tail, ")"))
	if tail != "" && !strings.HasPrefix(tail, "//") {
		return 0, 0, false
	}
	return ls, le, true
}

// jkRemovals deletes setup-only steps. Where that would leave a block
// empty (a declarative `steps { }` must hold a step), the steps become one
// step that activates the environment, which builds the venv as the
// removed steps did.
func jkRemovals(text string, removals []Edit, act string) []Edit {
	var merged []Edit
	for _, r := range removals {
		if n := len(merged); n > 0 && strings.TrimSpace(text[merged[n-1].End:r.Start]) == "" {
			merged[n-1].End = r.End
			continue
		}
		merged = append(merged, r)
	}
	for i, m := range merged {
		before := strings.TrimRight(text[:m.Start], " \t\r\n")
		after := strings.TrimLeft(text[m.End:], " \t\r\n")
		if strings.HasSuffix(before, "{") && strings.HasPrefix(after, "}") {
			line := text[m.Start:m.End]
			indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
			nl := "\n"
			if strings.Contains(line, "\r\n") {
				nl = "\r\n"
			}
			merged[i].Text = indent + "sh '" + jkEncode(act+" -- true", "'") + "'" + nl
		}
	}
	return merged
}

// jkShScript returns the script string of the `sh` step at toks[i]:
// `sh 'cmd'`, `sh('cmd')`, `sh script: 'cmd', label: 'x'` or
// `sh(script: "...", returnStdout: true)`. captures reports
// returnStdout/returnStatus, whose steps exist for their output.
func jkShScript(text string, toks []jkToken, i int) (*jkString, bool) {
	t := toks[i]
	if t.start > 0 && text[t.start-1] == '.' {
		return nil, false // a method call (x.sh), not the step
	}
	if i+1 < len(toks) && toks[i+1].str != nil && jkOnlyPunct(text[t.end:toks[i+1].start], "(") {
		return toks[i+1].str, false
	}
	// Named arguments: the step ends at the first line break or closing
	// parenthesis outside a string.
	var script *jkString
	captures := false
	end := t.end
	for j := i + 1; j < len(toks); j++ {
		if strings.ContainsAny(text[end:toks[j].start], "\n)") {
			break
		}
		switch {
		case toks[j].ident == "returnStdout" || toks[j].ident == "returnStatus":
			captures = true
		case toks[j].ident == "script" && j+1 < len(toks) && toks[j+1].str != nil && jkOnlyPunct(text[toks[j].end:toks[j+1].start], ":"):
			script = toks[j+1].str
		}
		end = toks[j].end
	}
	return script, captures
}
