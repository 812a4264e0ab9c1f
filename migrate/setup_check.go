package migrate

import (
	"fmt"
	"io"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

// checkSetup runs the differential check: the recipe's install set next to
// the one the hook installs, both recorded with the same stand-ins.
func checkSetup(p *detect.Project, sp syncPlan, hook, python string) *SetupCheck {
	rec := sp.Recipe
	c := installset.CheckHook(p, rec, hook, python)
	sc := &SetupCheck{HookSet: c.New.Lines(), Differences: c.Differences, Notes: sp.Left}
	if rec != nil {
		ev := rec.Evidence
		sc.Recipe, sc.Kind, sc.Evidence, sc.NamedBy, sc.RecipeSet = rec.Label, rec.Kind, &ev, rec.NamedBy, rec.Set.Lines()
		if f := rec.Foreign; f != nil {
			// Its set is unknown: nothing to compare, and no claim either way.
			sc.RecipeSet, sc.Differences = nil, nil
			sc.Problem = fmt.Sprintf("not compared: the recipe runs `%s` (%s), and venv2flox does not replay %s; the hook syncs what the project's metadata declares", f.Text, f.Evidence, f.Tool)
		}
	}
	if sc.Problem == "" && emptySet(c.New) {
		if ev, ok := declaredDependency(p); ok {
			sc.Problem = fmt.Sprintf("the hook installs nothing, yet the project declares dependencies (%s)", ev)
		}
	}
	return sc
}

// emptySet reports a set that puts nothing into the venv.
func emptySet(s installset.Set) bool {
	return (s.Project == installset.NotInstalled || s.Project == "") && len(s.Groups) == 0 &&
		len(s.Requirements) == 0 && len(s.Packages) == 0
}

// declaredDependency finds a dependency the project declares: in its own
// metadata or a requirements file at its top.
func declaredDependency(p *detect.Project) (detect.Evidence, bool) {
	for _, r := range p.Requirements {
		f := r.Evidence.Path
		if r.Name == "" || strings.Contains(f, "/") {
			continue
		}
		if projectMetadataFile(f) || strings.HasSuffix(f, ".txt") || strings.HasSuffix(f, ".in") {
			return r.Evidence, true
		}
	}
	return detect.Evidence{}, false
}

// recipeLeft says what a recipe's set leaves out.
func recipeLeft(rec installset.Recipe) []SetupNote {
	var out []SetupNote
	for _, n := range rec.Notes {
		switch n.Kind {
		case installset.ProjectNotInstalled:
			out = append(out, SetupNote{Kind: NoteProjectNotInstalled,
				Text: rec.Label + " does not install the project; add `-e .` to it if it should"})
		case installset.NotSynced, installset.MissingFile:
			note := SetupNote{Kind: NoteNotSynced, Text: n.Text}
			if n.Evidence.Path != "" {
				ev := n.Evidence
				note.Evidence = &ev
			}
			out = append(out, note)
		}
	}
	return out
}

// String renders a note as the summary shows it: "not synced: X (why)".
func (n SetupNote) String() string {
	return strings.ReplaceAll(n.Kind, "-", " ") + ": " + n.Text
}

// where is the recipe's evidence for people.
func (sc *SetupCheck) where() string {
	if sc.Evidence == nil {
		return ""
	}
	s := sc.Evidence.String()
	if sc.NamedBy != nil {
		s += ", named by " + sc.NamedBy.String()
	}
	if sc.Kind == "ci" {
		// CI is the last source looked in: no doc, Makefile or script
		// sets up the venv.
		s = "found only in CI, " + s
	}
	return s
}

// Summary is the check in one line: "install set: same as `make
// install-dev` (Makefile:12)" or the differences.
func (sc *SetupCheck) Summary() string {
	switch {
	case sc.Problem != "" && sc.Recipe == "":
		return "install set: " + sc.Problem
	case sc.Problem != "":
		return fmt.Sprintf("install set: %s (%s): %s", sc.name(), sc.where(), sc.Problem)
	case sc.Recipe == "":
		return "install set: from the project's metadata (no setup recipe found): " + strings.Join(sc.HookSet, "; ")
	case len(sc.Differences) == 0:
		return fmt.Sprintf("install set: same as %s (%s)", sc.name(), sc.where())
	}
	return fmt.Sprintf("install set: differs from %s (%s): %s", sc.name(), sc.where(), strings.Join(sc.Differences, "; "))
}

// name is the recipe as a sentence names it: commands in backquotes.
func (sc *SetupCheck) name() string {
	if sc.Kind == "make" || sc.Kind == "script" {
		return "`" + sc.Recipe + "`"
	}
	return sc.Recipe
}

// writeText writes the check for `venv2flox plan` and `plan --verify`.
func (sc *SetupCheck) writeText(w io.Writer) {
	if sc.Recipe == "" {
		fmt.Fprintf(w, "\nSetup recipe: none found; the sync follows the project's metadata\n")
	} else {
		fmt.Fprintf(w, "\nSetup recipe: %s (%s)\n", sc.Recipe, sc.where())
		for _, l := range sc.RecipeSet {
			fmt.Fprintf(w, "  installs: %s\n", l)
		}
	}
	for _, l := range sc.HookSet {
		fmt.Fprintf(w, "  hook installs: %s\n", l)
	}
	switch {
	case sc.Problem != "":
		for _, d := range sc.Differences {
			fmt.Fprintf(w, "  check: differs: %s\n", d)
		}
		fmt.Fprintf(w, "  check: %s\n", sc.Problem)
	case sc.Recipe == "":
	case len(sc.Differences) == 0:
		fmt.Fprintf(w, "  check: the hook installs the same set\n")
	default:
		for _, d := range sc.Differences {
			fmt.Fprintf(w, "  check: differs: %s\n", d)
		}
	}
	for _, n := range sc.Notes {
		if n.Evidence != nil {
			fmt.Fprintf(w, "  %s (%s)\n", n, n.Evidence)
		} else {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
}

// WriteSetupCheck writes the differential check of one plan, for
// `venv2flox plan --verify`.
func WriteSetupCheck(w io.Writer, p *Plan) {
	dir := "."
	if p.Project != nil {
		dir = p.Project.Root
	}
	fmt.Fprintf(w, "project %s\n", dir)
	if p.Setup != nil {
		p.Setup.writeText(w)
	}
}
