package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/go-git/go-git/v5/plumbing"
)

// ErrNothingToCommit is returned by Commit when the files already hold
// what HEAD has.
var ErrNothingToCommit = errors.New("nothing to commit")

// HeadFile returns the entry HEAD's tree has at a slash path relative to the
// work tree top; found is false when HEAD lacks it or has no commit yet.
func (r *Repo) HeadFile(path string) (e TreeEntry, found bool, err error) {
	if !r.headRead {
		h, err := r.readHead()
		if err != nil {
			return TreeEntry{}, false, err
		}
		r.headTree = plumbing.ZeroHash
		if !h.commit.IsZero() {
			if r.headTree, err = r.commitTree(h.commit); err != nil {
				return TreeEntry{}, false, err
			}
		}
		r.headRead = true
	}
	if r.headTree.IsZero() {
		return TreeEntry{}, false, nil
	}
	return r.lookup(r.headTree, path)
}

func (r *Repo) commitTree(commit plumbing.Hash) (plumbing.Hash, error) {
	data, err := r.readObject(plumbing.CommitObject, commit)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	tree, err := commitTree(data)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("commit %s: %w", commit, err)
	}
	return tree, nil
}

// Commit commits the work tree's content of paths (slash paths relative to
// the top) on the checked-out branch, or on HEAD when detached, and stages
// them in the index. who is both author and committer.
//
// The commit holds HEAD's tree with exactly these paths put in. Other
// changes the user had staged stay staged and out of the commit, unlike
// `git add PATHS; git commit`, which would sweep them in.
//
// Objects are written first, then the index, then the ref, so an
// interruption never leaves a ref naming a missing object. The work tree
// content is stored as is: clean filters and end-of-line conversion from
// .gitattributes or core.autocrlf are not applied.
func (r *Repo) Commit(paths []string, message string, who Signature) (plumbing.Hash, error) {
	lk, err := lock(r.indexPath())
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer lk.rollback()
	data, err := os.ReadFile(r.indexPath())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, err
	}
	idx, err := decodeIndex(data)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	for _, e := range idx.Entries {
		if e.Stage != 0 {
			return plumbing.ZeroHash, fmt.Errorf("%s has unresolved merge conflicts; resolve them first", e.Name)
		}
	}
	h, err := r.readHead()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	var parents []plumbing.Hash
	var base plumbing.Hash
	if !h.commit.IsZero() {
		parents = []plumbing.Hash{h.commit}
		if base, err = r.commitTree(h.commit); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	edit := newTreeEdit()
	var files []worktreeFile
	for _, p := range paths {
		f, err := r.storeFile(p, idx)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if err := edit.add(p, f.mode, f.hash); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("%s: %w", p, err)
		}
		files = append(files, f)
	}
	tree, err := r.writeTree(base, edit)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	stage(idx, files)
	encoded, err := encodeIndex(idx)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := lk.f.Write(encoded); err != nil {
		return plumbing.ZeroHash, err
	}
	if tree == base && !base.IsZero() {
		// The index still gets the fresh stat data.
		if err := lk.commit(); err != nil {
			return plumbing.ZeroHash, err
		}
		return plumbing.ZeroHash, ErrNothingToCommit
	}
	commit, err := r.writeObject(plumbing.CommitObject, encodeCommit(tree, parents, who, who, message))
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := lk.commit(); err != nil {
		return plumbing.ZeroHash, err
	}
	reflog := "commit: " + subject(message)
	if len(parents) == 0 {
		reflog = "commit (initial): " + subject(message)
	}
	r.headRead = false
	if h.branch != "" {
		err = r.updateRef(h.branch, commit, h.commit, who, reflog, true)
	} else {
		err = r.updateRef(plumbing.HEAD, commit, h.commit, who, reflog, false)
	}
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return commit, nil
}
