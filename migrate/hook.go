package migrate

import (
	"crypto/sha256"
	_ "embed"
	"fmt"
	"path"
	"strings"
	"sync"
	"text/template"
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
	VenvDir     string
	Command     string
	WithoutPip  bool
	LibraryPath bool
	Exports     []hookExport
	Commands    []hookCommand
	SyncID      string
	Hashed      []string
}

type hookCommand struct{ Command, Label string }

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

// buildHook renders the hook and lists its steps with their reasons.
func buildHook(venv string, interp Interpreter, sp syncPlan, libraryPath bool, libraryWhy Reason) (string, []HookStep, error) {
	d := hookData{
		VenvDir:     venv,
		Command:     interp.Command,
		WithoutPip:  sp.WithoutPip,
		LibraryPath: libraryPath,
		Exports:     sp.Exports,
		// The commands enter the stamp as a digest: a changed command
		// re-syncs, and no command text needs quoting twice.
		SyncID: fmt.Sprintf("%x", sha256.Sum256([]byte(strings.Join(sp.Commands, "\n")))),
	}
	for _, f := range sp.Hashed {
		d.Hashed = append(d.Hashed, shellQuote(f))
	}
	for i, c := range sp.Commands {
		d.Commands = append(d.Commands, hookCommand{Command: c, Label: fmt.Sprintf("sync step %d (%s)", i+1, commandLabel(c))})
	}
	var b strings.Builder
	if err := parsedHook().Execute(&b, d); err != nil {
		return "", nil, fmt.Errorf("rendering the hook: %w", err)
	}

	var steps []HookStep
	if libraryPath {
		steps = append(steps, HookStep{Name: "put $FLOX_ENV/lib on LD_LIBRARY_PATH (Linux)", Reason: libraryWhy})
	}
	steps = append(steps,
		HookStep{Name: "create the venv in " + venv + " with $FLOX_ENV/bin/" + interp.Command,
			Reason: Reason{Text: "the venv is built on the Flox interpreter (" + interp.Minor + "), so every tool in it runs on the Python the manifest pins"}},
		HookStep{Name: "recreate the venv when the interpreter changes",
			Reason: Reason{Text: "packages in a venv are built for one interpreter; a new Python (path or version) gets a fresh venv"}},
		HookStep{Name: "export VIRTUAL_ENV and put $VIRTUAL_ENV/bin first on PATH",
			Reason: Reason{Text: "exports in the hook reach `flox activate -- cmd` (exec mode), which never runs [profile]"}},
	)
	for _, e := range sp.Exports {
		steps = append(steps, HookStep{Name: "export " + e.Name + "=" + e.Value, Reason: e.Reason})
	}
	if len(sp.Commands) > 0 {
		steps = append(steps, HookStep{Name: "skip the sync when the stamp is unchanged",
			Reason: Reason{Text: "a sha256 of the interpreter, the sync commands and " + strings.Join(sp.Hashed, ", ") + " is stored in the venv; activation stays fast and any change re-syncs"}})
		for _, c := range sp.Commands {
			steps = append(steps, HookStep{Name: "run " + c, Reason: Reason{Text: sp.Why.Text, Evidence: sp.Why.Evidence}})
		}
	}
	return b.String(), steps, nil
}

// commandLabel is a command as it can appear inside double quotes in an
// error message: the venv interpreter shortened, shell specials dropped.
func commandLabel(c string) string {
	c = strings.ReplaceAll(c, `"$VIRTUAL_ENV/bin/python"`, "python")
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("\"$`\\!'", r) {
			return -1
		}
		return r
	}, c)
}

// The profile scripts, for interactive shells only. Flox puts its own bin
// folders back in front of PATH after the hook ran (flox/flox#3569), which
// would hide the venv's python behind the environment's; each script puts
// $VIRTUAL_ENV/bin first again. Nothing else: the hook does the work.
const (
	profileBash = `# Put the venv's bin folder back in front of Flox's.
if [ -n "${VIRTUAL_ENV:-}" ] && [ -d "$VIRTUAL_ENV/bin" ]; then
  case "$PATH" in
    "$VIRTUAL_ENV/bin:"*) ;;
    *) export PATH="$VIRTUAL_ENV/bin:$PATH" ;;
  esac
  hash -r 2>/dev/null
fi
`
	profileFish = `# Put the venv's bin folder back in front of Flox's.
if set -q VIRTUAL_ENV; and test -d "$VIRTUAL_ENV/bin"; and test "$PATH[1]" != "$VIRTUAL_ENV/bin"
  set -gx PATH "$VIRTUAL_ENV/bin" $PATH
end
`
	profileTcsh = `# Put the venv's bin folder back in front of Flox's.
if ( $?VIRTUAL_ENV ) then
  if ( -d "$VIRTUAL_ENV/bin" ) then
    setenv PATH "${VIRTUAL_ENV}/bin:${PATH}"
    rehash
  endif
endif
`
)

// buildProfile returns the per-shell profile scripts.
func buildProfile() Profile {
	return Profile{Bash: profileBash, Zsh: profileBash, Fish: profileFish, Tcsh: profileTcsh}
}
