package migrate

import (
	"slices"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

func TestRecipeSyncGroups(t *testing.T) {
	groupsOnly := detect.Project{Files: files("pyproject.toml"), Requirements: []detect.Requirement{
		{Name: "django", Table: "dependency-groups", Group: "main", Evidence: ev("pyproject.toml", 2)},
		{Name: "pytest", Table: "dependency-groups", Group: "dev", Evidence: ev("pyproject.toml", 5)},
	}}
	tests := []struct {
		name     string
		project  detect.Project
		set      installset.Set
		manager  string
		commands []string
	}{
		{
			// pip 25.1 `pip install --group main --group dev` in a
			// pyproject.toml of dependency groups and no [project].
			name:     "groups of a pyproject.toml that declares no package",
			project:  groupsOnly,
			set:      installset.Set{Project: installset.NotInstalled, Groups: []string{"dev", "main"}, Packages: []installset.Item{{Name: "pytest-cov"}}},
			manager:  "uv",
			commands: []string{`uv pip install --python "$VIRTUAL_ENV/bin/python" --group dev --group main pytest-cov`},
		},
		{
			name:     "same with pip",
			project:  groupsOnly,
			set:      installset.Set{Project: installset.NotInstalled, Groups: []string{"dev"}},
			manager:  "pip",
			commands: []string{`"$VIRTUAL_ENV/bin/python" -m pip install --group dev`},
		},
		{
			// Poetry's package-mode = false installs the dependencies
			// only: the project goes in with pip, as the recipe did.
			name: "poetry package-mode = false with the project installed editable",
			project: detect.Project{Files: files("pyproject.toml", "poetry.lock"), Groups: detect.GroupSettings{PoetryNoPackage: true},
				Requirements: []detect.Requirement{{Name: "httpx", Evidence: ev("pyproject.toml", 3)}}},
			set:      installset.Set{Project: installset.Editable},
			manager:  "poetry",
			commands: []string{"poetry sync --no-interaction", `"$VIRTUAL_ENV/bin/python" -m pip install -e .`},
		},
		{
			name:     "poetry package mode: poetry installs the project",
			project:  detect.Project{Files: files("pyproject.toml", "poetry.lock")},
			set:      installset.Set{Project: installset.Editable},
			manager:  "poetry",
			commands: []string{"poetry sync --no-interaction"},
		},
		{
			name:     "no pyproject.toml: nothing to read groups from",
			project:  detect.Project{Files: files("requirements.txt")},
			set:      installset.Set{Project: installset.NotInstalled, Groups: []string{"dev"}, Packages: []installset.Item{{Name: "tox"}}},
			manager:  "pip",
			commands: []string{`"$VIRTUAL_ENV/bin/python" -m pip install tox`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp := recipeSync(&tt.project, installset.Recipe{Set: tt.set}, tt.manager, PlanOptions{})
			if !slices.Equal(sp.Commands, tt.commands) {
				t.Errorf("commands = %q\nwant       %q", sp.Commands, tt.commands)
			}
		})
	}
}
