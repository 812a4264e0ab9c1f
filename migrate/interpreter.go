package migrate

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// Interpreter evidence, by tier (interpreter_evidence.go) and, within the
// deciding tier, by precedence: the rank of the request's kind in detect's
// kinds table, highest first. A deciding request only narrows the choice
// when it agrees with every request of higher precedence; one that does
// not is reported as a conflict and loses.
//
//  0. --python
//  1. .python-version (what pyenv, uv and asdf users run today)
//  2. lock files: uv.lock requires-python, poetry.lock python-versions,
//     pdm.lock, Pipfile.lock (what the locked packages were resolved for)
//  3. pyproject.toml requires-python and Poetry's python, setup.cfg/setup.py
//     python_requires
//  4. Pipfile python_version
//  5. .tool-versions, mise, conda environment files
//
// Among the minors those allow, an exact request decides; otherwise the
// newest minor the contributor CI jobs test (and the pinned releases have
// wheels for); otherwise the preferred minor (see pickMinor). Hints
// (Dockerfiles, runtime.txt, release jobs, templates) never take part.

// where is the request's evidence, with its source's name when the file
// name alone does not say it ("pyproject.toml:7 (requires-python)").
func (r pyRequest) where() string {
	l := r.label()
	if l == path.Base(r.Evidence.Path) {
		return r.Evidence.String()
	}
	return r.Evidence.String() + " (" + l + ")"
}

// label names the request's source, telling Poetry's python constraint
// from requires-python in pyproject.toml.
func (r pyRequest) label() string {
	if r.Source == detect.KindPyproject {
		if strings.ContainsAny(r.Spec, "^|") || strings.Contains(r.Spec, "~") && !strings.Contains(r.Spec, "~=") {
			return "Poetry python"
		}
		return "requires-python"
	}
	return sourceLabel(r.Source)
}

// sourceLabel names a request's source in reasons ("uv.lock requires-python").
func sourceLabel(kind detect.FileKind) string {
	if kind == flagSource {
		return "--python"
	}
	return kind.Info().Label
}

// flagSource marks the --python flag's request.
const flagSource detect.FileKind = "flag"

// The minors venv2flox can emit. The catalog's current interpreters are
// python311…python314; python315 is a pre-release, chosen only when asked
// for exactly; 3.8–3.10 are reachable only as older revisions of python3.
const (
	oldestMinor    = 8
	newestMinor    = 15
	oldestCatalog  = 11
	newestCatalog  = 14
	pythonMajorNum = 3
)

// pyRequest is one interpreter request, parsed.
type pyRequest struct {
	detect.InterpreterRequest
	rank    int
	allowed minorSet
	// exactMinor is set when the request names one minor ("3.12", "3.12.4").
	exactMinor int
	patch      string // "3.12.4" when a patch release is named
	text       string // the request for messages: "3.12", ">=3.10"
}

// minorSet is a set of Python 3 minor versions as a bit mask.
type minorSet uint32

func (s minorSet) has(m int) bool { return s&(1<<m) != 0 }

func allMinors() minorSet {
	var s minorSet
	for m := oldestMinor; m <= newestMinor; m++ {
		s |= 1 << m
	}
	return s
}

func oneMinor(m int) minorSet {
	if m < oldestMinor || m > newestMinor {
		return 0
	}
	return 1 << m
}

// interpreterChoice is the outcome of resolving the requests.
type interpreterChoice struct {
	Interpreter Interpreter
	Package     Package
	Conflicts   []detect.Conflict
	Notes       []string
	// Notices say how the interpreter differs from the one asked for
	// (another PyPy, no free-threaded build); migrate shows them.
	Notices []string
	// Warnings change what contributors get and are shown by migrate too.
	Warnings []string
}

// interpreterGroup is the pkg-group of an interpreter older than the
// catalog's current ones: a pkg-group resolves against one nixpkgs
// revision, and no revision has both an old python3 and a current uv.
const interpreterGroup = "python"

