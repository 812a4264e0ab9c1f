// Package detect reads one Python project's files into facts. Every fact
// carries the file and line it came from, so that every later decision can
// be explained and every conflict shown with both sides.
//
// detect never writes and never decides anything about Flox.
package detect

import (
	"fmt"
	"io/fs"
	"strings"
)

// Evidence is where a fact was read: a slash-separated path relative to the
// project root and a 1-based line (0 when the fact is about the whole file).
type Evidence struct {
	Path string `json:"path"`
	Line int    `json:"line,omitempty"`
}

func (e Evidence) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", e.Path, e.Line)
	}
	return e.Path
}

// Problem is input that could not be read or understood. The rest of the
// project is still read.
type Problem struct {
	Evidence
	Message string `json:"message"`
	// Kind marks the few problems later stages act on; most have none.
	Kind ProblemKind `json:"-"`
}

// ProblemKind is a kind of problem that later stages act on.
type ProblemKind string

// ProblemBrokenInclude: a requirements file's -r or -c include cannot be
// read, so pip would fail on the file.
const ProblemBrokenInclude ProblemKind = "broken-include"

func (p Problem) Error() string { return p.Evidence.String() + ": " + p.Message }

// Project is everything one project declares about itself.
type Project struct {
	// Root is the project folder, slash-separated, relative to the scanned
	// file system ("." for its top).
	Root string `json:"root"`
	// Files lists every file detect read, relative to Root, sorted.
	Files []File `json:"files"`
	// Name is the distribution name the project publishes, normalised
	// ([project].name, [tool.poetry].name, setup.cfg or setup.py name).
	Name string `json:"name,omitempty"`

	Interpreters []InterpreterRequest `json:"interpreters,omitempty"`
	// Tools are the versions the project asks for of the JavaScript tools
	// its scripts run (.nvmrc, .node-version, package.json packageManager,
	// mise and .tool-versions).
	Tools        []ToolRequest `json:"tools,omitempty"`
	Requirements []Requirement `json:"requirements,omitempty"`
	// Constraints are `-c` pins and lock-file entries: they narrow versions
	// but do not add dependencies.
	Constraints []Requirement   `json:"constraints,omitempty"`
	Locked      []LockedPackage `json:"locked,omitempty"`
	// LockedProjects are the project's own packages as a lock file lists
	// them (the uv.lock root and workspace members, a Poetry path
	// dependency): not dependencies, but where a walk of the lock's
	// dependency graph starts.
	LockedProjects []LockedPackage `json:"lockedProjects,omitempty"`
	Indexes        []PackageIndex  `json:"indexes,omitempty"`
	Managers       []ManagerUse    `json:"managers,omitempty"`
	// Workspace holds uv workspace members (globs), when the project is one.
	Workspace *Workspace `json:"workspace,omitempty"`
	// Builds say how the project's packages (the root and any workspace
	// member) are built from source: one per pyproject.toml with a
	// [build-system] table and per setup.py that declares extensions.
	Builds []BuildSystem `json:"builds,omitempty"`
	// ToxBuilds is tox.ini's [testenv] when its environments build and
	// install the project (no skipsdist, skip_install or package = skip).
	ToxBuilds *Evidence `json:"tox_builds,omitempty"`
	// Members are folders below Root holding projects of their own that
	// this project's environment serves (a monorepo's packages, installed
	// into one root venv): their files are read as this project's, for its
	// contributors.
	Members []string `json:"members,omitempty"`
	// DocLinks maps a folder that a top-level docs or doc link names to
	// that link ("nautobot/docs" to "docs"): its pages are the project's
	// documentation, read under their own paths.
	DocLinks map[string]string `json:"docLinks,omitempty"`

	Venvs     []VenvUse    `json:"venvs,omitempty"`
	Commands  []CommandUse `json:"commands,omitempty"`
	CI        []CIJob      `json:"ci,omitempty"`
	System    []SystemNeed `json:"system,omitempty"`
	Problems  []Problem    `json:"problems,omitempty"`
	Conflicts []Conflict   `json:"conflicts,omitempty"`
	// Dynamic lists [project] fields pyproject.toml declares dynamic: the
	// build backend computes them, so their absence does not mean empty.
	Dynamic []DynamicField `json:"dynamic,omitempty"`
	// DocBlocks are the code blocks of contributor documents that serve
	// other readers (see DocBlock).
	DocBlocks []DocBlock `json:"docBlocks,omitempty"`
	// Includes are the -r and -c lines of requirements files: which file
	// pulls in which.
	Includes []Include `json:"includes,omitempty"`
	// ReadByCode are requirement files the project's own code reads
	// (setup.py turning requirements.txt into install_requires): their
	// content is the code's business, not only pip's.
	ReadByCode []FileUse `json:"readByCode,omitempty"`
	// Groups says how the managers choose dependency groups by default.
	Groups GroupSettings `json:"groupSettings,omitzero"`

	// Setup holds the shell code of the project's entry points (Makefile
	// targets, doc blocks, CI steps) as text, for the stages that run it
	// against stand-ins. It is not part of the JSON output.
	Setup SetupSources `json:"-"`
	// FS is the file system the project was read from; Root is the
	// project's folder in it. Later stages read scripts through it.
	FS fs.FS `json:"-"`
}

