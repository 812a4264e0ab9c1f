package detect

// Temporary: each function moves to its own file as it is implemented.

func extractMakefile(s *scanner, f *textFile)       {}
func extractTox(s *scanner, f *textFile)            {}
func extractNox(s *scanner, f *textFile)            {}
func extractEnvrc(s *scanner, f *textFile)          {}
func extractGitHubWorkflow(s *scanner, f *textFile) {}
func extractGitLabCI(s *scanner, f *textFile)       {}
func extractJenkinsfile(s *scanner, f *textFile)    {}
func extractCircleCI(s *scanner, f *textFile)       {}
func extractAzurePipelines(s *scanner, f *textFile) {}
func extractDockerfile(s *scanner, f *textFile)     {}
func extractMarkdown(s *scanner, f *textFile)       {}
func extractRST(s *scanner, f *textFile)            {}
func extractShellScript(s *scanner, f *textFile)    {}
