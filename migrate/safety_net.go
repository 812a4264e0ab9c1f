package migrate

import (
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/rewrite"
)

// The safety net: after the rewrites, every file a rewriter handles is
// read again as the patch leaves it. A venv use still there that is not
// the new form (the Flox venv, a plain install into whatever Python runs
// it) and that no follow-up, left-alone job or block speaks for becomes a
// follow-up of its own: the report never says "0 follow-ups" while the
// patched project still uses a venv nobody builds.

// LeftoverTopic is the Topic of the net's follow-ups; their Subject is the
// command.
const LeftoverTopic = "still uses the old venv after the migration"

// leftoverVenvs returns the net's follow-ups for one project: the venv
// uses in its rewritten files (changes, paths relative to the scanned
// root) that neither the new form nor a report accounts for. followUps and
// problems are the rewriters' (paths relative to the scanned root too): a
// file a rewriter could not read is reported by its problem.
func leftoverVenvs(proj *detect.Project, dir string, ctx *rewrite.Context, changes []rewrite.FileChange, followUps []rewrite.FollowUp, problems []detect.Problem, scope Scope) []rewrite.FollowUp {
	if ctx.KeepVenv {
		return nil // the venv instructions stay beside Flox's on purpose
	}
	changed := map[string]rewrite.FileChange{}
	for _, c := range changes {
		changed[c.Path] = c
	}
	var out []rewrite.FollowUp
	for _, f := range proj.Files {
		if rewrite.ForKind(f.Kind) == nil || !contributorFile(f, scope) {
			continue
		}
		full := joinRel(dir, f.Path)
		c, ok := changed[full]
		acc := accounting{proj: proj, file: f, full: full, ctx: ctx, followUps: followUps, problems: problems}
		var kept [][2]int // blocks kept for callers outside Flox
		if ok {
			acc.origins = rewrite.LineOrigins(c.Old, c.New)
			if f.Kind.Info().Class == detect.ClassTasks {
				kept = rewrite.NoFloxLines(c.New)
			}
		}
		for _, v := range venvsAfter(proj, f.Path, c, ok) {
			if newForm(v, ctx) || slices.ContainsFunc(kept, func(r [2]int) bool {
				return r[0] <= v.Evidence.Line && v.Evidence.Line <= r[1]
			}) {
				continue
			}
			line, ok := acc.oldLine(v.Evidence.Line)
			if ok && acc.reported(line) {
				continue
			}
			subject := v.OneLine(100)
			fu := rewrite.FollowUp{Evidence: detect.Evidence{Path: full, Line: line}, Message: LeftoverTopic + ": " + subject,
				Suggestion: "run it in the Flox environment (`flox activate -- COMMAND`), or remove it if the environment's hook does the same",
				Subject:    subject, Topic: LeftoverTopic}
			if !slices.ContainsFunc(out, func(o rewrite.FollowUp) bool { return o.Evidence == fu.Evidence }) {
				out = append(out, fu)
			}
		}
	}
	return out
}

// venvsAfter lists the venv uses of a file as the patch leaves it: read
// again when the patch changes it, as detect first read it otherwise.
func venvsAfter(proj *detect.Project, rel string, c rewrite.FileChange, changed bool) []detect.VenvUse {
	if changed {
		return detect.ScanText(rel, c.New).Venvs
	}
	var out []detect.VenvUse
	for _, v := range proj.Venvs {
		if v.Evidence.Path == rel {
			out = append(out, v)
		}
	}
	return out
}

// newForm reports a venv use the migration means to leave: one of the
// Flox venv, an install with no venv path in it, which goes into whatever
// Python runs it (the environment's venv under Flox), an ignore file's
// pattern, and tox's own environments.
func newForm(v detect.VenvUse, ctx *rewrite.Context) bool {
	if v.Dir == "" && v.Action == detect.VenvInstall {
		return true
	}
	if v.File == detect.KindIgnoreFile {
		return true // keeping old venvs out of an image stays right
	}
	if v.ToolsOwn() {
		return true
	}
	dir := strings.Trim(v.Dir, `"'{}`)
	dir = strings.TrimPrefix(path.Clean(strings.TrimPrefix(dir, "./")), "./")
	floxVenv := ctx.Venv
	if floxVenv == "" {
		floxVenv = ".flox/cache/venv"
	}
	return dir == floxVenv || strings.Contains(dir, "FLOX_ENV") || strings.Contains(dir, "VIRTUAL_ENV")
}

// accounting tells whether a line of the original file is spoken for.
type accounting struct {
	proj      *detect.Project
	file      detect.File
	full      string // the file's path relative to the scanned root
	ctx       *rewrite.Context
	followUps []rewrite.FollowUp
	problems  []detect.Problem
	origins   []rewrite.LineOrigin // nil when the file is unchanged
}

// oldLine maps a line of the file as the patch leaves it to the original
// line it was kept from; ok is false for a line the patch wrote, which
// then stands for the line it replaced.
func (a accounting) oldLine(line int) (int, bool) {
	if a.origins == nil {
		return line, true
	}
	if line < 1 || line > len(a.origins) {
		return line, false
	}
	o := a.origins[line-1]
	return o.Old, o.Kept
}

// unchanged reports whether the patch keeps original lines first..last.
func (a accounting) unchanged(first, last int) bool {
	if a.origins == nil {
		return true
	}
	kept := 0
	for _, o := range a.origins {
		if o.Kept && first <= o.Old && o.Old <= last {
			kept++
		} else if !o.Kept && first <= o.Old && o.Old <= last {
			return false
		}
	}
	return kept == last-first+1
}

// reported reports whether an original line is spoken for: a follow-up or
// a problem at it, a follow-up about a block holding it, a job or block
// left to other readers, a job the patch leaves as it is with a follow-up
// about it, a file the patch leaves as it is with a problem about the
// whole file (its rewriter could not read it), or a script, Makefile or
// settings file the patch leaves as it is with a follow-up (its rewriter
// left it whole, and said why).
func (a accounting) reported(line int) bool {
	if slices.ContainsFunc(a.problems, func(p detect.Problem) bool {
		return p.Path == a.full && (p.Line == line || p.Line == 0 && a.origins == nil)
	}) {
		return true
	}
	if a.origins == nil && a.file.Kind.Info().Class != detect.ClassDocs && a.file.Kind.Info().Class != detect.ClassCI &&
		slices.ContainsFunc(a.followUps, func(f rewrite.FollowUp) bool { return f.Evidence.Path == a.full }) {
		return true
	}
	for _, s := range a.ctx.Leave {
		if s.Path == a.file.Path && s.First <= line && line <= s.Last {
			return true
		}
	}
	for _, f := range a.followUps {
		if f.Evidence.Path == a.full && f.Evidence.Line <= line && line <= max(f.EndLine, f.Evidence.Line) {
			return true
		}
	}
	for _, j := range a.proj.CI {
		last := max(j.EndLine, j.Evidence.Line)
		if j.Evidence.Path != a.file.Path || line < j.Evidence.Line || line > last || !a.unchanged(j.Evidence.Line, last) {
			continue
		}
		if j.NoCheckout {
			return true // its venv is the sdist's or the artifact's, not the project's
		}
		if slices.ContainsFunc(a.followUps, func(f rewrite.FollowUp) bool {
			return f.Evidence.Path == a.full && j.Evidence.Line <= f.Evidence.Line && f.Evidence.Line <= last
		}) {
			return true
		}
	}
	return false
}
