package venvcmd

import "strings"

// pip's option tables, from pypa/pip src/pip/_internal/cli/cmdoptions.py
// (general and index options) and src/pip/_internal/commands/install.py.

// pipGeneral are pip's general options, valid before and after the
// subcommand.
var pipGeneral = opts(
	[]string{"=--python"}, []string{"=--log", "--log-file", "--local-log"}, []string{"=--proxy"},
	[]string{"=--retries"}, []string{"=--resume-retries"}, []string{"=--timeout", "--default-timeout"},
	[]string{"=--exists-action"}, []string{"=--trusted-host"}, []string{"=--cert"}, []string{"=--client-cert"},
	[]string{"=--cache-dir"}, []string{"=--use-feature"}, []string{"=--use-deprecated"},
	[]string{"=--keyring-provider"}, []string{"=--progress-bar"}, []string{"=--root-user-action"},
	[]string{"--verbose", "-v"}, []string{"--quiet", "-q"}, []string{"--version", "-V"}, []string{"--help", "-h"},
	[]string{"--isolated"}, []string{"--require-virtualenv", "--require-venv"}, []string{"--no-input"},
	[]string{"--no-color"}, []string{"--no-cache-dir"}, []string{"--disable-pip-version-check"},
	[]string{"--debug"}, []string{"--break-system-packages"},
)

// pipIndex are pip's package index options (cmdoptions.index_group) and
// the selection options that change which files are accepted.
var pipIndex = opts(
	[]string{"=--index-url", "-i", "--pypi-url"}, []string{"=--extra-index-url"}, []string{"--no-index"},
	[]string{"=--find-links", "-f"}, []string{"=--no-binary"}, []string{"=--only-binary"}, []string{"--pre"},
	[]string{"--prefer-binary"}, []string{"=--uploaded-prior-to"},
)

// pipInstall are `pip install`'s own options.
var pipInstall = merge(pipGeneral, pipIndex, opts(
	[]string{"=--requirement", "-r"}, []string{"=--constraint", "-c"}, []string{"=--build-constraint"},
	[]string{"=--requirements-from-script"}, []string{"=--editable", "-e"}, []string{"=--group"},
	[]string{"=--target", "-t"}, []string{"=--root"}, []string{"=--prefix"}, []string{"=--src", "--source", "--source-dir", "--source-directory"},
	[]string{"=--upgrade-strategy"}, []string{"=--config-settings", "-C"}, []string{"=--platform"},
	[]string{"=--python-version"}, []string{"=--implementation"}, []string{"=--abi"}, []string{"=--report"},
	[]string{"=--hash"}, []string{"=--refresh-package"},
	[]string{"--upgrade", "-U"}, []string{"--force-reinstall"}, []string{"--ignore-installed", "-I"},
	[]string{"--no-deps", "--no-dependencies"}, []string{"--only-deps", "--only-dependencies"},
	[]string{"--user"}, []string{"--no-user"}, []string{"--dry-run"}, []string{"--no-build-isolation"},
	[]string{"--require-hashes"}, []string{"--compile"}, []string{"--no-compile"},
))

// pipUninstall are `pip uninstall`'s options.
var pipUninstall = merge(pipGeneral, opts([]string{"=--requirement", "-r"}, []string{"--yes", "-y"}))

// sourceOptions are the install options that change where packages come
// from or which files are accepted; they are kept on Install.Options.
var sourceOptions = map[string]bool{
	"--index-url": true, "--extra-index-url": true, "--no-index": true, "--find-links": true,
	"--no-binary": true, "--only-binary": true, "--pre": true, "--index": true,
	"--index-strategy": true, "--no-build-isolation": true,
}

// outsideOptions send an install outside the venv.
var outsideOptions = map[string]bool{"--user": true, "--target": true, "--prefix": true, "--root": true, "--system": true}

// PipInstall reads the arguments after `pip install`.
func PipInstall(args []string) *InstallArgs {
	return installArgs(args, pipInstall)
}

