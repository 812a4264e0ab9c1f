package pep440

import (
	"errors"
	"strconv"
	"strings"
)

// Clause is one comparison: ">=3.8", "==3.11.*", "~=3.10", "===3.11.4".
type Clause struct {
	// Op is one of ===, ~=, ==, !=, <=, >=, <, >.
	Op      string
	Version Version
	// Wildcard is set for "==X.Y.*" and "!=X.Y.*".
	Wildcard bool
	// Raw is the version text as written; "===" compares it verbatim.
	Raw string
}

// Specifier is a set of versions: a union (OR) of intersections (AND) of
// clauses. PEP 440 specifier sets have one intersection; Poetry's "||"
// adds more. An intersection without clauses allows every version, and a
// Specifier without intersections allows none.
type Specifier struct {
	Any [][]Clause
}

// operators, longest first so "===" is not read as "==".
var operators = []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"}

// ParseSpecifier parses a PEP 440 specifier set such as ">=3.8,<4" or
// "~=3.10". An empty string allows every version. A bare version ("3.12"),
// invalid in PEP 440 but common in requires-python, is read as "==3.12.*".
func ParseSpecifier(s string) (Specifier, error) {
	var and []Clause
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			// Trailing and doubled commas appear in the wild; pip accepts them.
			continue
		}
		c, err := parseClause(part, true)
		if err != nil {
			return Specifier{}, err
		}
		and = append(and, c)
	}
	return Specifier{Any: [][]Clause{and}}, nil
}

// parseClause reads "op version". A clause without an operator is a
// wildcard match of the version when bareIsPrefix, an exact match otherwise.
func parseClause(s string, bareIsPrefix bool) (Clause, error) {
	op := ""
	for _, o := range operators {
		if strings.HasPrefix(s, o) {
			op = o
			break
		}
	}
	text := strings.TrimSpace(s[len(op):])
	if text == "" {
		return Clause{}, errors.New("missing version in " + strconv.Quote(s))
	}
	c := Clause{Op: op, Raw: text}
	if op == "===" {
		// Arbitrary equality compares strings; the version need not parse.
		c.Version, _ = ParseVersion(text)
		return c, nil
	}
	if op == "" {
		c.Op = "=="
		c.Wildcard = bareIsPrefix
	}
	if t, ok := strings.CutSuffix(text, ".*"); ok {
		if c.Op != "==" && c.Op != "!=" {
			return Clause{}, errors.New("wildcard is only allowed with == and !=: " + strconv.Quote(s))
		}
		c.Wildcard = true
		text = t
	}
	v, err := ParseVersion(text)
	if err != nil {
		return Clause{}, err
	}
	if c.Wildcard && (len(v.Local) > 0 || v.HasDev) {
		return Clause{}, errors.New("wildcard version cannot have a local or dev part: " + strconv.Quote(s))
	}
	if c.Op == "~=" && len(v.Release) < 2 {
		return Clause{}, errors.New("~= needs at least two release numbers: " + strconv.Quote(s))
	}
	if c.Op != "==" && c.Op != "!=" && len(v.Local) > 0 {
		return Clause{}, errors.New("local version label only allowed with == and !=: " + strconv.Quote(s))
	}
	c.Version = v
	return c, nil
}

// Contains reports whether v satisfies the specifier.
func (s Specifier) Contains(v Version) bool {
	for _, and := range s.Any {
		ok := true
		for _, c := range and {
			if !c.Contains(v) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// IsAny reports whether the specifier allows every version.
func (s Specifier) IsAny() bool {
	for _, and := range s.Any {
		if len(and) == 0 {
			return true
		}
	}
	return false
}

// AllowsMinor reports whether some final release major.minor.z with z in
// 0..99 satisfies the specifier.
func (s Specifier) AllowsMinor(major, minor int) bool {
	for z := range 100 {
		if s.Contains(Version{Release: []int{major, minor, z}}) {
			return true
		}
	}
	return false
}

// String returns the specifier in normalised form: clauses joined by ","
// and alternatives by " || ".
func (s Specifier) String() string {
	if len(s.Any) == 0 {
		return "<empty>"
	}
	alts := make([]string, len(s.Any))
	for i, and := range s.Any {
		parts := make([]string, len(and))
		for j, c := range and {
			parts[j] = c.String()
		}
		alts[i] = strings.Join(parts, ",")
	}
	return strings.Join(alts, " || ")
}

// String returns the clause in normalised form.
func (c Clause) String() string {
	if c.Op == "===" {
		return c.Op + c.Raw
	}
	if c.Wildcard {
		return c.Op + c.Version.String() + ".*"
	}
	return c.Op + c.Version.String()
}

// Contains reports whether v satisfies the clause, with PEP 440's rules for
// local labels and for pre- and post-releases next to an exclusive bound.
func (c Clause) Contains(v Version) bool {
	w := c.Version
	switch c.Op {
	case "===":
		return strings.EqualFold(v.String(), strings.TrimSpace(c.Raw))
	case "==":
		return c.equal(v)
	case "!=":
		return !c.equal(v)
	case "~=":
		prefix := Clause{Op: "==", Wildcard: true, Version: Version{Epoch: w.Epoch, Release: w.Release[:len(w.Release)-1]}}
		return v.Public().Compare(w) >= 0 && prefix.equal(v)
	case "<=":
		return v.Public().Compare(w) <= 0
	case ">=":
		return v.Public().Compare(w) >= 0
	case "<":
		if v.Public().Compare(w) >= 0 {
			return false
		}
		// <3.13 does not allow 3.13.0rc1, unless it names a pre-release itself.
		return w.IsPrerelease() || !v.IsPrerelease() || compareRelease(v.Release, w.Release) != 0 || v.Epoch != w.Epoch
	case ">":
		if v.Public().Compare(w) <= 0 {
			return false
		}
		// >3.12 does not allow 3.12.post1 unless it names a post-release.
		if !w.HasPost && v.HasPost && v.Epoch == w.Epoch && compareRelease(v.Release, w.Release) == 0 {
			return false
		}
		return true
	}
	return false
}

// equal is "==" without negation: a prefix match for wildcards, otherwise
// equality ignoring v's local label unless the clause has one.
func (c Clause) equal(v Version) bool {
	w := c.Version
	if c.Wildcard {
		if v.Epoch != w.Epoch {
			return false
		}
		for i, r := range w.Release {
			if at(v.Release, i) != r {
				return false
			}
		}
		return true
	}
	if len(w.Local) == 0 {
		v = v.Public()
	}
	return v.Compare(w) == 0
}
