package rewrite

import (
	"bytes"
	"fmt"
	"sort"
)

// Edit replaces src[Start:End] with Text. Rewriters collect edits over the
// original bytes and apply them once, so everything outside an edit stays
// byte-identical.
type Edit struct {
	Start, End int
	Text       string
}

// applyEdits applies non-overlapping edits to src. Overlapping edits are a
// rewriter bug and are reported, not silently merged.
func applyEdits(src []byte, edits []Edit) ([]byte, error) {
	if len(edits) == 0 {
		return src, nil
	}
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	var out bytes.Buffer
	out.Grow(len(src))
	last := 0
	for _, e := range sorted {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("internal error: overlapping or invalid edit [%d,%d) after %d", e.Start, e.End, last)
		}
		out.Write(src[last:e.Start])
		out.WriteString(e.Text)
		last = e.End
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// newline returns the line terminator a file uses: "\r\n" when its first
// line ends so, else "\n". New lines a rewriter inserts use it.
func newline(src []byte) string {
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// withNewline converts a text written with "\n" to the file's terminator.
func withNewline(text, nl string) string {
	if nl == "\n" {
		return text
	}
	return string(bytes.ReplaceAll([]byte(text), []byte("\n"), []byte(nl)))
}

// lineStarts returns the byte offset of each line's start (index 0 = line 1).
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' && i+1 < len(src) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineAt returns the 1-based line holding byte offset off.
func lineAt(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
}
