package detect

import "strings"

// extractUVLock reads uv.lock: the uv manager, requires-python and the
// locked packages. The project's own packages (the workspace root and
// members, with an editable or virtual source) are not locked dependencies.
func extractUVLock(s *scanner, f *textFile) {
	d, ok := parseTOML(s, f)
	if !ok {
		return
	}
	s.p.Managers = append(s.p.Managers, ManagerUse{Manager: ManagerUV, Strength: 3, Reason: "uv.lock", Evidence: d.ev("version")})
	if v, ok := d.get("requires-python"); ok {
		lockInterpreter(s, d, KindUVLock, v, "requires-python")
	}
	for i, item := range d.array("package") {
		pkg, ok := item.(map[string]any)
		if !ok {
			continue
		}
		ev := d.ev("package", i)
		name, _ := pkg["name"].(string)
		if name == "" {
			s.problem(ev, "uv.lock package without a name")
			continue
		}
		source, _ := pkg["source"].(map[string]any)
		if source["editable"] != nil || source["virtual"] != nil {
			continue // the project itself or a workspace member
		}
		version, _ := pkg["version"].(string)
		_, hasSdist := pkg["sdist"]
		wheels, _ := pkg["wheels"].([]any)
		built := len(wheels) == 0 && (hasSdist || source["git"] != nil ||
			source["directory"] != nil || isSourceArchive(source["url"]) || isSourceArchive(source["path"]))
		s.p.Locked = append(s.p.Locked, LockedPackage{Name: NormalizeName(name), Version: version, Evidence: ev, SdistOnly: built})
	}
}

// isSourceArchive reports whether a lock's url or path source names
// something other than a wheel, which pip or uv must build.
func isSourceArchive(v any) bool {
	s, ok := v.(string)
	return ok && !strings.HasSuffix(strings.ToLower(s), ".whl")
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
