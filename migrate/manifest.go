package migrate

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// SchemaVersion is the manifest schema venv2flox writes. 1.10.0 is the
// first that accepts `outputs`, which the C++ runtime entry needs; every
// Flox release since 1.10 reads it.
const SchemaVersion = "1.10.0"

// maxManifestLine is the longest line venv2flox writes in a manifest,
// outside what the project itself supplies (its sync commands' words).
const maxManifestLine = 100

// Manifest renders the plan as the text of .flox/env/manifest.toml: the
// layout `flox init` uses ([install] as dotted keys, [vars], [hook],
// [profile], [options]) with a one-line comment saying why above each entry
// (`venv2flox plan` keeps the whole reason and its evidence). The output is
// deterministic: the plan's slices are already sorted.
func (p *Plan) Manifest() []byte {
	var b strings.Builder
	writeComment(&b, "Flox environment for "+strings.Join(strings.Fields(p.EnvName), " ")+", written by venv2flox.")
	b.WriteString("# The first `flox activate` writes manifest.lock, the packages the catalog resolved.\n")
	b.WriteString("schema-version = " + tomlString(SchemaVersion) + "\n")

	b.WriteString("\n[install]\n")
	for i, pkg := range p.Packages {
		if i > 0 {
			b.WriteByte('\n')
		}
		writeComment(&b, shortReason(pkg.Reason))
		id := tomlKey(pkg.ID)
		fmt.Fprintf(&b, "%s.pkg-path = %s\n", id, tomlString(pkg.PkgPath))
		if pkg.Version != "" {
			fmt.Fprintf(&b, "%s.version = %s\n", id, tomlString(pkg.Version))
		}
		switch {
		case len(pkg.Outputs) == 1 && pkg.Outputs[0] == allOutputs:
			fmt.Fprintf(&b, "%s.outputs = %s\n", id, tomlString(allOutputs))
		case len(pkg.Outputs) > 0:
			fmt.Fprintf(&b, "%s.outputs = %s\n", id, tomlArray(pkg.Outputs))
		}
		if len(pkg.Systems) > 0 {
			fmt.Fprintf(&b, "%s.systems = %s\n", id, tomlArray(pkg.Systems))
		}
		if pkg.Priority > 0 {
			fmt.Fprintf(&b, "%s.priority = %d\n", id, pkg.Priority)
		}
		if pkg.PkgGroup != "" {
			fmt.Fprintf(&b, "%s.pkg-group = %s\n", id, tomlString(pkg.PkgGroup))
		}
	}

	if len(p.Vars) > 0 {
		b.WriteString("\n[vars]\n")
		for _, v := range p.Vars {
			writeComment(&b, shortReason(v.Reason))
			fmt.Fprintf(&b, "%s = %s\n", tomlKey(v.Name), tomlString(v.Value))
		}
	}

	if p.Hook != "" {
		b.WriteString("\n[hook]\n")
		b.WriteString("on-activate = " + tomlMultiline(p.Hook) + "\n")
	}

	profiles := []struct{ key, text string }{
		{"common", p.Profile.Common}, {"bash", p.Profile.Bash}, {"zsh", p.Profile.Zsh},
		{"fish", p.Profile.Fish}, {"tcsh", p.Profile.Tcsh},
	}
	wroteProfile := false
	for _, pr := range profiles {
		if pr.text == "" {
			continue
		}
		if !wroteProfile {
			b.WriteString("\n[profile]\n")
			b.WriteString("# Interactive shells: Flox puts its bin folder first again after the hook; undo that.\n")
			wroteProfile = true
		}
		b.WriteString(pr.key + " = " + tomlScript(pr.text) + "\n")
	}

	b.WriteString("\n[options]\n")
	fmt.Fprintf(&b, "systems = %s\n", tomlArray(p.systems()))
	if p.Unfree {
		b.WriteString("# CUDA packages are unfree.\n")
		b.WriteString("allow.unfree = true\n")
	}
	return []byte(b.String())
}

// systems is the plan's [options] systems, the four Flox supports unless the
// plan narrows them.
func (p *Plan) systems() []string {
	if len(p.Systems) > 0 {
		return p.Systems
	}
	return allSystems
}

// allOutputs is the `outputs` value that installs every output of a
// package (headers, .pc files and *-config scripts included); Outputs
// holds it as its only element.
const allOutputs = "all"

// allSystems are the systems Flox environments resolve for, sorted.
var allSystems = []string{"aarch64-darwin", "aarch64-linux", "x86_64-darwin", "x86_64-linux"}

// linuxSystems limit packages that exist or matter only on Linux.
var linuxSystems = []string{"aarch64-linux", "x86_64-linux"}

// darwinSystems limit packages that are meant for macOS only.
var darwinSystems = []string{"aarch64-darwin", "x86_64-darwin"}

