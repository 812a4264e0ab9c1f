package detect

import (
	"path"

	"go.yaml.in/yaml/v3"
)

// .pre-commit-config.yaml: local hooks with `language: system` run programs
// by path, often from the project venv (`entry: .venv/bin/ruff`,
// `entry: .venv/bin/python -m mypy`). pre-commit splits `entry` like a
// shell would (shlex) and runs it from the repository root; it is read as
// a one-line command.

func isPreCommitConfig(rel string) bool {
	base := path.Base(rel)
	return base == ".pre-commit-config.yaml" || base == ".pre-commit-config.yml"
}

func extractPreCommit(s *scanner, f *textFile) {
	root := parseYAMLFile(s, f)
	if root == nil {
		return
	}
	lines := f.Lines()
	ss := newShellSession(s, f.Path, KindPreCommit)
	ss.quietErrors = true
	for _, repo := range yamlItems(yamlGet(root, "repos")) {
		for _, hook := range yamlItems(yamlGet(repo, "hooks")) {
			entry := resolveAlias(yamlGet(hook, "entry"))
			if entry == nil || entry.Kind != yaml.ScalarNode || entry.Value == "" {
				continue
			}
			ss.analyze(yamlShellText(lines, entry, &placeholders{}, nil))
		}
	}
}
