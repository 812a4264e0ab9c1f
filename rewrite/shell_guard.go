package rewrite

import (
	"bytes"
	"path"
	"strings"
)

// The guard a rewritten script gets re-runs it inside the project's Flox
// environment unless that environment is the active one. $FLOX_ENV alone
// does not say so: many Flox users keep a personal default environment
// active in every shell (`eval "$(flox activate -d ~ -m run)"` in .bashrc),
// which sets FLOX_ENV too. Flox sets FLOX_ENV_PROJECT to the folder holding
// the active environment's .flox, with symlinks resolved, so the guard
// compares it with the project folder found from the script's own location
// (`pwd -P` resolves symlinks the same way). The guard is plain POSIX sh.
const guardDirVar = "_flox_project"

// scriptGuard returns the comment and the two lines of the guard for a
// script at path p, re-run with interp.
func scriptGuard(p, interp string) string {
	return guardComment +
		guardDirVar + `=$(cd "$(dirname "$0")` + scriptParents(p) + `" && pwd -P)` + "\n" +
		`if [ "${FLOX_ENV_PROJECT:-}" != "$` + guardDirVar + `" ]; then exec flox activate -d "$` + guardDirVar + `" -- ` +
		interp + ` "$0" "$@"; fi` + "\n"
}

// legacyGuard is the one-line guard earlier versions of venv2flox wrote,
// which tested $FLOX_ENV only. A script that has it gets the new guard in
// its place instead of a second one.
func legacyGuard(p, interp string) string {
	return `if [ -z "${FLOX_ENV:-}" ]; then exec flox activate -d ` + scriptProjectDir(p) + " -- " + interp + ` "$0" "$@"; fi`
}

// scriptParents is the "/.." steps from the script's folder up to the
// project folder.
func scriptParents(p string) string {
	dir := path.Dir(path.Clean(p))
	if dir == "." {
		return ""
	}
	return strings.Repeat("/..", strings.Count(dir, "/")+1)
}

// scriptProjectDir is the -d argument of the legacy guard.
func scriptProjectDir(p string) string {
	return `"$(dirname "$0")` + scriptParents(p) + `"`
}

// upgradeLegacyGuard replaces the legacy guard line (from the header of the
// script up to its first command) with the current guard. ok is false when
// the script has no legacy guard.
func upgradeLegacyGuard(p, interp string, src []byte) (Edit, bool) {
	want := []byte(legacyGuard(p, interp))
	off := 0
	for off < len(src) {
		end := lineEnd(src, off)
		line := bytes.TrimRight(src[off:end], "\r\n")
		if bytes.Equal(bytes.TrimSpace(line), want) {
			nl := newline(src)
			text := strings.TrimPrefix(scriptGuard(p, interp), guardComment)
			return Edit{Start: off, End: off + len(line), Text: strings.TrimSuffix(withNewline(text, nl), nl)}, true
		}
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			return Edit{}, false // the guard was always above the first command
		}
		off = end
	}
	return Edit{}, false
}
