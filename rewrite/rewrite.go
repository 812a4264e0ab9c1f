// Package rewrite turns a migration plan plus the contents of a project's
// scripts, Makefiles, READMEs and CI files into byte-range edits that make
// them use Flox, and renders all changes as unified diffs.
//
// rewrite never decides what the environment contains; it only edits text.
// What it recognises but will not change safely becomes a FollowUp.
package rewrite

import (
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// Context is what a rewriter needs to know about the migration.
type Context struct {
	// ProjectDir is the project folder relative to the repository root
	// (slash-separated, "." for the root). CI files at the repository root
	// use it to activate the right environment (`flox activate -d DIR`).
	ProjectDir string
	// VenvDirs are the venv folders the project used (".venv", "venv",
	// "env"), as found by detect. Paths into them are rewritten.
	VenvDirs []string
	// Synced lists the dependency files the Flox hook keeps installed,
	// relative to the project ("requirements.txt", "pyproject.toml",
	// "uv.lock"). Install commands for these become redundant.
	Synced []string
	// Groups are the dependency groups and extras the hook syncs besides
	// the main dependencies ("dev", "lint"; "dev-packages" for Pipenv).
	// Installs that ask for other groups or extras stay.
	Groups []string
	// Manager is the package manager the hook uses ("uv", "pip", "poetry", ...).
	Manager string
	// KeepVenv keeps the venv instructions and adds the Flox way beside them.
	KeepVenv bool
	// Python is the interpreter minor the environment provides ("3.12");
	// empty when unknown. CI commands that ask for another one are left alone.
	Python string
	// Packages are the catalog packages the environment installs
	// ("python312", "uv", "nodejs"): a CI job whose own toolchain one of
	// them would shadow is left alone.
	Packages []string
	// ContainerScripts are the project's scripts a Dockerfile runs
	// (ENTRYPOINT ["./boot.sh"]): they activate the image's venv, where
	// there is no Flox, and are never rewritten.
	ContainerScripts []string
	// SharedMakefiles are the project's Makefiles that another one
	// includes, or that include another, while one of the group uses the
	// venv: their variables are shared, so they are left for people to
	// migrate together.
	SharedMakefiles []string
	// ProjectName is the distribution name the project publishes,
	// normalised: docs that install it from an index are for its users.
	ProjectName string
	// Venv is the project-relative folder of the venv the Flox hook keeps:
	// ".flox/cache/venv" ($FLOX_ENV_CACHE/venv) by default, ".venv" with
	// --venv-dir .venv. Settings that name the venv by path (editor
	// interpreters, pre-commit entries, pyright's venv) are pointed here.
	// Empty means the default.
	Venv string
	// Called lists, per Makefile (project-relative path), the targets that
	// something outside it runs: CI jobs, docs, scripts, task runners and
	// other Makefiles. A target left with nothing to do is kept while
	// something runs it, and goes otherwise. nil means not known: every
	// target counts as called.
	Called map[string][]string
	// FloxActions are the composite actions of the repository (paths of
	// their action.yml) that move to Flox together with every job that
	// uses them: such a job runs its steps in the environment the action
	// installs. The others are left as they are. nil means not known:
	// composite actions move on their own.
	FloxActions []string
	// KeptActions are the composite actions that stay as they are because
	// a job that uses them cannot move: every job that uses one keeps the
	// Python it sets up.
	KeptActions []string
	// ActionUsers names, per composite action (path of its action.yml),
	// the callers that stay outside Flox ("job test (.github/workflows/ci.yml)"):
	// the follow-up of an action left as it is names each of them.
	ActionUsers map[string][]string
	// ReadFile reads another file of the project (a path relative to it):
	// Makefiles that include one another are rewritten knowing each other.
	// nil when files cannot be read.
	ReadFile func(path string) ([]byte, error)
	// SourcedScripts are the project's scripts other files read with
	// `source`: they run in the caller's shell, so they activate the
	// environment in place instead of re-running themselves.
	SourcedScripts []string
	// TreeWalkers are the tools among flake8 and isort that the project
	// runs over its whole tree: their settings get .flox among the folders
	// they skip, since the venv now lives in .flox/cache.
	TreeWalkers []string
	// VenvUsers lists, per script or Makefile (project-relative path), the
	// callers that stay outside Flox and use a venv folder the file
	// creates after running it (a CI matrix job on setup-python runs
	// scripts/bootstrap, then .venv/bin/pytest). Without Flox the file
	// must go on creating the folder: a script keeps its venv setup for
	// runs outside the Flox environment, a Makefile is left as it is.
	VenvUsers map[string][]VenvUser
	// Leave lists the doc blocks and CI jobs of the files being rewritten
	// that serve other readers than the project's contributors (the
	// package's users, examples, release jobs): they stay as they are.
	Leave []Span
}

// VenvUser is a caller outside Flox that uses a venv folder an entry
// point creates.
type VenvUser struct {
	Dir    string // the folder, relative to the project (".venv")
	Caller string // "job test (.github/workflows/ci.yml)"
}

// venvUsers returns the VenvUsers of a file (nil-safe).
func (ctx *Context) venvUsers(path string) []VenvUser {
	if ctx == nil || ctx.KeepVenv {
		return nil
	}
	return ctx.VenvUsers[path]
}

// venvUsersNote is the follow-up of an entry point left as it is for its
// callers outside Flox.
func venvUsersNote(path string, users []VenvUser, what string) FollowUp {
	var callers []string
	for _, u := range users {
		c := u.Caller + " uses " + u.Dir
		if !slices.Contains(callers, c) {
			callers = append(callers, c)
		}
	}
	return FollowUp{Evidence: detect.Evidence{Path: path, Line: 1},
		Message:    "left alone: " + strings.Join(callers, "; ") + " after running it, outside Flox, " + what,
		Suggestion: "Move those callers to Flox (or have them stop using the venv folder directly), then run venv2flox again."}
}

// Span is a range of lines of one file, 1-based and inclusive.
type Span struct {
	Path  string `json:"path"`
	First int    `json:"first"`
	Last  int    `json:"last"`
}

// leaves reports whether the line of a file is in one of ctx.Leave.
func (ctx *Context) leaves(path string, line int) bool {
	if ctx == nil {
		return false
	}
	for _, s := range ctx.Leave {
		if s.Path == path && s.First <= line && line <= s.Last {
			return true
		}
	}
	return false
}

// FollowUp is something a rewriter recognised but left alone, with what a
// person should do about it.
type FollowUp struct {
	Evidence   detect.Evidence `json:"evidence"`
	Message    string          `json:"message"`
	Suggestion string          `json:"suggestion,omitempty"`
	// Subject and Topic split a note about one of several things (a CI
	// job, a command) into what it is about ("job test") and what it says
	// ("runs in a container"), so that a report can say once what it says
	// of several. Empty when the Message stands alone.
	Subject string `json:"subject,omitempty"`
	Topic   string `json:"topic,omitempty"`
	// EndLine is the last line the follow-up speaks for when it is about
	// a code block left as it is rather than one line (0: its line only).
	EndLine int `json:"endLine,omitempty"`
}

func (f FollowUp) String() string { return f.Evidence.String() + ": " + f.Message }

// Result is a rewriter's output for one file.
type Result struct {
	// New is the rewritten file; equal to the input when nothing changed.
	New       []byte
	FollowUps []FollowUp
}

// Func rewrites one file. path is relative to the project root and is used
// for evidence only; src is the file's bytes exactly as on disk (BOM and
// CRLF included), and the result must keep both.
type Func func(ctx *Context, path string, src []byte) (Result, error)

// rewriters is the one table of what happens to each file kind detect
// reads (detect/kinds.go): the function that rewrites its files (or, for
// kinds never edited, reports each line that uses the venv), or why they
// are left as they are without a word.
// TestEveryKindHasARewriteEntry fails while a kind is missing.
var rewriters = map[detect.FileKind]rewriter{
	detect.KindShell:          {fn: ShellScript},
	detect.KindMakefile:       {fn: Makefile},
	detect.KindMarkdown:       {fn: Markdown},
	detect.KindRST:            {fn: RST},
	detect.KindGitHubWorkflow: {fn: GitHubWorkflow},
	detect.KindGitHubAction:   {fn: GitHubWorkflow},
	detect.KindGitLabCI:       {fn: GitLabCI},
	detect.KindJenkinsfile:    {fn: Jenkinsfile},
	detect.KindCircleCI:       {fn: CircleCI},
	detect.KindAzure:          {fn: AzurePipelines},
	detect.KindEnvrc:          {fn: Envrc},
	detect.KindJustfile:       {fn: Justfile},
	// Files that name the venv by path (sources.go).
	detect.KindPreCommit:     {fn: PreCommit},
	detect.KindIgnoreFile:    {fn: IgnoreFile},
	detect.KindPyproject:     {fn: both(Pyproject, ToolExcludes)},
	detect.KindPyrightConfig: {fn: PyrightConfig},
	detect.KindMypyConfig:    {fn: MypyConfig},
	detect.KindSetupCfg:      {fn: both(MypyConfig, ToolExcludes)},
	detect.KindToolSettings:  {fn: ToolExcludes},
	// tox makes and keeps its own environments; only its [flake8], [pytest]
	// and [isort] sections name the venv.
	detect.KindTox:    {fn: ToolExcludes},
	detect.KindVSCode: {fn: VSCode},

	// Never edited; every line that uses the venv is reported.
	detect.KindSystemd:            {fn: SystemdUnit},
	detect.KindDevcontainer:       {fn: Devcontainer},
	detect.KindDevcontainerScript: {fn: DevcontainerScript},
	detect.KindGitpod:             {fn: Gitpod},
	detect.KindPythonScript:       {fn: PythonScript},
	detect.KindInvoke:             {fn: Invoke},
	detect.KindTaskfile:           {fn: Taskfile},

	// Never edited nor reported: nothing in them is the dev venv's.
	detect.KindRequirements:  {never: "dependency data: the hook syncs from it"},
	detect.KindUVLock:        {never: "dependency data: the hook syncs from it"},
	detect.KindPoetryLock:    {never: "dependency data: the hook syncs from it"},
	detect.KindPDMLock:       {never: "dependency data: the hook syncs from it"},
	detect.KindPipfile:       {never: "dependency data: the hook syncs from it"},
	detect.KindPipfileLock:   {never: "dependency data: the hook syncs from it"},
	detect.KindSetupPy:       {never: "package metadata, read by the build backend"},
	detect.KindCondaEnv:      {never: "a conda environment of its own"},
	detect.KindPythonVersion: {never: "an interpreter request: the plan follows it"},
	detect.KindToolVersions:  {never: "an interpreter request: the plan follows it"},
	detect.KindMise:          {never: "an interpreter request: the plan follows it"},
	detect.KindRuntimeTxt:    {never: "the deployment runtime's Python"},
	detect.KindNodeVersion:   {never: "a Node.js version request: the plan follows it"},
	detect.KindPackageJSON:   {never: "JavaScript packages: the plan reads only packageManager"},
	detect.KindNox:           {never: "nox makes and keeps its own environments"},
	detect.KindDockerfile:    {never: "an image has its own Python and venv, without Flox"},
}

// rewriter is one row of the rewriters table: fn, or the reason there is
// none.
type rewriter struct {
	fn    Func
	never string
}

// ForKind returns the rewriter for a file kind, or nil when files of that
// kind are never rewritten nor reported.
func ForKind(kind detect.FileKind) Func { return rewriters[kind].fn }
