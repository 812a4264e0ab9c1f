package migrate

import (
	"reflect"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/rewrite"
)

func TestMergePrefixesPaths(t *testing.T) {
	one, two := &Result{Projects: []*ProjectResult{
		{Dir: "services/api", Status: StatusMigrated,
			Changes: []rewrite.FileChange{
				{Path: "services/api/Makefile", Old: []byte("a\n"), New: []byte("b\n")},
				{Path: "services/api/.flox/env.json", New: []byte("{}\n"), Created: true},
				{Path: "services/api/README.md", Old: []byte("same\n"), New: []byte("same\n")},
			},
			FollowUps: []rewrite.FollowUp{{Evidence: detect.Evidence{Path: "services/api/Dockerfile", Line: 7}, Message: "the image still creates a venv"}},
			Problems:  []detect.Problem{{Evidence: detect.Evidence{Path: "services/api/pyproject.toml", Line: 3}, Message: "invalid TOML"}}},
		{Dir: "tools", Status: StatusFailed},
		{Dir: "web", Status: StatusUnchanged},
	}}, &Result{Projects: []*ProjectResult{{Dir: ".", Status: StatusMigrated, Changes: []rewrite.FileChange{{Path: "Makefile", Old: []byte("a\n"), New: []byte("b\n")}}}}}
	merged := Merge([]*RootResult{{Root: "/x/a", Prefix: "a", Result: one}, {Root: "/x/b", Prefix: "b", Result: two}})
	var dirs, paths []string
	for _, p := range merged.Projects {
		dirs = append(dirs, p.Dir)
	}
	for _, c := range merged.Changes() {
		paths = append(paths, c.Path)
	}
	if want := []string{"a/services/api", "a/tools", "a/web", "b"}; !reflect.DeepEqual(dirs, want) {
		t.Errorf("dirs = %q, want %q", dirs, want)
	}
	if want := []string{"a/services/api/.flox/env.json", "a/services/api/Makefile", "a/services/api/README.md", "b/Makefile"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %q, want %q", paths, want)
	}
	if p := merged.Projects[0]; p.Problems[0].Path != "a/services/api/pyproject.toml" || p.FollowUps[0].Evidence.Path != "a/services/api/Dockerfile" {
		t.Errorf("evidence not prefixed: %+v %+v", p.Problems, p.FollowUps)
	}
	// The inputs are not modified.
	if one.Projects[0].Changes[0].Path != "services/api/Makefile" {
		t.Error("Merge modified its input")
	}
}
