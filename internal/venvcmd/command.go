// Package venvcmd says what one simple command does to a Python virtual
// environment: create one, activate or leave it, install into it (and
// exactly what), run a tool from it, or run through a package manager that
// owns it. It works on argv: the words of one command as the shell would
// pass them (quotes removed, variables expanded where known). Callers cut
// commands out of scripts, Makefile recipes, CI steps and doc blocks with
// their own parsers and ask this package what each one means, so that every
// part of venv2flox agrees on the names of interpreters, installers,
// managers and wrappers, and on their option tables.
//
// Words may also be given as written when the caller has them (a README's
// `venv\Scripts\activate` or zsh-escaped `.\[dev\]`): backslashes in paths
// and extras are understood.
package venvcmd

// Kind is what a command does to a venv.
type Kind int

const (
	// Other: nothing venv2flox needs to know (git, make, echo, ...).
	Other Kind = iota
	// Create makes a venv: python -m venv DIR, virtualenv DIR, uv venv,
	// mkvirtualenv NAME, pyenv virtualenv, pdm venv create.
	Create
	// Activate enters a venv: source DIR/bin/activate, workon NAME,
	// poetry shell, pipenv shell, hatch shell.
	Activate
	// Deactivate leaves an activated venv.
	Deactivate
	// Install puts packages into a venv: pip install, uv pip install|sync,
	// uv sync|add, poetry install|sync|add, pdm install|sync|add,
	// pipenv install|sync, pip-sync, python setup.py develop.
	Install
	// Uninstall removes packages: pip uninstall, uv pip uninstall, uv
	// remove, poetry remove, pdm remove, pipenv uninstall.
	Uninstall
	// Bootstrap installs or upgrades only packaging tools or a package
	// manager (pip install -U pip setuptools wheel, pip install poetry):
	// what a Flox environment provides by itself.
	Bootstrap
	// RunTool runs a program from the venv: .venv/bin/pytest, python -m
	// pytest, python manage.py test.
	RunTool
	// ManagerRun runs a program through the manager that owns the venv:
	// uv run X, poetry run X, pdm run X, pipenv run X, hatch run X.
	ManagerRun
	// Interpreter installs or selects a Python: uv python install,
	// pyenv install|local|global, poetry env use, pdm use.
	Interpreter
)

var kindNames = [...]string{"other", "create", "activate", "deactivate", "install", "uninstall",
	"bootstrap", "run-tool", "manager-run", "interpreter"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Command is what one simple command does.
type Command struct {
	Kind Kind
	// Start is the index in the words given to Classify of the word that
	// names the program, after wrappers (sudo, env, exec, timeout, ...).
	Start int
	// Tool is the program that acts, by its family: "python", "pip",
	// "uv", "poetry", "pdm", "pipenv", "hatch", "pip-sync", "virtualenv",
	// "virtualenvwrapper", "pyenv", or a plain program name for RunTool.
	Tool string
	// Sub is the tool's subcommand: "install", "sync", "pip install",
	// "venv", "run", ... ("" when it has none).
	Sub string
	// Dir is the venv folder as written: the one created or activated, or
	// the one whose bin folder the program was run from (".venv",
	// "$VENV"). Empty when not named (uv venv's default is ".venv").
	Dir string
	// Python is the interpreter a Create or Interpreter command asks for,
	// as written ("python3.11", "3.12", "pypy3"); "" for the default.
	Python string
	// Windows marks Windows-only forms: Scripts\activate, py -m venv,
	// pip.exe, Activate.ps1.
	Windows bool
	// Install is what an Install, Uninstall or Bootstrap command installs
	// or removes.
	Install *InstallArgs
	// Run is the command a RunTool or ManagerRun runs: the program and its
	// arguments (["pytest", "-x"], ["python", "-m", "build"]).
	Run []string
	// Module is the module of `python -m MODULE`.
	Module string
}

// InstallArgs says exactly what an install command installs.
type InstallArgs struct {
	// Requirements are requirement files (-r FILE), as written.
	Requirements []string
	// Constraints are constraint files (-c FILE), as written.
	Constraints []string
	// Editables are editable installs (-e PATH[extras], -e git+URL).
	Editables []Target
	// Paths are local paths installed without -e (".", ".[dev]", a wheel).
	Paths []Target
	// Packages are packages named by specifier or URL, as written with
	// quotes removed ("ruff==0.5.0", "torch", "pkg @ https://...").
	Packages []string
	// Groups are dependency groups asked for (--group, --with, -G), in
	// the manager's own sense: PDM's -G names extras as well.
	Groups []string
	// WithoutGroups are groups left out (--without, --no-group).
	WithoutGroups []string
	// OnlyGroups restrict the install to these groups (--only-group,
	// --only); "main" in Poetry's sense keeps the main dependencies.
	OnlyGroups []string
	// Extras are optional-dependency extras asked for by option (--extra,
	// -E, --extras); extras written on targets (.[dev]) stay there.
	Extras []string
	// NoExtras are extras left out (uv's --no-extra).
	NoExtras []string
	// AllExtras and AllGroups ask for every extra or group.
	AllExtras, AllGroups bool
	// NoDev leaves the development groups out (--no-dev, --prod,
	// --only main for Poetry). Dev asks for them (pipenv --dev, pdm -d,
	// uv --dev).
	NoDev, Dev bool
	// NoDefaultGroups leaves out the groups a manager installs by default
	// (uv --no-default-groups, pdm --no-default).
	NoDefaultGroups bool
	// NoProject installs the dependencies without the project itself
	// (poetry --no-root, uv --no-install-project, pdm --no-self).
	NoProject bool
	// OnlyProject installs the project and none of its dependencies
	// (poetry --only-root, uv --only-install-project).
	OnlyProject bool
	// NoEditable installs the project non-editable (uv/pdm --no-editable).
	NoEditable bool
	// AllPackages syncs every member of a uv workspace, not only its root
	// (uv sync --all-packages).
	AllPackages bool
	// Exact makes the environment match exactly, removing what is not
	// listed (uv sync, uv pip sync, pip-sync, poetry sync, pdm sync --clean).
	Exact bool
	// Upgrade asks for the newest versions allowed (-U, --upgrade).
	Upgrade bool
	// Options are the options that change where packages come from or
	// which files are accepted, in their canonical pip spelling
	// (--index-url, --extra-index-url, --find-links, --no-index, --pre,
	// --no-binary, --only-binary) or uv's (--index, --index-strategy).
	Options []Option
	// Outside names the option that sends the install outside any venv
	// (--user, --target, --prefix, --root, --system), or "".
	Outside string
	// Python is the interpreter an installer is pointed at (--python X).
	Python string
	// Given are the options given, by their canonical names, in order
	// (pip and uv pip installs).
	Given []string
	// Project is the project folder a manager works on (-C, --directory,
	// --project), as written; "" for the current folder.
	Project string
}

// Target is a local path or an editable URL with its extras.
type Target struct {
	Path   string
	Extras []string
}

// Option is one install option and its value ("" for flags).
type Option struct {
	Name, Value string
}

// String renders an option as one shell word or two.
func (o Option) String() string {
	if o.Value == "" {
		return o.Name
	}
	return o.Name + " " + o.Value
}
