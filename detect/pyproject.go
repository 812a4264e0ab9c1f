package detect

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/venv2flox/venv2flox/internal/pep440"
)

// extractPyproject reads pyproject.toml: PEP 621 [project], PEP 735
// [dependency-groups], [build-system], and the tables of Poetry, PDM,
// Hatch and uv.
func extractPyproject(s *scanner, f *textFile) {
	d, ok := parseTOML(s, f)
	if !ok {
		return
	}
	pp := &pyproject{s: s, d: d}
	pp.project()
	pp.dependencyGroups()
	pp.buildSystem()
	pp.poetry()
	pp.pdm()
	pp.hatch()
	pp.uv()
	pp.pyright()
	pp.mypy()
	if f.Path == "pyproject.toml" {
		pp.groupSettings()
		pp.tox()
	}
}

// tox reads [tool.tox]: native TOML settings, or a legacy_tox_ini string
// read as tox.ini.
func (pp *pyproject) tox() {
	if len(pp.s.p.Setup.Tox) > 0 || pp.d.table("tool", "tox") == nil {
		return
	}
	if ini, ok := pp.d.getString("tool", "tox", "legacy_tox_ini"); ok {
		ev := pp.d.ev("tool", "tox", "legacy_tox_ini")
		pp.s.p.Setup.Tox = toxEnvsINI(strings.Split(ini, "\n"), func(int) Evidence { return ev })
		return
	}
	pp.s.p.Setup.Tox = toxEnvsTOML(pp.d, "tool", "tox")
}

// groupSettings reads the settings that decide which groups uv and Poetry
// install by default: [tool.uv] default-groups (a list, or "all") and
// Poetry's optional groups.
func (pp *pyproject) groupSettings() {
	g := &pp.s.p.Groups
	if v, ok := pp.d.get("tool", "uv", "default-groups"); ok {
		if all, isString := v.(string); isString {
			g.UVDefaultGroups = []string{all}
		} else {
			g.UVDefaultGroups = []string{}
			for _, name := range pp.stringList("tool", "uv", "default-groups") {
				g.UVDefaultGroups = append(g.UVDefaultGroups, NormalizeName(name))
			}
		}
	}
	// uv installs the project only when it is a package: [tool.uv]
	// package, else a [build-system] table (crates/uv-workspace
	// pyproject.rs, is_package).
	if v, ok := pp.d.get("tool", "uv", "package"); ok {
		g.UVVirtual = v == false
	} else {
		g.UVVirtual = pp.d.table("build-system") == nil
	}
	if v, ok := pp.d.get("tool", "poetry", "package-mode"); ok {
		g.PoetryNoPackage = v == false
	}
	for _, name := range pp.d.keys("tool", "poetry", "group") {
		if optional, _ := pp.d.get("tool", "poetry", "group", name, "optional"); optional == true {
			g.PoetryOptional = append(g.PoetryOptional, NormalizeName(name))
		}
	}
}

type pyproject struct {
	s *scanner
	d *tomlDoc
	// pep621Names are the [project] dependencies, which a Poetry 2 project's
	// [tool.poetry.dependencies] only refines.
	pep621Names map[string]bool
	// first is the index in Project.Requirements of this file's first
	// requirement, for [tool.uv.sources] to refine.
	first int
}

func (pp *pyproject) addReq(r Requirement) {
	pp.s.p.Requirements = append(pp.s.p.Requirements, r)
}

