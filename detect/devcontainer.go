package detect

import (
	"path"
	"strings"
)

// Dev containers (.devcontainer/devcontainer.json, .devcontainer.json,
// .devcontainer/<name>/devcontainer.json) set up a contributor's machine:
// their lifecycle commands often build the venv (postCreateCommand:
// "python -m venv .venv && .venv/bin/pip install -e .[dev]"), their image
// or python feature names the Python contributors use, and their VS Code
// settings name the interpreter. Scripts beside them (.devcontainer/*.sh)
// run inside the container. The container has no Flox unless it adds it,
// so none of this is rewritten: it is read for evidence and reported.

func isDevcontainerJSON(rel string) bool {
	if rel == ".devcontainer.json" {
		return true
	}
	if path.Base(rel) != "devcontainer.json" {
		return false
	}
	dir := path.Dir(rel)
	return dir == ".devcontainer" || path.Dir(dir) == ".devcontainer"
}

func isDevcontainerScript(rel string) bool {
	return strings.HasPrefix(rel, ".devcontainer/") && isShellScript(rel)
}

// devcontainerCommands are the lifecycle properties that run commands;
// initializeCommand runs on the host, the others in the container.
var devcontainerCommands = []string{"initializeCommand", "onCreateCommand", "updateContentCommand",
	"postCreateCommand", "postStartCommand", "postAttachCommand"}

func extractDevcontainer(s *scanner, f *textFile) {
	doc, err := ParseJSONC(f.Text)
	if err != nil {
		if je, ok := err.(*JSONError); ok {
			s.problem(f.Ev(je.Line), "JSON: "+je.Msg)
		}
		return
	}
	ss := newShellSession(s, f.Path, KindDevcontainer)
	for _, key := range devcontainerCommands {
		for _, t := range devcontainerCommand(doc.Get(key)) {
			ss.analyze(t)
			if key != "initializeCommand" { // the others run in the container
				s.p.Setup.Containers = append(s.p.Setup.Containers, t.source(f.Path))
			}
		}
	}
	if img := doc.Get("image"); img != nil && img.Kind == 's' {
		if v, ok := devcontainerImagePython(img.Str); ok {
			s.addCIPython(KindDevcontainer, v, false, f.Ev(img.Line))
		}
	}
	if features := doc.Get("features"); features != nil {
		for i, id := range features.Keys {
			if !strings.Contains(id, "/features/python") {
				continue
			}
			if v := features.Fields[i].Get("version"); v != nil && v.Kind == 's' && isPythonVersion(v.Str) {
				s.addCIPython(KindDevcontainer, v.Str, false, f.Ev(v.Line))
			}
		}
	}
	settings := doc.Get("customizations").Get("vscode").Get("settings")
	if settings == nil {
		settings = doc.Get("settings") // the older top-level form
	}
	if settings != nil {
		for _, js := range settings.Strings() {
			ss.setting(js.Str, js.Key()+": "+js.Str, js.Line, InterpreterSetting(js.Key()))
		}
	}
}

// devcontainerCommand reads a lifecycle command as shell: a string runs
// in a shell, an array is one program and its arguments, an object runs
// its values in parallel.
func devcontainerCommand(v *JSONValue) []shellText {
	switch {
	case v == nil:
	case v.Kind == 's':
		return []shellText{linesFrom(v.Str, v.Line)}
	case v.Kind == 'a':
		var words []string
		for _, it := range v.Items {
			if it.Kind != 's' {
				return nil
			}
			words = append(words, shellQuoteWord(it.Str))
		}
		return []shellText{linesFrom(strings.Join(words, " "), v.Line)}
	case v.Kind == 'o':
		var out []shellText
		for _, f := range v.Fields {
			out = append(out, devcontainerCommand(f)...)
		}
		return out
	}
	return nil
}

// shellQuoteWord quotes a word for the shell parser when it needs it.
func shellQuoteWord(w string) string {
	if w != "" && !strings.ContainsAny(w, " \t\n'\"\\$`;&|<>(){}*?[]#~!") {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// devcontainerImagePython reads the Python of a dev container image:
// mcr.microsoft.com/devcontainers/python:1-3.12-bookworm is 3.12 (the
// leading "1-" is the image definition's own version).
func devcontainerImagePython(image string) (string, bool) {
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		tag := image[i+1:]
		if j := strings.IndexByte(tag, '-'); j > 0 && strings.Trim(tag[:j], "0123456789") == "" && strings.HasPrefix(tag[j+1:], "3.") {
			image = image[:i+1] + tag[j+1:]
		}
	}
	return imagePython(image)
}

func extractDevcontainerScript(s *scanner, f *textFile) {
	ss := newShellSession(s, f.Path, KindDevcontainerScript)
	ss.analyze(templateText(normalizeCRLF(f.Text), 1))
}
