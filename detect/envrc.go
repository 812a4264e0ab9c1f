package detect

import (
	"io/fs"
	"path"
	"strings"
)

// .envrc files are bash run by direnv, with direnv's own functions:
// `layout python3` makes and activates a venv under .direnv/, `layout uv`
// and `layout poetry` activate a manager's venv, `PATH_add .venv/bin`
// activates by hand, and `use flox` means the project already uses Flox.

func extractEnvrc(s *scanner, f *textFile) {
	ss := newShellSession(s, f.Path, KindEnvrc)
	ss.analyze(templateText(normalizeCRLF(f.Text), 1))
}

// direnvBuiltins are direnv stdlib functions that are not programs.
var direnvBuiltins = wordSet("dotenv", "dotenv_if_exists", "source_env", "source_env_if_exists", "source_up",
	"source_up_if_exists", "source_url", "watch_file", "watch_dir", "strict_env", "unstrict_env", "has",
	"log_status", "log_error", "env_vars_required", "on_git_branch", "expand_path", "find_up", "path_rm",
	"MANPATH_add", "load_prefix", "export_function", "direnv_layout_dir", "direnv_load", "fetchurl", "user_rel_path")

// direnv records the facts of direnv stdlib calls; false when prog is not one.
func (ss *shellSession) direnv(prog string, c cmdCall) bool {
	line := c.lines[0]
	args := c.argv[1:]
	switch {
	case (prog == "source_env" || prog == "source_env_if_exists") && len(args) == 1 && ss.kind == KindEnvrc:
		ss.s.followEnvrc(ss.path, args[0])
		return true
	case prog == "layout" && len(args) > 0:
		ss.direnvLayout(args[0], args[1:], c.text, line)
		return true
	case strings.HasPrefix(prog, "layout_") && len(prog) > len("layout_"):
		ss.direnvLayout(strings.TrimPrefix(prog, "layout_"), args, c.text, line)
		return true
	case prog == "use" && len(args) > 0:
		// `use flox` (already migrated), `use nix`, `use flake`.
		tool := args[0]
		if tool == "flake" {
			tool = "nix"
		}
		if isProgramName(tool) {
			ss.command(tool, args[1:], line)
		}
		return true
	case prog == "PATH_add" || prog == "path_add":
		for _, a := range args {
			if dir, ok := ss.venvBinDir(a); ok {
				ss.venv(VenvActivate, dir, false, c.text, line)
			}
		}
		return true
	}
	return direnvBuiltins[prog]
}

// direnvLayout records `layout python [python3.11]`, `layout uv`, ...
func (ss *shellSession) direnvLayout(kind string, args []string, text string, line int) {
	switch kind {
	case "python", "python2", "python3":
		ss.venv(VenvActivate, ".direnv", false, text, line)
		interp := ""
		if len(args) > 0 {
			interp = args[0]
		}
		if v := strings.TrimPrefix(interp, "python"); v != interp && strings.Contains(v, ".") && isPythonVersion(v) {
			ss.s.addCIPython(KindEnvrc, v, false, Evidence{Path: ss.path, Line: line})
		}
	case "uv":
		ss.venv(VenvActivate, ".venv", false, text, line)
		ss.manager(ManagerUV, "layout uv", line)
	case "poetry", "pipenv", "pdm", "hatch":
		ss.venv(VenvActivate, "", false, text, line)
		ss.manager(Manager(kind), "layout "+kind, line)
	case "anaconda", "conda", "micromamba", "mamba":
		ss.manager(ManagerConda, "layout "+kind, line)
	case "pyenv":
		ss.venv(VenvActivate, ".direnv", false, text, line)
		for _, v := range args {
			if isPythonVersion(v) {
				ss.s.addCIPython(KindEnvrc, v, false, Evidence{Path: ss.path, Line: line})
			}
		}
	}
}

// followEnvrc reads the file an .envrc loads with `source_env FILE` or
// `source_env_if_exists FILE` (.envrc.venv, .envrc.local) as an .envrc of
// its own: direnv runs it in the same way. A folder stands for its .envrc.
// Files outside the project and paths with variables are not followed.
func (s *scanner) followEnvrc(from, arg string) {
	if arg == "" || strings.ContainsAny(arg, "$`~*?") || path.IsAbs(arg) {
		return
	}
	rel := path.Clean(path.Join(path.Dir(from), arg))
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return
	}
	info, err := fs.Stat(s.fsys, s.full(rel))
	if err != nil {
		return // source_env_if_exists of a file each contributor creates
	}
	if info.IsDir() {
		rel = path.Join(rel, ".envrc")
	}
	// Not through specOf: the kinds table refers to extractEnvrc, which
	// leads here.
	s.extract(kindSpec{kind: KindEnvrc, extract: extractEnvrc}, rel)
}
