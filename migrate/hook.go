package migrate

import (
	_ "embed"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"text/template"

	"mvdan.cc/sh/v3/syntax"
)

// hookTemplate is the on-activate hook. It is a template so the shell code
// reads as shell code; hook.go fills in only quoted words.
//
//go:embed hook.sh.tmpl
var hookTemplate string

// parsedHook is parsed on first use, not at start-up: commands that plan
// nothing (detect, version) should not pay for it.
var parsedHook = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("hook").Parse(hookTemplate))
})

// hookData is what the hook template needs. Every string in it is already
// safe in its place: VenvDir is checked by venvDir, the rest is quoted.
type hookData struct {
	VenvDir string
	Command string
	// Deps are the files whose change syncs again, shell-quoted.
	Deps string
	// Sync is the sync commands, one per line (long ones continued with
	// a backslash), and Delimiter ends the here-document that holds them.
	Sync, Delimiter string
	// Exports are the assignments the hook exports: the venv's, then the
	// manager's.
	Exports string
	// NoDownloads sets UV_PYTHON_DOWNLOADS=never (astral-sh/uv
	// crates/uv-static/src/env_vars.rs) for the sync only: a project venv
	// uv finds incompatible is made again with another interpreter
	// (crates/uv/src/commands/project/mod.rs, ProjectEnvironment::get_or_init),
	// which must fail rather than replace the Flox Python. In [vars] it would
	// also stop `uv run --python 3.13` and tox-uv from fetching the Pythons
	// they ask for.
	NoDownloads bool
	// Libs are the libraries the venv's Python preloads from $FLOX_ENV/lib;
	// LibPaths are their paths as shell words.
	Libs     []string
	LibPaths string
}

// defaultVenvDir keeps the venv in Flox's git-ignored cache of the
// environment.
const defaultVenvDir = "$FLOX_ENV_CACHE/venv"

