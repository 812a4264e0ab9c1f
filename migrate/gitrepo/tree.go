package gitrepo

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// TreeEntry is one entry of a git tree object.
type TreeEntry struct {
	Mode filemode.FileMode
	Name string
	Hash plumbing.Hash
}

// ParseTree decodes a tree object: entries "<octal mode> <name>\0<raw
// hash>", one after another.
func ParseTree(data []byte) ([]TreeEntry, error) {
	var entries []TreeEntry
	for off := 0; off < len(data); {
		sp := bytes.IndexByte(data[off:], ' ')
		if sp <= 0 || sp > 7 {
			return nil, fmt.Errorf("tree entry at byte %d: no mode", off)
		}
		mode, err := strconv.ParseUint(string(data[off:off+sp]), 8, 32)
		if err != nil {
			return nil, fmt.Errorf("tree entry at byte %d: mode %q: %w", off, data[off:off+sp], err)
		}
		nameStart := off + sp + 1
		nul := bytes.IndexByte(data[nameStart:], 0)
		if nul < 0 {
			return nil, fmt.Errorf("tree entry at byte %d: name not terminated", off)
		}
		name := string(data[nameStart : nameStart+nul])
		if !validEntryName(name) {
			return nil, fmt.Errorf("tree entry at byte %d: bad name %q", off, name)
		}
		hashStart := nameStart + nul + 1
		if len(data)-hashStart < len(plumbing.ZeroHash) {
			return nil, fmt.Errorf("tree entry %q: hash cut short", name)
		}
		var h plumbing.Hash
		copy(h[:], data[hashStart:])
		entries = append(entries, TreeEntry{Mode: filemode.FileMode(mode), Name: name, Hash: h})
		off = hashStart + len(h)
	}
	return entries, nil
}

func validEntryName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00")
}

// EncodeTree encodes entries as a tree object, sorted the way git requires.
func EncodeTree(entries []TreeEntry) []byte {
	sorted := append([]TreeEntry(nil), entries...)
	sort.SliceStable(sorted, func(i, j int) bool { return treeEntryLess(sorted[i], sorted[j]) })
	var b bytes.Buffer
	for _, e := range sorted {
		// git writes modes without leading zeros: "40000", "100644".
		b.WriteString(strconv.FormatUint(uint64(e.Mode), 8))
		b.WriteByte(' ')
		b.WriteString(e.Name)
		b.WriteByte(0)
		b.Write(e.Hash[:])
	}
	return b.Bytes()
}

// treeEntryLess is git's tree order: names compare bytewise, a folder as if
// its name ended in "/" (so "a.txt" sorts before folder "a" and "a-b" before
// folder "a").
func treeEntryLess(a, b TreeEntry) bool {
	return sortName(a) < sortName(b)
}

func sortName(e TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// tree returns a parsed tree object, cached: one lookup per path walks the
// same top trees again and again.
func (r *Repo) tree(h plumbing.Hash) ([]TreeEntry, error) {
	if entries, ok := r.trees[h]; ok {
		return entries, nil
	}
	data, err := r.readObject(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	entries, err := ParseTree(data)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", h, err)
	}
	r.trees[h] = entries
	return entries, nil
}

// lookup finds the entry at a slash path under tree root.
func (r *Repo) lookup(root plumbing.Hash, path string) (TreeEntry, bool, error) {
	h := root
	parts := strings.Split(path, "/")
	for i, part := range parts {
		entries, err := r.tree(h)
		if err != nil {
			return TreeEntry{}, false, err
		}
		e, ok := findEntry(entries, part)
		if !ok {
			return TreeEntry{}, false, nil
		}
		if i == len(parts)-1 {
			return e, true, nil
		}
		if e.Mode != filemode.Dir {
			return TreeEntry{}, false, nil
		}
		h = e.Hash
	}
	return TreeEntry{}, false, nil
}

func findEntry(entries []TreeEntry, name string) (TreeEntry, bool) {
	for _, e := range entries {
		if e.Name == name {
			return e, true
		}
	}
	return TreeEntry{}, false
}

// treeEdit is the set of files to put into one folder's tree, and the
// edits of its sub-folders.
type treeEdit struct {
	files map[string]TreeEntry
	dirs  map[string]*treeEdit
}

func newTreeEdit() *treeEdit {
	return &treeEdit{files: map[string]TreeEntry{}, dirs: map[string]*treeEdit{}}
}

// add records a file at a slash path.
func (t *treeEdit) add(path string, mode filemode.FileMode, h plumbing.Hash) error {
	dir, name, nested := strings.Cut(path, "/")
	if !nested {
		if !validEntryName(dir) {
			return fmt.Errorf("bad path element %q", dir)
		}
		if _, ok := t.dirs[dir]; ok {
			return fmt.Errorf("%s is both a file and a folder", dir)
		}
		t.files[dir] = TreeEntry{Mode: mode, Name: dir, Hash: h}
		return nil
	}
	if !validEntryName(dir) {
		return fmt.Errorf("bad path element %q", dir)
	}
	if _, ok := t.files[dir]; ok {
		return fmt.Errorf("%s is both a file and a folder", dir)
	}
	sub := t.dirs[dir]
	if sub == nil {
		sub = newTreeEdit()
		t.dirs[dir] = sub
	}
	return sub.add(name, mode, h)
}

// writeTree writes the tree that is old (zero: an empty tree) with edit
// applied, re-encoding only the folders the edit touches, and returns its
// hash. Entries of other types under an edited name are replaced (a file
// where a folder was, or the reverse).
func (r *Repo) writeTree(old plumbing.Hash, edit *treeEdit) (plumbing.Hash, error) {
	var entries []TreeEntry
	if !old.IsZero() {
		parsed, err := r.tree(old)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = append(entries, parsed...)
	}
	pos := make(map[string]int, len(entries))
	for i, e := range entries {
		pos[e.Name] = i
	}
	put := func(e TreeEntry) {
		if i, ok := pos[e.Name]; ok {
			entries[i] = e
			return
		}
		pos[e.Name] = len(entries)
		entries = append(entries, e)
	}
	for _, e := range edit.files {
		put(e)
	}
	for name, sub := range edit.dirs {
		var subOld plumbing.Hash
		if i, ok := pos[name]; ok && entries[i].Mode == filemode.Dir {
			subOld = entries[i].Hash
		}
		h, err := r.writeTree(subOld, sub)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		put(TreeEntry{Mode: filemode.Dir, Name: name, Hash: h})
	}
	data := EncodeTree(entries)
	h, err := r.writeObject(plumbing.TreeObject, data)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return h, nil
}