// pep508List reads an array of PEP 508 strings at path into requirements
// of group.
func (pp *pyproject) pep508List(group string, optional bool, path ...any) []Requirement {
	var out []Requirement
	if v, ok := pp.d.get(path...); ok && pp.d.array(path...) == nil {
		pp.s.problem(pp.d.ev(path...), dotted(path)+": expected an array of requirement strings, got "+tomlType(v))
	}
	for i, item := range pp.d.array(path...) {
		ev := pp.d.ev(append(path, i)...)
		text, ok := item.(string)
		if !ok {
			pp.s.problem(ev, fmt.Sprintf("%s: expected a requirement string, got %s", dotted(path), tomlType(item)))
			continue
		}
		r, err := parseTOMLRequirement(text)
		if err != nil {
			pp.s.problem(ev, "invalid requirement "+quoteShort(text)+": "+err.Error())
			continue
		}
		r.Group, r.Optional, r.Evidence = group, optional, ev
		if group != "" && !optional && len(path) >= 3 {
			r.Table = dotted(path[:3])
		}
		out = append(out, r)
	}
	return out
}

// parseTOMLRequirement reads a PEP 508 string, also accepting PDM's
// "-e path" editable form.
func parseTOMLRequirement(text string) (Requirement, error) {
	var r Requirement
	var err error
	if rest, ok := strings.CutPrefix(strings.TrimSpace(text), "-e "); ok {
		r, err = parseRequirementArg(strings.TrimSpace(rest), true)
		r.Editable = true
	} else {
		r, err = ParseRequirement(text)
	}
	// PDM writes local packages as file:///${PROJECT_ROOT}/path.
	if p, ok := strings.CutPrefix(r.URL, "file:///${PROJECT_ROOT}"); ok {
		p, _, _ = strings.Cut(p, "#")
		r.Path = "." + p
		if p == "" || p == "/" {
			r.Path = "."
		}
		r.URL = ""
	}
	return r, err
}

func (pp *pyproject) project() {
	pp.first = len(pp.s.p.Requirements)
	for _, at := range [][]any{{"project", "name"}, {"tool", "poetry", "name"}} {
		if name, _ := pp.d.getString(at...); name != "" {
			pp.s.setName(name, pp.d.f.Path)
		}
	}
	if pp.d.table("project") == nil {
		return
	}
	pp.pep621Names = map[string]bool{}
	for _, r := range pp.pep508List("", false, "project", "dependencies") {
		pp.pep621Names[r.Name] = true
		pp.addReq(r)
	}
	for _, extra := range pp.d.keys("project", "optional-dependencies") {
		for _, r := range pp.pep508List(NormalizeName(extra), true, "project", "optional-dependencies", extra) {
			pp.addReq(r)
		}
	}
	if v, ok := pp.d.get("project", "requires-python"); ok {
		pp.interpreter(v, false, "project", "requires-python")
	}
	for i, item := range pp.d.array("project", "dynamic") {
		if name, ok := item.(string); ok {
			pp.s.p.Dynamic = append(pp.s.p.Dynamic, DynamicField{Name: name, Evidence: pp.d.ev("project", "dynamic", i)})
			if _, present := pp.d.get("project", name); present {
				pp.s.problem(pp.d.ev("project", name), "project."+name+" is both listed in dynamic and given")
			}
		}
	}
}

// interpreter records requires-python (PEP 440) or Poetry's python
// constraint as an interpreter request.
func (pp *pyproject) interpreter(v any, poetry bool, path ...any) {
	ev := pp.d.ev(path...)
	spec, ok := v.(string)
	if !ok {
		pp.s.problem(ev, dotted(path)+": expected a string, got "+tomlType(v))
		return
	}
	// Spaces separate clauses in Poetry's syntax but mean nothing in PEP 440.
	parse := pep440.ParsePoetry
	spec = strings.Join(strings.Fields(spec), " ")
	if !poetry {
		parse = pep440.ParseSpecifier
		spec = strings.Join(strings.Fields(spec), "")
	}
	if _, err := parse(spec); err != nil {
		pp.s.problem(ev, dotted(path)+": invalid version constraint "+strconv.Quote(spec)+": "+err.Error())
	}
	pp.s.p.Interpreters = append(pp.s.p.Interpreters, InterpreterRequest{Source: KindPyproject, Spec: spec, Evidence: ev})
}

