package migrate

import (
	"slices"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
)

func req(kind detect.FileKind, spec, file string, line int) detect.InterpreterRequest {
	return detect.InterpreterRequest{Source: kind, Spec: spec, Evidence: detect.Evidence{Path: file, Line: line}}
}

func TestChooseInterpreter(t *testing.T) {
	pyver := func(spec string) detect.InterpreterRequest {
		return req(detect.KindPythonVersion, spec, ".python-version", 1)
	}
	requiresPython := func(spec string) detect.InterpreterRequest {
		return req(detect.KindPyproject, spec, "pyproject.toml", 7)
	}
	matrix := func(spec string, line int) detect.InterpreterRequest {
		r := req(detect.KindGitHubWorkflow, spec, ".github/workflows/ci.yml", line)
		r.Matrix = true
		return r
	}
	tests := []struct {
		name      string
		flag      string
		reqs      []detect.InterpreterRequest
		pkgPath   string
		version   string
		minor     string
		command   string
		group     string
		conflicts []string // substrings, one per conflict
		notes     []string // substrings that must appear in some note
		warnings  []string // substrings that must appear in some warning
		reason    []string // substrings of the reason
	}{
		{
			name:    "no evidence: the preferred minor, not the newest",
			pkgPath: "python313", minor: "3.13", command: "python3",
			reason: []string{"no project file asks", "packages publish wheels"},
		},
		{
			name:    "python-version wins and the range is satisfied",
			reqs:    []detect.InterpreterRequest{requiresPython(">=3.10"), pyver("3.12")},
			pkgPath: "python312", minor: "3.12",
			reason: []string{"python312 because .python-version:1 says 3.12", "satisfies requires-python >=3.10 (pyproject.toml:7)"},
		},
		{
			name:    "a patch request installs the minor: the catalog may lack that patch",
			reqs:    []detect.InterpreterRequest{pyver("3.12.4")},
			pkgPath: "python312", minor: "3.12",
		},
		{
			name:    "range only: the newest preferred minor it allows",
			reqs:    []detect.InterpreterRequest{requiresPython(">=3.9,<3.13")},
			pkgPath: "python312", minor: "3.12",
			reason: []string{"allowed by every requirement"},
		},
		{
			name:    "range that excludes the preferred minors",
			reqs:    []detect.InterpreterRequest{requiresPython(">=3.14")},
			pkgPath: "python314", minor: "3.14",
		},
		{
			name:    "ranges intersect across sources",
			reqs:    []detect.InterpreterRequest{requiresPython(">=3.9"), req(detect.KindUVLock, ">=3.10, <3.12", "uv.lock", 3)},
			pkgPath: "python311", minor: "3.11",
		},
		{
			name:    "poetry caret",
			reqs:    []detect.InterpreterRequest{requiresPython("^3.10")},
			pkgPath: "python313", minor: "3.13",
		},
		{
			name:    "poetry tilde pins the minor",
			reqs:    []detect.InterpreterRequest{requiresPython("~3.11")},
			pkgPath: "python311", minor: "3.11",
			reason: []string{"Poetry python ~3.11"},
		},
		{
			name:    "poetry lock alternatives",
			reqs:    []detect.InterpreterRequest{req(detect.KindPoetryLock, ">=3.8,<3.12 || >=3.13", "poetry.lock", 200), req(detect.KindCondaEnv, "3.12", "environment.yml", 5)},
			pkgPath: "python313", minor: "3.13",
			conflicts: []string{"environment.yml:5 (conda environment) asks for Python 3.12, but poetry.lock:200 (poetry.lock python-versions) says >=3.8,<3.12 || >=3.13"},
		},
		{
			name: "lower-precedence pin loses to the lock with both sides shown",
			reqs: []detect.InterpreterRequest{
				req(detect.KindToolVersions, "3.9.18", ".tool-versions", 1),
				req(detect.KindUVLock, ">=3.11", "uv.lock", 3),
			},
			pkgPath: "python313", minor: "3.13",
			conflicts: []string{".tool-versions:1 asks for Python 3.9.18, but uv.lock:3 (uv.lock requires-python) says >=3.11; uv.lock:3 has higher precedence and wins"},
		},
		{
			name: "python-version beats a contradicting requires-python",
			reqs: []detect.InterpreterRequest{
				requiresPython(">=3.12"),
				pyver("3.11"),
			},
			pkgPath: "python311", minor: "3.11",
			conflicts: []string{"pyproject.toml:7 (requires-python) asks for Python >=3.12, but .python-version:1 says 3.11"},
		},
		{
			name:    "flag overrides everything",
			flag:    "3.13",
			reqs:    []detect.InterpreterRequest{pyver("3.12")},
			pkgPath: "python313", minor: "3.13",
			conflicts: []string{".python-version:1 asks for Python 3.12, but --python 3.13 overrides it"},
			reason:    []string{"--python says 3.13"},
		},
		{
			name:    "old 3.9: python3 at an older catalog revision, in its own pkg-group",
			reqs:    []detect.InterpreterRequest{pyver("3.9")},
			pkgPath: "python3", version: "3.9", minor: "3.9", group: "python",
			warnings: []string{"older than the catalog's current interpreters", "own pkg-group", "plan an upgrade"},
		},
		{
			name:    "old 3.9 patch request from .python-version",
			reqs:    []detect.InterpreterRequest{pyver("3.9.18")},
			pkgPath: "python3", version: "3.9", minor: "3.9", group: "python",
		},
		{
			name:    "a .tool-versions patch pins only the minor",
			reqs:    []detect.InterpreterRequest{req(detect.KindToolVersions, "3.10.14", ".tool-versions", 2)},
			pkgPath: "python3", version: "3.10", minor: "3.10", group: "python",
		},
		{
			name:    "range that only old minors satisfy",
			reqs:    []detect.InterpreterRequest{requiresPython(">=3.8,<3.11")},
			pkgPath: "python3", version: "3.10", minor: "3.10", group: "python",
		},
		{
			name:    "pypy",
			reqs:    []detect.InterpreterRequest{pyver("pypy3.10-7.3.12")},
			pkgPath: "pypy310", minor: "3.10", command: "pypy3",
		},
		{
			name:    "pypy without a catalog minor",
			reqs:    []detect.InterpreterRequest{pyver("pypy3.9")},
			pkgPath: "pypy3", minor: "3.9", command: "pypy3",
			notes: []string{"PyPy 3.9 is not available"},
		},
		{
			name:    "free-threaded 3.13t",
			reqs:    []detect.InterpreterRequest{pyver("3.13t")},
			pkgPath: "python313FreeThreading", minor: "3.13",
		},
		{
			name:    "free-threaded 3.14t",
			reqs:    []detect.InterpreterRequest{pyver("3.14t")},
			pkgPath: "python314FreeThreading", minor: "3.14",
		},
		{
			name:    "3.15 only when asked exactly",
			reqs:    []detect.InterpreterRequest{pyver("3.15")},
			pkgPath: "python315", minor: "3.15",
			notes: []string{"pre-release"},
		},
		{
			name:    "open range never picks the pre-release",
			reqs:    []detect.InterpreterRequest{requiresPython(">=3.14")},
			pkgPath: "python314", minor: "3.14",
		},
		{
			name: "matrix requests do not constrain and are noted",
			reqs: []detect.InterpreterRequest{
				matrix("3.10", 12), matrix("3.11", 12), requiresPython(">=3.10"),
				req(detect.KindDockerfile, "3.11", "Dockerfile", 1),
			},
			pkgPath: "python311", minor: "3.11",
			notes: []string{"the project tests several Pythons (3.10, 3.11 at .github/workflows/ci.yml:12)"},
		},
		{
			// tox's py{311,312,py}: the bare "py" is PyPy without a version.
			name: "matrix note names a versionless implementation",
			reqs: []detect.InterpreterRequest{
				matrix("3.11", 3), matrix("3.12", 3),
				func() detect.InterpreterRequest { r := matrix("", 3); r.Implementation = "pypy"; return r }(),
			},
			pkgPath: "python312", minor: "3.12",
			notes:  []string{"the project tests several Pythons (3.11, 3.12, pypy at .github/workflows/ci.yml:3)"},
			reason: []string{"newest Python the project's setup and CI test jobs use (.github/workflows/ci.yml:3)"},
		},
		{
			// Known to work beats newer but untested.
			name: "an older CI matrix caps the choice at its newest minor",
			reqs: []detect.InterpreterRequest{
				matrix("3.8", 14), matrix("3.9", 14), matrix("3.11", 14), matrix("3.10", 14),
				req(detect.KindSetupCfg, ">=3.8", "setup.cfg", 7),
			},
			pkgPath: "python311", minor: "3.11",
			reason: []string{"python311 because it is the newest Python the project's setup and CI test jobs use (.github/workflows/ci.yml:14)", "satisfies python_requires >=3.8 (setup.cfg:7)"},
		},
		{
			name:    "the newest tested minor, even newer than the preferred one",
			reqs:    []detect.InterpreterRequest{matrix("3.12", 9), matrix("3.13", 9), matrix("3.14", 9)},
			pkgPath: "python314", minor: "3.14",
			reason: []string{"newest Python the project's setup and CI test jobs use (.github/workflows/ci.yml:9)"},
		},
		{
			name:    "matrix minors the requirements exclude are ignored",
			reqs:    []detect.InterpreterRequest{matrix("3.10", 9), matrix("3.11", 9), matrix("3.12", 9), requiresPython(">=3.10,<3.12")},
			pkgPath: "python311", minor: "3.11",
			reason: []string{"newest Python the project's setup and CI test jobs use (.github/workflows/ci.yml:9)"},
		},
		{
			name:    "a matrix of end-of-life minors picks the newest it tests, in its own pkg-group",
			reqs:    []detect.InterpreterRequest{matrix("3.7", 9), matrix("3.8", 9), matrix("3.9", 9), requiresPython(">=3.7")},
			pkgPath: "python3", version: "3.9", minor: "3.9", group: "python",
			warnings: []string{"older than the catalog's current interpreters"},
		},
		{
			name:    "an exact request beats the matrix",
			reqs:    []detect.InterpreterRequest{matrix("3.10", 9), matrix("3.11", 9), pyver("3.12")},
			pkgPath: "python312", minor: "3.12",
			reason: []string{".python-version:1 says 3.12"},
		},
		{
			name:    "unreadable and unsupported requests are ignored with a note",
			reqs:    []detect.InterpreterRequest{pyver("system"), req(detect.KindToolVersions, "2.7.18", ".tool-versions", 1), requiresPython(">=>3")},
			pkgPath: "python313", minor: "3.13",
			reason: []string{"no Python the project asks for is one Flox has (.python-version:1, .tool-versions:1, pyproject.toml:7; see the notes)"},
			notes:  []string{`.python-version:1: Python request "system"`, ".tool-versions:1: Python 2.7.18 is not available", "cannot read Python constraint"},
		},
		{
			name:    "3.x from CI is any Python 3",
			reqs:    []detect.InterpreterRequest{req(detect.KindGitHubWorkflow, "3.x", ".github/workflows/ci.yml", 9), requiresPython(">=3.11,<3.13")},
			pkgPath: "python312", minor: "3.12",
		},
		{
			name:    "runtime.txt is a hint: .python-version's minor stands, without a conflict",
			reqs:    []detect.InterpreterRequest{req(detect.KindRuntimeTxt, "python-3.12.1", "runtime.txt", 1), pyver("3.12.4")},
			pkgPath: "python312", minor: "3.12",
			notes: []string{"not used to choose the interpreter: runtime.txt:1 (python-3.12.1, the deployment runtime)"},
		},
		{
			name:    "a Dockerfile alone decides nothing",
			reqs:    []detect.InterpreterRequest{req(detect.KindDockerfile, "3.11.9-slim-bookworm", "Dockerfile", 1)},
			pkgPath: "python313", minor: "3.13",
			reason: []string{"no project file asks for a Python version"},
			notes:  []string{"Dockerfile:1 (3.11.9-slim-bookworm, a container image)"},
		},
		{
			name:    "legacy wildcard after an ordered operator",
			reqs:    []detect.InterpreterRequest{req(detect.KindSetupPy, ">=3.6.*,<3.12", "setup.py", 8)},
			pkgPath: "python311", minor: "3.11",
		},
		{
			name:    "a Dockerfile never pins a patch release nor overrides requires-python",
			reqs:    []detect.InterpreterRequest{req(detect.KindDockerfile, "3.12.0", "server/Dockerfile", 1), requiresPython(">=3.10")},
			pkgPath: "python313", minor: "3.13",
		},
		{
			name:    "pre-release pin counts for the minor only",
			reqs:    []detect.InterpreterRequest{pyver("3.13.0rc2")},
			pkgPath: "python313", minor: "3.13",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chooseInterpreter(&detect.Project{Interpreters: tt.reqs}, tt.flag, wheelFit{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Package.PkgGroup != tt.group {
				t.Errorf("pkg-group = %q, want %q", got.Package.PkgGroup, tt.group)
			}
			for _, w := range tt.warnings {
				if !containsSub(got.Warnings, w) {
					t.Errorf("warnings %q lack %q", got.Warnings, w)
				}
			}
			if got.Package.PkgPath != tt.pkgPath || got.Package.Version != tt.version || got.Interpreter.Minor != tt.minor {
				t.Errorf("got %s version %q minor %s, want %s version %q minor %s\nreason: %s",
					got.Package.PkgPath, got.Package.Version, got.Interpreter.Minor, tt.pkgPath, tt.version, tt.minor, got.Package.Reason.Text)
			}
			wantCmd := tt.command
			if wantCmd == "" {
				wantCmd = "python3"
			}
			if got.Interpreter.Command != wantCmd {
				t.Errorf("command = %q, want %q", got.Interpreter.Command, wantCmd)
			}
			if strings.Contains(got.Package.PkgPath, "Full") {
				t.Errorf("emitted a *Full interpreter: %s", got.Package.PkgPath)
			}
			if len(got.Conflicts) != len(tt.conflicts) {
				t.Errorf("conflicts = %+v, want %d", got.Conflicts, len(tt.conflicts))
			}
			for i, c := range tt.conflicts {
				if i < len(got.Conflicts) && !strings.Contains(got.Conflicts[i].Message, c) {
					t.Errorf("conflict %d = %q, want it to contain %q", i, got.Conflicts[i].Message, c)
				}
			}
			for _, n := range tt.notes {
				if all := append(slices.Clone(got.Notices), got.Notes...); !containsSub(all, n) {
					t.Errorf("notes %q lack %q", all, n)
				}
			}
			for _, r := range tt.reason {
				if !strings.Contains(got.Package.Reason.Text, r) {
					t.Errorf("reason %q lacks %q", got.Package.Reason.Text, r)
				}
			}
		})
	}
}

func TestConflictEvidenceNamesBothSides(t *testing.T) {
	got, _ := chooseInterpreter(&detect.Project{Interpreters: []detect.InterpreterRequest{
		req(detect.KindMise, "3.9", "mise.toml", 2),
		req(detect.KindUVLock, ">=3.11", "uv.lock", 3),
	}}, "", wheelFit{})
	if len(got.Conflicts) != 1 {
		t.Fatalf("conflicts = %+v", got.Conflicts)
	}
	c := got.Conflicts[0]
	if c.A != (detect.Evidence{Path: "uv.lock", Line: 3}) || c.B != (detect.Evidence{Path: "mise.toml", Line: 2}) {
		t.Errorf("conflict evidence = %v / %v, want the winner uv.lock:3 then mise.toml:2", c.A, c.B)
	}
}

func containsSub(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// FuzzParseRequest feeds arbitrary interpreter requests to the planner: it
// must never panic and always pick a minor it can emit.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{"3.12", "3.12.4", ">=3.10,<3.13", "^3.10", "~3.9", "pypy3.10-7.3.12", "3.13t", "python-3.11.4",
		"3.x", "system", ">=3.8 || ^2.7", "3.12.*", "~=3.11", "", "3..", "pypy", "cpython-3.12.1", "99999999999999999999.1"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		got, err := chooseInterpreter(&detect.Project{Interpreters: []detect.InterpreterRequest{
			req(detect.KindPythonVersion, a, ".python-version", 1),
			req(detect.KindPyproject, b, "pyproject.toml", 3),
		}}, "", wheelFit{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Package.PkgPath == "" || got.Interpreter.Minor == "" {
			t.Fatalf("no interpreter for %q, %q: %+v", a, b, got)
		}
		switch p := got.Package.PkgPath; {
		case p == "python3" || p == "pypy3" || p == "pypy310" || p == "pypy311" || p == "python313FreeThreading":
		case strings.HasPrefix(p, "python31") && len(p) == len("python312"):
		default:
			t.Fatalf("unexpected pkg-path %q for %q, %q", p, a, b)
		}
	})
}

// When every tested minor builds something from source (a release with no
// Linux wheel at all, old pins), the tested catalog minor that builds the
// fewest is chosen, not the newest, whose wheels are the likeliest to lack.
func TestCITestedMinorWithFewestSourceBuilds(t *testing.T) {
	matrix := func(spec string) detect.InterpreterRequest {
		r := req(detect.KindGitHubWorkflow, spec, ".github/workflows/ci.yml", 3)
		r.Matrix = true
		return r
	}
	reqs := []detect.InterpreterRequest{matrix("3.11"), matrix("3.12"), matrix("3.13"), matrix("3.14")}
	lack := func(pin string) wheelLack { return wheelLack{pin: pin, ev: detect.Evidence{Path: "uv.lock", Line: 9}} }
	fit := wheelFit{fromLock: true,
		lacking: map[int]wheelLack{11: lack("psycopg2==2.9.10"), 12: lack("psycopg2==2.9.10"), 13: lack("psycopg2==2.9.10"), 14: lack("cffi==1.17.1")},
		builds:  map[int]int{11: 2, 12: 1, 13: 1, 14: 3},
	}
	got, err := chooseInterpreter(&detect.Project{Interpreters: reqs}, "", fit)
	if err != nil {
		t.Fatal(err)
	}
	if got.Interpreter.Minor != "3.13" {
		t.Errorf("minor %s, want 3.13 (one source build; 3.14 has three)", got.Interpreter.Minor)
	}
	if r := got.Package.Reason.Text; !strings.Contains(r, "not 3.14: cffi==1.17.1") {
		t.Errorf("reason %q does not say why 3.14 lost", r)
	}
}
