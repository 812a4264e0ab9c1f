package migrate

import (
	"strings"
	"testing"
	"testing/fstest"
)

// A folder without project files of its own, migrated for the projects
// below it, says so and points at -r; a project at the top does not.
func TestNestedProjectsNote(t *testing.T) {
	readme := &fstest.MapFile{Data: []byte("# Capstone\n\n```\npython3 -m venv venv\nsource venv/bin/activate\n```\n")}
	reqs := &fstest.MapFile{Data: []byte("Django==4.2\n")}
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string // "" = no note
	}{
		{"project in a sub-folder", fstest.MapFS{"README.md": readme, "server/requirements.txt": reqs, "server/manage.py": reqs},
			"server/requirements.txt:1: the Python project files are in server/"},
		{"two projects below", fstest.MapFS{"api/pyproject.toml": {Data: []byte("[project]\nname = \"api\"\n")}, "worker/setup.py": {Data: []byte("from setuptools import setup\nsetup(name='w')\n")}},
			"in api/ and 1 more folder(s)"},
		{"project at the top", fstest.MapFS{"README.md": readme, "requirements.txt": reqs, "docs/requirements.txt": reqs}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Prepare(tt.fsys, Options{RootName: "repo"})
			if err != nil {
				t.Fatal(err)
			}
			var notes []string
			for _, f := range res.Projects[0].FollowUps {
				if strings.Contains(f.Message, "not at the top") {
					notes = append(notes, f.String())
				}
			}
			switch {
			case tt.want == "" && len(notes) > 0:
				t.Errorf("unexpected note %q", notes)
			case tt.want != "" && (len(notes) != 1 || !strings.Contains(notes[0], tt.want)):
				t.Errorf("notes = %q, want one containing %q", notes, tt.want)
			}
		})
	}
}
