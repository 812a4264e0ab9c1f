package rewrite

import (
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// When the hook syncs with uv it creates the venv without pip (uv needs
// none), so a pip command that ran in the old venv and stays (an install
// of extras the hook does not sync, `pip freeze`) must become `uv pip`,
// which works on $VIRTUAL_ENV; plain `pip` would not be found, or worse,
// be some other pip outside the environment.

// uvPipSubcommands are the pip subcommands uv pip has.
var uvPipSubcommands = []string{"install", "uninstall", "freeze", "list", "show", "check"}

// uvPipFlags are the pip options uv pip accepts with the same meaning;
// the values of those that take one follow them.
var uvPipFlags = []string{
	"-e", "--editable", "-r", "--requirement", "-c", "--constraint",
	"-U", "--upgrade", "-q", "--quiet", "-v", "--verbose", "--no-deps",
	"--pre", "--force-reinstall", "--no-build-isolation", "-i", "--index-url",
	"--extra-index-url", "-f", "--find-links", "--exclude-editable", "--outdated",
	"--format", "--editable-only",
}

// pipCall returns the byte range of the words that name pip in a kept
// command that runs in the venv (`.venv/bin/pip`, `pip` after an
// activation, `python -m pip`) and the subcommand's arguments.
func (u *unit) pipCall(c *syntax.CallExpr, cmd command, inVenv bool) (start, end int, args []*syntax.Word, ok bool) {
	if u.ctx == nil || u.ctx.Manager != "uv" || !inVenv {
		return 0, 0, nil, false
	}
	word := c.Args[cmd.index]
	rest := c.Args[cmd.index+1:]
	switch {
	// fromVenv covers `$PIP install` with PIP=.venv/bin/pip: rewriting the
	// assignment to plain `pip` would name a program the venv lacks, so the
	// use itself becomes `uv pip`.
	case (cmd.name == "pip" || cmd.name == "pip3") && (cmd.rewrite != "" || cmd.fromVenv || cmd.alias || word.Lit() == cmd.name):
	case isPython(cmd.name) && len(rest) >= 2 && rest[0].Lit() == "-m" && rest[1].Lit() == "pip" && (cmd.rewrite != "" || word.Lit() == cmd.name):
		return int(word.Pos().Offset()), int(rest[1].End().Offset()), rest[2:], true
	default:
		return 0, 0, nil, false
	}
	return int(word.Pos().Offset()), int(word.End().Offset()), rest, true
}

// pipOnlyOptions are pip options uv pip lacks that change nothing about
// what gets installed (the cache, prompts, messages): `uv pip` goes
// without them. pipOnlyValueOptions take a value.
var (
	pipOnlyOptions      = []string{"--no-cache-dir", "--disable-pip-version-check", "--no-input", "--no-warn-script-location", "--no-python-version-warning", "-y", "--yes"}
	pipOnlyValueOptions = []string{"--progress-bar", "--root-user-action"}
)

// uvPipCompatible reports a pip command line uv pip runs the same way, and
// the arguments it goes without.
func (u *unit) uvPipCompatible(args []*syntax.Word) (drop []int, ok bool) {
	texts := make([]string, len(args))
	for i, w := range args {
		texts[i], _ = u.argText(w) // "" for a word that is not literal
	}
	return uvPipArgs(texts)
}

// uvPipArgs reports pip arguments, the subcommand first, that uv pip runs
// the same way once the arguments at drop go (pip-only options that change
// nothing installed).
func uvPipArgs(args []string) (drop []int, ok bool) {
	if len(args) == 0 || !slices.Contains(uvPipSubcommands, args[0]) {
		return nil, false
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		flag, _, hasValue := strings.Cut(a, "=")
		switch {
		case slices.Contains(pipOnlyOptions, flag):
			drop = append(drop, i)
		case slices.Contains(pipOnlyValueOptions, flag):
			drop = append(drop, i)
			if !hasValue && i+1 < len(args) {
				i++
				drop = append(drop, i)
			}
		case !slices.Contains(uvPipFlags, flag) && !(len(flag) > 2 && flag[1] != '-' && slices.Contains(uvPipFlags, flag[:2])):
			return nil, false // -rrequirements.txt is -r
		}
	}
	return drop, true
}

// rewritePip turns a kept venv pip command into `uv pip`, or reports it.
// It returns false when the command is not such a pip call.
func (u *unit) rewritePip(c *syntax.CallExpr, cmd command, inVenv bool, prefix string) bool {
	start, end, args, ok := u.pipCall(c, cmd, inVenv)
	if !ok {
		return false
	}
	drop, ok := u.uvPipCompatible(args)
	if !ok {
		u.followUp(start, "runs pip in the venv, which the Flox hook creates without pip (it syncs with uv)",
			"Use `uv pip` with options it supports, or add the packages to the dependency files the hook syncs.")
		return false
	}
	u.edits = append(u.edits, Edit{Start: start, End: end, Text: prefix + "uv pip"})
	for _, i := range drop {
		u.edits = append(u.edits, wordRemoval(u.src, int(args[i].Pos().Offset()), int(args[i].End().Offset())))
	}
	return true
}

// wordRemoval deletes the word at [start, end) with the blanks before it.
func wordRemoval(src []byte, start, end int) Edit {
	for start > 0 && (src[start-1] == ' ' || src[start-1] == '\t') {
		start--
	}
	return Edit{Start: start, End: end}
}
