package installset

import (
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// Meta is what the project declares that decides what a manager command
// installs: the extras and groups `--all-extras` or a default sync mean,
// and the includes of requirement files.
type Meta struct {
	// Package is true when the project can be installed itself (a
	// pyproject.toml [project] or build backend, setup.py, setup.cfg).
	Package bool
	// Extras are the optional-dependency extras, normalised and sorted.
	Extras []string
	// UVGroups are the PEP 735 groups (and tool.uv.dev-dependencies as
	// "dev"); UVDefault is [tool.uv] default-groups (nil: ["dev"]).
	UVGroups, UVDefault []string
	// PoetryGroups are the Poetry groups (dev-dependencies as "dev") and
	// PoetryOptional those marked optional.
	PoetryGroups, PoetryOptional []string
	// UVVirtual is true when uv installs the project's dependencies only.
	UVVirtual bool
	// PoetryNoPackage is [tool.poetry] package-mode = false: Poetry
	// installs the dependencies only.
	PoetryNoPackage bool
	// PDMDevGroups are the [tool.pdm.dev-dependencies] groups (and PEP 735
	// groups, which PDM reads as dev groups).
	PDMDevGroups []string
	// WorkspaceMembers are the folders of a uv workspace's members other
	// than its root, sorted: `uv sync --all-packages` installs each.
	WorkspaceMembers []string
	// includes maps a requirement file to the -r/-c lines it holds.
	includes map[string][]detect.Include
	// pins maps a requirement file to its exact pins (name -> version).
	pins map[string][]pin
	// locals maps a requirement file to its path requirements (-e .).
	locals map[string][]detect.Requirement
	// files are the project's files that detect read.
	files map[string]bool
	// fsys is the project folder.
	fsys fs.FS
}

// pin is an exact `name==version` requirement and where it is.
type pin struct {
	name, version string
	ev            detect.Evidence
}

// describesPackage reports whether a setup.cfg describes a package
// ([metadata] or [options]) rather than only holding tools' settings
// (flake8, isort, pytest), as it often does beside an application.
func (m Meta) describesPackage(name string) bool {
	if m.fsys == nil {
		return true
	}
	data, err := fs.ReadFile(m.fsys, name)
	if err != nil {
		return true
	}
	for _, l := range strings.Split(string(data), "\n") {
		switch strings.TrimSpace(l) {
		case "[metadata]", "[options]":
			return true
		}
	}
	return false
}

// MetaOf gathers a project's Meta.
func MetaOf(p *detect.Project) Meta {
	m := Meta{includes: map[string][]detect.Include{}, pins: map[string][]pin{}, files: map[string]bool{},
		locals:    map[string][]detect.Requirement{},
		UVDefault: p.Groups.UVDefaultGroups, PoetryOptional: p.Groups.PoetryOptional, UVVirtual: p.Groups.UVVirtual,
		PoetryNoPackage: p.Groups.PoetryNoPackage}
	if p.FS != nil {
		if sub, err := fs.Sub(p.FS, p.Root); err == nil {
			m.fsys = sub
		}
	}
	for _, f := range p.Files {
		m.files[f.Path] = true
		if path.Dir(f.Path) == "." && (f.Kind == detect.KindSetupPy || f.Kind == detect.KindSetupCfg && m.describesPackage(f.Path)) {
			m.Package = true
		}
	}
	for _, inc := range p.Includes {
		m.includes[inc.From] = append(m.includes[inc.From], inc)
	}
	for _, r := range p.Requirements {
		if r.Evidence.Path == "pyproject.toml" && (r.Optional || r.Group == "") {
			m.Package = true
		}
		if r.Evidence.Path != "pyproject.toml" {
			if r.Path != "" {
				m.locals[r.Evidence.Path] = append(m.locals[r.Evidence.Path], r)
			}
			if v, ok := exactPin(r.Specifier); ok && r.Marker == "" {
				m.pins[r.Evidence.Path] = append(m.pins[r.Evidence.Path], pin{r.Name, v, r.Evidence})
			}
			continue
		}
		switch {
		case r.Optional:
			m.Extras = append(m.Extras, r.Group)
		case r.Table == "dependency-groups":
			m.UVGroups = append(m.UVGroups, r.Group)
			m.PDMDevGroups = append(m.PDMDevGroups, r.Group)
		case r.Table == "tool.uv.dev-dependencies":
			m.UVGroups = append(m.UVGroups, "dev")
		case r.Table == "tool.poetry.group", r.Table == "tool.poetry.dev-dependencies":
			m.PoetryGroups = append(m.PoetryGroups, r.Group)
		case r.Table == "tool.pdm.dev-dependencies":
			m.PDMDevGroups = append(m.PDMDevGroups, r.Group)
		}
	}
	// As the planner decides: requires-python or a build backend also
	// make pyproject.toml describe an installable project.
	for _, ir := range p.Interpreters {
		m.Package = m.Package || ir.Evidence.Path == "pyproject.toml"
	}
	for _, mu := range p.Managers {
		m.Package = m.Package || mu.Evidence.Path == "pyproject.toml"
	}
	for _, list := range []*[]string{&m.Extras, &m.UVGroups, &m.PoetryGroups, &m.PDMDevGroups} {
		*list = sortedUnique(*list)
	}
	if p.Workspace != nil {
		m.WorkspaceMembers = workspaceMembers(m.fsys, *p.Workspace)
	}
	return m
}

// workspaceMembers resolves a uv workspace's member globs to the folders
// that hold a pyproject.toml, as uv requires of every member (docs
// concepts/projects/workspaces.md), minus the excluded ones.
func workspaceMembers(fsys fs.FS, w detect.Workspace) []string {
	if fsys == nil {
		return nil
	}
	var out []string
	for _, glob := range w.Members {
		dirs, _ := fs.Glob(fsys, strings.TrimSuffix(path.Clean(glob), "/"))
		for _, d := range dirs {
			if d == "." || slices.ContainsFunc(w.Exclude, func(x string) bool {
				ok, _ := path.Match(strings.TrimSuffix(path.Clean(x), "/"), d)
				return ok
			}) {
				continue
			}
			if info, err := fs.Stat(fsys, path.Join(d, "pyproject.toml")); err == nil && info.Mode().IsRegular() {
				out = append(out, d)
			}
		}
	}
	return sortedUnique(out)
}

// exactPin returns the version of an `==X` specifier without wildcards.
func exactPin(spec string) (string, bool) {
	v, ok := strings.CutPrefix(strings.TrimSpace(spec), "==")
	if !ok || v == "" || strings.ContainsAny(v, "*,<>!~=") {
		return "", false
	}
	return v, true
}

// closure returns file and every file it includes with -r, then the
// constraint files it pulls in with -c, each once.
func (m Meta) closure(file string) (reqs, constraints []string) {
	return m.closureAs(file, false)
}

// closureAs is closure for a file given with -r (constraint false) or -c.
func (m Meta) closureAs(file string, constraint bool) (reqs, constraints []string) {
	seen := map[string]bool{}
	var walk func(f string, constraint bool)
	walk = func(f string, constraint bool) {
		if seen[f] {
			return
		}
		seen[f] = true
		if constraint {
			constraints = append(constraints, f)
		} else {
			reqs = append(reqs, f)
		}
		for _, inc := range m.includes[f] {
			walk(inc.To, constraint || inc.Constraint)
		}
	}
	walk(file, constraint)
	return reqs, constraints
}

// exists reports whether a project file exists.
func (m Meta) exists(rel string) bool {
	if m.files[rel] {
		return true
	}
	if m.fsys == nil {
		return false
	}
	info, err := fs.Stat(m.fsys, rel)
	return err == nil && info.Mode().IsRegular()
}

// DefaultUVGroups are the groups `uv sync` installs when none is named:
// [tool.uv] default-groups, else dev (crates/uv-workspace: the default
// default-groups is ["dev"]).
func (m Meta) DefaultUVGroups() []string {
	switch {
	case m.UVDefault == nil:
		if slices.Contains(m.UVGroups, "dev") {
			return []string{"dev"}
		}
		return nil
	case len(m.UVDefault) == 1 && m.UVDefault[0] == "all":
		return m.UVGroups
	}
	return m.UVDefault
}

// PoetryDefaultGroups are the groups `poetry install` installs when none
// is named: every non-optional group (group_command.py, non_optional_groups).
func (m Meta) PoetryDefaultGroups() []string {
	var out []string
	for _, g := range m.PoetryGroups {
		if !slices.Contains(m.PoetryOptional, g) {
			out = append(out, g)
		}
	}
	return out
}

// normalizeAll normalises names and drops empty ones.
func normalizeAll(names []string) []string {
	var out []string
	for _, n := range names {
		if n = venvcmd.NormalizeName(n); n != "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Roots returns the files of a list that no other file of the list
// includes: installing them installs the whole list.
func (m Meta) Roots(files []string) []string {
	included := map[string]bool{}
	for _, f := range files {
		reqs, cons := m.closure(f)
		for _, g := range append(reqs[1:], cons...) {
			if g != f {
				included[g] = true
			}
		}
	}
	var out []string
	for _, f := range files {
		if !included[f] {
			out = append(out, f)
		}
	}
	if len(out) == 0 && len(files) > 0 {
		return files[:1] // files that include each other: one brings the rest
	}
	return out
}

// Uncovered returns the constraint files that none of the requirement
// files pulls in with its own -c lines.
func (m Meta) Uncovered(constraints, requirements []string) []string {
	covered := map[string]bool{}
	for _, f := range requirements {
		_, cons := m.closure(f)
		for _, c := range cons {
			covered[c] = true
		}
	}
	var out []string
	for _, c := range constraints {
		if !covered[c] {
			out = append(out, c)
		}
	}
	return out
}
