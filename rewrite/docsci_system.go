package rewrite

// System package managers (apt-get, apk, yum, dnf, brew, ...) in CI
// scripts. Their installs are never run through `flox activate`: they
// change the machine, not the project's environment. Where a job moves to
// Flox's image, the system libraries they installed come from the Flox
// environment instead (the plan maps them to catalog packages), so the
// install lines go and a follow-up names the packages to check.

import (
	"path"
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// dcSystemManagers are package managers of the machine, with the
// subcommands that install packages.
var dcSystemManagers = map[string][]string{
	"apt-get": {"install"}, "apt": {"install"}, "aptitude": {"install"},
	"apk": {"add"}, "yum": {"install"}, "dnf": {"install"}, "microdnf": {"install"},
	"zypper": {"install", "in"}, "pacman": {"-S", "-Sy", "-Syu"}, "brew": {"install"},
	"port": {"install"}, "choco": {"install"}, "snap": {"install"},
}

// dcSystemInstall is what a command line does with the machine's package
// manager.
type dcSystemInstall struct {
	Manager  string   // the first package manager seen ("apt-get")
	Packages []string // packages installed, in order
	Any      bool     // the line runs a package manager (or sudo)
	Only     bool     // the line does nothing else (updates and cleanups aside)
}

// dcSystemCommand reads a command line for package-manager commands.
func dcSystemCommand(cmd string) dcSystemInstall {
	var out dcSystemInstall
	other := false
	dcEachCall(cmd, func(args []string) bool {
		if venvcmd.RunsAsRoot(args[0]) {
			out.Any = true
			args = args[venvcmd.Unwrap(args):] // sudo -u root apt-get ...
			if len(args) == 0 {
				return false
			}
		}
		name := path.Base(args[0])
		subs, pm := dcSystemManagers[name]
		switch {
		case pm:
			out.Any = true
			if out.Manager == "" {
				out.Manager = name
			}
			if len(args) > 1 && dcIndexOf(subs, dcFirstNonFlag(args[1:])) >= 0 {
				out.Packages = append(out.Packages, dcPackageArgs(args[1:], subs)...)
			}
		case name == "rm" && dcPackageCacheCleanup(args[1:]):
		case name == "echo" || name == "true" || name == ":":
		default:
			other = true
		}
		return false
	})
	out.Only = out.Any && !other
	return out
}

// dcFirstNonFlag returns the subcommand: the first word that is not an
// option ("-y install x" -> "install"), or an option subcommand like
// pacman's "-S".
func dcFirstNonFlag(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "-S") {
			return a
		}
	}
	return ""
}

// dcPackageArgs returns the package names after the install subcommand.
func dcPackageArgs(args, subs []string) []string {
	var pkgs []string
	seen := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case !seen && dcIndexOf(subs, a) >= 0:
			seen = true
		case a == "-o" || a == "--option" || a == "-t" || a == "--target-release" || a == "--repository" || a == "-X" || a == "--virtual":
			i++ // takes a value
		case strings.HasPrefix(a, "-") || !seen:
		default:
			pkgs = append(pkgs, a)
		}
	}
	return pkgs
}

// dcPackageCacheCleanup reports `rm -rf /var/lib/apt/lists/*` and the like,
// which only tidy up after an install.
func dcPackageCacheCleanup(args []string) bool {
	found := false
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			continue
		}
		if !strings.HasPrefix(a, "/var/lib/apt/lists") && !strings.HasPrefix(a, "/var/cache/apk") &&
			!strings.HasPrefix(a, "/var/cache/apt") && !strings.HasPrefix(a, "/var/cache/yum") && !strings.HasPrefix(a, "/var/cache/dnf") {
			return false
		}
		found = true
	}
	return found
}

// dcSystemFollowUp is the follow-up for package installs removed because
// the job now runs in Flox's image.
func dcSystemFollowUp(p string, line int, s dcSystemInstall) FollowUp {
	what := s.Manager + " install"
	if len(s.Packages) > 0 {
		what += " of " + strings.Join(s.Packages, ", ")
	}
	return dcFollowUp(p, line, "removed the "+what+": the job now runs in Flox's image, where these are provided by the Flox environment's [install]",
		"check that the manifest covers them")
}

// dcSystemKeptFollowUp is the follow-up for a line that mixes package
// installs with other commands: it is left alone.
func dcSystemKeptFollowUp(p string, line int) FollowUp {
	return dcFollowUp(p, line, "left a line that mixes system package installs with other commands as it was",
		"split it: drop the package install (the Flox environment provides system libraries) and run the rest with `flox activate`")
}
