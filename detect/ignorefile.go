package detect

import (
	"path"
	"strings"
)

// Ignore files of container builds and deploy tools (.dockerignore,
// .gcloudignore, Heroku's .slugignore, ...) usually exclude the venv from
// what is sent. Flox keeps the venv in .flox/cache, which they do not
// exclude yet; the lines that exclude a venv are recorded.

// ignoreFileNames are the ignore files of build and deploy tools.
var ignoreFileNames = []string{".dockerignore", ".gcloudignore", ".slugignore", ".cfignore", ".ebignore",
	".funcignore", ".vercelignore", ".nowignore", ".containerignore"}

func isIgnoreFile(rel string) bool {
	base := path.Base(rel)
	for _, n := range ignoreFileNames {
		if base == n {
			return true
		}
	}
	// BuildKit reads <Dockerfile name>.dockerignore beside a Dockerfile.
	return strings.HasSuffix(base, ".dockerignore")
}

func extractIgnoreFile(s *scanner, f *textFile) {
	for i, line := range f.Lines() {
		if dir, ok := IgnoredVenv(line); ok {
			s.p.Venvs = append(s.p.Venvs, VenvUse{Action: VenvConfig, Dir: dir, Command: strings.TrimSpace(line),
				File: KindIgnoreFile, Evidence: f.Ev(i + 1)})
		}
	}
}

// IgnorePattern returns an ignore line's pattern without its anchors
// ("/", "**/") and folder marks ("/", "/**", "/*"); "" for comments,
// negations and blank lines.
func IgnorePattern(line string) string {
	p := strings.TrimSpace(line)
	if p == "" || strings.HasPrefix(p, "#") || strings.HasPrefix(p, "!") {
		return ""
	}
	for changed := true; changed; {
		changed = false
		for _, pre := range []string{"/", "**/", "./"} {
			if strings.HasPrefix(p, pre) {
				p, changed = p[len(pre):], true
			}
		}
		for _, suf := range []string{"/**", "/*", "/"} {
			if strings.HasSuffix(p, suf) {
				p, changed = p[:len(p)-len(suf)], true
			}
		}
	}
	return p
}

// IgnoredVenv reports an ignore line that excludes a venv folder, and the
// folder.
func IgnoredVenv(line string) (string, bool) {
	p := IgnorePattern(line)
	if p == "" || strings.ContainsAny(p, "*?[") && !strings.HasSuffix(p, "*") {
		return "", false
	}
	p = strings.TrimSuffix(p, "*")
	if !isVenvFolderName(p) {
		return "", false
	}
	return p, true
}
