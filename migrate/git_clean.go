package migrate

import (
	"fmt"
	"strings"

	"github.com/venv2flox/venv2flox/rewrite"
)

// DirtyError lists files the migration would touch that hold uncommitted
// work.
type DirtyError struct{ Paths []string }

func (e *DirtyError) Error() string {
	return fmt.Sprintf("uncommitted changes in files the migration rewrites: %s (commit or stash them, or use --allow-dirty)", strings.Join(e.Paths, ", "))
}

// CheckClean refuses changes to files that git status does not call clean:
// modified (the work tree differs from the index), staged (the index
// differs from HEAD), unmerged, or not tracked at all (untracked or
// ignored). Only the files the migration rewrites are asked about, so it
// stays fast on huge repositories; created files are not. Outside a git
// repository there is nothing to compare and it passes.
func CheckClean(root string, changes []rewrite.FileChange) error {
	var rewritten []string
	for _, c := range changes {
		if c.Changed() && !c.Created {
			rewritten = append(rewritten, c.Path)
		}
	}
	if len(rewritten) == 0 {
		return nil
	}
	repo, err := openGit(root)
	if err != nil || repo == nil {
		return err
	}
	states, err := repo.status(rewritten)
	if err != nil {
		return err
	}
	var dirty []string
	for _, p := range rewritten {
		if s := states[p]; s != "" {
			dirty = append(dirty, p+" ("+s+")")
		}
	}
	if len(dirty) > 0 {
		return &DirtyError{Paths: dirty}
	}
	return nil
}

// status asks git about paths (relative to the root) and returns what is
// not clean about each: "modified", "staged", "unmerged" or "untracked"
// (not in the index: new, ignored, or inside a repository of its own).
// Clean paths are absent.
func (g *gitRepo) status(paths []string) (map[string]string, error) {
	untracked, err := g.untracked(paths)
	if err != nil {
		return nil, err
	}
	states := map[string]string{}
	for _, p := range untracked {
		states[p] = "untracked"
	}
	args := append([]string{"--no-optional-locks", "status", "--porcelain=v2", "-z", "--untracked-files=no", "--no-renames"}, pathspecs(paths)...)
	out, err := g.output(args...)
	if err != nil {
		return nil, err
	}
	for _, rec := range splitNUL(out) {
		var path, state string
		switch kind, rest, _ := strings.Cut(rec, " "); kind {
		case "1": // 1 XY sub mH mI mW hH hI path
			f := strings.SplitN(rest, " ", 8)
			if len(f) < 8 {
				continue
			}
			path = f[7]
			switch xy := f[0]; {
			case xy[1] != '.':
				state = "modified"
			case xy[0] != '.':
				state = "staged"
			}
		case "u": // u XY sub m1 m2 m3 mW h1 h2 h3 path
			f := strings.SplitN(rest, " ", 10)
			if len(f) < 10 {
				continue
			}
			path, state = f[9], "unmerged"
		default:
			continue
		}
		// Paths in git status are relative to the work tree top.
		if rel, ok := strings.CutPrefix(path, g.prefix); ok && state != "" {
			states[rel] = state
		}
	}
	return states, nil
}