// chooseInterpreter picks one Python from the project's requests and the
// --python flag, by tier and precedence (see the top of this file).
// fit says which minors the packages the sync installs have wheels for.
func chooseInterpreter(p *detect.Project, flag string, fit wheelFit) (interpreterChoice, error) {
	return chooseInterpreterIn(p, flag, fit, RepositoryPython{})
}

// chooseInterpreterIn is chooseInterpreter for a project of a repository
// whose environments share repo's Python: the project gets it unless it
// asks for another minor exactly, or its requirements exclude it.
func chooseInterpreterIn(p *detect.Project, flag string, fit wheelFit, repo RepositoryPython) (interpreterChoice, error) {
	var out interpreterChoice
	var reqs []pyRequest
	if flag != "" {
		r, ok, note := parseRequest(detect.InterpreterRequest{Source: flagSource, Spec: flag, Evidence: detect.Evidence{Path: "--python"}})
		if !ok {
			return out, errors.New(note)
		}
		reqs = append(reqs, r)
	}
	var matrix []string
	var matrixEv []detect.Evidence
	var tested []pyRequest // CPython minors the contributor CI jobs test
	var ignored []string   // requests Flox cannot serve, by evidence
	var hints []string     // requests from other environments than the contributor's
	for _, ir := range p.Interpreters {
		tier, why := requestTier(p, ir)
		if tier == detect.TierHint {
			if ir.Spec != "" {
				hints = append(hints, fmt.Sprintf("%s (%s, %s)", ir.Evidence, ir.Spec, why))
			}
			continue
		}
		r, ok, note := parseRequest(ir)
		if tier == detect.TierInform {
			if ok && r.exactMinor != 0 && r.Implementation == "" && !r.FreeThreaded {
				tested = append(tested, r)
			}
			if ir.Matrix {
				// A bare implementation ("pypy" in tox's py{311,py}) has
				// no version: the note names the implementation instead.
				name := ir.Spec
				if name == "" {
					name = ir.Implementation
				}
				if name != "" {
					matrix = append(matrix, name)
					matrixEv = append(matrixEv, ir.Evidence)
				}
			}
			continue
		}
		if !ok {
			if note != "" {
				out.Notes = append(out.Notes, note)
				ignored = append(ignored, ir.Evidence.String())
			}
			continue
		}
		reqs = append(reqs, r)
	}
	sort.SliceStable(reqs, func(i, j int) bool {
		if reqs[i].rank != reqs[j].rank {
			return reqs[i].rank < reqs[j].rank
		}
		return lessEvidence(reqs[i].Evidence, reqs[j].Evidence)
	})

	// Narrow the feasible minors request by request, highest precedence
	// first; a request that would leave nothing loses and is reported.
	feasible := allMinors()
	var applied []pyRequest
	for _, r := range reqs {
		if feasible&r.allowed != 0 {
			feasible &= r.allowed
			applied = append(applied, r)
			continue
		}
		winner := blockingRequest(applied, r)
		msg := fmt.Sprintf("%s asks for Python %s, but %s says %s; %s has higher precedence and wins",
			r.where(), r.text, winner.where(), winner.text, winner.Evidence)
		if winner.Source == flagSource {
			msg = fmt.Sprintf("%s asks for Python %s, but --python %s overrides it", r.where(), r.text, winner.text)
		}
		out.Conflicts = append(out.Conflicts, detect.Conflict{Message: msg, A: winner.Evidence, B: r.Evidence})
	}

	shared := 0
	if r, ok, _ := parseRequest(detect.InterpreterRequest{Spec: repo.Minor}); ok && repo.Minor != "" {
		shared = r.exactMinor
	}
	minor, how := pickMinor(feasible, applied, hasExactPins(p), fit, tested, shared)
	if shared != 0 && minor != shared && how != byRequest {
		var why []string
		for _, r := range applied {
			if !r.allowed.has(shared) {
				why = append(why, fmt.Sprintf("%s says %s", r.where(), r.text))
			}
		}
		if feasible.has(shared) {
			why = append(why, fit.reason(shared))
		}
		out.Notices = append(out.Notices, fmt.Sprintf("Python 3.%d, not the repository's %s (%s): %s", minor, repo.Minor, repo.Why, strings.Join(why, "; ")))
	}
	impl, freeThreaded := "cpython", false
	var patch *pyRequest
	var decisive *pyRequest
	for i := range applied {
		r := &applied[i]
		if r.exactMinor != minor {
			continue
		}
		if decisive == nil && how == byRequest {
			decisive = r
			if r.Implementation != "" {
				impl = r.Implementation
			}
			freeThreaded = r.FreeThreaded
		}
		// Only .python-version (or --python) asks for a patch release: the
		// others name what a deployment or an old lock used.
		if r.patch != "" && patch == nil && (r.Source == detect.KindPythonVersion || r.Source == flagSource) {
			patch = r
		}
	}

	pkg, command, notes := interpreterPackage(minor, impl, freeThreaded)
	out.Notices = append(out.Notices, notes...)
	if patch != nil {
		// A pkg-group resolves against one catalog revision, and nothing
		// says one holds this patch release next to the other packages:
		// a version the catalog lacks would keep the manifest from locking.
		out.Notices = append(out.Notices, fmt.Sprintf("%s asks for Python %s; the environment installs the catalog's Python %d.%d, which has the latest patch release the catalog holds (a patch pin may name a release no catalog revision has, and then the manifest cannot lock)",
			patch.Evidence, patch.patch, pythonMajorNum, minor))
	}
	name := pkg.PkgPath
	if pkg.Version != "" {
		name += " version " + pkg.Version
	}
	if minor < oldestCatalog && impl == "cpython" {
		pkg.PkgGroup = interpreterGroup
		out.Warnings = append(out.Warnings, fmt.Sprintf("Python %d.%d is older than the catalog's current interpreters (python3%d to python3%d): it is installed as python3 version %q in its own pkg-group %q, resolved from an older catalog revision than uv and the other packages. Such revisions get no security fixes: plan an upgrade to 3.%d or newer",
			pythonMajorNum, minor, oldestCatalog, newestCatalog, pkg.Version, interpreterGroup, oldestCatalog))
	}
	pkg.Reason = interpreterReason(name, minor, how, decisive, applied, fit, tested, ignored)
	if how == byRepository {
		pkg.Reason = repositoryReason(name, repo, applied)
	}
	out.Package = pkg
	out.Interpreter = Interpreter{
		Minor:   fmt.Sprintf("%d.%d", pythonMajorNum, minor),
		Reason:  pkg.Reason,
		Command: command,
		Asked:   how == byRequest,
	}
	if len(matrix) > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("the project tests several Pythons (%s at %s); one Flox environment has one interpreter (%s), so the matrix stays in CI",
			strings.Join(dedupe(matrix), ", "), evidenceList(matrixEv), out.Interpreter.Minor))
	}
	if len(hints) > 0 {
		out.Notes = append(out.Notes, "Python versions of other environments, not used to choose the interpreter: "+strings.Join(dedupe(hints), "; "))
	}
	return out, nil
}

