package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/migrate"
	"github.com/venv2flox/venv2flox/rewrite"
)

func followUp(path string, line int, subject, topic, suggestion string) rewrite.FollowUp {
	msg := topic
	if subject != "" {
		msg = subject + ": " + topic
	}
	f := rewrite.FollowUp{Evidence: detect.Evidence{Path: path, Line: line}, Message: msg, Suggestion: suggestion}
	if subject != "" {
		f.Subject, f.Topic = subject, topic
	}
	return f
}

// Follow-ups that say the same of several jobs, lines or files are said
// once, with where; the others stay as they are.
func TestNotes(t *testing.T) {
	const matrix = "left as it is: tests several Python versions; one Flox environment has one interpreter"
	const venvTest = "tests for a venv path Flox does not create, so this if now always takes the same branch"
	const container = "dev container's own venv (the container has no Flox), left as it is"
	tests := []struct {
		name string
		in   []rewrite.FollowUp
		want []string
	}{
		{
			name: "matrix jobs of several workflows",
			in: []rewrite.FollowUp{
				followUp(".github/workflows/ci.yml", 21, "job lint", matrix, "keep it"),
				followUp(".github/workflows/ci.yml", 506, "job core-test-debug", matrix, "keep it"),
				followUp(".github/workflows/ci.yml", 574, "job test-pyemscripten", "venv setup it cannot replace: runs pip in the venv", ""),
				followUp(".github/workflows/integration.yml", 13, "job test-settings", matrix, "keep it"),
				followUp(".github/workflows/third-party.yml", 38, "job test-fastapi", matrix, "keep it"),
				followUp(".github/workflows/third-party.yml", 80, "job test-sqlmodel", matrix, "keep it"),
				followUp(".github/workflows/third-party.yml", 173, "job test-openapi", matrix, "keep it"),
				followUp(".github/workflows/third-party.yml", 219, "job test-pandera", matrix, "keep it"),
				followUp(".github/workflows/third-party.yml", 270, "job test-odmantic", matrix, "keep it"),
			},
			want: []string{
				".github/workflows/ci.yml:21: " + matrix + " (8 jobs: .github/workflows/ci.yml: lint and core-test-debug; " +
					".github/workflows/integration.yml: test-settings; .github/workflows/third-party.yml: test-fastapi, test-sqlmodel, test-openapi and 2 more) => keep it",
				".github/workflows/ci.yml:574: job test-pyemscripten: venv setup it cannot replace: runs pip in the venv",
			},
		},
		{
			name: "the same message in several scripts",
			in: []rewrite.FollowUp{
				followUp("scripts/build", 3, "", venvTest, "remove it"),
				followUp("scripts/check", 4, "", venvTest, "remove it"),
				followUp("scripts/publish", 5, "", venvTest, "remove it"),
				followUp("scripts/publish", 11, "", "branches on $GITHUB_ACTIONS (CI) around its venv setup", ""),
			},
			want: []string{
				"scripts/build:3: " + venvTest + " (3 places: scripts/build:3; scripts/check:4; scripts/publish:5) => remove it",
				"scripts/publish:11: branches on $GITHUB_ACTIONS (CI) around its venv setup",
			},
		},
		{
			name: "one topic, several commands of two files",
			in: []rewrite.FollowUp{
				followUp(".devcontainer/devcontainer.json", 13, "python.defaultInterpreterPath: .venv/bin/python", container, ""),
				followUp(".devcontainer/devcontainer.json", 20, "python.pythonPath: .venv/bin/python", container, ""),
				followUp(".devcontainer/post-create.sh", 5, "python3 -m venv .venv", container, ""),
			},
			want: []string{
				".devcontainer/devcontainer.json:13: " + container + " (3 places: .devcontainer/devcontainer.json lines 13 and 20; .devcontainer/post-create.sh:5)",
			},
		},
		{
			name: "one job's note at two of its steps",
			in: []rewrite.FollowUp{
				followUp(".github/workflows/reusable-qa.yml", 58, "job qa", "tox/nox manage their own venvs", ""),
				followUp(".github/workflows/reusable-qa.yml", 62, "job qa", "tox/nox manage their own venvs", ""),
			},
			want: []string{".github/workflows/reusable-qa.yml:58: job qa: tox/nox manage their own venvs (2 places: .github/workflows/reusable-qa.yml lines 58 and 62)"},
		},
		{
			name: "the same note twice at one place is one",
			in: []rewrite.FollowUp{
				followUp("README.md", 30, "", "the text before this code block still talks about a virtual environment", ""),
				followUp("README.md", 30, "", "the text before this code block still talks about a virtual environment", ""),
			},
			want: []string{"README.md:30: the text before this code block still talks about a virtual environment"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, n := range notes(tt.in) {
				s := n.Evidence.String() + ": " + n.Text
				if n.Suggestion != "" {
					s += " => " + n.Suggestion
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// What the summary, the Markdown and the rdjson reports say of a project
// whose follow-ups repeat: each says it once (rdjson once per file), the
// notices of the plan are shown, and what was left alone for one reason
// is one line.
func TestReportsSayRepeatedNotesOnce(t *testing.T) {
	const matrix = "tests several Python versions; one Flox environment has one interpreter"
	res := &migrate.Result{Projects: []*migrate.ProjectResult{{
		Dir: ".", Status: migrate.StatusMigrated,
		Plan: &migrate.Plan{Manager: "uv", Interpreter: migrate.Interpreter{Minor: "3.12"},
			Notices: []string{"uv workspace (pyproject.toml:212): the hook syncs the root package; add --all-packages to the sync command to install every member"},
			Notes:   []string{"cffi: cffi wheels bundle libffi: nothing installed"}},
		FollowUps: []rewrite.FollowUp{
			followUp(".github/workflows/a.yml", 5, "job one", matrix, ""),
			followUp(".github/workflows/a.yml", 25, "job two", matrix, ""),
			followUp(".github/workflows/b.yml", 7, "job three", matrix, ""),
		},
		LeftAlone: []migrate.LeftAlone{
			{Evidence: detect.Evidence{Path: ".github/workflows/docs-update.yml", Line: 22}, Job: "lint", Audience: detect.AudienceRelease, Why: "a job of the release workflow docs-update.yml"},
			{Evidence: detect.Evidence{Path: ".github/workflows/docs-update.yml", Line: 47}, Job: "test", Audience: detect.AudienceRelease, Why: "a job of the release workflow docs-update.yml"},
			{Evidence: detect.Evidence{Path: ".github/workflows/docs-update.yml", Line: 66}, Job: "publish", Audience: detect.AudienceRelease, Why: "a job of the release workflow docs-update.yml"},
			{Evidence: detect.Evidence{Path: "docs/install.md"}, Audience: detect.AudienceUser, Why: "install instructions for the package's users"},
		},
	}}}

	var summary bytes.Buffer
	Summary(&summary, res, true)
	want := ".github/workflows/a.yml:5: follow-up: " + matrix + " (3 jobs: .github/workflows/a.yml: one and two; .github/workflows/b.yml: three)\n" +
		".github/workflows/docs-update.yml:22 (jobs lint, test and publish): left alone (release): a job of the release workflow docs-update.yml\n" +
		"docs/install.md: left alone (user): install instructions for the package's users\n" +
		".: note: uv workspace (pyproject.toml:212): the hook syncs the root package; add --all-packages to the sync command to install every member\n" +
		"venv2flox: 1 project(s): 1 migrated, 0 unchanged, 0 skipped, 0 failed; 0 file(s) would change; 1 follow-up(s); 4 left alone (not the contributors' setup)\n"
	if got := summary.String(); !strings.HasPrefix(got, want) {
		t.Errorf("summary:\n%s\nwant it to start with:\n%s", got, want)
	}
	if strings.Contains(summary.String(), "cffi") {
		t.Error("the summary shows a plan-only note")
	}

	var md bytes.Buffer
	Markdown(&md, res)
	for _, s := range []string{
		"- [ ] `.github/workflows/a.yml:5`: " + matrix + " (3 jobs:",
		"  <details><summary>3 places</summary>",
		"  - `.github/workflows/b.yml:7`: job three: " + matrix,
		"> **Note:** uv workspace",
		"- `.github/workflows/docs-update.yml:22` (jobs lint, test and publish), release: a job of the release workflow docs-update.yml",
	} {
		if !strings.Contains(md.String(), s) {
			t.Errorf("Markdown lacks %q\n---\n%s", s, md.String())
		}
	}

	var rd bytes.Buffer
	RDJSON(&rd, res)
	var doc rdResult
	if err := json.Unmarshal(rd.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range doc.Diagnostics {
		line := 0
		if d.Location.Range != nil {
			line = d.Location.Range.Start.Line
		}
		got = append(got, d.Code.Value+" "+(detect.Evidence{Path: d.Location.Path, Line: line}).String()+" "+d.Message)
	}
	wantRD := []string{
		"follow-up .github/workflows/a.yml:5 " + matrix + " (2 jobs: .github/workflows/a.yml: one and two)",
		"follow-up .github/workflows/b.yml:7 job three: " + matrix,
		"note .flox/env/manifest.toml uv workspace (pyproject.toml:212): the hook syncs the root package; add --all-packages to the sync command to install every member",
	}
	if strings.Join(got, "\n") != strings.Join(wantRD, "\n") {
		t.Errorf("rdjson:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantRD, "\n"))
	}
}
