package rewrite

import (
	"bytes"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/detect"
)

// floxHintPrefix marks the hint --keep-venv inserts, so a script that has
// it is recognised and never changed again.
const floxHintPrefix = "# Flox: "

// ShellScript rewrites a POSIX or bash script: venv creation, activation,
// deactivation and installs the Flox hook now does go away, paths into the
// venv become plain commands, echoed activation hints say `flox activate`,
// and a script that used the venv gets a guard that re-runs it inside the
// project's Flox environment when none is active, so it still works from
// any folder and any shell.
func ShellScript(ctx *Context, path string, src []byte) (Result, error) {
	res, err := shellScriptOnce(ctx, path, src)
	if ctx != nil && slices.Contains(ctx.ContainerScripts, path) {
		// A Dockerfile starts this script: inside the image there is no
		// Flox, and the venv it uses is the image's own.
		if err != nil || bytes.Equal(res.New, src) {
			return Result{New: src}, nil
		}
		return Result{New: src, FollowUps: []FollowUp{{Evidence: detect.Evidence{Path: path, Line: 1},
			Message:    "left alone: a Dockerfile runs this script, and the venv it uses lives in the image",
			Suggestion: "Keep it for the image; if you also run it by hand, run it with `flox activate -- " + path + "`."}}}, nil
	}
	if err != nil || bytes.Equal(res.New, src) {
		return res, err
	}
	// Removing one venv use can expose another (a variable that pointed into
	// the venv only until a later assignment went away). Passes repeat until
	// nothing changes, so a migrated script is never changed again; the
	// follow-ups are the first pass's, whose lines match the original.
	for i := 0; i < 3; i++ {
		again, err := shellScriptOnce(ctx, path, res.New)
		if err != nil || bytes.Equal(again.New, res.New) {
			break
		}
		res.New = again.New
	}
	return res, nil
}

func shellScriptOnce(ctx *Context, path string, src []byte) (Result, error) {
	res := Result{New: src}
	interp, lang, ok := scriptDialect(path, src)
	if !ok {
		return res, nil
	}
	// A script that re-runs itself in the environment runs all of it there.
	// The bash parser reads POSIX scripts too, and unlike the POSIX one it
	// sees `export VAR=value` as an assignment; a script only the POSIX
	// parser reads is read with it.
	opts := shellOptions{Path: path, Line: 1, Lang: syntax.LangBash, Ambient: hasGuard(src), KeepInstalls: true}
	rewrite := func() (shellResult, error) {
		r, err := rewriteShellSnippet(ctx, string(src), opts)
		if err != nil && lang == syntax.LangPOSIX {
			opts.Lang = syntax.LangPOSIX
			r, err = rewriteShellSnippet(ctx, string(src), opts)
		}
		return r, err
	}
	sourced := isSourcedScript(ctx, path, src, lang)
	users := ctx.venvUsers(path)
	var keep []string // the venv folders callers outside Flox use after the script
	for _, u := range users {
		if !slices.Contains(keep, u.Dir) {
			keep = append(keep, u.Dir)
		}
	}
	if !sourced {
		opts.KeepOutsideFlox = keep
	}
	if sourced {
		// A script read with `source` activates the environment, whose
		// hook installs; it is not an entry point that installs.
		opts.Activate, opts.Sourced, opts.KeepInstalls = inPlaceActivation(path, lang), true, false
	}
	r, err := rewrite()
	if sourced && err == nil && r.UsesVenv && !slices.ContainsFunc(r.Edits, func(e Edit) bool { return e.Text == opts.Activate }) {
		// Nothing activated the venv to put the environment in place of:
		// the script is rewritten as one that runs on its own.
		sourced, opts.Activate, opts.Sourced, opts.Lang, opts.KeepInstalls = false, "", false, syntax.LangBash, true
		opts.KeepOutsideFlox = keep
		r, err = rewrite()
	}
	if err == nil && len(opts.KeepOutsideFlox) > 0 && !r.UsesVenv {
		// No venv use to keep (a stray `deactivate`): nothing for the
		// callers outside Flox, and no re-run guard to test against.
		opts.KeepOutsideFlox = nil
		r, err = rewrite()
	}
	if err != nil {
		if mentionsVenv(src) {
			res.FollowUps = append(res.FollowUps, FollowUp{Evidence: parseErrorEvidence(path, err),
				Message: "not rewritten: the shell parser failed: " + err.Error(), Suggestion: "Replace its venv setup with `flox activate` by hand."})
		}
		return res, nil
	}
	res.FollowUps = r.FollowUps
	if len(users) > 0 && (sourced || r.FloxAware && !hasGuard(src)) && !r.Blocked && r.UsesVenv {
		// The venv setup cannot be kept for runs without Flox: a sourced
		// script has no re-run guard to tell them apart, and a script that
		// calls flox itself decides on its own.
		res.FollowUps = append(res.FollowUps, venvUsersNote(path, users, "and the script's venv setup cannot be kept apart for those runs"))
		return res, nil
	}
	if legacy, ok := upgradeEarlierGuard(path, interp, src); ok && !ctx.KeepVenv {
		if strings.HasSuffix(legacy.Text, "\n") {
			legacy.Text += r.OutsideFlox
		}
		edits := []Edit{legacy}
		if !r.Blocked {
			edits = append(edits, r.Edits...)
		}
		if edits, err = normalizeEdits(edits); err != nil {
			return res, err
		}
		if res.New, err = applyEdits(src, edits); err != nil {
			return Result{New: src}, err
		}
		return res, nil
	}
	if r.Blocked || !r.UsesVenv {
		if !r.Blocked && len(r.Edits) > 0 {
			res.New = []byte(r.Text) // only echoed hints changed
		}
		return res, nil
	}
	at := insertionPoint(src)
	nl := newline(src)
	lead, trail := "", ""
	if at == len(src) && at > 0 && src[at-1] != '\n' {
		lead = nl
	}
	if end := lineEnd(src, at); at < len(src) && len(bytes.TrimSpace(src[at:end])) == 0 {
		// The header is followed by a blank line: the inserted lines get
		// their own paragraph.
		at, trail = end, nl
	}
	if ctx.KeepVenv {
		if hasFloxHint(src) {
			return res, nil
		}
		hint := floxHintPrefix + "this project also has a Flox environment; `flox activate` provides Python and the dependencies without this venv.\n"
		out, err := applyEdits(src, []Edit{{Start: at, End: at, Text: lead + withNewline(hint, nl) + trail}})
		if err != nil {
			return res, err
		}
		res.New = out
		return res, nil
	}
	edits := r.Edits
	if !r.FloxAware && !sourced {
		edits = append(edits, Edit{Start: at, End: at, Text: lead + withNewline(scriptGuard(path, interp), nl) + r.OutsideFlox + trail})
	}
	edits, err = normalizeEdits(edits)
	if err != nil {
		return res, err
	}
	out, err := applyEdits(src, edits)
	if err != nil {
		return res, err
	}
	res.New = out
	return res, nil
}