// blockingRequest finds the applied request that excludes r: the first one
// r cannot agree with on its own, or the last applied one when only their
// combination excludes r.
func blockingRequest(applied []pyRequest, r pyRequest) pyRequest {
	for _, a := range applied {
		if a.allowed&r.allowed == 0 {
			return a
		}
	}
	if len(applied) > 0 {
		return applied[len(applied)-1]
	}
	return pyRequest{text: "a Python the catalog has", InterpreterRequest: detect.InterpreterRequest{Source: "venv2flox", Evidence: detect.Evidence{Path: "venv2flox"}}}
}

// Without an exact request or a CI job that tests one, venv2flox does not
// pick the newest Python: a minor needs time before packages publish
// wheels for it, and without wheels pip builds from source (and fails
// without compilers and headers). 3.13 has had wheels from nearly every
// package for two years; releases pinned exactly (== or a lock file) may
// predate 3.13, so projects with pins get 3.12. Ranges that exclude these
// still get the newest they allow.
const (
	preferredMinor       = 13
	preferredPinnedMinor = 12
)

// minorSource says what picked the minor.
type minorSource int

const (
	byRequest    minorSource = iota // an exact deciding request
	byCI                            // the newest minor the contributor CI jobs test
	byLock                          // the newest minor a lock file lists wheels of every compiled package for
	byWheels                        // the newest minor the pinned releases have wheels for
	byPreference                    // the preferred minor among those allowed
	byRepository                    // the minor the repository's environments share
)

