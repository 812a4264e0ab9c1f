package detect

import (
	"path"
	"strings"
)

// uv.lock, poetry.lock and pdm.lock share a layout: [[package]] tables,
// each with a name and a version. They differ in how they mark the
// project's own code, packages that must be built from source, and how
// they write dependency edges.

// lockEntry says what a [[package]] table of a lock file is.
type lockEntry int

const (
	lockedDependency lockEntry = iota
	lockedOwn                  // the project's own code
	lockedVariant              // another table of a package (pdm.lock's extras), merged by the reader
)

// lockPackages adds the [[package]] tables of lock file lockName to the
// locked packages, or to the project's own, as read says. read fills in
// everything but the name, version and evidence. A package without a name
// is a problem.
func lockPackages(s *scanner, d *tomlDoc, lockName string, read func(pkg map[string]any, name string, l *LockedPackage) lockEntry) {
	for i, item := range d.array("package") {
		pkg, ok := item.(map[string]any)
		if !ok {
			continue
		}
		ev := d.ev("package", i)
		name, _ := pkg["name"].(string)
		if name == "" {
			s.problem(ev, lockName+" package without a name")
			continue
		}
		version, _ := pkg["version"].(string)
		l := LockedPackage{Name: NormalizeName(name), Version: version, Evidence: ev}
		switch read(pkg, name, &l) {
		case lockedOwn:
			s.p.LockedProjects = append(s.p.LockedProjects, l)
		case lockedDependency:
			s.p.Locked = append(s.p.Locked, l)
		}
	}
}

// wheelFiles returns the wheel file names of a lock's file list
// ({file = "x.whl"}, {url = ".../x.whl"}, {path = "x.whl"}).
func wheelFiles(files []any) []string {
	var out []string
	for _, f := range files {
		m, _ := f.(map[string]any)
		for _, key := range []string{"file", "filename", "url", "path"} {
			if name, ok := m[key].(string); ok {
				if base := path.Base(name); strings.HasSuffix(strings.ToLower(base), ".whl") {
					out = append(out, base)
				}
				break
			}
		}
	}
	return out
}

// anyWheel reports whether a lock's file list holds a wheel.
func anyWheel(files []any) bool { return len(wheelFiles(files)) > 0 }

// lockInterpreter records a lock file's Python requirement, which uses
// PEP 440 (uv, PDM, Pipfile) or Poetry (poetry.lock) syntax as written.
func lockInterpreter(s *scanner, d *tomlDoc, kind FileKind, v any, path ...any) {
	ev := d.ev(path...)
	spec, ok := v.(string)
	if !ok {
		s.problem(ev, dotted(path)+": expected a string, got "+tomlType(v))
		return
	}
	// Spaces separate clauses in Poetry's syntax but mean nothing in PEP 440.
	if kind == KindPoetryLock {
		spec = strings.Join(strings.Fields(spec), " ")
	} else {
		spec = strings.Join(strings.Fields(spec), "")
	}
	if _, err := interpreterSpecifier(kind, spec); err != nil {
		s.problem(ev, dotted(path)+": invalid version constraint "+quoteShort(spec)+": "+err.Error())
	}
	s.p.Interpreters = append(s.p.Interpreters, InterpreterRequest{Source: kind, Spec: spec, Evidence: ev})
}

// pep508Deps reads dependency edges written as PEP 508 strings (pdm.lock
// dependencies, poetry.lock extras); strings that do not parse are left out.
func pep508Deps(items []string) []LockedDep {
	var out []LockedDep
	for _, text := range items {
		r, err := ParseRequirement(text)
		if err != nil {
			continue
		}
		out = append(out, LockedDep{Name: r.Name, Extras: r.Extras, Marker: r.Marker})
	}
	return out
}
