package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// ErrBranchExists is returned by CreateBranch for a name already taken.
var ErrBranchExists = errors.New("branch already exists")

// head is where HEAD points.
type head struct {
	branch plumbing.ReferenceName // the checked-out branch; "" when detached
	commit plumbing.Hash          // zero on an unborn branch (no commit yet)
}

func (r *Repo) readHead() (head, error) {
	target, h, found, err := r.readRef(plumbing.HEAD)
	if err != nil {
		return head{}, err
	}
	if !found {
		return head{}, errors.New("HEAD is missing")
	}
	if target == "" {
		return head{commit: h}, nil
	}
	h, err = r.refHash(target)
	if err != nil {
		return head{}, err
	}
	return head{branch: target, commit: h}, nil
}

// refHash is the commit a ref names, zero when the ref does not exist.
func (r *Repo) refHash(name plumbing.ReferenceName) (plumbing.Hash, error) {
	target, h, _, err := r.readRef(name)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if target != "" {
		return plumbing.ZeroHash, fmt.Errorf("%s is a symbolic ref to %s; only direct refs are supported", name, target)
	}
	return h, nil
}

// readRef reads a ref from its loose file, else from packed-refs. A
// symbolic ref ("ref: refs/heads/main") returns its target.
func (r *Repo) readRef(name plumbing.ReferenceName) (target plumbing.ReferenceName, h plumbing.Hash, found bool, err error) {
	data, err := os.ReadFile(r.refPath(name))
	switch {
	case err == nil:
		line := strings.TrimSpace(string(data))
		if t, ok := strings.CutPrefix(line, "ref:"); ok {
			return plumbing.ReferenceName(strings.TrimSpace(t)), plumbing.ZeroHash, true, nil
		}
		if !plumbing.IsHash(line) {
			return "", plumbing.ZeroHash, false, fmt.Errorf("%s: bad ref file %q", name, line)
		}
		return "", plumbing.NewHash(line), true, nil
	case errors.Is(err, fs.ErrNotExist) || isDir(r.refPath(name)):
		if name == plumbing.HEAD {
			return "", plumbing.ZeroHash, false, nil
		}
		h, found, err := r.packedRef(name)
		return "", h, found, err
	}
	return "", plumbing.ZeroHash, false, err
}

// packedRef looks a ref up in packed-refs: "HASH NAME" lines, after an
// optional "# pack-refs with:" header, each maybe followed by a "^PEELED"
// line for annotated tags.
func (r *Repo) packedRef(name plumbing.ReferenceName) (plumbing.Hash, bool, error) {
	data, err := os.ReadFile(filepath.Join(r.commonDir, "packed-refs"))
	if errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, false, nil
	}
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		hex, ref, ok := strings.Cut(strings.TrimRight(line, "\r"), " ")
		if ok && ref == string(name) && plumbing.IsHash(hex) {
			return plumbing.NewHash(hex), true, nil
		}
	}
	return plumbing.ZeroHash, false, nil
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// refPath is a ref's loose file: HEAD belongs to the work tree, every
// other ref to the repository shared by all work trees.
func (r *Repo) refPath(name plumbing.ReferenceName) string {
	if name == plumbing.HEAD {
		return filepath.Join(r.gitDir, "HEAD")
	}
	return filepath.Join(r.commonDir, filepath.FromSlash(string(name)))
}

func (r *Repo) logPath(name plumbing.ReferenceName) string {
	if name == plumbing.HEAD {
		return filepath.Join(r.gitDir, "logs", "HEAD")
	}
	return filepath.Join(r.commonDir, "logs", filepath.FromSlash(string(name)))
}

