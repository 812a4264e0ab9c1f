package rewrite

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// `python3 -m pipenv run ...` ran the manager installed into the system
// or the old venv's Python. In the Flox environment the manager is a
// catalog package with its own interpreter: the venv's Python has no such
// module, so the command names the program instead (`pipenv run ...`).

// managerModule reports a `python -m NAME` that is the manager the Flox
// environment installs.
func (u *unit) managerModule(mod string) bool {
	if u.ctx == nil || mod != u.ctx.Manager {
		return false
	}
	switch mod {
	case "poetry", "pdm", "pipenv", "uv", "hatch":
		return true
	}
	return false
}

// rewriteManagerModule turns `python3 -m pipenv` into `pipenv` in a kept
// command; it returns false when the command is not such a call.
func (u *unit) rewriteManagerModule(c *syntax.CallExpr, cmd command, prefix string) bool {
	if !venvcmd.IsPython(cmd.name) && !cmd.fromVenv {
		return false
	}
	rest := c.Args[cmd.index+1:]
	if len(rest) < 2 || rest[0].Lit() != "-m" || !u.managerModule(rest[1].Lit()) {
		return false
	}
	u.edits = append(u.edits, Edit{Start: int(c.Args[cmd.index].Pos().Offset()), End: int(rest[1].End().Offset()), Text: prefix + rest[1].Lit()})
	return true
}

// managerRun reports `MANAGER run ...` (or `python3 -m MANAGER run ...`)
// for the manager the hook syncs with.
func (u *unit) managerRun(c *syntax.CallExpr, cmd command) bool {
	rest := c.Args[cmd.index+1:]
	name := cmd.name
	if venvcmd.IsPython(name) && len(rest) >= 2 && rest[0].Lit() == "-m" {
		name, rest = rest[1].Lit(), rest[2:]
	}
	return u.managerModule(name) && len(rest) > 0 && rest[0].Lit() == "run"
}

// managerInstall reports an install run by a package manager that keeps its
// own project venv (`uv sync`, `poetry install`, `pdm install`), as
// opposed to pip, which installs into whatever Python runs it.
func (u *unit) managerInstall(c *syntax.CallExpr, cmd command) bool {
	rest := c.Args[cmd.index+1:]
	name := cmd.name
	if venvcmd.IsPython(name) && len(rest) >= 2 && rest[0].Lit() == "-m" {
		name, rest = rest[1].Lit(), rest[2:]
	}
	switch name {
	case "poetry", "pdm", "pipenv", "hatch":
		return true
	case "uv":
		return len(rest) > 0 && rest[0].Lit() == "sync"
	}
	return false
}

// uvPipIntoVenv reports `uv pip install|sync|uninstall` into the venv uv
// finds by itself: not --system, --python, --target or --prefix.
func uvPipIntoVenv(c *syntax.CallExpr, cmd command) bool {
	rest := c.Args[cmd.index+1:]
	if cmd.name != "uv" || len(rest) < 2 || rest[0].Lit() != "pip" {
		return false
	}
	switch rest[1].Lit() {
	case "install", "sync", "uninstall":
	default:
		return false
	}
	for _, w := range rest[2:] {
		switch a, _, _ := strings.Cut(w.Lit(), "="); a {
		case "--system", "--python", "-p", "--target", "--prefix":
			return false
		}
	}
	return true
}
