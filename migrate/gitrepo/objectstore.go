package gitrepo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/objfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// objectStore reads loose and packed objects from a repository's objects
// folder and its alternates, and writes loose objects.
//
// It stands in for go-git's storage/filesystem, whose remote-configuration
// package compiles URL patterns at start-up of every venv2flox run.
type objectStore struct {
	dirs  []string // objects folders: the repository's own first, then alternates
	packs []*pack  // nil until first needed
	read  bool     // packs were listed
}

type pack struct {
	path string // the .pack file
	idx  *idxfile.MemoryIndex
	file *os.File
	pf   *packfile.Packfile // opened on first use
}

// packFile gives an *os.File the locking methods go-billy's File has;
// packs are only read.
type packFile struct{ *os.File }

func (packFile) Lock() error   { return nil }
func (packFile) Unlock() error { return nil }

func newObjectStore(objectsDir string) *objectStore {
	s := &objectStore{dirs: []string{objectsDir}}
	s.addAlternates(objectsDir, 0)
	return s
}

// addAlternates follows objects/info/alternates (git clone --shared or
// --reference): one objects folder a line, relative ones to this one.
func (s *objectStore) addAlternates(dir string, depth int) {
	data, err := os.ReadFile(filepath.Join(dir, "info", "alternates"))
	if err != nil || depth > 5 { // git stops at 5 levels too
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(dir, line)
		}
		s.dirs = append(s.dirs, filepath.Clean(line))
		s.addAlternates(line, depth+1)
	}
}

func (s *objectStore) loosePath(dir string, h plumbing.Hash) string {
	hex := h.String()
	return filepath.Join(dir, hex[:2], hex[2:])
}

// get returns the content of object h, which must have type t.
func (s *objectStore) get(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	for _, dir := range s.dirs {
		f, err := os.Open(s.loosePath(dir, h))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readLoose(f, t, h)
	}
	p, err := s.packOf(h)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, fmt.Errorf("%s %s: %w", t, h, plumbing.ErrObjectNotFound)
	}
	if p.pf == nil {
		f, err := os.Open(p.path)
		if err != nil {
			return nil, err
		}
		p.file = f
		p.pf = packfile.NewPackfile(p.idx, nil, packFile{f}, 0)
	}
	obj, err := p.pf.Get(h)
	if err != nil {
		return nil, fmt.Errorf("%s %s in %s: %w", t, h, filepath.Base(p.path), err)
	}
	if obj.Type() != t {
		return nil, fmt.Errorf("object %s is a %s, not a %s", h, obj.Type(), t)
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

func readLoose(f io.Reader, t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	rd, err := objfile.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("loose object %s: %w", h, err)
	}
	defer rd.Close()
	typ, size, err := rd.Header()
	if err != nil {
		return nil, fmt.Errorf("loose object %s: %w", h, err)
	}
	if typ != t {
		return nil, fmt.Errorf("object %s is a %s, not a %s", h, typ, t)
	}
	data, err := io.ReadAll(io.LimitReader(rd, size))
	if err != nil {
		return nil, fmt.Errorf("loose object %s: %w", h, err)
	}
	if int64(len(data)) != size {
		return nil, fmt.Errorf("loose object %s: cut short", h)
	}
	return data, nil
}

// packOf returns the pack holding h, or nil.
func (s *objectStore) packOf(h plumbing.Hash) (*pack, error) {
	if !s.read {
		s.read = true
		if err := s.listPacks(); err != nil {
			return nil, err
		}
	}
	for _, p := range s.packs {
		if ok, _ := p.idx.Contains(h); ok {
			return p, nil
		}
	}
	return nil, nil
}

func (s *objectStore) listPacks() error {
	for _, dir := range s.dirs {
		names, err := filepath.Glob(filepath.Join(dir, "pack", "pack-*.idx"))
		if err != nil {
			return err
		}
		for _, name := range names {
			packPath := strings.TrimSuffix(name, ".idx") + ".pack"
			if !exists(packPath) {
				continue // a pack being written or removed
			}
			data, err := os.ReadFile(name)
			if err != nil {
				return err
			}
			idx := idxfile.NewMemoryIndex()
			if err := idxfile.NewDecoder(bytes.NewReader(data)).Decode(idx); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			s.packs = append(s.packs, &pack{path: packPath, idx: idx})
		}
	}
	return nil
}

func (s *objectStore) has(h plumbing.Hash) (bool, error) {
	for _, dir := range s.dirs {
		if exists(s.loosePath(dir, h)) {
			return true, nil
		}
	}
	p, err := s.packOf(h)
	return p != nil, err
}

// put stores an object as a loose object unless the repository has it.
// It is written to a temporary file and renamed into place, so a reader
// never sees half an object.
func (s *objectStore) put(t plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	h := plumbing.ComputeHash(t, data)
	if ok, err := s.has(h); ok || err != nil {
		return h, err
	}
	dest := s.loosePath(s.dirs[0], h)
	if err := os.MkdirAll(filepath.Dir(dest), 0o777); err != nil {
		return h, err
	}
	f, err := os.CreateTemp(s.dirs[0], "tmp_obj_")
	if err != nil {
		return h, err
	}
	fail := func(err error) (plumbing.Hash, error) {
		f.Close()
		os.Remove(f.Name())
		return h, fmt.Errorf("writing %s %s: %w", t, h, err)
	}
	w := objfile.NewWriter(f)
	if err := w.WriteHeader(t, int64(len(data))); err != nil {
		return fail(err)
	}
	if _, err := w.Write(data); err != nil {
		return fail(err)
	}
	if err := w.Close(); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o444); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(f.Name(), dest); err != nil {
		os.Remove(f.Name())
		return h, err
	}
	return h, nil
}

func (s *objectStore) close() {
	for _, p := range s.packs {
		if p.file != nil {
			p.file.Close()
		}
	}
}
