// Package pep440 parses Python version numbers and version constraints:
// PEP 440 versions and specifier sets (as in requires-python) and Poetry's
// constraint syntax (^, ~, ||). venv2flox uses it to decide which Python
// minor versions a project's declarations allow, and to find declarations
// that no single interpreter satisfies.
package pep440

import (
	"errors"
	"strconv"
	"strings"
)

// Version is a parsed PEP 440 version.
type Version struct {
	Epoch   int
	Release []int
	// PreKind is "a", "b" or "rc" (normalised); "" when not a pre-release.
	PreKind string
	Pre     int
	HasPost bool
	Post    int
	HasDev  bool
	Dev     int
	// Local holds the local version label's segments ("ubuntu", "1").
	Local []string
}

var errEmpty = errors.New("empty version")

// ParseVersion parses a version in any form PEP 440 normalises: "v1.0",
// "1!2.0", "1.0a1", "1.0-rc.2", "1.0.post1", "1.0-1", "1.0.dev3",
// "1.0+ubuntu.1". Case and surrounding spaces do not matter.
func ParseVersion(s string) (Version, error) {
	in := s
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return Version{}, errEmpty
	}
	var v Version
	s = strings.TrimPrefix(s, "v")
	if i := strings.IndexByte(s, '!'); i >= 0 {
		e, err := atoi(s[:i])
		if err != nil {
			return Version{}, errors.New("invalid epoch in version " + strconv.Quote(in))
		}
		v.Epoch = e
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, '+'); i >= 0 {
		local := s[i+1:]
		s = s[:i]
		// Segments are separated by exactly one of . - _; empty ones are invalid.
		for part := range strings.SplitSeq(strings.NewReplacer("-", ".", "_", ".").Replace(local), ".") {
			if !isAlnum(part) {
				return Version{}, errors.New("invalid local label in version " + strconv.Quote(in))
			}
			v.Local = append(v.Local, part)
		}
		if len(v.Local) == 0 {
			return Version{}, errors.New("empty local label in version " + strconv.Quote(in))
		}
	}
	// Release: digits separated by dots.
	n, rest := leadingDigits(s)
	if n == "" {
		return Version{}, errors.New("version must start with a number: " + strconv.Quote(in))
	}
	for {
		x, err := atoi(n)
		if err != nil {
			return Version{}, errors.New("number too large in version " + strconv.Quote(in))
		}
		v.Release = append(v.Release, x)
		if len(rest) < 2 || rest[0] != '.' || !isDigit(rest[1]) {
			break
		}
		n, rest = leadingDigits(rest[1:])
	}
	s = rest
	// Pre-release.
	if t, kind, num, ok := suffix(s, preWords); ok {
		v.PreKind, v.Pre, s = kind, num, t
	}
	// Post-release: "-N" or [sep]post[sep]N.
	if len(s) > 1 && s[0] == '-' && isDigit(s[1]) {
		d, t := leadingDigits(s[1:])
		x, err := atoi(d)
		if err != nil {
			return Version{}, errors.New("number too large in version " + strconv.Quote(in))
		}
		v.HasPost, v.Post, s = true, x, t
	} else if t, _, num, ok := suffix(s, postWords); ok {
		v.HasPost, v.Post, s = true, num, t
	}
	if t, _, num, ok := suffix(s, devWords); ok {
		v.HasDev, v.Dev, s = true, num, t
	}
	if s != "" {
		return Version{}, errors.New("invalid version " + strconv.Quote(in))
	}
	return v, nil
}

// The spellings PEP 440 normalises, longest first so "rc" wins over "r".
var (
	preWords  = [][2]string{{"preview", "rc"}, {"alpha", "a"}, {"beta", "b"}, {"pre", "rc"}, {"rc", "rc"}, {"a", "a"}, {"b", "b"}, {"c", "rc"}}
	postWords = [][2]string{{"post", "post"}, {"rev", "post"}, {"r", "post"}}
	devWords  = [][2]string{{"dev", "dev"}}
)

// suffix reads an optional separator, one of words, an optional separator
// and an optional number from the start of s.
func suffix(s string, words [][2]string) (rest, kind string, num int, ok bool) {
	t := s
	if t != "" && isSep(rune(t[0])) {
		t = t[1:]
	}
	for _, w := range words {
		if !strings.HasPrefix(t, w[0]) {
			continue
		}
		u := t[len(w[0]):]
		if len(u) > 1 && isSep(rune(u[0])) && isDigit(u[1]) {
			u = u[1:]
		}
		d, u := leadingDigits(u)
		if d != "" {
			x, err := atoi(d)
			if err != nil {
				return s, "", 0, false
			}
			num = x
		}
		return u, w[1], num, true
	}
	return s, "", 0, false
}