// Include is one `-r FILE` or `-c FILE` line of a requirements file.
type Include struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Constraint is true for -c: the file's pins narrow versions only.
	Constraint bool     `json:"constraint,omitempty"`
	Evidence   Evidence `json:"evidence"`
}

// FileUse is a file that code names, and where.
type FileUse struct {
	Path     string   `json:"path"`
	Evidence Evidence `json:"evidence"`
}

// GroupSettings are the pyproject.toml settings that decide which groups a
// manager installs when none is named.
type GroupSettings struct {
	// UVDefaultGroups is [tool.uv] default-groups ("all" as ["all"]); nil
	// when unset (uv then installs the dev group).
	UVDefaultGroups []string `json:"uvDefaultGroups,omitempty"`
	// PoetryOptional lists Poetry groups declared optional = true, which
	// `poetry install` leaves out unless --with names them.
	PoetryOptional []string `json:"poetryOptional,omitempty"`
	// UVVirtual is true when uv sync installs the project's dependencies
	// but not the project (no [build-system], or [tool.uv] package = false).
	UVVirtual bool `json:"uvVirtual,omitempty"`
	// PoetryNoPackage is [tool.poetry] package-mode = false: `poetry
	// install` installs the dependencies, never the project itself.
	PoetryNoPackage bool `json:"poetryNoPackage,omitempty"`
}

// FileKind names what a file is to venv2flox.
type FileKind string

const (
	KindRequirements   FileKind = "requirements"
	KindPyproject      FileKind = "pyproject"
	KindUVLock         FileKind = "uv.lock"
	KindPoetryLock     FileKind = "poetry.lock"
	KindPDMLock        FileKind = "pdm.lock"
	KindPipfile        FileKind = "Pipfile"
	KindPipfileLock    FileKind = "Pipfile.lock"
	KindSetupCfg       FileKind = "setup.cfg"
	KindSetupPy        FileKind = "setup.py"
	KindPythonVersion  FileKind = "python-version"
	KindRuntimeTxt     FileKind = "runtime.txt"
	KindToolVersions   FileKind = "tool-versions"
	KindMise           FileKind = "mise"
	KindCondaEnv       FileKind = "conda"
	KindMakefile       FileKind = "makefile"
	KindShell          FileKind = "shell"
	KindTox            FileKind = "tox"
	KindNox            FileKind = "nox"
	KindEnvrc          FileKind = "envrc"
	KindMarkdown       FileKind = "markdown"
	KindRST            FileKind = "rst"
	KindGitHubWorkflow FileKind = "github-workflow"
	KindGitHubAction   FileKind = "github-action"
	KindGitLabCI       FileKind = "gitlab-ci"
	KindJenkinsfile    FileKind = "jenkinsfile"
	KindCircleCI       FileKind = "circleci"
	KindAzure          FileKind = "azure-pipelines"
	KindDockerfile     FileKind = "dockerfile"
	KindSystemd        FileKind = "systemd"
	KindNodeVersion    FileKind = "node-version"
	KindPackageJSON    FileKind = "package.json"

	// Editor, hook, container and task-runner files that may point at the
	// old venv (kinds.go lists them with their extractors).
	KindPreCommit          FileKind = "pre-commit"
	KindPyrightConfig      FileKind = "pyrightconfig"
	KindMypyConfig         FileKind = "mypy-config"
	KindVSCode             FileKind = "vscode"
	KindDevcontainer       FileKind = "devcontainer"
	KindDevcontainerScript FileKind = "devcontainer-script"
	KindGitpod             FileKind = "gitpod"
	KindIgnoreFile         FileKind = "ignore-file"
	KindJustfile           FileKind = "justfile"
	KindTaskfile           FileKind = "taskfile"
	KindInvoke             FileKind = "invoke"
	KindPythonScript       FileKind = "python-script"
	KindToolSettings       FileKind = "tool-settings"
)

