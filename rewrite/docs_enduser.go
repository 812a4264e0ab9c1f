package rewrite

import (
	"path"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// Some docs teach the project's users, not its developers: make a folder
// for a new project, make a venv there and `pip install the-package` from
// an index. Those venvs are the reader's own, not the project's, and the
// block stays as it is.

// docForUsers reports a code block of user instructions: it makes a
// folder and goes into it (`mkdir myproject && cd myproject`), or
// installs the project's own distribution by name, as users do.
// newProject is set for the first kind: the reader's steps that follow
// (activating that venv) are theirs too.
func docForUsers(ctx *Context, script string) (users, newProject bool) {
	low := strings.ToLower(script)
	if !strings.Contains(low, "mkdir") && (ctx == nil || ctx.ProjectName == "" || !strings.Contains(strings.ReplaceAll(strings.ReplaceAll(low, "_", "-"), ".", "-"), ctx.ProjectName)) {
		return false, false // nothing to look for: skip the parse
	}
	made := map[string]bool{}
	dcEachCall(script, func(args []string) bool {
		switch name := path.Base(args[0]); {
		case name == "mkdir":
			for _, a := range args[1:] {
				made[path.Clean(a)] = true
			}
		case name == "cd" && len(args) == 2 && made[path.Clean(args[1])]:
			users, newProject = true, true
		case ctx != nil && ctx.ProjectName != "":
			users = users || installsByName(ctx.ProjectName, args)
		}
		return true
	})
	return users, newProject
}

// installsByName reports `pip install NAME`, `uv pip install NAME`,
// `python -m pip install NAME`, `pipx install NAME` or `uv add NAME`.
func installsByName(name string, args []string) bool {
	switch {
	case len(args) > 2 && dcIsPython(path.Base(args[0])) && args[1] == "-m":
		args = args[2:]
	case len(args) > 1 && path.Base(args[0]) == "uv" && args[1] == "pip":
		args = args[1:]
	}
	if len(args) < 2 {
		return false
	}
	prog, sub := path.Base(args[0]), args[1]
	if !((prog == "pip" || prog == "pip3" || prog == "pipx") && sub == "install" || prog == "uv" && sub == "add") {
		return false
	}
	for _, a := range args[2:] {
		if strings.HasPrefix(a, "-") {
			continue
		}
		spec := a
		if i := strings.IndexAny(spec, "[<>=!~;@ "); i >= 0 {
			spec = spec[:i]
		}
		if detect.NormalizeName(spec) == name {
			return true
		}
	}
	return false
}
