package migrate

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

// A sync that installs the project from the checkout (editable or not)
// builds it, and so does one that reaches a workspace member: when their
// build backend compiles extensions, the build needs a compiler (and Rust
// for maturin or setuptools-rust) and the headers of the C libraries the
// package links, which the knowledge base knows by the package's name.

// rustBuildRequires are build requirements that compile Rust extensions.
var rustBuildRequires = []string{"maturin", "setuptools-rust"}

// compiledBuildRequires are build requirements that compile C or C++
// extensions. CMake, Meson and Ninja come from PyPI in the isolated build
// (scikit-build-core and meson-python ask for them when the system has
// none), so only the compiler must come from the environment.
var compiledBuildRequires = []string{"cython", "pybind11", "nanobind", "scikit-build-core", "scikit-build", "meson-python", "cffi"}

// ownBuild is one of the project's packages the sync builds.
type ownBuild struct {
	name   string // distribution name, for the knowledge base
	folder string // "." for the root
	by     string // what builds it, when not the sync ("tox (tox.ini:14)")
}

// toxBuilds says what builds the project when the sync does not install it
// but installs tox, whose environments build it from the checkout in the
// Flox environment (tox.ini's [testenv] without skip_install).
func toxBuilds(p *detect.Project, set installset.Set) (string, bool) {
	if p.ToxBuilds == nil || set.Project == installset.Editable || set.Project == installset.Installed {
		return "", false
	}
	for _, it := range set.Packages {
		if name, _, _ := strings.Cut(it.Name, "["); normalizeName(name) == "tox" {
			return "tox (" + p.ToxBuilds.String() + ")", true
		}
	}
	return "", false
}

// planProjectBuilds adds what building the project's own compiled
// packages needs and returns the warnings that say so.
func planProjectBuilds(p *detect.Project, kb *knowledge, set installset.Set, members []dependency, pkgs *pkgSet) []string {
	var builds []ownBuild
	if set.Project == installset.Editable || set.Project == installset.Installed {
		builds = append(builds, ownBuild{name: p.Name, folder: "."})
	} else if by, ok := toxBuilds(p, set); ok {
		builds = append(builds, ownBuild{name: p.Name, folder: ".", by: by})
	}
	for _, m := range members {
		if folder := path.Clean(m.Own); folder != "." {
			builds = append(builds, ownBuild{name: m.Name, folder: folder})
		}
	}
	// Folders of the checkout installed by path (`pip install ./pkg_c`,
	// `-e ./pkg[dev]`) are built too.
	for _, it := range set.Packages {
		dir, editable := strings.CutPrefix(it.Name, "-e ")
		if strings.Contains(dir, "://") || !editable && !strings.HasPrefix(dir, "./") {
			continue
		}
		dir, _, _ = strings.Cut(dir, "[")
		folder := path.Clean(dir)
		if folder == "." || strings.HasPrefix(folder, "../") || slices.ContainsFunc(builds, func(b ownBuild) bool { return b.folder == folder }) {
			continue
		}
		for _, bs := range p.Builds {
			if path.Dir(bs.Evidence.Path) == folder && bs.Name != "" {
				builds = append(builds, ownBuild{name: bs.Name, folder: folder})
				break
			}
		}
	}
	var warnings []string
	for _, b := range builds {
		if w := planProjectBuild(p, kb, b, pkgs); w != "" {
			warnings = append(warnings, w)
		}
	}
	return warnings
}

// planProjectBuild plans one package's build; "" when it compiles nothing.
func planProjectBuild(p *detect.Project, kb *knowledge, b ownBuild, pkgs *pkgSet) string {
	var how []string
	var ev []detect.Evidence
	rust := false
	for _, bs := range p.Builds {
		if path.Dir(bs.Evidence.Path) != b.folder {
			continue
		}
		switch {
		case bs.Backend == "maturin" || containsAny(bs.Requires, rustBuildRequires):
			rust = true
			how = append(how, fmt.Sprintf("%s: %s builds a Rust extension", bs.Evidence, backendName(bs, rustBuildRequires)))
		case bs.Extensions:
			how = append(how, fmt.Sprintf("%s declares compiled extensions", bs.Evidence))
		case containsAny(bs.Requires, compiledBuildRequires):
			how = append(how, fmt.Sprintf("%s: %s builds compiled extensions", bs.Evidence, backendName(bs, compiledBuildRequires)))
		default:
			continue
		}
		ev = append(ev, bs.Evidence)
	}
	if len(how) == 0 {
		return ""
	}
	name := b.name
	if name == "" {
		name = "the project"
	}
	pkgs.add(compilerLinux, nil, "a C compiler to build "+name+"'s extensions on Linux", "", ev)
	tools := "gcc on Linux"
	if rust {
		for _, a := range rustToolchain {
			pkgs.add(a, nil, rustCompilerWhy+name+"'s extension", "", ev)
		}
		tools = "Rust's compiler and cargo, and gcc on Linux"
	}
	// The C libraries the package links when built from source, by its name.
	var libs []string
	for _, m := range kb.matchNative([]dependency{{Name: name, FromSource: true, Evidence: ev}}) {
		if !m.Install {
			continue
		}
		// A wheel entry's reason ("pyproj wheels bundle PROJ") is about
		// wheels; the checkout builds against the library instead.
		why := m.Entry.Why
		if !m.Entry.has(whenSdist) {
			why = "the library and headers " + name + "'s extensions build against from the checkout"
		}
		for _, a := range m.Entry.Nix {
			pkgs.addOutputs(a, []string{allOutputs}, entrySystems(m.Entry), why, name, ev)
			libs = append(libs, a)
		}
		for _, a := range m.Entry.Build {
			pkgs.add(a, entrySystems(m.Entry), "needed to build "+name+" from source", name, ev)
		}
	}
	by := "the sync"
	if b.by != "" {
		by = b.by
	}
	msg := fmt.Sprintf("%s builds %s from the checkout (%s): the environment has %s", by, name, strings.Join(how, "; "), tools)
	if len(libs) > 0 {
		msg += fmt.Sprintf(", and %s with %s", strings.Join(dedupe(libs), ", "), map[bool]string{true: "its headers", false: "their headers"}[len(dedupe(libs)) == 1])
	}
	return msg + "; on macOS the Xcode Command Line Tools compile the C parts (`xcode-select --install`)"
}

// backendName names what compiles: the backend, else the first matching
// build requirement.
func backendName(bs detect.BuildSystem, requires []string) string {
	if bs.Backend != "" && !strings.HasPrefix(bs.Backend, "setuptools") {
		return bs.Backend
	}
	for _, r := range bs.Requires {
		if slices.Contains(requires, r) {
			return r
		}
	}
	return bs.Backend
}

func containsAny(list, any []string) bool {
	for _, x := range list {
		if slices.Contains(any, x) {
			return true
		}
	}
	return false
}
