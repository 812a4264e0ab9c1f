package migrate

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"

	"github.com/venv2flox/venv2flox/detect"
)

// nativeDepsTOML is the knowledge base of native needs: data, kept apart
// from the code that reads it so it can grow without code changes.
//
//go:embed nativedeps.toml
var nativeDepsTOML []byte

// knowledge is the parsed knowledge base.
type knowledge struct {
	Packages []nativeEntry `toml:"package"`
	// System maps a distribution's package names to catalog attributes, per
	// source ("apt", "apk", "brew", "conda"). An empty list means nothing
	// needs installing.
	System map[string]map[string][]string `toml:"system"`
	// Commands maps a program name to the catalog package providing it.
	Commands map[string]string `toml:"commands"`
	// Wheels maps a package's release line ("1.21") to the newest Python
	// minor ("3.9") that line publishes wheels for.
	Wheels map[string]map[string]string `toml:"wheels"`
	Basics struct {
		Names []string `toml:"names"`
	} `toml:"basics"`
	// Attrs gives every attribute the file names its evidence in nixpkgs
	// and, for attributes not on every system, the systems it has.
	Attrs map[string]attrFacts `toml:"attrs"`
	// HostLibraries lists what a manylinux wheel may take from the host.
	HostLibraries struct {
		Manylinux []string `toml:"manylinux"`
	} `toml:"host-libraries"`
	// Sonames maps such a library to the attribute that provides it.
	Sonames map[string]sonameFacts `toml:"sonames"`
	// Compiled lists packages whose compiled extension is required.
	Compiled map[string]compiledFacts `toml:"compiled"`
	// NoCxx lists packages whose wheels hold only C or Rust code.
	NoCxx map[string]noCxxFacts `toml:"no-cxx"`
}

// noCxxFacts is one [no-cxx] entry.
type noCxxFacts struct {
	Nixpkgs string `toml:"nixpkgs"`
	// Source names the upstream repository and file that show the language.
	Source string `toml:"source"`
}

// compiledFacts is one [compiled] entry.
type compiledFacts struct {
	Nixpkgs string `toml:"nixpkgs"`
	// Rust is true for extensions written in Rust.
	Rust bool `toml:"rust"`
}

// attrFacts is one [attrs] entry.
type attrFacts struct {
	Nixpkgs string `toml:"nixpkgs"`
	Systems string `toml:"systems"`
}

// sonameFacts is one [sonames] entry.
type sonameFacts struct {
	Attr    string   `toml:"attr"`
	Outputs []string `toml:"outputs"`
}

// nativeEntry is one [[package]] entry; nativedeps.toml documents the fields.
type nativeEntry struct {
	Names        []string `toml:"names"`
	Prefixes     []string `toml:"prefixes"`
	Extras       []string `toml:"extras"`
	Unless       []string `toml:"unless"`
	UnlessExtras []string `toml:"unless-extras"`
	Nix          []string `toml:"nix"`
	Build        []string `toml:"build"`
	When         []string `toml:"when"`
	Links        []string `toml:"links"`
	Loads        []string `toml:"loads"`
	GPU          bool     `toml:"gpu"`
	Binary       string   `toml:"binary"`
	Systems      string   `toml:"systems"`
	Evidence     []string `toml:"evidence"`
	Why          string   `toml:"why"`
}

// The values of an entry's `when`.
const (
	whenWheel    = "wheel"
	whenSdist    = "sdist"
	whenRun      = "run"
	whenOptional = "optional"
)

func (e *nativeEntry) has(when string) bool { return slices.Contains(e.When, when) }

// loadKnowledge decodes the embedded knowledge base once. Strict checks
// (parseKnowledge) run in the tests rather than on every run: the embedded
// file cannot change after the build.
var loadKnowledge = sync.OnceValues(func() (*knowledge, error) {
	var kb knowledge
	if err := toml.Unmarshal(nativeDepsTOML, &kb); err != nil {
		return nil, fmt.Errorf("nativedeps.toml: %w", err)
	}
	return &kb, nil
})

