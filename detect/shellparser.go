package detect

import (
	"io"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// shellParsers reuses shell parsers: each holds 2 KiB of buffers, and one
// migration parses hundreds of snippets (every Makefile recipe line, every
// CI step), so fresh parsers were a good share of a run's memory.
var shellParsers = sync.Pool{New: func() any { return syntax.NewParser() }}

// getShellParser returns a pooled parser set up for lang; give it back with
// shellParsers.Put. Every option is set each time so none leaks between uses.
func getShellParser(lang syntax.LangVariant, keepComments bool) *syntax.Parser {
	p := shellParsers.Get().(*syntax.Parser)
	syntax.Variant(lang)(p)
	syntax.KeepComments(keepComments)(p)
	return p
}

// ParseShell parses a whole shell program with a pooled parser.
func ParseShell(r io.Reader, name string, lang syntax.LangVariant, keepComments bool) (*syntax.File, error) {
	p := getShellParser(lang, keepComments)
	defer shellParsers.Put(p)
	return p.Parse(r, name)
}
