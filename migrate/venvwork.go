package migrate

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

// A project whose Python runs only in container images (a Dockerfile
// that pip-installs its requirements, compose files, CI that builds
// images) has no venv to migrate: an environment nothing refers to would
// be noise. Without images, a Python project is taken to be set up in a
// venv, as Python's own tutorials do, even where no file says so.

// noVenvWorkflow is "unchanged"'s reason for a project built in images
// that nothing on the host sets up (no venv step, no package manager, on
// a contributor's line outside the images), and false for any other
// project or one migrated already.
func noVenvWorkflow(fsys fs.FS, dir string, p *detect.Project) (string, bool) {
	if _, err := fs.Stat(fsys, joinRel(dir, ".flox")); err == nil {
		return "", false // migrated before: the plan is compared with it
	}
	if why, ok := binaryPackage(p); ok {
		return why, true
	}
	image := ""
	for _, f := range p.Files {
		if f.Kind == detect.KindDockerfile {
			image = f.Path
			break
		}
	}
	if image == "" {
		return "", false
	}
	if ev, ok := imageOnlyInstall(p); ok {
		return "its dependencies are installed only in container images (" + ev.String() + "): no setup on the host (docs, Makefile, scripts, CI) installs the project or its requirements, so no Flox environment is needed", true
	}
	if hostVenv(p) {
		return "", false
	}
	return "nothing on the host creates or uses a venv (no venv step or package manager in its docs, scripts or CI, no lock file); its Python runs in container images (" + image + "): no Flox environment is needed", true
}

// hostVenv reports a contributor line outside images that creates or
// uses a venv: a venv step, a lock file, a manager's table or `hatch run`.
func hostVenv(p *detect.Project) bool {
	for _, m := range p.Managers {
		if hostVenvFile(fileKind(p, m.Evidence.Path)) && contributorEvidence(p, m.Evidence) {
			return true
		}
	}
	for _, v := range p.Venvs {
		if hostVenvFile(v.File) && contributorEvidence(p, v.Evidence) {
			return true
		}
	}
	return false
}

// nothingToInstall is "unchanged"'s reason for a plan whose hook syncs
// nothing in a project where nothing creates or uses a venv: an
// environment holding only Python would be noise.
func nothingToInstall(fsys fs.FS, dir string, p *detect.Project, plan *Plan) (string, bool) {
	if len(plan.Sync) > 0 || hostVenv(p) {
		return "", false
	}
	if _, err := fs.Stat(fsys, joinRel(dir, ".flox")); err == nil {
		return "", false // migrated before: the plan is compared with it
	}
	return "nothing to install (no dependencies or setup recipe) and nothing creates or uses a venv: no Flox environment is needed", true
}

// imageOnlyInstall finds the image step that installs the project's
// dependencies with the manager of its lock file when nothing on the host
// installs from the checkout: the lock file is then the image's (a
// Dockerfile that copies uv.lock and runs `uv sync`), not a sign of a
// venv on the contributor's machine.
func imageOnlyInstall(p *detect.Project) (detect.Evidence, bool) {
	inImage := func(m detect.ManagerUse) bool {
		return fileKind(p, m.Evidence.Path).Info().Class == detect.ClassContainer
	}
	i := slices.IndexFunc(p.Managers, func(m detect.ManagerUse) bool {
		return inImage(m) && slices.ContainsFunc(p.Managers, func(o detect.ManagerUse) bool {
			return !inImage(o) && o.Manager == m.Manager && lockFileKind(fileKind(p, o.Evidence.Path))
		})
	})
	if i < 0 {
		return detect.Evidence{}, false
	}
	if rec, ok := installset.FindRecipe(p); ok && (installset.FromCheckout(rec.Set) || rec.Foreign != nil) {
		return detect.Evidence{}, false
	}
	return p.Managers[i].Evidence, true
}

// lockFileKind reports a manager's lock file.
func lockFileKind(k detect.FileKind) bool {
	switch k {
	case detect.KindUVLock, detect.KindPoetryLock, detect.KindPDMLock, detect.KindPipfileLock:
		return true
	}
	return false
}

// fileKind is the kind of a file detect read ("" when it read none there).
func fileKind(p *detect.Project, path string) detect.FileKind {
	for _, f := range p.Files {
		if f.Path == path {
			return f.Kind
		}
	}
	return ""
}

// hostVenvFile reports the kinds of files whose venv steps run on the
// contributor's machine or CI runner: not an image's or a container's,
// nor an ignore file's pattern (which templates list in every project).
func hostVenvFile(k detect.FileKind) bool {
	return k.Info().Class != detect.ClassContainer && k != detect.KindIgnoreFile
}

// contributorEvidence reports a line of the contributor workflow: not a
// doc block, job or file that serves other readers.
func contributorEvidence(p *detect.Project, ev detect.Evidence) bool {
	a := p.AudienceAt(ev)
	return a == "" || a == detect.AudienceContributor
}

// binaryPackage says why a project whose root package is a compiled
// program (maturin's `bindings = "bin"`: uv, ruff) with no Python
// dependencies has no venv to migrate: its contributors build it with
// cargo, and the Python around it (scripts, tests, docs tools) runs in
// environments that `uv run` or the CI jobs make for themselves. A
// contributor document that makes or activates a venv says otherwise.
func binaryPackage(p *detect.Project) (string, bool) {
	i := slices.IndexFunc(p.Builds, func(b detect.BuildSystem) bool { return b.Binary && b.Evidence.Path == "pyproject.toml" })
	if i < 0 {
		return "", false
	}
	for _, r := range p.Requirements {
		if r.Evidence.Path == "pyproject.toml" && r.Group == "" {
			return "", false
		}
	}
	for _, v := range p.Venvs {
		// A README shows what the program does, and a program that makes
		// venvs (uv) shows that: its examples are not the setup.
		readme := strings.HasPrefix(strings.ToUpper(path.Base(v.Evidence.Path)), "README")
		if (v.Action == detect.VenvCreate || v.Action == detect.VenvActivate) && !readme &&
			fileKind(p, v.Evidence.Path).Info().Class == detect.ClassDocs && contributorEvidence(p, v.Evidence) {
			return "", false
		}
	}
	return "the root package is a compiled program (" + p.Builds[i].Evidence.String() + ": maturin, bindings = \"bin\") with no Python dependencies, and no contributor document makes a venv: its Python tools run in environments uv or CI make for themselves, so no Flox environment is needed", true
}
