package detect

import (
	"path"
	"strings"
)

// Gitpod workspaces run .gitpod.yml's tasks (before, init, command) when
// a contributor opens the project; they often build the venv. The image
// (gitpod/workspace-python-3.11) names the Python. Gitpod has no Flox
// unless the image adds it, so tasks are read for evidence and reported.

func isGitpodFile(rel string) bool {
	return rel == ".gitpod.yml" || rel == ".gitpod.yaml"
}

func extractGitpod(s *scanner, f *textFile) {
	root := parseYAMLFile(s, f)
	if root == nil {
		return
	}
	lines := f.Lines()
	ss := newShellSession(s, f.Path, KindGitpod)
	for _, task := range yamlItems(yamlGet(root, "tasks")) {
		for _, key := range []string{"before", "init", "command"} {
			if n := resolveAlias(yamlGet(task, key)); n != nil && n.Value != "" && n.Tag != "!!null" {
				t := yamlShellText(lines, n, &placeholders{}, nil)
				ss.analyze(t)
				s.p.Setup.Containers = append(s.p.Setup.Containers, t.source(f.Path))
			}
		}
	}
	img := resolveAlias(yamlGet(root, "image"))
	if img == nil || img.Value == "" {
		return
	}
	if v, ok := gitpodImagePython(img.Value); ok {
		s.addCIPython(KindGitpod, v, false, f.Ev(img.Line))
	}
}

// gitpodImagePython reads gitpod/workspace-python-3.11 (and the :tag
// forms of other images) as a Python version.
func gitpodImagePython(image string) (string, bool) {
	name := path.Base(strings.SplitN(image, ":", 2)[0])
	if rest, ok := strings.CutPrefix(name, "workspace-python-"); ok {
		if v := leadingVersion(rest); strings.Contains(v, ".") {
			return v, true
		}
	}
	return imagePython(image)
}
