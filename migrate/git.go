package migrate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/venv2flox/venv2flox/migrate/gitrepo"
	"github.com/venv2flox/venv2flox/rewrite"
)

// DirtyError lists files the migration would touch that hold uncommitted
// work.
type DirtyError struct{ Paths []string }

func (e *DirtyError) Error() string {
	return fmt.Sprintf("uncommitted changes in files the migration rewrites: %s (commit or stash them, or use --allow-dirty)", strings.Join(e.Paths, ", "))
}

// CheckClean refuses changes to files that differ from what git has
// committed: modified (the content read differs from the index), staged
// (the index differs from HEAD) or untracked. Only the files the migration
// rewrites are checked, so it stays fast on huge repositories; created files
// are not. Outside a git repository there is nothing to compare and it
// passes.
func CheckClean(root string, changes []rewrite.FileChange) error {
	var rewritten []rewrite.FileChange
	for _, c := range changes {
		if c.Changed() && !c.Created {
			rewritten = append(rewritten, c)
		}
	}
	if len(rewritten) == 0 {
		return nil
	}
	repo, err := gitrepo.Open(root)
	if err != nil || repo == nil {
		return err
	}
	defer repo.Close()
	idx, err := repo.Index()
	if err != nil {
		return err
	}
	var dirty []string
	for _, c := range rewritten {
		rel, err := repo.Rel(filepath.Join(root, filepath.FromSlash(c.Path)))
		if err != nil {
			return err
		}
		entry, unmerged := gitrepo.IndexEntry(idx, rel)
		switch {
		case unmerged:
			dirty = append(dirty, c.Path+" (unmerged)")
			continue
		case entry == nil:
			dirty = append(dirty, c.Path+" (untracked)")
			continue
		case repo.BlobHash(c.Old) != entry.Hash:
			dirty = append(dirty, c.Path+" (modified)")
			continue
		}
		committed, found, err := repo.HeadFile(rel)
		if err != nil {
			return err
		}
		if !found || committed.Hash != entry.Hash {
			dirty = append(dirty, c.Path+" (staged)")
		}
	}
	if len(dirty) > 0 {
		return &DirtyError{Paths: dirty}
	}
	return nil
}

// CommitOptions configure Commit.
type CommitOptions struct {
	Branch     string // new branch to commit on; "" = the current branch
	Message    string // "" = a generated message
	Author     string // "Name <email>"; "" = git config user, else venv2flox
	PerProject bool   // one commit per project instead of one in all
}

// Commit commits the files the migration wrote: one commit, or one per
// project. Each commit holds HEAD's files plus the migration's, never other
// changes the user had staged. Nothing is committed when nothing changed.
// It returns the new commits' hashes.
func Commit(root string, res *Result, opts CommitOptions) ([]string, error) {
	repo, err := gitrepo.Open(root)
	if err != nil {
		return nil, err
	}
	if repo == nil {
		return nil, errors.New("--commit: not inside a git repository")
	}
	defer repo.Close()
	groups := commitGroups(res, opts.PerProject)
	if len(groups) == 0 {
		return nil, nil
	}
	sig, err := signature(repo, opts.Author)
	if err != nil {
		return nil, err
	}
	if opts.Branch != "" {
		err := repo.CreateBranch(opts.Branch, sig)
		if errors.Is(err, gitrepo.ErrBranchExists) {
			return nil, fmt.Errorf("--branch: branch %q already exists", opts.Branch)
		}
		if err != nil {
			return nil, fmt.Errorf("--branch %s: %w", opts.Branch, err)
		}
	}
	var hashes []string
	for _, g := range groups {
		rels := make([]string, 0, len(g.paths))
		for _, p := range g.paths {
			rel, err := repo.Rel(filepath.Join(root, filepath.FromSlash(p)))
			if err != nil {
				return hashes, err
			}
			rels = append(rels, rel)
		}
		msg := opts.Message
		if msg == "" {
			msg = g.message
		}
		h, err := repo.Commit(rels, msg, sig)
		if errors.Is(err, gitrepo.ErrNothingToCommit) {
			continue
		}
		if err != nil {
			return hashes, fmt.Errorf("--commit: %w", err)
		}
		hashes = append(hashes, h.String())
	}
	return hashes, nil
}

