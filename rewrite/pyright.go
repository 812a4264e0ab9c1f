package rewrite

import (
	"path"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// PyrightConfig points pyrightconfig.json's venvPath and venv at the Flox
// venv (".flox/cache" and "venv"), so pyright and the editors running it
// find the packages `flox activate` installs. The file is JSON with
// comments: only the two strings change.
func PyrightConfig(ctx *Context, p string, src []byte) (Result, error) {
	res := Result{New: src}
	doc, err := detect.ParseJSONC(string(src))
	if err != nil || ctx.KeepVenv {
		return res, nil
	}
	venv, venvPath := doc.Get("venv"), doc.Get("venvPath")
	if venv == nil || venv.Kind != 's' || venvPath != nil && venvPath.Kind != 's' {
		return res, nil
	}
	oldPath := ""
	if venvPath != nil {
		oldPath = venvPath.Str
	}
	newPath, newVenv, how := movePyrightVenv(ctx, oldPath, venv.Str)
	switch {
	case how != moveDone:
		return res, nil
	case venvPath == nil && newPath != ".":
		res.FollowUps = append(res.FollowUps, FollowUp{Evidence: detect.Evidence{Path: p, Line: venv.Line},
			Message:    "pyright's venv names the old venv and venvPath is not set",
			Suggestion: `Set "venvPath": "` + newPath + `" and "venv": "` + newVenv + `", the venv flox activate keeps.`})
		return res, nil
	}
	edits := []Edit{{Start: venv.Start, End: venv.End, Text: jsonQuote(newVenv)}}
	if venvPath != nil {
		edits = append(edits, Edit{Start: venvPath.Start, End: venvPath.End, Text: jsonQuote(newPath)})
	}
	out, err := applyEdits(src, edits)
	if err != nil {
		return res, err
	}
	res.New = out
	return res, nil
}

// movePyrightVenv returns pyright's venvPath and venv for the Flox venv
// when the old settings named one of the project's old venvs.
func movePyrightVenv(ctx *Context, venvPath, venv string) (string, string, venvMove) {
	dir, ok := detect.PyrightVenv(venvPath, venv)
	if !ok {
		return "", "", moveNone
	}
	moved, how := moveVenvPath(ctx, dir, true)
	if how != moveDone {
		return "", "", how
	}
	return path.Dir(moved), path.Base(moved), moveDone
}

// jsonQuote writes a plain path as a JSON string.
func jsonQuote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
