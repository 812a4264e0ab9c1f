package detect

import (
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// Editor settings, type-checker settings, hooks, containers and task
// runners point at the venv by path: "${workspaceFolder}/.venv/bin/python",
// venv = ".venv", entry: .venv/bin/ruff. These helpers read such values the
// same way whatever the file.

// workspacePrefixes are the ways editor and container settings spell the
// project folder in front of a path.
var workspacePrefixes = []string{
	"${workspaceFolder}/", "${workspaceRoot}/", "${containerWorkspaceFolder}/", "${localWorkspaceFolder}/",
	"${workspaceFolder}\\", "${workspaceRoot}\\", "./", ".\\",
}

// trimWorkspace removes a leading project-folder prefix from a setting.
func trimWorkspace(v string) string {
	for changed := true; changed; {
		changed = false
		for _, p := range workspacePrefixes {
			if strings.HasPrefix(v, p) && len(v) > len(p) {
				v, changed = v[len(p):], true
			}
		}
	}
	return v
}

// settingVenvPath reads a setting's value as a path into a venv: its bin
// folder or a program in it (".venv/bin/python", "venv\Scripts\python.exe")
// or, with folderOnly, the venv folder itself (".venv"). It returns the venv
// folder as written after the project prefix and whether it is a bin path.
func settingVenvPath(ss *shellSession, v string, folderOnly bool) (dir string, bin, windows, ok bool) {
	v = trimWorkspace(strings.TrimSpace(v))
	if v == "" || strings.ContainsAny(v, " \t\n") {
		return "", false, false, false
	}
	if d, _, win, found := ss.venvBin(v); found {
		return d, true, win, true
	}
	if d, found := ss.venvBinDir(v); found {
		return d, true, strings.Contains(strings.ToLower(v), "scripts"), true
	}
	if folderOnly && isVenvFolderName(v) {
		return venvcmd.CleanDir(v), false, false, true
	}
	return "", false, false, false
}

// isVenvFolderName reports a relative folder whose name says it is a venv
// (".venv", "venv", ".venv-3.12", "virtualenv"). Bare "env" and ".env" are
// too often other things to count without a bin path after them.
func isVenvFolderName(v string) bool {
	v = strings.TrimRight(strings.ReplaceAll(v, "\\", "/"), "/")
	if v == "" || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "~") || strings.Contains(v, "$") || strings.HasPrefix(v, "../") {
		return false
	}
	base := strings.ToLower(v[strings.LastIndex(v, "/")+1:])
	return strings.Contains(base, "venv") || strings.Contains(base, "virtualenv")
}

// setting records a setting that names the venv: a bin path is a use of
// the venv's programs, a folder a reference to the venv.
func (ss *shellSession) setting(value, text string, line int, folderOnly bool) bool {
	dir, bin, windows, ok := settingVenvPath(ss, value, folderOnly)
	if !ok {
		return false
	}
	act := VenvConfig
	if bin {
		act = VenvBinUse
	}
	ss.venv(act, dir, windows, text, line)
	return true
}