// shortReason is a reason as one manifest comment line: its first clause
// (without asides in parentheses, or cut at a word, when that is too long)
// and, when the clause cites no file, up to three file:line pieces of
// evidence that fit.
func shortReason(r Reason) string {
	limit := maxManifestLine - len("# ")
	text := firstClause(strings.Join(strings.Fields(r.Text), " "))
	if len(text) > limit {
		text = withoutAsides(text)
	}
	if len(text) > limit {
		text = shortened(text, limit)
	}
	for _, e := range r.Evidence {
		if strings.Contains(text, e.String()) {
			return text
		}
	}
	var cited []string
	for _, e := range r.Evidence {
		ev := e.String()
		if len(cited) == 3 || slices.Contains(cited, ev) {
			continue
		}
		if len(text)+len(" (")+len(strings.Join(append(cited, ev), ", "))+len(")") > limit {
			break
		}
		cited = append(cited, ev)
	}
	if len(cited) == 0 {
		return text
	}
	return text + " (" + strings.Join(cited, ", ") + ")"
}

// shortened cuts text to at most limit bytes: at the last ", " that keeps
// at least half of it, else at such a ": " (a cut there leaves a label
// without what it introduces), else at a word, marked with "...".
func shortened(text string, limit int) string {
	for _, sep := range []string{", ", ": "} {
		if i := strings.LastIndex(text[:limit+1], sep); i >= limit/2 {
			return text[:i]
		}
	}
	cut := -1
	cut = strings.LastIndexByte(text[:limit-len("...")+1], ' ')
	if cut <= 0 {
		cut = limit - len("...")
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
	}
	return strings.TrimRight(text[:cut], " ,;:") + "..."
}

// firstClause is text up to its first "; " outside parentheses.
func firstClause(text string) string {
	depth := 0
	for i, r := range text {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case r == ';' && depth == 0 && strings.HasPrefix(text[i:], "; "):
			return text[:i]
		}
	}
	return text
}

// withoutAsides drops the parenthesised parts of text, and the space
// before each.
func withoutAsides(text string) string {
	var b strings.Builder
	depth := 0
	for _, r := range text {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	text = strings.Join(strings.Fields(b.String()), " ")
	return strings.NewReplacer(" ,", ",", " ;", ";", " :", ":", " .", ".").Replace(text)
}

// writeComment writes text as "# " lines; reasons are one line, but a
// newline in one must never end the comment early.
func writeComment(b *strings.Builder, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	for line := range strings.SplitSeq(text, "\n") {
		b.WriteString(strings.TrimRight("# "+commentSafe(line), " ") + "\n")
	}
}

// commentSafe replaces the control characters TOML forbids in comments.
func commentSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// tomlKey writes a key bare when TOML allows it, quoted otherwise.
func tomlKey(k string) string {
	if k == "" {
		return `""`
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return tomlString(k)
		}
	}
	return k
}

// tomlString is a TOML basic string: quotes, backslashes and control
// characters escaped.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	tomlEscape(&b, s, tomlBasicEscapes)
	b.WriteByte('"')
	return b.String()
}

// tomlBasicEscapes are the short escapes a one-line basic string uses.
var tomlBasicEscapes = map[rune]string{'"': `\"`, '\\': `\\`, '\n': `\n`, '\t': `\t`, '\r': `\r`}

// tomlMultilineEscapes keep line breaks and tabs as they are: a multi-line
// basic string may hold them.
var tomlMultilineEscapes = map[rune]string{'"': `\"`, '\\': `\\`, '\n': "\n", '\t': "\t"}

// tomlEscape writes s with the escapes given, and any other control
// character as \uXXXX.
func tomlEscape(b *strings.Builder, s string, escapes map[rune]string) {
	for _, r := range s {
		if e, ok := escapes[r]; ok {
			b.WriteString(e)
		} else if r < 0x20 || r == 0x7f {
			fmt.Fprintf(b, `\u%04X`, r)
		} else {
			b.WriteRune(r)
		}
	}
}

func tomlArray(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = tomlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// tomlScript writes a one-line script as a one-line literal string, any
// other as tomlMultiline does.
func tomlScript(s string) string {
	line := strings.TrimSuffix(s, "\n")
	if line != "" && !strings.ContainsAny(line, "'\n") && !strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
		return "'" + line + "'"
	}
	return tomlMultiline(s)
}

// tomlMultiline writes a script as a multi-line literal string (”'...”'),
// which keeps backslashes and quotes as they are. A script that cannot be a
// literal string (it contains ”' or control characters) is written as a
// multi-line basic string with escapes instead; the value is the same.
func tomlMultiline(s string) string {
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	literalOK := !strings.Contains(s, "'''")
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			literalOK = false
		}
	}
	if literalOK {
		// The newline right after the opening delimiter is trimmed by TOML.
		return "'''\n" + s + "'''"
	}
	var b strings.Builder
	b.WriteString("\"\"\"\n")
	tomlEscape(&b, s, tomlMultilineEscapes)
	b.WriteString(`"""`)
	return b.String()
}
