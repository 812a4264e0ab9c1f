package detect

import (
	"path"
	"strings"
)

// pyright (and basedpyright) find the project's packages through the venv
// named by two settings: venvPath, the folder holding venvs, and venv, the
// venv's folder name in it. They are in pyrightconfig.json (JSON with
// comments) or in pyproject.toml's [tool.pyright]. A venv inside the
// project is recorded; one elsewhere (~/.virtualenvs) is not this
// project's dev venv.

func isPyrightConfig(rel string) bool { return path.Base(rel) == "pyrightconfig.json" }

func extractPyrightConfig(s *scanner, f *textFile) {
	doc, err := ParseJSONC(f.Text)
	if err != nil {
		if je, ok := err.(*JSONError); ok {
			s.problem(f.Ev(je.Line), "JSON: "+je.Msg)
		}
		return
	}
	venv := doc.Get("venv")
	if venv == nil || venv.Kind != 's' {
		return
	}
	venvPath := ""
	if vp := doc.Get("venvPath"); vp != nil && vp.Kind == 's' {
		venvPath = vp.Str
	}
	recordPyrightVenv(s, f, KindPyrightConfig, venvPath, venv.Str, venv.Line)
}

// pyprojectPyright reads [tool.pyright] and [tool.basedpyright].
func (pp *pyproject) pyright() {
	for _, tool := range []string{"pyright", "basedpyright"} {
		venv, ok := pp.d.getString("tool", tool, "venv")
		if !ok {
			continue
		}
		venvPath, _ := pp.d.getString("tool", tool, "venvPath")
		recordPyrightVenv(pp.s, pp.d.f, KindPyproject, venvPath, venv, pp.d.ev("tool", tool, "venv").Line)
	}
}

// PyrightVenv is the project-relative venv folder that pyright's venvPath
// and venv settings name; false for a venv outside the project. A missing
// venvPath is the configuration's own folder.
func PyrightVenv(venvPath, venv string) (string, bool) {
	if venvPath == "" {
		venvPath = "."
	}
	if venv == "" || strings.ContainsAny(venvPath+venv, "$~") || path.IsAbs(venvPath) || path.IsAbs(venv) {
		return "", false
	}
	dir := path.Join(venvPath, venv)
	if dir == "." || dir == ".." || strings.HasPrefix(dir, "../") {
		return "", false
	}
	return dir, true
}

func recordPyrightVenv(s *scanner, f *textFile, kind FileKind, venvPath, venv string, line int) {
	dir, ok := PyrightVenv(venvPath, venv)
	if !ok {
		return
	}
	text := "venv = " + venv
	if venvPath != "" {
		text = "venvPath = " + venvPath + ", " + text
	}
	s.p.Venvs = append(s.p.Venvs, VenvUse{Action: VenvConfig, Dir: dir, Command: text, File: kind, Evidence: f.Ev(line)})
}