// File is one file detect read.
type File struct {
	Path string   `json:"path"`
	Kind FileKind `json:"kind"`
	// Group is the dependency group a requirements file feeds: "" for the
	// main dependencies, otherwise e.g. "dev", "test", "docs" (from its name).
	Group string `json:"group,omitempty"`
	// Audience is whom the file serves; only contributor files are rewritten.
	Audience Audience `json:"audience,omitempty"`
	// Why says what decided the audience, for reports ("" for contributor
	// files, which need no reason).
	Why string `json:"audienceReason,omitempty"`
}

// Audience says whom a file, a doc block or a CI job serves. Only the
// contributor workflow of this checkout is migrated; the rest is left as
// it is and reported where it touches the dev venv.
type Audience string

const (
	// AudienceContributor: the development workflow of this checkout
	// (setup docs, dev scripts, Makefiles, test/lint/docs CI jobs).
	AudienceContributor Audience = "contributor"
	// AudienceUser: docs for the package's users, plugin authors, tutorials.
	AudienceUser Audience = "user"
	// AudienceExample: examples, templates and fixtures, often projects of their own.
	AudienceExample Audience = "example"
	// AudienceRelease: build, publish and deploy CI jobs.
	AudienceRelease Audience = "release"
	// AudienceOperator: deployment, upgrade and service scripts, end-user launchers.
	AudienceOperator Audience = "operator"
	// AudienceNone: files and jobs that never create or use the dev venv.
	AudienceNone Audience = "none"
)

// DocBlock is a code block of a contributor document (a README, say) whose
// readers are not the project's contributors: an install section for the
// package's users, a block that works in another project. Only blocks that
// touch a venv are listed.
type DocBlock struct {
	Evidence // the fence, directive or first line of the block
	// EndLine is the block's last line (its closing fence, if any).
	EndLine  int      `json:"endLine"`
	Audience Audience `json:"audience"`
	Why      string   `json:"reason"`
}

