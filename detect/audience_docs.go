package detect

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// Documents: contributor guides (CONTRIBUTING, docs/development*,
// AGENTS.md, .claude/skills) are migrated; published docs under docs/ are
// for the package's users; READMEs serve both, so their code blocks are
// judged one by one: by what they do (install the package by name, make a
// folder for the reader's own project, work in another project, run in a
// conda environment) and by the section they are in ("Installation" for
// users, "Development" for contributors).

// docByPath decides a document's audience from its path. mixed is set
// for READMEs and install notes, whose blocks are judged one by one.
func docByPath(rel string) (aud Audience, why string, mixed bool) {
	lower := strings.ToLower(rel)
	base := strings.TrimSuffix(path.Base(lower), path.Ext(lower))
	dirs := strings.Split(path.Dir(lower), "/")
	for _, d := range dirs[1:] {
		if dirs[0] != "docs" && dirs[0] != "doc" {
			break
		}
		switch d {
		case "plugins", "plugin", "extending", "extensions":
			return AudienceUser, "a guide for plugin authors", false
		case "integrations", "integration":
			return AudienceUser, "notes on integrating the package into other projects", false
		}
	}
	switch {
	case hasAnyPrefix(base, "release", "releasing", "publish", "changelog", "changes", "history"):
		// A maintainer's release steps (RELEASING.md,
		// docs/development/release.rst) install what a release needs,
		// not the contributor's venv.
		return AudienceRelease, "release notes or steps for maintainers, not the contributor setup", false
	case strings.HasPrefix(lower, ".devcontainer/"):
		// The container keeps its own venv (it has no Flox), and so do
		// the notes on working in it.
		return AudienceNone, "notes on the dev container, which keeps its own venv (it has no Flox)", false
	case strings.HasPrefix(lower, ".claude/"), strings.HasPrefix(lower, ".github/"):
		return AudienceContributor, "", false
	case base == "dev" || hasAnyPrefix(base, "contribut", "develop", "hacking", "agents", "claude", "dev-", "dev_", "devel"):
		return AudienceContributor, "", false
	case strings.Contains(base, "venv") || strings.Contains(base, "virtualenv") || strings.Contains(base, "virtual-env"):
		return AudienceUser, "a page about virtual environments themselves, not this project's setup", false
	}
	if dirs[0] != "docs" && dirs[0] != "doc" {
		return AudienceContributor, "", true // READMEs, INSTALL
	}
	for _, d := range dirs[1:] {
		if hasAnyPrefix(d, "develop", "contribut", "hacking", "dev") {
			return AudienceContributor, "", false
		}
	}
	switch {
	case hasAnyWord(lower, "deploy", "production", "hosting"):
		return AudienceUser, "a deployment guide for the reader's own app", false
	case hasAnyWord(lower, "tutorial"):
		return AudienceUser, "a tutorial for the package's users", false
	case hasAnyWord(lower, "troubleshoot", "faq"):
		return AudienceUser, "troubleshooting advice for the package's users", false
	case hasAnyWord(lower, "install"):
		return AudienceUser, installPageWhy, false
	}
	return AudienceUser, publishedWhy, false
}

// publishedWhy is why a page of the published docs is for the package's
// users.
const publishedWhy = "published documentation for the package's users"

// DevelopmentTitle reports a page title about working on this project
// ("Sample workflow for acme development", "Developing acme", "Hacking on
// acme", "Contributing to acme"): the page is a contributor guide wherever
// it sits in the docs. The project must be what is developed: "acme:
// Python Development Workflow" and "Development build" are not.
func (p *Project) DevelopmentTitle(title string) bool {
	if p.Name == "" {
		return false
	}
	words := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return r == ' ' || r == ':' || r == ',' || r == '`' || r == '*' })
	at := func(i int, ws ...string) bool { return i >= 0 && i < len(words) && slices.Contains(ws, words[i]) }
	for i, w := range words {
		if NormalizeName(w) != p.Name {
			continue
		}
		if at(i+1, "development", "developer", "developers", "hacking", "contributors", "contributing") ||
			at(i-1, "developing", "hacking") || at(i-1, "on") && at(i-2, "hacking") ||
			at(i-1, "to") && at(i-2, "contributing") || at(i-1, "of") && at(i-2, "development") {
			return true
		}
	}
	return false
}

