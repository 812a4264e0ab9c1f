package migrate

import (
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
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
		{"a lock file pins too", detect.Project{Locked: []detect.LockedPackage{{Name: "pandas", Version: "2.0.3", Evidence: detect.Evidence{Path: "poetry.lock", Line: 40}}}},
			"3.11", "pandas==2.0.3 (poetry.lock:40)"},
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
			got, err := chooseInterpreter(&tt.p, "")
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
