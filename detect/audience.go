package detect

import (
	"path"
	"strings"
)

// Audience: only the contributor workflow of this checkout is migrated.
// Once every file is read, each file, each CI job and each code block of a
// contributor document gets the audience it serves, with the reason that
// decided it: docs for the package's users, examples that are projects of
// their own, deployment and upgrade scripts, launchers the docs give to
// end users, release jobs, and jobs that never used a venv are not the
// contributors' setup.

// shellCall is one simple command a file runs, with its wrappers (sudo,
// env, exec) peeled; root is set when a wrapper ran it as root.
type shellCall struct {
	path string
	line int
	argv []string
	root bool
}

// AudienceAt returns whom the code at ev serves: its doc block's or CI
// job's audience, else its file's ("" for a file detect did not read).
func (p *Project) AudienceAt(ev Evidence) Audience {
	for _, b := range p.DocBlocks {
		if b.Path == ev.Path && b.Line <= ev.Line && ev.Line <= b.EndLine {
			return b.Audience
		}
	}
	for _, j := range p.CI {
		if j.Evidence.Path == ev.Path && j.Evidence.Line <= ev.Line && ev.Line <= max(j.EndLine, j.Evidence.Line) {
			return j.Audience
		}
	}
	for _, f := range p.Files {
		if f.Path == ev.Path {
			return f.Audience
		}
	}
	return ""
}

// audiencePass holds what classifying needs across files.
type audiencePass struct {
	s *scanner
	// nested maps folders (other than the root) that hold a project file of
	// their own to that file, unless this project installs them by path.
	nested map[string]string
	// docAudience is each document's audience and reason.
	docAudience map[string][2]string
	// userCalls are commands the docs give to the package's users: calls
	// in user documents and in README sections for users.
	userCalls []shellCall
}

// classify sets Audience on every file and CI job and lists the doc
// blocks of contributor documents that serve other readers.
func (s *scanner) classify() {
	a := &audiencePass{s: s, nested: s.nestedProjects(), docAudience: map[string][2]string{}}
	a.docs()
	a.ciJobs()
	for i := range s.p.Files {
		f := &s.p.Files[i]
		aud, why := a.file(*f)
		f.Audience, f.Why = aud, why
	}
}

// file decides the audience of one file: examples and projects of their
// own by path, then by its kind (kinds.go).
func (a *audiencePass) file(f File) (Audience, string) {
	x, ok := specOf(f.Kind)
	if !ok {
		return AudienceContributor, ""
	}
	// A CI file's audience is that of its jobs, wherever it is.
	if aud, why, ok := a.exampleByPath(f.Path); ok && x.info.Class != ClassCI {
		return aud, why
	}
	return x.audience(a, f.Path)
}

// docFile gives a document the audience the docs pass found for it.
func (a *audiencePass) docFile(rel string) (Audience, string) {
	if d, ok := a.docAudience[rel]; ok {
		return Audience(d[0]), d[1]
	}
	return AudienceContributor, ""
}

// dockerfileAudience: an image has its own Python; a dev container's
// Dockerfile builds the contributors' container.
func dockerfileAudience(_ *audiencePass, rel string) (Audience, string) {
	if strings.HasPrefix(rel, ".devcontainer/") {
		return AudienceContributor, ""
	}
	return AudienceOperator, "builds a container image, which has its own Python"
}

// exampleDirs are folder names whose files are examples, templates or test
// data, not the project's setup.
var exampleDirs = wordSet("examples", "example", "samples", "sample", "demo", "demos", "cookbook",
	"templates", "template", "fixtures", "testdata", "test_data")

// IsExampleDir reports a folder name whose files are examples, templates
// or test data, not a project's own setup.
func IsExampleDir(name string) bool { return exampleDirs[strings.ToLower(name)] }

// exampleByPath reports files under an example folder or in a folder that
// is a project of its own.
func (a *audiencePass) exampleByPath(rel string) (Audience, string, bool) {
	dirs := strings.Split(path.Dir(rel), "/")
	for i, d := range dirs {
		if d != "." && exampleDirs[strings.ToLower(d)] {
			return AudienceExample, "under " + strings.Join(dirs[:i+1], "/") + "/: an example, not this project's setup", true
		}
	}
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if marker, ok := a.nested[d]; ok {
			return AudienceExample, d + "/ is a project of its own (" + marker + ")", true
		}
	}
	return "", "", false
}

// ownProjectFiles are files that make their folder a project of its own.
var ownProjectFiles = wordSet("pyproject.toml", "setup.py", "setup.cfg", "Pipfile")

// nestedProjects maps the folders below the root that hold a project file
// to that file, leaving out those the project installs from the checkout
// (`-e ./libs/common`, uv workspace members) and the members its
// environment serves. A root without a project file of its own serves the
// projects below it, so none is nested then, unless it names its members.
func (s *scanner) nestedProjects() map[string]string {
	out := map[string]string{}
	rootIsProject := false
	for _, f := range s.p.Files {
		dir := path.Dir(f.Path)
		switch {
		case !ownProjectFiles[path.Base(f.Path)] && f.Kind != KindRequirements:
		case dir == ".":
			rootIsProject = true
		case ownProjectFiles[path.Base(f.Path)]:
			if _, ok := out[dir]; !ok {
				out[dir] = f.Path
			}
		}
	}
	if !rootIsProject && len(s.p.Members) == 0 {
		return nil
	}
	for _, m := range s.p.Members {
		delete(out, m)
	}
	for _, r := range s.p.Requirements {
		if r.Path != "" && !path.IsAbs(r.Path) {
			delete(out, path.Join(path.Dir(r.Evidence.Path), r.Path))
		}
	}
	if w := s.p.Workspace; w != nil {
		for dir := range out {
			for _, m := range w.Members {
				if ok, _ := path.Match(path.Clean(m), dir); ok {
					delete(out, dir)
				}
			}
		}
	}
	return out
}

// callsIn returns the calls of file rel between two lines (inclusive).
func (a *audiencePass) callsIn(rel string, first, last int) []shellCall {
	var out []shellCall
	for _, c := range a.s.calls {
		if c.path == rel && first <= c.line && c.line <= last {
			out = append(out, c)
		}
	}
	return out
}

// venvsIn returns the venv uses of file rel between two lines (inclusive).
func (a *audiencePass) venvsIn(rel string, first, last int) []VenvUse {
	var out []VenvUse
	for _, v := range a.s.p.Venvs {
		if v.Evidence.Path == rel && first <= v.Evidence.Line && v.Evidence.Line <= last {
			out = append(out, v)
		}
	}
	return out
}

// outsideCheckout reports a venv folder that is not in the checkout: an
// absolute path, one in a home folder, above the project, or in the CI
// runner's scratch space.
func outsideCheckout(dir string) bool {
	d := strings.Trim(dir, `"'`)
	for _, p := range []string{"/", "~", "$HOME", "${HOME}", "../", "$RUNNER_TEMP", "${RUNNER_TEMP}", "${{ runner.temp }}", "$TMPDIR", "${TMPDIR}"} {
		if strings.HasPrefix(d, p) {
			return true
		}
	}
	return d == ".."
}
