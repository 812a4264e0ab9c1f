package detect

import (
	"regexp"
	"strings"
)

// A setup section has a main path and asides: the way of another tool
// ("Alternatively, with conda:", "Or, with uv:", "If you use conda, ..."),
// and notes, tips and warnings (`.. note::`, `!!! tip`). The recipe
// follows the main path; an aside's commands are not its steps.

// alternativeLeadIn matches the sentence that introduces another way:
// lower case, markup removed.
var alternativeLeadIn = regexp.MustCompile(`^(alternatively|alternative:|or\b|otherwise\b|instead\b)|\balternatively\b|` +
	`^if you (use|are using|prefer|would rather|'d rather|’d rather|would like to use|want to use|are on)\b.*\b(conda|mamba|pipenv|poetry|pdm|uv|pip|venv|virtualenv|virtualenvwrapper|pyenv|docker|windows|macos|nix|hatch|tox|nox)\b`)

// admonitions are the directives whose content is set apart from the text.
var admonitions = wordSet("note", "tip", "hint", "seealso", "warning", "caution", "attention", "danger",
	"info", "example", "question", "faq", "abstract", "aside", "sidebar", "topic")

// docAside reports whether a code block is an aside: inside an
// admonition, or introduced by a sentence that offers another way.
func docAside(lines []string, b docBlock) bool {
	return inAdmonition(lines, b) || alternativeLeadIn.MatchString(leadIn(lines, b))
}

// inAdmonition reports a block nested in a note, tip or warning: some line
// above it, less indented than everything between, opens one (`.. note::`,
// `!!! tip "Title"`, `??? note`).
func inAdmonition(lines []string, b docBlock) bool {
	i := b.first - 1
	if i < 0 || i >= len(lines) {
		return false
	}
	level := indentOf(lines[i])
	for i--; i >= 0 && level > 0; i-- {
		l := lines[i]
		if strings.TrimSpace(l) == "" || indentOf(l) >= level {
			continue
		}
		level = indentOf(l)
		if admonition(strings.TrimSpace(l)) {
			return true
		}
	}
	return false
}

// admonition reports a line that opens an admonition.
func admonition(t string) bool {
	if name, _, ok := RSTDirective(t); ok {
		return admonitions[name]
	}
	// Material for MkDocs: every `!!! type` or `??? type` is one.
	return strings.HasPrefix(t, "!!! ") || strings.HasPrefix(t, "??? ") || strings.HasPrefix(t, "???+ ")
}

// leadIn is the last sentence of the prose right above a block (the
// paragraph an RST literal block ends with `::`), lower case, without
// inline markup; "" when a heading or another block comes first.
func leadIn(lines []string, b docBlock) string {
	i := b.open - 2 // the line above the fence or directive
	if b.open >= 1 && b.open <= len(lines) {
		if t := strings.TrimSpace(lines[b.open-1]); strings.HasSuffix(t, "::") && !strings.HasPrefix(t, "..") {
			i = b.open - 1 // the paragraph that ends in `::` introduces it
		}
	}
	for i >= 0 && i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i--
	}
	var para []string
	for ; i >= 0 && i < len(lines); i-- {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") || isAdornment(t) {
			break
		}
		para = append([]string{t}, para...)
	}
	text := strings.ToLower(strings.Join(para, " "))
	text = strings.NewReplacer("**", "", "``", "", "`", "", "*", "", "_", " ").Replace(text)
	sentences := sentenceEnd.Split(strings.TrimSpace(text), -1)
	for j := len(sentences) - 1; j >= 0; j-- {
		if s := strings.TrimSpace(sentences[j]); s != "" {
			return strings.TrimLeft(s, "0123456789.) -")
		}
	}
	return ""
}

// sentenceEnd splits prose into sentences: a full stop, colon or question
// mark and a space.
var sentenceEnd = regexp.MustCompile(`[.:!?;]+(\s+|$)`)
