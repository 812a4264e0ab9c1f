package rewrite

import (
	"github.com/venv2flox/venv2flox/detect"
)

// VSCode points the interpreter and tool paths of .vscode/settings.json,
// launch.json, tasks.json and *.code-workspace files at the Flox venv
// ("${workspaceFolder}/.venv/bin/python" becomes
// "${workspaceFolder}/.flox/cache/venv/bin/python"), so the editor, its
// debugger and its linters use the interpreter `flox activate` keeps. The
// files are JSON with comments: only the path strings change.
func VSCode(ctx *Context, p string, src []byte) (Result, error) {
	res := Result{New: src}
	doc, err := detect.ParseJSONC(string(src))
	if err != nil {
		return res, nil // detect has reported the syntax error
	}
	var edits []Edit
	if !ctx.KeepVenv {
		for _, js := range doc.Strings() {
			moved, how := moveVenvPath(ctx, js.Str, detect.InterpreterSetting(js.Key()))
			// A string written with escapes is left for the report.
			if how == moveDone && string(src[js.Start:js.End]) == jsonQuote(js.Str) {
				edits = append(edits, Edit{Start: js.Start, End: js.End, Text: jsonQuote(moved)})
			}
		}
	}
	out, err := applyEdits(src, edits)
	if err != nil {
		return res, err
	}
	res.New = out
	res.FollowUps = leftoverFollowUps(ctx, p, out, "editor setting not rewritten, it still uses the old venv",
		"Point it at "+ctx.venvFolder()+", the venv `flox activate` keeps, or run the command through `flox activate --`.")
	return res, nil
}
