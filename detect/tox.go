package detect

import (
	"strings"
)

// tox creates and manages its own virtual environments (.tox/). venv2flox
// leaves them alone and records that it saw them, plus the Python versions
// tox tests against (a matrix, never the one interpreter of the plan) and
// the commands its environments run.

// toxINIEntry is one `key = value` of an INI section with its continuation
// lines, each value line at its file line.
type toxINIEntry struct {
	section string
	key     string
	line    int
	values  []toxINIValue
}

type toxINIValue struct {
	text string
	line int
}

// readToxINI reads tox.ini-style INI text: [section] headers, `key = value`
// or `key: value`, indented continuation lines, # and ; comments.
// headers maps each section to its header line.
func readToxINI(lines []string) (entries []toxINIEntry, headers map[string]int) {
	headers = map[string]int{}
	section := ""
	var cur *toxINIEntry
	for i, l := range lines {
		lineNo := i + 1
		trimmed := strings.TrimSpace(l)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if (l[0] == ' ' || l[0] == '\t') && cur != nil {
			cur.values = append(cur.values, toxINIValue{stripToxINIComment(trimmed), lineNo})
			continue
		}
		if strings.HasPrefix(trimmed, "[") && strings.HasSuffix(trimmed, "]") {
			section = strings.TrimSpace(trimmed[1 : len(trimmed)-1])
			headers[section] = lineNo
			cur = nil
			continue
		}
		i := strings.IndexAny(trimmed, "=:")
		if i <= 0 {
			cur = nil
			continue
		}
		entries = append(entries, toxINIEntry{section: section, key: strings.TrimSpace(trimmed[:i]), line: lineNo})
		cur = &entries[len(entries)-1]
		if v := stripToxINIComment(strings.TrimSpace(trimmed[i+1:])); v != "" {
			cur.values = append(cur.values, toxINIValue{v, lineNo})
		}
	}
	return entries, headers
}

// stripToxINIComment drops a ` #` comment, as tox 4 does.
func stripToxINIComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func extractTox(s *scanner, f *textFile) {
	if f.Path == "tox.toml" {
		extractToxTOML(s, f)
		return
	}
	entries, headers := readToxINI(f.Lines())
	if f.Path == "tox.ini" && len(s.p.Setup.Tox) == 0 {
		s.p.Setup.Tox = toxEnvsINI(f.Lines(), f.Ev)
	}
	at := 1
	for _, sec := range []string{"tox", "testenv"} {
		if l, ok := headers[sec]; ok {
			at = l
			break
		}
	}
	s.p.Venvs = append(s.p.Venvs, VenvUse{Action: VenvCreate, Dir: ".tox", Command: "tox", File: KindTox, Evidence: f.Ev(at)})

	seen := map[string]bool{}
	version := func(spec string, line int) {
		if !seen[spec] {
			seen[spec] = true
			s.addCIPython(KindTox, spec, true, f.Ev(line))
		}
	}
	if l, ok := headers["testenv"]; ok && !toxSkipsPackage(entries) && f.Path == "tox.ini" {
		ev := f.Ev(l)
		s.p.ToxBuilds = &ev
	}
	ss := newShellSession(s, f.Path, KindTox)
	for _, e := range entries {
		isEnv := e.section == "testenv" || strings.HasPrefix(e.section, "testenv:")
		switch {
		case e.section == "tox" && (e.key == "envlist" || e.key == "env_list"):
			for _, v := range e.values {
				for _, env := range expandToxEnvList(v.text) {
					for _, factor := range strings.Split(env, "-") {
						if spec, ok := toxFactorPython(factor); ok {
							version(spec, v.line)
						}
					}
				}
			}
		case isEnv && (e.key == "basepython" || e.key == "base_python"):
			for _, v := range e.values {
				spec := strings.TrimPrefix(strings.TrimSpace(v.text), "python")
				if isPythonVersion(spec) {
					version(spec, v.line)
				}
			}
		case e.section == "gh-actions" && e.key == "python":
			// Maps setup-python versions to tox factors: `3.10: py310`.
			for _, v := range e.values {
				key, _, ok := strings.Cut(v.text, ":")
				if ok && isPythonVersion(key) {
					version(strings.TrimSpace(key), v.line)
				}
			}
		case isEnv && (e.key == "commands" || e.key == "commands_pre" || e.key == "commands_post"):
			for _, c := range toxCommandLines(e.values) {
				toxCommand(ss, c)
			}
		case isEnv && (e.key == "allowlist_externals" || e.key == "whitelist_externals"):
			for _, v := range e.values {
				for _, name := range strings.FieldsFunc(v.text, func(r rune) bool { return r == ',' || r == ' ' }) {
					name = strings.TrimSpace(name)
					if isProgramName(name) {
						ss.command(name, nil, v.line)
					}
				}
			}
		}
	}
}

// toxSkipsPackage reports a tox.ini whose default environments do not
// build the project: [tox] skipsdist, or [testenv] skip_install or
// package = skip (tox-dev/tox docs/config.rst).
func toxSkipsPackage(entries []toxINIEntry) bool {
	for _, e := range entries {
		if len(e.values) == 0 {
			continue
		}
		v := strings.ToLower(strings.TrimSpace(e.values[0].text))
		switch {
		case e.section == "tox" && (e.key == "skipsdist" || e.key == "no_package") && v == "true",
			e.section == "testenv" && e.key == "skip_install" && v == "true",
			e.section == "testenv" && e.key == "package" && v == "skip":
			return true
		}
	}
	return false
}

