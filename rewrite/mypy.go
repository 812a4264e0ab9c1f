package rewrite

import (
	"bytes"
	"strings"
)

// MypyConfig points python_executable in the [mypy] section of mypy.ini,
// .mypy.ini or setup.cfg at the Flox venv's interpreter, so mypy finds the
// packages `flox activate` installs. Only the value's text changes.
func MypyConfig(ctx *Context, p string, src []byte) (Result, error) {
	res := Result{New: src}
	if ctx.KeepVenv || !bytes.Contains(src, []byte("python_executable")) {
		return res, nil
	}
	section := ""
	off := 0
	var edits []Edit
	for _, line := range bytes.SplitAfter(src, []byte("\n")) {
		start := off
		off += len(line)
		text := strings.TrimRight(string(line), "\r\n")
		trimmed := strings.TrimSpace(text)
		switch {
		case strings.HasPrefix(trimmed, "[") && strings.Contains(trimmed, "]"):
			section = strings.TrimSpace(trimmed[1:strings.IndexByte(trimmed, ']')])
			continue
		case section != "mypy" || text == "" || text[0] == ' ' || text[0] == '\t':
			continue
		}
		sep := strings.IndexAny(text, "=:")
		if sep < 0 || strings.ReplaceAll(strings.ToLower(strings.TrimSpace(text[:sep])), "-", "_") != "python_executable" {
			continue
		}
		value := strings.TrimSpace(text[sep+1:])
		moved, how := moveVenvPath(ctx, value, false)
		if how != moveDone {
			continue
		}
		at := start + sep + 1 + strings.Index(text[sep+1:], value)
		edits = append(edits, Edit{Start: at, End: at + len(value), Text: moved})
	}
	out, err := applyEdits(src, edits)
	if err != nil {
		return res, err
	}
	res.New = out
	return res, nil
}
