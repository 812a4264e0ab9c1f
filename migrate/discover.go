package migrate

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	toml "github.com/pelletier/go-toml/v2"

	"github.com/venv2flox/venv2flox/detect"
)

// DiscoverOptions narrow which folders are searched for projects.
type DiscoverOptions struct {
	// Include and Exclude are doublestar globs over slash paths relative to
	// the root; a project folder is kept when it matches some Include (or
	// Include is empty) and no Exclude.
	Include, Exclude []string
}

// Discover returns the project roots under the top of fsys, sorted, as
// slash paths ("." for the top). A folder is a project root when it holds
// setup.py, setup.cfg, a Pipfile or a pyproject.toml that declares a
// project (a root pyproject.toml with only [tool.ruff] settings does not
// swallow the services below it); a folder whose only marker is a
// requirements file is one only when no ancestor is a project
// (docs/requirements.txt belongs to the project above it). Members of a uv
// workspace belong to the workspace. Examples, templates, test data and
// the projects tests use as fixtures are not projects of the repository:
// folders named like examples/, templates/ or recipe/ (conda and pixi
// package recipes), and folders holding a cookiecutter or copier
// template, are not entered, and nothing below a
// tests/ folder is a root. It honours .gitignore files and never enters
// venvs, node_modules, VCS data, caches, build output, .flox or submodules.
func Discover(fsys fs.FS, opts DiscoverOptions) ([]string, error) {
	d := &discoverer{fsys: fsys}
	if err := d.walk(".", nil, false, false); err != nil {
		return nil, err
	}
	roots := d.dropWorkspaceMembers()
	var out []string
	for _, r := range roots {
		if keep(r, opts) {
			out = append(out, r)
		}
	}
	sort.Strings(out)
	return out, nil
}

type discoverer struct {
	fsys       fs.FS
	roots      []string
	workspaces map[string][]string // workspace root -> member globs (relative)
	excluded   map[string][]string // workspace root -> exclude globs
}

// walk visits dir. patterns are the .gitignore patterns in force; inProject
// tells whether an ancestor is a project root, inTests whether an ancestor
// is a tests folder (whose projects are fixtures).
func (d *discoverer) walk(dir string, patterns []gitignore.Pattern, inProject, inTests bool) error {
	entries, err := fs.ReadDir(d.fsys, dir)
	if err != nil {
		if dir == "." {
			return err
		}
		return nil // an unreadable subfolder is not a project; detect reports unreadable files
	}
	parts := splitPath(dir)
	names := map[string]bool{}
	for _, e := range entries {
		if e.Type().IsRegular() {
			names[e.Name()] = true
		}
	}
	// A venv (whatever its name) or a submodule (a .git file) is found from
	// the folder's own listing, which costs no extra system call.
	if dir != "." && (names["pyvenv.cfg"] || names[".git"] || isTemplate(names)) {
		return nil
	}
	if names[".gitignore"] {
		patterns = append(patterns[:len(patterns):len(patterns)], readGitignore(d.fsys, dir, parts)...)
	}
	strong := names["setup.py"] || names["setup.cfg"] || names["Pipfile"]
	if names["pyproject.toml"] && d.readPyproject(dir) {
		strong = true
	}
	weak := d.hasRequirements(dir, entries)
	isRoot := (strong || (weak && !inProject)) && !inTests
	if isRoot {
		d.roots = append(d.roots, dir)
	}
	matcher := gitignore.NewMatcher(patterns)
	inTests = inTests || isTestsDir(path.Base(dir))
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		child := path.Join(dir, e.Name())
		if skipDir(child, e.Name()) || matcher.Match(append(parts[:len(parts):len(parts)], e.Name()), true) {
			continue
		}
		if err := d.walk(child, patterns, inProject || isRoot, inTests); err != nil {
			return err
		}
	}
	return nil
}

// hasRequirements reports whether a folder holds pip requirements the way
// detect finds them: requirements*.txt, dev-requirements.txt, or .txt/.in
// files in a requirements/ (or reqs/) subfolder, as Django projects keep them.
func (d *discoverer) hasRequirements(dir string, entries []fs.DirEntry) bool {
	for _, e := range entries {
		name := e.Name()
		if e.Type().IsRegular() && isRequirementsName(name) {
			return true
		}
		if e.IsDir() && (name == "requirements" || name == "reqs") {
			sub, _ := fs.ReadDir(d.fsys, path.Join(dir, name))
			for _, f := range sub {
				if ext := path.Ext(f.Name()); f.Type().IsRegular() && (ext == ".txt" || ext == ".in") {
					return true
				}
			}
		}
	}
	return false
}

func isRequirementsName(name string) bool {
	ext := path.Ext(name)
	if ext != ".txt" && ext != ".in" {
		return false
	}
	stem := strings.TrimSuffix(name, ext)
	return strings.HasPrefix(stem, "requirements") || strings.HasSuffix(stem, "-requirements") || strings.HasSuffix(stem, "_requirements")
}

// skipDir reports, by name alone, folders that never hold a project of
// the repository: the ones detect never scans, vendored trees, examples,
// templates and test data. Venvs, submodules and template folders by their
// files are recognised inside walk.
func skipDir(dir, name string) bool {
	if detect.IsPrunedDir(noFiles{}, dir, name) || strings.Contains(name, "{{") || detect.IsExampleDir(name) {
		return true
	}
	switch name {
	case "vendor", "_vendor", "third_party", "third-party", "site-packages":
		return true
	}
	return isRecipeDir(name)
}

