package gitrepo

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

func (r *Repo) indexPath() string { return filepath.Join(r.gitDir, "index") }

// Index reads the work tree's index; a missing index file is an empty one.
func (r *Repo) Index() (*index.Index, error) {
	data, err := os.ReadFile(r.indexPath())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return decodeIndex(data)
}

// decodeIndex decodes an index file's bytes (none: an empty index).
func decodeIndex(data []byte) (*index.Index, error) {
	idx := &index.Index{Version: 2}
	if len(data) == 0 {
		return idx, nil
	}
	// With index.skipHash (part of feature.manyFiles) git leaves the
	// trailing checksum zero; go-git's decoder insists on a real one.
	if n := len(data) - sha1.Size; n >= 12 && bytes.Equal(data[n:], make([]byte, sha1.Size)) {
		sum := sha1.Sum(data[:n])
		data = append(data[:n:n], sum[:]...)
	}
	if err := index.NewDecoder(bytes.NewReader(data)).Decode(idx); err != nil {
		if errors.Is(err, index.ErrUnknownExtension) {
			return nil, fmt.Errorf("reading the git index: %w (a split or sparse index is not supported)", err)
		}
		return nil, fmt.Errorf("reading the git index: %w", err)
	}
	return idx, nil
}

// IndexEntry finds path's entry in idx (sorted by name, as git writes it).
// unmerged reports conflict entries (stages 1-3) left by a merge.
func IndexEntry(idx *index.Index, path string) (e *index.Entry, unmerged bool) {
	i := sort.Search(len(idx.Entries), func(i int) bool { return idx.Entries[i].Name >= path })
	for ; i < len(idx.Entries) && idx.Entries[i].Name == path; i++ {
		if idx.Entries[i].Stage == 0 {
			return idx.Entries[i], false
		}
		unmerged = true
	}
	return nil, unmerged
}

// worktreeFile is a file read from the work tree and stored as a blob.
type worktreeFile struct {
	path string
	mode filemode.FileMode
	hash plumbing.Hash
	info os.FileInfo
}

// storeFile reads a work tree file and writes its blob. The mode follows
// git: 100755 when the owner may execute the file, else 100644; a symbolic
// link is stored as its target. With core.fileMode off the executable bit
// is not trusted and the index's mode is kept.
func (r *Repo) storeFile(path string, idx *index.Index) (worktreeFile, error) {
	full := filepath.Join(r.top, filepath.FromSlash(path))
	info, err := os.Lstat(full)
	if err != nil {
		return worktreeFile{}, err
	}
	var data []byte
	var mode filemode.FileMode
	switch {
	case info.Mode().IsRegular():
		if data, err = os.ReadFile(full); err != nil {
			return worktreeFile{}, err
		}
		data = r.BlobContent(data)
		mode = filemode.Regular
		if r.configBool("core", "filemode", true) {
			if info.Mode()&0o100 != 0 {
				mode = filemode.Executable
			}
		} else if e, _ := IndexEntry(idx, path); e != nil && e.Mode == filemode.Executable {
			mode = filemode.Executable
		}
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(full)
		if err != nil {
			return worktreeFile{}, err
		}
		data, mode = []byte(filepath.ToSlash(target)), filemode.Symlink
	default:
		return worktreeFile{}, fmt.Errorf("%s: not a file or symbolic link", path)
	}
	h, err := r.writeObject(plumbing.BlobObject, data)
	if err != nil {
		return worktreeFile{}, err
	}
	return worktreeFile{path: path, mode: mode, hash: h, info: info}, nil
}

// stage records files in the index as git add would, keeping entries
// sorted by name.
func stage(idx *index.Index, files []worktreeFile) {
	for _, f := range files {
		dropConflictingEntries(idx, f.path)
		i := sort.Search(len(idx.Entries), func(i int) bool { return idx.Entries[i].Name >= f.path })
		var e *index.Entry
		if i < len(idx.Entries) && idx.Entries[i].Name == f.path {
			e = idx.Entries[i]
		} else {
			e = &index.Entry{Name: f.path}
			idx.Entries = append(idx.Entries, nil)
			copy(idx.Entries[i+1:], idx.Entries[i:])
			idx.Entries[i] = e
		}
		e.Hash, e.Mode, e.Size = f.hash, f.mode, uint32(f.info.Size())
		e.ModifiedAt = f.info.ModTime()
		e.IntentToAdd = false
		fillStat(e, f.info)
	}
	// The cached-tree extension names trees of folders that just changed;
	// a stale one would make git write wrong trees later. go-git's encoder
	// writes no extensions, and git rebuilds the optional ones it needs.
	idx.Cache, idx.ResolveUndo, idx.EndOfIndexEntry = nil, nil, nil
	for _, e := range idx.Entries {
		if (e.IntentToAdd || e.SkipWorktree) && idx.Version < 3 {
			idx.Version = 3 // extended flags need version 3
		}
	}
}

// dropConflictingEntries removes entries that cannot live beside path: a
// file where one of its folders is, or files under path as a folder.
func dropConflictingEntries(idx *index.Index, path string) {
	keep := idx.Entries[:0]
	for _, e := range idx.Entries {
		if strings.HasPrefix(path, e.Name+"/") || strings.HasPrefix(e.Name, path+"/") {
			continue
		}
		keep = append(keep, e)
	}
	idx.Entries = keep
}

// encodeIndex encodes idx in its own version. go-git encodes versions 2, 3
// and 4 (with v4's prefix-compressed names), so an index git wrote with
// index.version=4 stays version 4.
func encodeIndex(idx *index.Index) ([]byte, error) {
	var b bytes.Buffer
	if err := index.NewEncoder(&b).Encode(idx); err != nil {
		return nil, fmt.Errorf("encoding the git index (version %d): %w", idx.Version, err)
	}
	return b.Bytes(), nil
}
