package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/report"
	"github.com/venv2flox/venv2flox/migrate"
)

const detectUsage = `Usage: venv2flox detect [--format text|json] [-r] [PATH...]

Show everything a Python project declares about itself: interpreter requests,
dependencies, package manager, venv creation and activation, CI setup, tools
used and problems, each with the file:line it was read from. Nothing is written.

Flags:
  -f, --format string    text or json (default "text")
  -r, --recursive        find every project under PATH (monorepos)
      --include glob     with -r: only projects matching the glob (repeatable)
      --exclude glob     with -r: skip projects matching the glob (repeatable)

Examples:
  venv2flox detect
  venv2flox detect --format json services/api | jq '.projects[0].interpreters'
`

const planUsage = `Usage: venv2flox plan [--format text|toml|json] [--verify] [flags] [PATH...]

Show the Flox environment venv2flox would create: the interpreter, the package
manager and how the venv is synced, every package with the reason it is there,
variables and hook steps. Nothing is written.

Flags:
  -f, --format string    text, toml (the manifest) or json (default "text")
  -r, --recursive        plan every project under PATH
      --verify           show only the differential check: what the project's
                         setup recipe installs and what the hook installs, both
                         recorded with stand-ins; exit 1 when they differ
` + planFlagsUsage + `
Examples:
  venv2flox plan
  venv2flox plan --format toml > manifest.toml
  venv2flox plan --python 3.12 --manager uv
`

const planFlagsUsage = `      --python version   use this Python ("3.12", "3.12.4") whatever the project says
      --manager name     use this package manager: uv, pip, poetry, pdm or pipenv
      --venv-dir dir     keep the venv in the project (".venv") instead of $FLOX_ENV_CACHE/venv
      --group name       also sync this dependency group or extra (repeatable)
      --no-dev           sync only the main dependencies (no dev/test groups)
      --all-extras       sync every optional-dependency extra
      --name name        environment name (default: the project folder's name)
`

// planFlags are the flags that change a plan, shared by plan and migrate.
type planFlags struct {
	python, manager, venvDir, name string
	groups                         []string
	noDev, allExtras               bool
}

func (p *planFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&p.python, "python", "", "")
	fs.StringVar(&p.manager, "manager", "", "")
	fs.StringVar(&p.venvDir, "venv-dir", "", "")
	fs.StringVar(&p.name, "name", "", "")
	fs.StringArrayVar(&p.groups, "group", nil, "")
	fs.BoolVar(&p.noDev, "no-dev", false, "")
	fs.BoolVar(&p.allExtras, "all-extras", false, "")
}

func (p *planFlags) options() (migrate.PlanOptions, error) {
	if p.manager != "" {
		if err := oneOf("manager", p.manager, "uv", "pip", "poetry", "pdm", "pipenv"); err != nil {
			return migrate.PlanOptions{}, err
		}
	}
	return migrate.PlanOptions{
		Python: p.python, Manager: p.manager, VenvDir: p.venvDir, EnvName: p.name,
		Groups: p.groups, NoDev: p.noDev, AllExtras: p.allExtras,
	}, nil
}

// scope is the set of project folders a command works on.
type scope struct {
	recursive        bool
	include, exclude []string
}

func (s *scope) register(fs *pflag.FlagSet) {
	fs.BoolVarP(&s.recursive, "recursive", "r", false, "")
	fs.StringArrayVar(&s.include, "include", nil, "")
	fs.StringArrayVar(&s.exclude, "exclude", nil, "")
}

// environments lists the environments under root, each read by detect:
// just "." unless -r, else the repository's own venv layout.
func (s *scope) environments(fsys fs.FS) ([]migrate.Environment, error) {
	if !s.recursive {
		return []migrate.Environment{{Dir: ".", Project: detect.Scan(fsys, ".", detect.Options{})}}, nil
	}
	l, err := migrate.FindLayout(fsys, migrate.DiscoverOptions{Include: s.include, Exclude: s.exclude}, 0)
	if err != nil {
		return nil, err
	}
	return l.Environments, nil
}

// rootDir checks that a PATH argument is a folder and returns its absolute path.
func rootDir(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	if !info.IsDir() {
		return "", errors.New("not a folder")
	}
	return abs, nil
}

// projectRoot is one PATH argument of detect or plan, opened.
type projectRoot struct {
	arg  string // as given
	root string // its absolute path
	fsys fs.FS
	envs []migrate.Environment // the environments in it, from environments
}

