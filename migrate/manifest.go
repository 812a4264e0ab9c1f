package migrate

import (
	"fmt"
	"strings"
)

// SchemaVersion is the manifest schema venv2flox writes. 1.10.0 is the
// first that accepts `outputs`, which the C++ runtime entry needs; every
// Flox release since 1.10 reads it.
const SchemaVersion = "1.10.0"

// Manifest renders the plan as the text of .flox/env/manifest.toml: the
// layout `flox init` uses ([install] as dotted keys, [vars], [hook],
// [profile], [options]) with a short comment saying why above each entry.
// The output is deterministic: the plan's slices are already sorted.
func (p *Plan) Manifest() []byte {
	var b strings.Builder
	b.WriteString("# Flox environment for " + commentSafe(strings.Join(strings.Fields(p.EnvName), " ")) + ", written by venv2flox from the project's files.\n")
	b.WriteString("# .flox/env/manifest.lock is created by the first `flox activate` (it pins what the catalog resolved).\n")
	b.WriteString("schema-version = " + tomlString(SchemaVersion) + "\n")

	b.WriteString("\n[install]\n")
	for i, pkg := range p.Packages {
		if i > 0 {
			b.WriteByte('\n')
		}
		writeComment(&b, pkg.Reason.Text)
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
			writeComment(&b, v.Reason.Text)
			fmt.Fprintf(&b, "%s = %s\n", tomlKey(v.Name), tomlString(v.Value))
		}
	}

	if p.Hook != "" {
		b.WriteString("\n[hook]\n")
		b.WriteString("# Creates the venv with the Flox interpreter and keeps it in sync with the\n")
		b.WriteString("# dependency files; exports VIRTUAL_ENV and PATH so `flox activate -- cmd` sees it.\n")
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
			b.WriteString("# Interactive shells only: Flox puts its own bin folders first after the hook\n")
			b.WriteString("# ran, so the venv's bin folder is put back in front.\n")
			wroteProfile = true
		}
		b.WriteString(pr.key + " = " + tomlMultiline(pr.text) + "\n")
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