// scriptDialect returns the interpreter command the guard re-runs the
// script with (from its shebang, "bash" without one) and the parser
// dialect. Scripts for other shells (zsh, fish) are not handled.
func scriptDialect(p string, src []byte) (interp string, lang syntax.LangVariant, ok bool) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if !bytes.HasPrefix(src, []byte("#!")) {
		switch path.Ext(p) {
		case ".sh", ".bash", "":
			return "bash", syntax.LangBash, true
		}
		return "", 0, false
	}
	line := src[2:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	fields := strings.Fields(strings.TrimSpace(string(line)))
	if len(fields) == 0 {
		return "", 0, false
	}
	if path.Base(fields[0]) == "env" {
		fields = fields[1:]
		if len(fields) > 0 && fields[0] == "-S" {
			fields = fields[1:]
		}
	}
	if len(fields) == 0 {
		return "", 0, false
	}
	for _, f := range fields {
		if !safeShebangWord(f) {
			return "", 0, false
		}
	}
	switch path.Base(fields[0]) {
	case "bash":
		lang = syntax.LangBash
	case "sh", "dash", "ash":
		lang = syntax.LangPOSIX
	default:
		return "", 0, false
	}
	return strings.Join(fields, " "), lang, true
}

func safeShebangWord(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._+-=", c)) {
			return false
		}
	}
	return s != ""
}

// insertionPoint is after the shebang and the comment block below it:
// the guard runs before `set -u` and anything else.
func insertionPoint(src []byte) int {
	return headerEnd(parseText(src))
}

func hasFloxHint(src []byte) bool {
	for _, line := range bytes.Split(src[:headerEnd(parseText(src))], []byte("\n")) {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte(floxHintPrefix)) {
			return true
		}
	}
	return false
}

// mentionsVenv decides whether an unparsable script deserves a follow-up.
func mentionsVenv(src []byte) bool {
	return bytes.Contains(src, []byte("/bin/activate")) || bytes.Contains(src, []byte("-m venv")) || bytes.Contains(src, []byte("virtualenv"))
}

func parseErrorEvidence(p string, err error) detect.Evidence {
	if pe, ok := err.(syntax.ParseError); ok {
		return detect.Evidence{Path: p, Line: int(pe.Pos.Line())}
	}
	return detect.Evidence{Path: p}
}