// parseKnowledge parses a knowledge base strictly (no unknown fields) and
// checks its entries.
func parseKnowledge(data []byte) (*knowledge, error) {
	var kb knowledge
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&kb); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			// The summary alone does not say which field; the details do.
			return nil, fmt.Errorf("nativedeps.toml: unknown field:\n%s", strict.String())
		}
		return nil, fmt.Errorf("nativedeps.toml: %w", err)
	}
	if err := kb.check(); err != nil {
		return nil, fmt.Errorf("nativedeps.toml: %w", err)
	}
	return &kb, nil
}

// check rejects entries the planner could not use correctly.
func (kb *knowledge) check() error {
	var errs []error
	for i, e := range kb.Packages {
		where := fmt.Sprintf("package %d %v", i+1, e.Names)
		if len(e.Names) == 0 && len(e.Prefixes) == 0 {
			errs = append(errs, errors.New(where+": no names or prefixes"))
		}
		for _, n := range append(slices.Clone(e.Names), e.Unless...) {
			if normalizeName(n) != n {
				errs = append(errs, fmt.Errorf("%s: name %q is not normalised (PEP 503)", where, n))
			}
		}
		if len(e.When) == 0 {
			errs = append(errs, errors.New(where+": no when"))
		}
		for _, w := range e.When {
			switch w {
			case whenWheel, whenSdist, whenRun, whenOptional:
			default:
				errs = append(errs, fmt.Errorf("%s: unknown when %q", where, w))
			}
		}
		if e.Systems != "" && e.Systems != "linux" {
			errs = append(errs, fmt.Errorf("%s: unknown systems %q", where, e.Systems))
		}
		if strings.TrimSpace(e.Why) == "" {
			errs = append(errs, errors.New(where+": no why"))
		}
		if len(e.Evidence) == 0 {
			errs = append(errs, errors.New(where+": no evidence (a path in NixOS/nixpkgs)"))
		}
		for _, ev := range e.Evidence {
			if !nixpkgsPath(ev) {
				errs = append(errs, fmt.Errorf("%s: evidence %q is not a path in NixOS/nixpkgs", where, ev))
			}
		}
		if e.has(whenRun) && len(e.Nix) == 0 || e.has(whenSdist) && len(e.Nix)+len(e.Build) == 0 {
			errs = append(errs, errors.New(where+": needed at build or run time but names no attribute"))
		}
		for _, a := range append(slices.Clone(e.Nix), e.Build...) {
			errs = append(errs, kb.checkAttr(where, a)...)
		}
		if len(e.Loads) > 0 && len(e.Nix) == 0 {
			errs = append(errs, fmt.Errorf("%s: loads %v, but names no attribute that provides them", where, e.Loads))
		}
		for _, l := range e.Links {
			if !slices.Contains(kb.HostLibraries.Manylinux, l) {
				errs = append(errs, fmt.Errorf("%s: links %q, which the manylinux policy does not let wheels take from the host", where, l))
			}
			if _, ok := kb.Sonames[l]; !ok {
				errs = append(errs, fmt.Errorf("%s: links %q, which [sonames] does not map", where, l))
			}
		}
	}
	for src, m := range kb.System {
		for name, attrs := range m {
			for _, a := range attrs {
				errs = append(errs, kb.checkAttr(fmt.Sprintf("system.%s %q", src, name), a)...)
			}
		}
	}
	for name, so := range kb.Sonames {
		errs = append(errs, kb.checkAttr(fmt.Sprintf("sonames %q", name), so.Attr)...)
	}
	for _, a := range append([]string{compilerLinux}, rustToolchain...) {
		errs = append(errs, kb.checkAttr("compiler", a)...)
	}
	for name, c := range kb.Compiled {
		if normalizeName(name) != name {
			errs = append(errs, fmt.Errorf("compiled %q: name is not normalised (PEP 503)", name))
		}
		if !nixpkgsPath(c.Nixpkgs) {
			errs = append(errs, fmt.Errorf("compiled %q: evidence %q is not a path in NixOS/nixpkgs", name, c.Nixpkgs))
		}
	}
	for name, c := range kb.NoCxx {
		if normalizeName(name) != name {
			errs = append(errs, fmt.Errorf("no-cxx %q: name is not normalised (PEP 503)", name))
		}
		if !nixpkgsPath(c.Nixpkgs) || c.Source == "" {
			errs = append(errs, fmt.Errorf("no-cxx %q: needs its nixpkgs derivation and the upstream source that shows the language", name))
		}
		for _, e := range kb.Packages {
			if e.matchesName(name) && slices.Contains(e.Links, cxxRuntime) {
				errs = append(errs, fmt.Errorf("no-cxx %q: a [[package]] entry says its wheels link %s", name, cxxRuntime))
			}
		}
	}
	for name, f := range kb.Attrs {
		if !nixpkgsPath(f.Nixpkgs) {
			errs = append(errs, fmt.Errorf("attrs %q: evidence %q is not a path in NixOS/nixpkgs", name, f.Nixpkgs))
		}
		if f.Systems != "" && f.Systems != "linux" && f.Systems != "darwin" {
			errs = append(errs, fmt.Errorf("attrs %q: unknown systems %q", name, f.Systems))
		}
	}
	for name, lines := range kb.Wheels {
		for line, py := range lines {
			if _, ok := releaseLine(line); !ok || strings.Count(line, ".") != 1 {
				errs = append(errs, fmt.Errorf("wheels.%s: %q is not a release line like \"1.21\"", name, line))
			}
			if _, ok := pythonMinor(py); !ok {
				errs = append(errs, fmt.Errorf("wheels.%s.%q: %q is not a Python minor like \"3.9\"", name, line, py))
			}
		}
	}
	for name, a := range kb.Commands {
		errs = append(errs, kb.checkAttr(fmt.Sprintf("commands %q", name), a)...)
	}
	return errors.Join(errs...)
}

