package migrate

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

// systemPlan is what the project needs besides Python and its manager:
// native libraries, what source builds need, tools its scripts run, and the
// host libraries manylinux wheels expect.
type systemPlan struct {
	Packages []Package
	// Notices name packages the contributor's setup installs that the
	// environment leaves out, and GPU caveats; migrate shows them.
	Notices  []string
	Notes    []string
	Warnings []string
	// LibraryPath is set when the hook must let the venv's Python find
	// Libraries in $FLOX_ENV/lib (Linux).
	LibraryPath    bool
	LibraryPathWhy Reason
	// Libraries are the sonames the wheels take from the host.
	Libraries []string
}

// The C compiler a source build gets on Linux: nixpkgs' wrapped gcc, whose
// ld wrapper records the library folders as rpaths, so the built extension
// finds libpq or cairo at run time without a library path. The venv's
// Python names its compiler by program name only (the cc-wrapper's setup
// hook exports CC=@named_cc@, pkgs/build-support/cc-wrapper/setup-hook.sh,
// which configure records), so a source build runs the first gcc or clang
// on PATH. macOS gets none from the catalog: nixpkgs' clang would work
// there (pkgs/build-support/wrapper-common/darwin-sdk-setup.bash falls back
// to its own SDK outside a build), but it is not needed, since on Darwin
// libraries are linked by absolute install names
// (doc/stdenv/platform-notes.chapter.md), so the Xcode Command Line Tools
// every macOS developer has build extensions that find the environment's
// libraries, as they did before; a second toolchain of several hundred MB
// would only shadow them.
const (
	compilerLinux = "gcc"
	// rustCompilerWhy names what Rust's toolchain is for.
	rustCompilerWhy = "Rust's compiler and cargo to build "
	// maxEvidence caps the evidence listed per reason: torch brings a dozen
	// nvidia-* packages, and three of them explain it as well as twelve.
	maxEvidence = 6
)

// cxxRuntime is the C++ runtime compiled manylinux wheels may link. The
// other gcc runtime they take from the host, libgcc_s.so.1 (Rust
// extensions link it), needs nothing: nixpkgs' glibc ships a copy in its
// own lib folder, which the Nix loader searches
// (pkgs/development/libraries/glibc/common.nix, preInstall).
const cxxRuntime = "libstdc++.so.6"

// rustToolchain is what maturin and setuptools-rust call to build a Rust
// extension; it links through the C compiler.
var rustToolchain = []string{"rustc", "cargo"}