// pickMinor chooses from the feasible minors: the exact request of highest
// precedence; else the repository's shared minor (0: none) when it is
// feasible and the installed releases have wheels for it; else the newest
// feasible minor the CI jobs test, preferring one the installed releases
// have wheels for; else, when a lock file lists the wheels, the newest
// catalog minor they all serve; else the newest minor the pinned releases
// have wheels for at most the preferred one; else the preferred minor or
// the newest catalog minor below it, else the oldest newer catalog minor,
// else the newest feasible one (3.15 or an old 3.8–3.10).
func pickMinor(feasible minorSet, applied []pyRequest, pinned bool, fit wheelFit, tested []pyRequest, shared int) (int, minorSource) {
	for _, r := range applied {
		if r.exactMinor != 0 && feasible.has(r.exactMinor) {
			return r.exactMinor, byRequest
		}
	}
	// One interpreter across a repository's environments: ranges decide
	// whether it fits, CI jobs do not.
	if shared != 0 && feasible.has(shared) && fit.ok(shared) {
		return shared, byRepository
	}
	// CI tests prove the pins install there; wheels only break a tie
	// among the tested minors.
	var ci, ciWithWheels int
	for _, r := range tested {
		m := r.exactMinor
		if !feasible.has(m) || m == newestMinor {
			continue
		}
		ci = max(ci, m)
		if fit.ok(m) {
			ciWithWheels = max(ciWithWheels, m)
		}
	}
	if ciWithWheels > 0 {
		return ciWithWheels, byCI
	}
	// No tested minor has every wheel (old pins, or a release with no
	// Linux wheel at all): the tested catalog minor that builds the fewest
	// releases from source, the newest on a tie, rather than the newest,
	// whose wheels are the likeliest to be missing.
	fewest := 0
	for _, r := range tested {
		m := r.exactMinor
		if !feasible.has(m) || m == newestMinor || m < oldestCatalog || m > newestCatalog {
			continue
		}
		if fewest == 0 || fit.builds[m] < fit.builds[fewest] || fit.builds[m] == fit.builds[fewest] && m > fewest {
			fewest = m
		}
	}
	if fewest > 0 {
		return fewest, byCI
	}
	if ci > 0 {
		return ci, byCI
	}
	// A lock file lists every release's wheels: no need to guess that a
	// new minor lacks them.
	if fit.fromLock {
		for m := newestCatalog; m >= oldestCatalog; m-- {
			if feasible.has(m) && fit.ok(m) {
				return m, byLock
			}
		}
	}
	preferred := preferredMinor
	if pinned {
		preferred = preferredPinnedMinor
	}
	// Old pinned releases: the newest Python they have wheels for, even an
	// old python3 revision, rather than a source build that fails.
	// When the project's own requests exclude those, the closest one above.
	if fit.limited() {
		for m := preferred; m >= oldestMinor; m-- {
			if feasible.has(m) && fit.ok(m) {
				return m, byWheels
			}
		}
		for m := oldestMinor; m < preferred; m++ {
			if feasible.has(m) {
				return m, byWheels
			}
		}
	}
	for m := preferred; m >= oldestCatalog; m-- {
		if feasible.has(m) {
			return m, byPreference
		}
	}
	for m := preferred + 1; m <= newestCatalog; m++ {
		if feasible.has(m) {
			return m, byPreference
		}
	}
	// Only pre-release (3.15) or old minors remain: prefer the newest old
	// one, since 3.15 is never chosen unless asked for exactly.
	for m := oldestCatalog - 1; m >= oldestMinor; m-- {
		if feasible.has(m) {
			return m, byPreference
		}
	}
	return newestMinor, byPreference
}

