package migrate

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// CommitOptions configure Commit.
type CommitOptions struct {
	Branch     string // new branch to commit on; "" = the current branch
	Message    string // "" = a generated message
	Author     string // "Name <email>"; "" = the author git's configuration gives
	PerProject bool   // one commit per project instead of one in all
}

// CheckCommit checks, before the migration is written, what Commit will
// need, so that a bad flag or a missing identity does not leave a written
// migration uncommitted: a git repository, a well-formed author, an
// identity git accepts and, with a branch, a valid name nobody uses yet.
func CheckCommit(root string, res *Result, opts CommitOptions) error {
	author, err := parseAuthor(opts.Author)
	if err != nil {
		return err
	}
	repo, err := openCommitRepo(root)
	if err != nil {
		return err
	}
	if len(commitGroups(res, opts.PerProject)) == 0 {
		return nil
	}
	// git var fails as git commit would: no user.name or user.email in any
	// config file (includes followed), none in the environment, and none
	// that git can make up (or user.useConfigOnly forbids it).
	idents := []string{"GIT_COMMITTER_IDENT"}
	if author == "" {
		idents = append(idents, "GIT_AUTHOR_IDENT")
	}
	for _, v := range idents {
		if _, err := repo.output("var", v); err != nil {
			return fmt.Errorf("--commit: git has no identity to commit with: %w", err)
		}
	}
	if opts.Branch != "" {
		return repo.checkNewBranch(opts.Branch)
	}
	return nil
}

// Commit commits the files the migration wrote with git commit: one
// commit, or one per project. Each commit holds HEAD's files plus the
// migration's, never other changes the user had staged: those stay staged.
// Nothing is committed when nothing changed. It returns the new commits'
// hashes.
//
// git does the work, so the user's configuration applies as in any commit:
// identity (included config files too), signing (commit.gpgsign), hooks,
// clean filters and end-of-line conversion from .gitattributes.
func Commit(root string, res *Result, opts CommitOptions) ([]string, error) {
	author, err := parseAuthor(opts.Author)
	if err != nil {
		return nil, err
	}
	repo, err := openCommitRepo(root)
	if err != nil {
		return nil, err
	}
	branch := opts.Branch
	var hashes []string
	for _, g := range commitGroups(res, opts.PerProject) {
		untracked, pending, err := repo.pending(g.paths)
		if err != nil {
			return hashes, fmt.Errorf("--commit: %w", err)
		}
		if !pending {
			continue
		}
		if branch != "" {
			// The branch is made for the first commit only, and not at
			// all when there is nothing to commit.
			if err := repo.newBranch(branch); err != nil {
				return hashes, err
			}
			branch = ""
		}
		msg := opts.Message
		if msg == "" {
			msg = g.message
		}
		h, err := repo.commit(g.paths, untracked, msg, author)
		if err != nil {
			return hashes, fmt.Errorf("--commit: %w", err)
		}
		hashes = append(hashes, h)
	}
	return hashes, nil
}

func openCommitRepo(root string) (*gitRepo, error) {
	repo, err := openGit(root)
	if err != nil {
		return nil, fmt.Errorf("--commit: %w", err)
	}
	if repo == nil {
		return nil, ErrNotARepository
	}
	return repo, nil
}

// parseAuthor checks an --author value and returns it tidied; "" stays "".
// git commit --author takes anything without "<" as a pattern to look up
// in earlier commits, which is not what the flag means here.
func parseAuthor(author string) (string, error) {
	if author == "" {
		return "", nil
	}
	name, rest, ok := strings.Cut(author, "<")
	email, _, ok2 := strings.Cut(rest, ">")
	if !ok || !ok2 || strings.TrimSpace(name) == "" {
		return "", fmt.Errorf("--author must look like \"Name <email>\", not %q", author)
	}
	return strings.TrimSpace(name) + " <" + strings.TrimSpace(email) + ">", nil
}

// checkNewBranch refuses a branch name git would refuse, or one that
// exists (the current branch too, even before its first commit).
func (g *gitRepo) checkNewBranch(name string) error {
	// check-ref-format --branch also expands "@{-1}" and the like: a name
	// that comes back different is not a new branch's name.
	out, err := g.output("check-ref-format", "--branch", name)
	if err != nil || strings.TrimSpace(string(out)) != name {
		return fmt.Errorf("--branch: %q is not a valid branch name", name)
	}
	ref := "refs/heads/" + name
	_, err = g.output("rev-parse", "--quiet", "--verify", ref)
	exists := err == nil
	if exitCode(err) == 1 {
		out, serr := g.output("symbolic-ref", "--quiet", "HEAD")
		exists = serr == nil && strings.TrimSpace(string(out)) == ref
	} else if err != nil {
		return fmt.Errorf("--branch: %w", err)
	}
	if exists {
		return fmt.Errorf("--branch: branch %q already exists", name)
	}
	return nil
}

// newBranch creates a branch at HEAD and switches to it; the index and the
// work tree stay as they are.
func (g *gitRepo) newBranch(name string) error {
	if err := g.checkNewBranch(name); err != nil {
		return err
	}
	if err := g.run(nil, "switch", "--quiet", "--create", name); err != nil {
		return fmt.Errorf("--branch %s: %w", name, err)
	}
	return nil
}

// pending reports which of paths git does not track yet, and whether
// committing paths would change anything.
func (g *gitRepo) pending(paths []string) (untracked []string, pending bool, err error) {
	untracked, err = g.untracked(paths)
	if err != nil || len(untracked) > 0 {
		return untracked, err == nil, err
	}
	head, err := g.headCommit()
	if err != nil || head == "" {
		return nil, err == nil, err
	}
	_, err = g.output(append([]string{"diff", "--quiet", "HEAD"}, pathspecs(paths)...)...)
	switch exitCode(err) {
	case 0:
		return nil, false, nil
	case 1:
		return nil, true, nil
	}
	return nil, false, err
}

// commit commits the work tree's content of paths on top of HEAD with
// git commit --only, which leaves other staged changes staged and out of
// the commit. Paths git does not track yet are added first, and taken out
// of the index again when the commit fails.
func (g *gitRepo) commit(paths, untracked []string, message, author string) (string, error) {
	if len(untracked) > 0 {
		// --force: the migration's files are committed even when a
		// .gitignore pattern matches them.
		if err := g.run(nil, append([]string{"add", "--force"}, pathspecs(untracked)...)...); err != nil {
			return "", err
		}
	}
	args := []string{"commit", "--quiet", "--only", "--file=-"}
	if author != "" {
		args = append(args, "--author="+author)
	}
	if err := g.run([]byte(message), append(args, pathspecs(paths)...)...); err != nil {
		if len(untracked) > 0 {
			undo := append([]string{"rm", "--cached", "--quiet", "--force", "--ignore-unmatch"}, pathspecs(untracked)...)
			if uerr := g.run(nil, undo...); uerr != nil {
				return "", errors.Join(err, uerr)
			}
		}
		return "", err
	}
	out, err := g.output("rev-parse", "HEAD")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

type commitGroup struct {
	paths   []string
	message string
}

// commitGroups lists the files to commit, all in one group or one group
// per project: every file the migration changed except backups.
func commitGroups(res *Result, perProject bool) []commitGroup {
	var groups []commitGroup
	var all commitGroup
	var dirs []string
	for _, p := range res.Projects {
		var paths []string
		for _, c := range p.ChangedFiles() {
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
