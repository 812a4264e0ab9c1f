package rewrite

import (
	"path"
	"strings"
)

// floxVarDef is the $(FLOX) variable a rewritten Makefile defines: empty
// when the project's own Flox environment is the active one, else the
// `flox activate` prefix. $(FLOX_ENV) alone does not say so: many Flox users
// keep a personal default environment active in every shell, which sets
// FLOX_ENV too. Flox sets FLOX_ENV_PROJECT to the folder holding the active
// environment's .flox; both sides go through $(realpath) so symlinks and a
// trailing slash do not matter. An unset FLOX_ENV_PROJECT gives an empty
// $(realpath), which $(filter) never matches.
func (m *makeRewrite) floxVarDef() string {
	return "FLOX := $(if $(filter $(realpath " + m.projectPath() + "),$(realpath $(FLOX_ENV_PROJECT))),,flox activate -d " +
		m.projectDir() + " --)"
}

// legacyFloxVarDef is the definition earlier versions of venv2flox wrote,
// which tested $(FLOX_ENV) only; a Makefile that has it gets floxVarDef in
// its place.
func (m *makeRewrite) legacyFloxVarDef() string {
	return "FLOX := $(if $(FLOX_ENV),,flox activate -d " + m.projectDir() + " --)"
}

// upgradeLegacyFloxVar replaces the legacy $(FLOX) definition.
func (m *makeRewrite) upgradeLegacyFloxVar() (Edit, bool) {
	legacy := m.legacyFloxVarDef()
	for _, l := range m.lines {
		if l.kind == mkAssign && l.name == "FLOX" && strings.TrimSpace(l.text) == legacy {
			at := l.start + strings.Index(l.text, legacy)
			return Edit{Start: at, End: at + len(legacy), Text: m.floxVarDef()}, true
		}
	}
	return Edit{}, false
}

// projectPath names the project folder from the Makefile's, so recipes
// that cd elsewhere first still find the environment.
func (m *makeRewrite) projectPath() string {
	dir := path.Dir(path.Clean(m.path))
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