// planSystem applies the knowledge base to the packages the install set
// puts into the venv for the target interpreter.
func planSystem(p *detect.Project, kb *knowledge, set installset.Set, t pyTarget) systemPlan {
	var sp systemPlan
	pkgs := newPkgSet(kb)
	var deps, own []dependency
	for _, d := range syncedPackages(p, set, t) {
		if d.Own == "" {
			deps = append(deps, d)
		} else {
			own = append(own, d)
		}
	}
	// What Linux installs decides the source builds: macOS builds with
	// the host's toolchain, and a forked lock gives each system its own
	// release (torch 2.13.0 on macOS, 2.13.0+cpu on Linux).
	fromSource := map[string]bool{}
	compiled := map[string]bool{} // built from source, and the lock shows compiled code
	// Compiled manylinux wheels the Linux sync installs: the lock's wheel
	// tags say which releases may link the host's C++ runtime.
	var hostLinked []dependency
	for _, d := range syncedPackages(p, set, t.onLinux()) {
		linked := false
		for _, l := range d.Locked {
			b := buildOf(l, t)
			if b.fromSource {
				fromSource[d.Name] = true
				compiled[d.Name] = compiled[d.Name] || b.compiled
			}
			linked = linked || b.manylinux
		}
		if linked {
			hostLinked = append(hostLinked, d)
		}
	}
	for i := range deps {
		deps[i].FromSource = fromSource[deps[i].Name]
	}
	matches := kb.matchNative(deps)
	// The project's own code loads the libraries it needs at run time
	// (WeasyPrint dlopens Pango): an installed project is such a package.
	if p.Name != "" && (set.Project == installset.Installed || set.Project == installset.Editable) {
		self := dependency{Name: p.Name, Own: "."}
		for _, m := range kb.matchNative([]dependency{self}) {
			if m.Entry.has(whenRun) {
				matches = append(matches, m)
			}
		}
	}

	var builds, gpu []nativeMatch
	links := map[string][]nativeMatch{}
	loads := map[string][]nativeMatch{} // soname: the packages that open it by name
	skipped := map[*nativeEntry][]string{}
	var skippedOrder []*nativeEntry
	built := map[string]bool{}
	for _, m := range matches {
		e := m.Entry
		if e.GPU {
			gpu = append(gpu, m)
		}
		for _, l := range e.Links {
			links[l] = append(links[l], m)
		}
	}
	for _, d := range hostLinked {
		if kb.linksNoCxx(d.Name) {
			continue // C or Rust only: nothing links the C++ runtime
		}
		if !slices.ContainsFunc(links[cxxRuntime], func(m nativeMatch) bool { return m.Dep.Name == d.Name }) {
			links[cxxRuntime] = append(links[cxxRuntime], nativeMatch{Dep: d})
		}
	}
	for _, m := range matches {
		e := m.Entry
		if !m.Install {
			if len(e.Nix) > 0 {
				if _, ok := skipped[e]; !ok {
					skippedOrder = append(skippedOrder, e)
				}
				skipped[e] = append(skipped[e], m.Dep.Name)
			}
			continue
		}
		for _, l := range e.Loads {
			loads[l] = append(loads[l], m)
		}
		systems := entrySystems(e)
		building := e.has(whenSdist) || m.Dep.FromSource
		for _, a := range e.Nix {
			if building {
				// Headers, .pc files and *-config scripts are in the dev
				// output, which Flox installs only when asked (flox.md).
				pkgs.addOutputs(a, []string{allOutputs}, systems, e.Why, m.Dep.Name, m.Dep.Evidence)
			} else {
				pkgs.add(a, systems, e.Why, m.Dep.Name, m.Dep.Evidence)
			}
		}
		if building {
			for _, a := range e.Build {
				pkgs.add(a, systems, "needed to build "+m.Dep.Name+" from source", m.Dep.Name, m.Dep.Evidence)
			}
			builds = append(builds, m)
			built[m.Dep.Name] = true
		}
	}
	for _, e := range skippedOrder {
		names := dedupe(skipped[e])
		why := e.Why
		if e.has(whenOptional) {
			why += " (optional: not installed)"
		} else {
			why += ": nothing installed"
		}
		sp.Notes = append(sp.Notes, fmt.Sprintf("%s: %s", strings.Join(names, ", "), why))
	}
	// A release the lock lists no wheel for on this Python is built from
	// source: it needs a compiler when the lock shows it compiled (wheels
	// for other Pythons or platforms); sdist-only releases venv2flox knows
	// nothing compiled about are pure Python, which builds without one.
	var pure []string
	for _, d := range deps {
		_, known := kb.Compiled[d.Name]
		switch {
		case !d.FromSource || built[d.Name]:
		case compiled[d.Name] || known:
			builds = append(builds, nativeMatch{Dep: d})
			built[d.Name] = true
		default:
			pure = append(pure, d.Name)
		}
	}
	if len(builds) > 0 {
		sp.Warnings = append(sp.Warnings, addCompilers(kb, pkgs, builds, t))
	}
	sp.Warnings = append(sp.Warnings, planProjectBuilds(p, kb, set, own, pkgs)...)
	// Once a compiler is there for other builds, pure-Python sdists need
	// no word.
	if _, haveCompiler := pkgs.byAttr[compilerLinux]; len(pure) > 0 && !haveCompiler {
		sp.Notes = append(sp.Notes, fmt.Sprintf("%s: no wheel in the lock, so the sync builds %s from source; nothing shows compiled code, so no compiler is installed (add %s to [install] if a build fails)",
			summarizeNames(pure), map[bool]string{true: "it", false: "them"}[len(pure) == 1], compilerLinux))
	}
	if len(gpu) > 0 {
		sp.Notices = append(sp.Notices, gpuNote(p, gpu))
	}
	if len(links) > 0 {
		sp.LibraryPath = true
		sp.Libraries, sp.LibraryPathWhy = addHostLibraries(kb, pkgs, links)
	}
	if len(loads) > 0 {
		sp.LibraryPath = true
		var whys []string
		if sp.LibraryPathWhy.Text != "" {
			whys = append(whys, sp.LibraryPathWhy.Text)
		}
		ev := sp.LibraryPathWhy.Evidence
		for _, so := range slices.Sorted(maps.Keys(loads)) {
			if !slices.Contains(sp.Libraries, so) {
				sp.Libraries = append(sp.Libraries, so)
			}
			var names []string
			for _, m := range loads[so] {
				names = append(names, m.Dep.Name)
				ev = append(ev, m.Dep.Evidence...)
			}
			names = dedupe(names)
			whys = append(whys, fmt.Sprintf("%s, which %s open%s by name with ctypes", so, summarizeNames(names), map[bool]string{true: "s", false: ""}[len(names) == 1]))
		}
		sort.SliceStable(ev, func(i, j int) bool { return lessEvidence(ev[i], ev[j]) })
		sp.LibraryPathWhy = Reason{Text: strings.Join(whys, "; "), Evidence: capEvidence(dedupeEvidence(ev))}
	}

	notices, notes := addSystemNeeds(p, kb, pkgs)
	sp.Notices = append(sp.Notices, notices...)
	sp.Notes = append(sp.Notes, notes...)
	sp.Notes = append(sp.Notes, addCommands(p, kb, pkgs)...)
	sp.Packages = pkgs.packages()
	return sp
}

