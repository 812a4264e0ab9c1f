package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// The venv setup's pip commands may carry options that change what gets
// installed: `--no-binary lxml` (build against the system libxml2),
// `--find-links wheelhouse --no-index` (offline installs), an extra index.
// The hook's sync carries them too, or it installs something else.

// installOption is a pip option the sync keeps, with its uv pip spelling.
type installOption struct {
	pip, uv  string
	hasValue bool
}

var installOptions = []installOption{
	{"--no-binary", "--no-binary", true},
	{"--only-binary", "--only-binary", true},
	{"--index-url", "--index-url", true},
	{"-i", "--index-url", true},
	{"--extra-index-url", "--extra-index-url", true},
	{"--find-links", "--find-links", true},
	{"-f", "--find-links", true},
	{"--no-index", "--no-index", false},
	{"--pre", "--prerelease=allow", false},
	{"--no-build-isolation", "--no-build-isolation", false},
}

// setupInstallOptions returns the options of the project's own pip install
// commands (scripts, Makefiles, docs, CI; not Dockerfiles) that the sync
// must repeat, shell-quoted, and a note that says where they come from.
// Only lines that install the requirement files or the project count: an
// index on a line that installs one package (torch from a CPU index) is
// that package's, not the whole set's.
func setupInstallOptions(p *detect.Project, useUV bool) ([]string, string) {
	var out []string
	var where []string
	for _, v := range p.Venvs {
		if v.Action != detect.VenvInstall || v.File == detect.KindDockerfile || !installsSet(v.Command) {
			continue
		}
		opts := pipCommandOptions(v.Command, useUV)
		for i := 0; i < len(opts); i++ {
			n := 1
			if i+1 < len(opts) && !strings.HasPrefix(opts[i+1], "-") {
				n = 2 // the option's value
			}
			if !containsRun(out, opts[i:i+n]) {
				out = append(out, opts[i:i+n]...)
				if !slices.Contains(where, v.Evidence.String()) {
					where = append(where, v.Evidence.String())
				}
			}
			i += n - 1
		}
	}
	if len(out) == 0 {
		return nil, ""
	}
	return out, fmt.Sprintf("the sync passes %s, as %s did", strings.Join(out, " "), strings.Join(where, ", "))
}

// pipCommandOptions picks installOptions out of a pip command line, in
// the installer's spelling.
func pipCommandOptions(cmd string, useUV bool) []string {
	f := strings.Fields(cmd)
	if !slices.Contains(f, "install") {
		return nil
	}
	var out []string
	for i := 0; i < len(f); i++ {
		name, value, joined := strings.Cut(f[i], "=")
		for _, o := range installOptions {
			if name != o.pip {
				continue
			}
			spelled := o.pip
			if useUV {
				spelled = o.uv
			}
			if !o.hasValue {
				out = append(out, spelled)
				continue
			}
			if !joined && i+1 < len(f) {
				i++
				value = f[i]
			}
			if value = strings.Trim(value, `"'`); value != "" && !strings.ContainsAny(value, "$`") {
				out = append(out, spelled, shellQuote(value)) // a variable's value is not known here
			}
		}
	}
	return out
}

// containsRun reports whether list holds run as consecutive items.
func containsRun(list, run []string) bool {
	for i := 0; i+len(run) <= len(list); i++ {
		if slices.Equal(list[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// installsSet reports a pip command line that installs requirement files
// or the project itself.
func installsSet(cmd string) bool {
	c := venvcmd.Classify(strings.Fields(cmd))
	if c.Install == nil {
		return false
	}
	for _, t := range append(c.Install.Editables, c.Install.Paths...) {
		if t.Path == "." || t.Path == "./" {
			return true
		}
	}
	return len(c.Install.Requirements) > 0
}
