package rewrite

import (
	"encoding/json"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
)

func TestVSCodeGolden(t *testing.T) {
	runGolden(t, "vscode", testContext, VSCode, func(t *testing.T, c goldenCase, out []byte) {
		if _, err := detect.ParseJSONC(string(out)); err != nil {
			t.Errorf("rewritten file is not JSONC: %v", err)
		}
		var v any
		if json.Unmarshal(c.In, &v) == nil && json.Unmarshal(out, &v) != nil {
			t.Errorf("rewritten file is no longer plain JSON")
		}
	})
}
