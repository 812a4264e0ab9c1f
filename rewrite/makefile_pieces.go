package rewrite

import (
	"strings"

	"github.com/venv2flox/venv2flox/internal/makefile"
)

// The rewriter reads Makefiles with internal/makefile, as detect and the
// call graph do; makePieces adds what only the rewriter needs.

// makePieces turns one whitespace-free make word into pieces for venv path
// matching; $(abspath X) and $(realpath X) are read as X.
func makePieces(word string, at int) []piece {
	for _, fn := range []string{"$(abspath ", "$(realpath "} {
		if strings.HasPrefix(word, fn) && strings.HasSuffix(word, ")") {
			inner := word[len(fn) : len(word)-1]
			return makePieces(inner, at+len(fn))
		}
	}
	var out []piece
	last := 0
	for _, t := range makefile.Refs(word) {
		if t.Start > last {
			out = append(out, piece{lit: word[last:t.Start], start: at + last, end: at + t.Start})
		}
		if t.Name == "$$" {
			out = append(out, piece{lit: "$", start: at + t.Start, end: at + t.End})
		} else {
			out = append(out, piece{exp: t.Name, start: at + t.Start, end: at + t.End})
		}
		last = t.End
	}
	if last < len(word) {
		out = append(out, piece{lit: word[last:], start: at + last, end: at + len(word)})
	}
	return out
}
