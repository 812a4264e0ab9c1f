package detect

import (
	"path"
	"strings"
)

// Matchers of the paths the kinds table (kinds.go) reads.

func isBase(name string) func(string) bool {
	return func(rel string) bool { return path.Base(rel) == name }
}

func isExactly(p string) func(string) bool {
	return func(rel string) bool { return rel == p }
}

// isRequirementsFile reports whether a project-relative path names a pip
// requirements or pip-tools input file.
func isRequirementsFile(rel string) bool {
	base := path.Base(rel)
	dir := path.Dir(rel)
	ext := path.Ext(base)
	if ext != ".txt" && ext != ".in" {
		return false
	}
	stem := strings.TrimSuffix(base, ext)
	switch {
	case strings.HasPrefix(stem, "requirements"), strings.HasPrefix(stem, "constraints"):
		return true
	case strings.HasSuffix(stem, "-requirements"), strings.HasSuffix(stem, "_requirements"):
		return true
	case path.Base(dir) == "requirements" || path.Base(dir) == "reqs":
		return true
	}
	return false
}

func isMiseFile(rel string) bool {
	switch rel {
	case "mise.toml", ".mise.toml", ".config/mise.toml", "mise/config.toml":
		return true
	}
	return false
}

func isCondaFile(rel string) bool {
	if strings.Contains(rel, "/") {
		return false
	}
	switch rel {
	case "environment.yml", "environment.yaml", "conda.yml", "conda.yaml":
		return true
	}
	return false
}

func isMakefile(rel string) bool {
	base := path.Base(rel)
	switch base {
	case "Makefile", "makefile", "GNUmakefile":
		return true
	}
	return strings.HasSuffix(base, ".mk") || strings.HasPrefix(base, "Makefile.")
}

func isGitHubWorkflow(rel string) bool {
	return path.Dir(rel) == ".github/workflows" && isYAML(rel)
}

func isGitHubAction(rel string) bool {
	if !strings.HasPrefix(rel, ".github/") {
		return false
	}
	base := path.Base(rel)
	return base == "action.yml" || base == "action.yaml"
}

// isGitLabCI matches the pipeline GitLab reads, at the top, and the files
// it includes. A .gitlab-ci.yml deeper down is someone else's pipeline: a
// child pipeline at its own project's top, or test data
// (tests/gitlab_ci/resources/.gitlab-ci.yml in a CI scanner's repository).
func isGitLabCI(rel string) bool {
	if rel == ".gitlab-ci.yml" || rel == ".gitlab-ci.yaml" {
		return true
	}
	// Included pipeline files conventionally live under .gitlab/ci/.
	return strings.HasPrefix(rel, ".gitlab/ci/") && isYAML(rel)
}

func isJenkinsfile(rel string) bool {
	base := path.Base(rel)
	return base == "Jenkinsfile" || strings.HasPrefix(base, "Jenkinsfile.") || strings.HasSuffix(base, ".jenkinsfile")
}

func isAzurePipelines(rel string) bool {
	base := path.Base(rel)
	return base == "azure-pipelines.yml" || base == "azure-pipelines.yaml" ||
		(strings.HasPrefix(rel, ".azure-pipelines/") && isYAML(rel))
}

func isDockerfile(rel string) bool {
	base := path.Base(rel)
	if strings.HasSuffix(base, ".dockerignore") {
		return false // Dockerfile.dockerignore: the ignore file of that Dockerfile
	}
	return base == "Dockerfile" || strings.HasPrefix(base, "Dockerfile.") || strings.HasSuffix(base, ".Dockerfile") || base == "Containerfile"
}

// isDoc matches READMEs anywhere and documentation under docs/ or doc/.
func isDoc(exts ...string) func(string) bool {
	return func(rel string) bool {
		ext := strings.ToLower(path.Ext(rel))
		ok := false
		for _, e := range exts {
			ok = ok || ext == e
		}
		if !ok {
			return false
		}
		base := strings.ToUpper(path.Base(rel))
		if strings.HasPrefix(base, "README") || strings.HasPrefix(base, "CONTRIBUTING") ||
			strings.HasPrefix(base, "INSTALL") || strings.HasPrefix(base, "DEVELOPMENT") || strings.HasPrefix(base, "HACKING") {
			return true
		}
		if isAgentInstructions(rel) {
			return true
		}
		// Doc/ as well (CPython's spelling, which some projects keep).
		lower := strings.ToLower(rel)
		return strings.HasPrefix(lower, "docs/") || strings.HasPrefix(lower, "doc/")
	}
}

// isAgentInstructions matches the contributor instructions written for
// coding agents: AGENTS.md, CLAUDE.md, .github/copilot-instructions.md and
// skills (.claude/skills/<name>/SKILL.md). They tell how to set up and
// run the project, like CONTRIBUTING.md.
func isAgentInstructions(rel string) bool { return IsAgentInstructions(rel) }

// IsAgentInstructions reports a document written for coding agents, which
// run its commands non-interactively.
func IsAgentInstructions(rel string) bool {
	switch base := path.Base(rel); {
	case base == "AGENTS.md" || base == "CLAUDE.md":
		return true
	case rel == ".github/copilot-instructions.md":
		return true
	case base == "SKILL.md":
		dir := path.Dir(path.Dir(rel))
		return dir == ".claude/skills" || strings.HasSuffix(dir, "/.claude/skills")
	}
	return false
}

func isShellScript(rel string) bool {
	switch path.Ext(rel) {
	case ".sh", ".bash", ".zsh":
		return true
	}
	return false
}

func isYAML(rel string) bool {
	ext := path.Ext(rel)
	return ext == ".yml" || ext == ".yaml"
}

// isToxFile matches tox's INI configuration anywhere, and tox.toml at the
// top (tox reads it only there).
func isToxFile(rel string) bool {
	return path.Base(rel) == "tox.ini" || rel == "tox.toml"
}
