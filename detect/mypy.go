package detect

import (
	"path"
)

// mypy runs against the interpreter python_executable names, often the
// project venv's (python_executable = .venv/bin/python), to find installed
// packages. The setting is in mypy.ini, .mypy.ini, setup.cfg's [mypy] or
// pyproject.toml's [tool.mypy].

func isMypyConfig(rel string) bool {
	base := path.Base(rel)
	return base == "mypy.ini" || base == ".mypy.ini"
}

func extractMypyConfig(s *scanner, f *textFile) {
	mypyINI(s, f, parseINI(s, f), KindMypyConfig)
}

// mypyINI reads the [mypy] section of an INI file (mypy.ini, setup.cfg).
func mypyINI(s *scanner, f *textFile, ini *iniFile, kind FileKind) {
	v, ok := ini.get("mypy", "python_executable")
	if !ok || len(v.lines) == 0 {
		return
	}
	ss := newShellSession(s, f.Path, kind)
	ss.setting(v.lines[0].text, "python_executable = "+v.lines[0].text, v.lines[0].n, false)
}

// mypy reads [tool.mypy] python_executable.
func (pp *pyproject) mypy() {
	if exe, ok := pp.d.getString("tool", "mypy", "python_executable"); ok {
		ss := newShellSession(pp.s, pp.d.f.Path, KindPyproject)
		ss.setting(exe, "python_executable = "+exe, pp.d.ev("tool", "mypy", "python_executable").Line, false)
	}
}
