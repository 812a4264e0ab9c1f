package detect

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// A file name that is not UTF-8 cannot go into a manifest or a patch: it is
// a problem, and the rest of the project is still read.
func TestScanSkipsNonUTF8FileNames(t *testing.T) {
	fsys := fstest.MapFS{
		"requirements.txt":          {Data: []byte("flask==3.0.3\n")},
		"requirements-\xff\xfe.txt": {Data: []byte("pytest\n")},
		"data/\xff.bin":             {Data: []byte{0}},
	}
	p := Scan(fsys, ".", Options{})
	if len(p.Problems) != 1 || !strings.Contains(p.Problems[0].Message, "not valid UTF-8") {
		t.Fatalf("problems = %v, want one about the file name", p.Problems)
	}
	if len(p.Requirements) != 1 || p.Requirements[0].Name != "flask" {
		t.Errorf("requirements = %v, want flask only", p.Requirements)
	}
}

// A symbolic link to a file of the project is read as that file: under
// its own name when the walk reads it anyway (nothing to report), through
// the link otherwise. A link that leaves the project is never followed.
func TestScanSymbolicLinks(t *testing.T) {
	link := func(to string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(to), Mode: fs.ModeSymlink} }
	fsys := fstest.MapFS{
		"pyproject.toml":              {Data: []byte("[project]\nname = \"acme\"\n")},
		"AGENTS.md":                   {Data: []byte("```bash\npython -m venv .venv\n```\n")},
		"CLAUDE.md":                   link("AGENTS.md"),
		"CONTRIBUTING.md":             link("docs/contributing.md"),
		"docs/contributing.md":        {Data: []byte("```bash\nsource .venv/bin/activate\n```\n")},
		"requirements/pyproject.toml": link("../pyproject.toml"),
		"requirements-dev.txt":        link("deps/dev.lst"),
		"deps/dev.lst":                {Data: []byte("pytest\n")},
		"hack/dev.sh":                 link("../../elsewhere/dev.sh"),
		"scripts/setup.sh":            link("/etc/setup.sh"),
		"scripts/loop.sh":             link("loop.sh"),
		"scripts/gone.sh":             link("../tools/gone.sh"),
	}
	p := Scan(fsys, ".", Options{})
	var files []string
	for _, f := range p.Files {
		files = append(files, f.Path)
	}
	if want := "AGENTS.md deps/dev.lst docs/contributing.md pyproject.toml"; strings.Join(files, " ") != want {
		t.Errorf("files = %v, want %s", files, want)
	}
	if len(p.Requirements) != 1 || p.Requirements[0].Evidence.String() != "deps/dev.lst:1" {
		t.Errorf("requirements = %v, want pytest from deps/dev.lst:1", p.Requirements)
	}
	var problems []string
	for _, pr := range p.Problems {
		problems = append(problems, pr.Error())
	}
	want := []string{
		"hack/dev.sh: is a symbolic link to ../../elsewhere/dev.sh, outside the project; not followed",
		"scripts/loop.sh: is a symbolic link that cannot be followed; not read",
		"scripts/setup.sh: is a symbolic link to /etc/setup.sh, outside the project; not followed",
	}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
}

