package migrate

import (
	"io/fs"
	"slices"

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
	for _, m := range p.Managers {
		if hostVenvFile(fileKind(p, m.Evidence.Path)) && contributorEvidence(p, m.Evidence) {
			return "", false // a lock file, a manager's table or `hatch run`: the manager makes a venv
		}
	}
	for _, v := range p.Venvs {
		if hostVenvFile(v.File) && contributorEvidence(p, v.Evidence) {
			return "", false
		}
	}
	return "nothing on the host creates or uses a venv (no venv step or package manager in its docs, scripts or CI, no lock file); its Python runs in container images (" + image + "): no Flox environment is needed", true
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