// addCompilers adds the C compiler for the packages built from source and
// returns the warning that says which ones, with a binary alternative
// where one exists.
func addCompilers(kb *knowledge, set *pkgSet, builds []nativeMatch, t pyTarget) string {
	var names, alternatives, rust []string
	var ev []detect.Evidence
	headers := false
	for _, m := range builds {
		names = append(names, m.Dep.Name)
		ev = append(ev, m.Dep.Evidence...)
		if kb.Compiled[m.Dep.Name].Rust {
			rust = append(rust, m.Dep.Name)
			for _, a := range rustToolchain {
				set.add(a, nil, rustCompilerWhy+m.Dep.Name+" from source", m.Dep.Name, m.Dep.Evidence)
			}
		}
		if m.Entry != nil {
			headers = headers || len(m.Entry.Nix) > 0
			if m.Entry.Binary != "" {
				alternatives = append(alternatives, fmt.Sprintf("%s instead of %s", m.Entry.Binary, m.Dep.Name))
			}
		}
	}
	names = dedupe(names)
	why := "a C compiler to build " + summarizeNames(names) + " from source on Linux"
	set.add(compilerLinux, nil, why, "", ev)
	what := "a C compiler"
	if len(rust) > 0 {
		what += ", Rust's compiler and cargo (for " + strings.Join(dedupe(rust), ", ") + ")"
	}
	if headers {
		what += " and the libraries' headers"
	}
	msg := fmt.Sprintf("%s %s built from source when the venv is synced (no wheel for Python 3.%d): the environment has %s for it on Linux; on macOS the Xcode Command Line Tools compile it (`xcode-select --install`)",
		strings.Join(names, ", "), map[bool]string{true: "is", false: "are"}[len(names) == 1], t.minor, what)
	if len(alternatives) > 0 {
		msg += "; binary wheels need none of this (" + strings.Join(dedupe(alternatives), ", ") + ")"
	}
	return msg
}

