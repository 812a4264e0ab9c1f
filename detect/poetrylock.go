package detect

import "strings"

// extractPoetryLock reads poetry.lock in its 1.1 layout (file hashes under
// [metadata.files]) and its 2.x layout (files per package): the Poetry
// manager, [metadata] python-versions and the locked packages with their
// dependency edges and wheels. A path dependency (source type directory)
// is the project's own code.
func extractPoetryLock(s *scanner, f *textFile) {
	d, ok := parseTOML(s, f)
	if !ok {
		return
	}
	s.p.Managers = append(s.p.Managers, ManagerUse{Manager: ManagerPoetry, Strength: 3, Reason: "poetry.lock", Evidence: d.ev("metadata")})
	if v, ok := d.get("metadata", "python-versions"); ok {
		lockInterpreter(s, d, KindPoetryLock, v, "metadata", "python-versions")
	}
	legacyFiles := d.table("metadata", "files")
	lockPackages(s, d, "poetry.lock", func(pkg map[string]any, name string, l *LockedPackage) lockEntry {
		l.Requires, l.Extras = poetryDeps(pkg)
		source, _ := pkg["source"].(map[string]any)
		switch t, _ := source["type"].(string); t {
		case "directory":
			l.Source, _ = source["url"].(string)
			return lockedOwn
		case "git":
			l.SdistOnly = true
			return lockedDependency
		}
		files, ok := pkg["files"].([]any)
		if !ok {
			files, _ = legacyFiles[name].([]any)
		}
		l.Wheels = wheelFiles(files)
		l.SdistOnly = len(files) > 0 && len(l.Wheels) == 0
		return lockedDependency
	})
}

// poetryDeps reads [package.dependencies] (a version string, a table with
// version, optional, markers and extras, or a list of such tables) and
// [package.extras] (lists of "name (spec)" naming optional dependencies).
// Optional dependencies are installed only through an extra.
func poetryDeps(pkg map[string]any) (requires []LockedDep, extras map[string][]LockedDep) {
	optional := map[string][]LockedDep{}
	deps, _ := pkg["dependencies"].(map[string]any)
	for _, name := range sortedKeys(deps) {
		specs, ok := deps[name].([]any)
		if !ok {
			specs = []any{deps[name]}
		}
		for _, spec := range specs {
			dep := LockedDep{Name: NormalizeName(name)}
			isOptional := false
			if t, ok := spec.(map[string]any); ok {
				dep.Marker, _ = t["markers"].(string)
				isOptional, _ = t["optional"].(bool)
				for _, x := range asStrings(t["extras"]) {
					dep.Extras = append(dep.Extras, NormalizeName(x))
				}
			}
			if isOptional {
				optional[dep.Name] = append(optional[dep.Name], dep)
				continue
			}
			requires = append(requires, dep)
		}
	}
	table, _ := pkg["extras"].(map[string]any)
	for _, extra := range sortedKeys(table) {
		for _, named := range pep508Deps(poetryExtraItems(table[extra])) {
			if extras == nil {
				extras = map[string][]LockedDep{}
			}
			if deps, ok := optional[named.Name]; ok {
				extras[NormalizeName(extra)] = append(extras[NormalizeName(extra)], deps...)
			} else {
				extras[NormalizeName(extra)] = append(extras[NormalizeName(extra)], named)
			}
		}
	}
	return requires, extras
}

// poetryExtraItems turns Poetry's "name (>=1.0)" into PEP 508 "name >=1.0"
// strings, which ParseRequirement reads.
func poetryExtraItems(v any) []string {
	var out []string
	for _, item := range asStrings(v) {
		item = strings.NewReplacer("(", " ", ")", " ").Replace(item)
		out = append(out, item)
	}
	return out
}
