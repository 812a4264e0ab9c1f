package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/venv2flox/venv2flox/detect"
)

// Detect writes a project's facts for people: one section per kind of
// fact, each line ending with the file:line it came from.
func Detect(w io.Writer, p *detect.Project) {
	fmt.Fprintf(w, "project %s\n", p.Root)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		tw.Flush()
		fmt.Fprintf(w, "\n%s (%d)\n", title, n)
		return true
	}
	if section("files", len(p.Files)) {
		for _, f := range p.Files {
			group := ""
			if f.Group != "" {
				group = "group " + f.Group
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", f.Path, f.Kind, group, audienceText(f.Audience, f.Why))
		}
	}
	if section("interpreter requests", len(p.Interpreters)) {
		for _, i := range p.Interpreters {
			var notes []string
			if i.Implementation != "" && i.Implementation != "cpython" {
				notes = append(notes, i.Implementation)
			}
			if i.FreeThreaded {
				notes = append(notes, "free-threaded")
			}
			if i.Matrix {
				notes = append(notes, "matrix")
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", i.Spec, i.Source, strings.Join(notes, ", "), i.Evidence)
		}
	}
	if section("package managers", len(p.Managers)) {
		for _, m := range p.Managers {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", m.Manager, m.Reason, m.Evidence)
		}
	}
	if section("dependencies", len(p.Requirements)) {
		for _, r := range p.Requirements {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", requirementText(r), groupLabel(r), r.Marker, r.Evidence)
		}
	}
	if section("constraints", len(p.Constraints)) {
		for _, r := range p.Constraints {
			fmt.Fprintf(tw, "  %s\t%s\n", requirementText(r), r.Evidence)
		}
	}
	if section("locked packages", len(p.Locked)) {
		for _, l := range p.Locked {
			sdist := ""
			if l.SdistOnly {
				sdist = "sdist only"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Name, l.Version, sdist, l.Evidence)
		}
	}
	if section("package indexes", len(p.Indexes)) {
		for _, i := range p.Indexes {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", i.Kind, i.URL, i.Evidence)
		}
	}
	if p.Workspace != nil && section("uv workspace members", len(p.Workspace.Members)) {
		for _, m := range p.Workspace.Members {
			fmt.Fprintf(tw, "  %s\t%s\n", m, p.Workspace.Evidence)
		}
	}
	if section("packages the environment serves", len(p.Members)) {
		for _, m := range p.Members {
			fmt.Fprintf(tw, "  %s\n", m)
		}
	}
	if section("venv uses", len(p.Venvs)) {
		for _, v := range p.Venvs {
			win := ""
			if v.Windows {
				win = "windows"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", v.Action, v.Dir, v.OneLine(60), win, v.Evidence)
		}
	}
	if section("ci jobs", len(p.CI)) {
		for _, j := range p.CI {
			var bits []string
			if len(j.Pythons) > 0 {
				bits = append(bits, "python "+strings.Join(j.Pythons, ","))
			}
			if j.PythonVersionFile != "" {
				bits = append(bits, "python-version-file "+j.PythonVersionFile)
			}
			if j.Matrix {
				bits = append(bits, "matrix")
			}
			if j.Cache != "" {
				bits = append(bits, "cache "+j.Cache)
			}
			if j.Image != "" {
				bits = append(bits, "image "+j.Image)
			}
			if len(j.OS) > 0 {
				bits = append(bits, "os "+strings.Join(j.OS, ","))
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", j.System, j.Name, strings.Join(bits, "; "), j.Evidence, audienceText(j.Audience, j.Why))
		}
	}
	if section("doc blocks for other readers", len(p.DocBlocks)) {
		for _, b := range p.DocBlocks {
			fmt.Fprintf(tw, "  %s-%d\t%s\n", b.Evidence, b.EndLine, audienceText(b.Audience, b.Why))
		}
	}
	if section("commands", len(p.Commands)) {
		for _, c := range p.Commands {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, c.File, c.Evidence)
		}
	}
	if section("system packages", len(p.System)) {
		for _, s := range p.System {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.Name, s.Source, s.Evidence)
		}
	}
	if section("conflicts", len(p.Conflicts)) {
		for _, c := range p.Conflicts {
			fmt.Fprintf(tw, "  %s\t%s vs %s\n", c.Message, c.A, c.B)
		}
	}
	if section("problems", len(p.Problems)) {
		for _, pr := range p.Problems {
			fmt.Fprintf(tw, "  %s\t%s\n", pr.Evidence, pr.Message)
		}
	}
	tw.Flush()
}

func requirementText(r detect.Requirement) string {
	s := r.Name
	if len(r.Extras) > 0 {
		s += "[" + strings.Join(r.Extras, ",") + "]"
	}
	s += r.Specifier
	switch {
	case r.URL != "":
		s += " @ " + r.URL
	case r.Path != "":
		s = r.Path
		if r.Name != "" {
			s = r.Name + " (" + r.Path + ")"
		}
	}
	if r.Editable {
		s = "-e " + s
	}
	return s
}

func groupLabel(r detect.Requirement) string {
	switch {
	case r.Group == "":
		return "main"
	case r.Optional:
		return "extra " + r.Group
	default:
		return "group " + r.Group
	}
}

// audienceText shows an audience with its reason: "user: a tutorial".
func audienceText(a detect.Audience, why string) string {
	if why == "" {
		return string(a)
	}
	return string(a) + ": " + why
}