func isSep(r rune) bool { return r == '.' || r == '-' || r == '_' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && (c < 'a' || c > 'z') {
			return false
		}
	}
	return s != ""
}

func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

// atoi parses a decimal number, refusing values above half the int range
// so arithmetic on release parts (a bound's +1) can never overflow.
// Timestamps are usual parts ("1.7.0.dev202605130309").
func atoi(s string) (int, error) {
	if s == "" {
		return 0, errors.New("empty number")
	}
	x, err := strconv.ParseInt(s, 10, strconv.IntSize-1)
	return int(x), err
}

// String returns the normalised form of the version.
func (v Version) String() string {
	var b strings.Builder
	if v.Epoch != 0 {
		b.WriteString(strconv.Itoa(v.Epoch))
		b.WriteByte('!')
	}
	for i, r := range v.Release {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(r))
	}
	if v.PreKind != "" {
		b.WriteString(v.PreKind)
		b.WriteString(strconv.Itoa(v.Pre))
	}
	if v.HasPost {
		b.WriteString(".post")
		b.WriteString(strconv.Itoa(v.Post))
	}
	if v.HasDev {
		b.WriteString(".dev")
		b.WriteString(strconv.Itoa(v.Dev))
	}
	if len(v.Local) > 0 {
		b.WriteByte('+')
		b.WriteString(strings.Join(v.Local, "."))
	}
	return b.String()
}

// IsPrerelease reports whether v is an alpha, beta, rc or dev release.
func (v Version) IsPrerelease() bool { return v.PreKind != "" || v.HasDev }

// Public returns v without its local label.
func (v Version) Public() Version {
	v.Local = nil
	return v
}

// Compare returns -1, 0 or +1 as v sorts before, equal to or after w in
// PEP 440 order (1.0.dev0 < 1.0a1 < 1.0 < 1.0.post1 < 1.0+local; 1.0 == 1.0.0).
func (v Version) Compare(w Version) int {
	if c := cmpInt(v.Epoch, w.Epoch); c != 0 {
		return c
	}
	if c := compareRelease(v.Release, w.Release); c != 0 {
		return c
	}
	if c := cmpInt(v.preKey(), w.preKey()); c != 0 {
		return c
	}
	if v.PreKind != "" && w.PreKind != "" {
		if c := cmpInt(v.Pre, w.Pre); c != 0 {
			return c
		}
	}
	if c := cmpOpt(v.HasPost, v.Post, w.HasPost, w.Post, -1); c != 0 {
		return c
	}
	if c := cmpOpt(v.HasDev, v.Dev, w.HasDev, w.Dev, +1); c != 0 {
		return c
	}
	return compareLocal(v.Local, w.Local)
}

// preKey orders the pre-release phase: a dev release of the final version
// (1.0.dev0) sorts before any pre-release, and the final release after all.
func (v Version) preKey() int {
	switch v.PreKind {
	case "a":
		return 1
	case "b":
		return 2
	case "rc":
		return 3
	}
	if v.HasDev && !v.HasPost {
		return 0
	}
	return 4
}

// cmpOpt compares optional numbers; absent sorts as missing (-1 before any
// number, +1 after every number).
func cmpOpt(hasA bool, a int, hasB bool, b int, missing int) int {
	switch {
	case hasA && hasB:
		return cmpInt(a, b)
	case hasA:
		return -missing
	case hasB:
		return missing
	}
	return 0
}

func compareRelease(a, b []int) int {
	n := max(len(a), len(b))
	for i := range n {
		if c := cmpInt(at(a, i), at(b, i)); c != 0 {
			return c
		}
	}
	return 0
}

func at(r []int, i int) int {
	if i < len(r) {
		return r[i]
	}
	return 0
}

// compareLocal orders local labels: none sorts first; numeric segments sort
// after alphanumeric ones and numerically among themselves.
func compareLocal(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		an, aerr := strconv.Atoi(a[i])
		bn, berr := strconv.Atoi(b[i])
		switch {
		case aerr == nil && berr == nil:
			if c := cmpInt(an, bn); c != 0 {
				return c
			}
		case aerr == nil:
			return 1
		case berr == nil:
			return -1
		default:
			if c := strings.Compare(a[i], b[i]); c != 0 {
				return c
			}
		}
	}
	return cmpInt(len(a), len(b))
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
