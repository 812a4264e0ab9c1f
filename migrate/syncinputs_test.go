package migrate

import (
	"slices"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
)

// TestSyncInputs: the hook watches the files the sync reads, not the tool
// configuration in pyproject.toml, pip-tools sources or requirements files
// nothing installs.
func TestSyncInputs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		project detect.Project
		opts    PlanOptions
		want    []string
	}{
		{"requirements; pyproject.toml only configures tools; requirements.in is pip-compile's source; no -c reads constraints.txt",
			detect.Project{Files: files("pyproject.toml", "requirements.in", "requirements.txt", "requirements-dev.txt#dev", "constraints.txt"),
				Requirements: []detect.Requirement{requirement("flask", "requirements.txt", 1)}},
			PlanOptions{}, []string{"requirements-dev.txt", "requirements.txt"}},
		{"a file the synced one includes (-c) is read; docs requirements are not",
			detect.Project{Files: files("requirements.txt", "constraints.txt", "docs/requirements.txt"),
				Requirements: []detect.Requirement{requirement("flask", "requirements.txt", 1)},
				Includes:     []detect.Include{{From: "requirements.txt", To: "constraints.txt", Constraint: true}}},
			PlanOptions{}, []string{"constraints.txt", "requirements.txt"}},
		{"requirements that install the project (-e .) read its metadata",
			detect.Project{Files: files("setup.py", "requirements.txt"),
				Requirements: []detect.Requirement{requirement("flask", "requirements.txt", 1), {Path: ".", Editable: true, Evidence: ev("requirements.txt", 2)}}},
			PlanOptions{}, []string{"requirements.txt", "setup.py"}},
		{"a package installed from its own metadata",
			detect.Project{Files: files("pyproject.toml"), Requirements: []detect.Requirement{requirement("flask", "pyproject.toml", 5)}},
			PlanOptions{}, []string{"pyproject.toml"}},
		{"uv sync reads uv.lock and pyproject.toml, not requirements files", detect.Project{Files: files("pyproject.toml", "uv.lock", "requirements.in", "requirements.txt")},
			PlanOptions{}, []string{"pyproject.toml", "uv.lock"}},
		{"pip reads the same files", detect.Project{Files: files("pyproject.toml", "requirements.txt"),
			Requirements: []detect.Requirement{requirement("flask", "requirements.txt", 1)}},
			PlanOptions{Manager: "pip"}, []string{"requirements.txt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := BuildPlan(&tc.project, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(plan.Hashed, tc.want) {
				t.Errorf("hashed %q, want %q (sync %q)", plan.Hashed, tc.want, plan.Sync)
			}
		})
	}
}
