package detect

import (
	"fmt"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/internal/pep440"
)

// InterpreterSpecifier returns the Python versions an interpreter request
// allows. Specs are PEP 440 specifier sets ("3.12" meaning any 3.12.x) or,
// failing that, Poetry constraints ("^3.10").
func InterpreterSpecifier(r InterpreterRequest) (pep440.Specifier, error) {
	return interpreterSpecifier(r.Source, r.Spec)
}

func interpreterSpecifier(_ FileKind, spec string) (pep440.Specifier, error) {
	s, err := pep440.ParseSpecifier(spec)
	if err == nil {
		return s, nil
	}
	if p, perr := pep440.ParsePoetry(spec); perr == nil {
		return p, nil
	}
	if l, ok := legacyWildcards(spec); ok {
		if p, lerr := pep440.ParseSpecifier(l); lerr == nil {
			return p, nil
		}
	}
	return pep440.Specifier{}, err
}

// legacyWildcards drops ".*" after the version of ordered clauses
// (">=3.6.*", ">3.5.*,<4"): old setup.py files wrote them, setuptools and
// pip accepted them as ">=3.6", and PEP 440 parsers reject them.
func legacyWildcards(spec string) (string, bool) {
	parts := strings.Split(spec, ",")
	changed := false
	for i, p := range parts {
		t := strings.TrimSpace(p)
		if strings.HasPrefix(t, "==") || strings.HasPrefix(t, "!=") {
			continue
		}
		if c, ok := strings.CutSuffix(t, ".*"); ok {
			parts[i], changed = c, true
		}
	}
	return strings.Join(parts, ","), changed
}

// candidateMinors are the Python versions a conflict is checked over.
var candidateMinors = func() [][2]int {
	out := [][2]int{{2, 7}}
	for m := 6; m <= 16; m++ {
		out = append(out, [2]int{3, m})
	}
	return out
}()

// findConflicts reports pairs of interpreter requests that no single Python
// minor version satisfies. Only the project's statements about its own
// interpreter can conflict: CI jobs, Dockerfiles and runtime.txt describe
// other environments (a job on 3.9 and another on 3.13 are two jobs, not a
// contradiction), and so do files that serve other readers (an example
// project's pyproject.toml). CI matrix entries are alternatives, not
// requirements, and so are the extra versions a .python-version,
// .tool-versions or mise.toml file lists after its first.
func findConflicts(p *Project) {
	type req struct {
		r       InterpreterRequest
		allowed map[[2]int]bool
	}
	var reqs []req
	firstOfFile := map[string]bool{}
	for _, r := range p.Interpreters {
		if r.Matrix || r.Source.Info().Python.Tier != TierDecide {
			continue
		}
		if a := p.AudienceAt(r.Evidence); a != "" && a != AudienceContributor {
			continue // an example's or a deployment's own project
		}
		if r.Source == KindPythonVersion || r.Source == KindToolVersions || r.Source == KindMise {
			if firstOfFile[r.Evidence.Path] {
				continue
			}
			firstOfFile[r.Evidence.Path] = true
		}
		spec, err := InterpreterSpecifier(r)
		if err != nil || spec.IsAny() {
			continue
		}
		allowed := map[[2]int]bool{}
		for _, mm := range candidateMinors {
			if spec.AllowsMinor(mm[0], mm[1]) {
				allowed[mm] = true
			}
		}
		reqs = append(reqs, req{r, allowed})
	}
	sort.SliceStable(reqs, func(i, j int) bool { return lessEv(reqs[i].r.Evidence, reqs[j].r.Evidence) })
	for i := range reqs {
		for j := i + 1; j < len(reqs); j++ {
			a, b := reqs[i], reqs[j]
			if overlaps(a.allowed, b.allowed) {
				continue
			}
			p.Conflicts = append(p.Conflicts, Conflict{
				Message: fmt.Sprintf("%s asks for Python %s but %s asks for %s: no Python version satisfies both",
					a.r.Evidence, describeRequest(a.r), b.r.Evidence, describeRequest(b.r)),
				A: a.r.Evidence,
				B: b.r.Evidence,
			})
		}
	}
}

func overlaps(a, b map[[2]int]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

func describeRequest(r InterpreterRequest) string {
	s := r.Spec
	if r.Implementation != "" && r.Implementation != "cpython" {
		s = r.Implementation + " " + s
	}
	return s
}
