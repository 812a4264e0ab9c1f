package installset

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// Recipe is the project's own contributor setup path and what it
// installs.
type Recipe struct {
	// Kind is where the recipe was found: "docs", "make", "script",
	// "container" (a dev container or Gitpod workspace), "ci", or "flox"
	// (the hook of an earlier migration).
	Kind string
	// Label names it for people: "make install-dev", "scripts/bootstrap",
	// "CONTRIBUTING.md, section Development", "CI job test".
	Label string
	// Evidence is where the recipe starts (the rule, the script, the first
	// doc block, the job).
	Evidence detect.Evidence
	// NamedBy is the doc line that names the recipe's command, when the
	// contributor docs delegate to a target or script.
	NamedBy *detect.Evidence
	// Set is what the recipe installs, Notes what it leaves out and why.
	Set   Set
	Notes []Note
	// Manager is the tool the recipe installs the project with ("pip",
	// "uv", "poetry", "pdm", "pipenv"), or "" when it does not.
	Manager string
	// Commands are the recipe's install commands as written, in order.
	Commands []string
	// OwnVenv says that the recipe builds a venv of its own (python -m
	// venv, virtualenv, uv venv) or has a manager build the project's
	// (uv sync, poetry, pdm, pipenv), rather than installing into whatever
	// venv is active.
	OwnVenv bool
	// BuiltPython says that the recipe makes its venv with an interpreter
	// run by a relative path (`./python -m venv /tmp/refleak` in a CPython
	// source tree): a special build for special tests, not the
	// contributor's everyday Python.
	BuiltPython bool
	// Run replays the recipe in a recorder (Replay).
	Run func(*Recorder)
	// Foreign is set when the recipe builds its venv with a tool whose
	// configuration venv2flox does not replay (`tox --devenv`): Set is
	// then not what the recipe installs, and no check can compare it.
	Foreign *Foreign
}

// Authority, highest first: the sources a recipe is looked for in. The
// first that installs anything into the venv is the recipe.
//  0. the hook of an environment venv2flox wrote before (the project is
//     migrated: its old setup now runs `flox activate`);
//  1. the contributor docs' development section, when it names a command
//     (`make install-dev`, `./scripts/bootstrap`): that target or script;
//  2. a Makefile target named like an install (installTargets);
//  3. a setup script (setupScripts) that installs into a venv;
//  4. the contributor docs' own setup blocks;
//     then a dev container's or Gitpod workspace's commands;
//  5. the CI test job's install steps;
//  6. docs blocks that only install tools by name (`pip install babel`),
//     which come after a container or CI job that installs the checkout.
//
// Without any, the project's metadata decides (lock files, pyproject
// defaults, requirements files).

// installTargets are Makefile targets that set up the development venv,
// most specific first.
var installTargets = []string{
	"install-dev", "dev-install", "install-develop", "develop", "dev", "setup-dev", "dev-setup",
	"install-all", "setup", "bootstrap", "init", "install", "venv", "virtualenv", "env", "deps",
	"install-deps", "requirements", "environment",
}

// setupScripts are setup scripts by path, most usual first.
var setupScripts = []string{
	"scripts/bootstrap", "scripts/setup", "scripts/install", "scripts/dev-setup", "scripts/setup-dev",
	"script/bootstrap", "script/setup", "bin/setup", "bin/bootstrap",
	"scripts/bootstrap.sh", "scripts/setup.sh", "scripts/install.sh", "scripts/dev-setup.sh", "scripts/setup_dev.sh",
	"setup.sh", "bootstrap.sh", "install.sh", "dev-setup.sh", "setup-dev.sh",
}

