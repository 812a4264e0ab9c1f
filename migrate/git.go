package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// This file runs git. venv2flox reads and writes repositories through the
// git command line only, so that the user's configuration applies as git
// applies it: identities from included config files, commit signing, hooks,
// attribute filters, end-of-line conversion, linked work trees, every
// object and ref format.

// ErrNotARepository is returned by Commit for a root outside any git
// repository.
var ErrNotARepository = errors.New("--commit: not inside a git repository")

// GitError is a git command that failed; Output holds what it printed.
type GitError struct {
	Command string // "git commit", …
	Output  string // stderr, and stdout for commands whose output is not parsed
	Err     error  // an *exec.ExitError, or exec.ErrNotFound when git is missing
}

func (e *GitError) Error() string {
	msg := fmt.Sprintf("%s failed (%v)", e.Command, e.Err)
	if out := strings.TrimSpace(e.Output); out != "" {
		msg += ":\n" + out
	}
	return msg
}

func (e *GitError) Unwrap() error { return e.Err }

// exitCode is the exit status of a git command that ran and failed, or -1.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// gitRepo is the repository holding a scanned root. git runs in the root,
// so pathspecs are the migration's paths, relative to it.
type gitRepo struct {
	root   string
	prefix string // root below the work tree top, slash form, "" or ending in "/"
}

// openGit finds the repository holding root. It returns nil and no error
// when there is none: git cannot find one and neither root nor a folder
// above it holds a .git entry. When a .git entry is there but git cannot use
// it (git missing, a repository owned by another user, a broken .git file),
// git's error is returned, so a check that needs git never passes silently.
func openGit(root string) (*gitRepo, error) {
	g := &gitRepo{root: root}
	out, err := g.output("rev-parse", "--show-prefix")
	if err != nil {
		if !hasGitEntry(root) {
			return nil, nil
		}
		return nil, err
	}
	g.prefix = strings.TrimSuffix(string(out), "\n")
	return g, nil
}

// hasGitEntry reports whether dir or a folder above it holds a .git entry.
func hasGitEntry(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for d := abs; ; d = filepath.Dir(d) {
		if exists(filepath.Join(d, ".git")) {
			return true
		}
		if filepath.Dir(d) == d {
			return false
		}
	}
}

// output runs a git command whose standard output is read; stderr goes into
// the error.
func (g *gitRepo) output(args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	err := g.command(nil, &stdout, &stderr, args...).Run()
	if err != nil {
		return nil, &GitError{Command: commandName(args), Output: stderr.String(), Err: err}
	}
	return stdout.Bytes(), nil
}

// run runs a git command that may talk to the user (hooks, signing
// programs): everything it prints goes into the error.
func (g *gitRepo) run(stdin []byte, args ...string) error {
	var out bytes.Buffer
	if err := g.command(stdin, &out, &out, args...).Run(); err != nil {
		return &GitError{Command: commandName(args), Output: out.String(), Err: err}
	}
	return nil
}

// command makes a git command in the root. It takes no global options
// such as --literal-pathspecs: git passes them on to hooks in the
// environment, where they would change what the user's hooks do.
func (g *gitRepo) command(stdin []byte, stdout, stderr *bytes.Buffer, args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = g.root
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	return cmd
}

// commandName names a git command for messages: "git status".
func commandName(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return "git " + a
		}
	}
	return "git"
}

// headCommit returns HEAD's commit, or "" on a branch without commits.
func (g *gitRepo) headCommit() (string, error) {
	out, err := g.output("rev-parse", "--quiet", "--verify", "HEAD^{commit}")
	if exitCode(err) == 1 {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// untracked returns the paths (relative to the root) that are not in the
// index: new, ignored, or inside a repository of their own.
func (g *gitRepo) untracked(paths []string) ([]string, error) {
	out, err := g.output(append([]string{"ls-files", "-z"}, pathspecs(paths)...)...)
	if err != nil {
		return nil, err
	}
	tracked := map[string]bool{}
	for _, p := range splitNUL(out) {
		tracked[p] = true
	}
	var untracked []string
	for _, p := range paths {
		if !tracked[p] {
			untracked = append(untracked, p)
		}
	}
	return untracked, nil
}

// pathspecs ends a git command line with paths relative to the root, each
// taken literally: a file named "*.py" or ":x" means that file.
func pathspecs(paths []string) []string {
	out := []string{"--"}
	for _, p := range paths {
		out = append(out, ":(literal)"+p)
	}
	return out
}

// splitNUL splits git's -z output into its fields.
func splitNUL(out []byte) []string {
	s := strings.TrimSuffix(string(out), "\x00")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
