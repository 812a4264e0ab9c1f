package migrate

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/rewrite"
)

// noteManifestLock is said in every plan: the lock cannot be made offline.
const noteManifestLock = ".flox/env/manifest.lock is created by the first `flox activate`, which resolves the packages against the Flox catalog; commit it afterwards"

// BuildPlan decides the Flox environment for one project: the interpreter,
// the package manager and how it syncs the venv, the system packages, the
// variables, the hook and the profiles, each with the reason and evidence
// behind it. It is a pure function of the project's facts and the options.
func BuildPlan(p *detect.Project, opts PlanOptions) (*Plan, error) {
	if p == nil {
		return nil, errors.New("no project to plan")
	}
	kb, err := loadKnowledge()
	if err != nil {
		return nil, err
	}
	venv, err := venvDir(opts.VenvDir)
	if err != nil {
		return nil, err
	}
	sp, err := chooseSync(p, opts)
	if err != nil {
		return nil, err
	}
	synced, err := syncSet(p, venv, sp)
	if err != nil {
		return nil, err
	}
	ic, err := chooseInterpreterIn(p, opts.Python, wheelFitOf(p, kb, synced), opts.Repository)
	if err != nil {
		return nil, err
	}
	sys := planSystem(p, kb, synced, ic.target())

	plan := &Plan{
		Project:     p,
		EnvName:     Slug(envNameFor(p, opts)),
		Interpreter: ic.Interpreter,
		Manager:     sp.Manager,
		ManagerWhy:  sp.Why,
		VenvDir:     venv,
		Synced:      nonNil(sp.Synced),
		Sync:        sp.Commands,
		Hashed:      sp.Hashed,
		Groups:      sp.Groups,
	}
	plan.Packages = append(plan.Packages, ic.Package)
	if ev, ok := tkinterRequest(p); ok {
		if tk, ok := tkinterPackage(ic.Package, ev); ok {
			plan.Packages = append(plan.Packages, tk)
		} else {
			plan.Notices = append(plan.Notices, fmt.Sprintf("%s installs Tk for Python, but the catalog has tkinter only beside python311 to python315 (python3XXPackages.tkinter): add it by hand for %s", ev, ic.Package.PkgPath))
		}
	}
	if sp.Tool != nil {
		plan.Packages = append(plan.Packages, *sp.Tool)
	}
	for _, pkg := range sys.Packages {
		if slices.ContainsFunc(plan.Packages, func(q Package) bool { return q.ID == pkg.ID }) {
			continue
		}
		plan.Packages = append(plan.Packages, pkg)
	}
	plan.Vars = slices.Clone(sp.Vars)
	sort.SliceStable(plan.Vars, func(i, j int) bool { return plan.Vars[i].Name < plan.Vars[j].Name })

	plan.Hook, plan.HookSteps, err = buildHook(venv, ic.Interpreter, sp, sys.Libraries, sys.LibraryPathWhy)
	if err != nil {
		return nil, err
	}
	plan.Setup = checkSetup(p, sp, plan.Hook, ic.Interpreter.Minor)
	plan.Profile = buildProfile()
	plan.Conflicts = mergeConflicts(p.Conflicts, ic.Conflicts)
	plan.Warnings = append(plan.Warnings, ic.Warnings...)
	plan.Warnings = append(plan.Warnings, sys.Warnings...)
	plan.Libraries = sys.Libraries
	// What the sync does differently from the contributor's setup is a
	// notice; the interpreter's evidence and the libraries wheels bundle
	// are notes.
	plan.Notices = append(plan.Notices, ic.Notices...)
	plan.Notices = append(plan.Notices, sp.Notes...)
	plan.Notices = append(plan.Notices, sys.Notices...)
	plan.Notices = append(plan.Notices, unknownGroups(p, opts.Groups)...)
	plan.Notices = append(plan.Notices, walkerNotices(p)...)
	plan.Notes = append(plan.Notes, ic.Notes...)
	plan.Notes = append(plan.Notes, sys.Notes...)
	plan.Notes = append(plan.Notes, noteManifestLock)
	return plan, nil
}

// unknownGroups notes --group names the project declares nowhere: no
// dependency group, extra or requirements file has them.
func unknownGroups(p *detect.Project, groups []string) []string {
	declared := map[string]bool{}
	for _, r := range p.Requirements {
		declared[normalizeName(r.Group)] = true
	}
	for _, f := range p.Files {
		declared[normalizeName(f.Group)] = true
	}
	var notes []string
	for _, g := range groups {
		if !declared[normalizeName(g)] {
			notes = append(notes, fmt.Sprintf("--group %s: the project declares no such group, extra or requirements file", g))
		}
	}
	return notes
}

// envNameFor is --env-name, else the project folder's name.
func envNameFor(p *detect.Project, opts PlanOptions) string {
	if opts.EnvName != "" {
		return opts.EnvName
	}
	if base := path.Base(p.Root); base != "." && base != "/" {
		return base
	}
	return ""
}

