// Package installset reduces a project's venv setup to what it installs,
// and checks that the Flox hook installs the same.
//
// A Set is what a setup recipe (a Makefile target, a setup script, a doc
// block, a CI job) puts into the venv: the interpreter it asks for, the
// project itself (editable or not, with which extras), dependency groups,
// requirement files (with their -r includes), packages named on the
// command line, and the index options each came with. Sets are compared
// in a canonical text form, one fact per line, which is also the format
// of the expected install sets of the fixtures (installset.txt).
package installset

import (
	"bufio"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Mode is how the project itself is installed.
type Mode string

const (
	NotInstalled Mode = "none"      // the project is not installed
	DepsOnly     Mode = "deps"      // its dependencies are, the project is not (--no-root)
	Installed    Mode = "installed" // built and installed (pip install .)
	Editable     Mode = "editable"  // installed in editable mode (pip install -e .)
)

// Set is what a venv setup installs.
type Set struct {
	// Python is the minor version the venv is created with ("3.11"), when
	// the setup names one.
	Python string
	// Project is how the project itself is installed, and with which
	// extras (normalised, sorted).
	Project Mode
	Extras  []string
	// ProjectOptions are the install options of the lines that installed
	// the project (an extra index its dependencies need).
	ProjectOptions []string
	// Groups are the dependency groups installed (normalised, sorted).
	Groups []string
	// Requirements are the requirement files installed, -r includes
	// expanded, with the options of the line that installed each.
	Requirements []Item
	// Constraints are the constraint files applied (-c, expanded).
	Constraints []string
	// Packages are packages installed by name or URL, and local paths
	// other than the project ("-e libs/common").
	Packages []Item
	// ExactFiles says that the requirement files were installed by an
	// exact sync (pip-sync, uv pip sync), which removes what they do not
	// list; a sync should stay exact.
	ExactFiles bool
	// ProjectFile is the requirement file that installs the project
	// (`-e .` in requirements.txt), when one does.
	ProjectFile string
	// AllExtras and AllGroups say that the setup asked for every extra or
	// group (--all-extras), which a sync should keep asking for; AllPackages
	// that it synced every member of a uv workspace (--all-packages). They
	// do not take part in comparisons: Extras, Groups and Packages list
	// them, and ProjectFile is one of Requirements.
	AllExtras, AllGroups, AllPackages bool
}

// Item is a file or package and the install options it came with.
type Item struct {
	Name    string
	Options []string
}

func (it Item) String() string {
	return strings.Join(append([]string{it.Name}, it.Options...), " ")
}

// Lines renders the set canonically: one fact per line, in a fixed order.
func (s Set) Lines() []string {
	var out []string
	if s.Python != "" {
		out = append(out, "python "+s.Python)
	}
	project := "project " + string(s.mode())
	if len(s.Extras) > 0 {
		project += " [" + strings.Join(s.Extras, ",") + "]"
	}
	for _, o := range s.ProjectOptions {
		project += " " + o
	}
	out = append(out, project)
	for _, g := range s.Groups {
		out = append(out, "group "+g)
	}
	for _, r := range s.Requirements {
		out = append(out, "requirements "+r.String())
	}
	for _, c := range s.Constraints {
		out = append(out, "constraints "+c)
	}
	for _, p := range s.Packages {
		out = append(out, "package "+p.String())
	}
	return out
}

func (s Set) mode() Mode {
	if s.Project == "" {
		return NotInstalled
	}
	return s.Project
}

// String is the canonical text, one line per fact.
func (s Set) String() string {
	return strings.Join(s.Lines(), "\n") + "\n"
}

// Normalize sorts and deduplicates every list, so that two sets with the
// same facts have the same text.
func (s *Set) Normalize() {
	s.Extras = sortedUnique(s.Extras)
	s.ProjectOptions = sortedUnique(s.ProjectOptions)
	s.Groups = sortedUnique(s.Groups)
	s.Constraints = sortedUnique(s.Constraints)
	s.Requirements = sortedItems(s.Requirements)
	s.Packages = sortedItems(s.Packages)
	if s.Project == "" {
		s.Project = NotInstalled
	}
	if s.Project == NotInstalled {
		s.Extras, s.ProjectOptions = nil, nil
	}
}

func sortedUnique(list []string) []string {
	out := slices.Clone(list)
	sort.Strings(out)
	return slices.Compact(out)
}

// sortedItems sorts items by name and merges the options of one name.
func sortedItems(items []Item) []Item {
	byName := map[string][]string{}
	var names []string
	for _, it := range items {
		if _, seen := byName[it.Name]; !seen {
			names = append(names, it.Name)
		}
		byName[it.Name] = append(byName[it.Name], it.Options...)
	}
	sort.Strings(names)
	out := make([]Item, 0, len(names))
	for _, n := range names {
		out = append(out, Item{Name: n, Options: sortedUnique(byName[n])})
	}
	return out
}

// Parse reads a set in its canonical text form. Blank lines and lines
// starting with '#' are ignored; the order of lines does not matter.
func Parse(text string) (Set, error) {
	var s Set
	sc := bufio.NewScanner(strings.NewReader(text))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch key {
		case "python":
			s.Python = rest
		case "project":
			mode, more, _ := strings.Cut(rest, " ")
			s.Project = Mode(mode)
			switch s.Project {
			case NotInstalled, DepsOnly, Installed, Editable:
			default:
				return Set{}, fmt.Errorf("line %d: unknown project mode %q", n, mode)
			}
			if more = strings.TrimSpace(more); strings.HasPrefix(more, "[") {
				extras, after, _ := strings.Cut(more[1:], "]")
				s.Extras, more = strings.Split(extras, ","), after
			}
			s.ProjectOptions = parseItem("project " + more).Options
		case "group":
			s.Groups = append(s.Groups, rest)
		case "requirements":
			s.Requirements = append(s.Requirements, parseItem(rest))
		case "constraints":
			s.Constraints = append(s.Constraints, rest)
		case "package":
			s.Packages = append(s.Packages, parseItem(rest))
		default:
			return Set{}, fmt.Errorf("line %d: unknown fact %q", n, key)
		}
	}
	s.Normalize()
	return s, nil
}

// parseItem reads "NAME [--opt value ...]": an editable path keeps its -e.
func parseItem(text string) Item {
	f := strings.Fields(text)
	if len(f) == 0 {
		return Item{}
	}
	it := Item{Name: f[0]}
	rest := f[1:]
	if f[0] == "-e" && len(f) > 1 {
		it.Name, rest = "-e "+f[1], f[2:]
	}
	for i := 0; i < len(rest); i++ {
		opt := rest[i]
		if i+1 < len(rest) && !strings.HasPrefix(rest[i+1], "--") {
			opt += " " + rest[i+1]
			i++
		}
		it.Options = append(it.Options, opt)
	}
	return it
}

// Diff lists the facts only in a ("- fact") and only in b ("+ fact").
// The interpreter is compared only when both sets name one.
func Diff(a, b Set) []string {
	a.Normalize()
	b.Normalize()
	if a.Python == "" || b.Python == "" {
		a.Python, b.Python = "", ""
	}
	la, lb := a.Lines(), b.Lines()
	var out []string
	for _, l := range la {
		if !slices.Contains(lb, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range lb {
		if !slices.Contains(la, l) {
			out = append(out, "+ "+l)
		}
	}
	return out
}