// checkAttr rejects an attribute that is malformed or has no evidence.
func (kb *knowledge) checkAttr(where, a string) []error {
	if !validAttr(a) {
		return []error{fmt.Errorf("%s: invalid attribute %q", where, a)}
	}
	if _, ok := kb.Attrs[a]; !ok {
		return []error{fmt.Errorf("%s: attribute %q has no [attrs] entry naming its nixpkgs evidence", where, a)}
	}
	return nil
}

// nixpkgsPath accepts a file path inside NixOS/nixpkgs's package tree.
func nixpkgsPath(p string) bool {
	return strings.HasPrefix(p, "pkgs/") && strings.HasSuffix(p, ".nix") && !strings.Contains(p, "..")
}

// attrSystems are the systems an attribute resolves on; nil means all.
func (kb *knowledge) attrSystems(a string) []string {
	switch kb.Attrs[a].Systems {
	case "linux":
		return linuxSystems
	case "darwin":
		return darwinSystems
	}
	return nil
}

// isTool reports attributes that provide a program the project runs.
func (kb *knowledge) isTool(a string) bool {
	for _, t := range kb.Commands {
		if t == a {
			return true
		}
	}
	return false
}

// validAttr accepts top-level attribute names and the few nested paths the
// catalog has (libpq.pg_config); it rejects the language-set paths that do
// not exist (python312Packages.libpq).
func validAttr(a string) bool {
	if a == "" || strings.Contains(a, "Packages.") {
		return false
	}
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.", r)) {
			return false
		}
	}
	return true
}