// pluginGuide: a page under docs/ whose title is about plugins is for
// plugin authors even when it sits with the developer docs (docs/dev/).
func pluginGuide(rel string, d *docFile) bool {
	dir := strings.ToLower(strings.SplitN(rel, "/", 2)[0])
	if (dir != "docs" && dir != "doc") || !strings.Contains(rel, "/") || len(d.headings) == 0 {
		return false
	}
	title := strings.ToLower(d.headings[0].title)
	return d.headings[0].level == 1 && hasAnyWord(title, "plugin", "extension", "extending")
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasAnyWord(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// installPageWhy is why an install page is for the package's users.
const installPageWhy = "install instructions for the package's users"

// Section titles, lower case, that say whom a README section is for.
var (
	// installDevTitles: the section of an install page that sets up a
	// development checkout ("Installation for local development").
	installDevTitles = []string{"develop", "contribut", "hacking", "local setup", "dev setup", "dev environment"}
	// devTitles: contributor setup.
	devTitles = []string{"develop", "contribut", "hacking", "from source", "from the source", "source install",
		"local setup", "dev setup", "dev environment", "running tests", "run tests", "running the tests",
		"testing", "test suite", "building the doc", "build the doc", "building doc"}
	// userTitles: always for users or operators.
	userTitles = []string{"deploy", "production", "hosting", "troubleshoot", "faq", "plugin", "tutorial",
		"upgrad", "server setup", "self-host"}
	// installTitles: for users, unless the block sets up this checkout.
	installTitles = []string{"install", "usage", "quick start", "quickstart", "getting started", "running",
		"run ", "launch", "start"}
)

// titleWith returns the innermost title holding one of the words, or "".
func titleWith(titles []string, words []string) string {
	for i := len(titles) - 1; i >= 0; i-- {
		t := strings.ToLower(titles[i]) + " "
		if hasAnyWord(t, words...) {
			return titles[i]
		}
	}
	return ""
}

// docs decides the audience of every document and of the code blocks of
// contributor READMEs, and collects the commands the docs give to users.
func (a *audiencePass) docs() {
	for _, f := range a.s.p.Files {
		d := a.s.docs[f.Path]
		if d == nil {
			continue
		}
		doc := a.s.p.DocPath(f.Path)
		aud, why, mixed := docByPath(doc)
		if aud == AudienceUser && why == publishedWhy && len(d.headings) > 0 && d.headings[0].level == 1 &&
			a.s.p.DevelopmentTitle(d.headings[0].title) {
			aud, why = AudienceContributor, ""
		}
		if aud == AudienceContributor && !mixed && pluginGuide(doc, d) {
			aud, why = AudienceUser, "a guide for plugin authors"
		}
		if ex, exWhy, ok := a.exampleByPath(f.Path); ok {
			aud, why, mixed = ex, exWhy, false
		}
		installPage := why == installPageWhy && slices.ContainsFunc(d.headings, func(h docHeading) bool {
			return titleWith([]string{h.title}, installDevTitles) != ""
		})
		if installPage {
			// Its development section is the contributors' setup; the
			// rest stays the users'.
			aud, why = AudienceContributor, ""
		}
		// Only published pages: a stale extra in CONTRIBUTING or AGENTS.md
		// is still the contributors' instructions.
		if aud == AudienceContributor && !mixed && (strings.HasPrefix(strings.ToLower(doc), "docs/") || strings.HasPrefix(strings.ToLower(doc), "doc/")) {
			if extra := a.undeclaredExtra(f.Path); extra != "" {
				aud, why = AudienceUser, "installs the project with an extra it does not declare ("+extra+"): a guide for the reader's own project"
			}
		}
		a.docAudience[f.Path] = [2]string{string(aud), why}
		if aud != AudienceContributor {
			a.userCalls = append(a.userCalls, a.callsIn(f.Path, 1, 1<<30)...)
			continue
		}
		a.docBlocks(f.Path, d, mixed, installPage)
	}
}

// undeclaredExtra returns an extra that a document installs "the project"
// with (`pip install ".[dev]"`, `-e .[dev]`) and this project's
// pyproject.toml does not declare: the document is about the reader's own
// project (kedro's docs/develop/ pages), not this checkout. "" when every
// extra is declared, or the project declares none there to judge by.
func (a *audiencePass) undeclaredExtra(rel string) string {
	declared := map[string]bool{}
	for _, r := range a.s.p.Requirements {
		if r.Optional && r.Evidence.Path == "pyproject.toml" {
			declared[NormalizeName(r.Group)] = true
		}
	}
	if len(declared) == 0 {
		return ""
	}
	for _, c := range a.callsIn(rel, 1, 1<<30) {
		cmd := venvcmd.Classify(c.argv)
		if cmd.Kind != venvcmd.Install || cmd.Install == nil {
			continue
		}
		for _, t := range append(slices.Clone(cmd.Install.Paths), cmd.Install.Editables...) {
			if path.Clean(t.Path) != "." {
				continue
			}
			for _, e := range t.Extras {
				if !declared[NormalizeName(e)] {
					return "[" + e + "]"
				}
			}
		}
	}
	return ""
}

// blockState is what earlier blocks of a document say about later ones:
// the reader made a new project, went into another one, or activated a
// conda environment, in some section.
type blockState struct {
	section int
	aud     Audience
	why     string
	// newProject: the reader made a new project; the blocks that follow, in
	// this section or the next, and only create or activate its venv, are
	// the reader's too. Otherwise the rest of the section follows.
	newProject bool
}

// covers reports whether a block in section sec follows the state.
func (st blockState) covers(sec int, calls []shellCall, venvs []VenvUse) bool {
	switch {
	case st.aud == "":
		return false
	case st.newProject:
		return sec-st.section <= 1 && onlyVenvSetup(calls, venvs)
	}
	return sec == st.section
}

// docBlocks judges the code blocks of one contributor document; on an
// install page only those in its development sections are contributors'.
func (a *audiencePass) docBlocks(rel string, d *docFile, mixed, installPage bool) {
	var carry blockState
	for _, b := range d.blocks {
		sec := sectionAt(d.headings, b.open)
		titles := titlesAt(d.headings, b.open)
		calls := a.callsIn(rel, b.first, b.end)
		venvs := a.venvsIn(rel, b.first, b.end)
		aud, why, next := a.blockAudience(b, calls, venvs)
		if aud == AudienceContributor && buildsProjectOnly(calls) {
			aud, why = AudienceUser, "it builds and installs the package from the checkout (`pip install .`), as users who build from source do"
		}
		here := a.inCheckout(calls)
		if aud == AudienceContributor && carry.covers(sec, calls, venvs) && !here {
			aud, why = carry.aud, carry.why
		}
		switch {
		case next.aud != "" && !b.aside:
			// An aside ("If you use conda, ...") does not change
			// where the main path's next blocks run.
			next.section = sec
			carry = next
		case here:
			carry = blockState{} // back in this checkout
		}
		dev := titleWith(titles, devTitles)
		if installPage && titleWith(titles, installDevTitles) == "" {
			aud, why = AudienceUser, installPageWhy
		}
		forUsers := mixed && dev == "" && (titleWith(titles, userTitles) != "" || titleWith(titles, installTitles) != "")
		if aud == AudienceContributor && mixed && dev == "" {
			if t := titleWith(titles, userTitles); t != "" {
				aud, why = AudienceUser, fmt.Sprintf("in the section %q, for the package's users", t)
			} else if t := titleWith(titles, installTitles); t != "" && !a.setsUpCheckout(calls) {
				aud, why = AudienceUser, fmt.Sprintf("in the section %q and not about this checkout", t)
			} else if name := a.runsProduct(calls); name != "" {
				aud, why = AudienceUser, "shows "+name+", the package's own command, as its users run it"
			}
		}
		if aud != AudienceContributor || forUsers {
			a.userCalls = append(a.userCalls, calls...)
		}
		if aud != AudienceContributor && len(venvs) > 0 {
			a.s.p.DocBlocks = append(a.s.p.DocBlocks, DocBlock{Evidence: Evidence{Path: rel, Line: b.open}, EndLine: b.end, Audience: aud, Why: why})
		}
	}
}

// buildsProjectOnly reports a block whose only work is a plain,
// non-editable install of the checkout (`pip install .`): how users build
// the package from source, not a development venv.
func buildsProjectOnly(calls []shellCall) bool {
	built := false
	for _, c := range calls {
		cmd := venvcmd.Classify(c.argv)
		switch {
		case cmd.Kind == venvcmd.Install && cmd.Install != nil:
			in := cmd.Install
			if len(in.Editables)+len(in.Requirements)+len(in.Packages)+len(in.Groups) > 0 || len(in.Paths) != 1 ||
				path.Clean(in.Paths[0].Path) != "." {
				return false
			}
			built = true
		case cmd.Kind != venvcmd.Other:
			return false // a venv made, activated or used
		}
	}
	return built
}

// blockAudience judges one block by what it does. next, when set, carries
// the judgement to the blocks after it.
func (a *audiencePass) blockAudience(b docBlock, calls []shellCall, venvs []VenvUse) (Audience, string, blockState) {
	made, cloned := map[string]bool{}, map[string]bool{}
	for _, l := range b.lines {
		// Windows blocks are not read as shell: `mkdir app` and `md app`
		// are found by their words.
		if f := strings.Fields(strings.ToLower(l)); len(f) > 1 && (f[0] == "mkdir" || f[0] == "md") {
			made[path.Clean(f[len(f)-1])] = true
		}
	}
	for _, c := range calls {
		name := path.Base(c.argv[0])
		switch {
		case name == "mkdir":
			for _, arg := range c.argv[1:] {
				if !strings.HasPrefix(arg, "-") {
					made[path.Clean(arg)] = true
				}
			}
		case name == "git" && len(c.argv) > 2 && c.argv[1] == "clone":
			cloned[CloneDir(c.argv[2:])] = true
		case isCondaActivate(c.argv):
			why := fmt.Sprintf("runs in the conda environment activated at line %d, not in a venv", c.line)
			return AudienceNone, why, blockState{aud: AudienceNone, why: why}
		case name == "cd" && len(c.argv) == 2:
			dir := path.Clean(strings.TrimPrefix(c.argv[1], "./"))
			switch {
			case made[dir] && outsideCheckout(dir) && slices.ContainsFunc(venvs, func(v VenvUse) bool { return v.Action == VenvCreate }):
				// mkdir ~/virtualenvs && cd ~/virtualenvs; python3 -m venv app:
				// the contributor's venv, kept outside the checkout; what
				// the block says no longer holds, and rewriting it in
				// place would run flox activate outside the checkout.
				why := "makes the venv outside the checkout, in " + dir + "; `flox activate` in the checkout takes its place"
				return AudienceNone, why, blockState{}
			case made[dir]:
				why := "makes a folder for the reader's own project"
				return AudienceUser, why, blockState{aud: AudienceUser, why: "sets up the reader's own project made above", newProject: true}
			case cloned[dir] || dir == "." || dir == ".." || dir == "-" || strings.ContainsAny(dir, "$~<>{}*`") || strings.HasPrefix(dir, placeholderPrefix):
			case path.IsAbs(dir) && (strings.Contains(dir+"/", "/path/to/") || a.s.p.Name != "" && NormalizeName(path.Base(dir)) == NormalizeName(a.s.p.Name)):
				// `cd /path/to/your/local/twine` in twine's docs: a
				// placeholder for the reader's clone of this checkout.
			case path.IsAbs(dir):
				why := "works in " + dir + ", outside this checkout"
				return AudienceUser, why, blockState{aud: AudienceUser, why: why}
			case a.nested[dir] != "":
				why := "works in " + dir + "/, a project of its own"
				return AudienceExample, why, blockState{aud: AudienceExample, why: why}
			case !a.s.noFS && !a.s.isDir(dir) && a.s.p.Name != "" && NormalizeName(dir) == NormalizeName(a.s.p.Name):
				// `cd acme/` in acme's docs, with no such folder: the
				// reader's fresh clone of this checkout.
			case !a.s.noFS && !a.s.isDir(dir):
				why := "works in " + dir + ", another project than this checkout"
				return AudienceUser, why, blockState{aud: AudienceUser, why: why}
			}
		}
		if name := a.s.p.Name; name != "" && installsByName(name, c.argv) {
			return AudienceUser, "installs " + name + " from a package index, as the package's users do", blockState{}
		}
		if name := a.s.p.Name; name != "" && installsFromVCS(name, c.argv) {
			return AudienceUser, "installs " + name + " from its repository's URL, not from this checkout", blockState{}
		}
	}
	for _, l := range b.lines {
		if f := strings.Fields(strings.ToLower(l)); len(f) > 1 && (f[0] == "cd" || f[0] == "chdir") && made[path.Clean(f[1])] {
			why := "makes a folder for the reader's own project"
			return AudienceUser, why, blockState{aud: AudienceUser, why: "sets up the reader's own project made above", newProject: true}
		}
	}
	return AudienceContributor, "", blockState{}
}

// runsProduct returns the package's name when a block runs the package's
// own command (`pipenv install` in pipenv's README): a usage example, in
// a document that is not only for contributors.
func (a *audiencePass) runsProduct(calls []shellCall) string {
	name := a.s.p.Name
	for _, c := range calls {
		if name != "" && strings.EqualFold(path.Base(c.argv[0]), name) {
			return name
		}
	}
	return ""
}

// inCheckout reports a block that clones this project or goes into one
// of its folders: what came before it no longer holds.
func (a *audiencePass) inCheckout(calls []shellCall) bool {
	for _, c := range calls {
		switch path.Base(c.argv[0]) {
		case "git":
			if len(c.argv) > 1 && c.argv[1] == "clone" {
				return true
			}
		case "cd":
			if len(c.argv) == 2 && !a.s.noFS && !path.IsAbs(c.argv[1]) && a.s.isDir(path.Clean(c.argv[1])) {
				return true
			}
		}
	}
	return false
}

// isDir reports whether rel is a folder of the project.
func (s *scanner) isDir(rel string) bool {
	info, err := fs.Stat(s.fsys, s.full(rel))
	return err == nil && info.IsDir()
}

// CloneDir is the folder `git clone [OPTIONS] URL [DIR]` (or `gh repo
// clone REPO [DIR]`) makes: DIR, else the last part of the URL without .git.
func CloneDir(args []string) string {
	var pos []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case slices.Contains(cloneOptions, a):
			i++
		case strings.HasPrefix(a, "-"):
		default:
			pos = append(pos, a)
		}
	}
	switch len(pos) {
	case 0:
		return ""
	case 1:
		url := strings.TrimSuffix(strings.TrimRight(pos[0], "/"), ".git")
		return url[strings.LastIndexAny(url, "/:")+1:]
	}
	return path.Clean(pos[1])
}

