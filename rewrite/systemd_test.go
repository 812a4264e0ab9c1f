package rewrite

import (
	"bytes"
	"testing"
)

// TestSystemdGolden: units are never changed; their venv commands are
// reported with their lines.
func TestSystemdGolden(t *testing.T) {
	runGolden(t, "systemd", testContext, SystemdUnit, func(t *testing.T, c goldenCase, out []byte) {
		if !bytes.Equal(out, c.In) {
			t.Errorf("a systemd unit changed:\n%s", out)
		}
	})
}
