package migrate

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/callgraph"
	"github.com/venv2flox/venv2flox/rewrite"
)

// brokenCallers names every caller the changes would break: a CI job,
// docs build, hook or task runner that does not run in the Flox
// environment and runs an entry point that now needs flox or is gone.
// Each is a problem of this patch, not a follow-up: the patch is not
// ready while one is left.
func brokenCallers(fsys fs.FS, dir string, proj *detect.Project, changes []rewrite.FileChange) []detect.Problem {
	var out []detect.Problem
	for _, b := range callgraph.Check(fsys, dir, proj.Files, changedFiles(dir, changes)) {
		out = append(out, detect.Problem{
			Evidence: detect.Evidence{Path: joinRel(dir, b.Call.Caller.File), Line: b.Call.Line},
			Message:  b.String(),
		})
	}
	return out
}

// changedFiles maps project-relative paths to their new contents.
func changedFiles(dir string, changes []rewrite.FileChange) map[string][]byte {
	changed := map[string][]byte{}
	for _, c := range changes {
		rel := c.Path
		if dir != "." {
			rel = strings.TrimPrefix(c.Path, dir+"/")
		}
		changed[rel] = c.New
	}
	return changed
}

// floxActionCandidates are the composite actions of the repository that
// may move to Flox: under .github/ (an action.yml at the top is published
// for other repositories' workflows) and used only by this repository's
// jobs. An action that never sets up Python or a venv (a Rust toolchain)
// is not one: it will not install Flox, so the jobs that use it must.
func floxActionCandidates(g *callgraph.Graph, proj *detect.Project) []string {
	out := []string{}
	for _, f := range proj.Files {
		if f.Kind != detect.KindGitHubAction || !strings.HasPrefix(f.Path, ".github/") || f.Audience == detect.AudienceNone {
			continue
		}
		calls := g.CallersOf(callgraph.Entry{Kind: callgraph.EntryAction, File: f.Path})
		if len(calls) > 0 && !slices.ContainsFunc(calls, func(c callgraph.Call) bool { return c.Caller.Kind != callgraph.CallerGitHub }) {
			out = append(out, f.Path)
		}
	}
	return out
}

// actionsLeftBehind returns the candidate actions that a job using them
// did not follow to Flox in changes, with those jobs.
func actionsLeftBehind(fsys fs.FS, dir string, proj *detect.Project, actions []string, changes []rewrite.FileChange) map[string][]string {
	if len(actions) == 0 {
		return nil
	}
	g := callgraph.BuildChanged(fsys, dir, proj.Files, changedFiles(dir, changes))
	out := map[string][]string{}
	for _, a := range actions {
		for _, c := range g.CallersOf(callgraph.Entry{Kind: callgraph.EntryAction, File: a}) {
			if !c.Caller.Flox {
				out[a] = appendUnique(out[a], c.Caller.String())
			}
		}
	}
	return out
}

// actionUsers names every caller of each composite action of the project.
func actionUsers(g *callgraph.Graph, proj *detect.Project) map[string][]string {
	out := map[string][]string{}
	for _, f := range proj.Files {
		if f.Kind != detect.KindGitHubAction {
			continue
		}
		for _, c := range g.CallersOf(callgraph.Entry{Kind: callgraph.EntryAction, File: f.Path}) {
			out[f.Path] = appendUnique(out[f.Path], c.Caller.String())
		}
	}
	return out
}

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// addVenvUsers records in ctx.VenvUsers the callers outside Flox that, once
// changes are applied, still use a venv folder a script or Makefile
// created for them before, against every script and Makefile that made or
// used that folder for the caller; it reports whether it recorded any new
// one. The files are then rewritten again: a script keeps its venv setup
// and use for runs without Flox, a Makefile (with the Makefiles that share
// its variables) stays as it is. A caller whose folder came from
// elsewhere is left to brokenCallers.
func addVenvUsers(fsys fs.FS, dir string, proj *detect.Project, ctx *rewrite.Context, changes []rewrite.FileChange) bool {
	kinds := map[string]detect.FileKind{}
	for _, f := range proj.Files {
		kinds[f.Path] = f.Kind
	}
	added := false
	for _, o := range callgraph.OrphanedVenvs(fsys, dir, proj.Files, changedFiles(dir, changes)) {
		var files []string
		for _, f := range o.Files {
			switch kinds[f] {
			case detect.KindShell:
				files = append(files, f)
			case detect.KindMakefile:
				files = append(files, f)
				if slices.Contains(ctx.SharedMakefiles, f) {
					files = append(files, ctx.SharedMakefiles...)
				}
			}
		}
		user := rewrite.VenvUser{Dir: o.Dir, Caller: o.Caller.String()}
		for _, f := range files {
			if ctx.VenvUsers == nil {
				ctx.VenvUsers = map[string][]rewrite.VenvUser{}
			}
			if !slices.Contains(ctx.VenvUsers[f], user) {
				ctx.VenvUsers[f] = append(ctx.VenvUsers[f], user)
				added = true
			}
		}
	}
	return added
}
