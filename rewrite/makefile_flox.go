package rewrite

import (
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/internal/makefile"
)

// floxVarComment is the comment above the $(FLOX) definition Makefile adds;
// the previous wording is recognised and replaced with it.
const (
	floxVarComment     = "# Run Python tools inside the project's Flox environment when Flox is installed and the environment is not active.\n"
	prevFloxVarComment = "# Run Python tools inside the project's Flox environment unless it is already active.\n"
)

// floxVarDef is the $(FLOX) variable a rewritten Makefile defines: the
// `flox activate` prefix, or empty when the project's own Flox environment
// is the active one or when flox is not installed. $(FLOX_ENV) alone does
// not say the environment is active: many Flox users keep a personal
// default environment active in every shell, which sets FLOX_ENV too. Flox
// sets FLOX_ENV_PROJECT to the folder holding the active environment's
// .flox; both sides go through $(realpath) so symlinks and a trailing slash
// do not matter. An unset FLOX_ENV_PROJECT gives an empty $(realpath),
// which $(filter) never matches.
//
// Without flox on PATH (a CI job on setup-python, a contributor who has not
// moved yet) every target runs its commands as before, on whatever Python
// the caller set up, instead of failing with `flox: not found`. $(if)
// expands only the branch it takes, so inside the environment no shell is
// started; the redirect makes GNU make run `command -v` through the shell.
//
// When a recipe the Makefile keeps still makes the project's .venv without
// Flox (`uv sync`, `poetry install`), the tools the recipes ran from
// .venv/bin are found there again: the fallback puts that folder first on
// PATH, since nothing else activates it.
func (m *makeRewrite) floxVarDef() string {
	fallback := ""
	if bin := m.keptVenvBin(); bin != "" {
		fallback = `,env PATH="` + bin + `:$$PATH"`
	}
	return "FLOX := $(if $(filter $(realpath " + m.projectPath() + "),$(realpath $(FLOX_ENV_PROJECT))),,$(if $(shell command -v flox 2>/dev/null),flox activate -d " +
		m.projectDir() + " --" + fallback + "))"
}

// keptVenvBin returns the bin folder of the project's .venv when the
// Makefile ran tools from it and a recipe it keeps makes it without Flox
// (a manager's sync, which creates .venv in the project), else "".
func (m *makeRewrite) keptVenvBin() string {
	if !slices.Contains(m.ctx.VenvDirs, ".venv") || !strings.Contains(string(m.src), ".venv") {
		return ""
	}
	ranFromBin := strings.Contains(string(m.src), ".venv/bin/")
	for _, v := range m.vars {
		ranFromBin = ranFromBin || v.kind == varVenvDir || v.kind == varVenvBin || v.kind == varTool
	}
	if !ranFromBin {
		return "" // `uv run pytest` needs no help; `rm -rf .venv` is no use
	}
	for i, l := range m.lines {
		if l.Kind == makefile.Recipe && !m.deleted[i] && makesProjectVenv(l.Text) {
			return m.projectPath() + "/.venv/bin"
		}
	}
	return ""
}

// makesProjectVenv reports a recipe line that runs a manager command that
// creates the project's .venv when it is missing: uv sync and uv run,
// poetry install and sync, pdm install and sync, pipenv install and sync.
func makesProjectVenv(text string) bool {
	words := strings.Fields(text)
	for i := 0; i+1 < len(words); i++ {
		switch path.Base(words[i]) {
		case "uv":
			if words[i+1] == "sync" || words[i+1] == "run" {
				return true
			}
		case "poetry", "pdm", "pipenv":
			if words[i+1] == "install" || words[i+1] == "sync" {
				return true
			}
		}
	}
	return false
}

// earlierFloxVarDefs are the definitions earlier versions of venv2flox
// wrote, which needed flox on PATH: the first tested $(FLOX_ENV) only.
func (m *makeRewrite) earlierFloxVarDefs() []string {
	return []string{
		"FLOX := $(if $(FLOX_ENV),,flox activate -d " + m.projectDir() + " --)",
		"FLOX := $(if $(filter $(realpath " + m.projectPath() + "),$(realpath $(FLOX_ENV_PROJECT))),,flox activate -d " + m.projectDir() + " --)",
	}
}

// upgradeLegacyFloxVar replaces an earlier $(FLOX) definition, and the
// comment above it, with the current one.
func (m *makeRewrite) upgradeLegacyFloxVar() ([]Edit, bool) {
	for i, l := range m.lines {
		if l.Kind != makefile.Assign || l.Name != "FLOX" {
			continue
		}
		text := strings.TrimSpace(l.Text)
		for _, def := range m.earlierFloxVarDefs() {
			if text != def {
				continue
			}
			at := l.Start + strings.Index(l.Text, def)
			edits := []Edit{{Start: at, End: at + len(def), Text: m.floxVarDef()}}
			if i > 0 && m.lines[i-1].Kind == makefile.Comment && strings.TrimSpace(m.lines[i-1].Text) == strings.TrimSpace(prevFloxVarComment) {
				c := m.lines[i-1]
				cs := c.Start + strings.Index(c.Text, "#")
				edits = append(edits, Edit{Start: cs, End: cs + len(strings.TrimSpace(prevFloxVarComment)), Text: strings.TrimSpace(floxVarComment)})
			}
			return edits, true
		}
	}
	return nil, false
}

// projectPath names the project folder from the Makefile's, so recipes
// that cd elsewhere first still find the environment.
func (m *makeRewrite) projectPath() string {
	at := m.path
	if m.group != nil {
		at = m.group.top // an included Makefile runs in its includer's folder
	}
	dir := path.Dir(path.Clean(at))
	project := "$(CURDIR)"
	if dir != "." {
		project += strings.Repeat("/..", strings.Count(dir, "/")+1)
	}
	return project
}

// projectDir is projectPath quoted for the shell.
func (m *makeRewrite) projectDir() string {
	return `"` + m.projectPath() + `"`
}
