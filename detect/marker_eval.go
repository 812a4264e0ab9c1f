package detect

import (
	"strings"

	"github.com/venv2flox/venv2flox/internal/pep440"
)

// MarkerEnv is the environment a PEP 508 marker is evaluated in.
type MarkerEnv struct {
	// Vars maps a variable to its value ("python_version": "3.13",
	// "sys_platform": "linux"). Variables it lacks are unknown.
	Vars map[string]string
	// Extras are the extras being installed, for `extra == "x"`, which
	// holds when x is one of them (uv.lock also writes its conflicting
	// extras and groups this way, as "extra-3-app-cpu"). nil: unknown.
	Extras []string
}

// MarkerHolds reports whether an environment marker holds in env (PEP 508:
// version comparisons by PEP 440 where both sides are versions, string
// comparisons otherwise). A comparison involving a variable env lacks, and
// a marker that does not parse, count as holding: callers use this to leave
// out only what certainly does not apply.
func MarkerHolds(marker string, env MarkerEnv) bool {
	if strings.TrimSpace(marker) == "" {
		return true
	}
	toks, err := markerTokens(marker)
	if err != nil {
		return true
	}
	e := &markerEval{toks: toks, env: env}
	v, ok := e.or(0)
	if !ok || e.pos != len(toks) {
		return true
	}
	return v
}

type markerEval struct {
	toks []markerTok
	pos  int
	env  MarkerEnv
}

func (e *markerEval) at(text string) bool {
	return e.pos < len(e.toks) && e.toks[e.pos].kind != tokString && e.toks[e.pos].text == text
}

// or, and and expr return the value and whether the marker parsed; the
// depth bounds nesting as parseMarker does.
func (e *markerEval) or(depth int) (bool, bool) {
	if depth > 50 {
		return false, false
	}
	v, ok := e.and(depth)
	for ok && e.at("or") {
		e.pos++
		var w bool
		w, ok = e.and(depth)
		v = v || w
	}
	return v, ok
}

func (e *markerEval) and(depth int) (bool, bool) {
	v, ok := e.expr(depth)
	for ok && e.at("and") {
		e.pos++
		var w bool
		w, ok = e.expr(depth)
		v = v && w
	}
	return v, ok
}

func (e *markerEval) expr(depth int) (bool, bool) {
	if e.at("(") {
		e.pos++
		v, ok := e.or(depth + 1)
		if !ok || !e.at(")") {
			return false, false
		}
		e.pos++
		return v, true
	}
	start := e.pos
	left, lknown, ok := e.value()
	if !ok || e.pos >= len(e.toks) {
		return false, false
	}
	op := e.toks[e.pos].text
	switch {
	case e.toks[e.pos].kind == tokOp, e.at("in"):
		e.pos++
	case e.at("not"):
		e.pos++
		if !e.at("in") {
			return false, false
		}
		e.pos++
		op = "not in"
	default:
		return false, false
	}
	right, rknown, ok := e.value()
	if !ok {
		return false, false
	}
	if v, ok := e.extraComparison(start, op); ok {
		return v, true
	}
	if !lknown || !rknown {
		return true, true
	}
	return compareMarker(left, op, right), true
}

// extraComparison evaluates `extra == "x"` and `extra != "x"` (either side
// first) as membership in the extras being installed; ok is false for
// other comparisons and when the extras are unknown.
func (e *markerEval) extraComparison(start int, op string) (v, ok bool) {
	if e.env.Extras == nil || op != "==" && op != "!=" {
		return false, false
	}
	a, b := e.toks[start], e.toks[e.pos-1]
	if b.kind == tokWord {
		a, b = b, a
	}
	if a.kind != tokWord || a.text != "extra" || b.kind != tokString {
		return false, false
	}
	in := false
	for _, x := range e.env.Extras {
		in = in || NormalizeName(x) == NormalizeName(b.text)
	}
	return in == (op == "=="), true
}

// value reads a string or a variable; known is false for a variable the
// environment lacks.
func (e *markerEval) value() (text string, known, ok bool) {
	if e.pos >= len(e.toks) {
		return "", false, false
	}
	t := e.toks[e.pos]
	e.pos++
	switch t.kind {
	case tokString:
		return t.text, true, true
	case tokWord:
		v, known := e.env.Vars[strings.ReplaceAll(t.text, ".", "_")]
		return v, known, true
	}
	return "", false, false
}

// compareMarker applies one marker operator: PEP 440 when both sides are
// versions (the right side may be a wildcard like "3.*"), strings otherwise.
func compareMarker(left, op, right string) bool {
	switch op {
	case "in":
		return strings.Contains(right, left)
	case "not in":
		return !strings.Contains(right, left)
	}
	if v, err := pep440.ParseVersion(left); err == nil {
		if spec, err := pep440.ParseSpecifier(op + right); err == nil {
			return spec.Contains(v)
		}
	}
	switch op {
	case "==", "===":
		return left == right
	case "!=":
		return left != right
	case "<":
		return left < right
	case "<=":
		return left <= right
	case ">":
		return left > right
	case ">=":
		return left >= right
	}
	return true
}