// InterpreterRequest is one source's wish for a Python interpreter.
type InterpreterRequest struct {
	Source FileKind `json:"source"`
	// Spec is the request as written, normalised only in whitespace:
	// "3.12", "3.12.4", ">=3.11,<3.13", "^3.10", "pypy3.10".
	Spec string `json:"spec"`
	// Implementation is "cpython" (default), "pypy" or "graalpy".
	Implementation string `json:"implementation,omitempty"`
	// FreeThreaded marks requests such as "3.13t".
	FreeThreaded bool `json:"freeThreaded,omitempty"`
	// Matrix is true when the request is one of several CI matrix entries.
	Matrix   bool     `json:"matrix,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// Requirement is one declared dependency (PEP 508 or a manager's equivalent).
type Requirement struct {
	// Name is normalised per PEP 503 (lower case, runs of -_. become -).
	Name      string   `json:"name"`
	Extras    []string `json:"extras,omitempty"`
	Specifier string   `json:"specifier,omitempty"`
	Marker    string   `json:"marker,omitempty"`
	URL       string   `json:"url,omitempty"`
	Editable  bool     `json:"editable,omitempty"`
	// Path is set for local path requirements ("-e .", "./libs/foo").
	Path string `json:"path,omitempty"`
	// Group is "" for main dependencies, or the extra/group name.
	Group string `json:"group,omitempty"`
	// Optional is true for extras (optional-dependencies), false for groups.
	Optional bool `json:"optional,omitempty"`
	// Table is the pyproject.toml table a group comes from
	// ("dependency-groups", "tool.hatch.envs", "tool.pdm.dev-dependencies",
	// "tool.uv.dev-dependencies"): only PEP 735 groups are what
	// `--group` selects.
	Table    string   `json:"table,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// LockedPackage is one package pinned by a lock file.
type LockedPackage struct {
	Name     string   `json:"name"`
	Version  string   `json:"version"`
	Evidence Evidence `json:"evidence"`
	// SdistOnly is true when the lock lists no wheel: a source build.
	SdistOnly bool `json:"sdistOnly,omitempty"`
	// Wheels are the file names of the wheels the lock lists (uv.lock,
	// poetry.lock, pdm.lock): their tags say which Pythons and platforms
	// get a binary. Not in the JSON output: numpy alone lists dozens.
	Wheels []string `json:"-"`
	// Requires are the package's own dependencies as the lock resolved
	// them; Extras, those each of its extras adds; Groups, those of each
	// dependency group (uv.lock lists groups for the project's own
	// packages). Pipfile.lock has none: its sections are flat.
	Requires []LockedDep            `json:"requires,omitempty"`
	Extras   map[string][]LockedDep `json:"extras,omitempty"`
	Groups   map[string][]LockedDep `json:"groups,omitempty"`
	// Sections are the Pipfile.lock sections listing the package
	// ("default", "develop"), each installed as one flat set.
	Sections []string `json:"sections,omitempty"`
	// Marker is the environment marker of the package itself
	// (Pipfile.lock): the package is installed only where it holds.
	Marker string `json:"marker,omitempty"`
	// Source is the folder of one of the project's own packages as the
	// lock names it ("." for the root, "packages/core" for a workspace
	// member); empty for dependencies.
	Source string `json:"source,omitempty"`
}

// LockedDep is one dependency edge of a lock file: the package it needs,
// with the extras it asks for and the marker that must hold. Version is
// set when the lock holds several versions of the package (uv.lock forks).
type LockedDep struct {
	Name    string   `json:"name"`
	Version string   `json:"version,omitempty"`
	Extras  []string `json:"extras,omitempty"`
	Marker  string   `json:"marker,omitempty"`
}

// PackageIndex is an index or find-links location the project installs from.
type PackageIndex struct {
	URL string `json:"url"`
	// Kind is index-url, extra-index-url, find-links, trusted-host, no-index
	// (URL empty), uv-index, poetry-source, pdm-source or pipenv-source.
	Kind     string   `json:"kind"`
	Evidence Evidence `json:"evidence"`
}

// Manager names a Python package manager.
type Manager string

const (
	ManagerPip    Manager = "pip"
	ManagerUV     Manager = "uv"
	ManagerPoetry Manager = "poetry"
	ManagerPDM    Manager = "pdm"
	ManagerPipenv Manager = "pipenv"
	ManagerHatch  Manager = "hatch"
	ManagerConda  Manager = "conda"
)

// ManagerUse is evidence that a project uses a package manager. Lock files
// and build backends are strong evidence; commands in scripts are weaker.
type ManagerUse struct {
	Manager Manager `json:"manager"`
	// Strength orders evidence: 3 lock file, 2 manifest table, 1 command.
	Strength int      `json:"strength"`
	Reason   string   `json:"reason"`
	Evidence Evidence `json:"evidence"`
}

// BuildSystem is how one of the project's packages is built: its PEP 517
// backend and build requirements (pyproject.toml), or the compiled
// extensions its setup.py declares.
type BuildSystem struct {
	// Backend is [build-system] build-backend ("maturin",
	// "setuptools.build_meta"), empty for setup.py.
	Backend string `json:"backend,omitempty"`
	// Requires are the normalised names of [build-system] requires.
	Requires []string `json:"requires,omitempty"`
	// Name is the package's [project] name, when pyproject.toml gives it.
	Name string `json:"name,omitempty"`
	// Extensions is true when setup.py declares compiled extensions
	// (Extension(...), ext_modules=, cythonize(...)) or pyproject.toml
	// does ([[tool.setuptools.ext-modules]]).
	Extensions bool `json:"extensions,omitempty"`
	// Binary is true when the wheel holds a compiled program rather than
	// an importable package (maturin's `bindings = "bin"`).
	Binary   bool     `json:"binary,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// Workspace is a uv workspace declared by the project.
type Workspace struct {
	Members  []string `json:"members"`
	Exclude  []string `json:"exclude,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// VenvAction is what a piece of code does with a virtual environment.
type VenvAction string

const (
	VenvCreate     VenvAction = "create"     // python -m venv DIR, virtualenv DIR, uv venv
	VenvActivate   VenvAction = "activate"   // source DIR/bin/activate
	VenvBinUse     VenvAction = "bin"        // DIR/bin/pip, $(VENV)/bin/pytest
	VenvDeactivate VenvAction = "deactivate" // deactivate
	VenvInstall    VenvAction = "install"    // pip install -r ..., uv sync, poetry install
	// VenvConfig: a setting names the venv folder (pyright venv, an editor's
	// interpreter path, an ignore file's pattern).
	VenvConfig VenvAction = "config"
)

// VenvUse is one place where a file creates, activates or uses a venv.
type VenvUse struct {
	Action VenvAction `json:"action"`
	// Dir is the venv folder as written (".venv", "$(VENV)", "venv"), when known.
	Dir string `json:"dir,omitempty"`
	// Command is the command text as written, for reports.
	Command  string   `json:"command"`
	File     FileKind `json:"file"`
	Windows  bool     `json:"windows,omitempty"`
	Evidence Evidence `json:"evidence"`
}

// ToolsOwn reports a venv a tool makes and keeps for itself (tox's
// environments in .tox): the migration leaves it to the tool.
func (v VenvUse) ToolsOwn() bool { return v.File == KindTox }

// OneLine is the command with its white space folded, cut to at most
// max characters, for reports and messages.
func (v VenvUse) OneLine(max int) string {
	s := strings.Join(strings.Fields(v.Command), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max-3]) + "..."
	}
	return s
}