// installArgs reads the arguments after `pip install` (or `uv pip install`).
func installArgs(args []string, t optTable) *InstallArgs {
	p := parseArgs(args, t, false)
	in := &InstallArgs{}
	for _, o := range p.opts {
		in.Given = append(in.Given, o.Name)
		switch o.Name {
		case "--requirement":
			in.Requirements = append(in.Requirements, o.Value)
		case "--constraint":
			in.Constraints = append(in.Constraints, o.Value)
		case "--editable":
			in.Editables = append(in.Editables, parseTarget(o.Value))
		case "--group":
			// pip and uv pip take [PATH:]NAME; another file's group keeps its path.
			in.Groups = append(in.Groups, o.Value)
		case "--extra":
			in.Extras = append(in.Extras, splitList(o.Value)...)
		case "--all-extras":
			in.AllExtras = true
		case "--upgrade":
			in.Upgrade = true
		case "--python":
			in.Python = o.Value
		case "--prerelease":
			// uv's --prerelease allow is pip's --pre.
			if o.Value == "allow" {
				in.Options = append(in.Options, Option{Name: "--pre"})
			} else {
				in.Options = append(in.Options, o)
			}
		case "--default-index":
			in.Options = append(in.Options, Option{Name: "--index-url", Value: o.Value})
		default:
			switch {
			case sourceOptions[o.Name]:
				in.Options = append(in.Options, o)
			case outsideOptions[o.Name] && in.Outside == "":
				in.Outside = o.Name
			}
		}
	}
	for _, a := range p.pos {
		if IsLocalPath(a) {
			in.Paths = append(in.Paths, parseTarget(a))
		} else {
			in.Packages = append(in.Packages, a)
		}
	}
	return in
}

// IsLocalPath reports whether an install argument is a path rather than a
// requirement specifier, as pip decides: it starts with '.', '/' or '~',
// holds a path separator outside a URL or a `name @ url` requirement, is
// a file: URL, or names a wheel or sdist archive.
func IsLocalPath(a string) bool {
	a = strings.TrimSpace(a)
	switch {
	case a == "":
		return false
	case strings.HasPrefix(a, "file:"):
		return true
	case strings.Contains(a, "://") || strings.Contains(a, " @ ") || strings.Contains(a, "@"):
		return false
	case strings.HasPrefix(a, ".") || strings.HasPrefix(a, "/") || strings.HasPrefix(a, "~") || strings.HasPrefix(a, "$"):
		return true
	case strings.ContainsAny(a, `/\`):
		return true
	}
	lower := strings.ToLower(a)
	for _, ext := range []string{".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// parseTarget splits an install target into its path and extras:
// ".[dev,docs]", zsh-escaped `.\[dev\]`, "file:.#egg=x[dev]" keep their
// extras; URLs are kept whole.
func parseTarget(a string) Target {
	a = strings.TrimSpace(a)
	if strings.Contains(a, "://") && !strings.HasPrefix(a, "file:") {
		return Target{Path: a}
	}
	a = strings.ReplaceAll(a, `\[`, "[")
	a = strings.ReplaceAll(a, `\]`, "]")
	a = strings.ReplaceAll(a, `\,`, ",")
	if rest, frag, ok := strings.Cut(a, "#"); ok && strings.HasPrefix(a, "file:") {
		// file:///src/app#egg=app[tests]: the fragment names the project
		// and carries its extras; the path is what pip installs.
		t := parseTarget(rest)
		if egg, ok := strings.CutPrefix(frag, "egg="); ok {
			t.Extras = append(t.Extras, parseTarget("."+egg[strings.IndexByte(egg+"[", '['):]).Extras...)
		}
		if p, ok := strings.CutPrefix(t.Path, "file://"); ok {
			t.Path = p
		}
		return t
	}
	open := strings.IndexByte(a, '[')
	if open < 0 || !strings.HasSuffix(a, "]") {
		return Target{Path: a}
	}
	t := Target{Path: a[:open]}
	for _, x := range strings.Split(a[open+1:len(a)-1], ",") {
		if x = strings.TrimSpace(x); x != "" {
			t.Extras = append(t.Extras, NormalizeName(x))
		}
	}
	return t
}

// classifyPip reads `pip ...` (args after the program name).
func classifyPip(c *Command, args []string) {
	p := parseArgs(args, pipGeneral, true)
	if len(p.pos) == 0 {
		return
	}
	c.Tool, c.Sub = "pip", p.pos[0]
	rest := p.pos[1:]
	switch c.Sub {
	case "install":
		c.Install = installArgs(rest, pipInstall)
		c.Kind = installKind(c.Install)
	case "uninstall":
		c.Kind = Uninstall
		c.Install = uninstallArgs(rest, pipUninstall)
	}
}

// uninstallArgs reads the arguments of an uninstall command.
func uninstallArgs(args []string, t optTable) *InstallArgs {
	p := parseArgs(args, t, false)
	in := &InstallArgs{Packages: p.pos, Requirements: p.values("--requirement")}
	if py := p.value("--python"); py != "" {
		in.Python = py
	}
	return in
}

// installKind is Install, or Bootstrap when only packaging tools are
// named.
func installKind(in *InstallArgs) Kind {
	if len(in.Requirements) == 0 && len(in.Editables) == 0 && len(in.Paths) == 0 && len(in.Packages) > 0 {
		for _, p := range in.Packages {
			if !IsBootstrapTool(p) {
				return Install
			}
		}
		return Bootstrap
	}
	return Install
}
