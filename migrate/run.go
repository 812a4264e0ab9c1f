package migrate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/callgraph"
	"github.com/venv2flox/venv2flox/rewrite"
)

// Options configure one migration run.
type Options struct {
	Plan PlanOptions
	// Recursive finds every project under the root; otherwise the root is
	// the one project.
	Recursive bool
	Discover  DiscoverOptions
	// Jobs is how many projects are migrated at once (0 = number of CPUs).
	Jobs int
	// Force replaces an existing, different .flox environment (the old
	// manifest is kept as a backup).
	Force bool
	// KeepVenv keeps venv instructions beside the Flox ones.
	KeepVenv bool
	// Scope says what may change: the contributor workflow only (the
	// default, also for ""), or every file that uses a venv.
	Scope Scope
	// RootName names the scanned root folder (its base name on disk); the
	// environment of a project at the root is named after it.
	RootName string
	// Progress, when set, is called after each project with the number of
	// projects done and the total. Calls never overlap.
	Progress func(done, total int)
}

// Status is what happened to one project.
type Status string

const (
	StatusMigrated  Status = "migrated"  // changes pending or written
	StatusUnchanged Status = "unchanged" // already migrated: nothing to do
	StatusSkipped   Status = "skipped"   // left alone on purpose (Reason says why)
	StatusFailed    Status = "failed"    // could not be migrated (Reason says why)
)

// ProjectResult is the outcome for one project. All paths in it are
// relative to the scanned root.
type ProjectResult struct {
	Dir       string               `json:"dir"`
	Status    Status               `json:"status"`
	Reason    string               `json:"reason,omitempty"`
	Err       error                `json:"-"` // why a failed project failed, for errors.Is; Reason is its text
	Project   *detect.Project      `json:"-"`
	Plan      *Plan                `json:"plan,omitempty"`
	Changes   []rewrite.FileChange `json:"-"`
	FollowUps []rewrite.FollowUp   `json:"followUps,omitempty"`
	// LeftAlone lists what uses a venv but serves other readers than the
	// contributors, and so was not changed (see Scope).
	LeftAlone []LeftAlone      `json:"leftAlone,omitempty"`
	Problems  []detect.Problem `json:"problems,omitempty"`
}

// Result is the outcome of a run, projects in path order.
type Result struct {
	Projects []*ProjectResult `json:"projects"`
}

