package detect

// Temporary: each function moves to its own file as it is implemented.

func extractPyproject(s *scanner, f *textFile)        {}
func extractUVLock(s *scanner, f *textFile)           {}
func extractPoetryLock(s *scanner, f *textFile)       {}
func extractPDMLock(s *scanner, f *textFile)          {}
func extractPipfile(s *scanner, f *textFile)          {}
func extractPipfileLock(s *scanner, f *textFile)      {}
func extractSetupCfg(s *scanner, f *textFile)         {}
func extractSetupPy(s *scanner, f *textFile)          {}
func extractRequirementsFile(s *scanner, f *textFile) {}
func extractPythonVersion(s *scanner, f *textFile)    {}
func extractRuntimeTxt(s *scanner, f *textFile)       {}
func extractToolVersions(s *scanner, f *textFile)     {}
func extractMise(s *scanner, f *textFile)             {}
func extractCondaEnv(s *scanner, f *textFile)         {}
func findConflicts(p *Project)                        {}
