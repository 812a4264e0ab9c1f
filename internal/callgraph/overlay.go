package callgraph

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"time"
)

// overlay is fsys with some of the project's files replaced: the tree as
// it is after the changes.
type overlay struct {
	base    fs.FS
	dir     string
	changed map[string][]byte // by project-relative path
}

func (o overlay) Open(name string) (fs.File, error) {
	rel := name
	if o.dir != "." && o.dir != "" {
		r, ok := cutDir(name, o.dir)
		if !ok {
			return o.base.Open(name)
		}
		rel = r
	}
	if data, ok := o.changed[rel]; ok {
		return &memFile{name: path.Base(name), r: bytes.NewReader(data), size: int64(len(data))}, nil
	}
	return o.base.Open(name)
}

func cutDir(name, dir string) (string, bool) {
	if len(name) > len(dir) && name[:len(dir)] == dir && name[len(dir)] == '/' {
		return name[len(dir)+1:], true
	}
	return "", false
}

// memFile is a changed file's new content.
type memFile struct {
	name string
	r    *bytes.Reader
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f.name, f.size}, nil }
func (f *memFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *memFile) Close() error               { return nil }

var _ io.Reader = (*memFile)(nil)

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
