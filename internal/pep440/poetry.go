package pep440

import (
	"errors"
	"strconv"
	"strings"
)

// ParsePoetry parses a Poetry version constraint: "^3.10", "~3.9", "*",
// "3.11.*", ">=3.8,<4.0", ">=3.8 <4.0", "^2.7 || ^3.6", "3.10" (exact), and
// PEP 440 clauses. "||" and "|" separate alternatives; commas and spaces
// separate clauses that must all hold.
func ParsePoetry(s string) (Specifier, error) {
	var spec Specifier
	for alt := range strings.SplitSeq(strings.ReplaceAll(s, "||", "|"), "|") {
		and, err := parsePoetryAnd(alt)
		if err != nil {
			return Specifier{}, err
		}
		spec.Any = append(spec.Any, and)
	}
	return spec, nil
}

func parsePoetryAnd(s string) ([]Clause, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("empty alternative in Poetry constraint")
	}
	var and []Clause
	for _, tok := range poetryTokens(s) {
		cs, err := parsePoetryClause(tok)
		if err != nil {
			return nil, err
		}
		and = append(and, cs...)
	}
	return and, nil
}

// poetryTokens splits on commas and spaces, keeping an operator written
// apart from its version (">= 3.8") with that version.
func poetryTokens(s string) []string {
	var out []string
	pendingOp := ""
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if isOnlyOperator(f) {
			pendingOp += f
			continue
		}
		out = append(out, pendingOp+f)
		pendingOp = ""
	}
	if pendingOp != "" {
		out = append(out, pendingOp) // reported as a missing version
	}
	return out
}

func isOnlyOperator(s string) bool {
	switch s {
	case "^", "~", "=", "===", "~=", "==", "!=", "<=", ">=", "<", ">":
		return true
	}
	return false
}

func parsePoetryClause(s string) ([]Clause, error) {
	switch {
	case s == "*":
		return nil, nil
	case strings.HasPrefix(s, "^"):
		return caret(s[1:])
	case strings.HasPrefix(s, "~") && !strings.HasPrefix(s, "~="):
		return tilde(s[1:])
	case strings.HasPrefix(s, "=") && !strings.HasPrefix(s, "=="):
		s = "==" + s[1:]
	}
	c, err := parseClause(s, false)
	if err != nil {
		return nil, err
	}
	return []Clause{c}, nil
}

// caret allows changes that keep the leftmost non-zero part: ^1.2.3 is
// >=1.2.3,<2.0.0; ^0.2.3 is >=0.2.3,<0.3.0; ^0.0.3 is >=0.0.3,<0.0.4.
func caret(s string) ([]Clause, error) {
	v, err := poetryVersion("^", s)
	if err != nil {
		return nil, err
	}
	n := len(v.Release)
	i := 0
	for i < n-1 && v.Release[i] == 0 {
		i++
	}
	upper := bump(v, i)
	return []Clause{{Op: ">=", Version: v, Raw: s}, {Op: "<", Version: upper, Raw: upper.String()}}, nil
}

// tilde allows patch changes, or minor changes when only a major is given:
// ~1.2.3 is >=1.2.3,<1.3.0; ~1.2 is >=1.2,<1.3; ~1 is >=1,<2.
func tilde(s string) ([]Clause, error) {
	v, err := poetryVersion("~", s)
	if err != nil {
		return nil, err
	}
	i := 1
	if len(v.Release) == 1 {
		i = 0
	}
	upper := bump(v, i)
	return []Clause{{Op: ">=", Version: v, Raw: s}, {Op: "<", Version: upper, Raw: upper.String()}}, nil
}

func poetryVersion(op, s string) (Version, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".*")
	if s == "" {
		return Version{}, errors.New("missing version after " + op)
	}
	v, err := ParseVersion(s)
	if err != nil {
		return Version{}, err
	}
	if len(v.Local) > 0 {
		return Version{}, errors.New("local version label not allowed with " + op + ": " + strconv.Quote(s))
	}
	return v, nil
}

// bump returns the release with part i incremented and later parts dropped.
func bump(v Version, i int) Version {
	r := make([]int, i+1)
	copy(r, v.Release)
	r[i]++
	return Version{Epoch: v.Epoch, Release: r}
}
