package detect

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
	lockPackages(s, d, "poetry.lock", func(pkg map[string]any, name string) (own, sdistOnly bool) {
		source, _ := pkg["source"].(map[string]any)
		switch t, _ := source["type"].(string); t {
		case "directory":
			return true, false // a path dependency: the project's own code
		case "git":
			return false, true
		}
		files, ok := pkg["files"].([]any)
		if !ok {
			files, _ = legacyFiles[name].([]any)
		}
		return false, len(files) > 0 && !anyWheel(files)
	})
}
