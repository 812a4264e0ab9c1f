package migrate

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// The hook's venv lives in .flox/cache/venv, inside the checkout. flake8
// and isort, run over the whole tree, walk into it: flake8's default
// exclude never names a venv (flake8 src/flake8/defaults.py), and isort's
// default skip names .venv and venv but not .flox (isort settings.py
// DEFAULT_SKIP). Where the old venv lay elsewhere (CI installed into the
// runner's Python), `flake8 .` had nothing to walk; now it lints
// site-packages. rewrite/tool_excludes.go adds .flox to the settings of
// the tools found here.

// treeWalkers returns the tools among flake8 and isort that the project
// runs over the whole tree (`flake8`, `flake8 .`, `isort --check .`),
// with the first place each is run.
func treeWalkers(p *detect.Project) map[string]detect.Evidence {
	out := map[string]detect.Evidence{}
	note := func(words []string, ev detect.Evidence) {
		tool, args := walkerArgs(words)
		if tool == "" {
			return
		}
		if _, seen := out[tool]; !seen && walksTree(tool, args) {
			out[tool] = ev
		}
	}
	for _, c := range p.Commands {
		if c.File.Info().Class == detect.ClassDocs {
			continue // a doc's example command, not a step the project runs
		}
		note(append([]string{c.Name}, c.Args...), c.Evidence)
	}
	for _, v := range p.Venvs {
		if v.Action == detect.VenvBinUse {
			note(strings.Fields(v.Command), v.Evidence)
		}
	}
	return out
}

// walkerArgs returns flake8 or isort and its arguments when words run one
// of them, directly, from a venv or as `python -m`.
func walkerArgs(words []string) (string, []string) {
	c := venvcmd.Classify(words)
	run := words[min(c.Start, len(words)):]
	if c.Kind == venvcmd.RunTool || c.Kind == venvcmd.ManagerRun {
		run = c.Run
	}
	if len(run) >= 3 && venvcmd.IsPython(path.Base(run[0])) && run[1] == "-m" {
		run = run[2:]
	}
	if len(run) == 0 {
		return "", nil
	}
	switch tool := path.Base(run[0]); tool {
	case "flake8", "isort":
		return tool, run[1:]
	}
	return "", nil
}

// walksTree reports whether the arguments make the tool walk the project
// folder: "." or "./", or, for flake8, no path at all.
func walksTree(tool string, args []string) bool {
	paths := 0
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			continue
		}
		if a == "." || a == "./" {
			return true
		}
		paths++
	}
	return tool == "flake8" && paths == 0
}

// walkerSettings are, per tool, the root files that can hold its settings
// and the section headers that open them there.
var walkerSettings = map[string]map[string][]string{
	"flake8": {"setup.cfg": {"[flake8]"}, "tox.ini": {"[flake8]"}, ".flake8": {"[flake8]"}},
	"isort": {"pyproject.toml": {"[tool.isort]"}, "setup.cfg": {"[isort]", "[tool:isort]"},
		"tox.ini": {"[isort]", "[tool:isort]"}, ".isort.cfg": {"[settings]", "[isort]"}},
}

// walkerNotices says, for each tree walker with no settings section to
// extend, how to keep it out of the venv.
func walkerNotices(p *detect.Project) []string {
	var out []string
	walkers := treeWalkers(p)
	for _, tool := range []string{"flake8", "isort"} {
		ev, ok := walkers[tool]
		if !ok || hasSettings(p, walkerSettings[tool]) {
			continue
		}
		option := map[string]string{"flake8": "extend-exclude = .flox", "isort": "extend_skip = .flox"}[tool]
		out = append(out, fmt.Sprintf("%s runs over the whole tree (%s) and would now walk the venv in .flox/cache: add `%s` to its settings",
			tool, ev, option))
	}
	return out
}

// hasSettings reports whether one of the project's root files holds one
// of the sections.
func hasSettings(p *detect.Project, files map[string][]string) bool {
	if p.FS == nil {
		return true // nothing to read: say nothing
	}
	for name, headers := range files {
		data, err := fs.ReadFile(p.FS, path.Join(p.Root, name))
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(data), "\n") {
			l, _, _ = strings.Cut(l, "#") // [tool.isort]  # a comment
			if slices.Contains(headers, strings.TrimSpace(l)) {
				return true
			}
		}
	}
	return false
}
