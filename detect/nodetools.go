package detect

import (
	"encoding/json"
	"strings"
)

// The JavaScript tools a project's scripts run (node, pnpm, yarn) come
// from the catalog; the versions it asks for decide which attribute.

// isNodeVersionFile matches nvm's .nvmrc and the .node-version that fnm,
// nodenv and volta-less setups read.
func isNodeVersionFile(rel string) bool {
	return isBase(".nvmrc")(rel) || isBase(".node-version")(rel)
}

// extractNodeVersion reads the first version line of .nvmrc or
// .node-version ("22", "v22.22.3"); aliases such as "lts/*" or "node"
// name no version and are left out.
func extractNodeVersion(s *scanner, f *textFile) {
	for i, line := range f.Lines() {
		line, _, _ = strings.Cut(line, "#")
		word := strings.TrimSpace(line)
		if word == "" {
			continue
		}
		addToolRequest(s, "node", word, f.Ev(i+1))
		return
	}
}

// extractPackageJSON reads packageManager ("pnpm@10.26.0+sha512.…",
// "yarn@4.12.0"), which Corepack and the managers themselves check.
func extractPackageJSON(s *scanner, f *textFile) {
	var pkg struct {
		PackageManager string `json:"packageManager"`
	}
	if err := json.Unmarshal([]byte(f.Text), &pkg); err != nil || pkg.PackageManager == "" {
		return
	}
	tool, version, ok := strings.Cut(pkg.PackageManager, "@")
	if !ok {
		return
	}
	version, _, _ = strings.Cut(version, "+")
	line := 1
	for i, l := range f.Lines() {
		if strings.Contains(l, `"packageManager"`) {
			line = i + 1
			break
		}
	}
	addToolRequest(s, tool, version, f.Ev(line))
}

// addToolRequest records a version that starts with a number ("v" allowed).
func addToolRequest(s *scanner, tool, version string, ev Evidence) {
	version = strings.TrimPrefix(strings.TrimSpace(version), "v")
	if version == "" || version[0] < '0' || version[0] > '9' {
		return
	}
	s.p.Tools = append(s.p.Tools, ToolRequest{Tool: tool, Version: version, Evidence: ev})
}
