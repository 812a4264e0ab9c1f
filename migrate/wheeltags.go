package migrate

import (
	"strconv"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// A lock file lists every wheel of a locked release, so the file names say
// whether the chosen Python gets a binary or builds the release from
// source, and whether the release has compiled code at all. A wheel's name
// is {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl, each tag
// possibly a dot-separated set (PEP 427, PEP 425).

// wheelTags are the tag sets of one wheel file name.
type wheelTags struct {
	python, abi, platform []string
}

// parseWheel reads a wheel file name's tags; ok is false for other names.
func parseWheel(file string) (wheelTags, bool) {
	stem, ok := strings.CutSuffix(strings.ToLower(file), ".whl")
	if !ok {
		return wheelTags{}, false
	}
	parts := strings.Split(stem, "-")
	if len(parts) < 5 {
		return wheelTags{}, false
	}
	n := len(parts)
	return wheelTags{
		python:   strings.Split(parts[n-3], "."),
		abi:      strings.Split(parts[n-2], "."),
		platform: strings.Split(parts[n-1], "."),
	}, true
}

// compiled reports a wheel built for particular interpreters or platforms.
func (w wheelTags) compiled() bool {
	if w.extension() {
		return true
	}
	for _, p := range w.platform {
		if p != "any" {
			return true
		}
	}
	return false
}

// runsOn reports whether CPython 3.minor (PyPy 3.minor when pypy) on
// glibc Linux installs the wheel.
func (w wheelTags) runsOn(minor int, pypy bool) bool {
	linux := false
	for _, p := range w.platform {
		linux = linux || p == "any" || strings.HasPrefix(p, "manylinux") || strings.HasPrefix(p, "linux_")
	}
	if !linux {
		return false
	}
	stable := false // abi3: one build serves every later CPython
	for _, a := range w.abi {
		stable = stable || a == "abi3"
	}
	for _, py := range w.python {
		switch {
		case py == "py3" || py == "py2.py3":
			return true
		case strings.HasPrefix(py, "py3"):
			if m, err := strconv.Atoi(py[3:]); err == nil && m <= minor {
				return true
			}
		case pypy && strings.HasPrefix(py, "pp3"):
			if m, err := strconv.Atoi(py[3:]); err == nil && m == minor {
				return true
			}
		case !pypy && strings.HasPrefix(py, "cp3"):
			m, err := strconv.Atoi(py[3:])
			if err == nil && (m == minor || stable && m < minor) && !w.freeThreadedOnly() {
				return true
			}
		}
	}
	return false
}

// extension reports a wheel built for an interpreter's ABI: it holds
// extension modules the interpreter loads. A wheel whose ABI tag is none
// but whose platform is not any (ruff, cmake) carries programs, which run
// in processes of their own.
func (w wheelTags) extension() bool {
	for _, a := range w.abi {
		if a != "none" {
			return true
		}
	}
	return false
}

// manylinux reports a wheel for glibc Linux built to the manylinux policy.
func (w wheelTags) manylinux() bool {
	for _, p := range w.platform {
		if strings.HasPrefix(p, "manylinux") {
			return true
		}
	}
	return false
}

// freeThreadedOnly reports a wheel for the free-threaded build (cp313t),
// which the regular interpreter cannot load.
func (w wheelTags) freeThreadedOnly() bool {
	for _, a := range w.abi {
		if !strings.HasSuffix(a, "t") || a == "abi3" {
			return false
		}
	}
	return len(w.abi) > 0
}

// lockBuild says how a locked release gets into the venv on Linux.
type lockBuild struct {
	fromSource bool // no wheel runs there: uv or pip builds it
	compiled   bool // some wheel of the release is platform-specific
	// manylinux is true when a manylinux wheel with extension modules runs
	// there: they may link the host's libstdc++.so.6, which the manylinux policy lets
	// wheels take from the system (PEP 600; auditwheel's policy list),
	// and a Nix interpreter does not see the host's.
	manylinux bool
}

// buildOf reads a lock entry's wheels for the target interpreter.
func buildOf(l *detect.LockedPackage, t pyTarget) lockBuild {
	var b lockBuild
	if l.SdistOnly {
		return lockBuild{fromSource: true}
	}
	if len(l.Wheels) == 0 {
		return b // the lock lists no files: nothing known
	}
	b.fromSource = true
	for _, f := range l.Wheels {
		w, ok := parseWheel(f)
		if !ok {
			continue
		}
		b.compiled = b.compiled || w.compiled()
		if w.runsOn(t.minor, t.impl == "pypy") {
			b.fromSource = false
			b.manylinux = b.manylinux || w.extension() && w.manylinux()
		}
	}
	return b
}

func itoa(n int) string { return strconv.Itoa(n) }