// updateRef moves a ref from old (zero: the ref must not exist yet) to
// new, under git's lock protocol, so a concurrent change by git or
// another program is refused instead of lost. The reflog records the move,
// and also in HEAD's reflog when logHEAD is set.
func (r *Repo) updateRef(name plumbing.ReferenceName, newHash, old plumbing.Hash, who Signature, msg string, logHEAD bool) error {
	lk, err := lock(r.refPath(name))
	if err != nil {
		return err
	}
	defer lk.rollback()
	cur, err := r.refHash(name)
	if err != nil {
		return err
	}
	if cur != old {
		if old.IsZero() {
			return fmt.Errorf("%s: %w", name.Short(), ErrBranchExists)
		}
		return fmt.Errorf("%s moved to %s while committing (expected %s); nothing was changed", name, cur, old)
	}
	if _, err := lk.f.WriteString(newHash.String() + "\n"); err != nil {
		return err
	}
	if err := r.appendReflog(name, old, newHash, who, msg); err != nil {
		return err
	}
	if logHEAD {
		if err := r.appendReflog(plumbing.HEAD, old, newHash, who, msg); err != nil {
			return err
		}
	}
	return lk.commit()
}

// appendReflog adds a line to a ref's log, which lets `git reflog` show and
// undo the move. Like git with core.logAllRefUpdates (on by default in
// repositories with a work tree), the log is created when missing.
func (r *Repo) appendReflog(name plumbing.ReferenceName, old, newHash plumbing.Hash, who Signature, msg string) error {
	p := r.logPath(name)
	if !r.configBool("core", "logallrefupdates", true) && !exists(p) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	msg = strings.Join(strings.Fields(msg), " ")
	_, err = fmt.Fprintf(f, "%s %s %s\t%s\n", old, newHash, who, msg)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// CreateBranch creates branch name at HEAD's commit and checks it out
// symbolically: HEAD names the branch, the index and work tree stay as
// they are. On an unborn branch only HEAD changes, as in git checkout -b.
func (r *Repo) CreateBranch(name string, who Signature) error {
	if err := checkBranchName(name); err != nil {
		return err
	}
	h, err := r.readHead()
	if err != nil {
		return err
	}
	ref := plumbing.NewBranchReferenceName(name)
	cur, err := r.refHash(ref)
	if err != nil {
		return err
	}
	if !cur.IsZero() || ref == h.branch {
		return fmt.Errorf("%s: %w", name, ErrBranchExists)
	}
	if !h.commit.IsZero() {
		if err := r.updateRef(ref, h.commit, plumbing.ZeroHash, who, "branch: Created from HEAD", false); err != nil {
			return err
		}
	}
	lk, err := lock(r.refPath(plumbing.HEAD))
	if err != nil {
		return err
	}
	defer lk.rollback()
	if _, err := lk.f.WriteString("ref: " + ref.String() + "\n"); err != nil {
		return err
	}
	if !h.commit.IsZero() {
		from := h.branch.Short()
		if h.branch == "" {
			from = h.commit.String()
		}
		if err := r.appendReflog(plumbing.HEAD, h.commit, h.commit, who, "checkout: moving from "+from+" to "+name); err != nil {
			return err
		}
	}
	r.headRead = false
	return lk.commit()
}

// checkBranchName applies git check-ref-format's rules to a branch name.
func checkBranchName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%q is not a valid branch name: %s", name, why) }
	switch {
	case name == "" || name == "HEAD" || name == "@":
		return bad("reserved or empty")
	case strings.HasPrefix(name, "-"):
		return bad("starts with -")
	case strings.HasSuffix(name, "/") || strings.HasSuffix(name, "."):
		return bad("ends with / or .")
	case strings.Contains(name, "..") || strings.Contains(name, "@{") || strings.Contains(name, "//"):
		return bad(`holds "..", "@{" or "//"`)
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f || strings.ContainsRune(" ~^:?*[\\", r) }):
		return bad(`holds a space, a control character or one of ~^:?*[\`)
	}
	for _, part := range strings.Split(name, "/") {
		if part == "" || strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return bad("a component is empty, starts with . or ends with .lock")
		}
	}
	return nil
}
