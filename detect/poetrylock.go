package detect

import "strings"

// extractPoetryLock reads poetry.lock in its 1.1 layout (file hashes under
// [metadata.files]) and its 2.x layout (files per package): the Poetry
// manager, [metadata] python-versions and the locked packages.
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
	for i, item := range d.array("package") {
		pkg, ok := item.(map[string]any)
		if !ok {
			continue
		}
		ev := d.ev("package", i)
		name, _ := pkg["name"].(string)
		if name == "" {
			s.problem(ev, "poetry.lock package without a name")
			continue
		}
		source, _ := pkg["source"].(map[string]any)
		if t, _ := source["type"].(string); t == "directory" {
			continue // a path dependency: the project's own code
		}
		version, _ := pkg["version"].(string)
		files, hasFiles := pkg["files"].([]any)
		if !hasFiles {
			files, hasFiles = legacyFiles[name].([]any)
		}
		built := false
		if t, _ := source["type"].(string); t == "git" {
			built = true
		} else if hasFiles && len(files) > 0 {
			built = !anyWheel(files)
		}
		s.p.Locked = append(s.p.Locked, LockedPackage{Name: NormalizeName(name), Version: version, Evidence: ev, SdistOnly: built})
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
