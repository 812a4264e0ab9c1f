package rewrite

import (
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// Editor settings, type-checker settings, pre-commit hooks, containers and
// task runners name the venv by path. Their rewriters share what is here:
// where the venv now is, how a path into the old one is moved there, and
// how lines that cannot be moved are reported.

// defaultVenv is $FLOX_ENV_CACHE/venv seen from the project: Flox keeps a
// path environment's cache in .flox/cache (flox/flox: CACHE_DIR_NAME =
// "cache" in flox-rust-sdk's models/environment; ../shared/reference/flox.md).
const defaultVenv = ".flox/cache/venv"

// venvFolder is the project-relative folder of the Flox hook's venv.
func (ctx *Context) venvFolder() string {
	if ctx == nil || ctx.Venv == "" {
		return defaultVenv
	}
	return ctx.Venv
}

// settingPrefixes are what editors and containers write before a
// project-relative path; they are kept as they are.
var settingPrefixes = []string{"${workspaceFolder}/", "${workspaceRoot}/", "${containerWorkspaceFolder}/", "./"}

// venvMove is how a path into the old venv is moved.
type venvMove int

const (
	moveNone    venvMove = iota // not a path into the project's old venv
	moveDone                    // moved into the Flox venv
	moveSame                    // already the Flox venv (--venv-dir .venv)
	moveWindows                 // a Windows path (Scripts\python.exe): Flox has no Windows venv
)

// moveVenvPath points a path into one of the project's old venvs
// (".venv/bin/ruff", "${workspaceFolder}/venv/bin/python", ".venv") at the
// Flox venv, keeping the prefix and what follows the folder. With
// folderOK, the bare folder counts; otherwise only its bin paths do.
func moveVenvPath(ctx *Context, value string, folderOK bool) (string, venvMove) {
	prefix := ""
	rest := value
	for changed := true; changed; {
		changed = false
		for _, p := range settingPrefixes {
			if strings.HasPrefix(rest, p) && len(rest) > len(p) {
				prefix, rest, changed = prefix+p, rest[len(p):], true
			}
		}
	}
	target := ctx.venvFolder()
	dirs := slices.Clone(ctx.VenvDirs)
	// The longest folder first: "venv" must not match "venv-dev".
	slices.SortFunc(dirs, func(a, b string) int { return len(b) - len(a) })
	for _, dir := range dirs {
		if dir == "" || strings.ContainsAny(dir, "$`") || !strings.HasPrefix(rest, dir) {
			continue
		}
		tail := rest[len(dir):]
		switch {
		case strings.HasPrefix(tail, `\`) || strings.HasPrefix(strings.ToLower(tail), "/scripts/"):
			return value, moveWindows
		case tail == "" || tail == "/":
			if !folderOK {
				continue
			}
		case !strings.HasPrefix(tail, "/bin/") && tail != "/bin":
			continue
		}
		if path.Clean(dir) == path.Clean(target) {
			return value, moveSame
		}
		return prefix + target + tail, moveDone
	}
	return value, moveNone
}

// leftoverFollowUps reports the venv uses detect still finds in a file
// after its rewrite: whatever the rewriter could not move. Uses of the
// Flox venv itself do not count.
func leftoverFollowUps(ctx *Context, p string, src []byte, message, suggestion string) []FollowUp {
	var out []FollowUp
	seen := map[int]bool{}
	target := ctx.venvFolder()
	for _, v := range detect.ScanText(p, src).Venvs {
		dir := strings.TrimPrefix(v.Dir, "./")
		for _, sp := range settingPrefixes {
			dir = strings.TrimPrefix(dir, sp)
		}
		if dir == target || seen[v.Evidence.Line] {
			continue
		}
		seen[v.Evidence.Line] = true
		subject := v.OneLine(100)
		if v.Windows {
			subject += " (a Windows venv path: Flox runs on Linux, macOS and WSL2)"
		}
		out = append(out, FollowUp{Evidence: v.Evidence, Message: message + ": " + subject, Suggestion: suggestion,
			Subject: subject, Topic: message})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Evidence.Line < out[j].Evidence.Line })
	return out
}

// reportOnly is the rewriter of a kind that is never edited: each line
// that uses the venv becomes a follow-up saying why; the first of the file
// says what to do.
func reportOnly(message, suggestion string) Func {
	return func(ctx *Context, p string, src []byte) (Result, error) {
		fus := leftoverFollowUps(ctx, p, src, message, "")
		if len(fus) > 0 {
			fus[0].Suggestion = suggestion
		}
		return Result{New: src, FollowUps: fus}, nil
	}
}
