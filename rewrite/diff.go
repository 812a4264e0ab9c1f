package rewrite

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// FileChange is one file's old and new content. Old is nil for a file the
// migration creates.
type FileChange struct {
	// Path is slash-separated and relative to the folder the diff is applied
	// from (the scanned root).
	Path string
	Old  []byte
	New  []byte
	// Mode is the file's permission bits (kept on rewrite, used for created files).
	Mode    fs.FileMode
	Created bool
	// Backup marks a copy kept for the user (a replaced manifest): it is
	// written and shown, but never committed.
	Backup bool
}

// Changed reports whether the change does anything.
func (c FileChange) Changed() bool { return c.Created || !bytes.Equal(c.Old, c.New) }

// contextLines is how many unchanged lines surround each hunk, as git does.
const contextLines = 3

// UnifiedDiff renders changes as one git-style patch, ordered by path, that
// `git apply` accepts from the root the paths are relative to.
func UnifiedDiff(changes []FileChange) []byte {
	sorted := append([]FileChange(nil), changes...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	var b bytes.Buffer
	for _, c := range sorted {
		if c.Changed() {
			writeFileDiff(&b, c)
		}
	}
	return b.Bytes()
}

func writeFileDiff(b *bytes.Buffer, c FileChange) {
	a, bb := quotePath("a/"+c.Path), quotePath("b/"+c.Path)
	fmt.Fprintf(b, "diff --git %s %s\n", a, bb)
	if c.Created {
		fmt.Fprintf(b, "new file mode %s\n", gitMode(c.Mode))
		b.WriteString("--- /dev/null\n")
	} else {
		fmt.Fprintf(b, "--- %s\n", a)
	}
	fmt.Fprintf(b, "+++ %s\n", bb)
	oldLines, newLines := splitLines(c.Old), splitLines(c.New)
	for _, h := range hunks(diffLines(oldLines, newLines)) {
		h.write(b)
	}
}

// gitMode is the mode git records: 100755 when any execute bit is set.
func gitMode(m fs.FileMode) string {
	if m&0o111 != 0 {
		return "100755"
	}
	return "100644"
}

// quotePath quotes a path the way git does when it holds a double quote,
// backslash, control character or non-ASCII byte.
func quotePath(p string) string {
	needs := false
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			needs = true
			break
		}
	}
	if !needs {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c >= 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// splitLines splits text into lines that keep their terminators; the last
// line lacks one when the text does not end in a newline.
func splitLines(text []byte) []string {
	if len(text) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(text), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

type lineOp struct {
	kind byte // ' ', '-', '+'
	text string
}

// diffLines computes a line-level edit script with diff-match-patch's line
// mode (each distinct line becomes one rune, so the diff is over lines).
func diffLines(a, b []string) []lineOp {
	// Lines shared at both ends are context whatever the diff finds (go-diff
	// trims them first too); leaving them out keeps the line index small
	// when a long file changes in a few places.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ops := make([]lineOp, 0, len(a)+len(b)-pre-suf)
	for _, l := range a[:pre] {
		ops = append(ops, lineOp{' ', l})
	}
	index := make(map[string]rune, len(a)-pre-suf)
	var lines []string
	encode := func(ls []string) []rune {
		rs := make([]rune, len(ls))
		for i, l := range ls {
			r, ok := index[l]
			if !ok {
				// Runes from the supplementary planes avoid surrogates and
				// leave room for a million distinct lines.
				r = rune(0x10000 + len(lines))
				index[l] = r
				lines = append(lines, l)
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb := encode(a[pre:len(a)-suf]), encode(b[pre:len(b)-suf])
	for _, d := range diffmatchpatch.New().DiffMainRunes(ra, rb, false) {
		kind := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			kind = '-'
		case diffmatchpatch.DiffInsert:
			kind = '+'
		}
		for _, r := range d.Text {
			ops = append(ops, lineOp{kind, lines[r-0x10000]})
		}
	}
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, lineOp{' ', l})
	}
	return ops
}

type hunk struct {
	oldStart, oldLen, newStart, newLen int
	ops                                []lineOp
}

// hunks groups an edit script into hunks with contextLines of context,
// merging changes whose contexts touch.
func hunks(ops []lineOp) []hunk {
	var out []hunk
	oldLine, newLine := 1, 1
	i := 0
	for i < len(ops) {
		// Find the next change.
		j := i
		for j < len(ops) && ops[j].kind == ' ' {
			j++
		}
		if j == len(ops) {
			break
		}
		start := max(i, j-contextLines)
		// Advance line counters over the skipped equal lines.
		oldLine += start - i
		newLine += start - i
		h := hunk{oldStart: oldLine, newStart: newLine}
		k := start
		for k < len(ops) {
			if ops[k].kind == ' ' {
				// Count the run of equal lines; end the hunk if it is long.
				run := k
				for run < len(ops) && ops[run].kind == ' ' {
					run++
				}
				if run == len(ops) || run-k > 2*contextLines {
					end := min(run, k+contextLines)
					h.add(ops[k:end])
					k = end
					break
				}
				h.add(ops[k:run])
				k = run
				continue
			}
			h.add(ops[k : k+1])
			k++
		}
		out = append(out, h)
		oldLine = h.oldStart + h.oldLen
		newLine = h.newStart + h.newLen
		i = k
	}
	return out
}

func (h *hunk) add(ops []lineOp) {
	for _, op := range ops {
		h.ops = append(h.ops, op)
		if op.kind != '+' {
			h.oldLen++
		}
		if op.kind != '-' {
			h.newLen++
		}
	}
}

func (h hunk) write(b *bytes.Buffer) {
	// An empty side starts at the line before the change, as in git.
	oldStart, newStart := h.oldStart, h.newStart
	if h.oldLen == 0 {
		oldStart--
	}
	if h.newLen == 0 {
		newStart--
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(oldStart, h.oldLen), hunkRange(newStart, h.newLen))
	for _, op := range h.ops {
		b.WriteByte(op.kind)
		b.WriteString(op.text)
		if !strings.HasSuffix(op.text, "\n") {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

func hunkRange(start, n int) string {
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// Replacement is one contiguous change between two versions of a file: old
// lines [Start, End) (1-based; Start == End for a pure insertion before
// Start) are replaced by Text.
type Replacement struct {
	Start, End int
	Text       string
}

// Replacements lists the changes from old to new without context lines, for
// review tools that post line suggestions.
func Replacements(old, new []byte) []Replacement {
	var out []Replacement
	line := 1
	ops := diffLines(splitLines(old), splitLines(new))
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			line++
			i++
			continue
		}
		r := Replacement{Start: line, End: line}
		var text strings.Builder
		for ; i < len(ops) && ops[i].kind != ' '; i++ {
			if ops[i].kind == '-' {
				r.End++
				line++
			} else {
				text.WriteString(ops[i].text)
			}
		}
		r.Text = text.String()
		out = append(out, r)
	}
	return out
}

// LineOrigin says where a line of a changed file comes from: Kept when
// the old file had it unchanged at line Old, otherwise written by the
// change in place of old line Old (for a pure insertion, the line it was
// inserted before).
type LineOrigin struct {
	Old  int
	Kept bool
}

// LineOrigins gives the origin of each line of new (index i is line i+1),
// by the same line diff the patches show.
func LineOrigins(old, new []byte) []LineOrigin {
	var out []LineOrigin
	line, replaced := 1, 0 // replaced: the first old line of the change under way
	for _, op := range diffLines(splitLines(old), splitLines(new)) {
		if op.kind == ' ' {
			out = append(out, LineOrigin{Old: line, Kept: true})
			line, replaced = line+1, 0
			continue
		}
		if replaced == 0 {
			replaced = line
		}
		if op.kind == '-' {
			line++
		} else {
			out = append(out, LineOrigin{Old: replaced})
		}
	}
	return out
}
