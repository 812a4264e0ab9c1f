package detect

import (
	"testing"
)

func TestEnvrcGolden(t *testing.T) {
	checkUsageGolden(t, "envrc/layouts")
	// .envrc.venv is read through `source_env_if_exists`; the missing
	// .envrc.local is no problem.
	checkUsageGolden(t, "envrc/sourced")
}

func TestEnvrc(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"layout python3\n", []string{".envrc:1 venv activate dir=.direnv [envrc] | layout python3"}},
		{"layout_poetry\n", []string{".envrc:1 venv activate [envrc] | layout_poetry", ".envrc:1 manager poetry 1 (layout poetry)"}},
		{"use flox\n", []string{".envrc:1 command flox"}},
		{"source .venv/bin/activate\nwatch_file requirements.txt\n", []string{".envrc:1 venv activate dir=.venv [envrc] | source .venv/bin/activate"}},
		{"echo layout python\n", nil},
	}
	for _, tt := range tests {
		sameUsageFacts(t, snippetFacts(".envrc", tt.src), tt.want)
	}
}
