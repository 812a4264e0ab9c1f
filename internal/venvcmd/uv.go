package venvcmd

// uv's option tables, from astral-sh/uv crates/uv-cli/src/lib.rs:
// GlobalArgs, VenvArgs, PipInstallArgs, PipSyncArgs, SyncArgs, AddArgs,
// RunArgs, ProjectDependencyGroupsArgs, and the flattened IndexArgs,
// InstallerArgs, ResolverArgs and RefreshArgs.

// uvGlobal are the options every uv command takes.
var uvGlobal = opts(
	[]string{"=--python-preference"}, []string{"=--python-fetch"}, []string{"=--color"},
	[]string{"=--allow-insecure-host", "--trusted-host"}, []string{"=--preview-features", "--preview-feature"},
	[]string{"=--directory"}, []string{"=--project"}, []string{"=--cache-dir"}, []string{"=--config-file"},
	[]string{"--quiet", "-q"}, []string{"--verbose", "-v"}, []string{"--offline"}, []string{"--no-cache", "-n"},
	[]string{"--managed-python"}, []string{"--no-managed-python"}, []string{"--no-python-downloads"},
	[]string{"--native-tls"}, []string{"--no-progress"}, []string{"--preview"}, []string{"--isolated"},
	[]string{"--no-config"}, []string{"--help", "-h"}, []string{"--version", "-V"},
)

// uvIndex are uv's index and resolver options that take a value.
var uvIndex = opts(
	[]string{"=--index"}, []string{"=--default-index"}, []string{"=--index-url", "-i"},
	[]string{"=--extra-index-url"}, []string{"=--find-links", "-f"}, []string{"--no-index"},
	[]string{"=--index-strategy"}, []string{"=--keyring-provider"}, []string{"=--upgrade-package", "-P"},
	[]string{"=--upgrade-group"}, []string{"=--reinstall-package"}, []string{"=--config-setting", "--config-settings", "-C"},
	[]string{"=--config-settings-package"}, []string{"=--exclude-newer"}, []string{"=--exclude-newer-package"},
	[]string{"=--link-mode"}, []string{"=--resolution"}, []string{"=--prerelease"}, []string{"=--fork-strategy"},
	[]string{"=--no-build-package"}, []string{"=--no-binary-package"}, []string{"=--refresh-package"},
	[]string{"=--no-build-isolation-package"}, []string{"=--python-platform"}, []string{"=--python", "-p"},
	[]string{"--upgrade", "-U"}, []string{"--reinstall", "--force-reinstall"}, []string{"--no-build-isolation"},
	[]string{"--compile-bytecode", "--compile"}, []string{"--refresh"}, []string{"--no-sources"},
)

// uvGroups are the dependency-group options of uv sync, run and export.
var uvGroups = opts(
	[]string{"=--extra"}, []string{"=--no-extra"}, []string{"--all-extras"}, []string{"--no-all-extras"},
	[]string{"--dev"}, []string{"--no-dev"}, []string{"--only-dev"}, []string{"=--group"}, []string{"=--no-group"},
	[]string{"--no-default-groups"}, []string{"=--only-group"}, []string{"--all-groups"},
)

var uvVenv = merge(uvGlobal, uvIndex, opts([]string{"=--prompt"}, []string{"--seed"}, []string{"--system-site-packages"}, []string{"--relocatable"}))

var uvPipInstall = merge(uvGlobal, uvIndex, opts(
	[]string{"=--requirement", "-r", "--requirements"}, []string{"=--editable", "-e"}, []string{"=--constraint", "-c", "--constraints"},
	[]string{"=--override", "--overrides"}, []string{"=--exclude", "--excludes"}, []string{"=--build-constraint", "-b", "--build-constraints"},
	[]string{"=--extra"}, []string{"--all-extras"}, []string{"=--group"}, []string{"=--no-editable-package"},
	[]string{"=--target", "-t"}, []string{"=--prefix"}, []string{"=--no-binary"}, []string{"=--only-binary"},
	[]string{"=--python-version"}, []string{"=--torch-backend"}, []string{"--system"}, []string{"--user"},
	[]string{"--break-system-packages"}, []string{"--no-deps"}, []string{"--exact"}, []string{"--strict"},
	[]string{"--require-hashes"}, []string{"--dry-run"}, []string{"--no-build"},
))