// cloneOptions are git clone's options that take a value.
var cloneOptions = []string{"-b", "--branch", "-o", "--origin", "-c", "--config", "--depth", "--reference",
	"--filter", "-j", "--jobs", "-u", "--upload-pack", "--template", "--separate-git-dir", "--shallow-since"}

// isCondaActivate reports `conda activate ENV` (also mamba, micromamba)
// and the old `source activate ENV`.
func isCondaActivate(argv []string) bool {
	switch path.Base(argv[0]) {
	case "conda", "mamba", "micromamba":
		return len(argv) > 2 && argv[1] == "activate"
	case "source", ".":
		return len(argv) > 2 && argv[1] == "activate"
	}
	return false
}

// onlyVenvSetup reports a block that only creates or activates a venv.
func onlyVenvSetup(calls []shellCall, venvs []VenvUse) bool {
	if len(venvs) == 0 {
		return false
	}
	lines := map[int]bool{}
	for _, v := range venvs {
		if v.Action != VenvCreate && v.Action != VenvActivate {
			return false
		}
		lines[v.Evidence.Line] = true
	}
	for _, c := range calls {
		if !lines[c.line] {
			return false
		}
	}
	return true
}

// setsUpCheckout reports a block that works with this checkout: it clones
// it, installs its files (`-r requirements.txt`, `-e .`), or runs its
// manager, task runner or scripts.
func (a *audiencePass) setsUpCheckout(calls []shellCall) bool {
	for _, c := range calls {
		argv := c.argv
		name := path.Base(argv[0])
		if m, ok := venvcmd.ModuleArgv(argv); ok {
			argv, name = m, m[0]
		}
		switch name {
		case "git":
			if len(argv) > 1 && argv[1] == "clone" {
				return true
			}
		case "make", "tox", "nox", "pytest", "pre-commit", "poetry", "pdm", "pipenv", "hatch", "just", "invoke":
			return true
		case "uv":
			if len(argv) > 1 && (argv[1] == "sync" || argv[1] == "run") {
				return true
			}
			if len(argv) > 2 && argv[1] == "pip" {
				argv = argv[1:]
			}
		}
		if (venvcmd.IsPip(name) || name == "uv") && len(argv) > 1 && argv[1] == "install" {
			for _, arg := range argv[2:] {
				if arg == "-r" || arg == "-e" || arg == "--editable" || strings.HasPrefix(arg, "-r") && len(arg) > 2 ||
					arg == "." || strings.HasPrefix(arg, ".[") || strings.HasPrefix(arg, "./") || strings.HasPrefix(arg, "-e.") {
					return true
				}
			}
		}
		if strings.Contains(argv[0], "/") && !path.IsAbs(argv[0]) {
			return true // ./scripts/setup.sh
		}
	}
	return false
}

