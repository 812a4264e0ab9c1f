// Package callgraph finds who runs a project's entry points: which CI jobs,
// docs builds, pre-commit hooks, task runners, devcontainers, Makefiles,
// scripts and documents run which make targets, scripts and composite
// actions. migrate uses it to decide what a rewrite may change (a make
// target something still runs is kept) and, after the rewrite, to name the
// callers the patch would break (Check).
//
// callgraph reads files and never writes; it decides nothing about Flox.
package callgraph

import (
	"io/fs"
	"path"
	"sort"

	"github.com/venv2flox/venv2flox/detect"
)

// EntryKind is what kind of entry point a call runs.
type EntryKind string

const (
	EntryMake   EntryKind = "make"   // a target of a Makefile
	EntryScript EntryKind = "script" // a project script, run or sourced
	EntryAction EntryKind = "action" // a composite GitHub action of the repository
)

// Entry is an entry point of the project.
type Entry struct {
	Kind EntryKind
	// File is the Makefile, script or action.yml, relative to the project.
	File string
	// Target is the make target; "" runs the default goal.
	Target string
}

func (e Entry) String() string {
	switch e.Kind {
	case EntryMake:
		if e.Target == "" {
			return "make -f " + e.File
		}
		if path.Dir(e.File) == "." {
			return "make " + e.Target
		}
		return "make -C " + path.Dir(e.File) + " " + e.Target
	case EntryAction:
		return "./" + path.Dir(e.File)
	}
	return e.File
}

// CallerKind is what kind of file or job runs an entry point.
type CallerKind string

const (
	CallerGitHub       CallerKind = "github-job"
	CallerAction       CallerKind = "github-action"
	CallerGitLab       CallerKind = "gitlab-job"
	CallerCircleCI     CallerKind = "circleci-job"
	CallerAzure        CallerKind = "azure-job"
	CallerJenkins      CallerKind = "jenkins-stage"
	CallerReadTheDocs  CallerKind = "readthedocs"
	CallerPreCommit    CallerKind = "pre-commit"
	CallerTox          CallerKind = "tox"
	CallerNox          CallerKind = "nox"
	CallerDevcontainer CallerKind = "devcontainer"
	CallerGitpod       CallerKind = "gitpod"
	CallerJust         CallerKind = "just"
	CallerTask         CallerKind = "task"
	CallerInvoke       CallerKind = "invoke"
	CallerMake         CallerKind = "make"
	CallerScript       CallerKind = "script"
	CallerDoc          CallerKind = "doc"
)

// Caller is a job, hook, recipe or file that runs entry points.
type Caller struct {
	Kind CallerKind
	File string // relative to the project
	Name string // job, stage, hook, session or recipe name; "" for a whole file
	Line int    // where the job or recipe starts
	// Flox is set when the caller runs its commands in the Flox
	// environment (a job that installs Flox or runs in its image).
	Flox bool
}

// String names the caller for a message: "job tests (.github/workflows/ci.yml)".
func (c Caller) String() string {
	what := map[CallerKind]string{
		CallerGitHub: "job", CallerAction: "action", CallerGitLab: "job", CallerCircleCI: "job",
		CallerAzure: "job", CallerJenkins: "stage", CallerReadTheDocs: "the Read the Docs build",
		CallerPreCommit: "pre-commit hook", CallerTox: "tox environment", CallerNox: "nox session",
		CallerDevcontainer: "the devcontainer", CallerGitpod: "the Gitpod task", CallerJust: "just recipe",
		CallerTask: "task", CallerInvoke: "invoke task", CallerMake: "make target", CallerScript: "script",
		CallerDoc: "the instructions in",
	}[c.Kind]
	switch {
	case c.Kind == CallerScript || c.Kind == CallerDoc:
		return what + " " + c.File
	case c.Name == "":
		return what + " (" + c.File + ")"
	}
	return what + " " + c.Name + " (" + c.File + ")"
}

// Call is one place where a caller runs an entry point.
type Call struct {
	Caller Caller
	Entry  Entry
	// Line is the line of the call in Caller.File.
	Line int
}

// Graph is every call found in a project.
type Graph struct {
	Calls []Call
	// Runs are the commands of the callers that run on their own (CI jobs,
	// composite actions, the Read the Docs build, pre-commit hooks,
	// devcontainers, Gitpod tasks), in file order: what each would execute.
	Runs []Run
}

// Run is what one caller executes, step by step.
type Run struct {
	Caller Caller
	Steps  []Step
}

// Step is one command of a run: shell text, or a command given as words
// (a devcontainer command array, a pre-commit script), or a composite
// action of the repository it runs.
type Step struct {
	Shell  string
	Argv   []string
	Action string // the action.yml a `uses: ./path` step runs
	Dir    string // working folder, relative to the project
	Line   int
}