var uvPipUninstall = merge(uvGlobal, opts([]string{"=--requirement", "-r", "--requirements"}, []string{"=--python", "-p"},
	[]string{"=--target", "-t"}, []string{"=--prefix"}, []string{"--system"}))

var uvSync = merge(uvGlobal, uvIndex, uvGroups, opts(
	[]string{"=--output-format"}, []string{"=--no-editable-package"}, []string{"=--no-install-package"},
	[]string{"=--only-install-package"}, []string{"=--package"}, []string{"=--script"},
	[]string{"--no-editable"}, []string{"--editable"}, []string{"--inexact", "--no-exact"}, []string{"--exact"},
	[]string{"--active"}, []string{"--no-install-project"}, []string{"--only-install-project"},
	[]string{"--no-install-workspace"}, []string{"--all-packages"}, []string{"--locked"}, []string{"--frozen"},
	[]string{"--dry-run"}, []string{"--check"},
))

var uvAdd = merge(uvGlobal, uvIndex, opts(
	[]string{"=--requirement", "-r", "--requirements"}, []string{"=--constraint", "-c", "--constraints"},
	[]string{"=--marker", "-m"}, []string{"=--optional"}, []string{"=--group"}, []string{"=--bounds"},
	[]string{"=--rev"}, []string{"=--tag"}, []string{"=--branch"}, []string{"=--extra"}, []string{"=--package"},
	[]string{"=--script"}, []string{"--dev"}, []string{"--editable"}, []string{"--raw", "--raw-sources"},
	[]string{"--no-sync"}, []string{"--locked"}, []string{"--frozen"}, []string{"--active"},
))

var uvRun = merge(uvGlobal, uvIndex, uvGroups, opts(
	[]string{"=--with", "-w"}, []string{"=--with-editable"}, []string{"=--with-requirements"},
	[]string{"=--env-file"}, []string{"=--package"}, []string{"=--no-editable-package"}, []string{"=--max-recursion-depth"},
	[]string{"=--show-resolution"}, []string{"--module", "-m"}, []string{"--no-sync"}, []string{"--locked"},
	[]string{"--frozen"}, []string{"--active"}, []string{"--script", "-s"}, []string{"--no-project"},
	[]string{"--all-packages"}, []string{"--exact"}, []string{"--no-editable"},
))

// classifyUV reads `uv ...` (args after the program name).
func classifyUV(c *Command, args []string) {
	p := parseArgs(args, uvGlobal, true)
	if len(p.pos) == 0 {
		return
	}
	c.Tool, c.Sub = "uv", p.pos[0]
	rest := p.pos[1:]
	switch c.Sub {
	case "venv", "virtualenv":
		c.Kind = Create
		q := parseArgs(rest, uvVenv, false)
		c.Dir = ".venv" // uv venv's default
		if len(q.pos) > 0 {
			c.Dir = CleanDir(q.pos[0])
		}
		c.Python = q.value("--python")
		c.Windows = isWindowsPath(c.Dir)
	case "pip":
		classifyUVPip(c, rest)
	case "sync":
		c.Kind = Install
		c.Install = uvProjectInstall(rest, uvSync)
		c.Install.Exact = !hasOption(rest, uvSync, "--inexact")
	case "add":
		c.Kind = Install
		q := parseArgs(rest, uvAdd, false)
		in := &InstallArgs{Packages: q.pos, Requirements: q.values("--requirement"), Constraints: q.values("--constraint")}
		in.Groups = q.values("--group")
		if q.has("--dev") {
			in.Groups = append(in.Groups, "dev")
		}
		in.Extras = q.values("--optional")
		c.Install = in
	case "remove":
		c.Kind = Uninstall
		q := parseArgs(rest, uvAdd, false)
		c.Install = &InstallArgs{Packages: q.pos}
	case "run":
		c.Kind = ManagerRun
		q := parseArgs(rest, uvRun, true)
		c.Run = q.pos
		if q.has("--module") && len(c.Run) > 0 {
			c.Run = append([]string{"python", "-m"}, c.Run...)
		}
	case "python":
		if len(rest) > 0 && (rest[0] == "install" || rest[0] == "pin") {
			c.Kind = Interpreter
			c.Sub = "python " + rest[0]
			if q := parseArgs(rest[1:], uvGlobal, false); len(q.pos) > 0 {
				c.Python = q.pos[0]
			}
		}
	}
	// `uv --directory DIR sync`: the global option names the project.
	if c.Install != nil && c.Install.Project == "" {
		c.Install.Project = p.value("--directory") + p.value("--project")
	}
}