// installsFromVCS reports `pip install [-e] git+URL#egg=NAME` (also hg+,
// svn+, bzr+) of the project itself, or of a URL left as a placeholder
// (`git+|git_url|`): a fresh copy of the package, not this checkout.
func installsFromVCS(name string, argv []string) bool {
	if len(argv) > 2 && venvcmd.IsPython(path.Base(argv[0])) && argv[1] == "-m" {
		argv = argv[2:]
	}
	if len(argv) > 1 && path.Base(argv[0]) == "uv" && argv[1] == "pip" {
		argv = argv[1:]
	}
	if len(argv) < 2 || !venvcmd.IsPip(path.Base(argv[0])) && argv[0] != "pip" || argv[1] != "install" {
		return false
	}
	for _, arg := range argv[2:] {
		url, ok := "", false
		for _, scheme := range []string{"git+", "hg+", "svn+", "bzr+"} {
			if strings.HasPrefix(arg, scheme) {
				url, ok = strings.TrimPrefix(arg, scheme), true
			}
		}
		if !ok {
			continue
		}
		url, frag, _ := strings.Cut(url, "#")
		if _, egg, ok := strings.Cut(frag, "egg="); ok && NormalizeName(strings.SplitN(egg, "&", 2)[0]) == name {
			return true
		}
		repo := strings.TrimSuffix(strings.TrimRight(url, "/"), ".git")
		repo = repo[strings.LastIndexAny(repo, "/:@")+1:]
		if !strings.Contains(url, "://") || NormalizeName(repo) == name {
			return true
		}
	}
	return false
}

// installsByName reports `pip install NAME`, `uv pip install NAME`,
// `python -m pip install NAME`, `pipx install NAME`, `uv add NAME` or
// `uv tool install NAME`: the package from an index, as its users get it.
func installsByName(name string, argv []string) bool {
	m, isModule := venvcmd.ModuleArgv(argv)
	switch {
	case isModule:
		argv = m
	case len(argv) > 1 && path.Base(argv[0]) == "uv" && (argv[1] == "pip" || argv[1] == "tool"):
		argv = argv[1:]
	}
	if len(argv) < 2 {
		return false
	}
	prog, sub := path.Base(argv[0]), argv[1]
	if !(venvcmd.IsPip(prog) || prog == "pipx" || prog == "pip" || prog == "tool") || sub != "install" {
		if prog != "uv" || sub != "add" {
			return false
		}
	}
	for _, arg := range argv[2:] {
		if strings.HasPrefix(arg, "-") {
			continue
		}
		spec := arg
		if i := strings.IndexAny(spec, "[<>=!~;@ "); i >= 0 {
			spec = spec[:i]
		}
		if NormalizeName(spec) == name {
			return true
		}
	}
	return false
}
