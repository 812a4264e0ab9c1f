package migrate

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/rewrite"
)

const netPyproject = "[project]\nname = \"app\"\nversion = \"0\"\n"

// TestSafetyNetReportsWhatStays runs whole migrations of projects whose
// venv lines the rewriters leave in place (issue 12's reproductions among
// them): whatever still uses the old venv after the patch is changed or
// named by a follow-up, and the summary never counts 0 follow-ups then.
func TestSafetyNetReportsWhatStays(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"interpreters and wrappers the shell rewriter does not know", map[string]string{
			"scripts/setup.sh": "#!/bin/sh\npypy3 -m venv .venv\ntimeout 600 python3 -m venv .venv2\n.venv/bin/pip install -e .\n",
		}},
		{"a lone carriage return in a workflow comment", map[string]string{
			".github/workflows/ci.yml": "name: ci\non: [push]\n# a comment\rwith a lone CR\njobs:\n  test:\n    runs-on: ubuntu-latest\n" +
				"    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          python -m venv .venv\n          .venv/bin/pip install -e .\n" +
				"      - run: .venv/bin/pytest\n",
		}},
		{"a README block with an interpreter the doc rewriter does not know", map[string]string{
			"README.md": "# app\n\n## Development\n\n```sh\ntimeout 600 pypy3 -m venv .venv\n```\n",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"pyproject.toml": {Data: []byte(netPyproject)}}
			for name, data := range tc.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o755}
			}
			res, err := Prepare(fsys, Options{RootName: "app"})
			if err != nil {
				t.Fatal(err)
			}
			p := res.Projects[0]
			left := 0
			for _, v := range p.Project.Venvs {
				if v.Action == detect.VenvInstall && v.Dir == "" || changedLine(p.Changes, v.Evidence) {
					continue
				}
				left++
				if !slices.ContainsFunc(p.FollowUps, func(fu rewrite.FollowUp) bool {
					return fu.Evidence.Path == v.Evidence.Path && fu.Evidence.Line <= v.Evidence.Line && v.Evidence.Line <= max(fu.EndLine, fu.Evidence.Line)
				}) {
					t.Errorf("%s: %s stays after the migration and no follow-up names it", v.Evidence, v.Command)
				}
			}
			if left > 0 && len(p.FollowUps) == 0 {
				t.Errorf("%d venv uses stay, and there is no follow-up", left)
			}
		})
	}
}

// changedLine reports whether the patch removes or replaces a line.
func changedLine(changes []rewrite.FileChange, ev detect.Evidence) bool {
	for _, c := range changes {
		if c.Path != ev.Path {
			continue
		}
		for _, r := range rewrite.Replacements(c.Old, c.New) {
			if r.Start <= ev.Line && ev.Line < r.End {
				return true
			}
		}
	}
	return false
}

// TestLeftoverVenvs checks what the net counts as spoken for, on a
// project whose files no rewriter touched.
func TestLeftoverVenvs(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml": {Data: []byte(netPyproject)},
		"Makefile":       {Data: []byte("test:\n\t.venv/bin/pytest\n")},
		"README.md":      {Data: []byte("# app\n\n## Development\n\n```sh\npython -m venv .venv\n. .venv/bin/activate\n```\n")},
		".github/workflows/ci.yml": {Data: []byte("on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - run: .venv/bin/pytest\n      - uses: actions/checkout@v4\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - run: .venv/bin/ruff check .\n      - uses: actions/checkout@v4\n")},
		".dockerignore": {Data: []byte(".venv\n")},
		"tox.ini":       {Data: []byte("[testenv]\ncommands = python -m venv .venv\n")},
	}
	proj := detect.Scan(fsys, ".", detect.Options{})
	lines := func(fus []rewrite.FollowUp) []string {
		var out []string
		for _, f := range fus {
			out = append(out, f.Evidence.String())
		}
		return out
	}
	ctx := &rewrite.Context{}
	all := []string{".github/workflows/ci.yml:6", ".github/workflows/ci.yml:11", "Makefile:2", "README.md:6", "README.md:7"}
	if got := lines(leftoverVenvs(proj, ".", ctx, nil, nil, nil, ScopeContributor)); !slices.Equal(got, all) {
		t.Errorf("nothing reported: net = %v, want %v (not tox's venv, nor the ignore file's pattern)", got, all)
	}
	reported := []rewrite.FollowUp{
		{Evidence: detect.Evidence{Path: "Makefile", Line: 1}, Message: "left whole"},
		{Evidence: detect.Evidence{Path: "README.md", Line: 5}, Message: "block", EndLine: 8},
		{Evidence: detect.Evidence{Path: ".github/workflows/ci.yml", Line: 3}, Message: "job test: left as it is"},
	}
	want := []string{".github/workflows/ci.yml:11"}
	if got := lines(leftoverVenvs(proj, ".", ctx, nil, reported, nil, ScopeContributor)); !slices.Equal(got, want) {
		t.Errorf("with follow-ups: net = %v, want %v (job lint has none)", got, want)
	}
	// A workflow its rewriter could not read is reported by that problem.
	unread := []detect.Problem{{Evidence: detect.Evidence{Path: ".github/workflows/ci.yml"}, Message: "not a YAML mapping"}}
	if got := lines(leftoverVenvs(proj, ".", ctx, nil, reported, unread, ScopeContributor)); len(got) > 0 {
		t.Errorf("with a problem about the workflow: net = %v", got)
	}
	if got := leftoverVenvs(proj, ".", &rewrite.Context{KeepVenv: true}, nil, nil, nil, ScopeContributor); len(got) > 0 {
		t.Errorf("--keep-venv keeps the venv lines on purpose, net = %v", lines(got))
	}
	// A rewrite to the Flox venv is the new form; a venv line it wrote
	// is reported at the line it replaced.
	mk := rewrite.FileChange{Path: "Makefile", Old: fsys["Makefile"].Data, New: []byte("test:\n\t.flox/cache/venv/bin/pytest\n\tvenv/bin/mypy\n")}
	want = []string{".github/workflows/ci.yml:11", "Makefile:2"}
	if got := lines(leftoverVenvs(proj, ".", ctx, []rewrite.FileChange{mk}, reported[1:], nil, ScopeContributor)); !slices.Equal(got, want) {
		t.Errorf("after a Makefile rewrite: net = %v, want %v", got, want)
	}
}

// A job that never checks out the repository (it tests the sdist) uses a
// venv of its own: the net leaves it alone.
func TestLeftoverVenvsSkipsJobsWithoutCheckout(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml": {Data: []byte(netPyproject)},
		".github/workflows/ci.yml": {Data: []byte("on: [push]\njobs:\n  sdist:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/download-artifact@v4\n      - run: python -m venv .venv && .venv/bin/pip install dist/*.tar.gz\n" +
			"  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: .venv/bin/pytest\n")},
	}
	proj := detect.Scan(fsys, ".", detect.Options{})
	var got []string
	for _, f := range leftoverVenvs(proj, ".", &rewrite.Context{}, nil, nil, nil, ScopeContributor) {
		got = append(got, f.Evidence.String())
	}
	if want := []string{".github/workflows/ci.yml:12"}; !slices.Equal(got, want) {
		t.Errorf("net = %v, want %v", got, want)
	}
}
