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
// (`pwd -P` resolves symlinks the same way).
//
// Where Flox is not installed (a CI job on setup-python, a contributor who
// has not moved yet) the guard does nothing and the script runs as it did,
// on whatever Python the caller set up: no caller of the script fails with
// `flox: not found`. (A caller that uses the script's venv afterwards gets
// it: see shell_outside_flox.go.) The guard is plain POSIX sh.
const guardDirVar = "_flox_project"

// guardComment marks the guard ShellScript inserts, so a rewritten script
// is recognised and never changed again.
const guardComment = "# Re-run inside the project's Flox environment when Flox is installed and the environment is not active.\n"

// floxOnPath is the shell test for an installed flox.
const floxOnPath = "command -v flox >/dev/null 2>&1"

// scriptGuard returns the comment and the two lines of the guard for a
// script at path p, re-run with interp.
func scriptGuard(p, interp string) string {
	return guardComment +
		guardDirVar + `=$(cd "$(dirname "$0")` + scriptParents(p) + `" && pwd -P)` + "\n" +
		`if [ "${FLOX_ENV_PROJECT:-}" != "$` + guardDirVar + `" ] && ` + floxOnPath + `; then exec flox activate -d "$` + guardDirVar + `" -- ` +
		interp + ` "$0" "$@"; fi` + "\n"
}

// earlierGuards are the guards earlier versions of venv2flox wrote, which
// needed flox on PATH: a script that has one gets the current guard in its
// place instead of a second one. The first tested $FLOX_ENV only.
func earlierGuards(p, interp string) []string {
	return []string{
		`if [ -z "${FLOX_ENV:-}" ]; then exec flox activate -d "$(dirname "$0")` + scriptParents(p) + `" -- ` + interp + ` "$0" "$@"; fi` + "\n",
		"# Re-run inside the project's Flox environment unless it is already active.\n" +
			guardDirVar + `=$(cd "$(dirname "$0")` + scriptParents(p) + `" && pwd -P)` + "\n" +
			`if [ "${FLOX_ENV_PROJECT:-}" != "$` + guardDirVar + `" ]; then exec flox activate -d "$` + guardDirVar + `" -- ` +
			interp + ` "$0" "$@"; fi` + "\n",
	}
}

// hasGuard reports a script that re-runs itself in the environment, with
// the current guard or an earlier one.
func hasGuard(src []byte) bool {
	return bytes.Contains(src, []byte(guardComment)) ||
		bytes.Contains(src, []byte("# Re-run inside the project's Flox environment unless it is already active.")) ||
		bytes.Contains(src, []byte(`if [ -z "${FLOX_ENV:-}" ]; then exec flox activate -d "$(dirname "$0")`))
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

// upgradeEarlierGuard replaces an earlier guard, found in the script's
// lines above its first command, with the current guard. ok is false when
// the script has none.
func upgradeEarlierGuard(p, interp string, src []byte) (Edit, bool) {
	nl := newline(src)
	for _, g := range earlierGuards(p, interp) {
		want := strings.ReplaceAll(g, "\n", nl)
		at := bytes.Index(src, []byte(want))
		if at < 0 {
			// A guard that ends the file has no final newline.
			if trimmed := strings.TrimSuffix(want, nl); bytes.HasSuffix(src, []byte(trimmed)) {
				at, want = len(src)-len(trimmed), trimmed
			} else {
				continue
			}
		}
		if !onlyCommentsBefore(src[:at]) {
			continue // the guard was always above the first command
		}
		text := strings.ReplaceAll(scriptGuard(p, interp), "\n", nl)
		if !strings.HasPrefix(g, "#") {
			text = strings.TrimPrefix(text, strings.ReplaceAll(guardComment, "\n", nl))
		}
		if !strings.HasSuffix(want, nl) {
			text = strings.TrimSuffix(text, nl)
		}
		return Edit{Start: at, End: at + len(want), Text: text}, true
	}
	return Edit{}, false
}

// onlyCommentsBefore reports text made of blank and comment lines only.
func onlyCommentsBefore(text []byte) bool {
	for _, line := range bytes.Split(text, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}