// mergeConflicts joins detect's conflicts with the planner's, once each:
// two conflicts between the same pair of facts are one.
func mergeConflicts(lists ...[]detect.Conflict) []detect.Conflict {
	var out []detect.Conflict
	seen := map[[2]detect.Evidence]bool{}
	for _, list := range lists {
		for _, c := range list {
			k, rk := [2]detect.Evidence{c.A, c.B}, [2]detect.Evidence{c.B, c.A}
			if seen[k] || seen[rk] {
				continue
			}
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// RewriteContext is what the rewriters need from the plan: where the
// project is, the venv folders it used, the files the hook now syncs and
// the manager.
func (p *Plan) RewriteContext(projectDir string, keepVenv bool) *rewrite.Context {
	ctx := &rewrite.Context{
		ProjectDir: projectDir,
		Synced:     slices.Clone(p.Synced),
		Groups:     slices.Clone(p.Groups),
		Manager:    p.Manager,
		KeepVenv:   keepVenv,
		Python:     p.Interpreter.Minor,
		Venv:       projectVenv(p.VenvDir),
	}
	for _, pkg := range p.Packages {
		ctx.Packages = append(ctx.Packages, pkg.PkgPath)
	}
	if p.Project == nil {
		return ctx
	}
	seen := map[string]bool{}
	for _, v := range p.Project.Venvs {
		dir := strings.TrimSpace(v.Dir)
		// Container venvs (/opt/venv) are production layout, not ours.
		// An ignore file's pattern names venvs it keeps out, not one the project uses.
		if dir == "" || v.File == detect.KindDockerfile || v.File == detect.KindIgnoreFile || strings.HasPrefix(dir, "/") || strings.HasPrefix(dir, "~") {
			continue
		}
		if !strings.ContainsAny(dir, "$`") {
			dir = path.Clean(strings.ReplaceAll(dir, `\`, "/"))
		}
		if !seen[dir] {
			seen[dir] = true
			ctx.VenvDirs = append(ctx.VenvDirs, dir)
		}
	}
	sort.Strings(ctx.VenvDirs)
	ctx.ContainerScripts = containerScripts(p.Project)
	ctx.SourcedScripts = sourcedScripts(p.Project)
	ctx.ProjectName = p.Project.Name
	ctx.SharedMakefiles = sharedMakefiles(p.Project)
	for tool := range treeWalkers(p.Project) {
		ctx.TreeWalkers = append(ctx.TreeWalkers, tool)
	}
	sort.Strings(ctx.TreeWalkers)
	return ctx
}

// projectVenv is the hook's venv folder seen from the project folder:
// $FLOX_ENV_CACHE is .flox/cache for a project environment.
func projectVenv(venvDir string) string {
	if rest, ok := strings.CutPrefix(venvDir, "$FLOX_ENV_PROJECT/"); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(venvDir, "$FLOX_ENV_CACHE/"); ok {
		return ".flox/cache/" + rest
	}
	return ""
}

// containerScripts returns the project's shell scripts that a Dockerfile
// starts (ENTRYPOINT ["./boot.sh"], CMD ["bash", "scripts/start.sh"], RUN
// ./install.sh), matched by file name: inside the image their paths differ.
func containerScripts(p *detect.Project) []string {
	names := map[string]bool{}
	for _, c := range p.Commands {
		if c.File != detect.KindDockerfile {
			continue
		}
		prog, args := c.Name, c.Args
		switch path.Base(prog) {
		case "sh", "bash", "dash", "exec":
			if len(args) == 0 || strings.HasPrefix(args[0], "-") {
				continue
			}
			prog = args[0]
		}
		if strings.Contains(prog, "/") || strings.HasSuffix(prog, ".sh") {
			names[path.Base(prog)] = true
		}
	}
	var out []string
	for _, f := range p.Files {
		if f.Kind == detect.KindShell && names[path.Base(f.Path)] {
			out = append(out, f.Path)
		}
	}
	return out
}

// sharedMakefiles lists the Makefiles that include or are included by
// another Makefile of the project, when any of them uses the venv.
func sharedMakefiles(p *detect.Project) []string {
	makefiles := map[string]bool{}
	for _, f := range p.Files {
		if f.Kind == detect.KindMakefile {
			makefiles[f.Path] = true
		}
	}
	var linked [][2]string
	for _, c := range p.Commands {
		if c.Name != "include" || c.File != detect.KindMakefile {
			continue
		}
		for _, a := range c.Args {
			target := path.Join(path.Dir(c.Evidence.Path), a)
			if makefiles[target] {
				linked = append(linked, [2]string{c.Evidence.Path, target})
			}
		}
	}
	usesVenv := map[string]bool{}
	for _, v := range p.Venvs {
		usesVenv[v.Evidence.Path] = true
	}
	// Files linked by includes form groups (union-find on their paths).
	group := map[string]string{}
	var find func(string) string
	find = func(f string) string {
		if g, ok := group[f]; ok && g != f {
			group[f] = find(g)
			return group[f]
		}
		return f
	}
	for _, l := range linked {
		group[find(l[0])] = find(l[1])
	}
	// A group is shared when the venv is used in more than one of its
	// files, or in a file another includes (a Makefile.venv fragment):
	// rewriting one alone would strand the others' references.
	venvFiles := map[string][]string{}
	venvGroups := map[string]bool{}
	for _, l := range linked {
		for i, f := range l {
			if !usesVenv[f] {
				continue
			}
			root := find(f)
			if !slices.Contains(venvFiles[root], f) {
				venvFiles[root] = append(venvFiles[root], f)
			}
			venvGroups[root] = venvGroups[root] || i == 1 || len(venvFiles[root]) > 1
		}
	}
	var out []string
	for _, l := range linked {
		for _, f := range l {
			if venvGroups[find(f)] && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	sort.Strings(out)
	return out
}

// sourcedScripts lists the project's scripts that its files read with
// `source` or `.` (a Makefile's `source env.sh`, a README's
// `. ./activate.sh`).
func sourcedScripts(p *detect.Project) []string {
	names := map[string]bool{}
	for _, c := range p.Commands {
		if (c.Name == "source" || c.Name == ".") && len(c.Args) > 0 && !strings.ContainsAny(c.Args[0], "$`") {
			names[path.Clean(c.Args[0])] = true
		}
	}
	var out []string
	for _, f := range p.Files {
		if f.Kind == detect.KindShell && names[f.Path] {
			out = append(out, f.Path)
		}
	}
	return out
}

// Text renders the plan for people (`venv2flox plan --format text`): every
// decision with its reason and evidence.
func (p *Plan) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Environment %s (venv %s)\n", p.EnvName, p.VenvDir)
	fmt.Fprintf(&b, "\nInterpreter: Python %s", p.Interpreter.Minor)
	b.WriteByte('\n')
	writeReason(&b, "  ", p.Interpreter.Reason)

	fmt.Fprintf(&b, "\nManager: %s\n", p.Manager)
	writeReason(&b, "  ", p.ManagerWhy)
	for _, c := range p.Sync {
		fmt.Fprintf(&b, "  sync: %s\n", c)
	}
	if len(p.Synced) > 0 {
		fmt.Fprintf(&b, "  installs from: %s\n", strings.Join(p.Synced, ", "))
	}
	if len(p.Groups) > 0 {
		fmt.Fprintf(&b, "  groups and extras: %s\n", strings.Join(p.Groups, ", "))
	}
	if len(p.Hashed) > 0 {
		fmt.Fprintf(&b, "  re-syncs when these change: %s\n", strings.Join(p.Hashed, ", "))
	}

	b.WriteString("\nPackages:\n")
	for _, pkg := range p.Packages {
		fmt.Fprintf(&b, "  %s = %s", pkg.ID, pkg.PkgPath)
		if pkg.Version != "" {
			fmt.Fprintf(&b, " version %s", pkg.Version)
		}
		if len(pkg.Outputs) > 0 {
			fmt.Fprintf(&b, " outputs %s", strings.Join(pkg.Outputs, ","))
		}
		if pkg.PkgGroup != "" {
			fmt.Fprintf(&b, " in pkg-group %s", pkg.PkgGroup)
		}
		if len(pkg.Systems) > 0 {
			fmt.Fprintf(&b, " on %s", strings.Join(pkg.Systems, ", "))
		}
		b.WriteByte('\n')
		writeReason(&b, "    ", pkg.Reason)
	}
	if len(p.Vars) > 0 {
		b.WriteString("\nVariables:\n")
		for _, v := range p.Vars {
			fmt.Fprintf(&b, "  %s=%s\n", v.Name, v.Value)
			writeReason(&b, "    ", v.Reason)
		}
	}
	if len(p.HookSteps) > 0 {
		b.WriteString("\nHook (on activation):\n")
		for i, s := range p.HookSteps {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, s.Name)
			writeReason(&b, "     ", s.Reason)
		}
	}
	if p.Setup != nil {
		p.Setup.writeText(&b)
	}
	if p.Unfree {
		b.WriteString("\nOptions: allow.unfree = true (CUDA)\n")
	}
	if len(p.Conflicts) > 0 {
		b.WriteString("\nConflicts:\n")
		for _, c := range p.Conflicts {
			fmt.Fprintf(&b, "  - %s\n", c.Message)
		}
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\nWarnings:\n")
		for _, w := range p.Warnings {
			fmt.Fprintf(&b, "  - %s\n", w)
		}
	}
	if len(p.Notices)+len(p.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range append(slices.Clone(p.Notices), p.Notes...) {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	return b.String()
}

func writeReason(b *strings.Builder, indent string, r Reason) {
	if r.Text != "" {
		b.WriteString(indent + "why: " + r.Text + "\n")
	}
	if len(r.Evidence) > 0 {
		ev := make([]string, len(r.Evidence))
		for i, e := range r.Evidence {
			ev[i] = e.String()
		}
		b.WriteString(indent + "evidence: " + strings.Join(ev, ", ") + "\n")
	}
}
