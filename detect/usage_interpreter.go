package detect

import (
	"strings"
)

// CI systems, Dockerfiles and test runners name Python versions in many
// spellings; these helpers turn them into InterpreterRequests.

// addCIPython records an interpreter request of a CI file, Dockerfile or
// test runner. spec is a version as written there ("3.12", "3.13t",
// "pypy3.10", "pypy-3.9", "3.x"); it is read by ParsePythonRequest, and a
// spelling that is not a single version ("3.x" = the newest 3) is skipped
// quietly: CI matrices are allowed to be loose.
func (s *scanner) addCIPython(source FileKind, spec string, matrix bool, ev Evidence) {
	spec = strings.TrimSpace(spec)
	spec = strings.TrimSuffix(spec, ".x")
	r, ok := ParsePythonRequest(spec)
	if !ok {
		return
	}
	r.Source, r.Matrix, r.Evidence = source, matrix, ev
	s.p.Interpreters = append(s.p.Interpreters, r)
}

// isPythonVersion reports whether v looks like a Python version that can be
// requested: "3", "3.12", "3.12.4", "3.13t", "pypy3.10", "pypy-3.9",
// "3.14.0-alpha.1", "3.x".
func isPythonVersion(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	for _, p := range []string{"pypy-", "pypy", "graalpy-", "graalpy", "cpython-"} {
		if strings.HasPrefix(v, p) {
			v = v[len(p):]
			break
		}
	}
	if v == "" || v[0] < '2' || v[0] > '3' {
		return false
	}
	if len(v) > 1 && v[1] != '.' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'x' || c == 't' || c == '-' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// imagePython reads the Python version out of a container image name:
// python:3.12-slim -> 3.12, docker.io/library/python:3.11.4-bookworm ->
// 3.11.4, cimg/python:3.11 -> 3.11, pypy:3.10 -> pypy3.10,
// ghcr.io/astral-sh/uv:python3.12-bookworm-slim -> 3.12.
func imagePython(image string) (string, bool) {
	image = strings.TrimSpace(image)
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	repo, tag := image, ""
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		repo, tag = image[:i], image[i+1:]
	}
	name := strings.ToLower(repo[strings.LastIndexByte(repo, '/')+1:])
	tag = strings.ToLower(tag)
	switch {
	case name == "python" || name == "pypy":
		v := leadingVersion(tag)
		if v == "" {
			return "", false
		}
		if name == "pypy" {
			v = "pypy" + v
		}
		return v, true
	case strings.Contains(tag, "python"):
		// uv:python3.12-bookworm, python-nodejs:python3.11-nodejs20
		i := strings.Index(tag, "python")
		if v := leadingVersion(strings.TrimPrefix(tag[i+len("python"):], "-")); strings.Contains(v, ".") {
			return v, true
		}
	}
	return "", false
}

// leadingVersion returns the dotted digits that start s ("3.12" of
// "3.12-slim"), without a trailing dot.
func leadingVersion(s string) string {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	v := strings.TrimRight(s[:i], ".")
	if v == "" || v[0] < '2' || v[0] > '3' {
		return ""
	}
	if i < len(s) && s[i] == 't' && (i+1 == len(s) || s[i+1] == '-') {
		v += "t" // free-threaded: python:3.13t-slim
	}
	return v
}

// toxFactorPython reads a tox environment factor as a Python version:
// py39 -> 3.9, py310 -> 3.10, py3.11 -> 3.11, py313t -> 3.13t,
// pypy3 -> pypy3, pypy310 -> pypy3.10.
func toxFactorPython(f string) (string, bool) {
	prefix := ""
	rest, ok := strings.CutPrefix(f, "pypy")
	if ok {
		prefix = "pypy"
	} else if rest, ok = strings.CutPrefix(f, "py"); !ok {
		return "", false
	}
	thread := ""
	if strings.HasSuffix(rest, "t") {
		rest, thread = rest[:len(rest)-1], "t"
	}
	if rest == "" {
		if prefix == "pypy" {
			return "pypy", true
		}
		return "", false
	}
	for i := 0; i < len(rest); i++ {
		if !(rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			return "", false
		}
	}
	if rest[0] != '2' && rest[0] != '3' {
		return "", false
	}
	if !strings.Contains(rest, ".") && len(rest) > 1 {
		rest = rest[:1] + "." + rest[1:]
	}
	return prefix + rest + thread, true
}
