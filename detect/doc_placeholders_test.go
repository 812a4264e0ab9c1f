package detect

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

func TestMaskDocPlaceholders(t *testing.T) {
	tests := []struct {
		in     string
		masked bool // whether any placeholder was masked
	}{
		{"git clone <repo-url>", true},
		{"python manage.py createuser --username <username> --email <email@example.com>", true},
		{"uv add <package name>", true},
		{"sort <input.txt >output.txt", false}, // a redirection pair
		{"sort < input.txt > output.txt", false},
		{"cat <<EOF\nhi\nEOF", false},
		{"diff <(ls a) <(ls b)", false},
		{"echo $(<file)", false},
		{"cmd <a>", false}, // too short to hold a placeholder
		{"run 2><err.log", false},
	}
	for _, tt := range tests {
		masked, unmask := MaskDocPlaceholders(tt.in)
		if len(masked) != len(tt.in) {
			t.Errorf("%q: masked to %q, a different length", tt.in, masked)
		}
		if got := masked != tt.in; got != tt.masked {
			t.Errorf("%q: masked = %q", tt.in, masked)
		}
		if unmask(masked) != tt.in {
			t.Errorf("%q: unmask(%q) = %q", tt.in, masked, unmask(masked))
		}
		if tt.masked {
			if _, err := ParseShell(strings.NewReader(masked), "", syntax.LangBash, false); err != nil {
				t.Errorf("%q: masked %q does not parse: %v", tt.in, masked, err)
			}
		}
	}
}