// gpuNote says where the CUDA stack of GPU wheels comes from: the wheels
// bring it, the host brings the driver.
func gpuNote(p *detect.Project, gpu []nativeMatch) string {
	var names []string
	for _, m := range gpu {
		names = append(names, m.Dep.Name)
	}
	note := summarizeNames(dedupe(names)) + ": the wheels bring their own CUDA libraries, so no CUDA toolkit is installed (one on the library path would shadow them); Flox's CUDA detection (options.cuda-detection, on by default) gives them the host's GPU driver"
	if idx, cpu := cpuOnlyIndex(p); cpu {
		note = fmt.Sprintf("%s installs CPU-only wheels (%s): no CUDA libraries are involved", idx.Evidence, idx.URL)
	}
	return note
}

// addHostLibraries installs what provides the host libraries the wheels
// link (manylinux policy), for Linux only: macOS wheels bundle theirs.
func addHostLibraries(kb *knowledge, set *pkgSet, links map[string][]nativeMatch) ([]string, Reason) {
	sonames := slices.Sorted(maps.Keys(links))
	var names []string
	var ev []detect.Evidence
	for _, so := range sonames {
		facts := kb.Sonames[so]
		known := slices.ContainsFunc(links[so], func(m nativeMatch) bool { return m.Entry != nil })
		for _, m := range links[so] {
			// What the knowledge base says a wheel links, it links; other
			// compiled wheels may (nothing says their code is only C), which
			// is worth saying only when nothing known needs the library.
			if known && m.Entry == nil {
				continue
			}
			why := "their manylinux wheels link the host's " + so + ", which a Nix interpreter does not see"
			if m.Entry == nil {
				why = "compiled manylinux wheels of unknown language may link the host's " + so
			}
			set.addOutputs(facts.Attr, facts.Outputs, linuxSystems, why, m.Dep.Name, m.Dep.Evidence)
			names = append(names, m.Dep.Name)
			ev = append(ev, m.Dep.Evidence...)
		}
	}
	sort.SliceStable(ev, func(i, j int) bool { return lessEvidence(ev[i], ev[j]) })
	return sonames, Reason{
		Text:     strings.Join(sonames, ", ") + " for the manylinux wheels of " + summarizeNames(dedupe(names)),
		Evidence: capEvidence(dedupeEvidence(ev)),
	}
}