// A top-level docs link to a folder of the project (docs -> app/docs)
// makes that folder's pages the documentation: read under their own
// paths, judged by their place under docs/. A docs link out of the project
// is not followed.
func TestScanLinkedDocsFolder(t *testing.T) {
	link := func(to string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(to), Mode: fs.ModeSymlink} }
	for _, tt := range []struct {
		name string
		docs *fstest.MapFile
		want string
	}{
		{"link into the project", link("app/docs"), "app/docs/development/setup.md app/docs/user-guide/quickstart.md pyproject.toml"},
		{"link out of the project", link("../shared/docs"), "pyproject.toml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"pyproject.toml":                    {Data: []byte("[project]\nname = \"acme\"\n")},
				"docs":                              tt.docs,
				"app/docs/development/setup.md":     {Data: []byte("# Setup\n\n```bash\npoetry install\n```\n")},
				"app/docs/user-guide/quickstart.md": {Data: []byte("# Install\n\n```bash\npip install acme\n```\n")},
				"app/docs/logo.png":                 {Data: []byte{0x89, 'P', 'N', 'G'}},
			}
			p := Scan(fsys, ".", Options{})
			var files []string
			for _, f := range p.Files {
				files = append(files, f.Path)
			}
			if strings.Join(files, " ") != tt.want {
				t.Errorf("files = %v, want %s", files, tt.want)
			}
			if len(files) == 1 {
				return
			}
			if a := p.AudienceAt(Evidence{Path: "app/docs/development/setup.md", Line: 4}); a != AudienceContributor {
				t.Errorf("development page: audience %q, want contributor", a)
			}
			if a := p.AudienceAt(Evidence{Path: "app/docs/user-guide/quickstart.md", Line: 4}); a == AudienceContributor {
				t.Errorf("user guide: audience %q, want not contributor", a)
			}
		})
	}
}

// A page of the docs (Doc/ too) titled for working on this project is a
// contributor guide; one titled for developing the reader's own app is not.
func TestDevelopmentTitledPages(t *testing.T) {
	fsys := fstest.MapFS{
		"pyproject.toml":        {Data: []byte("[project]\nname = \"acme-ldap\"\n")},
		"Doc/sample_flow.rst":   {Data: []byte("Sample workflow for acme-ldap development\n=========================================\n\n::\n\n    $ python3 -m venv .venv\n    $ .venv/bin/pip install -e .\n")},
		"Doc/your_app.rst":      {Data: []byte("Developing your app\n===================\n\n::\n\n    $ pip install acme-ldap\n")},
		"Doc/acme_overview.rst": {Data: []byte("Using acme_ldap\n===============\n\n::\n\n    $ pip install acme-ldap\n")},
	}
	p := Scan(fsys, ".", Options{})
	for _, tt := range []struct {
		path        string
		contributor bool
	}{{"Doc/sample_flow.rst", true}, {"Doc/your_app.rst", false}, {"Doc/acme_overview.rst", false}} {
		if !slices.ContainsFunc(p.Files, func(f File) bool { return f.Path == tt.path }) {
			t.Errorf("%s not read", tt.path)
		}
		if a := p.AudienceAt(Evidence{Path: tt.path, Line: 6}); (a == AudienceContributor) != tt.contributor {
			t.Errorf("%s: audience %q, want contributor %v", tt.path, a, tt.contributor)
		}
	}
	for title, want := range map[string]bool{
		"Sample workflow for acme-ldap development": true,
		"Hacking on acme_ldap":                      true,
		"Contributing to Acme-LDAP":                 true,
		"Developing your app":                       false,
		"Developing acme_ldap":                      true,
		"Development of acme-ldap":                  true,
		"Acme-LDAP: Python Development Workflow":    false,
		"Development acme-ldap build":               false,
		"acme-ldap reference":                       false,
	} {
		if got := p.DevelopmentTitle(title); got != want {
			t.Errorf("DevelopmentTitle(%q) = %v, want %v", title, got, want)
		}
	}
}

// An RST underline as long as its title is a heading however short ("uv"
// over "^^"); "::" under a word is a literal block marker.
func TestRSTShortHeadings(t *testing.T) {
	lines := strings.Split("Development\n===========\n\npoetry\n^^^^^^\n\ntext\n\nuv\n^^\n\nab\n::\n", "\n")
	var titles []string
	for _, h := range rstHeadings(lines, nil) {
		titles = append(titles, h.title)
	}
	if got := strings.Join(titles, ","); got != "Development,poetry,uv" {
		t.Errorf("titles = %s, want Development,poetry,uv", got)
	}
}