// toxCommandLines joins the value lines that end in a backslash with the
// lines after them: tox collapses `\` newline before splitting commands
// (tox-dev/tox src/tox/config/loader/ini/__init__.py, process_raw).
func toxCommandLines(values []toxINIValue) [][]toxINIValue {
	var out [][]toxINIValue
	open := false
	for _, v := range values {
		if open {
			out[len(out)-1] = append(out[len(out)-1], v)
		} else {
			out = append(out, []toxINIValue{v})
		}
		open = strings.HasSuffix(v.text, "\\")
	}
	return out
}

// toxCommand analyses one tox command, which may span lines. tox
// substitutions ({posargs}, {env:X:{toxinidir}}) become placeholders; a
// leading `-` (ignore errors) and factor conditions (`py39: pytest`,
// `{py,pypy}{310,311}: pip install x`) are removed. tox splits a command
// with shlex and runs it without a shell (tox-dev/tox
// src/tox/config/loader/str_convert.py, to_command), so the shell parser
// only approximates it: its syntax errors are never problems.
func toxCommand(ss *shellSession, lines []toxINIValue) {
	ph := &placeholders{}
	var src strings.Builder
	var segs []lineSeg
	for i, v := range lines {
		text := v.text
		if i == 0 {
			text = strings.TrimPrefix(strings.TrimSpace(text), "- ")
			text = strings.TrimPrefix(text, "-")
			if cond, rest, ok := strings.Cut(text, ": "); ok && isToxFactorCondition(cond) {
				text = rest
			}
		}
		if i > 0 {
			src.WriteString("\n")
		}
		segs = append(segs, lineSeg{src.Len(), v.line})
		src.WriteString(maskToxSubstitutions(text, ph))
	}
	t := segmentedText(strings.TrimSuffix(src.String(), "\\"), segs)
	t.restore = ph.replacer()
	saved := ss.quietErrors
	ss.quietErrors = true
	ss.analyze(t)
	ss.quietErrors = saved
}

// isToxFactorCondition reports the condition before a factor-conditional
// line: factor names joined by `,` and `-`, negated with `!`, grouped in
// braces.
func isToxFactorCondition(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isASCIILetter(c) && (c < '0' || c > '9') && !strings.ContainsRune("_.,!{}-", rune(c)) {
			return false
		}
	}
	return true
}

// maskToxSubstitutions replaces each outermost {...} of a line, nested
// ones included ({posargs:"{toxinidir}/test"}), with a placeholder.
func maskToxSubstitutions(line string, ph *placeholders) string {
	var b strings.Builder
	depth, start := 0, 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '{':
			if depth == 0 {
				b.WriteString(line[start:i])
				start = i
			}
			depth++
		case '}':
			if depth == 0 {
				continue
			}
			if depth--; depth == 0 {
				b.WriteString(ph.put(line[start : i+1]))
				start = i + 1
			}
		}
	}
	b.WriteString(line[start:])
	return b.String()
}

// maxToxEnvs bounds brace expansion of an envlist (py{38,39}-django{32,42}).
const maxToxEnvs = 1024

// expandToxEnvList splits one envlist line on commas outside braces and
// expands the braces of each entry.
func expandToxEnvList(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	parts = append(parts, s[start:])
	var out []string
	for _, p := range parts {
		for _, w := range fieldsOutsideBraces(p) {
			out = append(out, expandBraces(w, maxToxEnvs-len(out))...)
			if len(out) >= maxToxEnvs {
				return out
			}
		}
	}
	return out
}

// fieldsOutsideBraces splits on blanks that are not inside braces, and
// drops the blanks inside them ("django{32, 42}" is one entry).
func fieldsOutsideBraces(s string) []string {
	var out []string
	var cur strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{':
			depth++
		case c == '}':
			depth--
		case c == ' ' || c == '\t':
			if depth <= 0 && cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteByte(c)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// expandBraces expands the first {a,b} group of s and recurses.
func expandBraces(s string, limit int) []string {
	if limit <= 0 {
		return nil
	}
	open := strings.IndexByte(s, '{')
	if open < 0 {
		return []string{s}
	}
	close := strings.IndexByte(s[open:], '}')
	if close < 0 {
		return []string{s}
	}
	close += open
	var out []string
	for _, alt := range strings.Split(s[open+1:close], ",") {
		for _, e := range expandBraces(s[:open]+strings.TrimSpace(alt)+s[close+1:], limit-len(out)) {
			out = append(out, e)
			if len(out) >= limit {
				return out
			}
		}
	}
	return out
}

// extractToxTOML reads tox.toml: the environments tox makes, for the
// setup recipe.
func extractToxTOML(s *scanner, f *textFile) {
	if len(s.p.Setup.Tox) > 0 {
		return
	}
	if d, ok := parseTOML(s, f); ok {
		s.p.Setup.Tox = toxEnvsTOML(d)
	}
}