// normalizeName is PEP 503 normalisation: lower case, runs of -_. become -.
func normalizeName(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == '-' || r == '_' || r == '.' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// dependency is one Python package the sync installs, directly (a
// requirement, with its extras) or through a lock file's graph.
type dependency struct {
	Name     string
	Extras   []string
	Evidence []detect.Evidence
	// Root is true for packages the install set names itself.
	Root bool
	// Locked are the lock entries the sync installs for it (one per
	// version a forked lock resolves).
	Locked []*detect.LockedPackage
	// Own is the folder of one of the project's own packages (a workspace
	// member), which the sync builds from source.
	Own string
	// FromSource is true when no wheel serves the environment's Python,
	// so the sync builds the package.
	FromSource bool
	// Pin is the version a requirement pins exactly (==), where.
	Pin         string
	PinEvidence detect.Evidence
}

// nativeMatch is a knowledge-base entry that applies to one dependency.
type nativeMatch struct {
	Entry *nativeEntry
	Dep   dependency
	// Install is true when the entry's attributes must be installed;
	// otherwise Skip says why not.
	Install bool
	Skip    string
}

// matchNative applies the knowledge base to the project's dependencies.
// Names compare exactly after normalisation (psycopg2-binary never matches
// psycopg2); prefixes only where an entry declares a name family.
func (kb *knowledge) matchNative(deps []dependency) []nativeMatch {
	present := map[string]bool{}
	for _, d := range deps {
		present[d.Name] = true
	}
	var out []nativeMatch
	for _, d := range deps {
		for i := range kb.Packages {
			e := &kb.Packages[i]
			if !e.matchesName(d.Name) || !e.matchesExtras(d.Extras) {
				continue
			}
			if e.excluded(d.Extras, present) {
				continue
			}
			m := nativeMatch{Entry: e, Dep: d}
			switch {
			case e.has(whenRun), e.has(whenSdist):
				m.Install = true
			case e.has(whenOptional):
				m.Skip = "optional"
			case d.FromSource && (len(e.Nix) > 0 || len(e.Build) > 0):
				m.Install = true
			default:
				m.Skip = "wheels bundle it"
			}
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Dep.Name < out[j].Dep.Name })
	return out
}

func (e *nativeEntry) matchesName(name string) bool {
	if slices.Contains(e.Names, name) {
		return true
	}
	for _, p := range e.Prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// matchesExtras reports whether the entry's extras condition holds.
func (e *nativeEntry) matchesExtras(extras []string) bool {
	if len(e.Extras) == 0 {
		return true
	}
	for _, x := range extras {
		if slices.Contains(e.Extras, normalizeName(x)) {
			return true
		}
	}
	return false
}

// excluded reports whether a companion package or extra makes the entry
// moot (psycopg with psycopg-binary installed needs no libpq).
func (e *nativeEntry) excluded(extras []string, present map[string]bool) bool {
	for _, u := range e.Unless {
		if present[u] {
			return true
		}
	}
	for _, x := range extras {
		if slices.Contains(e.UnlessExtras, normalizeName(x)) {
			return true
		}
	}
	return false
}

// systemAttrs maps a distribution package to catalog attributes. known is
// false when the knowledge base does not know the name.
func (kb *knowledge) systemAttrs(source, name string) (attrs []string, known bool) {
	m, ok := kb.System[source]
	if !ok {
		return nil, false
	}
	attrs, known = m[strings.ToLower(name)]
	return attrs, known
}

// commandAttr returns the catalog package that provides a program, or ""
// for programs venv2flox does not install (basics, Python tools, unknown).
func (kb *knowledge) commandAttr(name string) string {
	if slices.Contains(kb.Basics.Names, name) {
		return ""
	}
	return kb.Commands[name]
}

// isBasic reports whether a tool is one every machine has.
// linksNoCxx reports a package whose manylinux wheels are known to hold only
// C or Rust code, and so link no C++ runtime.
func (kb *knowledge) linksNoCxx(name string) bool {
	_, ok := kb.NoCxx[name]
	return ok || kb.Compiled[name].Rust
}

func (kb *knowledge) isBasic(name string) bool { return slices.Contains(kb.Basics.Names, name) }