// FindRecipe finds the project's contributor setup and reduces it to its
// install set.
func FindRecipe(p *detect.Project) (Recipe, bool) {
	// A setup that installs from a file that does not exist fails there:
	// it is stale (a dev container still naming requirements/dev.txt after
	// the project moved to dependency groups), and the next source is the
	// recipe. When every setup is stale, the metadata decides.
	stale := func(rec Recipe) bool {
		return slices.ContainsFunc(rec.Notes, func(n Note) bool { return n.Kind == MissingFile || n.Kind == MissingExtra })
	}
	m := MetaOf(p)
	if hook := p.Setup.FloxHook; hook != nil {
		if rec, _, ok := record(p, m, nil, func(r *Recorder) { r.RunSource(*hook, ".") }); ok {
			rec.Kind, rec.Label, rec.Evidence = "flox", "the Flox hook", detect.Evidence{Path: hook.Path, Line: hook.LineAt(1)}
			return rec, true
		}
	}
	// A section that makes its venv with a Python built in place (reference
	// leak tests with a pydebug build) sets up for special tests: every
	// other source comes before it.
	var docs, special []Recipe
	for _, s := range devSections(p) {
		if rec, ok := s.recipe(p, m); ok && contributor(p, rec.Evidence) && !stale(rec) {
			if rec.BuiltPython {
				special = append(special, rec)
			} else {
				docs = append(docs, rec)
			}
		}
	}
	// Sections about building the documentation set up for that (the docs
	// requirements), sections about code style install the formatter: the
	// development setup comes before them.
	aside := func(rec Recipe) bool { return docsBuild(rec) || styleSection(rec) }
	slices.SortStableFunc(docs, func(a, b Recipe) int { return cmpBool(aside(a), aside(b)) })
	// 1. The docs delegate to an install target or a script.
	for _, rec := range docs {
		target := strings.TrimPrefix(strings.TrimPrefix(rec.Label, "make "), "just ")
		if rec.NamedBy != nil && (rec.Kind == "script" || slices.Contains(installTargets, target)) {
			return rec, true
		}
	}
	// 2. A Makefile install target. One that only builds and installs the
	// package (`install: pip install .`) installs it as its users do: the
	// contributor docs' editable install comes before it.
	if mf, ok := rootMakefile(p); ok {
		for _, name := range installTargets {
			i := slices.IndexFunc(mf.Targets, func(t detect.MakeTarget) bool { return t.Name == name })
			if i < 0 {
				continue
			}
			t := mf.Targets[i]
			if rec, _, ok := record(p, m, nil, func(r *Recorder) { r.RunTarget(".", t.Name) }); ok && !stale(rec) {
				rec.Kind, rec.Label, rec.Evidence = "make", "make "+t.Name, t.Evidence
				if installsPackageOnly(rec.Set) && slices.ContainsFunc(docs, func(d Recipe) bool { return d.Set.Project == Editable }) {
					continue
				}
				return rec, true
			}
		}
	}
	// 2b. A justfile install recipe, read the same way.
	for _, jf := range p.Setup.Justfiles {
		if jf.Path != "justfile" && jf.Path != "Justfile" && jf.Path != ".justfile" {
			continue
		}
		for _, name := range installTargets {
			i := slices.IndexFunc(jf.Targets, func(t detect.MakeTarget) bool { return t.Name == name })
			if i < 0 {
				continue
			}
			t := jf.Targets[i]
			if rec, _, ok := record(p, m, nil, func(r *Recorder) { r.RunJust(t.Name) }); ok && !stale(rec) {
				rec.Kind, rec.Label, rec.Evidence = "make", "just "+t.Name, t.Evidence
				return rec, true
			}
		}
	}
	// 3. A setup script.
	for _, script := range setupScripts {
		if !slices.ContainsFunc(p.Files, func(f detect.File) bool { return f.Path == script }) ||
			!contributor(p, detect.Evidence{Path: script, Line: 1}) {
			continue
		}
		if rec, _, ok := record(p, m, nil, func(r *Recorder) { r.RunScript(script) }); ok && !stale(rec) {
			rec.Kind, rec.Label, rec.Evidence = "script", script, detect.Evidence{Path: script, Line: 1}
			return rec, true
		}
	}
	// 4. The docs' own setup blocks: those that use the manager of the
	// project's lock file first ("we recommend Poetry; a plain venv works
	// too" gives the Poetry way).
	// Sections that install from the checkout (the project, its groups,
	// its requirement files) come before those that only install tools by
	// name (`pip install build twine` to build a release, `pip install
	// pre-commit`), and among them those that also make the venv they
	// install into before those that install into whatever venv is active
	// (a docs build's `pip install -r requirements.txt`). A section that
	// makes the venv comes before one that installs into it without
	// making it ("the full development setup: a venv and nox" before
	// "to run from the source tree, pip install -e .").
	lock := lockManager(p)
	byLock := func(rec Recipe) bool { return rec.Manager != "" && rec.Manager == lock }
	// A section that only installs packages by name into whatever venv is
	// active (`pip install pytest-cov`) is the weakest evidence: a dev
	// container or CI job that installs from the checkout comes first.
	var weak *Recipe
	for _, want := range []func(Recipe) bool{
		func(rec Recipe) bool { return byLock(rec) && FromCheckout(rec.Set) && rec.OwnVenv },
		func(rec Recipe) bool { return (FromCheckout(rec.Set) || rec.Foreign != nil) && rec.OwnVenv },
		func(rec Recipe) bool { return rec.OwnVenv },
		func(rec Recipe) bool { return byLock(rec) && FromCheckout(rec.Set) },
		func(rec Recipe) bool { return FromCheckout(rec.Set) },
		byLock,
	} {
		if i := slices.IndexFunc(docs, want); i >= 0 {
			return docs[i], true
		}
	}
	if len(docs) > 0 {
		weak = &docs[0]
	}
	later := func(rec Recipe) (Recipe, bool) {
		if weak != nil && !FromCheckout(rec.Set) {
			return *weak, true
		}
		return rec, true
	}
	// 4b. A dev container's or Gitpod workspace's setup: the contributor's
	// machine, built in a container.
	for _, file := range containerFiles(p) {
		run := func(r *Recorder) {
			for _, src := range p.Setup.Containers {
				if src.Path == file {
					r.RunSource(src, ".")
				}
			}
		}
		if rec, _, ok := record(p, m, nil, run); ok && !stale(rec) {
			first := p.Setup.Containers[slices.IndexFunc(p.Setup.Containers, func(s detect.ShellSource) bool { return s.Path == file })]
			rec.Kind, rec.Label, rec.Evidence = "container", file, detect.Evidence{Path: file, Line: first.LineAt(1)}
			return later(rec)
		}
	}
	// 5. The CI test job.
	// The likeliest test job decides; a later one only when it builds a
	// venv of its own from the checkout (a docs job running the
	// provisioning script), not a matrix job's `pip install tox`.
	for i, job := range testJobs(p) {
		run := func(r *Recorder) {
			for _, st := range job.Steps {
				if st.If == "" {
					r.RunSource(st.Source, ".")
				}
			}
		}
		if rec, _, ok := record(p, m, ciEnv, run); ok && !stale(rec) && (i == 0 || rec.OwnVenv && FromCheckout(rec.Set)) {
			rec.Kind, rec.Label, rec.Evidence = "ci", "CI job "+job.Job, job.Evidence
			return later(rec)
		}
	}
	if weak != nil {
		return *weak, true
	}
	if len(special) > 0 {
		return special[0], true
	}
	return Recipe{}, false
}

