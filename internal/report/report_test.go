package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/migrate"
	"github.com/venv2flox/venv2flox/rewrite"
)

const reportMakefileOld = `VENV = .venv

venv:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -r requirements.txt

test: venv
	$(VENV)/bin/pytest

lint:
	ruff check .
`

const reportMakefileNew = `venv:
	flox activate -- true

test: venv
	flox activate -- pytest

lint:
	ruff check .
`

// reportResult is a result with one migrated project (one modified file,
// one created file, a follow-up, a problem and a conflict), one failed
// project and one unchanged project.
func reportResult() *migrate.Result {
	ev := detect.Evidence{Path: ".python-version", Line: 1} // a plan's evidence is in its project
	return &migrate.Result{Projects: []*migrate.ProjectResult{
		{
			Dir: "services/api", Status: migrate.StatusMigrated,
			Plan: &migrate.Plan{
				EnvName:     "api",
				Interpreter: migrate.Interpreter{Minor: "3.12", Reason: migrate.Reason{Text: "the project asks for 3.12", Evidence: []detect.Evidence{ev}}},
				Manager:     "uv",
				ManagerWhy:  migrate.Reason{Text: "uv.lock is present", Evidence: []detect.Evidence{{Path: "uv.lock"}}},
				Packages: []migrate.Package{
					{ID: "python", PkgPath: "python312", Reason: migrate.Reason{Text: "interpreter"}},
					{ID: "uv", PkgPath: "uv", Reason: migrate.Reason{Text: "manager | sync"}},
				},
				Conflicts: []detect.Conflict{{Message: "runtime.txt asks for 3.9", A: detect.Evidence{Path: ".python-version", Line: 1}, B: detect.Evidence{Path: "runtime.txt", Line: 1}}},
			},
			Changes: []rewrite.FileChange{
				{Path: "services/api/Makefile", Old: []byte(reportMakefileOld), New: []byte(reportMakefileNew), Mode: 0o644},
				{Path: "services/api/.flox/env.json", New: []byte("{\n  \"name\": \"api\",\n  \"version\": 1\n}\n"), Mode: 0o644, Created: true},
				{Path: "services/api/README.md", Old: []byte("same\n"), New: []byte("same\n")}, // unchanged: not reported
			},
			FollowUps: []rewrite.FollowUp{{Evidence: detect.Evidence{Path: "services/api/Dockerfile", Line: 7}, Message: "the image still creates a venv", Suggestion: "use flox containerize"}},
			Problems:  []detect.Problem{{Evidence: detect.Evidence{Path: "services/api/pyproject.toml", Line: 3}, Message: "invalid TOML"}},
		},
		{Dir: "tools", Status: migrate.StatusFailed, Reason: migrate.ErrNoProject.Error()},
		{Dir: "web", Status: migrate.StatusUnchanged},
	}}
}

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	JSON(&buf, reportResult())
	var doc struct {
		Version  int            `json:"version"`
		Summary  map[string]int `json:"summary"`
		Projects []struct {
			Dir       string            `json:"dir"`
			Status    string            `json:"status"`
			Reason    string            `json:"reason"`
			Plan      map[string]any    `json:"plan"`
			FollowUps []json.RawMessage `json:"followUps"`
			Problems  []map[string]any  `json:"problems"`
			Files     []struct {
				Path, Action, Diff string
			} `json:"files"`
		} `json:"projects"`
	}
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if doc.Version != 1 {
		t.Errorf("version = %d", doc.Version)
	}
	wantSummary := map[string]int{"migrated": 1, "unchanged": 1, "skipped": 0, "failed": 1, "filesChanged": 2, "followUps": 1, "leftAlone": 0, "problems": 1}
	if !reflect.DeepEqual(doc.Summary, wantSummary) {
		t.Errorf("summary = %v, want %v", doc.Summary, wantSummary)
	}
	if len(doc.Projects) != 3 {
		t.Fatalf("%d projects", len(doc.Projects))
	}
	api := doc.Projects[0]
	if api.Dir != "services/api" || api.Status != "migrated" || api.Plan["manager"] != "uv" || len(api.FollowUps) != 1 {
		t.Errorf("first project = %+v", api)
	}
	if api.Problems[0]["path"] != "services/api/pyproject.toml" || api.Problems[0]["line"] != 3.0 {
		t.Errorf("problem = %v", api.Problems[0])
	}
	if len(api.Files) != 2 {
		t.Fatalf("files = %+v, want the two changed files", api.Files)
	}
	// Sorted by path: .flox/env.json before Makefile.
	created, modified := api.Files[0], api.Files[1]
	if created.Path != "services/api/.flox/env.json" || created.Action != "create" ||
		!strings.HasPrefix(created.Diff, "diff --git a/services/api/.flox/env.json b/services/api/.flox/env.json\nnew file mode 100644\n--- /dev/null\n") {
		t.Errorf("created file = %+v", created)
	}
	if modified.Path != "services/api/Makefile" || modified.Action != "modify" ||
		modified.Diff != string(rewrite.UnifiedDiff([]rewrite.FileChange{reportResult().Projects[0].Changes[0]})) {
		t.Errorf("modified file = %+v", modified)
	}
	if failed := doc.Projects[1]; failed.Status != "failed" || failed.Reason != migrate.ErrNoProject.Error() || failed.Files == nil || len(failed.Files) != 0 || failed.Plan != nil {
		t.Errorf("failed project = %+v (files must be [] not null)", failed)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"files": []`)) {
		t.Error(`a project without changes must have "files": []`)
	}
	// No HTML escaping: diffs stay readable.
	if bytes.Contains(buf.Bytes(), []byte(`\u003e`)) {
		t.Error("JSON escapes > as \\u003e")
	}
}

func TestMarkdown(t *testing.T) {
	var buf bytes.Buffer
	Markdown(&buf, reportResult())
	md := buf.String()
	for _, want := range []string{
		"## venv2flox migration\n\n3 project(s): 1 to migrate, 1 already migrated, 0 skipped, 1 failed; 2 file(s) change, 1 follow-up(s).\n",
		"| Project | Status | Python | Manager | Files | Follow-ups |\n|---|---|---|---|---|---|\n" +
			"| `services/api` | migrated | `python312` | uv | 2 | 1 |\n" +
			"| `tools` | failed |  |  | 0 | 0 |\n" +
			"| `web` | unchanged |  |  | 0 | 0 |\n",
		"### `services/api`: migrated\n",
		"**Interpreter:** `python312`: the project asks for 3.12 (`services/api/.python-version:1`)\n",
		"**Manager:** `uv`: uv.lock is present (`services/api/uv.lock`)\n",
		"| `uv` | `uv` | manager \\| sync |\n", // a | in a reason does not break the table
		"> **Conflict:** runtime.txt asks for 3.9 (`services/api/.python-version:1` vs `services/api/runtime.txt:1`)\n",
		"- `services/api/.flox/env.json` (created)\n- `services/api/Makefile` (modified)\n",
		"- [ ] `services/api/Dockerfile:7`: the image still creates a venv Suggested: use flox containerize\n",
		"- `services/api/pyproject.toml:3`: invalid TOML\n",
		"### `tools`: failed\n\n" + migrate.ErrNoProject.Error() + "\n",
		"````diff\ndiff --git a/services/api/.flox/env.json b/services/api/.flox/env.json\n",
		"+\tflox activate -- pytest\n",
		"````\n\n</details>\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q\n---\n%s", want, md)
		}
	}
	patch := string(rewrite.UnifiedDiff(reportResult().Projects[0].Changes))
	if want := fmt.Sprintf("<details><summary>Patch (%d lines)</summary>", strings.Count(patch, "\n")); !strings.Contains(md, want) {
		t.Errorf("Markdown lacks %q", want)
	}
	if strings.Contains(md, "more lines: see the full patch") || strings.Contains(md, "README.md") {
		t.Error("a short patch was cut, or an unchanged file listed")
	}
	if strings.Count(md, "<details>") != 1 {
		t.Error("want one folded patch: only one project has changes")
	}
}

func TestMarkdownCutsLongPatches(t *testing.T) {
	var long strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&long, "echo %d\n", i)
	}
	res := &migrate.Result{Projects: []*migrate.ProjectResult{{Dir: ".", Status: migrate.StatusMigrated, Changes: []rewrite.FileChange{
		{Path: "long.sh", New: []byte(long.String()), Mode: 0o755, Created: true},
	}}}}
	var buf bytes.Buffer
	Markdown(&buf, res)
	md := buf.String()
	// The patch: 4 header lines, 1 hunk header, 1000 added lines.
	if !strings.Contains(md, "<details><summary>Patch (1005 lines)</summary>") {
		t.Errorf("summary line missing:\n%s", md[:min(len(md), 800)])
	}
	_, body, _ := strings.Cut(md, "````diff\n")
	body, _, _ = strings.Cut(body, "````\n")
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if len(lines) != markdownPatchLimit+1 {
		t.Fatalf("folded patch has %d lines, want %d and a note", len(lines), markdownPatchLimit)
	}
	if last := lines[len(lines)-1]; last != fmt.Sprintf("… %d more lines: see the full patch", 1005-markdownPatchLimit) {
		t.Errorf("last line = %q", last)
	}
	if lines[markdownPatchLimit-1] != fmt.Sprintf("+echo %d", markdownPatchLimit-6) {
		t.Errorf("line %d = %q: the cut is not at the limit", markdownPatchLimit, lines[markdownPatchLimit-1])
	}
}

func TestRDJSON(t *testing.T) {
	var buf bytes.Buffer
	RDJSON(&buf, reportResult())
	var doc rdResult
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Source.Name != "venv2flox" {
		t.Errorf("source = %+v", doc.Source)
	}
	type diag struct {
		path, code, severity string
		start, end           int
		text                 string
	}
	var got []diag
	for _, d := range doc.Diagnostics {
		g := diag{path: d.Location.Path, code: d.Code.Value, severity: d.Severity}
		if d.Location.Range != nil {
			g.start, g.end = d.Location.Range.Start.Line, d.Location.Range.End.Line
		}
		switch len(d.Suggestions) {
		case 0:
		case 1:
			s := d.Suggestions[0]
			if s.Range != *d.Location.Range || s.Range.Start.Column != 1 || s.Range.End.Column != 1 {
				t.Errorf("suggestion range %+v differs from location %+v or is not whole lines", s.Range, d.Location.Range)
			}
			g.text = s.Text
		default:
			t.Errorf("%d suggestions in one diagnostic", len(d.Suggestions))
		}
		got = append(got, g)
	}
	// Old Makefile lines 1-2 ("VENV = .venv", blank) are deleted, line 4-5
	// (the venv and pip lines) become one line, line 8 is replaced; the
	// ranges are [start, end) over the old file.
	want := []diag{
		{path: "services/api/.flox/env.json", code: "create-file", severity: "INFO"},
		{path: "services/api/Makefile", code: "rewrite", severity: "WARNING", start: 1, end: 3, text: ""},
		{path: "services/api/Makefile", code: "rewrite", severity: "WARNING", start: 4, end: 6, text: "\tflox activate -- true\n"},
		{path: "services/api/Makefile", code: "rewrite", severity: "WARNING", start: 8, end: 9, text: "\tflox activate -- pytest\n"},
		{path: "services/api/Dockerfile", code: "follow-up", severity: "INFO", start: 7},
		{path: "services/api/pyproject.toml", code: "problem", severity: "ERROR", start: 3},
		{path: "services/api/runtime.txt", code: "conflict", severity: "WARNING", start: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diagnostics:\n got %+v\nwant %+v", got, want)
	}
	// Applying the suggestions to the old file gives the new one.
	if applied := applySuggestions(reportMakefileOld, doc.Diagnostics, "services/api/Makefile"); applied != reportMakefileNew {
		t.Errorf("suggestions applied give\n%s\nwant\n%s", applied, reportMakefileNew)
	}
	if !strings.Contains(doc.Diagnostics[4].Message, "Suggested: use flox containerize") {
		t.Errorf("follow-up message = %q", doc.Diagnostics[4].Message)
	}
}

// A follow-up about a code block covers the block's lines.
func TestRDJSONBlockFollowUp(t *testing.T) {
	res := &migrate.Result{Projects: []*migrate.ProjectResult{{Dir: ".", Status: migrate.StatusMigrated,
		FollowUps: []rewrite.FollowUp{{Evidence: detect.Evidence{Path: "README.md", Line: 23}, EndLine: 26, Message: "Windows venv instructions kept"}}}}}
	var buf bytes.Buffer
	RDJSON(&buf, res)
	var doc rdResult
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if r := doc.Diagnostics[0].Location.Range; r == nil || r.Start != (rdPosition{Line: 23}) || r.End != (rdPosition{Line: 26}) {
		t.Errorf("range = %+v, want lines 23 to 26", r)
	}
}

// TestRDJSONSuggestionsRebuildTheFile applies the suggestions of several
// edits (insertions, deletions, CRLF, a last line without newline) to the
// old text: the result must be the new text.
func TestRDJSONSuggestionsRebuildTheFile(t *testing.T) {
	tests := []struct{ old, new string }{
		{"a\nb\nc\n", "a\nx\nb\nc\n"},
		{"a\nb\nc\n", "b\n"},
		{"a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\nd\r\n"},
		{"a\nb", "a\nc"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "0\n1\n2\n3\n4\nfive\n6\n7\n8\n9\n"},
	}
	for _, tc := range tests {
		res := &migrate.Result{Projects: []*migrate.ProjectResult{{Dir: ".", Changes: []rewrite.FileChange{{Path: "f", Old: []byte(tc.old), New: []byte(tc.new)}}}}}
		var buf bytes.Buffer
		RDJSON(&buf, res)
		var doc rdResult
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if got := applySuggestions(tc.old, doc.Diagnostics, "f"); got != tc.new {
			t.Errorf("%q -> %q: suggestions give %q", tc.old, tc.new, got)
		}
	}
}

// applySuggestions applies whole-line suggestions ([start, end) line ranges
// at column 1) to text, as reviewdog would.
func applySuggestions(text string, diags []rdDiagnostic, path string) string {
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out strings.Builder
	next := 1 // next old line to copy
	for _, d := range diags {
		if d.Location.Path != path || len(d.Suggestions) == 0 {
			continue
		}
		s := d.Suggestions[0]
		for ; next < s.Range.Start.Line; next++ {
			out.WriteString(lines[next-1])
		}
		out.WriteString(s.Text)
		next = s.Range.End.Line
	}
	for ; next <= len(lines); next++ {
		out.WriteString(lines[next-1])
	}
	return out.String()
}

func TestSummary(t *testing.T) {
	var buf bytes.Buffer
	Summary(&buf, reportResult(), true)
	for _, want := range []string{
		"tools: failed: " + migrate.ErrNoProject.Error() + "\n",
		"services/api/pyproject.toml:3: problem: invalid TOML\n",
		"services/api/Dockerfile:7: follow-up: the image still creates a venv\n",
		"services/api/.python-version:1: conflict: runtime.txt asks for 3.9 (services/api/runtime.txt:1)\n",
		"venv2flox: 3 project(s): 1 migrated, 1 unchanged, 0 skipped, 1 failed; 2 file(s) would change; 1 follow-up(s)\n",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("summary lacks %q\n---\n%s", want, buf.String())
		}
	}
	buf.Reset()
	Summary(&buf, reportResult(), false)
	if !strings.Contains(buf.String(), "2 file(s) changed;") {
		t.Errorf("summary after writing:\n%s", buf.String())
	}
}

// The install-set check and what the sync leaves out reach migrate's
// summary and the Markdown report, not only `plan`.
func TestSetupCheckReported(t *testing.T) {
	ev := detect.Evidence{Path: "Makefile", Line: 12}
	named := detect.Evidence{Path: "CONTRIBUTING.md", Line: 30}
	noteEv := detect.Evidence{Path: "Makefile", Line: 14}
	same := &migrate.SetupCheck{Recipe: "make install-dev", Kind: "make", Evidence: &ev, NamedBy: &named,
		RecipeSet: []string{"project editable [dev]"}, HookSet: []string{"python 3.12", "project editable [dev]"},
		Notes: []migrate.SetupNote{{Kind: migrate.NoteNotSynced, Text: "plugins/b/requirements.txt (pins clash)", Evidence: &noteEv},
			{Kind: migrate.NoteProjectNotInstalled, Text: "make install-dev does not install the project"}}}
	differs := &migrate.SetupCheck{Recipe: "CONTRIBUTING.md, section Setup", Kind: "docs", Evidence: &named,
		Differences: []string{"- group docs", "+ group test"}}
	r := &migrate.Result{Projects: []*migrate.ProjectResult{
		{Dir: "services/api", Status: migrate.StatusMigrated, Plan: &migrate.Plan{Setup: same}},
		{Dir: "web", Status: migrate.StatusMigrated, Plan: &migrate.Plan{Setup: differs}},
	}}
	var summary, md bytes.Buffer
	Summary(&summary, r, true)
	Markdown(&md, r)
	for _, want := range []string{
		"services/api: install set: same as `make install-dev` (Makefile:12, named by CONTRIBUTING.md:30)\n",
		"services/api/Makefile:14: not synced: plugins/b/requirements.txt (pins clash)\n",
		"services/api: project not installed: make install-dev does not install the project\n",
		"web: install set: differs from CONTRIBUTING.md, section Setup (CONTRIBUTING.md:30): - group docs; + group test\n",
	} {
		if !strings.Contains(summary.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, summary.String())
		}
	}
	for _, want := range []string{
		"**install set:** same as `make install-dev` (Makefile:12, named by CONTRIBUTING.md:30)",
		"- `services/api/Makefile:14`: not synced: plugins/b/requirements.txt (pins clash)",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md.String())
		}
	}
}
