package venvcmd

// Option tables of the project managers other than uv:
//   - Poetry: python-poetry/poetry src/poetry/console/commands/install.py,
//     group_command.py (--with/--without/--only), add.py, and the
//     application's global options (-C/--directory, -P/--project);
//   - PDM: pdm-project/pdm src/pdm/cli/options.py (install_group,
//     groups_group, dev_group, clean_group) and commands/install.py;
//   - Pipenv: pypa/pipenv pipenv/cli/options.py (install and sync).

var poetryGlobal = opts(
	[]string{"=--directory", "-C"}, []string{"=--project", "-P"}, []string{"--no-interaction", "-n"},
	[]string{"--quiet", "-q"}, []string{"--verbose", "-v"}, []string{"--ansi"}, []string{"--no-ansi"},
	[]string{"--no-plugins"}, []string{"--no-cache"}, []string{"--help", "-h"}, []string{"--version", "-V"},
)

var poetryInstall = merge(poetryGlobal, opts(
	[]string{"=--with"}, []string{"=--without"}, []string{"=--only"}, []string{"=--extras", "-E"},
	[]string{"--all-extras"}, []string{"--all-groups"}, []string{"--no-root"}, []string{"--only-root"},
	[]string{"--no-directory"}, []string{"--sync"}, []string{"--no-dev"}, []string{"--dev-only"},
	[]string{"--dry-run"}, []string{"--remove-untracked"}, []string{"--compile"},
))

var poetryAdd = merge(poetryGlobal, opts(
	[]string{"=--group", "-G"}, []string{"=--extras", "-E"}, []string{"=--optional"}, []string{"=--python"},
	[]string{"=--platform"}, []string{"=--markers"}, []string{"=--source"}, []string{"--dev", "-D"},
	[]string{"--editable", "-e"}, []string{"--allow-prereleases"}, []string{"--dry-run"}, []string{"--lock"},
))

var pdmCommon = opts(
	[]string{"=--project", "-p"}, []string{"=--lockfile", "-L"}, []string{"=--venv"}, []string{"=--skip", "-k"},
	[]string{"=--group", "-G"}, []string{"--dev", "-d"}, []string{"--prod", "--production"},
	[]string{"--no-default"}, []string{"--no-editable"}, []string{"--no-self"}, []string{"--fail-fast", "-x"},
	[]string{"--no-isolation"}, []string{"--dry-run"}, []string{"--clean"}, []string{"--only-keep"},
	[]string{"--frozen-lockfile"}, []string{"--check"}, []string{"--plugins"}, []string{"--global", "-g"},
	[]string{"--verbose", "-v"}, []string{"--quiet", "-q"}, []string{"=--editable", "-e"},
	[]string{"--save-compatible"}, []string{"--save-wildcard"}, []string{"--save-exact"}, []string{"--save-minimum"},
	[]string{"--pre", "--prerelease"}, []string{"--unconstrained", "-u"}, []string{"--no-sync"},
	[]string{"--reinstall", "-r"}, []string{"--ignore-python", "-I"},
)

var pipenvInstall = opts(
	[]string{"=--python"}, []string{"=--categories"}, []string{"=--requirements", "-r"}, []string{"=--index", "-i"},
	[]string{"=--extra-pip-args"}, []string{"=--extra-index-url"}, []string{"=--pypi-mirror"}, []string{"=--code", "-c"},
	[]string{"=--editable", "-e"}, []string{"--sequential"}, []string{"--keep-outdated"}, []string{"--selective-upgrade"}, []string{"--dev", "-d"}, []string{"--system"},
	[]string{"--deploy"}, []string{"--ignore-pipfile"}, []string{"--skip-lock"}, []string{"--pre"},
	[]string{"--site-packages"}, []string{"--verbose", "-v"}, []string{"--quiet", "-q"}, []string{"--clear"},
)

