package migrate

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

// The packages the sync installs decide the native needs: the install set
// names its roots (the project's dependencies with the synced extras and
// groups, the requirement files, the packages named on the command line),
// and a lock file's dependency graph says what they pull in. Only edges
// whose markers hold for the environment's interpreter on Linux or macOS
// count, so an unsynced extra, a Windows-only package or one limited to
// older Pythons brings nothing.

// pyTarget is the interpreter the environment installs, for markers.
type pyTarget struct {
	minor int    // 13 for Python 3.13
	impl  string // "cpython" or "pypy"
	// linuxOnly limits markers to Linux: what a Linux sync installs, the
	// one whose source builds need the environment's compiler.
	linuxOnly bool
}

// onLinux is the target limited to Linux.
func (t pyTarget) onLinux() pyTarget {
	t.linuxOnly = true
	return t
}

// markerEnvs are the environments a marker is evaluated in: Linux and
// macOS on both architectures Flox serves, with the extras being
// installed. A dependency counts when its marker holds in any of them.
// The patch is a late one: the catalog serves a minor's latest release.
func (t pyTarget) markerEnvs(extras []string) []detect.MarkerEnv {
	impl, implName := "CPython", "cpython"
	if t.impl == "pypy" {
		impl, implName = "PyPy", "pypy"
	}
	minor := "3." + itoa(t.minor)
	var out []detect.MarkerEnv
	for _, sys := range []struct{ platform, system, machine string }{
		{"linux", "Linux", "x86_64"}, {"linux", "Linux", "aarch64"},
		{"darwin", "Darwin", "arm64"}, {"darwin", "Darwin", "x86_64"},
	} {
		if t.linuxOnly && sys.platform != "linux" {
			continue
		}
		out = append(out, detect.MarkerEnv{Extras: extras, Vars: map[string]string{
			"python_version": minor, "python_full_version": minor + ".99",
			"sys_platform": sys.platform, "platform_system": sys.system, "platform_machine": sys.machine,
			"os_name": "posix", "platform_python_implementation": impl, "implementation_name": implName,
		}})
	}
	return out
}

// holds reports whether a marker holds on one of the target's systems
// when the given extras are installed.
func (t pyTarget) holds(marker string, extras []string) bool {
	if marker == "" {
		return true
	}
	if extras == nil {
		extras = []string{}
	}
	for _, env := range t.markerEnvs(extras) {
		if detect.MarkerHolds(marker, env) {
			return true
		}
	}
	return false
}

// syncedPackages lists, once each and sorted by name, the Python packages
// the install set puts into the venv for the target interpreter.
func syncedPackages(p *detect.Project, set installset.Set, t pyTarget) []dependency {
	w := newLockWalk(p, t)
	w.active = activeConflictItems(p, set)
	for _, r := range syncRoots(p, set, t, w.active) {
		w.visitRoot(r)
	}
	return w.dependencies()
}

// activeConflictItems are the root package's synced extras and groups as
// uv.lock's conflict markers name them: extra-{len}-{package}-{extra} and
// group-{len}-{package}-{group} (astral-sh/uv
// crates/uv-resolver/src/universal_marker.rs, encode_package_extra and
// encode_package_group). Items it does not name are false there.
func activeConflictItems(p *detect.Project, set installset.Set) []string {
	own, ok := rootLockEntry(p)
	if !ok {
		return nil
	}
	pkg := own.Name
	var out []string
	for x := range own.Extras {
		if set.AllExtras || slices.Contains(set.Extras, x) {
			out = append(out, fmt.Sprintf("extra-%d-%s-%s", len(pkg), pkg, x))
		}
	}
	for g := range own.Groups {
		if set.AllGroups || slices.Contains(set.Groups, g) {
			out = append(out, fmt.Sprintf("group-%d-%s-%s", len(pkg), pkg, g))
		}
	}
	sort.Strings(out)
	return out
}

// syncRoot is a package the install set names, and where.
type syncRoot struct {
	dep detect.LockedDep
	ev  detect.Evidence
	pin string // the version a requirement pins exactly
}

