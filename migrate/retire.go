package migrate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// RetireVenvs renames the venv folders of migrated projects (NAME ->
// NAME.backup, or NAME.backup.N when that exists). Nothing is deleted. It
// returns the renames done as [old, new] pairs relative to root.
func RetireVenvs(root string, res *Result) ([][2]string, error) {
	var done [][2]string
	for _, p := range res.Projects {
		if p.Status != StatusMigrated && p.Status != StatusUnchanged {
			continue
		}
		for _, name := range venvFolders(root, p) {
			from := joinRel(p.Dir, name)
			to := from + ".backup"
			for n := 1; exists(filepath.Join(root, to)); n++ {
				to = fmt.Sprintf("%s.backup.%d", from, n)
			}
			if err := os.Rename(filepath.Join(root, from), filepath.Join(root, to)); err != nil {
				return done, err
			}
			done = append(done, [2]string{from, to})
		}
	}
	return done, nil
}

// venvFolders lists a project's own venv folders: direct children that hold
// a pyvenv.cfg. Symbolic links are never followed.
func venvFolders(root string, p *ProjectResult) []string {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(p.Dir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || strings.Contains(e.Name(), ".backup") {
			continue
		}
		if exists(filepath.Join(root, filepath.FromSlash(p.Dir), e.Name(), "pyvenv.cfg")) {
			out = append(out, e.Name())
		}
	}
	return out
}