// CommandUse is a program a script, Makefile or CI step runs (other than the
// venv handling above); used to find non-Python tools the project needs.
type CommandUse struct {
	Name     string   `json:"name"`
	Args     []string `json:"args,omitempty"`
	File     FileKind `json:"file"`
	Evidence Evidence `json:"evidence"`
}

// CIJob is one CI job's Python setup.
type CIJob struct {
	System  FileKind `json:"system"`
	Name    string   `json:"name"`
	Pythons []string `json:"pythons,omitempty"`
	// PythonVersionFile is setup-python's python-version-file, if used.
	PythonVersionFile string   `json:"pythonVersionFile,omitempty"`
	Matrix            bool     `json:"matrix,omitempty"`
	OS                []string `json:"os,omitempty"`
	Cache             string   `json:"cache,omitempty"`
	Actions           []string `json:"actions,omitempty"` // uses: entries
	Image             string   `json:"image,omitempty"`
	// Audience is whom the job serves (contributor, release, none).
	Audience Audience `json:"audience,omitempty"`
	// Why says what decided a release or none audience.
	Why string `json:"audienceReason,omitempty"`
	// TestRunner is tox or nox when the job only runs that tool: it tests
	// the project in environments the tool makes from the job's Pythons.
	TestRunner string   `json:"testRunner,omitempty"`
	Evidence   Evidence `json:"evidence"`
	// EndLine is the job's last line (0 when unknown: the job is then only
	// its first line).
	EndLine int `json:"endLine,omitempty"`
	// NoCheckout: a GitHub job that never checks out this repository
	// (it tests an sdist or artifacts): no entry point the migration
	// changes reaches it, and its venv is not the project's.
	NoCheckout bool `json:"noCheckout,omitempty"`
}

