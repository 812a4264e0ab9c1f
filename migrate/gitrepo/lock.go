package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// lockFile is git's lock protocol: changes go to PATH.lock, created
// exclusively, and replace PATH by a rename.
type lockFile struct {
	path string
	f    *os.File
	done bool
}

func lock(path string) (*lockFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path+".lock", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s.lock exists: another git process seems to be running in this repository (remove the file if not)", path)
	}
	if err != nil {
		return nil, err
	}
	return &lockFile{path: path, f: f}, nil
}

// commit replaces the locked file with what was written.
func (l *lockFile) commit() error {
	l.done = true
	if err := l.f.Close(); err != nil {
		os.Remove(l.path + ".lock")
		return err
	}
	if err := os.Rename(l.path+".lock", l.path); err != nil {
		os.Remove(l.path + ".lock")
		return err
	}
	return nil
}

// rollback drops the lock and what was written, unless committed.
func (l *lockFile) rollback() {
	if l.done {
		return
	}
	l.done = true
	l.f.Close()
	os.Remove(l.path + ".lock")
}