type commitGroup struct {
	paths   []string
	message string
}

func commitGroups(res *Result, perProject bool) []commitGroup {
	var groups []commitGroup
	var all commitGroup
	var dirs []string
	for _, p := range res.Projects {
		var paths []string
		for _, c := range sortedChanges(p.Changes) {
			if !c.Backup {
				paths = append(paths, c.Path)
			}
		}
		if len(paths) == 0 {
			continue
		}
		dirs = append(dirs, p.Dir)
		if perProject {
			groups = append(groups, commitGroup{paths, projectMessage(p)})
		}
		all.paths = append(all.paths, paths...)
	}
	if perProject || len(all.paths) == 0 {
		return groups
	}
	sort.Strings(all.paths)
	if len(dirs) == 1 {
		all.message = projectMessage(res.Projects[indexOfDir(res, dirs[0])])
	} else {
		all.message = fmt.Sprintf("Migrate %d Python projects to Flox\n\nCreated by venv2flox for: %s.\n", len(dirs), strings.Join(dirs, ", "))
	}
	return []commitGroup{all}
}

func indexOfDir(res *Result, dir string) int {
	for i, p := range res.Projects {
		if p.Dir == dir {
			return i
		}
	}
	return 0
}

func projectMessage(p *ProjectResult) string {
	subject := "Migrate to a Flox environment"
	if p.Dir != "." {
		subject = "Migrate " + p.Dir + " to a Flox environment"
	}
	body := "Created by venv2flox: .flox/ holds the environment; scripts, Makefiles,\nREADMEs and CI now use 'flox activate'."
	if p.Plan != nil {
		body += fmt.Sprintf("\n\nPython %s, package manager %s.", p.Plan.Interpreter.Minor, p.Plan.Manager)
	}
	return subject + "\n\n" + body + "\n"
}

// signature builds the commit author from "Name <email>", else git
// config's user.name and user.email, else a venv2flox identity.
func signature(repo *gitrepo.Repo, author string) (gitrepo.Signature, error) {
	now := time.Now()
	if author != "" {
		name, rest, ok := strings.Cut(author, "<")
		email, _, ok2 := strings.Cut(rest, ">")
		if !ok || !ok2 || strings.TrimSpace(name) == "" {
			return gitrepo.Signature{}, fmt.Errorf("--author must look like \"Name <email>\", not %q", author)
		}
		return gitrepo.Signature{Name: strings.TrimSpace(name), Email: strings.TrimSpace(email), When: now}, nil
	}
	if name, email := repo.User(); name != "" && email != "" {
		return gitrepo.Signature{Name: name, Email: email, When: now}, nil
	}
	return gitrepo.Signature{Name: "venv2flox", Email: "venv2flox@localhost", When: now}, nil
}

// RetireVenvs renames the venv folders of migrated projects (NAME ->
// NAME.backup, or NAME.backup.N when that exists). Nothing is deleted. It
// returns the renames done as [old, new] pairs relative to root.
func RetireVenvs(root string, res *Result) ([][2]string, error) {
	var done [][2]string
	for _, p := range res.Projects {
		if p.Status != StatusMigrated && p.Status != StatusUnchanged {
			continue
		}
		for _, name := range venvFolders(root, p) {
			from := joinRel(p.Dir, name)
			to := from + ".backup"
			for n := 1; exists(filepath.Join(root, to)); n++ {
				to = fmt.Sprintf("%s.backup.%d", from, n)
			}
			if err := os.Rename(filepath.Join(root, from), filepath.Join(root, to)); err != nil {
				return done, err
			}
			done = append(done, [2]string{from, to})
		}
	}
	return done, nil
}

// venvFolders lists a project's own venv folders: direct children that hold
// a pyvenv.cfg. Symbolic links are never followed.
func venvFolders(root string, p *ProjectResult) []string {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(p.Dir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || strings.Contains(e.Name(), ".backup") {
			continue
		}
		if exists(filepath.Join(root, filepath.FromSlash(p.Dir), e.Name(), "pyvenv.cfg")) {
			out = append(out, e.Name())
		}
	}
	return out
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
