package detect

import "strings"

// extractUVLock reads uv.lock: the uv manager, requires-python and the
// locked packages with their dependency edges and wheels. The project's
// own packages (the workspace root and members, with an editable or
// virtual source) are not locked dependencies; their edges start the walk
// of what a sync installs.
func extractUVLock(s *scanner, f *textFile) {
	d, ok := parseTOML(s, f)
	if !ok {
		return
	}
	s.p.Managers = append(s.p.Managers, ManagerUse{Manager: ManagerUV, Strength: 3, Reason: "uv.lock", Evidence: d.ev("version")})
	if v, ok := d.get("requires-python"); ok {
		lockInterpreter(s, d, KindUVLock, v, "requires-python")
	}
	lockPackages(s, d, "uv.lock", func(pkg map[string]any, _ string, l *LockedPackage) lockEntry {
		l.Requires = uvDeps(pkg["dependencies"])
		l.Extras = uvDepTable(pkg["optional-dependencies"])
		l.Groups = uvDepTable(pkg["dev-dependencies"])
		source, _ := pkg["source"].(map[string]any)
		for _, key := range []string{"editable", "virtual"} {
			if dir, ok := source[key].(string); ok {
				l.Source = dir
				return lockedOwn // the project itself or a workspace member
			}
		}
		wheels, _ := pkg["wheels"].([]any)
		l.Wheels = wheelFiles(wheels)
		_, hasSdist := pkg["sdist"]
		l.SdistOnly = len(wheels) == 0 && (hasSdist || source["git"] != nil ||
			source["directory"] != nil || isSourceArchive(source["url"]) || isSourceArchive(source["path"]))
		return lockedDependency
	})
}

// uvDeps reads a uv.lock dependency list: {name, version, extra, marker}.
func uvDeps(v any) []LockedDep {
	list, _ := v.([]any)
	var out []LockedDep
	for _, item := range list {
		m, _ := item.(map[string]any)
		name, _ := m["name"].(string)
		if name == "" {
			continue
		}
		dep := LockedDep{Name: NormalizeName(name)}
		dep.Version, _ = m["version"].(string)
		dep.Marker, _ = m["marker"].(string)
		for _, x := range asStrings(m["extra"]) {
			dep.Extras = append(dep.Extras, NormalizeName(x))
		}
		out = append(out, dep)
	}
	return out
}

// uvDepTable reads optional-dependencies or dev-dependencies: one list of
// edges per extra or group.
func uvDepTable(v any) map[string][]LockedDep {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		return nil
	}
	out := map[string][]LockedDep{}
	for k, list := range m {
		out[NormalizeName(k)] = uvDeps(list)
	}
	return out
}

// isSourceArchive reports whether a lock's url or path source names
// something other than a wheel, which pip or uv must build.
func isSourceArchive(v any) bool {
	s, ok := v.(string)
	return ok && !strings.HasSuffix(strings.ToLower(s), ".whl")
}
