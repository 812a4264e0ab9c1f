package migrate

import (
	"slices"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

// Old exactly pinned releases of compiled packages cap the interpreter at
// the newest Python they publish wheels for.
func TestWheelCeilingPicksTheInterpreter(t *testing.T) {
	req := func(name, spec string, line int) detect.Requirement {
		return detect.Requirement{Name: name, Specifier: spec, Evidence: detect.Evidence{Path: "requirements.txt", Line: line}}
	}
	tests := []struct {
		name      string
		p         detect.Project
		want      string
		reasonHas string // "" = the wheels do not decide
	}{
		{"old numpy and pandas", detect.Project{Requirements: []detect.Requirement{req("numpy", "==1.21.6", 1), req("pandas", "==1.3.5", 2), req("requests", "==2.25.1", 3)}},
			"3.9", "numpy==1.21.6 (requirements.txt:1) publishes wheels up to Python 3.9"},
		{"the lowest limit wins", detect.Project{Requirements: []detect.Requirement{req("pandas", "==1.5.3", 1), req("scipy", "==1.5.4", 2)}},
			"3.8", "scipy==1.5.4 (requirements.txt:2)"},
		{"a lock file without wheel lists pins too", detect.Project{
			Requirements: []detect.Requirement{{Name: "pandas", Evidence: detect.Evidence{Path: "pyproject.toml", Line: 9}}},
			Locked:       []detect.LockedPackage{{Name: "pandas", Version: "2.0.3", Evidence: detect.Evidence{Path: "Pipfile.lock", Line: 40}}}},
			"3.11", "pandas==2.0.3 (Pipfile.lock:40)"},
		{"requires-python above the limit: the closest allowed", detect.Project{
			Requirements: []detect.Requirement{req("numpy", "==1.19.5", 1)},
			Interpreters: []detect.InterpreterRequest{{Source: detect.KindPyproject, Spec: ">=3.10", Evidence: detect.Evidence{Path: "pyproject.toml", Line: 4}}}},
			"3.10", "numpy==1.19.5 (requirements.txt:1) publishes wheels up to Python 3.8"},
		{"an exact request wins", detect.Project{
			Requirements: []detect.Requirement{req("numpy", "==1.19.5", 1)},
			Interpreters: []detect.InterpreterRequest{{Source: detect.KindPythonVersion, Spec: "3.11", Evidence: detect.Evidence{Path: ".python-version", Line: 1}}}},
			"3.11", ""},
		{"scikit-learn and matplotlib pins", detect.Project{Requirements: []detect.Requirement{req("scikit-learn", "==1.0.2", 1), req("matplotlib", "==3.5.3", 2)}},
			"3.9", "scikit-learn==1.0.2 (requirements.txt:1)"},
		{"recent releases set no limit", detect.Project{Requirements: []detect.Requirement{req("numpy", "==1.26.4", 1)}}, "3.12", ""},
		{"ranges are not pins", detect.Project{Requirements: []detect.Requirement{req("numpy", ">=1.19,<1.22", 1)}}, "3.13", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chooseInterpreter(&tt.p, "", wheelFitOf(&tt.p, mustKnowledge(t), syncAll(&tt.p)))
			if err != nil {
				t.Fatal(err)
			}
			if got.Interpreter.Minor != tt.want {
				t.Errorf("Python %s, want %s (%s)", got.Interpreter.Minor, tt.want, got.Interpreter.Reason.Text)
			}
			decided := strings.Contains(got.Interpreter.Reason.Text, "publishes wheels up to")
			if tt.reasonHas == "" && decided || tt.reasonHas != "" && !strings.Contains(got.Interpreter.Reason.Text, tt.reasonHas) {
				t.Errorf("reason %q, want it to mention %q", got.Interpreter.Reason.Text, tt.reasonHas)
			}
		})
	}
}

// A lock file lists every locked release's wheels, so the interpreter is
// one they all serve (Flexget: brotli 1.1.0 has no cp314 wheel while CI
// tests 3.13 and 3.14). Markers decide what a minor installs: pyzstd is
// only installed below 3.14, so its lack of cp314 wheels does not count.
func TestLockWheelsPickTheInterpreter(t *testing.T) {
	wheel := func(name, tag string) string { return name + "-1.0-" + tag + "-" + tag + "-manylinux_2_17_x86_64.whl" }
	locked := []detect.LockedPackage{
		{Name: "brotli", Version: "1.1.0", Evidence: ev("uv.lock", 222), Wheels: []string{wheel("brotli", "cp312"), wheel("brotli", "cp313")}},
		{Name: "pyzstd", Version: "0.17.0", Evidence: ev("uv.lock", 300), Wheels: []string{wheel("pyzstd", "cp313")}},
		{Name: "requests", Version: "2.32.0", Evidence: ev("uv.lock", 400), Wheels: []string{"requests-2.32.0-py3-none-any.whl"}},
	}
	root := detect.LockedPackage{Name: "app", Source: ".", Evidence: ev("uv.lock", 10), Requires: []detect.LockedDep{
		{Name: "brotli"}, {Name: "pyzstd", Marker: "python_full_version < '3.14'"}, {Name: "requests"},
	}}
	requires := detect.InterpreterRequest{Source: detect.KindPyproject, Spec: ">=3.10", Evidence: ev("pyproject.toml", 4)}
	ci := func(v string, line int) detect.InterpreterRequest {
		return detect.InterpreterRequest{Source: detect.KindGitHubWorkflow, Spec: v, Matrix: true, Evidence: ev(".github/workflows/ci.yml", line)}
	}
	tests := []struct {
		name      string
		reqs      []detect.InterpreterRequest
		brotli    []string
		want      string
		reasonHas string
	}{
		{"CI tests 3.14 too, but brotli has no cp314 wheel", []detect.InterpreterRequest{requires, ci("3.13", 20), ci("3.14", 21)}, nil,
			"3.13", "not 3.14: brotli==1.1.0 (uv.lock:222) has no wheel for Python 3.14"},
		{"no CI: the newest minor the lock's wheels serve", []detect.InterpreterRequest{requires}, nil,
			"3.13", "brotli==1.1.0 (uv.lock:222) has no wheel for Python 3.14"},
		{"every wheel there: the newest catalog minor", []detect.InterpreterRequest{requires}, []string{wheel("brotli", "cp313"), "brotli-1.1.0-cp312-abi3-manylinux_2_17_x86_64.whl"},
			"3.14", "the lock file lists wheels for it"},
		{"an exact request wins", []detect.InterpreterRequest{requires, {Source: detect.KindPythonVersion, Spec: "3.14", Evidence: ev(".python-version", 1)}}, nil,
			"3.14", ".python-version:1 says 3.14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &detect.Project{Interpreters: tt.reqs, LockedProjects: []detect.LockedPackage{root}, Locked: slices.Clone(locked)}
			if tt.brotli != nil {
				p.Locked[0].Wheels = tt.brotli
			}
			got, err := chooseInterpreter(p, "", wheelFitOf(p, mustKnowledge(t), installset.Set{Project: installset.Editable}))
			if err != nil {
				t.Fatal(err)
			}
			if got.Interpreter.Minor != tt.want || !strings.Contains(got.Interpreter.Reason.Text, tt.reasonHas) {
				t.Errorf("Python %s (%s), want %s with %q", got.Interpreter.Minor, got.Interpreter.Reason.Text, tt.want, tt.reasonHas)
			}
		})
	}
}