// venvDir turns --venv-dir into the venv location as the hook sees it. A
// project-relative folder (".venv") keeps a venv editors find; it must stay
// inside the project and use plain characters, since the hook expands it
// inside double quotes.
func venvDir(opt string) (string, error) {
	if opt == "" {
		return defaultVenvDir, nil
	}
	clean := path.Clean(strings.ReplaceAll(opt, `\`, "/"))
	if path.IsAbs(clean) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("--venv-dir %q: must be a folder inside the project, such as .venv", opt)
	}
	for _, r := range clean {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/", r)) {
			return "", fmt.Errorf("--venv-dir %q: use only letters, digits, '.', '_', '-' and '/'", opt)
		}
	}
	return "$FLOX_ENV_PROJECT/" + clean, nil
}

// buildHook renders the hook and lists its steps with their reasons. libs
// are the libraries (sonames) the venv's Python preloads from $FLOX_ENV/lib.
func buildHook(venv string, interp Interpreter, sp syncPlan, libs []string, libsWhy Reason) (string, []HookStep, error) {
	d := hookData{
		VenvDir:     venv,
		Command:     interp.Command,
		NoDownloads: sp.Manager == "uv",
		Libs:        libs,
		Delimiter:   "SYNC",
	}
	var deps []string
	for _, f := range sp.Hashed {
		deps = append(deps, shellQuote(f))
	}
	// `  local lock="..." deps=(` comes before the first file.
	d.Deps = wrapWords(deps, len(`  local lock="$FLOX_ENV_CACHE/venv2flox.lock" deps=(`), "    ", maxHookLine)
	exports := []string{`VIRTUAL_ENV="$venv"`, `PATH="$venv/bin:$PATH"`}
	for _, e := range sp.Exports {
		// The venv is $venv until this very export has set VIRTUAL_ENV.
		exports = append(exports, e.Name+`="`+strings.ReplaceAll(e.Value, "$VIRTUAL_ENV", "$venv")+`"`)
	}
	d.Exports = wrapWords(exports, len("  export "), "    ", maxHookLine)
	var lines []string
	for _, c := range sp.Commands {
		lines = append(lines, wrapCommand(c, maxHookLine))
	}
	d.Sync = strings.Join(lines, "\n")
	if d.Sync == "" {
		d.Sync = "# nothing to sync: add the commands that install the project's dependencies"
	}
	for _, line := range strings.Split(d.Sync, "\n") {
		if line == d.Delimiter {
			return "", nil, fmt.Errorf("a sync command has a line %q, which would end the hook's here-document", line)
		}
	}
	d.LibPaths = libraryPaths(libs)
	var b strings.Builder
	if err := parsedHook().Execute(&b, d); err != nil {
		return "", nil, fmt.Errorf("rendering the hook: %w", err)
	}
	return b.String(), hookSteps(venv, interp, sp, libs, libsWhy), nil
}

// libraryPaths are the libraries in $FLOX_ENV/lib as one shell word
// ("$FLOX_ENV"/lib/{libstdc++.so.6,libz.so.1} for several).
func libraryPaths(libs []string) string {
	quoted := make([]string, len(libs))
	for i, l := range libs {
		quoted[i] = shellQuote(l)
	}
	if len(libs) == 1 {
		return `"$FLOX_ENV"/lib/` + quoted[0]
	}
	return `"$FLOX_ENV"/lib/{` + strings.Join(quoted, ",") + "}"
}

// wrapWords joins shell words with spaces, continuing on a new line (a
// backslash, then indent) before a word that would pass width; the first
// line starts at column start.
func wrapWords(words []string, start int, indent string, width int) string {
	var b strings.Builder
	col := start
	for i, w := range words {
		switch {
		case i == 0:
		case col+1+len(w) > width-2:
			b.WriteString(" \\\n" + indent)
			col = len(indent)
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}

// hookSteps explains the hook, step by step, for `venv2flox plan`.
func hookSteps(venv string, interp Interpreter, sp syncPlan, libs []string, libsWhy Reason) []HookStep {
	steps := []HookStep{
		{Name: "export VIRTUAL_ENV=" + venv + " and put $VIRTUAL_ENV/bin first on PATH",
			Reason: Reason{Text: "exports in the hook reach `flox activate -- cmd` (exec mode), which never runs [profile]"}},
	}
	for _, e := range sp.Exports {
		steps = append(steps, HookStep{Name: "export " + e.Name + "=" + e.Value, Reason: e.Reason})
	}
	watched := append(slices.Clone(sp.Hashed), ".flox/env/manifest.lock")
	steps = append(steps,
		HookStep{Name: "stop there when the stamp of the last sync is newer than " + strings.Join(watched, ", "),
			Reason: Reason{Text: "bash built-ins only: an activation where nothing changed starts no program; Flox rewrites manifest.lock whenever the manifest (and so the sync) changes"}},
		HookStep{Name: "otherwise take the lock $FLOX_ENV_CACHE/venv2flox.lock, waiting for another activation's sync",
			Reason: Reason{Text: "two activations, scripts or modes at once give one venv and one sync; a lock whose owner is gone is taken over"}},
		// Exact syncs keep pip: uv sync and uv pip sync in a venv uv did
		// not make (astral-sh/uv crates/uv-installer/src/plan.rs, "seed
		// packages"), poetry sync (python-poetry/poetry
		// src/poetry/puzzle/transaction.py, preserved_package_names), pdm
		// sync --clean (pdm-project/pdm src/pdm/installers/base.py,
		// SEQUENTIAL_PACKAGES).
		HookStep{Name: "create the venv with $FLOX_ENV/bin/" + interp.Command + " -m venv (with pip) when it is missing or another Python made it",
			Reason: Reason{Text: "the venv is built on the Flox interpreter (" + interp.Minor + "); pip stays in it, even through exact syncs, for the tools, docs and scripts that run pip; a new Python (its -VV) gets a fresh venv"}},
	)
	if len(libs) > 0 {
		steps = append(steps, HookStep{Name: "write a .pth file that makes the venv's Python preload " + strings.Join(libs, ", ") + " from $FLOX_ENV/lib (Linux)",
			Reason: Reason{Text: libsWhy.Text + "; nothing goes on LD_LIBRARY_PATH, so host programs (git, ssh) never load Flox's libraries", Evidence: libsWhy.Evidence}})
	}
	if len(sp.Commands) == 0 {
		return steps
	}
	how := "; from $FLOX_ENV_PROJECT, with $FLOX_ENV/bin first on PATH: the catalog's " + sp.Manager + " runs, never a copy in the venv"
	if sp.Manager == "uv" {
		how += "; UV_PYTHON_DOWNLOADS=never for the sync only, so other uv commands still fetch the Pythons they ask for"
	}
	steps = append(steps, HookStep{Name: "sync when the checksums (cksum) of " + strings.Join(sp.Hashed, ", ") + " or the sync commands differ from the stamp",
		Reason: Reason{Text: "a checkout that only touches modification times does not sync again; an edited sync line does" + how}})
	for _, c := range sp.Commands {
		steps = append(steps, HookStep{Name: "run " + c, Reason: sp.Why})
	}
	return steps
}

// maxHookLine is the longest line the hook's sync commands get before
// they are continued on the next line: the manifest keeps lines within
// maxManifestLine.
const maxHookLine = 96

// wrapCommand continues a long command on further lines between its
// words, never between an option and its value, so each line stays within
// width. A command the shell parser cannot split into plain words stays on
// one line.
func wrapCommand(c string, width int) string {
	if len(c) <= width {
		return c
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(c), "")
	if err != nil || len(f.Stmts) != 1 || f.Stmts[0].Redirs != nil {
		return c
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) > 0 || int(f.Stmts[0].End().Offset()) != len(strings.TrimRight(c, " ")) {
		return c
	}
	var units []string
	for i := 0; i < len(call.Args); i++ {
		unit := c[call.Args[i].Pos().Offset():call.Args[i].End().Offset()]
		if strings.HasPrefix(unit, "-") && !strings.Contains(unit, "=") && i+1 < len(call.Args) {
			if next := c[call.Args[i+1].Pos().Offset():call.Args[i+1].End().Offset()]; !strings.HasPrefix(next, "-") {
				unit += " " + next
				i++
			}
		}
		units = append(units, unit)
	}
	return wrapWords(units, 0, "  ", width)
}

// The profile scripts, for interactive shells only. Flox's generated rc
// puts the environment's bin folders back in front of PATH after the hook
// ran (flox/flox cli/flox-activations/src/gen_rc/bash.rs: fix-paths, then
// the profile scripts), which would hide the venv's python behind the
// environment's; each script puts $VIRTUAL_ENV/bin first again. Flox sources
// profile.common in every shell, bash, zsh, fish and tcsh alike (same file,
// profile_scripts.rs), and no one line means this in all four: bash and zsh
// share theirs, fish and tcsh have their own.
const (
	profilePOSIX = `[ -z "${VIRTUAL_ENV:-}" ] || PATH="$VIRTUAL_ENV/bin:$PATH"`
	profileFish  = `set -q VIRTUAL_ENV; and set -gx PATH "$VIRTUAL_ENV/bin" $PATH`
	// tcsh expands a one-line if's command even when the test fails.
	profileTcsh = `if ( $?VIRTUAL_ENV ) then
  setenv PATH "${VIRTUAL_ENV}/bin:${PATH}"
endif
`
)

// buildProfile returns the per-shell profile scripts.
func buildProfile() Profile {
	return Profile{Bash: profilePOSIX, Zsh: profilePOSIX, Fish: profileFish, Tcsh: profileTcsh}
}
