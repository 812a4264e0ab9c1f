// Package gitrepo reads and updates a local git repository just enough to
// commit a few files: it finds the repository, reads HEAD, trees and the
// index, and writes blobs, trees, commits, the index and refs the way git
// itself does (lock files, objects before the refs that name them).
//
// It links only go-git's format packages (index, config, loose objects,
// packs). go-git's repository and object model pull HTTP, SSH and OpenPGP
// code into the binary, and its storage package the remote URL patterns:
// all of it costs start-up time on every venv2flox run, git commands or not.
package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/config"
)

// ErrUnsupported is wrapped by errors about repository formats gitrepo
// cannot read or write correctly (sha256 objects, reftable refs).
var ErrUnsupported = errors.New("unsupported git repository format")

// Repo is a repository with a work tree.
type Repo struct {
	top       string // work tree top: the folder holding .git, symbolic links resolved
	gitDir    string // this work tree's git folder: HEAD, index
	commonDir string // objects, refs, config; the same as gitDir unless a linked work tree
	config    *config.Config
	objects   *objectStore
	trees     map[plumbing.Hash][]TreeEntry // parsed trees, by hash
	headRead  bool                          // headTree is known
	headTree  plumbing.Hash                 // HEAD's tree; zero on an unborn branch
}

// Open finds the repository holding dir, walking up from dir to the first
// folder with a .git folder or a .git file ("gitdir: PATH", as in linked
// work trees and submodules). It returns nil and no error when there is none.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	for d := abs; ; {
		gitDir, err := findGitDir(d)
		if err != nil {
			return nil, err
		}
		if gitDir != "" {
			return open(d, gitDir)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil, nil
		}
		d = parent
	}
}

// findGitDir returns the git folder of a work tree top candidate, or "" when
// top holds no usable .git. Like git, a .git folder without HEAD is skipped.
func findGitDir(top string) (string, error) {
	p := filepath.Join(top, ".git")
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission):
		return "", nil
	case err != nil:
		return "", err
	case fi.IsDir():
		if !exists(filepath.Join(p, "HEAD")) {
			return "", nil
		}
		return p, nil
	case fi.Mode().IsRegular():
		data, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		target, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
		if !ok {
			return "", fmt.Errorf("%s: not a gitdir file", p)
		}
		target = strings.TrimSpace(target)
		if !filepath.IsAbs(target) {
			target = filepath.Join(top, target)
		}
		if !exists(filepath.Join(target, "HEAD")) {
			return "", fmt.Errorf("%s: git folder %s is missing", p, target)
		}
		return target, nil
	}
	return "", nil
}

func open(top, gitDir string) (*Repo, error) {
	r := &Repo{top: top, gitDir: gitDir, commonDir: gitDir, trees: map[plumbing.Hash][]TreeEntry{}}
	if data, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		// A linked work tree: HEAD and index are its own, objects, refs
		// and config are shared with the main repository.
		common := strings.TrimSpace(string(data))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		r.commonDir = filepath.Clean(common)
	}
	cfg, err := readConfigFile(filepath.Join(r.commonDir, "config"))
	if err != nil {
		return nil, err
	}
	r.config = cfg
	if err := checkFormat(cfg); err != nil {
		return nil, err
	}
	r.objects = newObjectStore(filepath.Join(r.commonDir, "objects"))
	return r, nil
}

// Close releases the pack files read.
func (r *Repo) Close() error {
	r.objects.close()
	return nil
}

// checkFormat refuses repository formats whose objects or refs gitrepo would
// misread or corrupt.
func checkFormat(cfg *config.Config) error {
	if f, _ := configValue(cfg, "extensions", "objectformat"); f != "" && !strings.EqualFold(f, "sha1") {
		return fmt.Errorf("%w: objects use %s hashes, only sha1 is supported", ErrUnsupported, f)
	}
	if s, _ := configValue(cfg, "extensions", "refstorage"); s != "" && !strings.EqualFold(s, "files") {
		return fmt.Errorf("%w: refs are stored as %s, only loose and packed ref files are supported", ErrUnsupported, s)
	}
	return nil
}

// Top is the work tree's top folder, symbolic links resolved.
func (r *Repo) Top() string { return r.top }

// Rel makes a path relative to the work tree top, in git's slash form.
// Symbolic links in the path's folders are resolved first, so a path given
// through a linked folder still names the file git tracks.
func (r *Repo) Rel(p string) (string, error) {
	p, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		p = filepath.Join(d, filepath.Base(p))
	}
	rel, err := filepath.Rel(r.top, p)
	if err != nil {
		return "", err
	}
	if rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not a file inside the repository %s", p, r.top)
	}
	return filepath.ToSlash(rel), nil
}

// readObject returns the content of an object of type t, loose or packed.
func (r *Repo) readObject(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	return r.objects.get(t, h)
}

// writeObject stores an object unless the repository already has it.
func (r *Repo) writeObject(t plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	return r.objects.put(t, data)
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
