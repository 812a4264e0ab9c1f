package rewrite

import (
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// Pyproject points the type-checker settings of pyproject.toml that name
// the old venv at the Flox venv: [tool.pyright] (and [tool.basedpyright])
// venvPath and venv, [tool.mypy] python_executable. Nothing else in the
// file is touched.
func Pyproject(ctx *Context, p string, src []byte) (Result, error) {
	res := Result{New: src}
	if ctx.KeepVenv || !strings.Contains(string(src), "venv") {
		return res, nil
	}
	strs := tomlStrings(src)
	byKey := map[string]tomlString{}
	for _, s := range strs {
		byKey[s.key] = s
	}
	var edits []Edit
	for _, tool := range []string{"tool.pyright", "tool.basedpyright"} {
		venv, ok := byKey[tool+".venv"]
		if !ok {
			continue
		}
		venvPath, hasPath := byKey[tool+".venvPath"]
		newPath, newVenv, how := movePyrightVenv(ctx, venvPath.value, venv.value)
		switch {
		case how != moveDone:
			continue
		case !hasPath && newPath != ".":
			res.FollowUps = append(res.FollowUps, FollowUp{Evidence: detect.Evidence{Path: p, Line: lineOfOffset(src, venv.start)},
				Message:    "[" + tool + "] venv names the old venv and venvPath is not set",
				Suggestion: `Set venvPath = "` + newPath + `" and venv = "` + newVenv + `", the venv flox activate keeps.`})
			continue
		}
		edits = append(edits, Edit{Start: venv.start, End: venv.end, Text: tomlRequote(string(src[venv.start:venv.end]), newVenv)})
		if hasPath {
			edits = append(edits, Edit{Start: venvPath.start, End: venvPath.end, Text: tomlRequote(string(src[venvPath.start:venvPath.end]), newPath)})
		}
	}
	if exe, ok := byKey["tool.mypy.python_executable"]; ok {
		if moved, how := moveVenvPath(ctx, exe.value, false); how == moveDone {
			edits = append(edits, Edit{Start: exe.start, End: exe.end, Text: tomlRequote(string(src[exe.start:exe.end]), moved)})
		}
	}
	out, err := applyEdits(src, edits)
	if err != nil {
		return res, err
	}
	res.New = out
	return res, nil
}

// lineOfOffset returns the 1-based line of a byte offset.
func lineOfOffset(src []byte, off int) int {
	return strings.Count(string(src[:min(off, len(src))]), "\n") + 1
}
