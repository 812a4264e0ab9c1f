package rewrite

import (
	"path"
	"testing"
)

// TestTypeCheckerSettingsGolden covers the settings that tell pyright and
// mypy which venv to read: pyrightconfig.json, pyproject.toml, mypy.ini
// and setup.cfg.
func TestTypeCheckerSettingsGolden(t *testing.T) {
	byName := map[string]Func{"pyrightconfig.json": PyrightConfig, "pyproject.toml": Pyproject, "mypy.ini": MypyConfig, "setup.cfg": MypyConfig}
	runGolden(t, "typecheck", testContext, func(ctx *Context, p string, src []byte) (Result, error) {
		return byName[path.Base(p)](ctx, p, src)
	}, nil)
}