// installsPackageOnly reports a set that is the project built and
// installed without extras, and nothing else: `pip install .`.
func installsPackageOnly(s Set) bool {
	return s.Project == Installed && len(s.Extras) == 0 && len(s.Groups) == 0 && len(s.Requirements) == 0 && len(s.Packages) == 0
}

// runnerOnly reports an install of nothing but a task runner
// (`pip install invoke` before `invoke setup`): the runner's task is the
// setup.
func runnerOnly(s Step) bool {
	in := s.Command.Install
	if in == nil || len(in.Packages) == 0 || len(in.Requirements)+len(in.Editables)+len(in.Paths)+len(in.Groups) > 0 {
		return false
	}
	for _, p := range in.Packages {
		switch venvcmd.RequirementName(p) {
		case "invoke", "poethepoet", "tox":
		default:
			return false
		}
	}
	return true
}

// containerFiles are the dev container and Gitpod files whose commands
// set up a contributor's container, in the order detect read them.
func containerFiles(p *detect.Project) []string {
	var out []string
	for _, src := range p.Setup.Containers {
		if !slices.Contains(out, src.Path) && contributor(p, detect.Evidence{Path: src.Path, Line: src.LineAt(1)}) {
			out = append(out, src.Path)
		}
	}
	return out
}

// ciEnv is what CI runners set: scripts that branch on it take the CI way.
var ciEnv = map[string]string{"CI": "true", "GITHUB_ACTIONS": "true"}

