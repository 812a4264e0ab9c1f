package rewrite

import (
	"bytes"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// IgnoreFile adds `.flox/cache` to a .dockerignore (or a deploy tool's
// ignore file) that excludes a venv: the Flox venv lives there now, inside
// the build context, and `COPY . /app` would otherwise ship it, a tree of
// links into /nix/store, in the image. The line goes once, right after the
// first venv line, written like it (`/.venv/` gives `/.flox/cache/`).
//
// Only ignore files at the project root are edited: one in a subfolder
// serves a build context that may not hold .flox, and is reported.
func IgnoreFile(ctx *Context, p string, src []byte) (Result, error) {
	res := Result{New: src}
	if !strings.HasPrefix(ctx.venvFolder(), ".flox/") {
		return res, nil // --venv-dir: the venv stays where the file excludes it
	}
	lines := bytes.Split(src, []byte("\n"))
	first := -1
	for i, l := range lines {
		line := string(bytes.TrimSuffix(l, []byte("\r")))
		switch pat := detect.IgnorePattern(line); {
		case pat == ".flox" || pat == ".flox/cache" || pat == "*":
			return res, nil // already excluded
		case first < 0:
			if _, ok := detect.IgnoredVenv(line); ok {
				first = i
			}
		}
	}
	if first < 0 {
		return res, nil
	}
	if strings.Contains(p, "/") {
		if shippedTemplate(p) {
			return res, nil // a project template or example the package gives its users
		}
		res.FollowUps = append(res.FollowUps, FollowUp{Evidence: detect.Evidence{Path: p, Line: first + 1},
			Message:    "excludes the old venv, but not .flox/cache, where the Flox venv now lives",
			Suggestion: "If this file's build context holds the project folder, add its .flox/cache path here."})
		return res, nil
	}
	venvLine := strings.TrimSpace(string(bytes.TrimSuffix(lines[first], []byte("\r"))))
	entry := ignoreLineLike(venvLine, ".flox/cache")
	// The new line goes after the venv line, with the file's line ending.
	at := 0
	for i := 0; i <= first; i++ {
		at += len(lines[i]) + 1
	}
	nl := newline(src)
	text := entry + nl
	if at > len(src) {
		// The venv line is the last one and has no line ending.
		at, text = len(src), nl+entry
	}
	out, err := applyEdits(src, []Edit{{Start: at, End: at, Text: text}})
	if err != nil {
		return res, err
	}
	res.New = out
	return res, nil
}

// ignoreLineLike writes folder as an ignore pattern with the anchors and
// folder mark of line ("/.venv/" and ".flox/cache" give "/.flox/cache/").
func ignoreLineLike(line, folder string) string {
	lead := ""
	for _, pre := range []string{"**/", "/"} {
		if strings.HasPrefix(line, pre) {
			lead = pre
			break
		}
	}
	trail := ""
	if strings.HasSuffix(line, "/") || strings.HasSuffix(line, "/**") {
		trail = line[strings.LastIndex(line, "/"):]
	}
	return lead + folder + trail
}

// shippedTemplate reports a file under an example or template folder
// (examples/, project_template/): it serves the users' own projects, which
// have no .flox of this checkout.
func shippedTemplate(p string) bool {
	for _, d := range strings.Split(p, "/")[:strings.Count(p, "/")] {
		l := strings.ToLower(d)
		if detect.IsExampleDir(l) || strings.HasSuffix(l, "template") || strings.HasSuffix(l, "templates") {
			return true
		}
	}
	return false
}
