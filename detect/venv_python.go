package detect

import (
	"path"
	"strings"
)

// A venv made by a named interpreter (`python3.11 -m venv .venv`,
// `virtualenv -p python3.8 venv`, `uv venv --python 3.12`) says which Python
// the project runs on: an interpreter request of the file that makes it.

// venvPython records the interpreter a venv creation names, when it names
// a version.
func (ss *shellSession) venvPython(spec string, line int) {
	if v, ok := pythonVersionIn(spec); ok {
		ss.s.addCIPython(ss.kind, v, false, Evidence{Path: ss.path, Line: line})
	}
}

// pythonVersionIn reads the version out of an interpreter named on a
// command line: "python3.11", "/usr/local/bin/python3.7", "3.12",
// "cpython@3.12", "py3.10"; "python3" and "python" name none.
func pythonVersionIn(word string) (string, bool) {
	w := strings.ToLower(path.Base(strings.Trim(word, `"'`)))
	w = strings.TrimSuffix(w, ".exe")
	for _, p := range []string{"cpython@", "cpython-", "python", "py"} {
		if rest, ok := strings.CutPrefix(w, p); ok {
			w = rest
			break
		}
	}
	major, minor, ok := strings.Cut(w, ".")
	if !ok || major != "3" || minor == "" {
		return "", false
	}
	for _, c := range minor {
		if (c < '0' || c > '9') && c != '.' {
			return "", false
		}
	}
	return w, true
}

// optionValue returns the value of the first of names in argv: `-p X`,
// `--python X`, `--python=X` or `-pX` for a one-letter option.
func optionValue(argv []string, names ...string) string {
	for i, a := range argv {
		for _, n := range names {
			switch {
			case a == n && i+1 < len(argv):
				return argv[i+1]
			case strings.HasPrefix(a, n+"=") && strings.HasPrefix(n, "--"):
				return a[len(n)+1:]
			case len(n) == 2 && len(a) > 2 && strings.HasPrefix(a, n) && !strings.HasPrefix(a, "--"):
				return a[2:]
			}
		}
	}
	return ""
}