// dependencyGroups reads PEP 735 groups. A group's requirements include
// those of the groups it includes, each still pointing at its own line.
func (pp *pyproject) dependencyGroups() {
	groups := pp.d.table("dependency-groups")
	if groups == nil {
		return
	}
	byNorm := map[string]string{}
	for _, name := range sortedKeys(groups) {
		byNorm[NormalizeName(name)] = name
	}
	for _, name := range pp.d.keys("dependency-groups") {
		var reqs []Requirement
		pp.groupReqs(name, byNorm, []string{name}, map[string]bool{name: true}, &reqs)
		for _, r := range reqs {
			r.Group, r.Table = NormalizeName(name), "dependency-groups"
			pp.addReq(r)
		}
	}
}

// groupReqs collects a group's requirements; expanded holds the groups
// already included for this root, so each is expanded once.
func (pp *pyproject) groupReqs(name string, byNorm map[string]string, chain []string, expanded map[string]bool, out *[]Requirement) {
	path := []any{"dependency-groups", name}
	if _, ok := pp.d.get(path...); ok && pp.d.array(path...) == nil {
		pp.s.problem(pp.d.ev(path...), dotted(path)+": expected an array")
		return
	}
	for i, item := range pp.d.array(path...) {
		ev := pp.d.ev(append(path, i)...)
		switch item := item.(type) {
		case string:
			r, err := ParseRequirement(item)
			if err != nil {
				if len(chain) == 1 { // report once, not from every includer
					pp.s.problem(ev, "invalid requirement "+quoteShort(item)+": "+err.Error())
				}
				continue
			}
			r.Evidence = ev
			*out = append(*out, r)
		case map[string]any:
			inc, ok := item["include-group"].(string)
			if !ok {
				pp.s.problem(ev, dotted(path)+": a table entry must be {include-group = \"name\"}")
				continue
			}
			target, ok := byNorm[NormalizeName(inc)]
			if !ok {
				if len(chain) == 1 {
					pp.s.problem(ev, "dependency group "+strconv.Quote(name)+" includes unknown group "+strconv.Quote(inc))
				}
				continue
			}
			if slices.Contains(chain, target) {
				// Every group of a cycle finds it; the smallest name reports it.
				if target == chain[0] && chain[0] == slices.Min(chain) {
					pp.s.problem(ev, "dependency groups include each other: "+strings.Join(append(slices.Clone(chain), target), " -> "))
				}
				continue
			}
			if expanded[target] {
				continue
			}
			expanded[target] = true
			pp.groupReqs(target, byNorm, append(slices.Clone(chain), target), expanded, out)
		default:
			pp.s.problem(ev, dotted(path)+": expected a requirement string, got "+tomlType(item))
		}
	}
}

// buildSystem takes manager evidence from the build backend: poetry-core
// means Poetry and pdm-backend PDM, while hatchling or setuptools say
// nothing about how the project's environment is managed.
func (pp *pyproject) buildSystem() {
	if pp.d.table("build-system") == nil {
		return
	}
	backend, _ := pp.d.getString("build-system", "build-backend")
	var requires []string
	for _, item := range pp.d.array("build-system", "requires") {
		if s, ok := item.(string); ok {
			if r, err := ParseRequirement(s); err == nil {
				requires = append(requires, r.Name)
			}
		}
	}
	bindings, _ := pp.d.getString("tool", "maturin", "bindings")
	name, _ := pp.d.getString("project", "name")
	pp.s.p.Builds = append(pp.s.p.Builds, BuildSystem{Backend: backend, Requires: requires, Name: NormalizeName(name),
		Extensions: len(pp.d.array("tool", "setuptools", "ext-modules")) > 0,
		Binary:     backend == "maturin" && bindings == "bin", Evidence: pp.d.ev("build-system")})
	for _, b := range []struct {
		module, dist string
		m            Manager
	}{
		{"poetry.core.masonry.api", "poetry-core", ManagerPoetry},
		{"poetry.masonry.api", "poetry", ManagerPoetry},
		{"pdm.backend", "pdm-backend", ManagerPDM},
		{"pdm.pep517.api", "pdm-pep517", ManagerPDM},
		{"uv_build", "uv-build", ManagerUV},
	} {
		switch {
		case backend == b.module:
			pp.manager(b.m, "build backend "+backend, "build-system", "build-backend")
		case backend == "" && slices.Contains(requires, b.dist):
			pp.manager(b.m, "build requirement "+b.dist, "build-system", "requires")
		}
	}
}

