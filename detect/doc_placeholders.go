package detect

import "strings"

// Documentation writes the parts a reader fills in as <placeholders>:
// `git clone <repo-url>`, `createuser <username>`. The shell parser reads
// `<` as a redirection and fails on the block, so placeholders become
// same-length words before parsing.

// MaskDocPlaceholders replaces the <placeholders> in a documentation
// snippet with words of the same length; unmask restores them in text
// taken from the masked snippet.
func MaskDocPlaceholders(text string) (masked string, unmask func(string) string) {
	ph := &placeholders{}
	masked = maskDocPlaceholders(text, ph)
	r := ph.replacer()
	if r == nil {
		return text, func(s string) string { return s }
	}
	return masked, r.Replace
}

func maskDocPlaceholders(src string, ph *placeholders) string {
	if !strings.Contains(src, "<") {
		return src
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(src); i++ {
		if src[i] != '<' {
			continue
		}
		end := docPlaceholderEnd(src, i)
		if end < 0 {
			continue
		}
		id := ph.put(src[i:end])
		if len(id) != end-i {
			continue // too short to hold a placeholder: leave it
		}
		b.WriteString(src[last:i])
		b.WriteString(id)
		last, i = end, end-1
	}
	b.WriteString(src[last:])
	return b.String()
}

// docPlaceholderEnd returns the end of the <placeholder> that starts at
// src[i], or -1 when the `<` is shell syntax: a here-document or process
// substitution, `< file`, `<file >out`.
func docPlaceholderEnd(src string, i int) int {
	if i > 0 && (src[i-1] == '<' || src[i-1] == '$') || i+1 >= len(src) || !isASCIILetter(src[i+1]) {
		return -1
	}
	for j := i + 2; j < len(src) && j-i <= 64; j++ {
		switch src[j] {
		case '>':
			if src[j-1] == ' ' || j+1 < len(src) && strings.IndexByte(">&(", src[j+1]) >= 0 {
				return -1
			}
			return j + 1
		case '<', '\n', '|', ';', '&', '`', '$', '(', ')', '"', '\'':
			return -1
		}
	}
	return -1
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
