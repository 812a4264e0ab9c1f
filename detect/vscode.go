package detect

import (
	"path"
	"strings"
)

// VS Code reads the interpreter from .vscode/settings.json
// (python.defaultInterpreterPath, the older python.pythonPath, tool paths
// such as ruff.path), launch configurations from .vscode/launch.json
// ("python": ".venv/bin/python") and tasks from .vscode/tasks.json; a
// *.code-workspace file holds the same under "settings", "launch" and
// "tasks". All are JSON with comments.

func isVSCodeFile(rel string) bool {
	if strings.HasSuffix(rel, ".code-workspace") {
		return true
	}
	if path.Base(path.Dir(rel)) != ".vscode" {
		return false
	}
	switch path.Base(rel) {
	case "settings.json", "launch.json", "tasks.json":
		return true
	}
	return false
}

// InterpreterSetting reports the settings whose value is an interpreter or
// a venv folder, where a bare folder (".venv") counts as the venv.
func InterpreterSetting(key string) bool {
	switch key {
	case "python.defaultInterpreterPath", "python.pythonPath", "python", "pythonPath", "python.venvPath":
		return true
	}
	return false
}

func extractVSCode(s *scanner, f *textFile) {
	doc, err := ParseJSONC(f.Text)
	if err != nil {
		if je, ok := err.(*JSONError); ok {
			s.problem(f.Ev(je.Line), "JSON: "+je.Msg)
		}
		return
	}
	ss := newShellSession(s, f.Path, KindVSCode)
	ss.quietErrors = true
	for _, js := range doc.Strings() {
		key := js.Key()
		if ss.setting(js.Str, key+": "+js.Str, js.Line, InterpreterSetting(key)) {
			continue
		}
		// A task's shell command line ("command": ". .venv/bin/activate && pytest").
		if key == "command" && strings.ContainsAny(js.Str, " ;&|") {
			ss.analyze(linesFrom(js.Str, js.Line))
		}
	}
}
