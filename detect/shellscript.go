package detect

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// extractShellScript reads a shell script (*.sh, *.bash, *.zsh, or an
// extension-less script with a shell shebang).
func extractShellScript(s *scanner, f *textFile) {
	ss := newShellSession(s, f.Path, KindShell)
	if path.Ext(f.Path) == ".zsh" || isZshShebang(f.Text) {
		ss.lang = syntax.LangZsh
	}
	ss.analyze(templateText(normalizeCRLF(f.Text), 1))
}

// jinjaDelims are the template expressions of Jinja and cookiecutter
// templates, masked so that templated scripts still parse.
var jinjaDelims = [][2]string{{"${{", "}}"}, {"{{", "}}"}, {"{%", "%}"}}

// templateText is linesFrom for text that may hold template expressions:
// they become same-length placeholders, restored in reports.
func templateText(src string, first int) shellText {
	if !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
		return linesFrom(src, first)
	}
	ph := &placeholders{}
	t := linesFrom(maskTemplates(src, ph, jinjaDelims...), first)
	t.restore = ph.replacer()
	return t
}

// docText is templateText for a documentation code block, whose
// <placeholders> are masked too.
func docText(src string, first int) shellText {
	if !strings.Contains(src, "<") {
		return templateText(src, first)
	}
	ph := &placeholders{}
	t := linesFrom(maskTemplates(maskDocPlaceholders(src, ph), ph, jinjaDelims...), first)
	t.restore = ph.replacer()
	return t
}

func isZshShebang(text string) bool {
	line, _, _ := strings.Cut(text, "\n")
	return strings.HasPrefix(line, "#!") && strings.Contains(line, "zsh")
}

// normalizeCRLF turns CRLF line ends into " \n" (same length, so offsets
// hold) and keeps backslash continuations working.
func normalizeCRLF(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\\\r\n", " \\\n")
	s = strings.ReplaceAll(s, "\r\n", " \n")
	return strings.ReplaceAll(s, "\r", " ")
}
