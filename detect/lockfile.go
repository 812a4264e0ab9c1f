package detect

import "strings"

// uv.lock, poetry.lock and pdm.lock share a layout: [[package]] tables,
// each with a name and a version. They differ in how they mark the
// project's own code and packages that must be built from source.

// lockPackages adds the [[package]] tables of lock file lockName to the
// locked packages. classify tells, for a named package, whether it is the
// project's own code (not a locked dependency) and whether only a source
// build of it is locked. A package without a name is a problem.
func lockPackages(s *scanner, d *tomlDoc, lockName string, classify func(pkg map[string]any, name string) (own, sdistOnly bool)) {
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
		own, sdistOnly := classify(pkg, name)
		if own {
			continue
		}
		version, _ := pkg["version"].(string)
		s.p.Locked = append(s.p.Locked, LockedPackage{Name: NormalizeName(name), Version: version, Evidence: ev, SdistOnly: sdistOnly})
	}
}

// anyWheel reports whether a lock's file list ({file = "x.whl", ...})
// holds a wheel.
func anyWheel(files []any) bool {
	for _, f := range files {
		m, _ := f.(map[string]any)
		name, _ := m["file"].(string)
		if name == "" {
			name, _ = m["url"].(string)
		}
		if strings.HasSuffix(strings.ToLower(name), ".whl") {
			return true
		}
	}
	return false
}

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
