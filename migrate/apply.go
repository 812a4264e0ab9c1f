package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/venv2flox/venv2flox/rewrite"
)

// WriteError reports a failed Apply: which files hold their new content and
// which still hold the old one. Every file is one or the other, never a mix.
type WriteError struct {
	Err       error
	Written   []string
	Unwritten []string
}

func (e *WriteError) Error() string {
	msg := e.Err.Error()
	if len(e.Written) > 0 {
		msg += fmt.Sprintf("; already written: %s", strings.Join(e.Written, ", "))
	}
	if len(e.Unwritten) > 0 {
		msg += fmt.Sprintf("; left unchanged: %s", strings.Join(e.Unwritten, ", "))
	}
	return msg
}

func (e *WriteError) Unwrap() error { return e.Err }

// Apply writes changes under root (a directory on disk). Each file is
// written to a temporary file in its own folder and renamed over the old
// one, keeping its mode. All temporary files are written before the first
// rename, so a full disk or a permission problem leaves every file as it
// was; a file that changed since it was read is refused. Paths that leave
// root or pass through a symbolic link are refused.
func Apply(root string, changes []rewrite.FileChange) error {
	type staged struct {
		change rewrite.FileChange
		target string
		temp   string
	}
	var todo []staged
	var made []string // folders Apply created, parents first
	cleanup := func() {
		for _, s := range todo {
			os.Remove(s.temp)
		}
		// An empty .flox/ left behind would read as an existing
		// environment next time; os.Remove keeps folders that are not empty.
		for i := len(made) - 1; i >= 0; i-- {
			os.Remove(made[i])
		}
	}
	for _, c := range changes {
		if !c.Changed() {
			continue
		}
		target, err := safeTarget(root, c.Path, &made)
		if err != nil {
			cleanup()
			return &WriteError{Err: err, Unwritten: changedPaths(changes)}
		}
		if err := checkUnchanged(target, c); err != nil {
			cleanup()
			return &WriteError{Err: err, Unwritten: changedPaths(changes)}
		}
		temp, err := writeTemp(target, c)
		if err != nil {
			cleanup()
			return &WriteError{Err: err, Unwritten: changedPaths(changes)}
		}
		todo = append(todo, staged{c, target, temp})
	}
	for i, s := range todo {
		if err := os.Rename(s.temp, s.target); err != nil {
			cleanup()
			werr := &WriteError{Err: fmt.Errorf("%s: %w", s.change.Path, err)}
			for _, d := range todo[:i] {
				werr.Written = append(werr.Written, d.change.Path)
			}
			for _, d := range todo[i:] {
				werr.Unwritten = append(werr.Unwritten, d.change.Path)
			}
			return werr
		}
	}
	return nil
}

func changedPaths(changes []rewrite.FileChange) []string {
	var out []string
	for _, c := range changes {
		if c.Changed() {
			out = append(out, c.Path)
		}
	}
	return out
}

// safeTarget resolves a slash path under root, refusing paths that leave
// root and folders that are symbolic links (which could point anywhere).
// Missing folders are created and appended to made.
func safeTarget(root, rel string, made *[]string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(rel))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: path leaves the project root", rel)
	}
	dir := root
	parts := strings.Split(filepath.Dir(clean), string(filepath.Separator))
	for _, p := range parts {
		if p == "." {
			continue
		}
		dir = filepath.Join(dir, p)
		info, err := os.Lstat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(dir, 0o755); err != nil {
				return "", fmt.Errorf("%s: %w", rel, err)
			}
			*made = append(*made, dir)
		case err != nil:
			return "", fmt.Errorf("%s: %w", rel, err)
		case info.Mode()&fs.ModeSymlink != 0:
			return "", fmt.Errorf("%s: %s is a symbolic link; not written through", rel, p)
		case !info.IsDir():
			return "", fmt.Errorf("%s: %s is not a folder", rel, p)
		}
	}
	return filepath.Join(root, clean), nil
}

// checkUnchanged refuses to overwrite a file whose content is no longer what
// the plan was made from, and to replace a symbolic link.
func checkUnchanged(target string, c rewrite.FileChange) error {
	info, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		if c.Created {
			return nil
		}
		return fmt.Errorf("%s: was removed since it was read", c.Path)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", c.Path, err)
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file; not written", c.Path)
	}
	if c.Created {
		return fmt.Errorf("%s: appeared since the plan was made; not overwritten", c.Path)
	}
	cur, err := os.ReadFile(target)
	if err != nil {
		return fmt.Errorf("%s: %w", c.Path, err)
	}
	if !bytes.Equal(cur, c.Old) {
		return fmt.Errorf("%s: changed since it was read; not overwritten", c.Path)
	}
	return nil
}

// writeTemp writes the new content beside target and returns the temporary
// file's name.
func writeTemp(target string, c rewrite.FileChange) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".venv2flox-*")
	if err != nil {
		return "", fmt.Errorf("%s: %w", c.Path, err)
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", fmt.Errorf("%s: %w", c.Path, err)
	}
	if _, err := f.Write(c.New); err != nil {
		return fail(err)
	}
	mode := c.Mode.Perm()
	if mode == 0 {
		mode = 0o644
	}
	if err := f.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("%s: %w", c.Path, err)
	}
	return name, nil
}
