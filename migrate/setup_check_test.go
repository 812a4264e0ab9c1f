package migrate

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/venv2flox/venv2flox/detect"
)

// TestSetupCheckProblems: the check fails, and says why, when the hook
// installs nothing although the project declares dependencies, and when
// the recipe is one venv2flox does not replay (tox --devenv).
func TestSetupCheckProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // in the check's problem; "" for a check that passes
	}{{
		// A setup that installs only outside the venv (--user) is no
		// recipe: the metadata decides, and the hook syncs requirements.txt.
		name: "the recipe installs only outside the venv: the metadata decides",
		files: map[string]string{
			"requirements.txt": "flask==3.0.0\n",
			"CONTRIBUTING.md":  "# Contributing\n\n## Setup\n\n```bash\npip install --user -r requirements.txt\n```\n",
		},
	}, {
		name: "the same recipe into the venv passes",
		files: map[string]string{
			"requirements.txt": "flask==3.0.0\n",
			"CONTRIBUTING.md":  "# Contributing\n\n## Setup\n\n```bash\npython -m venv .venv\n.venv/bin/pip install -r requirements.txt\n```\n",
		},
	}, {
		name: "tox --devenv without a tox configuration is reported, not compared",
		files: map[string]string{
			"pyproject.toml":       "[project]\nname = \"acme\"\ndependencies = [\"httpx\"]\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
			"requirements_dev.txt": "pytest\n",
			"CONTRIBUTING.md":      "# Contributing\n\n## Setup\n\n```shell\ntox -e py312 --devenv .venv\n```\n",
		},
		want: "not compared: the recipe runs `tox -e py312 --devenv .venv` (CONTRIBUTING.md:6)",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tc.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			p := detect.Scan(fsys, ".", detect.Options{})
			plan, err := BuildPlan(p, PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sc := plan.Setup
			if sc == nil {
				t.Fatal("no setup check")
			}
			switch {
			case tc.want == "" && !sc.Passes():
				t.Errorf("check fails: %s", sc.Summary())
			case tc.want != "" && (sc.Passes() || !strings.Contains(sc.Problem, tc.want)):
				t.Errorf("problem %q, want %q", sc.Problem, tc.want)
			case tc.want != "" && !strings.Contains(sc.Summary(), tc.want):
				t.Errorf("summary %q lacks the problem", sc.Summary())
			}
		})
	}
}
