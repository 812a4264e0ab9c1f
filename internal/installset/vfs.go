package installset

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"mvdan.cc/sh/v3/interp"
)

// The recorder runs a project's shell code on a virtual file system, so
// that nothing it does reaches the disk: the project folder is read-only
// at projectRoot, and every file the code writes (redirections) lands in
// memory. Paths outside the project hold nothing but the folders the
// environment names and the programs of the Flox environment's bin.

// projectRoot is where the project appears to the code being recorded.
const projectRoot = "/project"

// vfs is the recorder's file system.
type vfs struct {
	project fs.FS
	// written are files written during the run, by absolute path.
	written map[string][]byte
	// dirs are folders that exist outside the project (HOME, FLOX_ENV, ...).
	dirs map[string]bool
	// binDirs hold an executable for any name (the Flox environment's bin).
	binDirs []string
}

func newVFS(project fs.FS, dirs ...string) *vfs {
	v := &vfs{project: project, written: map[string][]byte{}, dirs: map[string]bool{"/": true}}
	for _, d := range append(dirs, projectRoot, "/tmp", "/dev") {
		for ; d != "/" && d != "."; d = path.Dir(d) {
			v.dirs[d] = true
		}
	}
	return v
}

// projectPath returns the project-relative path of an absolute one.
func projectPath(abs string) (string, bool) {
	abs = path.Clean(abs)
	if abs == projectRoot {
		return ".", true
	}
	rel, ok := strings.CutPrefix(abs, projectRoot+"/")
	return rel, ok
}

func (v *vfs) stat(_ context.Context, name string, _ bool) (fs.FileInfo, error) {
	name = path.Clean(name)
	if data, ok := v.written[name]; ok {
		return fileInfo{name: path.Base(name), size: int64(len(data)), mode: 0o644}, nil
	}
	if v.dirs[name] || v.writtenDir(name) {
		return fileInfo{name: path.Base(name), mode: fs.ModeDir | 0o755}, nil
	}
	if name == "/dev/null" {
		return fileInfo{name: "null", mode: fs.ModeDevice | 0o666}, nil
	}
	for _, b := range v.binDirs {
		if path.Dir(name) == b {
			return fileInfo{name: path.Base(name), mode: 0o755}, nil
		}
	}
	if rel, ok := projectPath(name); ok && v.project != nil {
		info, err := fs.Stat(v.project, rel)
		if err == nil {
			return info, nil
		}
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

// writtenDir reports a folder holding a written file.
func (v *vfs) writtenDir(name string) bool {
	for f := range v.written {
		if strings.HasPrefix(f, name+"/") {
			return true
		}
	}
	return false
}

func (v *vfs) access(ctx context.Context, name string, _ interp.AccessMode) error {
	_, err := v.stat(ctx, name, true)
	return err
}

func (v *vfs) open(ctx context.Context, name string, flag int, _ os.FileMode) (io.ReadWriteCloser, error) {
	if !path.IsAbs(name) {
		// `source ./setup.sh` opens a path relative to the shell's folder,
		// as interp's DefaultOpenHandler resolves it.
		name = path.Join(interp.HandlerCtx(ctx).Dir, name)
	}
	name = path.Clean(name)
	if name == "/dev/null" {
		return nopFile{}, nil
	}
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_APPEND|os.O_TRUNC) != 0 {
		if _, exists := v.written[name]; exists && flag&os.O_EXCL != 0 {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrExist} // set -C (noclobber)
		}
		f := &memFile{v: v, name: name}
		if flag&os.O_APPEND != 0 {
			f.buf.Write(v.written[name])
		}
		return f, nil
	}
	if data, ok := v.written[name]; ok {
		return readOnly{bytes.NewReader(data)}, nil
	}
	if rel, ok := projectPath(name); ok && v.project != nil {
		if data, err := fs.ReadFile(v.project, rel); err == nil {
			return readOnly{bytes.NewReader(data)}, nil
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (v *vfs) readDir(_ context.Context, name string) ([]fs.DirEntry, error) {
	name = path.Clean(name)
	byName := map[string]fs.DirEntry{}
	if rel, ok := projectPath(name); ok && v.project != nil {
		entries, _ := fs.ReadDir(v.project, rel)
		for _, e := range entries {
			byName[e.Name()] = e
		}
	}
	for f, data := range v.written {
		if path.Dir(f) == name {
			byName[path.Base(f)] = fs.FileInfoToDirEntry(fileInfo{name: path.Base(f), size: int64(len(data)), mode: 0o644})
		}
	}
	out := make([]fs.DirEntry, 0, len(byName))
	for _, e := range byName {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// memFile collects what is written to a file and stores it on Close.
type memFile struct {
	v    *vfs
	name string
	buf  bytes.Buffer
}

func (f *memFile) Read([]byte) (int, error)    { return 0, io.EOF }
func (f *memFile) Write(p []byte) (int, error) { return f.buf.Write(p) }
func (f *memFile) Close() error                { f.v.written[f.name] = f.buf.Bytes(); return nil }
func (nopFile) Read([]byte) (int, error)       { return 0, io.EOF }
func (nopFile) Write(p []byte) (int, error)    { return len(p), nil }
func (nopFile) Close() error                   { return nil }
func (readOnly) Write(p []byte) (int, error)   { return 0, fs.ErrPermission }
func (readOnly) Close() error                  { return nil }
func (r readOnly) Read(p []byte) (int, error)  { return r.r.Read(p) }
func (fi fileInfo) Name() string               { return fi.name }
func (fi fileInfo) Size() int64                { return fi.size }
func (fi fileInfo) Mode() fs.FileMode          { return fi.mode }
func (fi fileInfo) ModTime() time.Time         { return time.Time{} }
func (fi fileInfo) IsDir() bool                { return fi.mode.IsDir() }
func (fi fileInfo) Sys() any                   { return nil }
func (fi fileInfo) String() string             { return fs.FormatFileInfo(fi) }
func (fi fileInfo) Info() (fs.FileInfo, error) { return fi, nil }
func (fi fileInfo) Type() fs.FileMode          { return fi.mode.Type() }

var (
	_ fs.DirEntry        = fileInfo{}
	_ io.ReadWriteCloser = readOnly{}
	_ io.ReadWriteCloser = nopFile{}
	_ io.ReadWriteCloser = &memFile{}
)

// nopFile is /dev/null.
type nopFile struct{}

// readOnly is a file opened for reading.
type readOnly struct{ r *bytes.Reader }

// fileInfo describes a virtual file or folder.
type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
}