// record runs a candidate and keeps it when it installs into the venv.
func record(p *detect.Project, m Meta, env map[string]string, run func(*Recorder)) (Recipe, *Recorder, bool) {
	r := NewRecorder(p, env)
	run(r)
	if f := r.Foreign(); len(f) > 0 && !slices.ContainsFunc(r.Steps(), func(s Step) bool { return s.Command.Kind == venvcmd.Install && !runnerOnly(s) }) {
		// The recipe is found, and said to be one venv2flox cannot read.
		return Recipe{Foreign: &f[0], Commands: []string{f[0].Text}, OwnVenv: true, Set: Set{Project: NotInstalled},
			Run: func(*Recorder) {}}, r, true
	}
	// Installs outside the venv (`uv pip install --system -e .`, `pip
	// install --user`) do not set it up: a target that only does that is
	// no recipe, and the next source is looked at.
	if !slices.ContainsFunc(r.Steps(), intoVenv) {
		return Recipe{}, nil, false
	}
	set, notes := setOf(r, m)
	if extras := undeclared(set, m); len(extras) > 0 {
		notes = append(notes, Note{Kind: MissingExtra, Text: fmt.Sprintf("the project declares no extra %s", strings.Join(extras, ", "))})
	}
	if set.Project == NotInstalled && m.Package {
		notes = append(notes, Note{Kind: ProjectNotInstalled, Text: "the setup does not install the project itself"})
	}
	manager := ""
	var commands []string
	for _, st := range r.Steps() {
		if st.Command.Kind == venvcmd.Install && manager == "" {
			manager = st.Command.Tool
		}
		commands = append(commands, st.Text)
	}
	replay := func(r2 *Recorder) {
		for k, v := range env {
			r2.env[k] = v
		}
		run(r2)
	}
	return Recipe{Set: set, Notes: notes, Manager: manager, Commands: commands, OwnVenv: buildsVenv(r.Commands()),
		BuiltPython: slices.ContainsFunc(r.Commands(), builtPython), Run: replay}, r, true
}

