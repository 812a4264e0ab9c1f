package callgraph

import "testing"

func TestUnguardedFlox(t *testing.T) {
	tests := []struct {
		src  string
		line int
	}{
		{"#!/bin/sh\nif [ \"${FLOX_ENV_PROJECT:-}\" != \"$p\" ] && command -v flox >/dev/null 2>&1; then exec flox activate -d \"$p\" -- /bin/sh \"$0\" \"$@\"; fi\npytest\n", 0},
		{"#!/bin/sh\nif [ \"${FLOX_ENV_PROJECT:-}\" != \"$p\" ]; then exec flox activate -d \"$p\" -- /bin/sh \"$0\" \"$@\"; fi\npytest\n", 2},
		{"command -v flox >/dev/null && flox activate -- pytest\n", 0},
		{"if command -v flox >/dev/null 2>&1; then eval \"$(flox activate)\"; fi\n", 0},
		{"eval \"$(flox activate)\"\n", 1},
		{"echo flox\nflox activate -- true\n", 2},
	}
	for _, tt := range tests {
		line, ok := unguardedFlox(tt.src)
		if line != tt.line || ok != (tt.line > 0) {
			t.Errorf("%q: got line %d (%v), want %d", tt.src, line, ok, tt.line)
		}
	}
}