var pipSync = opts(
	[]string{"=--find-links", "-f"}, []string{"=--index-url", "-i"}, []string{"=--extra-index-url"},
	[]string{"=--trusted-host"}, []string{"=--python-executable"}, []string{"=--pip-args"}, []string{"=--cert"},
	[]string{"=--client-cert"}, []string{"--no-index"}, []string{"--dry-run", "-n"}, []string{"--ask", "-a"},
	[]string{"--user"}, []string{"--verbose", "-v"}, []string{"--quiet", "-q"},
)

// classifyPoetry reads `poetry ...`.
func classifyPoetry(c *Command, args []string) {
	p := parseArgs(args, poetryGlobal, true)
	if len(p.pos) == 0 {
		return
	}
	c.Tool, c.Sub = "poetry", p.pos[0]
	rest := p.pos[1:]
	project := p.value("--directory") + p.value("--project")
	switch c.Sub {
	case "install", "sync":
		q := parseArgs(rest, poetryInstall, false)
		in := &InstallArgs{Project: project, Exact: c.Sub == "sync" || q.has("--sync") || q.has("--remove-untracked")}
		for _, o := range q.opts {
			switch o.Name {
			case "--with":
				in.Groups = append(in.Groups, splitList(o.Value)...)
			case "--without":
				in.WithoutGroups = append(in.WithoutGroups, splitList(o.Value)...)
			case "--only":
				in.OnlyGroups = append(in.OnlyGroups, splitList(o.Value)...)
			case "--extras":
				in.Extras = append(in.Extras, splitList(o.Value)...)
			case "--all-extras":
				in.AllExtras = true
			case "--all-groups":
				in.AllGroups = true
			case "--no-root":
				in.NoProject = true
			case "--only-root":
				in.OnlyProject = true
			case "--no-dev":
				in.NoDev = true
			case "--dev-only":
				in.OnlyGroups = append(in.OnlyGroups, "dev")
			}
		}
		c.Kind, c.Install = Install, in
	case "add":
		q := parseArgs(rest, poetryAdd, false)
		in := &InstallArgs{Project: project, Packages: q.pos, Groups: q.values("--group")}
		if q.has("--dev") {
			in.Groups = append(in.Groups, "dev")
		}
		if q.has("--editable") {
			in.Editables = targets(in.Packages)
			in.Packages = nil
		}
		c.Kind, c.Install = Install, in
	case "remove":
		c.Kind, c.Install = Uninstall, &InstallArgs{Project: project, Packages: parseArgs(rest, poetryAdd, false).pos}
	case "run":
		c.Kind, c.Run = ManagerRun, rest
	case "shell":
		c.Kind = Activate
	case "env":
		if len(rest) > 1 && rest[0] == "use" {
			c.Kind, c.Sub, c.Python = Interpreter, "env use", rest[1]
		} else if len(rest) > 0 && rest[0] == "activate" {
			c.Kind, c.Sub = Activate, "env activate"
		}
	}
}

// classifyPDM reads `pdm ...`.
func classifyPDM(c *Command, args []string) {
	p := parseArgs(args, pdmCommon, true)
	if len(p.pos) == 0 {
		return
	}
	c.Tool, c.Sub = "pdm", p.pos[0]
	rest := p.pos[1:]
	switch c.Sub {
	case "install", "sync":
		q := parseArgs(rest, pdmCommon, false)
		in := &InstallArgs{Project: q.value("--project") + p.value("--project"), Exact: c.Sub == "sync" && (q.has("--clean") || q.has("--only-keep"))}
		pdmGroups(in, q)
		c.Kind, c.Install = Install, in
	case "add":
		q := parseArgs(rest, pdmCommon, false)
		in := &InstallArgs{Project: q.value("--project"), Packages: q.pos, Editables: targets(q.values("--editable"))}
		pdmGroups(in, q)
		c.Kind, c.Install = Install, in
	case "remove":
		c.Kind, c.Install = Uninstall, &InstallArgs{Packages: parseArgs(rest, pdmCommon, false).pos}
	case "run":
		c.Kind, c.Run = ManagerRun, parseArgs(rest, pdmCommon, true).pos
	case "use":
		c.Kind = Interpreter
		if q := parseArgs(rest, pdmCommon, false); len(q.pos) > 0 {
			c.Python = q.pos[0]
		}
	case "venv":
		if len(rest) > 0 && rest[0] == "create" {
			c.Kind, c.Sub = Create, "venv create"
			if q := parseArgs(rest[1:], pdmCommon, false); len(q.pos) > 0 {
				c.Python = q.pos[0]
			}
		} else if len(rest) > 0 && rest[0] == "activate" {
			c.Kind, c.Sub = Activate, "venv activate"
		}
	}
}