// newestOf returns the first tested request for minor m, for the reason.
func newestOf(tested []pyRequest, m int) pyRequest {
	for _, r := range tested {
		if r.exactMinor == m {
			return r
		}
	}
	return pyRequest{}
}

// hasExactPins reports whether the project pins package releases exactly:
// a lock file, or == requirements.
func hasExactPins(p *detect.Project) bool {
	if len(p.Locked) > 0 {
		return true
	}
	for _, r := range p.Requirements {
		if strings.HasPrefix(r.Specifier, "==") {
			return true
		}
	}
	return false
}

// interpreterPackage turns the chosen minor into an [install] entry.
// Attribute names: nixpkgs pkgs/top-level/all-packages.nix defines
// python311 … python315 (through pythonInterpreters) and
// python313FreeThreading, python314FreeThreading and
// python315FreeThreading (python3XX overridden with enableGIL = false);
// pypy310 and pypy311 likewise; python310 and older are gone.
func interpreterPackage(minor int, impl string, freeThreaded bool) (Package, string, []string) {
	mv := fmt.Sprintf("%d.%d", pythonMajorNum, minor)
	pkg := Package{ID: "python"}
	command := "python3"
	var notes []string
	switch {
	case impl == "pypy" && (minor == 10 || minor == 11):
		pkg.PkgPath = fmt.Sprintf("pypy3%d", minor)
		command = "pypy3"
		// PyPy's own versions (7.3.x) are what the catalog knows; a
		// CPython patch pin does not translate.
	case impl == "pypy":
		pkg.PkgPath = "pypy3"
		command = "pypy3"
		notes = append(notes, fmt.Sprintf("the catalog has PyPy for Python 3.10 and 3.11 (pypy310, pypy311); PyPy %s is not available, so the current pypy3 is used", mv))
	case impl == "graalpy":
		pkg.PkgPath = fmt.Sprintf("python3%d", minor)
		notes = append(notes, "GraalPy was requested; venv2flox installs CPython "+mv+" instead: change the interpreter by hand if GraalPy is required")
	case freeThreaded && minor >= 13:
		pkg.PkgPath = fmt.Sprintf("python3%dFreeThreading", minor)
	case minor >= oldestCatalog:
		if freeThreaded {
			notes = append(notes, fmt.Sprintf("a free-threaded build of Python %s was requested; the catalog has one from 3.13 on (python313FreeThreading), so the regular build is used", mv))
		}
		pkg.PkgPath = fmt.Sprintf("python3%d", minor)
	default:
		// python310 was dropped and python39 and older are gone from
		// nixpkgs; the catalog still reaches old revisions of python3 by
		// version: "3.10" selects the newest 3.10.x it has (flox.md).
		pkg.PkgPath = "python3"
		pkg.Version = mv
	}
	if minor == newestMinor && impl == "cpython" {
		notes = append(notes, "Python 3.15 is a pre-release: packages may not publish wheels for it yet")
	}
	return pkg, command, notes
}

