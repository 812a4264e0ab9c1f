package migrate

import (
	"reflect"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
)

// planWith is a plan whose interpreter is minor, asked for by the
// project's files (asked), by its recipe (recipe != ""), or neither.
func planWith(minor string, asked bool, recipe string) *Plan {
	p := &Plan{Interpreter: Interpreter{Minor: minor, Asked: asked,
		Reason: Reason{Evidence: []detect.Evidence{{Path: ".python-version", Line: 1}}}}}
	if recipe != "" {
		p.Setup = &SetupCheck{Evidence: &detect.Evidence{Path: "Makefile", Line: 9}, RecipeSet: []string{"python " + recipe, "project none"}}
	}
	return p
}

func TestSharedPython(t *testing.T) {
	tests := []struct {
		name   string
		dirs   []string
		plans  []*Plan
		minor  string
		why    string
		replan []int
	}{
		{
			name:   "asked minors decide; a tie goes to the newest",
			dirs:   []string{"libs/common", "services/api", "services/worker"},
			plans:  []*Plan{planWith("3.13", false, ""), planWith("3.12", true, ""), planWith("3.11", false, "3.11")},
			minor:  "3.12",
			why:    "services/api/.python-version:1 asks for 3.12",
			replan: []int{0},
		},
		{
			name:   "the top environment wins a tie",
			dirs:   []string{".", "libs/x", "libs/y"},
			plans:  []*Plan{planWith("3.11", true, ""), planWith("3.12", false, "3.12"), planWith("3.13", false, "")},
			minor:  "3.11",
			why:    ".python-version:1 asks for 3.11",
			replan: []int{2},
		},
		{
			name:   "without asks, what most environments get",
			dirs:   []string{"a", "b", "c"},
			plans:  []*Plan{planWith("3.13", false, ""), planWith("3.12", false, ""), planWith("3.13", false, "")},
			minor:  "3.13",
			why:    "what 2 of its 3 environments get",
			replan: []int{1},
		},
		{
			name:  "one environment shares nothing",
			dirs:  []string{".", "b"},
			plans: []*Plan{planWith("3.12", true, ""), nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo, replan := SharedPython(tt.dirs, tt.plans)
			if repo.Minor != tt.minor || repo.Why != tt.why || !reflect.DeepEqual(replan, tt.replan) {
				t.Errorf("got %q (%s), replan %v; want %q (%s), replan %v", repo.Minor, repo.Why, replan, tt.minor, tt.why, tt.replan)
			}
		})
	}
}

func TestChooseInterpreterRepository(t *testing.T) {
	repo := RepositoryPython{Minor: "3.12", Why: "services/api/.python-version:1 asks for 3.12"}
	ci := req(detect.KindGitHubWorkflow, "3.13", ".github/workflows/ci.yml", 12)
	tests := []struct {
		name   string
		reqs   []detect.InterpreterRequest
		minor  string
		reason string
		notice string
	}{
		{
			name:   "the repository's minor beats the CI job's",
			reqs:   []detect.InterpreterRequest{req(detect.KindPyproject, ">=3.10", "pyproject.toml", 7), ci},
			minor:  "3.12",
			reason: "python312, the Python the repository's environments share: services/api/.python-version:1 asks for 3.12; satisfies requires-python >=3.10 (pyproject.toml:7)",
		},
		{
			name:  "an exact request keeps its own",
			reqs:  []detect.InterpreterRequest{req(detect.KindPythonVersion, "3.11", ".python-version", 1)},
			minor: "3.11",
		},
		{
			name:   "a range that excludes it says so",
			reqs:   []detect.InterpreterRequest{req(detect.KindSetupPy, ">=3.8,<3.11", "setup.py", 9)},
			minor:  "3.10",
			notice: "Python 3.10, not the repository's 3.12 (services/api/.python-version:1 asks for 3.12): setup.py:9 (python_requires) says >=3.8,<3.11",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chooseInterpreterIn(&detect.Project{Interpreters: tt.reqs}, "", wheelFit{}, repo)
			if err != nil {
				t.Fatal(err)
			}
			if got.Interpreter.Minor != tt.minor {
				t.Errorf("minor %s, want %s (%s)", got.Interpreter.Minor, tt.minor, got.Package.Reason.Text)
			}
			if tt.reason != "" && got.Package.Reason.Text != tt.reason {
				t.Errorf("reason %q\nwant   %q", got.Package.Reason.Text, tt.reason)
			}
			if n := strings.Join(got.Notices, "\n"); n != tt.notice {
				t.Errorf("notices %q, want %q", n, tt.notice)
			}
		})
	}
}
