package detect

import "path"

// Settings files of linters and test runners (.flake8, pytest.ini,
// .isort.cfg) whose exclude lists may name the venv. The same options in
// setup.cfg, tox.ini and pyproject.toml are read with those files.
// Nothing in them counts for the plan: rewrite/tool_excludes.go adds
// .flox where they list the venv.

func isToolSettings(rel string) bool {
	switch path.Base(rel) {
	case ".flake8", "pytest.ini", ".isort.cfg":
		return true
	}
	return false
}

// extractToolSettings reads nothing: the files only matter to the rewrite.
func extractToolSettings(*scanner, *textFile) {}