func (pp *pyproject) manager(m Manager, reason string, path ...any) {
	pp.s.p.Managers = append(pp.s.p.Managers, ManagerUse{Manager: m, Strength: 2, Reason: reason, Evidence: pp.d.ev(path...)})
}

func (pp *pyproject) poetry() {
	poetry := pp.d.table("tool", "poetry")
	if poetry == nil {
		return
	}
	pp.manager(ManagerPoetry, "[tool.poetry] in pyproject.toml", "tool", "poetry")
	extrasOf := map[string][]string{} // dependency -> extras listing it
	for _, extra := range sortedKeys(pp.d.table("tool", "poetry", "extras")) {
		for _, item := range pp.d.array("tool", "poetry", "extras", extra) {
			if name, ok := item.(string); ok {
				n := NormalizeName(name)
				extrasOf[n] = append(extrasOf[n], NormalizeName(extra))
			}
		}
	}
	pp.poetryDeps("", extrasOf, "tool", "poetry", "dependencies")
	pp.poetryDeps("dev", nil, "tool", "poetry", "dev-dependencies")
	for _, g := range pp.d.keys("tool", "poetry", "group") {
		pp.poetryDeps(NormalizeName(g), nil, "tool", "poetry", "group", g, "dependencies")
	}
	for i := range pp.d.array("tool", "poetry", "source") {
		url, _ := pp.d.getString("tool", "poetry", "source", i, "url")
		if url != "" {
			pp.s.p.Indexes = append(pp.s.p.Indexes, PackageIndex{URL: url, Kind: "poetry-source", Evidence: pp.d.ev("tool", "poetry", "source", i)})
		}
	}
}

// poetryDeps reads a Poetry dependency table: name = "constraint", a table
// {version, extras, optional, markers, path, git, url, develop, ...}, or an
// array of such tables (one per Python or platform).
func (pp *pyproject) poetryDeps(group string, extrasOf map[string][]string, path ...any) {
	deps := pp.d.table(path...)
	if deps == nil {
		if v, ok := pp.d.get(path...); ok {
			pp.s.problem(pp.d.ev(path...), dotted(path)+": expected a table, got "+tomlType(v))
		}
		return
	}
	for _, name := range pp.d.keys(path...) {
		at := append(slices.Clone(path), name)
		if strings.EqualFold(name, "python") {
			if group == "" {
				pp.interpreter(deps[name], true, at...)
			}
			continue
		}
		norm := NormalizeName(name)
		if group == "" && pp.pep621Names[norm] {
			continue // Poetry 2: [project].dependencies already lists it
		}
		var entries []any
		if arr, ok := deps[name].([]any); ok {
			entries = arr
		} else {
			entries = []any{deps[name]}
		}
		for i, e := range entries {
			ev := pp.d.ev(at...)
			if len(entries) > 1 || i > 0 {
				ev = pp.d.ev(append(slices.Clone(at), i)...)
			}
			r, err := poetryDependency(norm, e)
			if err != nil {
				pp.s.problem(ev, dotted(at)+": "+err.Error())
				continue
			}
			r.Group, r.Evidence = group, ev
			if group != "" && len(path) >= 3 {
				r.Table = dotted(path[:3])
			}
			if r.Optional && len(extrasOf[norm]) > 0 {
				for _, extra := range extrasOf[norm] {
					r.Group = extra
					pp.addReq(r)
				}
				continue
			}
			pp.addReq(r)
		}
	}
}