func dedupeEvidence(ev []detect.Evidence) []detect.Evidence {
	var out []detect.Evidence
	for _, e := range ev {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// addSystemNeeds reads the distribution packages the project's files
// install (apt, apk, brew, conda). Tools the contributor's own files
// install are provided; libraries and everything a container image or a
// release job installs are only hints, since native libraries follow from
// the packages the venv installs. What the contributor's setup installs
// and the environment leaves out is a notice; the rest, a note.
func addSystemNeeds(p *detect.Project, kb *knowledge, set *pkgSet) (notices, notes []string) {
	hinted := map[string][]string{}
	mine := map[string]bool{} // files of the contributor's setup among them
	var hintOrder []string
	hint := func(s detect.SystemNeed, contributor bool) {
		file := s.Evidence.Path
		if _, ok := hinted[file]; !ok {
			hintOrder = append(hintOrder, file)
		}
		hinted[file] = append(hinted[file], s.Name)
		mine[file] = mine[file] || contributor
	}
	unknown := map[string][]string{} // by source: "flac (ci.yml:82)"
	var sources []string
	for _, s := range p.System {
		name := strings.ToLower(s.Name)
		if kb.isBasic(name) || interpreterSystemPackage(name) || tkinterSystemPackage(name) || ownPackage(p, name) {
			continue
		}
		attrs, known := kb.systemAttrs(s.Source, name)
		if known && len(attrs) == 0 {
			continue // compilers and basics: nothing to install or report
		}
		if !known && s.Source == "conda" {
			// Most conda packages are Python packages the venv installs
			// from PyPI; only the known system ones are mapped.
			continue
		}
		if !contributorLine(p, s.Evidence) {
			hint(s, false)
			continue
		}
		if !known {
			if _, ok := unknown[s.Source]; !ok {
				sources = append(sources, s.Source)
			}
			unknown[s.Source] = append(unknown[s.Source], fmt.Sprintf("%s (%s)", s.Name, s.Evidence))
			continue
		}
		for _, a := range attrs {
			if !kb.isTool(a) {
				if set.byAttr[a] == nil { // else provided for a package the venv installs
					hint(s, true)
				}
				continue
			}
			set.add(a, nil, fmt.Sprintf("%s installs the %s package %s", s.Evidence.Path, s.Source, s.Name), "", []detect.Evidence{s.Evidence})
		}
	}
	for _, src := range sources {
		notices = append(notices, fmt.Sprintf("%s packages the setup installs that venv2flox has no catalog name for, so not installed: %s; if the project needs them, find their names with `flox search` and add them to [install]",
			src, strings.Join(dedupe(unknown[src]), ", ")))
	}
	for _, f := range hintOrder {
		n := fmt.Sprintf("%s installs %s: not provided (libraries follow from the packages the venv installs; tools only from the contributor's own setup)", f, strings.Join(dedupe(hinted[f]), ", "))
		if mine[f] {
			notices = append(notices, n)
		} else {
			notes = append(notes, n)
		}
	}
	return notices, notes
}

// contributorLine reports whether a line belongs to the contributor's
// workflow: not a container image, an example, template, fixture or
// plugin, nor a CI job that releases, publishes or benchmarks.
func contributorLine(p *detect.Project, ev detect.Evidence) bool {
	if _, other := notTheProjectsFile(p, ev.Path); other {
		return false
	}
	if a := p.AudienceAt(ev); a != "" && a != detect.AudienceContributor {
		return false
	}
	for _, f := range p.Files {
		if f.Path != ev.Path {
			continue
		}
		switch {
		case f.Kind == detect.KindDockerfile:
			return false
		case f.Kind.Info().Class == detect.ClassCI:
			aud, ok := ciAudience(p, detect.InterpreterRequest{Evidence: ev})
			return !ok || aud == detect.AudienceContributor
		}
	}
	return true
}

// ownPackage reports a distribution package of the project itself
// (`brew install llm` in llm's README): how its users install it.
func ownPackage(p *detect.Project, name string) bool {
	if p.Name == "" {
		return false
	}
	name = normalizeName(name)
	for _, prefix := range []string{"", "python3-", "python-", "py3-"} {
		if name == prefix+p.Name {
			return true
		}
	}
	return false
}

// tkinterSystemPackage reports distribution packages that give Python
// Tk: apt python3-tk, apk py3-tkinter, brew python-tk@3.12, conda tk.
func tkinterSystemPackage(name string) bool {
	switch name {
	case "python3-tk", "python-tk", "py3-tkinter", "tk", "tk-dev", "tcl-tk":
		return true
	}
	return strings.HasPrefix(name, "python-tk@")
}

// tkinterRequest finds the contributor's setup installing Tk for Python.
func tkinterRequest(p *detect.Project) (detect.Evidence, bool) {
	for _, s := range p.System {
		if tkinterSystemPackage(strings.ToLower(s.Name)) && contributorLine(p, s.Evidence) {
			return s.Evidence, true
		}
	}
	return detect.Evidence{}, false
}

// tkinterPackage is the interpreter's tkinter module: the *Full
// interpreters that had it are gone, and nixpkgs builds it as
// python3XXPackages.tkinter (pkgs/development/python-modules/tkinter/default.nix);
// Flox puts $FLOX_ENV/lib/python3.X/site-packages on PYTHONPATH, which the
// venv's Python reads. ok is false for interpreters without such a set.
func tkinterPackage(interp Package, ev detect.Evidence) (Package, bool) {
	if !strings.HasPrefix(interp.PkgPath, "python3") || strings.Contains(interp.PkgPath, "FreeThreading") || interp.PkgPath == "python3" {
		return Package{}, false
	}
	return Package{
		ID: "tkinter", PkgPath: interp.PkgPath + "Packages.tkinter", Version: interp.Version, PkgGroup: interp.PkgGroup,
		Reason: Reason{Text: "the project's setup installs Tk for Python; tkinter is a separate package of the " + interp.PkgPath + " set", Evidence: []detect.Evidence{ev}},
	}, true
}

// interpreterSystemPackage reports distribution packages of the Python
// interpreter itself (apt python3.6-venv and libpython3-dev, brew
// python@3.11, apk py3-pip) and of the tools that pick a Python or make
// venvs (pyenv, virtualenv):
// the manifest's python package replaces them, so they need no entry and
// no "no catalog equivalent" note.
func interpreterSystemPackage(name string) bool {
	switch name {
	case "python-is-python3", "py3-pip", "py3-virtualenv", "py3-setuptools", "py3-wheel",
		// Python version and venv managers: what the Flox environment replaces.
		"pyenv", "pyenv-virtualenv", "pyenv-virtualenvwrapper", "virtualenv", "virtualenvwrapper":
		return true
	}
	// apt's libpython3-dev and libpython3.12 are the interpreter's library
	// and headers, which the Flox interpreter has.
	rest, ok := strings.CutPrefix(strings.TrimPrefix(name, "lib"), "python")
	if !ok {
		return false
	}
	rest = strings.TrimPrefix(rest, "@") // brew python@3.11
	i := 0
	for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
		i++
	}
	switch rest[i:] {
	case "", "-dev", "-devel", "-venv", "-pip", "-distutils", "-full", "-minimal", "-setuptools", "-wheel", "-virtualenv", "-libs":
		return true
	}
	return false
}

// addCommands adds the non-Python tools the project's scripts, Makefiles,
// docs and contributor CI jobs run. Dockerfiles build production images:
// their commands run in the image, not in the developer's environment.
func addCommands(p *detect.Project, kb *knowledge, set *pkgSet) (notes []string) {
	// A tool only CI runs (jq, file, psql against a service container) is
	// the runner's: contributors' own setup never asked for it.
	local := map[string]bool{}
	for _, f := range p.Files {
		if f.Kind == detect.KindMakefile && !strings.Contains(f.Path, "/") {
			local["make"] = true // contributors run the top Makefile too
		}
	}
	for _, c := range p.Commands {
		if c.File != detect.KindDockerfile && contributorLine(p, c.Evidence) && !ciPlumbing(p, c.Evidence.Path) {
			local[path.Base(c.Name)] = true
		}
	}
	for _, c := range p.Commands {
		if c.File == detect.KindDockerfile || !contributorLine(p, c.Evidence) || !local[path.Base(c.Name)] {
			continue
		}
		name := path.Base(c.Name)
		attr := kb.commandAttr(name)
		if attr == "" {
			continue
		}
		chosen, note, asked := toolAttr(p, kb, attr)
		why := fmt.Sprintf("the project runs %s", name)
		if chosen != attr {
			why += ", at the version it asks for"
		}
		set.add(chosen, nil, why, "", append([]detect.Evidence{c.Evidence}, asked...))
		if note != "" && !slices.Contains(notes, note) {
			notes = append(notes, note)
		}
	}
	return notes
}

// ciPlumbing reports a CI configuration file, or a script kept in a CI
// folder (.ci/, ci/, tools/ci/, .github/).
func ciPlumbing(p *detect.Project, rel string) bool {
	if fileKind(p, rel).Info().Class == detect.ClassCI {
		return true
	}
	for _, d := range strings.Split(path.Dir(rel), "/") {
		switch d {
		case "ci", ".ci", ".github", ".circleci", ".gitlab":
			return true
		}
	}
	return false
}

// cpuOnlyIndex finds a PyTorch CPU wheel index: with it, torch brings no
// CUDA libraries.
func cpuOnlyIndex(p *detect.Project) (detect.PackageIndex, bool) {
	for _, idx := range p.Indexes {
		u := strings.ToLower(strings.TrimRight(idx.URL, "/"))
		if strings.HasSuffix(u, "/whl/cpu") || strings.Contains(u, "/whl/cpu/") {
			return idx, true
		}
	}
	return detect.PackageIndex{}, false
}

func entrySystems(e *nativeEntry) []string {
	if e.Systems == "linux" {
		return linuxSystems
	}
	return nil
}

// pkgSet merges the needs for each attribute: one [install] entry per
// attribute, whose reason lists every need and whose systems are the
// union of the needs' systems.
type pkgSet struct {
	kb     *knowledge
	byAttr map[string]*pkgNeed
}

type pkgNeed struct {
	attr    string
	outputs []string
	// allSystems is true once one need applies everywhere.
	allSystems bool
	systems    []string
	whys       []string
	names      map[string][]string // why -> package names needing it
	evidence   []detect.Evidence
}

func newPkgSet(kb *knowledge) *pkgSet { return &pkgSet{kb: kb, byAttr: map[string]*pkgNeed{}} }

func (s *pkgSet) add(attr string, systems []string, why, who string, ev []detect.Evidence) {
	s.addOutputs(attr, nil, systems, why, who, ev)
}

func (s *pkgSet) addOutputs(attr string, outputs, systems []string, why, who string, ev []detect.Evidence) {
	// An attribute nixpkgs has only on some systems is listed only there,
	// so every listed system can lock.
	if only := s.kb.attrSystems(attr); only != nil {
		systems = intersectSystems(systems, only)
	}
	n, ok := s.byAttr[attr]
	if !ok {
		n = &pkgNeed{attr: attr, names: map[string][]string{}}
		s.byAttr[attr] = n
	}
	n.outputs = mergeOutputs(n.outputs, outputs)
	if len(systems) == 0 {
		n.allSystems = true
	}
	for _, sys := range systems {
		if !slices.Contains(n.systems, sys) {
			n.systems = append(n.systems, sys)
		}
	}
	// Reasons without a package name ("the project runs make") arrive once
	// per use: each is listed once.
	if !slices.Contains(n.whys, why) {
		n.whys = append(n.whys, why)
	}
	if who != "" && !slices.Contains(n.names[why], who) {
		n.names[why] = append(n.names[why], who)
	}
	for _, e := range ev {
		if !slices.Contains(n.evidence, e) {
			n.evidence = append(n.evidence, e)
		}
	}
}

// intersectSystems narrows a need's systems (nil: all) to those given.
func intersectSystems(systems, only []string) []string {
	if systems == nil {
		return only
	}
	var out []string
	for _, s := range systems {
		if slices.Contains(only, s) {
			out = append(out, s)
		}
	}
	return out
}

// mergeOutputs unions two output selections: "all" wins, and no selection
// (the default outputs) joined with a list keeps out beside the list.
func mergeOutputs(a, b []string) []string {
	switch {
	case len(b) == 0:
		return a
	case len(a) == 0:
		return b
	case slices.Contains(a, allOutputs) || slices.Contains(b, allOutputs):
		return []string{allOutputs}
	}
	out := slices.Clone(a)
	for _, o := range b {
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// packages returns the merged entries sorted by install ID.
func (s *pkgSet) packages() []Package {
	var out []Package
	for _, n := range s.byAttr {
		pkg := Package{ID: installID(n.attr), PkgPath: n.attr, Outputs: n.outputs}
		if !n.allSystems {
			pkg.Systems = slices.Sorted(slices.Values(n.systems))
		}
		var parts []string
		for _, why := range n.whys {
			if names := n.names[why]; len(names) > 0 {
				why = summarizeNames(names) + ": " + why
			}
			parts = append(parts, why)
		}
		ev := slices.Clone(n.evidence)
		sort.SliceStable(ev, func(i, j int) bool { return lessEvidence(ev[i], ev[j]) })
		pkg.Reason = Reason{Text: strings.Join(parts, "; "), Evidence: capEvidence(ev)}
		out = append(out, pkg)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// installID is the [install] key for an attribute: its last component
// ("cudaPackages.cudatoolkit" -> "cudatoolkit").
func installID(attr string) string {
	if i := strings.LastIndexByte(attr, '.'); i >= 0 {
		return attr[i+1:]
	}
	return attr
}

// summarizeNames lists up to three names and counts the rest.
func summarizeNames(names []string) string {
	if len(names) <= 3 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), len(names)-3)
}

func capEvidence(ev []detect.Evidence) []detect.Evidence {
	if len(ev) > maxEvidence {
		return ev[:maxEvidence]
	}
	return ev
}
