package detect

import "testing"

// The editor, hook, container and task-runner files that may point at the
// old venv: each kind's facts are compared with testdata/sources/<kind>.facts.
func TestSourcesGolden(t *testing.T) {
	for _, dir := range []string{"precommit", "ignorefile", "typecheck", "vscode", "containers", "python", "justfile", "taskfile"} {
		t.Run(dir, func(t *testing.T) { checkUsageGolden(t, "sources/"+dir) })
	}
}