// UVRunSync returns the sync `uv run` does before it runs its command, for
// the words after `uv`: "When used in a project, the project environment
// will be created and updated before invoking the command" (uv docs,
// concepts/projects/run.md), inexact unless --exact, with the run's group
// and extra options (crates/uv-cli RunArgs). There is none with
// --no-sync, --no-project, --isolated (a temporary environment), --script
// or for another command than run.
func UVRunSync(words []string) (Command, bool) {
	p := parseArgs(words, uvGlobal, true)
	if len(p.pos) == 0 || p.pos[0] != "run" || p.has("--isolated") {
		return Command{}, false
	}
	q := parseArgs(p.pos[1:], uvRun, true)
	if q.has("--no-sync") || q.has("--no-project") || q.has("--isolated") || q.has("--script") {
		return Command{}, false
	}
	in := uvProjectOptions(q.opts)
	in.Exact = q.has("--exact")
	if in.Project == "" {
		in.Project = p.value("--directory") + p.value("--project")
	}
	return Command{Kind: Install, Tool: "uv", Sub: "sync", Install: in}, true
}

// classifyUVPip reads `uv pip ...`.
func classifyUVPip(c *Command, args []string) {
	if len(args) == 0 {
		return
	}
	c.Sub = "pip " + args[0]
	switch args[0] {
	case "install":
		c.Install = installArgs(args[1:], uvPipInstall)
		c.Install.Exact = hasOption(args[1:], uvPipInstall, "--exact")
		c.Kind = installKind(c.Install)
	case "sync":
		c.Kind = Install
		in := installArgs(args[1:], uvPipInstall)
		// `uv pip sync FILE...`: its positionals are requirement files.
		in.Requirements = append(in.Requirements, in.Packages...)
		for _, t := range in.Paths {
			in.Requirements = append(in.Requirements, t.Path)
		}
		in.Packages, in.Paths, in.Exact = nil, nil, true
		c.Install = in
	case "uninstall":
		c.Kind = Uninstall
		c.Install = uninstallArgs(args[1:], uvPipUninstall)
	}
}

// uvProjectInstall reads the group, extra and project options of uv sync.
func uvProjectInstall(args []string, t optTable) *InstallArgs {
	return uvProjectOptions(parseArgs(args, t, false).opts)
}

// uvProjectOptions reads the group, extra and project options of uv sync
// and uv run.
func uvProjectOptions(opts []Option) *InstallArgs {
	in := &InstallArgs{}
	for _, o := range opts {
		in.Given = append(in.Given, o.Name)
		switch o.Name {
		case "--extra":
			in.Extras = append(in.Extras, splitList(o.Value)...)
		case "--no-extra":
			in.NoExtras = append(in.NoExtras, splitList(o.Value)...)
		case "--all-extras":
			in.AllExtras = true
		case "--group":
			in.Groups = append(in.Groups, o.Value)
		case "--no-group":
			in.WithoutGroups = append(in.WithoutGroups, splitList(o.Value)...)
		case "--only-group":
			in.OnlyGroups = append(in.OnlyGroups, o.Value)
		case "--only-dev":
			in.OnlyGroups = append(in.OnlyGroups, "dev")
		case "--all-groups":
			in.AllGroups = true
		case "--dev":
			in.Dev = true
		case "--no-dev":
			in.NoDev = true
		case "--no-default-groups":
			in.NoDefaultGroups = true
		case "--no-install-project":
			in.NoProject = true
		case "--only-install-project":
			in.OnlyProject = true
		case "--no-editable":
			in.NoEditable = true
		case "--all-packages":
			in.AllPackages = true
		case "--upgrade":
			in.Upgrade = true
		case "--python":
			in.Python = o.Value
		case "--project", "--directory":
			in.Project = o.Value
		case "--prerelease":
			if o.Value == "allow" {
				in.Options = append(in.Options, Option{Name: "--pre"})
			}
		default:
			if sourceOptions[o.Name] {
				in.Options = append(in.Options, o)
			}
		}
	}
	return in
}

// hasOption reports whether args hold an option, read with table t.
func hasOption(args []string, t optTable, name string) bool {
	return parseArgs(args, t, false).has(name)
}