// syncRoots are the requirements the install set names whose markers
// hold: the project's own (from its lock entry, which also knows dynamic
// dependencies and which version of a forked package each edge takes, or
// from its metadata), those of the requirement files it installs, and the
// packages it names.
func syncRoots(p *detect.Project, set installset.Set, t pyTarget, active []string) []syncRoot {
	var roots []syncRoot
	add := func(r detect.Requirement) {
		if r.Path == "" {
			pin, _ := exactVersion(r.Specifier)
			roots = append(roots, syncRoot{detect.LockedDep{Name: r.Name, Extras: r.Extras, Marker: r.Marker}, r.Evidence, pin})
		}
	}
	addLocked := func(deps []detect.LockedDep, ev detect.Evidence) {
		for _, d := range deps {
			roots = append(roots, syncRoot{dep: d, ev: ev})
		}
	}
	project := set.Project != installset.NotInstalled && set.Project != ""
	wantExtra := func(x string) bool { return set.AllExtras || slices.Contains(set.Extras, normalizeName(x)) }
	wantGroup := func(g string) bool { return set.AllGroups || slices.Contains(set.Groups, normalizeName(g)) }
	if own, ok := rootLockEntry(p); ok {
		if project {
			addLocked(own.Requires, own.Evidence)
			for x, deps := range own.Extras {
				if wantExtra(x) {
					addLocked(deps, own.Evidence)
				}
			}
		}
		for g, deps := range own.Groups {
			if wantGroup(g) {
				addLocked(deps, own.Evidence)
			}
		}
	} else if pipfileLocked(p) {
		for _, r := range pipfileRoots(p, set) {
			add(r)
		}
	} else {
		for _, r := range p.Requirements {
			if !projectMetadataFile(r.Evidence.Path) {
				continue
			}
			switch {
			case r.Group == "" && project, r.Optional && project && wantExtra(r.Group), r.Group != "" && !r.Optional && wantGroup(r.Group):
				add(r)
			}
		}
	}
	// A package of the checkout installed by path (`-e ./pkg[extra]`, in a
	// requirement file or by name) brings the dependencies its own
	// metadata declares, with the extras it is installed with.
	addLocal := func(dir string, extras []string) {
		dir = path.Clean(dir)
		if dir == "." {
			return // the project itself, above
		}
		for _, r := range p.Requirements {
			d, f := path.Split(r.Evidence.Path)
			if path.Clean(d) != dir || !projectMetadataFile(f) {
				continue
			}
			if r.Group == "" || r.Optional && slices.ContainsFunc(extras, func(x string) bool { return normalizeName(x) == normalizeName(r.Group) }) {
				add(r)
			}
		}
	}
	for _, f := range set.Requirements {
		for _, r := range p.Requirements {
			if r.Evidence.Path == f.Name {
				add(r)
				if r.Path != "" {
					addLocal(r.Path, r.Extras)
				}
			}
		}
	}
	for _, it := range set.Packages {
		if local, ok := strings.CutPrefix(it.Name, "-e "); ok || strings.HasPrefix(it.Name, ".") || strings.HasPrefix(it.Name, "/") {
			dir, extras, _ := strings.Cut(local, "[")
			addLocal(dir, strings.Split(strings.TrimSuffix(extras, "]"), ","))
			continue
		}
		if r, err := detect.ParseRequirement(it.Name); err == nil {
			r.Evidence = detect.Evidence{Path: hookEvidence}
			add(r)
		}
	}
	return slices.DeleteFunc(roots, func(r syncRoot) bool { return !t.holds(r.dep.Marker, active) })
}

// hookEvidence names the manifest's hook as the evidence of packages its
// sync installs by name.
const hookEvidence = ".flox/env/manifest.toml"

// projectMetadataFile is a file that declares the root project's
// dependencies.
func projectMetadataFile(file string) bool {
	switch file {
	case "pyproject.toml", "setup.py", "setup.cfg", "Pipfile":
		return true
	}
	return false
}

// rootLockEntry is the project's own entry in uv.lock (source ".").
func rootLockEntry(p *detect.Project) (detect.LockedPackage, bool) {
	for _, l := range p.LockedProjects {
		if path := strings.TrimPrefix(l.Source, "./"); (path == "." || path == "") && !strings.Contains(l.Evidence.Path, "/") {
			return l, true
		}
	}
	return detect.LockedPackage{}, false
}

// pipfileLocked reports a Pipfile.lock, whose sections are flat sets.
func pipfileLocked(p *detect.Project) bool {
	return slices.ContainsFunc(p.Locked, func(l detect.LockedPackage) bool { return len(l.Sections) > 0 })
}

// pipfileRoots are the Pipfile.lock packages of the sections pipenv
// installs: default always, develop for the dev-packages, and the other
// categories the set names.
func pipfileRoots(p *detect.Project, set installset.Set) []detect.Requirement {
	if set.Project == installset.NotInstalled && len(set.Groups) == 0 {
		return nil
	}
	want := map[string]bool{"default": true}
	for _, g := range set.Groups {
		if g == "dev-packages" {
			g = "develop"
		}
		want[g] = true
	}
	var out []detect.Requirement
	for _, l := range p.Locked {
		if slices.ContainsFunc(l.Sections, func(s string) bool { return want[s] }) {
			out = append(out, detect.Requirement{Name: l.Name, Marker: l.Marker, Evidence: l.Evidence})
		}
	}
	return out
}