// eachRoot calls fn for every PATH argument (the current folder when none
// is given). A PATH that is not a folder or holds no project is reported as
// "venv2flox CMD: PATH: error" and skipped. The result is exitFailure when
// a PATH was skipped or fn reported a failure (by returning false).
func (s *scope) eachRoot(cmd string, args []string, stderr io.Writer, fn func(r projectRoot) bool) int {
	code := exitOK
	for _, p := range pathsOrDot(args) {
		root, err := rootDir(p)
		if err != nil {
			fmt.Fprintf(stderr, "venv2flox %s: %s: %v\n", cmd, p, err)
			code = exitFailure
			continue
		}
		fsys := os.DirFS(root)
		envs, err := s.environments(fsys)
		if err != nil {
			fmt.Fprintf(stderr, "venv2flox %s: %s: %v\n", cmd, p, err)
			code = exitFailure
			continue
		}
		if !fn(projectRoot{arg: p, root: root, fsys: fsys, envs: envs}) {
			code = exitFailure
		}
	}
	return code
}

func runDetect(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("detect", pflag.ContinueOnError)
	format := fs.StringP("format", "f", "text", "")
	var sc scope
	sc.register(fs)
	if code := parseFlags(fs, detectUsage, args, stdout, stderr); code >= 0 {
		return code
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		fmt.Fprintf(stderr, "venv2flox detect: %v\n", err)
		return exitFailure
	}
	var all []*detect.Project
	code := sc.eachRoot("detect", fs.Args(), stderr, func(r projectRoot) bool {
		for _, e := range r.envs {
			proj := e.Project
			if len(fs.Args()) > 1 {
				proj.Root = filepath.ToSlash(filepath.Join(r.arg, e.Dir))
			}
			all = append(all, proj)
		}
		return true
	})
	if *format == "json" {
		report.Encode(stdout, map[string]any{"projects": all})
	} else {
		for i, proj := range all {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			report.Detect(stdout, proj)
		}
	}
	return code
}

func runPlan(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("plan", pflag.ContinueOnError)
	format := fs.StringP("format", "f", "text", "")
	verify := fs.Bool("verify", false, "")
	var pf planFlags
	pf.register(fs)
	var sc scope
	sc.register(fs)
	if code := parseFlags(fs, planUsage, args, stdout, stderr); code >= 0 {
		return code
	}
	if err := oneOf("format", *format, "text", "toml", "json"); err != nil {
		fmt.Fprintf(stderr, "venv2flox plan: %v\n", err)
		return exitFailure
	}
	opts, err := pf.options()
	if err != nil {
		fmt.Fprintf(stderr, "venv2flox plan: %v\n", err)
		return exitFailure
	}
	var plans []*migrate.Plan
	code := sc.eachRoot("plan", fs.Args(), stderr, func(r projectRoot) bool {
		ok := true
		build := func(e migrate.Environment, repo migrate.RepositoryPython) *migrate.Plan {
			o := opts
			o.Repository = repo
			if o.EnvName == "" {
				o.EnvName = migrate.EnvName(e.Dir, filepath.Base(r.root))
			}
			plan, err := migrate.BuildPlan(e.Project, o)
			if err != nil {
				fmt.Fprintf(stderr, "venv2flox plan: %s: %v\n", filepath.Join(r.arg, e.Dir), err)
				ok = false
				return nil
			}
			if e.Serves != "" {
				plan.Notices = append([]string{e.Serves}, plan.Notices...)
			}
			return plan
		}
		dirs := make([]string, len(r.envs))
		here := make([]*migrate.Plan, len(r.envs))
		for i, e := range r.envs {
			dirs[i], here[i] = e.Dir, build(e, migrate.RepositoryPython{})
		}
		repo, replan := migrate.SharedPython(dirs, here)
		for _, i := range replan {
			here[i] = build(r.envs[i], repo)
		}
		for _, plan := range here {
			if plan != nil {
				plans = append(plans, plan)
			}
		}
		return ok
	})
	if *verify {
		differs := false
		for i, plan := range plans {
			if plan.Setup != nil && !plan.Setup.Passes() {
				differs = true
			}
			if *format == "text" {
				if i > 0 {
					fmt.Fprintln(stdout)
				}
				migrate.WriteSetupCheck(stdout, plan)
			}
		}
		if *format == "json" {
			var checks []*migrate.SetupCheck
			for _, plan := range plans {
				checks = append(checks, plan.Setup)
			}
			report.Encode(stdout, map[string]any{"checks": checks})
		}
		if code == exitOK && differs {
			code = exitPending
		}
		return code
	}
	switch *format {
	case "json":
		report.Encode(stdout, map[string]any{"plans": plans})
	case "toml":
		for i, plan := range plans {
			if len(plans) > 1 {
				if i > 0 {
					fmt.Fprintln(stdout)
				}
				fmt.Fprintf(stdout, "# %s/.flox/env/manifest.toml\n", plan.Project.Root)
			}
			stdout.Write(plan.Manifest())
		}
	default:
		for i, plan := range plans {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprint(stdout, plan.Text())
		}
	}
	return code
}