// ChangedFiles returns the project's changes that change something, by
// path.
func (p *ProjectResult) ChangedFiles() []rewrite.FileChange {
	var out []rewrite.FileChange
	for _, c := range p.Changes {
		if c.Changed() {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Changes returns every file change of the run, ordered by path.
func (r *Result) Changes() []rewrite.FileChange {
	var all []rewrite.FileChange
	for _, p := range r.Projects {
		all = append(all, p.Changes...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Path < all[j].Path })
	return all
}

// Pending reports whether the run would change any file.
func (r *Result) Pending() bool {
	for _, c := range r.Changes() {
		if c.Changed() {
			return true
		}
	}
	return false
}

// Failed reports whether some project could not be migrated.
func (r *Result) Failed() bool {
	for _, p := range r.Projects {
		if p.Status == StatusFailed {
			return true
		}
	}
	return false
}

// ErrNoProject is returned when the root holds no Python project.
var ErrNoProject = errors.New("no Python project found (no pyproject.toml, setup.py, setup.cfg, Pipfile or requirements file)")

// Prepare works out the migration of the project(s) in fsys: detection,
// plan and rewrites. It only reads; Apply writes the result. With
// Recursive, the environments follow the repository's own venv layout
// (FindLayout) and share one interpreter where their requirements allow.
func Prepare(fsys fs.FS, opts Options) (*Result, error) {
	if !opts.Recursive {
		pr := migrateProject(fsys, ".", detect.Scan(fsys, ".", detect.Options{}), opts)
		if opts.Progress != nil {
			opts.Progress(1, 1)
		}
		if errors.Is(pr.Err, ErrNoProject) {
			return nil, ErrNoProject
		}
		if f, ok := nestedProjectsNote(fsys, pr, opts.Discover); ok {
			pr.FollowUps = append([]rewrite.FollowUp{f}, pr.FollowUps...)
		}
		return &Result{Projects: []*ProjectResult{pr}}, nil
	}
	layout, err := FindLayout(fsys, opts.Discover, opts.Jobs)
	if err != nil {
		return nil, err
	}
	envs := layout.Environments
	prs := make([]*ProjectResult, len(envs))
	forEach(len(envs), opts.Jobs, func(i int) { prs[i] = planEnvironment(fsys, envs[i], opts) })
	dirs := make([]string, len(envs))
	plans := make([]*Plan, len(envs))
	for i, pr := range prs {
		dirs[i] = pr.Dir
		if pr.Status == "" {
			plans[i] = pr.Plan
		}
	}
	repo, replan := SharedPython(dirs, plans)
	var mu sync.Mutex
	done := 0
	forEach(len(envs), opts.Jobs, func(i int) {
		// Each call writes only its own slot, so the order of results
		// never depends on scheduling.
		if slices.Contains(replan, i) {
			o := opts
			o.Plan.Repository = repo
			prs[i] = planEnvironment(fsys, envs[i], o)
		}
		rewriteProject(fsys, prs[i], opts)
		if opts.Progress != nil {
			mu.Lock()
			done++
			opts.Progress(done, len(envs))
			mu.Unlock()
		}
	})
	res := &Result{Projects: prs}
	for _, s := range layout.Served {
		res.Projects = append(res.Projects, servedResult(s))
	}
	sort.SliceStable(res.Projects, func(i, j int) bool { return res.Projects[i].Dir < res.Projects[j].Dir })
	if layout.Top != nil {
		if root := rootResult(fsys, layout.Top, dirs, prs, opts); root != nil {
			res.Projects = append([]*ProjectResult{root}, res.Projects...)
		}
	}
	return res, nil
}

// planEnvironment plans one environment of a layout; the projects it
// serves are the first thing its notices say.
func planEnvironment(fsys fs.FS, e Environment, opts Options) *ProjectResult {
	pr := planProject(fsys, e.Dir, e.Project, opts)
	if e.Serves != "" && pr.Plan != nil {
		pr.Plan.Notices = append([]string{e.Serves}, pr.Plan.Notices...)
	}
	return pr
}

// forEach calls fn for 0..n-1 on up to jobs goroutines (0: one per CPU).
func forEach(n, jobs int, fn func(i int)) {
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	if workers := min(jobs, n); workers <= 1 {
		// No worker goroutine for one: a run this short is dominated by
		// first touches of memory, and a second goroutine (on a second P)
		// would fill its own allocation caches.
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(jobs, n) {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// servedResult reports a project that gets no environment of its own.
func servedResult(s ServedProject) *ProjectResult {
	return &ProjectResult{Dir: s.Dir, Status: StatusSkipped,
		Reason: "no environment of its own: it has no setup of its own, and " + joinAnd(s.By) + " install it from the checkout into theirs"}
}

// joinAnd joins items as a sentence does: "a, b and c".
func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// nestedProjectsNote says when a folder without project files of its own
// was migrated as one project for the projects below it (a repository
// whose Django app is in server/): -r would give each its own environment.
// Discovery runs only in that case, so a plain project pays nothing.
func nestedProjectsNote(fsys fs.FS, pr *ProjectResult, opts DiscoverOptions) (rewrite.FollowUp, bool) {
	if pr.Project == nil || (pr.Status != StatusMigrated && pr.Status != StatusUnchanged) {
		return rewrite.FollowUp{}, false
	}
	var marker string
	for _, f := range pr.Project.Files {
		if !isProjectFile(f.Kind) {
			continue
		}
		if !strings.Contains(f.Path, "/") {
			return rewrite.FollowUp{}, false // the folder is a project itself
		}
		if marker == "" {
			marker = f.Path
		}
	}
	dirs, err := Discover(fsys, opts)
	if err != nil || len(dirs) == 0 || marker == "" {
		return rewrite.FollowUp{}, false
	}
	for _, f := range pr.Project.Files {
		if isProjectFile(f.Kind) && path.Dir(f.Path) == dirs[0] {
			marker = f.Path // evidence in the first project found
			break
		}
	}
	where := dirs[0] + "/"
	if len(dirs) > 1 {
		where = fmt.Sprintf("%s and %d more folder(s)", where, len(dirs)-1)
	}
	return rewrite.FollowUp{
		Evidence:   detect.Evidence{Path: marker, Line: 1},
		Message:    "the Python project files are in " + where + ", not at the top: one environment here serves them all",
		Suggestion: "Run `venv2flox migrate -r` instead to give each project its own environment.",
	}, true
}

// NestedUnder lists the other project roots inside dir: they are separate
// projects, so dir's scan must not read them.
func NestedUnder(dirs []string, dir string) []string {
	var out []string
	for _, d := range dirs {
		if d == dir {
			continue
		}
		if dir == "." || strings.HasPrefix(d, dir+"/") {
			out = append(out, d)
		}
	}
	return out
}

// fail marks the project failed because of err.
func (pr *ProjectResult) fail(err error) {
	pr.Status, pr.Reason, pr.Err = StatusFailed, err.Error(), err
}

// migrateProject runs plan and rewrite for one project detect read.
func migrateProject(fsys fs.FS, dir string, proj *detect.Project, opts Options) *ProjectResult {
	pr := planProject(fsys, dir, proj, opts)
	rewriteProject(fsys, pr, opts)
	return pr
}

// planProject plans the environment of one project detect read. A panic
// fails this project only, never the run.
func planProject(fsys fs.FS, dir string, proj *detect.Project, opts Options) (pr *ProjectResult) {
	pr = &ProjectResult{Dir: dir, Project: proj, Problems: prefixProblems(dir, proj.Problems)}
	defer func() {
		if r := recover(); r != nil {
			pr.fail(fmt.Errorf("internal error: %v", r))
			pr.Plan = nil
		}
	}()
	if !isPythonProject(proj) {
		pr.fail(ErrNoProject)
		return pr
	}
	if why, ok := noVenvWorkflow(fsys, dir, proj); ok {
		pr.Status, pr.Reason = StatusUnchanged, why
		return pr
	}
	planOpts := opts.Plan
	if planOpts.EnvName == "" {
		planOpts.EnvName = EnvName(dir, opts.RootName)
	}
	plan, err := BuildPlan(proj, planOpts)
	if err != nil {
		pr.fail(err)
		return pr
	}
	if why, ok := nothingToInstall(fsys, dir, proj, plan); ok {
		pr.Status, pr.Reason = StatusUnchanged, why
		return pr
	}
	pr.Plan = plan
	return pr
}

// rewriteProject writes the .flox files of a planned project and rewrites
// its files. A panic fails this project only, never the run.
func rewriteProject(fsys fs.FS, pr *ProjectResult, opts Options) {
	if pr.Plan == nil || pr.Status != "" {
		return // failed, or left as it is
	}
	defer func() {
		if r := recover(); r != nil {
			pr.fail(fmt.Errorf("internal error: %v", r))
			pr.Changes = nil
		}
	}()
	dir, proj, plan := pr.Dir, pr.Project, pr.Plan
	envChanges, skipReason := envFileChanges(fsys, dir, plan, opts.Force)
	if skipReason != "" {
		pr.Status, pr.Reason = StatusSkipped, skipReason
		return
	}
	pr.Changes = append(pr.Changes, envChanges...)

	ctx := plan.RewriteContext(dir, opts.KeepVenv)
	if opts.Scope != ScopeAll {
		ctx.Leave = leaveSpans(proj)
		pr.LeftAlone = leftAlone(proj, dir)
		// What is left alone is not the maintainer's to fix in this patch.
		pr.Problems = prefixProblems(dir, slices.DeleteFunc(slices.Clone(proj.Problems), func(p detect.Problem) bool {
			a := proj.AudienceAt(p.Evidence)
			return a != "" && a != detect.AudienceContributor
		}))
	}
	ctx.ReadFile = func(rel string) ([]byte, error) { return fs.ReadFile(fsys, joinRel(dir, rel)) }
	graph := callgraph.Build(fsys, dir, proj.Files)
	ctx.Called = graph.CalledTargets()
	ctx.FloxActions = floxActionCandidates(graph, proj)
	ctx.ActionUsers = actionUsers(graph, proj)
	changes, followUps, problems := rewriteFiles(fsys, dir, proj, ctx, opts.Scope)
	// A composite action moves to Flox only with every job that uses it:
	// when one of them stays, the action stays too, and the files are
	// rewritten again without it.
	for stay := actionsLeftBehind(fsys, dir, proj, ctx.FloxActions, changes); len(stay) > 0; stay = actionsLeftBehind(fsys, dir, proj, ctx.FloxActions, changes) {
		ctx.FloxActions = slices.DeleteFunc(ctx.FloxActions, func(a string) bool { _, ok := stay[a]; return ok })
		for a, users := range stay {
			ctx.KeptActions = append(ctx.KeptActions, a)
			ctx.ActionUsers[a] = users
		}
		slices.Sort(ctx.KeptActions)
		changes, followUps, problems = rewriteFiles(fsys, dir, proj, ctx, opts.Scope)
	}
	// An entry point a caller outside Flox takes its venv from keeps
	// making it for that caller. Each round can only add users, so this
	// ends; three rounds cover an entry point reached through two others.
	for round := 0; round < 3 && addVenvUsers(fsys, dir, proj, ctx, changes); round++ {
		changes, followUps, problems = rewriteFiles(fsys, dir, proj, ctx, opts.Scope)
	}
	followUps = append(followUps, leftoverVenvs(proj, dir, ctx, changes, followUps, problems, opts.Scope)...)
	pr.Changes = append(pr.Changes, changes...)
	pr.FollowUps = append(pr.FollowUps, followUps...)
	pr.Problems = append(pr.Problems, problems...)
	pr.Problems = append(pr.Problems, brokenCallers(fsys, dir, proj, pr.Changes)...)
	sortFollowUps(pr.FollowUps)
	// A line the rewriter could not read either is its follow-up, which
	// says what to do: the problem would say it twice.
	pr.Problems = slices.DeleteFunc(pr.Problems, func(p detect.Problem) bool {
		return slices.ContainsFunc(pr.FollowUps, func(f rewrite.FollowUp) bool { return f.Evidence == p.Evidence })
	})
	pr.Status = StatusUnchanged
	for _, c := range pr.Changes {
		if c.Changed() {
			pr.Status = StatusMigrated
		}
	}
}

// rewriteFiles runs the rewriters over the project's files in scope.
func rewriteFiles(fsys fs.FS, dir string, proj *detect.Project, ctx *rewrite.Context, scope Scope) (changes []rewrite.FileChange, followUps []rewrite.FollowUp, problems []detect.Problem) {
	for _, f := range proj.Files {
		rw := rewrite.ForKind(f.Kind)
		if rw == nil || !contributorFile(f, scope) {
			continue
		}
		change, fus, err := rewriteFile(fsys, dir, f.Path, rw, ctx)
		followUps = append(followUps, fus...)
		if err != nil {
			problems = append(problems, detect.Problem{Evidence: detect.Evidence{Path: joinRel(dir, f.Path)}, Message: err.Error()})
			continue
		}
		if change.Changed() {
			changes = append(changes, change)
		}
	}
	return changes, followUps, problems
}

// rootResult handles the files at the top of a monorepo whose root is not
// a project itself (a root Makefile or workflow serving several projects).
// Workflow jobs that work in one project's folder move to that project's
// environment; every venv use left after that belongs to no single
// environment and is reported as a follow-up naming the environments to run
// in, never guessed at.
func rootResult(fsys fs.FS, proj *detect.Project, dirs []string, projects []*ProjectResult, opts Options) *ProjectResult {
	pr := &ProjectResult{Dir: ".", Status: StatusSkipped, Project: proj, Problems: proj.Problems,
		Reason: "the repository root is not a Python project; its files that use venvs are listed as follow-ups"}
	var ctxs []*rewrite.Context
	for _, p := range projects {
		if p.Plan != nil && (p.Status == StatusMigrated || p.Status == StatusUnchanged) {
			ctx := p.Plan.RewriteContext(p.Dir, opts.KeepVenv)
			if opts.Scope != ScopeAll {
				ctx.Leave = leaveSpans(proj) // the root's release jobs, by root paths
			}
			ctxs = append(ctxs, ctx)
		}
	}
	// A CI job that installs into the interpreter it set up, without a
	// venv (pip install -e "libs/common[test]" on setup-python), has
	// nothing to migrate.
	venvs := slices.DeleteFunc(slices.Clone(proj.Venvs), func(v detect.VenvUse) bool {
		return v.Action == detect.VenvInstall && installsWithoutVenv(proj, v)
	})
	if opts.Scope != ScopeAll {
		pr.LeftAlone = leftAlone(proj, ".")
		// What is left alone is reported there, not as a follow-up.
		venvs = slices.DeleteFunc(venvs, func(v detect.VenvUse) bool {
			a := proj.AudienceAt(v.Evidence)
			return a != "" && a != detect.AudienceContributor
		})
	}
	for _, f := range proj.Files {
		if f.Kind != detect.KindGitHubWorkflow || len(ctxs) == 0 || !contributorFile(f, opts.Scope) {
			continue
		}
		rootWorkflow := func(_ *rewrite.Context, path string, src []byte) (rewrite.Result, error) {
			res, _, err := rewrite.GitHubRootWorkflow(ctxs, path, src)
			return res, err
		}
		change, followUps, err := rewriteFile(fsys, ".", f.Path, rootWorkflow, ctxs[0])
		pr.FollowUps = append(pr.FollowUps, followUps...)
		if err != nil {
			pr.Problems = append(pr.Problems, detect.Problem{Evidence: detect.Evidence{Path: f.Path}, Message: err.Error()})
			continue
		}
		if !change.Changed() {
			continue
		}
		pr.Changes = append(pr.Changes, change)
		pr.Status, pr.Reason = StatusMigrated, "the repository root is not a Python project; jobs that work in one project's folder use that project's environment"
		// Only the venv uses the rewrite left in place are still to report.
		venvs = replaceFileVenvs(venvs, f.Path, change.New)
	}
	shown := dirs
	if len(shown) > 3 {
		shown = shown[:3]
	}
	envs := "flox activate -d " + strings.Join(shown, ", flox activate -d ")
	if len(dirs) > len(shown) {
		envs += fmt.Sprintf(", … %d more", len(dirs)-len(shown))
	}
	for i, v := range venvs {
		if i > 0 && venvs[i-1].Evidence == v.Evidence {
			continue // one follow-up per line
		}
		pr.FollowUps = append(pr.FollowUps, rewrite.FollowUp{
			Evidence:   v.Evidence,
			Message:    fmt.Sprintf("%s of a venv in a file shared by several projects: %s", v.Action, v.OneLine(60)),
			Suggestion: "run the command inside the project's environment (" + envs + ")",
		})
	}
	if len(pr.FollowUps) == 0 && len(pr.Problems) == 0 && len(pr.Changes) == 0 && len(pr.LeftAlone) == 0 {
		return nil
	}
	sortFollowUps(pr.FollowUps)
	return pr
}

// installsWithoutVenv reports an install in a CI job that makes, enters
// and names no venv: it installs into the job's own interpreter.
func installsWithoutVenv(p *detect.Project, v detect.VenvUse) bool {
	for _, j := range p.CI {
		if j.Evidence.Path != v.Evidence.Path || v.Evidence.Line < j.Evidence.Line || v.Evidence.Line > j.EndLine {
			continue
		}
		return !slices.ContainsFunc(p.Venvs, func(o detect.VenvUse) bool {
			return o.Action != detect.VenvInstall && o.Evidence.Path == j.Evidence.Path &&
				j.Evidence.Line <= o.Evidence.Line && o.Evidence.Line <= j.EndLine
		})
	}
	return false
}

// sortFollowUps orders follow-ups by file and line, keeping the rewriters'
// order within a line.
func sortFollowUps(fs []rewrite.FollowUp) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].Evidence, fs[j].Evidence
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Line < b.Line
	})
}

// replaceFileVenvs swaps the venv uses found in one file for those found in
// its rewritten content.
func replaceFileVenvs(venvs []detect.VenvUse, path string, content []byte) []detect.VenvUse {
	var out []detect.VenvUse
	for _, v := range venvs {
		if v.Evidence.Path != path {
			out = append(out, v)
		}
	}
	rescanned := detect.ScanText(path, content)
	return append(out, slices.DeleteFunc(rescanned.Venvs, func(v detect.VenvUse) bool {
		return v.Action == detect.VenvInstall && installsWithoutVenv(rescanned, v)
	})...)
}

// isPythonProject reports whether detect found anything that makes the
// folder a Python project to migrate.
func isPythonProject(p *detect.Project) bool {
	return slices.ContainsFunc(p.Files, func(f detect.File) bool { return isProjectFile(f.Kind) })
}

// isProjectFile reports the kinds of files that declare a Python project.
func isProjectFile(k detect.FileKind) bool { return k.Info().Class == detect.ClassDependencies }

// rewriteFile runs one rewriter over one file and returns its change with
// the mode kept and paths made relative to the scanned root.
func rewriteFile(fsys fs.FS, dir, rel string, rw rewrite.Func, ctx *rewrite.Context) (rewrite.FileChange, []rewrite.FollowUp, error) {
	full := joinRel(dir, rel)
	info, err := fs.Lstat(fsys, full)
	if err != nil {
		return rewrite.FileChange{}, nil, err
	}
	old, err := fs.ReadFile(fsys, full)
	if err != nil {
		return rewrite.FileChange{}, nil, err
	}
	res, err := rw(ctx, rel, old)
	followUps := res.FollowUps
	for i := range followUps {
		followUps[i].Evidence.Path = joinRel(dir, followUps[i].Evidence.Path)
	}
	if err != nil {
		return rewrite.FileChange{}, followUps, err
	}
	return rewrite.FileChange{Path: full, Old: old, New: res.New, Mode: info.Mode().Perm()}, followUps, nil
}

// sameButComments reports two files that differ only in their comment
// lines: the manifest's reasons cite lines of files the migration itself
// rewrote, so a second run cites other line numbers for the same plan.
func sameButComments(a, b []byte) bool {
	strip := func(text []byte) []string {
		var out []string
		for _, l := range strings.Split(string(text), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "#") {
				out = append(out, l)
			}
		}
		return out
	}
	return slices.Equal(strip(a), strip(b))
}

// envFileChanges compares the .flox files the plan needs with what is on
// disk. A different existing environment is kept unless force is set; then
// its manifest is saved beside it first.
func envFileChanges(fsys fs.FS, dir string, plan *Plan, force bool) ([]rewrite.FileChange, string) {
	want := EnvFiles(plan)
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	manifest := joinRel(dir, ".flox/env/manifest.toml")
	existing, err := fs.ReadFile(fsys, manifest)
	hasEnv := err == nil
	if !hasEnv {
		if _, err := fs.Stat(fsys, joinRel(dir, ".flox")); err == nil {
			hasEnv = true
		}
	}
	var changes []rewrite.FileChange
	differs := false
	for _, n := range names {
		p := joinRel(dir, n)
		old, err := fs.ReadFile(fsys, p)
		if err != nil {
			changes = append(changes, rewrite.FileChange{Path: p, New: want[n], Mode: 0o644, Created: true})
			differs = true
			continue
		}
		if !bytes.Equal(old, want[n]) && !sameButComments(old, want[n]) {
			changes = append(changes, rewrite.FileChange{Path: p, Old: old, New: want[n], Mode: 0o644})
			differs = true
		}
	}
	if hasEnv && differs {
		if !force {
			return nil, "an existing .flox environment differs from the plan; use --force to replace it (its manifest is backed up)"
		}
		if existing != nil {
			changes = append(changes, rewrite.FileChange{Path: backupName(fsys, manifest), New: existing, Mode: 0o644, Created: true, Backup: true})
		}
	}
	return changes, ""
}

// backupName is the first of NAME.bak, NAME.bak.1, ... that does not exist:
// an earlier backup is never overwritten.
func backupName(fsys fs.FS, name string) string {
	backup := name + ".bak"
	for n := 1; ; n++ {
		if _, err := fs.Lstat(fsys, backup); errors.Is(err, fs.ErrNotExist) {
			return backup
		}
		backup = fmt.Sprintf("%s.bak.%d", name, n)
	}
}

func prefixProblems(dir string, ps []detect.Problem) []detect.Problem {
	out := make([]detect.Problem, len(ps))
	for i, p := range ps {
		p.Path = joinRel(dir, p.Path)
		out[i] = p
	}
	return out
}

// joinRel joins a project folder and a project-relative path.
func joinRel(dir, rel string) string {
	if dir == "." {
		return rel
	}
	return path.Join(dir, rel)
}

// EnvName is the environment name: the project folder's name, as flox init
// names it.
func EnvName(dir, rootName string) string {
	name := path.Base(dir)
	if dir == "." {
		name = rootName
	}
	return Slug(name)
}

// Slug turns a folder name into an environment name the way `flox init`
// does: lower case letters, digits, '-' and '_' only.
func Slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ', r == '.':
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "python-project"
	}
	return s
}