// interpreterReason explains the choice: what decided it and what else it
// satisfies, each with its evidence. Hints are never cited.
func interpreterReason(name string, minor int, how minorSource, decisive *pyRequest, applied []pyRequest, fit wheelFit, testedAll []pyRequest, ignored []string) Reason {
	tested := newestOf(testedAll, minor)
	var b strings.Builder
	var ev []detect.Evidence
	b.WriteString(name)
	switch {
	case decisive != nil:
		fmt.Fprintf(&b, " because %s says %s", decisive.Evidence, decisive.text)
		ev = append(ev, decisive.Evidence)
	case how == byCI:
		fmt.Fprintf(&b, " because it is the newest Python the project's setup and CI test jobs use (%s)", tested.Evidence)
		ev = append(ev, tested.Evidence)
		// A newer tested minor lost for lack of wheels says why.
		if minor+1 < newestMinor && newestOf(testedAll, minor+1).exactMinor != 0 && !fit.ok(minor+1) {
			fmt.Fprintf(&b, ", not 3.%d: %s", minor+1, fit.reason(minor+1))
			ev = append(ev, fit.lacking[minor+1].ev)
		}
	case how == byLock && minor == newestCatalog:
		fmt.Fprintf(&b, " because it is the newest Python the catalog has, and the lock file lists wheels for it of every compiled package the sync installs")
	case how == byLock:
		fmt.Fprintf(&b, " because it is the newest Python the lock file lists wheels for of every compiled package the sync installs: %s", fit.reason(minor+1))
		ev = append(ev, fit.lacking[minor+1].ev)
	case how == byWheels:
		why := fit.reason(minor + 1)
		l := fit.lacking[minor+1]
		if why == "" {
			why, l = fit.reason(minor), fit.lacking[minor]
		}
		b.WriteString(" because " + why)
		ev = append(ev, l.ev)
	case len(applied) > 0:
		fmt.Fprintf(&b, " because 3.%d is allowed by every requirement and packages publish wheels for it (newer minors may lack them)", minor)
	case len(ignored) > 0:
		fmt.Fprintf(&b, " because no Python the project asks for is one Flox has (%s; see the notes): 3.%d is one packages publish wheels for (--python picks another)", strings.Join(ignored, ", "), minor)
	default:
		fmt.Fprintf(&b, " because no project file asks for a Python version: 3.%d is one packages publish wheels for (newer minors may lack them; --python picks another)", minor)
	}
	var sat []string
	for _, r := range applied {
		if decisive != nil && r.Evidence == decisive.Evidence && r.Source == decisive.Source {
			continue
		}
		sat = append(sat, fmt.Sprintf("%s %s (%s)", r.label(), r.text, r.Evidence))
		ev = append(ev, r.Evidence)
	}
	if len(sat) > 0 {
		b.WriteString("; satisfies " + strings.Join(sat, ", "))
	}
	return Reason{Text: b.String(), Evidence: ev}
}

// repositoryReason explains a minor taken from the repository's other
// environments, and what else it satisfies. Its evidence is in another
// environment's folder, so it is written out (repository-relative) in the
// text rather than listed as this project's evidence.
func repositoryReason(name string, repo RepositoryPython, applied []pyRequest) Reason {
	r := interpreterReason(name, 0, byRepository, nil, applied, wheelFit{}, nil, nil)
	_, satisfies, _ := strings.Cut(r.Text, "; satisfies ")
	text := fmt.Sprintf("%s, the Python the repository's environments share: %s", name, repo.Why)
	if satisfies != "" {
		text += "; satisfies " + satisfies
	}
	return Reason{Text: text}
}