// SystemNeed is a system package the project's files ask for (Dockerfile
// apt-get, conda non-Python packages). Name is the distribution's name.
type SystemNeed struct {
	Name     string   `json:"name"`
	Source   string   `json:"source"` // "apt", "apk", "conda", "brew"
	Evidence Evidence `json:"evidence"`
}

// Conflict is two facts that cannot both hold, such as two interpreter
// requests no single version satisfies.
type Conflict struct {
	Message string   `json:"message"`
	A       Evidence `json:"a"`
	B       Evidence `json:"b"`
}

// DynamicField is one pyproject.toml [project] field listed in `dynamic`,
// such as "dependencies" or "version".
type DynamicField struct {
	Name     string   `json:"name"`
	Evidence Evidence `json:"evidence"`
}

// SetupSources are the shell code of a project's entry points.
type SetupSources struct {
	Makefiles []Makefile
	// Justfiles are justfiles read the same way: recipes as targets,
	// dependencies as prerequisites.
	Justfiles []Makefile
	Docs      []SetupBlock
	CI        []CIJobSteps
	// Containers are the commands a dev container or a Gitpod workspace
	// runs inside the container when it is built (devcontainer.json's
	// lifecycle commands but initializeCommand, .gitpod.yml's tasks), in
	// order.
	Containers []ShellSource
	// FloxHook is the on-activate hook of an environment venv2flox wrote.
	FloxHook *ShellSource
	// Tox are the environments of the project's tox configuration
	// (tox.ini, tox.toml or pyproject.toml's [tool.tox]), base first.
	Tox []ToxEnv
}

// ShellSource is shell code cut out of a file, ready to run: prompts,
// template expressions and make references already dealt with.
type ShellSource struct {
	Script string
	// Lines maps each line of Script (0-based) to its file line.
	Lines []int
	// Path is the file it was cut from.
	Path string
}

// LineAt returns the file line of a 1-based line of Script.
func (s ShellSource) LineAt(line int) int {
	if line < 1 || line > len(s.Lines) {
		return 0
	}
	return s.Lines[line-1]
}

// Makefile is one Makefile's rules, recipes expanded with its variables.
type Makefile struct {
	Path    string
	Targets []MakeTarget
	// Includes are the project files it includes (project-relative),
	// whose rules make knows as well.
	Includes []string
}

// MakeTarget is one rule's target, its prerequisites and its recipe.
type MakeTarget struct {
	Name     string
	Prereqs  []string
	Evidence Evidence
	// Recipe holds one source per shell make starts: one per recipe line,
	// or one for the whole recipe under .ONESHELL.
	Recipe []ShellSource
}

// SetupBlock is one shell code block of a document, with the heading of
// the section it is in.
type SetupBlock struct {
	// Headings are the titles of the sections the block is in, outermost
	// first.
	Headings []string
	Source   ShellSource
	// Aside marks a block off the section's main path: in a note or tip,
	// or introduced as another way ("Alternatively, with conda:").
	Aside bool
}

// CIJobSteps are the `run:` steps of one CI job, in order.
type CIJobSteps struct {
	Job      string
	Evidence Evidence
	Steps    []CIStep
}

// CIStep is one `run:` step; If is its condition, when it has one.
type CIStep struct {
	Name   string
	If     string
	Source ShellSource
}

// ToolRequest is a version of a tool the project asks for: "node" 22.22.3,
// "pnpm" 10.26.0, "yarn" 4.12.0.
type ToolRequest struct {
	Tool     string   `json:"tool"`
	Version  string   `json:"version"`
	Evidence Evidence `json:"evidence"`
}

// DocPath spells a file of a linked documentation folder as its link
// names it (nautobot/docs/development/setup.md as docs/development/setup.md),
// for the rules that judge pages by their place under docs/; any other
// path is returned as is.
func (p *Project) DocPath(rel string) string {
	for dir, link := range p.DocLinks {
		if rest, ok := strings.CutPrefix(rel, dir+"/"); ok {
			return link + "/" + rest
		}
	}
	return rel
}