// pdmGroups reads PDM's group selection: -G names extras and dev groups
// alike (":all" for every one), -d/--prod choose the dev groups.
func pdmGroups(in *InstallArgs, q parsedArgs) {
	for _, g := range q.values("--group") {
		for _, name := range splitList(g) {
			if name == ":all" {
				in.AllGroups, in.AllExtras = true, true
				continue
			}
			in.Groups = append(in.Groups, name)
		}
	}
	in.Dev = q.has("--dev")
	in.NoDev = q.has("--prod")
	in.NoDefaultGroups = q.has("--no-default")
	in.NoProject = q.has("--no-self")
	in.NoEditable = q.has("--no-editable")
}

// classifyPipenv reads `pipenv ...`.
func classifyPipenv(c *Command, args []string) {
	p := parseArgs(args, pipenvInstall, true)
	if len(p.pos) == 0 {
		return
	}
	c.Tool, c.Sub = "pipenv", p.pos[0]
	rest := p.pos[1:]
	switch c.Sub {
	case "install", "sync":
		q := parseArgs(rest, pipenvInstall, false)
		in := &InstallArgs{Packages: q.pos, Editables: targets(q.values("--editable")),
			Requirements: q.values("--requirements"), Exact: c.Sub == "sync", Dev: q.has("--dev")}
		for _, cat := range q.values("--categories") {
			in.Groups = append(in.Groups, splitList(cat)...)
		}
		if q.has("--system") {
			in.Outside = "--system"
		}
		for _, o := range q.opts {
			switch o.Name {
			case "--pre", "--extra-index-url":
				in.Options = append(in.Options, o)
			case "--index":
				in.Options = append(in.Options, Option{Name: "--index-url", Value: o.Value})
			}
		}
		c.Kind, c.Install = Install, in
	case "uninstall":
		c.Kind, c.Install = Uninstall, &InstallArgs{Packages: parseArgs(rest, pipenvInstall, false).pos}
	case "run":
		c.Kind, c.Run = ManagerRun, rest
	case "shell":
		c.Kind = Activate
	}
}

// classifyHatch reads `hatch ...`: its own environments are not the
// project's venv, but `hatch run` and `hatch shell` use one.
func classifyHatch(c *Command, args []string) {
	p := parseArgs(args, opts([]string{"=--env", "-e"}, []string{"=--project", "-p"}, []string{"=--data-dir"},
		[]string{"=--cache-dir"}, []string{"=--config"}, []string{"--verbose", "-v"}, []string{"--quiet", "-q"}), true)
	if len(p.pos) == 0 {
		return
	}
	c.Tool, c.Sub = "hatch", p.pos[0]
	switch c.Sub {
	case "run":
		c.Kind, c.Run = ManagerRun, p.pos[1:]
	case "shell":
		c.Kind = Activate
	}
}

// classifyPipSync reads `pip-sync [FILES]` (pip-tools): an exact install of
// the files, requirements.txt by default.
func classifyPipSync(c *Command, args []string) {
	q := parseArgs(args, pipSync, false)
	files := q.pos
	if len(files) == 0 {
		files = []string{"requirements.txt"}
	}
	in := &InstallArgs{Requirements: files, Exact: true, Python: q.value("--python-executable")}
	for _, o := range q.opts {
		if sourceOptions[o.Name] {
			in.Options = append(in.Options, o)
		}
		if o.Name == "--user" {
			in.Outside = "--user"
		}
	}
	c.Kind, c.Tool, c.Install = Install, "pip-sync", in
}

// targets parses editable or path arguments.
func targets(args []string) []Target {
	var out []Target
	for _, a := range args {
		out = append(out, parseTarget(a))
	}
	return out
}
