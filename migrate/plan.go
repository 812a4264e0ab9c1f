// Package migrate finds Python projects, plans their Flox environments,
// orchestrates detection, planning and rewriting, and applies the result.
// It is the only package that writes files.
package migrate

import (
	"github.com/venv2flox/venv2flox/detect"
)

// PlanOptions are the user's choices that change a plan.
type PlanOptions struct {
	// Python forces the interpreter ("3.12", "3.12.4"); empty = decide.
	Python string
	// Manager forces the package manager ("uv", "pip", "poetry", "pdm",
	// "pipenv"); empty = decide from the evidence.
	Manager string
	// VenvDir is where the hook keeps the venv; empty = $FLOX_ENV_CACHE/venv.
	// A project-relative folder (".venv") keeps a venv editors find.
	VenvDir string
	// Groups selects the dependency groups/extras synced besides the main
	// dependencies. nil = the documented default (dev-like groups).
	Groups []string
	// NoDev syncs only the main dependencies.
	NoDev bool
	// AllExtras syncs every optional-dependency extra.
	AllExtras bool
	// EnvName overrides the environment name (default: the folder name).
	EnvName string
	// Repository is the Python the other environments of the repository
	// share (a recursive run sets it): it is chosen when the project asks
	// for no exact minor and its requirements allow it.
	Repository RepositoryPython
}

// RepositoryPython is the interpreter of a repository's environments.
type RepositoryPython struct {
	// Minor is "3.12"; empty when there is none to share.
	Minor string
	// Why says where it comes from, with repository-relative evidence
	// ("services/api/.python-version:1 says 3.12").
	Why string
}

// Reason says why the plan contains something, with the evidence behind it.
type Reason struct {
	Text     string            `json:"text"`
	Evidence []detect.Evidence `json:"evidence,omitempty"`
}

// Package is one `[install]` entry.
type Package struct {
	ID       string   `json:"id"`
	PkgPath  string   `json:"pkgPath"`
	Version  string   `json:"version,omitempty"`
	Systems  []string `json:"systems,omitempty"`
	Outputs  []string `json:"outputs,omitempty"`
	Priority int      `json:"priority,omitempty"`
	// PkgGroup is set for packages that must resolve apart from the
	// others (an old interpreter and what depends on it).
	PkgGroup string `json:"pkgGroup,omitempty"`
	Reason   Reason `json:"reason"`
}

// Var is one `[vars]` entry.
type Var struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Reason Reason `json:"reason"`
}

// HookStep is one step of the on-activate hook, for explanation.
type HookStep struct {
	Name   string `json:"name"`
	Reason Reason `json:"reason"`
}

// Interpreter is the chosen Python.
type Interpreter struct {
	// Minor is "3.12".
	Minor  string `json:"minor"`
	Reason Reason `json:"reason"`
	// Command is the program the hook runs from $FLOX_ENV/bin to create the
	// venv ("python3", or "pypy3" for PyPy).
	Command string `json:"command,omitempty"`
	// Asked is set when the project's own files ask for this minor exactly
	// (--python, .python-version, a lock file): other environments of the
	// repository follow it.
	Asked bool `json:"-"`
}

// Profile holds the per-shell profile scripts.
type Profile struct {
	Common string `json:"common,omitempty"`
	Bash   string `json:"bash,omitempty"`
	Zsh    string `json:"zsh,omitempty"`
	Fish   string `json:"fish,omitempty"`
	Tcsh   string `json:"tcsh,omitempty"`
}