// readers is the one table of what the call graph reads in each file kind
// detect reads (detect/kinds.go): the reader of the files that run the
// project's entry points, or why a kind runs none the migration changes.
// TestEveryKindHasAReaderEntry fails while a kind is missing.
var readers = map[detect.FileKind]reader{
	detect.KindGitHubWorkflow: {read: (*builder).githubWorkflow},
	detect.KindGitHubAction:   {read: (*builder).githubAction},
	detect.KindGitLabCI:       {read: (*builder).gitlab},
	detect.KindCircleCI:       {read: (*builder).circleci},
	detect.KindAzure:          {read: (*builder).azure},
	detect.KindJenkinsfile:    {read: (*builder).jenkins},
	detect.KindMakefile:       {read: (*builder).makefile},
	detect.KindShell:          {read: (*builder).script},
	detect.KindMarkdown:       {read: (*builder).doc},
	detect.KindRST:            {read: (*builder).doc},
	detect.KindTox:            {read: (*builder).tox},
	detect.KindNox:            {read: (*builder).nox},
	detect.KindPreCommit:      {read: (*builder).precommit},
	detect.KindDevcontainer:   {read: (*builder).devcontainer},
	detect.KindGitpod:         {read: (*builder).gitpod},
	detect.KindJustfile:       {read: (*builder).justfile},
	detect.KindTaskfile:       {read: (*builder).taskfile},
	detect.KindInvoke:         {read: (*builder).invoke},

	detect.KindRequirements:       {none: "data"},
	detect.KindPyproject:          {none: "data"},
	detect.KindUVLock:             {none: "data"},
	detect.KindPoetryLock:         {none: "data"},
	detect.KindPDMLock:            {none: "data"},
	detect.KindPipfile:            {none: "data"},
	detect.KindPipfileLock:        {none: "data"},
	detect.KindSetupCfg:           {none: "data"},
	detect.KindCondaEnv:           {none: "data"},
	detect.KindPythonVersion:      {none: "data"},
	detect.KindRuntimeTxt:         {none: "data"},
	detect.KindToolVersions:       {none: "data"},
	detect.KindNodeVersion:        {none: "data"},
	detect.KindPackageJSON:        {none: "data"},
	detect.KindMise:               {none: "data"},
	detect.KindPyrightConfig:      {none: "settings"},
	detect.KindMypyConfig:         {none: "settings"},
	detect.KindVSCode:             {none: "settings"},
	detect.KindIgnoreFile:         {none: "patterns"},
	detect.KindSetupPy:            {none: "run by the build backend, which calls no entry point of the checkout"},
	detect.KindEnvrc:              {none: "direnv loads it into the shell; what it sources is read as its own file"},
	detect.KindPythonScript:       {none: "Python code: its subprocess calls are not followed"},
	detect.KindToolSettings:       {none: "settings"},
	detect.KindDockerfile:         {none: "runs inside an image, where the migration changes nothing"},
	detect.KindDevcontainerScript: {none: "runs inside the container; devcontainer.json, which runs it, is read"},
	detect.KindSystemd:            {none: "runs the deployed app, where the migration changes nothing"},
}

// reader is one row of the readers table: read, or why there is none.
type reader struct {
	read func(b *builder, p string)
	none string
}

// Build reads the project at dir (slash-separated, relative to fsys) and
// returns its calls. files is detect's list of the project's files, read
// by kind (readers); Read the Docs settings, which detect does not read,
// are looked up by name in the project's top folder. Files that cannot be
// read or parsed are skipped: a call graph is evidence, never a reason to
// stop.
func Build(fsys fs.FS, dir string, files []detect.File) *Graph {
	b := newBuilder(fsys, dir, files)
	for _, f := range files {
		if r := readers[f.Kind]; r.read != nil {
			r.read(b, f.Path)
		}
	}
	for _, name := range readthedocsFiles {
		if b.exists(name) {
			b.readthedocs(name)
		}
	}
	sort.SliceStable(b.g.Calls, func(i, j int) bool {
		a, c := b.g.Calls[i], b.g.Calls[j]
		if a.Caller.File != c.Caller.File {
			return a.Caller.File < c.Caller.File
		}
		return a.Line < c.Line
	})
	return b.g
}

// CalledTargets lists, per Makefile, the targets something runs from
// outside the Makefile's own rules (recipes of the same Makefile count:
// `$(MAKE) venv`). The default goal is listed by name.
func (g *Graph) CalledTargets() map[string][]string {
	out := map[string][]string{}
	for _, c := range g.Calls {
		if c.Entry.Kind != EntryMake {
			continue
		}
		t := c.Entry.Target
		if !contains(out[c.Entry.File], t) {
			out[c.Entry.File] = append(out[c.Entry.File], t)
		}
	}
	for f := range out {
		sort.Strings(out[f])
	}
	return out
}

// CallersOf returns the calls of an entry point.
func (g *Graph) CallersOf(e Entry) []Call {
	var out []Call
	for _, c := range g.Calls {
		if c.Entry == e {
			out = append(out, c)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