// undeclared returns the extras the set installs the project with that
// its pyproject.toml does not declare. A project that declares none there
// (setup.py's extras_require, dynamic ones) is not judged.
func undeclared(set Set, m Meta) []string {
	if set.Project == NotInstalled || len(m.Extras) == 0 {
		return nil
	}
	var out []string
	for _, e := range set.Extras {
		if !slices.Contains(m.Extras, e) && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// intoVenv reports an install step that installs into the venv.
func intoVenv(s Step) bool {
	return s.Command.Kind == venvcmd.Install && (s.Command.Install == nil || s.Command.Install.Outside == "")
}

// buildsVenv reports commands that make a venv: a creation, or a manager
// that syncs the project into its own venv.
func buildsVenv(cmds []Recorded) bool {
	return slices.ContainsFunc(cmds, func(c Recorded) bool {
		switch t := c.Command.Tool; {
		case c.Command.Kind == venvcmd.Create:
			return true
		case c.Command.Kind != venvcmd.Install:
			return false
		case t == "uv":
			return c.Command.Sub == "sync"
		default:
			return t == "poetry" || t == "pdm" || t == "pipenv"
		}
	})
}

// setOf reduces what a recorder recorded to its install set.
func setOf(r *Recorder, m Meta) (Set, []Note) {
	set, notes := Reduce(r.Steps(), m)
	set.Python = createdWith(r.Commands())
	return set, append(notes, r.Notes()...)
}

// Replay runs a recipe again in a fresh recorder and returns what it
// installs.
func Replay(p *detect.Project, rec Recipe) Set {
	r := NewRecorder(p, nil)
	rec.Run(r)
	set, _ := setOf(r, MetaOf(p))
	return set
}

// createdWith returns the Python minor the setup creates its venv with.
func createdWith(cmds []Recorded) string {
	for _, c := range cmds {
		if c.Command.Kind != venvcmd.Create {
			continue
		}
		if v := venvcmd.PythonVersion(c.Command.Python); v != "" {
			major, rest, _ := strings.Cut(v, ".")
			minor, _, _ := strings.Cut(rest, ".")
			return major + "." + minor
		}
	}
	return ""
}

// docSection is the shell blocks of one section of a contributor doc.
type docSection struct {
	path, title string
	blocks      []detect.SetupBlock
	// last are the headings of the last block: numbered steps ("3. Create
	// a venv", "4. Install") continue the section.
	last []string
}

// stepNumber reads the number of a numbered step's title ("3. Create a
// venv", "Step 3: Install", "3) Install").
var stepNumber = regexp.MustCompile(`(?i)^(?:step\s*)?(\d+)\s*[.):-]?\s`)

// nextStep reports whether headings are a later numbered step of the same
// parent section as prev: the steps of one recipe, each under its own
// heading.
func nextStep(prev, headings []string) bool {
	n := len(headings)
	if n == 0 || len(prev) != n || !slices.Equal(prev[:n-1], headings[:n-1]) {
		return false
	}
	a, b := stepNumber.FindStringSubmatch(prev[n-1]), stepNumber.FindStringSubmatch(headings[n-1])
	if a == nil || b == nil {
		return false
	}
	i, _ := strconv.Atoi(a[1])
	j, _ := strconv.Atoi(b[1])
	return j > i
}

// recipe records a section's blocks as one script, in order. When every
// install happens in one target or script the blocks run (`make
// install-dev`), that target or script is the recipe, named by the doc.
func (s docSection) recipe(p *detect.Project, m Meta) (Recipe, bool) {
	rec, r, ok := record(p, m, nil, func(r *Recorder) {
		for _, b := range s.blocks {
			r.RunSource(b.Source, ".")
		}
	})
	if !ok || isReadme(s.path) && !FromCheckout(rec.Set) && rec.Foreign == nil {
		return Recipe{}, false // a README's `pip install the-package` is for users
	}
	if selfFromIndex(rec.Set, p.Name) || slices.ContainsFunc(s.blocks, func(b detect.SetupBlock) bool {
		return newProject.MatchString(b.Source.Script)
	}) {
		return Recipe{}, false
	}
	rec.Kind, rec.Label = "docs", s.path
	if s.title != "" {
		rec.Label += ", section " + s.title
	}
	rec.Evidence = detect.Evidence{Path: s.path, Line: s.blocks[0].Source.LineAt(1)}
	steps := r.Steps()
	if len(steps) == 0 {
		return rec, true // a foreign recipe (tox --devenv)
	}
	if via := steps[0].Via; len(via) > 0 && via[0].From.Path == s.path {
		outer := via[0]
		if !slices.ContainsFunc(steps, func(st Step) bool { return len(st.Via) == 0 || st.Via[0] != outer }) {
			rec.Kind, rec.Label, rec.Evidence = "script", outer.Label, outer.At
			if strings.HasPrefix(outer.Label, "make ") || strings.HasPrefix(outer.Label, "just ") {
				rec.Kind = "make"
			}
			rec.NamedBy = &outer.From
		}
	}
	return rec, true
}

// devSections lists the sections of the contributor docs that hold shell
// blocks, most authoritative file first: CONTRIBUTING, development and
// hacking guides, READMEs (only their development sections), then the
// instructions for coding agents.
func devSections(p *detect.Project) []docSection {
	var out []docSection
	// A page of the docs titled for working on the project ("Sample
	// workflow for acme development") is a development guide too.
	devDoc := func(b detect.SetupBlock) bool {
		doc := p.DocPath(b.Source.Path)
		return isDevelopmentDoc(doc) || (strings.HasPrefix(strings.ToLower(doc), "docs/") || strings.HasPrefix(strings.ToLower(doc), "doc/")) &&
			len(b.Headings) > 0 && p.DevelopmentTitle(b.Headings[0])
	}
	byPath := func(is func(string) bool) func(detect.SetupBlock) bool {
		return func(b detect.SetupBlock) bool { return is(b.Source.Path) }
	}
	for _, rank := range []func(detect.SetupBlock) bool{byPath(isContributingDoc), devDoc, byPath(isReadme), byPath(isAgentDoc)} {
		for _, b := range p.Setup.Docs {
			if !rank(b) {
				continue
			}
			if b.Aside && !allAsides(p.Setup.Docs, b) || isReadme(b.Source.Path) && !devHeading(b.Headings) || inMember(p, b.Source.Path) ||
				!contributor(p, detect.Evidence{Path: b.Source.Path, Line: b.Source.LineAt(1)}) {
				continue
			}
			title := strings.Join(b.Headings, " > ")
			if n := len(out); n > 0 && out[n-1].path == b.Source.Path && slices.Equal(out[n-1].last, b.Headings) {
				out[n-1].blocks = append(out[n-1].blocks, b)
				continue
			}
			if n := len(out); n > 0 && out[n-1].path == b.Source.Path && nextStep(out[n-1].last, b.Headings) {
				// The steps' section is named by its first and last step.
				first, _, _ := strings.Cut(out[n-1].title, " – ")
				out[n-1].title = first + " – " + b.Headings[len(b.Headings)-1]
				out[n-1].blocks = append(out[n-1].blocks, b)
				out[n-1].last = b.Headings
				continue
			}
			out = append(out, docSection{path: b.Source.Path, title: title, last: b.Headings, blocks: []detect.SetupBlock{b}})
		}
	}
	return out
}

// allAsides reports an aside whose section has nothing but asides, and
// that is the first of them: where a doc only offers alternatives ("If you
// use uv: ...", "If you use pip: ..."), the first is the recipe.
func allAsides(blocks []detect.SetupBlock, b detect.SetupBlock) bool {
	first := true
	for _, o := range blocks {
		if o.Source.Path != b.Source.Path || !slices.Equal(o.Headings, b.Headings) {
			continue
		}
		if !o.Aside {
			return false
		}
		if first && o.Source.LineAt(1) != b.Source.LineAt(1) {
			return false // not the first alternative
		}
		first = false
	}
	return true
}

// inMember reports a file of one of the packages the project's
// environment serves: its docs tell how to work on that package, in its own
// folder, not how the environment is set up.
func inMember(p *detect.Project, rel string) bool {
	return slices.ContainsFunc(p.Members, func(m string) bool { return strings.HasPrefix(rel, m+"/") })
}

// contributor reports whether a line serves the project's contributors:
// a user's quick start, an operator's script or a release job is not a
// setup recipe.
func contributor(p *detect.Project, ev detect.Evidence) bool {
	a := p.AudienceAt(ev)
	return a == "" || a == detect.AudienceContributor
}

func upperBase(p string) string { return strings.ToUpper(path.Base(p)) }

func isContributingDoc(p string) bool {
	return strings.HasPrefix(upperBase(p), "CONTRIBUTING")
}

func isDevelopmentDoc(p string) bool {
	b := upperBase(p)
	if strings.HasPrefix(b, "DEVELOP") || strings.HasPrefix(b, "HACKING") {
		return true
	}
	lower := strings.ToLower(p)
	base := strings.TrimSuffix(path.Base(lower), path.Ext(lower))
	return (strings.HasPrefix(lower, "docs/") || strings.HasPrefix(lower, "doc/")) &&
		(strings.Contains(lower, "contribut") || strings.Contains(lower, "develop") || strings.Contains(lower, "hacking") || base == "dev")
}

// isAgentDoc matches instructions for coding agents (AGENTS.md,
// CLAUDE.md, .claude/skills): they repeat the contributor setup. The names
// are matched as spelled: docs/tutorials/agents.md is a user tutorial.
func isAgentDoc(p string) bool {
	b := path.Base(p)
	return b == "AGENTS.md" || b == "CLAUDE.md" || strings.HasPrefix(p, ".claude/") || p == ".github/copilot-instructions.md"
}

func isReadme(p string) bool {
	return strings.HasPrefix(upperBase(p), "README") && !strings.Contains(p, "/")
}

// FromCheckout reports a set that installs something of this checkout: the
// project, its groups, its requirement files or one of its folders
// (`pip install -e ./pkg[dev]` where the packages sit below the top).
func FromCheckout(s Set) bool {
	return s.Project != NotInstalled || len(s.Groups) > 0 || len(s.Requirements) > 0 ||
		slices.ContainsFunc(s.Packages, func(it Item) bool {
			// target() writes folders as "./dir" or "-e dir", URLs with
			// "://"; a built wheel or sdist (./dist/*.whl) is no folder.
			dir, editable := strings.CutPrefix(it.Name, "-e ")
			dir, _, _ = strings.Cut(dir, "[")
			if strings.ContainsAny(dir, "*?") || strings.HasSuffix(dir, ".whl") || strings.HasSuffix(dir, ".tar.gz") || strings.HasSuffix(dir, ".zip") {
				return false
			}
			return strings.HasPrefix(dir, "./") ||
				editable && !strings.Contains(dir, "://") && !strings.HasPrefix(dir, "../")
		})
}

// newProject matches a command that starts a project of the reader's own
// (`pdm new my-app`, `uv init`, `django-admin startproject`): the doc
// section it opens is a user's quick start, not this checkout's setup.
var newProject = regexp.MustCompile(`(?m)^[\s$>]*(?:(?:pdm|poetry|hatch)\s+new\b|(?:pdm|poetry|uv)\s+init\b|django-admin\s+startproject\b|cookiecutter\s)`)

// selfFromIndex reports a set that installs nothing but the project
// itself, by name or from its repository URL (`pip install
// git+https://github.com/org/name.git`): a user trying a release or the
// development version, not a contributor setting up the checkout.
func selfFromIndex(s Set, name string) bool {
	if name == "" || FromCheckout(s) || len(s.Packages) == 0 {
		return false
	}
	for _, it := range s.Packages {
		n := strings.ToLower(it.Name)
		if i := strings.LastIndex(n, "/"); i >= 0 && strings.Contains(n, "://") {
			n = strings.TrimSuffix(strings.TrimSuffix(n[i+1:], "/"), ".git")
			n, _, _ = strings.Cut(n, "@")
		} else if i := strings.IndexAny(n, "[<>=!~;@ "); i >= 0 {
			n = n[:i]
		}
		if detect.NormalizeName(n) != detect.NormalizeName(name) {
			return false
		}
	}
	return true
}

// devHeading reports a section about setting up or working on the project.
func devHeading(headings []string) bool {
	for _, h := range headings {
		l := strings.ToLower(h)
		for _, w := range []string{"develop", "contribut", "hacking", "from source", "local", "dev setup",
			"dev environment", "running the tests", "running tests", "set up", "setting up", "setup",
			"getting started", "get started", "quick start", "quickstart", "environment", "install"} {
			if strings.Contains(l, w) {
				return true
			}
		}
	}
	return false
}

// rootMakefile is the Makefile `make` reads at the project's top.
func rootMakefile(p *detect.Project) (detect.Makefile, bool) {
	for _, name := range []string{"GNUmakefile", "makefile", "Makefile"} {
		for _, mf := range p.Setup.Makefiles {
			if mf.Path == name {
				return mf, true
			}
		}
	}
	return detect.Makefile{}, false
}

// testJobs are the CI jobs that may run the tests, most likely first: a
// job named for tests (test, tests, pytest, unit), then one whose name
// holds the word (test-redistribute), then the jobs of a file named for
// tests or CI. Release, docs and benchmark jobs, jobs of no run steps
// and Windows-only jobs are none.
func testJobs(p *detect.Project) []detect.CIJobSteps {
	var exact, named, fallback []detect.CIJobSteps
	for _, j := range p.Setup.CI {
		if !contributor(p, j.Evidence) {
			continue // a release, bot or tox-only job: its venv is not the contributors'
		}
		if len(j.Steps) == 0 || windowsOnly(p, j.Evidence) {
			// A job of no run steps (one that calls a reusable workflow)
			// installs nothing itself; a Windows runner's setup (MSYS2) is
			// not the one Flox replaces.
			continue
		}
		file := strings.ToLower(path.Base(j.Evidence.Path))
		name := strings.ToLower(j.Job)
		if containsAnyWord(file, "release", "publish", "deploy", "docs", "pages", "benchmark") ||
			containsAnyWord(name, "release", "publish", "deploy", "docs", "build-wheels", "benchmark") {
			continue
		}
		switch {
		case slices.Contains([]string{"test", "tests", "pytest", "unit", "unit-tests"}, name):
			exact = append(exact, j)
		case containsAnyWord(name, "test", "pytest", "unit"):
			named = append(named, j)
		case containsAnyWord(file, "test", "ci", "check"):
			fallback = append(fallback, j)
		}
	}
	return slices.Concat(exact, named, fallback)
}

// docsBuild reports a doc recipe whose file or section is about building
// the documentation ("Contributing Documentation", docs/contributing/docs.md).
func docsBuild(rec Recipe) bool {
	base := strings.ToLower(strings.TrimSuffix(path.Base(rec.Evidence.Path), path.Ext(rec.Evidence.Path)))
	_, section, _ := strings.Cut(strings.ToLower(rec.Label), ", section ")
	return base == "docs" || base == "documentation" || strings.Contains(section, "documentation")
}

// styleSection reports a doc recipe whose own section is about code
// style ("Style guide / Automated Code Formatting", "Linting"): it
// installs the formatter, not the development environment.
func styleSection(rec Recipe) bool {
	_, section, _ := strings.Cut(strings.ToLower(rec.Label), ", section ")
	if i := strings.LastIndex(section, " > "); i >= 0 {
		section = section[i+3:]
	}
	return containsAnyWord(section, "code style", "coding style", "style guide", "formatting", "linting", "linters")
}

// builtPython reports a venv creation by an interpreter run by a
// relative path (Recipe.BuiltPython).
func builtPython(c Recorded) bool {
	words := strings.Fields(c.Text)
	if c.Command.Kind != venvcmd.Create || len(words) == 0 {
		return false
	}
	prog := words[0]
	return strings.Contains(prog, "/") && !strings.HasPrefix(prog, "/") && !strings.HasPrefix(prog, "$") && !strings.HasPrefix(prog, "~")
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// windowsOnly reports a CI job that runs only on Windows runners.
func windowsOnly(p *detect.Project, ev detect.Evidence) bool {
	for _, j := range p.CI {
		if j.Evidence == ev {
			return len(j.OS) > 0 && !slices.ContainsFunc(j.OS, func(os string) bool { return !strings.Contains(strings.ToLower(os), "windows") })
		}
	}
	return false
}

func containsAnyWord(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// lockManager is the manager whose lock file the project has.
func lockManager(p *detect.Project) string {
	for _, l := range []struct{ file, manager string }{
		{"uv.lock", "uv"}, {"poetry.lock", "poetry"}, {"pdm.lock", "pdm"}, {"Pipfile.lock", "pipenv"}, {"Pipfile", "pipenv"},
	} {
		if slices.ContainsFunc(p.Files, func(f detect.File) bool { return f.Path == l.file }) {
			return l.manager
		}
	}
	return ""
}