func poetryDependency(name string, v any) (Requirement, error) {
	r := Requirement{Name: name}
	switch v := v.(type) {
	case string:
		spec, err := poetrySpecifier(v)
		r.Specifier = spec
		return r, err
	case map[string]any:
		if ver, ok := v["version"].(string); ok {
			spec, err := poetrySpecifier(ver)
			if err != nil {
				return r, err
			}
			r.Specifier = spec
		}
		for _, e := range asStrings(v["extras"]) {
			r.Extras = append(r.Extras, NormalizeName(e))
		}
		r.Optional, _ = v["optional"].(bool)
		if m, ok := v["markers"].(string); ok {
			norm, err := parseMarker(m)
			if err != nil {
				return r, err
			}
			r.Marker = norm
		}
		if py, ok := v["python"].(string); ok {
			m, err := poetryPythonMarker(py)
			if err != nil {
				return r, err
			}
			r.Marker = andMarkers(m, r.Marker)
		}
		if p, ok := v["path"].(string); ok {
			r.Path = p
			r.Editable, _ = v["develop"].(bool)
		}
		if u, ok := v["url"].(string); ok {
			r.URL = u
		}
		if g, ok := v["git"].(string); ok {
			r.URL = "git+" + g
			for _, ref := range []string{"rev", "tag", "branch"} {
				if x, ok := v[ref].(string); ok {
					r.URL += "@" + x
					break
				}
			}
			if sub, ok := v["subdirectory"].(string); ok {
				r.URL += "#subdirectory=" + sub
			}
		}
		return r, nil
	}
	return r, errors.New("expected a version string or a table, got " + tomlType(v))
}

// poetryPythonMarker turns a Poetry dependency's python = "..." constraint
// into the environment marker it stands for: "^3.8" becomes
// python_version >= "3.8" and python_version < "4".
func poetryPythonMarker(c string) (string, error) {
	spec, err := pep440.ParsePoetry(c)
	if err != nil {
		return "", fmt.Errorf("invalid python constraint %q: %v", c, err)
	}
	if spec.IsAny() {
		return "", nil
	}
	var alts []string
	for _, and := range spec.Any {
		var parts []string
		for _, cl := range and {
			parts = append(parts, pythonMarkerClause(cl))
		}
		alt := strings.Join(parts, " and ")
		if len(spec.Any) > 1 && len(parts) > 1 {
			alt = "(" + alt + ")"
		}
		alts = append(alts, alt)
	}
	return strings.Join(alts, " or "), nil
}

// pythonMarkerClause writes one clause as a marker, on python_version for
// X.Y versions and python_full_version for longer ones.
func pythonMarkerClause(c pep440.Clause) string {
	v := c.Version
	if c.Op == "===" {
		return `python_full_version === "` + c.Raw + `"`
	}
	if c.Wildcard {
		if len(v.Release) == 2 {
			return `python_version ` + c.Op + ` "` + v.String() + `"`
		}
		return `python_full_version ` + c.Op + ` "` + v.String() + `.*"`
	}
	if len(v.Release) <= 2 {
		return `python_version ` + c.Op + ` "` + v.String() + `"`
	}
	return `python_full_version ` + c.Op + ` "` + v.String() + `"`
}

// andMarkers joins two markers that must both hold.
func andMarkers(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	wrap := func(m string) string {
		if strings.Contains(m, " or ") {
			return "(" + m + ")"
		}
		return m
	}
	return wrap(a) + " and " + wrap(b)
}

// poetrySpecifier turns a Poetry constraint into PEP 440 where it can:
// "^1.2" becomes ">=1.2,<2" and "*" nothing. Alternatives ("||"), which PEP
// 440 cannot express, are kept as written.
func poetrySpecifier(c string) (string, error) {
	spec, err := pep440.ParsePoetry(c)
	if err != nil {
		return "", fmt.Errorf("invalid version constraint %q: %v", c, err)
	}
	if len(spec.Any) != 1 {
		return strings.Join(strings.Fields(c), " "), nil
	}
	return spec.String(), nil
}

