package rewrite

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// hintsInWord rewrites "source .venv/bin/activate" inside echoed text.
func (u *unit) hintsInWord(w *syntax.Word) {
	ps, ok := u.flatten(w)
	if !ok {
		return
	}
	hint := u.opts.Hint
	if hint == "" {
		hint = "flox activate"
	}
	for _, sp := range u.activationPhrases(ps) {
		u.edits = append(u.edits, Edit{Start: sp[0], End: sp[1], Text: hint})
	}
}

// hintChar is one character of flattened text, or a whole expansion.
type hintChar struct {
	c     byte
	exp   string
	start int
	end   int
}

// activationPhrases finds "source <venv>/bin/activate" and
// ". <venv>/bin/activate" in text, returning parsed-text spans.
func (u *unit) activationPhrases(ps []piece) [][2]int {
	var chars []hintChar
	for _, p := range ps {
		if p.exp != "" {
			chars = append(chars, hintChar{exp: p.exp, start: p.start, end: p.end})
			continue
		}
		for i := 0; i < len(p.lit); i++ {
			chars = append(chars, hintChar{c: p.lit[i], start: p.start + i, end: p.start + i + 1})
		}
	}
	// Split into whitespace-separated words.
	type word struct{ from, to int } // indexes into chars
	var words []word
	for i := 0; i < len(chars); {
		if chars[i].exp == "" && isSpace(chars[i].c) {
			i++
			continue
		}
		j := i
		for j < len(chars) && !(chars[j].exp == "" && isSpace(chars[j].c)) {
			j++
		}
		words = append(words, word{i, j})
		i = j
	}
	var spans [][2]int
	for k := 0; k+1 < len(words); k++ {
		w := words[k]
		from := w.from
		for from < w.to && chars[from].exp == "" && strings.IndexByte("`\"'(", chars[from].c) >= 0 {
			from++
		}
		verb := litText(chars[from:w.to])
		if verb != "source" && verb != "." {
			continue
		}
		arg := words[k+1]
		to := arg.to
		for to > arg.from && chars[to-1].exp == "" && strings.IndexByte("`\"').,;:", chars[to-1].c) >= 0 {
			to--
		}
		var aps []piece
		for _, ch := range chars[arg.from:to] {
			if ch.exp != "" {
				aps = append(aps, piece{exp: ch.exp, start: ch.start, end: ch.end})
			} else if n := len(aps); n > 0 && aps[n-1].exp == "" {
				aps[n-1].lit += string(ch.c)
				aps[n-1].end = ch.end
			} else {
				aps = append(aps, piece{lit: string(ch.c), start: ch.start, end: ch.end})
			}
		}
		if ref, ok := u.venvPath(aps); ok && !ref.outside && ref.isActivate() && to > arg.from {
			spans = append(spans, [2]int{chars[from].start, chars[to-1].end})
			k++
		}
	}
	return spans
}

func litText(chars []hintChar) string {
	var b strings.Builder
	for _, c := range chars {
		if c.exp != "" {
			return ""
		}
		b.WriteByte(c.c)
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// activationSpans finds "source .venv/bin/activate" phrases in free text
// (README prose, inline code), as byte spans of text.
func activationSpans(ctx *Context, text string) [][2]int {
	u := &unit{ctx: ctx, vars: map[string]venvVar{}}
	return u.activationPhrases([]piece{{lit: text, start: 0, end: len(text)}})
}
