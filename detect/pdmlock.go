package detect

// extractPDMLock reads pdm.lock: the PDM manager, [metadata]
// requires_python when present (newer lock versions) and the locked
// packages. Local path and editable packages are the project's own code.
func extractPDMLock(s *scanner, f *textFile) {
	d, ok := parseTOML(s, f)
	if !ok {
		return
	}
	s.p.Managers = append(s.p.Managers, ManagerUse{Manager: ManagerPDM, Strength: 3, Reason: "pdm.lock", Evidence: d.ev("metadata")})
	if v, ok := d.get("metadata", "requires_python"); ok {
		lockInterpreter(s, d, KindPDMLock, v, "metadata", "requires_python")
	}
	// Lock format 4.5 moved it to [[metadata.targets]]; several targets are
	// alternatives the lock serves, not requirements that must all hold.
	targets := d.array("metadata", "targets")
	for i := range targets {
		if v, ok := d.get("metadata", "targets", i, "requires_python"); ok {
			n := len(s.p.Interpreters)
			lockInterpreter(s, d, KindPDMLock, v, "metadata", "targets", i, "requires_python")
			if len(targets) > 1 && len(s.p.Interpreters) > n {
				s.p.Interpreters[len(s.p.Interpreters)-1].Matrix = true
			}
		}
	}
	lockPackages(s, d, "pdm.lock", func(pkg map[string]any, _ string) (own, sdistOnly bool) {
		if _, local := pkg["path"]; local || pkg["editable"] == true {
			return true, false
		}
		files, _ := pkg["files"].([]any)
		return false, pkg["git"] != nil || len(files) > 0 && !anyWheel(files)
	})
}