func (pp *pyproject) pdm() {
	pdm := pp.d.table("tool", "pdm")
	if pdm == nil {
		return
	}
	pp.manager(ManagerPDM, "[tool.pdm] in pyproject.toml", "tool", "pdm")
	for _, g := range pp.d.keys("tool", "pdm", "dev-dependencies") {
		for _, r := range pp.pep508List(NormalizeName(g), false, "tool", "pdm", "dev-dependencies", g) {
			pp.addReq(r)
		}
	}
	for i := range pp.d.array("tool", "pdm", "source") {
		if url, _ := pp.d.getString("tool", "pdm", "source", i, "url"); url != "" {
			pp.s.p.Indexes = append(pp.s.p.Indexes, PackageIndex{URL: url, Kind: "pdm-source", Evidence: pp.d.ev("tool", "pdm", "source", i)})
		}
	}
}

func (pp *pyproject) hatch() {
	envs := pp.d.table("tool", "hatch", "envs")
	if envs == nil {
		return
	}
	pp.manager(ManagerHatch, "[tool.hatch.envs] in pyproject.toml", "tool", "hatch", "envs")
	// The default environment's interpreter is the one `hatch shell` gave.
	if py, _ := pp.d.getString("tool", "hatch", "envs", "default", "python"); py != "" {
		pp.s.p.Interpreters = append(pp.s.p.Interpreters, InterpreterRequest{Source: KindPyproject, Spec: py,
			Evidence: pp.d.ev("tool", "hatch", "envs", "default", "python")})
	}
	for _, env := range pp.d.keys("tool", "hatch", "envs") {
		for _, key := range []string{"dependencies", "extra-dependencies"} {
			for _, r := range pp.pep508List(NormalizeName(env), false, "tool", "hatch", "envs", env, key) {
				pp.addReq(r)
			}
		}
	}
}

func (pp *pyproject) uv() {
	uv := pp.d.table("tool", "uv")
	if uv == nil {
		return
	}
	pp.manager(ManagerUV, "[tool.uv] in pyproject.toml", "tool", "uv")
	for _, r := range pp.pep508List("dev", false, "tool", "uv", "dev-dependencies") {
		pp.addReq(r)
	}
	if pp.d.table("tool", "uv", "workspace") != nil {
		pp.s.p.Workspace = &Workspace{
			Members:  pp.stringList("tool", "uv", "workspace", "members"),
			Exclude:  pp.stringList("tool", "uv", "workspace", "exclude"),
			Evidence: pp.d.ev("tool", "uv", "workspace"),
		}
	}
	for i := range pp.d.array("tool", "uv", "index") {
		if url, _ := pp.d.getString("tool", "uv", "index", i, "url"); url != "" {
			pp.s.p.Indexes = append(pp.s.p.Indexes, PackageIndex{URL: url, Kind: "uv-index", Evidence: pp.d.ev("tool", "uv", "index", i)})
		}
	}
	if url, ok := pp.d.getString("tool", "uv", "index-url"); ok {
		pp.s.p.Indexes = append(pp.s.p.Indexes, PackageIndex{URL: url, Kind: "index-url", Evidence: pp.d.ev("tool", "uv", "index-url")})
	}
	for i, item := range pp.d.array("tool", "uv", "extra-index-url") {
		if url, ok := item.(string); ok {
			pp.s.p.Indexes = append(pp.s.p.Indexes, PackageIndex{URL: url, Kind: "extra-index-url", Evidence: pp.d.ev("tool", "uv", "extra-index-url", i)})
		}
	}
	pp.uvSources()
}