// parseRequest reads one request. ok is false when it names nothing
// venv2flox can act on ("system", garbage); note then says why.
func parseRequest(ir detect.InterpreterRequest) (pyRequest, bool, string) {
	// --python's rank is 0, before every kind's.
	r := pyRequest{InterpreterRequest: ir, rank: ir.Source.Info().Python.Rank}
	spec := strings.TrimSpace(ir.Spec)
	low := strings.ToLower(spec)
	// Implementation prefixes as .python-version and runtime.txt write them.
	for _, pre := range []struct{ prefix, impl string }{
		{"pypy", "pypy"}, {"graalpy", "graalpy"}, {"cpython-", ""}, {"cpython", ""}, {"python-", ""}, {"python", ""},
	} {
		if rest, ok := strings.CutPrefix(low, pre.prefix); ok {
			low = strings.TrimPrefix(rest, "-")
			if pre.impl != "" && r.Implementation == "" {
				r.Implementation = pre.impl
			}
			break
		}
	}
	if r.Implementation == "pypy" {
		// "pypy3.10-7.3.12": the language version comes first.
		low, _, _ = strings.Cut(low, "-")
	}
	// Free-threaded builds: "3.13t".
	if t, ok := strings.CutSuffix(low, "t"); ok && t != "" && isDigit(t[len(t)-1]) {
		low = t
		r.FreeThreaded = true
	}
	low = strings.TrimSuffix(strings.TrimSuffix(low, "-dev"), ".x")
	r.text = strings.Join(strings.Fields(ir.Spec), " ")
	if low == "" {
		return r, false, fmt.Sprintf("%s: Python request %q names no version; ignored", ir.Evidence, ir.Spec)
	}
	if strings.ContainsAny(low, "<>=!~^*,| ") {
		// PEP 440, then Poetry's forms, then legacy ">=3.6.*" (as detect reads them).
		spec, err := detect.InterpreterSpecifier(detect.InterpreterRequest{Source: ir.Source, Spec: low})
		if err != nil {
			return r, false, fmt.Sprintf("%s: cannot read Python constraint %q (%v); ignored", ir.Evidence, ir.Spec, err)
		}
		for m := oldestMinor; m <= newestMinor; m++ {
			if spec.AllowsMinor(pythonMajorNum, m) {
				r.allowed |= 1 << m
			}
		}
		if r.allowed == 0 {
			return r, false, fmt.Sprintf("%s: Python constraint %q allows no version Flox provides (3.%d to 3.%d); ignored", ir.Evidence, ir.Spec, oldestMinor, newestMinor)
		}
		return r, true, ""
	}
	// Leading numbers: "3.12-slim" (a Docker tag) is 3.12, "3.13.0rc1" is
	// 3.13.0 with a suffix, which pins no patch release.
	nums := make([]int, 0, 3)
	suffix := false
	for _, part := range strings.Split(low, ".") {
		digits := part
		if i := strings.IndexFunc(part, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
			digits, suffix = part[:i], true
		}
		n, err := strconv.Atoi(digits)
		if err != nil {
			suffix = true
			break
		}
		nums = append(nums, n)
		if suffix || len(nums) == 3 {
			break
		}
	}
	if len(nums) == 0 {
		return r, false, fmt.Sprintf("%s: Python request %q is not a version venv2flox understands; ignored", ir.Evidence, ir.Spec)
	}
	if nums[0] != pythonMajorNum || len(nums) > 1 && oneMinor(nums[1]) == 0 {
		return r, false, fmt.Sprintf("%s: Python %s is not available from Flox (3.%d to 3.%d are); ignored", ir.Evidence, ir.Spec, oldestMinor, newestMinor)
	}
	if len(nums) == 1 {
		r.allowed = allMinors()
		return r, true, ""
	}
	r.exactMinor = nums[1]
	r.allowed = oneMinor(nums[1])
	// A patch pin counts only when the whole spec is major.minor.patch: a
	// pre-release ("3.12.0rc1") pins only the minor.
	// A Dockerfile's base image (python:3.12.0-slim) pins the production
	// image, not the developer's interpreter: only its minor counts.
	if len(nums) == 3 && !suffix && strings.Count(low, ".") == 2 && r.Implementation != "pypy" && ir.Source != detect.KindDockerfile {
		r.patch = fmt.Sprintf("%d.%d.%d", nums[0], nums[1], nums[2])
	}
	return r, true, ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func lessEvidence(a, b detect.Evidence) bool {
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.Line < b.Line
}

func evidenceList(evs []detect.Evidence) string {
	s := make([]string, len(evs))
	for i, e := range evs {
		s[i] = e.String()
	}
	return strings.Join(dedupe(s), ", ")
}

// dedupe removes repeated strings, keeping the first of each.
func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// target is the chosen interpreter, for evaluating markers and wheel tags.
func (c interpreterChoice) target() pyTarget {
	minor, _ := pythonMinor(c.Interpreter.Minor)
	impl := "cpython"
	if c.Interpreter.Command == "pypy3" {
		impl = "pypy"
	}
	return pyTarget{minor: minor, impl: impl}
}
