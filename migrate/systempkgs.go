package migrate

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// systemPlan is what the project needs besides Python and its manager:
// native libraries, tools its scripts run, the C++ runtime manylinux wheels
// expect, and CUDA.
type systemPlan struct {
	Packages []Package
	Notes    []string
	// LibraryPath is set when the hook must put $FLOX_ENV/lib on
	// LD_LIBRARY_PATH (Linux) for the C++ runtime.
	LibraryPath    bool
	LibraryPathWhy Reason
	Unfree         bool
}

// IDs and attributes the planner adds on its own.
const (
	cxxRuntimeAttr = "gcc-unwrapped"
	zlibAttr       = "zlib"
	cudaAttr       = "cudaPackages.cudatoolkit"
	// maxEvidence caps the evidence listed per reason: torch brings a dozen
	// nvidia-* packages, and three of them explain it as well as twelve.
	maxEvidence = 6
)

// planSystem applies the knowledge base to the project.
func planSystem(p *detect.Project, kb *knowledge, g groupSelection) systemPlan {
	var sp systemPlan
	set := newPkgSet()
	deps := collectDependencies(p, g)
	matches := kb.matchNative(deps)

	var cxx, cuda []nativeMatch
	skipped := map[*nativeEntry][]string{}
	var skippedOrder []*nativeEntry
	for _, m := range matches {
		e := m.Entry
		if e.CXX {
			cxx = append(cxx, m)
		}
		if e.CUDA {
			cuda = append(cuda, m)
		}
		if !m.Install {
			if len(e.Nix) > 0 {
				if _, ok := skipped[e]; !ok {
					skippedOrder = append(skippedOrder, e)
				}
				skipped[e] = append(skipped[e], m.Dep.Name)
			}
			continue
		}
		systems := entrySystems(e)
		for _, a := range e.Nix {
			set.add(a, systems, e.Why, m.Dep.Name, m.Dep.Evidence)
		}
		if e.has(whenSdist) || m.Dep.SdistOnly {
			for _, a := range e.Build {
				set.add(a, systems, "needed to build "+m.Dep.Name+" from source", m.Dep.Name, m.Dep.Evidence)
			}
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

	if len(cuda) > 0 {
		if idx, cpu := cpuOnlyIndex(p); cpu {
			sp.Notes = append(sp.Notes, fmt.Sprintf("%s installs CPU-only wheels (%s): no CUDA stack", idx.Evidence, idx.URL))
		} else {
			for _, m := range cuda {
				set.add(cudaAttr, linuxSystems, m.Entry.Why, m.Dep.Name, m.Dep.Evidence)
			}
			sp.Unfree = true
			sp.Notes = append(sp.Notes, "CUDA packages are unfree ([options] allow.unfree = true) and Linux only; the GPU driver (libcuda) comes from the host, which Flox finds on activation")
		}
	}

	if len(cxx) > 0 {
		why := "manylinux wheels with C/C++ code expect the host's libstdc++.so.6 (and libgomp), which a Nix interpreter does not see; the hook puts $FLOX_ENV/lib on LD_LIBRARY_PATH on Linux"
		var names []string
		var ev []detect.Evidence
		for _, m := range cxx {
			set.addOutputs(cxxRuntimeAttr, []string{"lib"}, linuxSystems, why, m.Dep.Name, m.Dep.Evidence)
			set.add(zlibAttr, linuxSystems, "manylinux wheels expect the host's libz.so.1, which a Nix interpreter does not see", m.Dep.Name, m.Dep.Evidence)
			names = append(names, m.Dep.Name)
			ev = append(ev, m.Dep.Evidence...)
		}
		sort.SliceStable(ev, func(i, j int) bool { return lessEvidence(ev[i], ev[j]) })
		sp.LibraryPath = true
		sp.LibraryPathWhy = Reason{Text: "libstdc++.so.6 and libz.so.1 for the manylinux wheels of " + summarizeNames(dedupe(names)), Evidence: capEvidence(ev)}
	}

	sp.Notes = append(sp.Notes, addSystemNeeds(p, kb, set)...)
	addCommands(p, kb, set)
	sp.Packages = set.packages()
	return sp
}

// addSystemNeeds maps the distribution packages a Dockerfile or conda file
// installs to catalog attributes.
func addSystemNeeds(p *detect.Project, kb *knowledge, set *pkgSet) []string {
	var notes []string
	for _, s := range p.System {
		name := strings.ToLower(s.Name)
		if kb.isBasic(name) || interpreterSystemPackage(name) {
			continue
		}
		attrs, known := kb.systemAttrs(s.Source, name)
		if !known && s.Source == "conda" {
			// Most conda packages are Python packages the venv installs
			// from PyPI; only the known system ones are mapped.
			continue
		}
		if !known {
			notes = append(notes, fmt.Sprintf("%s: %s package %q has no known catalog equivalent; add it to [install] by hand if the project needs it", s.Evidence, s.Source, s.Name))
			continue
		}
		for _, a := range attrs {
			set.add(a, nil, fmt.Sprintf("%s installs the %s package %s", s.Evidence.Path, s.Source, s.Name), "", []detect.Evidence{s.Evidence})
		}
	}
	return notes
}

// interpreterSystemPackage reports distribution packages of the Python
// interpreter itself (apt python3.6-venv, brew python@3.11, apk py3-pip):
// the manifest's python package replaces them, so they need no entry and
// no "no catalog equivalent" note.
func interpreterSystemPackage(name string) bool {
	switch name {
	case "python-is-python3", "py3-pip", "py3-virtualenv", "py3-setuptools", "py3-wheel":
		return true
	}
	rest, ok := strings.CutPrefix(name, "python")
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
// docs and CI run. Dockerfiles build production images: their commands run
// in the image, not in the developer's environment.
func addCommands(p *detect.Project, kb *knowledge, set *pkgSet) {
	for _, c := range p.Commands {
		if c.File == detect.KindDockerfile {
			continue
		}
		name := path.Base(c.Name)
		attr := kb.commandAttr(name)
		if attr == "" {
			continue
		}
		set.add(attr, nil, fmt.Sprintf("the project runs %s", name), "", []detect.Evidence{c.Evidence})
	}
}

// collectDependencies lists the project's Python packages once each: the
// requirements of the synced groups and every locked package (indirect
// dependencies have native needs too).
func collectDependencies(p *detect.Project, g groupSelection) []dependency {
	byName := map[string]*dependency{}
	var order []string
	add := func(name string, extras []string, sdist bool, ev detect.Evidence) {
		name = normalizeName(name)
		if name == "" {
			return
		}
		d, ok := byName[name]
		if !ok {
			d = &dependency{Name: name}
			byName[name] = d
			order = append(order, name)
		}
		for _, x := range extras {
			x = normalizeName(x)
			if !slices.Contains(d.Extras, x) {
				d.Extras = append(d.Extras, x)
			}
		}
		d.SdistOnly = d.SdistOnly || sdist
		if !slices.Contains(d.Evidence, ev) {
			d.Evidence = append(d.Evidence, ev)
		}
	}
	for _, r := range p.Requirements {
		if r.Group != "" {
			if r.Optional && !g.wantsExtra(r.Group) || !r.Optional && !g.wants(r.Group) {
				continue
			}
		}
		add(r.Name, r.Extras, false, r.Evidence)
	}
	for _, l := range p.Locked {
		add(l.Name, nil, l.SdistOnly, l.Evidence)
	}
	sort.Strings(order)
	out := make([]dependency, len(order))
	for i, n := range order {
		out[i] = *byName[n]
	}
	return out
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

func newPkgSet() *pkgSet { return &pkgSet{byAttr: map[string]*pkgNeed{}} }

func (s *pkgSet) add(attr string, systems []string, why, who string, ev []detect.Evidence) {
	s.addOutputs(attr, nil, systems, why, who, ev)
}

func (s *pkgSet) addOutputs(attr string, outputs, systems []string, why, who string, ev []detect.Evidence) {
	n, ok := s.byAttr[attr]
	if !ok {
		n = &pkgNeed{attr: attr, names: map[string][]string{}}
		s.byAttr[attr] = n
	}
	if len(outputs) > 0 {
		n.outputs = outputs
	}
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