// uvSources applies [tool.uv.sources] to this file's requirements: a path
// or git source says where the package comes from.
func (pp *pyproject) uvSources() {
	sources := pp.d.table("tool", "uv", "sources")
	for _, name := range sortedKeys(sources) {
		src, ok := sources[name].(map[string]any)
		if !ok {
			continue // arrays of conditional sources: no single location
		}
		norm := NormalizeName(name)
		for i := pp.first; i < len(pp.s.p.Requirements); i++ {
			r := &pp.s.p.Requirements[i]
			if r.Name != norm || r.Path != "" || r.URL != "" {
				continue
			}
			if p, ok := src["path"].(string); ok {
				r.Path = p
				r.Editable, _ = src["editable"].(bool)
			}
			if g, ok := src["git"].(string); ok {
				r.URL = "git+" + g
				for _, ref := range []string{"rev", "tag", "branch"} {
					if x, ok := src[ref].(string); ok {
						r.URL += "@" + x
						break
					}
				}
			}
			if u, ok := src["url"].(string); ok {
				r.URL = u
			}
		}
	}
}

func (pp *pyproject) stringList(path ...any) []string {
	var out []string
	for i, item := range pp.d.array(path...) {
		if s, ok := item.(string); ok {
			out = append(out, s)
		} else {
			pp.s.problem(pp.d.ev(append(path, i)...), dotted(path)+": expected a string, got "+tomlType(item))
		}
	}
	return out
}

// tomlDoc is a decoded TOML file and the line of every key, table and
// array element in it, addressed by path ("tool", "poetry", 0, ...).
type tomlDoc struct {
	f     *textFile
	root  map[string]any
	lines map[string]int
}

// parseTOML decodes a TOML file, reporting a syntax error at its line.
func parseTOML(s *scanner, f *textFile) (*tomlDoc, bool) {
	root := map[string]any{}
	if err := toml.Unmarshal([]byte(f.Text), &root); err != nil {
		line := 0
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, _ = de.Position()
		}
		msg := err.Error()
		if de != nil {
			msg = de.Error()
		}
		s.problem(f.Ev(line), "invalid TOML: "+msg)
		return nil, false
	}
	return &tomlDoc{f: f, root: root, lines: tomlLines([]byte(f.Text))}, true
}

// tomlLines indexes where every key, table header and array element of a
// valid TOML document starts, keyed by its path. Inline tables and array
// elements are not entered: their lines are their parent's, which is what
// evidence needs, and a uv.lock's wheel lists stay cheap to index.
func tomlLines(data []byte) map[string]int {
	ix := &tomlIndexer{lines: map[string]int{}, arrays: map[string]int{}}
	for i, c := range data {
		if c == '\n' {
			ix.nl = append(ix.nl, i)
		}
	}
	var p unstable.Parser
	p.Reset(data)
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			keys, first := keyParts(e)
			prefix = ix.resolve(keys, e.Kind == unstable.ArrayTable, ix.line(first))
		case unstable.KeyValue:
			keys, first := keyParts(e)
			line := ix.line(first)
			path := prefix
			for _, k := range keys {
				path = joinKey(path, k)
				ix.mark(path, line)
			}
			if v := e.Value(); v.Kind == unstable.Array {
				i := 0
				for it := v.Children(); it.Next(); {
					n := it.Node()
					if n.Kind == unstable.Comment {
						continue
					}
					ix.mark(joinKey(path, strconv.Itoa(i)), ix.line(firstRaw(n)))
					i++
				}
			}
		}
	}
	return ix.lines
}

func joinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "\x1f" + key
}

type tomlIndexer struct {
	lines  map[string]int
	arrays map[string]int // [[array table]] path -> count so far
	nl     []int          // offsets of newlines
}

func (ix *tomlIndexer) line(n *unstable.Node) int {
	if n == nil {
		return 0
	}
	off := int(n.Raw.Offset)
	return sort.SearchInts(ix.nl, off) + 1
}

