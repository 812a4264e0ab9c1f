package migrate

import (
	"maps"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/venv2flox/venv2flox/detect"
)

func TestTreeWalkers(t *testing.T) {
	ev := detect.Evidence{Path: "Makefile", Line: 3}
	tests := []struct {
		name     string
		commands []detect.CommandUse
		venvs    []detect.VenvUse
		want     []string
	}{
		{name: "flake8 without paths", commands: []detect.CommandUse{{Name: "flake8", Evidence: ev}}, want: []string{"flake8"}},
		{name: "flake8 on folders", commands: []detect.CommandUse{{Name: "flake8", Args: []string{"src", "tests"}, Evidence: ev}}},
		{name: "isort needs a path", commands: []detect.CommandUse{{Name: "isort", Args: []string{"--check-only"}, Evidence: ev}}},
		{name: "isort on the tree", commands: []detect.CommandUse{{Name: "isort", Args: []string{"--check-only", "."}, Evidence: ev}}, want: []string{"isort"}},
		{name: "through a manager", commands: []detect.CommandUse{{Name: "poetry", Args: []string{"run", "flake8", "."}, Evidence: ev}}, want: []string{"flake8"}},
		{name: "from the venv", venvs: []detect.VenvUse{{Action: detect.VenvBinUse, Dir: ".venv", Command: ".venv/bin/python -m isort .", Evidence: ev}}, want: []string{"isort"}},
		{name: "other tools", commands: []detect.CommandUse{{Name: "black", Args: []string{"."}, Evidence: ev}, {Name: "ruff", Args: []string{"check", "."}, Evidence: ev}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Sorted(maps.Keys(treeWalkers(&detect.Project{Commands: tt.commands, Venvs: tt.venvs})))
			if !slices.Equal(got, tt.want) {
				t.Errorf("treeWalkers = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWalkerNoticesOnlyWithoutSettings(t *testing.T) {
	p := &detect.Project{Root: ".", Commands: []detect.CommandUse{
		{Name: "flake8", Args: []string{"."}, Evidence: detect.Evidence{Path: "Makefile", Line: 4}},
		{Name: "isort", Args: []string{"."}, Evidence: detect.Evidence{Path: "Makefile", Line: 5}},
	}, FS: fstest.MapFS{"tox.ini": {Data: []byte("[tox]\nenvlist = py312\n\n[flake8]\nmax-line-length = 100\n")}}}
	got := walkerNotices(p)
	if len(got) != 1 || got[0] != "isort runs over the whole tree (Makefile:5) and would now walk the venv in .flox/cache: add `extend_skip = .flox` to its settings" {
		t.Errorf("walkerNotices = %q", got)
	}
}
