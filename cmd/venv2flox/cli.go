package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

// Exit codes.
const (
	exitOK      = 0 // done, or nothing to do
	exitPending = 1 // --check: the migration would change files
	exitFailure = 2 // usage error, or a project could not be migrated
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type command struct {
	name  string
	short string
	usage string
	run   func(args []string, stdout, stderr io.Writer) int
}

// commands is the one list of subcommands.
func commands() []command {
	return []command{
		{"detect", "show what a project declares about itself, with file:line evidence", detectUsage, runDetect},
		{"plan", "show the Flox environment venv2flox would create, and why", planUsage, runPlan},
		{"migrate", "create the Flox environment and rewrite venv setup to use it", migrateUsage, runMigrate},
		{"version", "print the version", "Usage: venv2flox version\n", runVersion},
	}
}

// Main runs venv2flox with args (without the program name) and returns the
// exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage())
		return exitFailure
	}
	switch args[0] {
	case "-h", "--help", "help":
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					fmt.Fprint(stdout, c.usage)
					return exitOK
				}
			}
		}
		fmt.Fprint(stdout, mainUsage())
		return exitOK
	case "--version", "-V":
		return runVersion(nil, stdout, stderr)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "venv2flox: unknown command %q\n\n%s", args[0], mainUsage())
	return exitFailure
}

func mainUsage() string {
	var b strings.Builder
	b.WriteString(`venv2flox moves Python projects from hand-made virtual environments to Flox.

Usage:
  venv2flox <command> [flags] [PATH...]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.short)
	}
	b.WriteString(`
Run 'venv2flox <command> --help' for a command's flags and examples.
Exit codes: 0 done or nothing to do, 1 changes pending (--check), 2 usage error or a project that could not be migrated.
`)
	return b.String()
}

// parseFlags parses args with fs; --help prints usage to stdout. It returns
// a non-negative exit code when the command should stop.
func parseFlags(fs *pflag.FlagSet, usage string, args []string, stdout, stderr io.Writer) int {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		fmt.Fprintf(stderr, "venv2flox %s: %v\n\n%s", fs.Name(), err, usage)
		return exitFailure
	}
	return -1
}

// oneOf checks a flag value against its allowed values.
func oneOf(name, value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return fmt.Errorf("--%s must be one of %s, not %q", name, strings.Join(allowed, ", "), value)
}

func runVersion(_ []string, stdout, _ io.Writer) int {
	fmt.Fprintf(stdout, "venv2flox %s\n", version)
	return exitOK
}

// pathsOrDot defaults the PATH arguments to the current folder.
func pathsOrDot(args []string) []string {
	if len(args) == 0 {
		return []string{"."}
	}
	return args
}