// isRecipeDir reports a folder of conda or pixi package recipes
// (recipe/, conda-recipe/, conda.recipe/, pixi-recipes/): a recipe builds
// a package in its own build environment, and a pyproject.toml there
// (dask's stand-in brotli package for CI) is the recipe's, not a project
// anybody develops in a venv.
func isRecipeDir(name string) bool {
	n := strings.ToLower(name)
	return n == "recipe" || n == "recipes" || n == "conda-recipe" || n == "conda.recipe" ||
		strings.HasSuffix(n, "-recipes") || strings.HasSuffix(n, "_recipes")
}

// isTestsDir reports a folder of tests: projects below it are fixtures the
// tests use (tests/integration/dummy-project), not the repository's.
func isTestsDir(name string) bool {
	switch strings.ToLower(name) {
	case "tests", "test", "testing":
		return true
	}
	return false
}

// isTemplate reports a folder holding a project template (cookiecutter,
// copier): its files are the template's, not a project's.
func isTemplate(names map[string]bool) bool {
	return names["cookiecutter.json"] || names["copier.yml"] || names["copier.yaml"]
}

// noFiles is an empty file system. Given it, detect.IsPrunedDir judges a
// folder by its name only, instead of a Stat per folder (a quarter of
// Discover's time on a large monorepo).
type noFiles struct{}

func (noFiles) Open(string) (fs.File, error) { return nil, fs.ErrNotExist }

func splitPath(dir string) []string {
	if dir == "." {
		return nil
	}
	return strings.Split(dir, "/")
}

func readGitignore(fsys fs.FS, dir string, domain []string) []gitignore.Pattern {
	data, err := fs.ReadFile(fsys, path.Join(dir, ".gitignore"))
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// readPyproject reports whether a pyproject.toml declares a project (not
// only settings for linters and formatters, as a monorepo root often does)
// and records a uv workspace's members so they are not reported as projects
// of their own. A file that does not parse counts as a project: detect
// reports the problem.
func (d *discoverer) readPyproject(dir string) bool {
	data, err := fs.ReadFile(d.fsys, path.Join(dir, "pyproject.toml"))
	if err != nil {
		return true
	}
	var doc struct {
		Project          map[string]any `toml:"project"`
		BuildSystem      map[string]any `toml:"build-system"`
		DependencyGroups map[string]any `toml:"dependency-groups"`
		Tool             struct {
			Poetry map[string]any `toml:"poetry"`
			PDM    map[string]any `toml:"pdm"`
			Hatch  map[string]any `toml:"hatch"`
			UV     struct {
				DevDependencies []any `toml:"dev-dependencies"`
				Workspace       struct {
					Members []string `toml:"members"`
					Exclude []string `toml:"exclude"`
				} `toml:"workspace"`
			} `toml:"uv"`
		} `toml:"tool"`
	}
	var top map[string]any
	if toml.Unmarshal(data, &top) != nil || toml.Unmarshal(data, &doc) != nil {
		return true
	}
	ws := doc.Tool.UV.Workspace
	if len(ws.Members) > 0 {
		if d.workspaces == nil {
			d.workspaces, d.excluded = map[string][]string{}, map[string][]string{}
		}
		d.workspaces[dir] = ws.Members
		d.excluded[dir] = ws.Exclude
	}
	if len(top) == 0 {
		return true // an empty pyproject.toml is there to mark a project
	}
	return doc.Project != nil || doc.BuildSystem != nil || doc.DependencyGroups != nil ||
		doc.Tool.Poetry != nil || doc.Tool.PDM != nil || doc.Tool.Hatch != nil ||
		len(doc.Tool.UV.DevDependencies) > 0 || len(ws.Members) > 0
}

func (d *discoverer) dropWorkspaceMembers() []string {
	var out []string
	for _, r := range d.roots {
		if !d.isWorkspaceMember(r) {
			out = append(out, r)
		}
	}
	return out
}

func (d *discoverer) isWorkspaceMember(dir string) bool {
	for ws, members := range d.workspaces {
		rel, ok := relTo(ws, dir)
		if !ok || rel == "." {
			continue
		}
		if matchAny(members, rel) && !matchAny(d.excluded[ws], rel) {
			return true
		}
	}
	return false
}

// relTo returns dir relative to base when dir is base or under it.
func relTo(base, dir string) (string, bool) {
	if base == "." {
		return dir, true
	}
	if dir == base {
		return ".", true
	}
	if strings.HasPrefix(dir, base+"/") {
		return dir[len(base)+1:], true
	}
	return "", false
}

func matchAny(globs []string, p string) bool {
	for _, g := range globs {
		if ok, _ := doublestar.Match(strings.TrimSuffix(path.Clean(g), "/"), p); ok {
			return true
		}
	}
	return false
}

func keep(dir string, opts DiscoverOptions) bool {
	if len(opts.Include) > 0 && !matchAny(opts.Include, dir) {
		return false
	}
	return !matchAny(opts.Exclude, dir)
}