// lockWalk visits packages through the lock files' dependency edges.
type lockWalk struct {
	target pyTarget
	// active are the conflict items the sync activates (uv.lock).
	active []string
	// entries are the lock's packages by name, the project's own included
	// (a workspace member's dependencies are installed with it).
	entries map[string][]*detect.LockedPackage
	seen    map[string]bool // "index extras"
	found   map[string]*dependency
}

func newLockWalk(p *detect.Project, t pyTarget) *lockWalk {
	w := &lockWalk{target: t, entries: map[string][]*detect.LockedPackage{}, seen: map[string]bool{}, found: map[string]*dependency{}}
	for _, list := range [][]detect.LockedPackage{p.Locked, p.LockedProjects} {
		for i := range list {
			// A lock file in a subfolder locks another project (a
			// workspace member's own lock), not what this sync installs.
			if l := &list[i]; !strings.Contains(l.Evidence.Path, "/") {
				w.entries[l.Name] = append(w.entries[l.Name], l)
			}
		}
	}
	return w
}

// visitRoot records a root and walks what it pulls in.
func (w *lockWalk) visitRoot(r syncRoot) {
	d := w.record(r.dep.Name, r.dep.Extras, r.ev)
	d.Root = true
	if r.pin != "" && d.Pin == "" {
		d.Pin, d.PinEvidence = r.pin, r.ev
	}
	w.visit(r.dep)
}

// exactVersion returns X of an `==X` specifier without wildcards.
func exactVersion(spec string) (string, bool) {
	v, ok := strings.CutPrefix(strings.TrimSpace(spec), "==")
	if !ok || v == "" || strings.ContainsAny(v, "*,<>!~=") {
		return "", false
	}
	return strings.TrimSpace(v), true
}

// record notes a package the sync installs, with extras and evidence.
func (w *lockWalk) record(name string, extras []string, ev detect.Evidence) *dependency {
	name = normalizeName(name)
	d, ok := w.found[name]
	if !ok {
		d = &dependency{Name: name}
		w.found[name] = d
	}
	for _, x := range extras {
		if x = normalizeName(x); !slices.Contains(d.Extras, x) {
			d.Extras = append(d.Extras, x)
		}
	}
	if ev.Path != "" && !slices.Contains(d.Evidence, ev) {
		d.Evidence = append(d.Evidence, ev)
	}
	return d
}

// visit follows one edge: every lock entry of the package (of its version
// when the edge names one), with the extras asked for.
func (w *lockWalk) visit(edge detect.LockedDep) {
	name := normalizeName(edge.Name)
	extras := slices.Clone(edge.Extras)
	sort.Strings(extras)
	for i, l := range w.entries[name] {
		if edge.Version != "" && l.Version != edge.Version {
			continue
		}
		key := name + " " + itoa(i) + " " + strings.Join(extras, ",")
		if w.seen[key] {
			continue
		}
		w.seen[key] = true
		if l.Source == "" {
			d := w.record(name, extras, l.Evidence)
			d.Locked = append(d.Locked, l)
		} else {
			w.record(name, extras, detect.Evidence{}).Own = l.Source
		}
		next := slices.Clone(l.Requires)
		for _, x := range extras {
			next = append(next, l.Extras[x]...)
		}
		for _, dep := range next {
			if w.target.holds(dep.Marker, append(slices.Clone(extras), w.active...)) {
				w.visit(dep)
			}
		}
	}
}

func (w *lockWalk) dependencies() []dependency {
	names := make([]string, 0, len(w.found))
	for n := range w.found {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]dependency, 0, len(names))
	for _, n := range names {
		out = append(out, *w.found[n])
	}
	return out
}

// syncSet is what the hook's sync installs, recorded the way the
// differential check records the whole hook (installset.CheckHook). The
// interpreter and the preloaded libraries do not change what the sync
// installs, so a hook without them serves: native needs are planned from
// this set before either is known.
func syncSet(p *detect.Project, venv string, sp syncPlan) (installset.Set, error) {
	hook, _, err := buildHook(venv, Interpreter{Command: "python3"}, sp, nil, Reason{})
	if err != nil {
		return installset.Set{}, err
	}
	return installset.CheckHook(p, nil, hook, "").New, nil
}
