package detect

// extractPDMLock reads pdm.lock: the PDM manager, [metadata]
// requires_python when present (newer lock versions) and the locked
// packages with their dependency edges and wheels. Local path and editable
// packages are the project's own code. A package with extras has a table
// of its own (extras = ["socks"]) whose dependencies are what the extras
// add: they become the extras of the package's main table.
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
	variants := map[string]map[string][]LockedDep{} // name -> extra -> edges
	lockPackages(s, d, "pdm.lock", func(pkg map[string]any, _ string, l *LockedPackage) lockEntry {
		l.Requires = pep508Deps(asStrings(pkg["dependencies"]))
		if extras := asStrings(pkg["extras"]); len(extras) > 0 {
			if variants[l.Name] == nil {
				variants[l.Name] = map[string][]LockedDep{}
			}
			for _, x := range extras {
				variants[l.Name][NormalizeName(x)] = l.Requires
			}
			return lockedVariant
		}
		if _, local := pkg["path"]; local || pkg["editable"] == true {
			l.Source, _ = pkg["path"].(string)
			return lockedOwn
		}
		files, _ := pkg["files"].([]any)
		l.Wheels = wheelFiles(files)
		l.SdistOnly = pkg["git"] != nil || len(files) > 0 && len(l.Wheels) == 0
		return lockedDependency
	})
	for i := range s.p.Locked {
		l := &s.p.Locked[i]
		if v := variants[l.Name]; v != nil && l.Evidence.Path == f.Path {
			l.Extras = v
		}
	}
}
