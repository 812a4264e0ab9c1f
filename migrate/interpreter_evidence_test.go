package migrate

import (
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
)

// The reproductions of semantic-defects.md section 2, and the evidence
// ranking the README documents.
func TestInterpreterEvidenceRanking(t *testing.T) {
	matrixAt := func(spec, file string, line int) detect.InterpreterRequest {
		r := req(detect.KindGitHubWorkflow, spec, file, line)
		r.Matrix = true
		return r
	}
	job := func(name, file string, line int, aud detect.Audience, pythons ...string) detect.CIJob {
		return detect.CIJob{System: detect.KindGitHubWorkflow, Name: name, Pythons: pythons, Audience: aud, Evidence: ev(file, line)}
	}
	tests := []struct {
		name      string
		project   detect.Project
		pkgPath   string
		version   string
		notCited  []string // evidence that must not appear in the reason
		conflicts int
	}{
		{
			name: "a publish job's old Python is a hint; the newest tested minor wins and locks",
			project: detect.Project{
				Interpreters: []detect.InterpreterRequest{
					req(detect.KindPyproject, ">=3.9", "pyproject.toml", 7),
					req(detect.KindGitHubWorkflow, "3.9", ".github/workflows/publish.yml", 12),
					matrixAt("3.9", ".github/workflows/test.yml", 14), matrixAt("3.10", ".github/workflows/test.yml", 14),
					matrixAt("3.11", ".github/workflows/test.yml", 14), matrixAt("3.12", ".github/workflows/test.yml", 14),
					matrixAt("3.13", ".github/workflows/test.yml", 14),
				},
				CI: []detect.CIJob{
					job("publish", ".github/workflows/publish.yml", 8, detect.AudienceRelease, "3.9"),
					job("test", ".github/workflows/test.yml", 9, "", "3.9", "3.10", "3.11", "3.12", "3.13"),
				},
			},
			pkgPath:  "python313",
			notCited: []string{"publish.yml"},
		},
		{
			// pipx: the test matrix runs tox; a zipapp job checks the
			// oldest Python. The tox job's Pythons are the tested ones.
			name: "a job that only runs tox tests its matrix Pythons; a pre-commit job does not",
			project: detect.Project{
				Interpreters: []detect.InterpreterRequest{
					req(detect.KindPyproject, ">=3.10", "pyproject.toml", 7),
					matrixAt("3.10", ".github/workflows/test.yml", 14), matrixAt("3.11", ".github/workflows/test.yml", 14),
					matrixAt("3.12", ".github/workflows/test.yml", 14),
					req(detect.KindGitHubWorkflow, "3.10", ".github/workflows/test.yml", 40),
					req(detect.KindGitHubWorkflow, "3.14", ".github/workflows/lint.yml", 12),
				},
				CI: []detect.CIJob{
					{System: detect.KindGitHubWorkflow, Name: "test", Pythons: []string{"3.10", "3.11", "3.12"}, Audience: detect.AudienceNone,
						TestRunner: "tox", Evidence: ev(".github/workflows/test.yml", 9)},
					job("zipapp", ".github/workflows/test.yml", 35, detect.AudienceContributor, "3.10"),
					job("lint", ".github/workflows/lint.yml", 8, detect.AudienceNone, "3.14"),
				},
			},
			pkgPath:  "python312",
			notCited: []string{"lint.yml"},
		},
		{
			name: "an unclassified job named for benchmarks is a hint too",
			project: detect.Project{
				Interpreters: []detect.InterpreterRequest{
					req(detect.KindGitHubWorkflow, "3.9", ".github/workflows/bench.yml", 12),
					req(detect.KindGitHubWorkflow, "3.11", ".github/workflows/cov.yml", 12),
				},
				CI: []detect.CIJob{
					job("benchmarks", ".github/workflows/bench.yml", 8, "", "3.9"),
					job("coverage", ".github/workflows/cov.yml", 8, "", "3.11"),
				},
			},
			pkgPath:  "python311",
			notCited: []string{"bench.yml"},
		},
		{
			name: "runtime.txt and a shipped template never set the version or a patch",
			project: detect.Project{
				Files: []detect.File{{Path: "pkg/templates/Dockerfile", Kind: detect.KindDockerfile}},
				Interpreters: []detect.InterpreterRequest{
					req(detect.KindPythonVersion, "3.12", ".python-version", 1),
					req(detect.KindRuntimeTxt, "3.12.1", "runtime.txt", 1),
					req(detect.KindDockerfile, "3.10", "pkg/templates/Dockerfile", 1),
				},
			},
			pkgPath:  "python312",
			notCited: []string{"runtime.txt", "templates"},
		},
		{
			name: "a project with only the template gets a current Python",
			project: detect.Project{
				Interpreters: []detect.InterpreterRequest{req(detect.KindDockerfile, "3.10", "pkg/templates/Dockerfile", 1)},
			},
			pkgPath:  "python313",
			notCited: []string{"templates"},
		},
		{
			name: "an example's and a plugin's pins are not the project's",
			project: detect.Project{
				Interpreters: []detect.InterpreterRequest{
					req(detect.KindPyproject, ">=3.10", "pyproject.toml", 5),
					req(detect.KindPythonVersion, "3.9", "examples/demo/.python-version", 1),
					req(detect.KindPyproject, "<3.11", "plugins/legacy/pyproject.toml", 5),
				},
			},
			pkgPath:  "python313",
			notCited: []string{"examples", "plugins"},
		},
		{
			name: "a workflow-level Python counts when a contributor job uses it",
			project: detect.Project{
				Interpreters: []detect.InterpreterRequest{req(detect.KindGitHubWorkflow, "3.11", ".github/workflows/ci.yml", 4)},
				CI: []detect.CIJob{
					job("release", ".github/workflows/ci.yml", 20, detect.AudienceRelease, "3.11"),
					job("test", ".github/workflows/ci.yml", 9, detect.AudienceContributor, "3.11"),
				},
			},
			pkgPath: "python311",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chooseInterpreter(&tt.project, "", wheelFit{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Package.PkgPath != tt.pkgPath || got.Package.Version != tt.version {
				t.Errorf("got %s version %q, want %s version %q\nreason: %s", got.Package.PkgPath, got.Package.Version, tt.pkgPath, tt.version, got.Package.Reason.Text)
			}
			if got.Package.PkgGroup != "" {
				t.Errorf("a current minor got pkg-group %q", got.Package.PkgGroup)
			}
			for _, s := range tt.notCited {
				if strings.Contains(got.Package.Reason.Text, s) {
					t.Errorf("reason cites %s: %s", s, got.Package.Reason.Text)
				}
				for _, e := range got.Package.Reason.Evidence {
					if strings.Contains(e.Path, s) {
						t.Errorf("evidence cites %s", e)
					}
				}
			}
			if len(got.Conflicts) != tt.conflicts {
				t.Errorf("conflicts = %+v", got.Conflicts)
			}
		})
	}
}

// No request pins a patch release: a pkg-group resolves against one
// catalog revision, and a patch no revision has keeps the manifest from
// locking (openai-python's .python-version 3.10.16). The minor is
// installed, and a notice names the patch .python-version asked for.
func TestPatchRequestsGiveTheMinor(t *testing.T) {
	kinds := []detect.FileKind{
		detect.KindPythonVersion, detect.KindRuntimeTxt, detect.KindDockerfile, detect.KindToolVersions,
		detect.KindMise, detect.KindCondaEnv, detect.KindGitHubWorkflow, detect.KindPipfile, detect.KindSetupCfg,
	}
	for _, k := range kinds {
		for _, spec := range []string{"3.12.4", "3.10.16"} {
			got, err := chooseInterpreter(&detect.Project{Interpreters: []detect.InterpreterRequest{req(k, spec, "f", 1)}}, "", wheelFit{})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Count(got.Package.Version, ".") == 2 {
				t.Errorf("%s %s: version %q pins a patch", k, spec, got.Package.Version)
			}
			noticed := containsSub(got.Notices, "f:1 asks for Python "+spec)
			if noticed != (k == detect.KindPythonVersion) {
				t.Errorf("%s %s: notices %q", k, spec, got.Notices)
			}
		}
	}
	got, _ := chooseInterpreter(&detect.Project{Interpreters: []detect.InterpreterRequest{req(detect.KindPythonVersion, "3.10.16", ".python-version", 1)}}, "", wheelFit{})
	if got.Package.PkgPath != "python3" || got.Package.Version != "3.10" {
		t.Errorf("3.10.16: %s version %q, want python3 version 3.10", got.Package.PkgPath, got.Package.Version)
	}
}

// An old minor resolves in its own pkg-group beside a current uv: the
// manifest validates, only the interpreter is in the group, and plan and
// migrate both show the warning.
func TestOldMinorGetsItsOwnPkgGroup(t *testing.T) {
	p := &detect.Project{
		Files:        files("pyproject.toml", "uv.lock", ".python-version"),
		Interpreters: []detect.InterpreterRequest{req(detect.KindPythonVersion, "3.9", ".python-version", 1), req(detect.KindPyproject, ">=3.9", "pyproject.toml", 4)},
		Managers:     []detect.ManagerUse{{Manager: detect.ManagerUV, Strength: 3, Evidence: ev("uv.lock", 1)}},
	}
	plan, err := BuildPlan(p, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	doc := checkManifest(t, plan.Manifest())
	if got := get(doc, "install", "python", "pkg-group"); got != interpreterGroup {
		t.Errorf("python pkg-group = %v, want %q", got, interpreterGroup)
	}
	if got := get(doc, "install", "python", "version"); got != "3.9" {
		t.Errorf("python version = %v", got)
	}
	for _, id := range []string{"uv"} {
		if got := get(doc, "install", id, "pkg-group"); got != nil {
			t.Errorf("%s pkg-group = %v, want the default group", id, got)
		}
	}
	if !strings.Contains(plan.Text(), "Warnings:\n  - Python 3.9 is older than the catalog's current interpreters") {
		t.Errorf("plan text lacks the warning:\n%s", plan.Text())
	}
}