// resolve turns a header's keys into a path, inserting the current index
// of every array of tables it passes through ([package.metadata] under the
// third [[package]] is package/2/metadata), and marks its line.
func (ix *tomlIndexer) resolve(keys []string, arrayTable bool, line int) string {
	path := ""
	for i, k := range keys {
		path = joinKey(path, k)
		ix.mark(path, line)
		if arrayTable && i == len(keys)-1 {
			n := ix.arrays[path]
			ix.arrays[path] = n + 1
			path = joinKey(path, strconv.Itoa(n))
			ix.mark(path, line)
		} else if n, ok := ix.arrays[path]; ok {
			path = joinKey(path, strconv.Itoa(n-1))
		}
	}
	return path
}

// mark records the first line a path appears on, so a table known only
// from [tool.poetry.dependencies] still has a line for [tool.poetry].
func (ix *tomlIndexer) mark(path string, line int) {
	if _, ok := ix.lines[path]; !ok {
		ix.lines[path] = line
	}
}

// firstRaw finds a node with a position: containers have none of their
// own, so use their first child's.
func firstRaw(n *unstable.Node) *unstable.Node {
	for depth := 0; n != nil && depth < 100; depth++ {
		if n.Raw.Length > 0 || n.Kind == unstable.InlineTable {
			return n
		}
		if n.Kind == unstable.KeyValue {
			_, k := keyParts(n)
			return k
		}
		n = n.Child()
	}
	return nil
}

func keyParts(n *unstable.Node) ([]string, *unstable.Node) {
	var keys []string
	var first *unstable.Node
	for it := n.Key(); it.Next(); {
		k := it.Node()
		if first == nil {
			first = k
		}
		keys = append(keys, string(k.Data))
	}
	return keys, first
}

func pathKey(path []any) string {
	parts := make([]string, len(path))
	for i, p := range path {
		switch p := p.(type) {
		case string:
			parts[i] = p
		case int:
			parts[i] = strconv.Itoa(p)
		}
	}
	return strings.Join(parts, "\x1f")
}

// ev is the evidence for path: the line of the path, or of its nearest
// ancestor with a known line.
func (d *tomlDoc) ev(path ...any) Evidence {
	for n := len(path); n > 0; n-- {
		if line, ok := d.lines[pathKey(path[:n])]; ok {
			return d.f.Ev(line)
		}
	}
	return d.f.Ev(0)
}

func (d *tomlDoc) get(path ...any) (any, bool) {
	var cur any = d.root
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[p]; !ok {
				return nil, false
			}
		case int:
			a, ok := cur.([]any)
			if !ok || p < 0 || p >= len(a) {
				return nil, false
			}
			cur = a[p]
		}
	}
	return cur, true
}

func (d *tomlDoc) table(path ...any) map[string]any {
	v, _ := d.get(path...)
	m, _ := v.(map[string]any)
	return m
}

func (d *tomlDoc) array(path ...any) []any {
	v, _ := d.get(path...)
	a, _ := v.([]any)
	return a
}

func (d *tomlDoc) getString(path ...any) (string, bool) {
	v, _ := d.get(path...)
	s, ok := v.(string)
	return s, ok
}

func asStrings(v any) []string {
	a, _ := v.([]any)
	var out []string
	for _, x := range a {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// keys lists a table's keys in the order the file writes them.
func (d *tomlDoc) keys(path ...any) []string {
	keys := sortedKeys(d.table(path...))
	prefix := ""
	if len(path) > 0 {
		prefix = pathKey(path) + "\x1f"
	}
	sort.SliceStable(keys, func(i, j int) bool {
		return d.lines[prefix+keys[i]] < d.lines[prefix+keys[j]]
	})
	return keys
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// dotted renders a path as TOML writes it: tool.poetry.group.dev.
func dotted(path []any) string {
	var b strings.Builder
	for i, p := range path {
		switch p := p.(type) {
		case string:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p)
		case int:
			fmt.Fprintf(&b, "[%d]", p)
		}
	}
	return b.String()
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}