// Plan is the Flox environment venv2flox will create for one project.
type Plan struct {
	Project     *detect.Project `json:"-"`
	EnvName     string          `json:"envName"`
	Interpreter Interpreter     `json:"interpreter"`
	Manager     string          `json:"manager"`
	ManagerWhy  Reason          `json:"managerReason"`
	// VenvDir is the venv location as the hook sees it
	// ("$FLOX_ENV_CACHE/venv" or "$FLOX_ENV_PROJECT/.venv").
	VenvDir string `json:"venvDir"`
	// Synced lists the dependency files the hook keeps installed.
	Synced []string `json:"synced"`
	// Sync are the commands the hook runs, in order, when the stamp changed.
	Sync []string `json:"sync,omitempty"`
	// Hashed lists the files whose contents make up the hook's stamp
	// (every dependency file, so any change re-syncs).
	Hashed    []string          `json:"hashed,omitempty"`
	Groups    []string          `json:"groups,omitempty"`
	Packages  []Package         `json:"packages"`
	Vars      []Var             `json:"vars,omitempty"`
	Hook      string            `json:"hook"`
	HookSteps []HookStep        `json:"hookSteps"`
	Profile   Profile           `json:"profile"`
	Systems   []string          `json:"systems,omitempty"`
	Unfree    bool              `json:"allowUnfree,omitempty"`
	Conflicts []detect.Conflict `json:"conflicts,omitempty"`
	// Warnings are what changes what contributors get (an old interpreter
	// in its own pkg-group, a package built from source); migrate shows
	// them too.
	Warnings []string `json:"warnings,omitempty"`
	// Libraries are the shared libraries the venv's Python must find in
	// $FLOX_ENV/lib on Linux (sonames, such as libstdc++.so.6): a .pth file
	// the hook writes makes it preload them.
	Libraries []string `json:"libraries,omitempty"`
	// Notices are remarks about what contributors get (a workspace synced
	// in part, a lock file to commit, packages left out): migrate shows
	// them too.
	Notices []string `json:"notices,omitempty"`
	// Notes are the reviewer's other remarks: evidence set aside, libraries
	// wheels bundle, that manifest.lock is made by the first `flox activate`.
	Notes []string `json:"notes,omitempty"`
	// Setup is the contributor setup recipe the sync reproduces, and the
	// differential check of the hook against it.
	Setup *SetupCheck `json:"setup,omitempty"`
}

// SetupCheck is the project's setup recipe and what it and the hook
// install, in the install set's canonical lines.
type SetupCheck struct {
	// Recipe names the setup ("make install-dev"), Evidence is where it
	// is, NamedBy the doc line that names it; empty without a recipe.
	Recipe string `json:"recipe,omitempty"`
	// Kind is where the recipe is: "docs", "make", "script", "ci" or
	// "flox" (the hook of an earlier migration).
	Kind     string           `json:"kind,omitempty"`
	Evidence *detect.Evidence `json:"evidence,omitempty"`
	NamedBy  *detect.Evidence `json:"namedBy,omitempty"`
	// RecipeSet is what the recipe installs, HookSet what the hook does.
	RecipeSet []string `json:"recipeSet,omitempty"`
	HookSet   []string `json:"hookSet"`
	// Differences are facts only the recipe ("- ...") or only the hook
	// ("+ ...") has.
	Differences []string `json:"differences,omitempty"`
	// Problem is why the check fails other than by a difference: the
	// recipe builds its venv with a tool venv2flox does not replay, or the
	// hook installs nothing although the project declares dependencies.
	Problem string `json:"problem,omitempty"`
	// Notes say what is not synced, and whether the project is installed.
	Notes []SetupNote `json:"notes,omitempty"`
}

// Passes reports whether the check shows the hook installs what the
// recipe did.
func (sc *SetupCheck) Passes() bool {
	return len(sc.Differences) == 0 && sc.Problem == ""
}

// Kinds of SetupNote (their JSON "kind").
const (
	NoteNotSynced           = "not-synced"
	NoteProjectNotInstalled = "project-not-installed"
)

// SetupNote is something the sync leaves out of the recipe's set.
type SetupNote struct {
	// Kind is "not-synced" or "project-not-installed".
	Kind     string           `json:"kind"`
	Text     string           `json:"text"`
	Evidence *detect.Evidence `json:"evidence,omitempty"`
}
