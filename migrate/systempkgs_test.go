package migrate

import (
	"slices"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

func ev(path string, line int) detect.Evidence { return detect.Evidence{Path: path, Line: line} }

func requirement(name, file string, line int, extras ...string) detect.Requirement {
	return detect.Requirement{Name: name, Extras: extras, Evidence: ev(file, line)}
}

// pkgSummary is "id=pkg-path[outputs]{systems}" for compact comparisons.
func pkgSummary(pkgs []Package) []string {
	var out []string
	for _, p := range pkgs {
		s := p.ID + "=" + p.PkgPath
		if len(p.Outputs) > 0 {
			s += "[" + strings.Join(p.Outputs, ",") + "]"
		}
		switch {
		case slices.Equal(p.Systems, linuxSystems):
			s += "{linux}"
		case len(p.Systems) > 0:
			s += "{" + strings.Join(p.Systems, ",") + "}"
		}
		out = append(out, s)
	}
	return out
}

// syncAll is an install set that installs every requirement file the
// project lists and the project itself with every extra and group.
func syncAll(p *detect.Project) installset.Set {
	var set installset.Set
	for _, r := range p.Requirements {
		if projectMetadataFile(r.Evidence.Path) {
			set.Project = installset.Editable
			continue
		}
		if !slices.ContainsFunc(set.Requirements, func(it installset.Item) bool { return it.Name == r.Evidence.Path }) {
			set.Requirements = append(set.Requirements, installset.Item{Name: r.Evidence.Path})
		}
	}
	if len(p.LockedProjects) > 0 {
		set.Project = installset.Editable
	}
	set.AllExtras, set.AllGroups = true, true
	return set
}

// lockRoot is the project's own uv.lock entry, requiring the given packages.
func lockRoot(deps ...string) detect.LockedPackage {
	root := detect.LockedPackage{Name: "app", Source: ".", Evidence: ev("uv.lock", 1)}
	for _, d := range deps {
		root.Requires = append(root.Requires, detect.LockedDep{Name: d})
	}
	return root
}

// py313 is the interpreter the system tests plan for.
var py313 = pyTarget{minor: 13, impl: "cpython"}

func TestPlanSystem(t *testing.T) {
	// The compiler a source build gets: gcc on Linux, the host's Xcode
	// Command Line Tools on macOS.
	compilers := []string{"gcc=gcc{linux}"}
	with := func(base []string, more ...string) []string {
		out := append(slices.Clone(base), more...)
		slices.Sort(out)
		return out
	}
	tests := []struct {
		name    string
		project detect.Project
		// set is what the sync installs; nil: every requirement file, and
		// the project with every extra and group.
		set      *installset.Set
		want     []string
		ldPath   bool
		libs     []string
		notes    []string
		notices  []string
		quiet    bool // no notices nor notes
		warnings []string
		// why and notWhy are texts the packages' reasons have or lack.
		why, notWhy []string
		known       bool // no "no catalog name" notice
	}{
		{
			name:     "psycopg2 builds from source: libpq with headers, pg_config, pkg-config and a compiler",
			project:  detect.Project{Requirements: []detect.Requirement{requirement("psycopg2", "requirements.txt", 3)}},
			want:     with(compilers, "libpq=libpq[all]", "pg_config=libpq.pg_config", "pkg-config=pkg-config"),
			warnings: []string{"psycopg2 is built from source", "psycopg2-binary instead of psycopg2"},
		},
		{
			name:     "psycopg[c] builds like psycopg2",
			project:  detect.Project{Requirements: []detect.Requirement{requirement("psycopg", "requirements.txt", 3, "c")}},
			want:     with(compilers, "libpq=libpq[all]", "pg_config=libpq.pg_config", "pkg-config=pkg-config"),
			warnings: []string{"psycopg is built from source", "psycopg[binary] instead of psycopg"},
		},
		{
			name:     "mysqlclient gets Connector/C with its .pc files, pkg-config and a compiler",
			project:  detect.Project{Requirements: []detect.Requirement{requirement("mysqlclient", "requirements-dev.txt", 1)}},
			want:     with(compilers, "mariadb-connector-c=mariadb-connector-c[all]", "pkg-config=pkg-config"),
			warnings: []string{"mysqlclient is built from source"},
		},
		{
			name:    "pycairo gets cairo's headers, pkg-config and a compiler",
			project: detect.Project{Requirements: []detect.Requirement{requirement("pycairo", "pyproject.toml", 12)}},
			want:    with(compilers, "cairo=cairo[all]", "pkg-config=pkg-config"),
		},
		{
			name: "an sdist-only lock entry with nothing compiled about it builds without a compiler",
			project: detect.Project{LockedProjects: []detect.LockedPackage{lockRoot("sgmllib3k")}, Locked: []detect.LockedPackage{
				{Name: "sgmllib3k", Version: "1.0.0", SdistOnly: true, Evidence: ev("uv.lock", 70)},
			}},
			notes: []string{"sgmllib3k: no wheel in the lock, so the sync builds it from source; nothing shows compiled code, so no compiler is installed"},
		},
		{
			name: "an sdist-only lock entry the knowledge base knows compiled gets a compiler",
			project: detect.Project{LockedProjects: []detect.LockedPackage{lockRoot("regex")}, Locked: []detect.LockedPackage{
				{Name: "regex", Version: "2023.8.8", SdistOnly: true, Evidence: ev("uv.lock", 70)},
			}},
			want:     compilers,
			warnings: []string{"regex is built from source when the venv is synced (no wheel for Python 3.13)", "Xcode Command Line Tools"},
		},
		{
			name: "a release with wheels for other Pythons only is compiled: a compiler",
			project: detect.Project{LockedProjects: []detect.LockedPackage{lockRoot("brotli")}, Locked: []detect.LockedPackage{
				{Name: "brotli", Version: "1.1.0", Evidence: ev("uv.lock", 222), Wheels: []string{"Brotli-1.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"}},
			}},
			want:     compilers,
			warnings: []string{"brotli is built from source"},
		},
		{
			name: "a Rust extension built from source gets Rust's toolchain",
			project: detect.Project{LockedProjects: []detect.LockedPackage{lockRoot("orjson")}, Locked: []detect.LockedPackage{
				{Name: "orjson", Version: "3.9.0", Evidence: ev("uv.lock", 90), Wheels: []string{"orjson-3.9.0-cp311-cp311-manylinux_2_17_x86_64.whl"}},
			}},
			want:     []string{"cargo=cargo", "gcc=gcc{linux}", "rustc=rustc"},
			warnings: []string{"Rust's compiler and cargo (for orjson)"},
		},
		{
			name:    "psycopg2-binary and psycopg[binary] need nothing",
			project: detect.Project{Requirements: []detect.Requirement{requirement("psycopg2-binary", "requirements.txt", 1), requirement("psycopg", "requirements.txt", 2, "binary")}},
		},
		{
			name:    "lxml with wheels installs nothing and says why",
			project: detect.Project{Requirements: []detect.Requirement{requirement("lxml", "requirements.txt", 4)}},
			notes:   []string{"lxml: lxml wheels bundle libxml2 and libxslt"},
		},
		{
			name: "indirect dependency from a lock file counts",
			project: detect.Project{LockedProjects: []detect.LockedPackage{lockRoot("django")}, Locked: []detect.LockedPackage{
				{Name: "django", Version: "5.0", Evidence: ev("uv.lock", 20), Requires: []detect.LockedDep{{Name: "psycopg"}}},
				{Name: "psycopg", Version: "3.2.1", Evidence: ev("uv.lock", 40)},
			}},
			want: []string{"libpq=libpq"},
		},
		{
			name:    "numpy wheels link the host's libstdc++: gcc's lib output on Linux",
			project: detect.Project{Requirements: []detect.Requirement{requirement("numpy", "pyproject.toml", 9)}},
			want:    []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}"},
			ldPath:  true, libs: []string{"libstdc++.so.6"},
		},
		{
			name: "C++ extension wheels by fact, not by a name list",
			project: detect.Project{Requirements: []detect.Requirement{
				requirement("libsass", "pyproject.toml", 9), requirement("greenlet", "pyproject.toml", 10), requirement("grpcio", "pyproject.toml", 11),
			}},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}"},
			ldPath: true, libs: []string{"libstdc++.so.6"},
		},
		{
			// No name list knows fastcrc: its lock entry's wheel tags say it
			// is compiled for manylinux, where it may link the host's C++
			// runtime. Pure wheels and wheels for other systems bring nothing.
			name: "the C++ runtime from the lock's wheel tags: a compiled manylinux wheel the Linux sync installs",
			project: detect.Project{
				LockedProjects: []detect.LockedPackage{{Name: "app", Source: ".", Evidence: ev("uv.lock", 5), Requires: []detect.LockedDep{{Name: "fastcrc"}, {Name: "six"}, {Name: "winfast", Marker: "sys_platform == 'win32'"}}}},
				Locked: []detect.LockedPackage{
					{Name: "fastcrc", Version: "0.3.2", Evidence: ev("uv.lock", 20), Wheels: []string{"fastcrc-0.3.2-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "fastcrc-0.3.2-cp313-cp313-macosx_11_0_arm64.whl"}},
					{Name: "six", Version: "1.17.0", Evidence: ev("uv.lock", 30), Wheels: []string{"six-1.17.0-py2.py3-none-any.whl"}},
					{Name: "winfast", Version: "1.0", Evidence: ev("uv.lock", 40), Wheels: []string{"winfast-1.0-cp313-cp313-manylinux_2_17_x86_64.whl"}},
				},
			},
			set:    &installset.Set{Project: installset.Editable},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}"},
			ldPath: true, libs: []string{"libstdc++.so.6"},
			why: []string{"fastcrc: compiled manylinux wheels of unknown language may link the host's libstdc++.so.6"},
		},
		{
			name: "pure wheels, and compiled wheels only for macOS, need no C++ runtime on Linux",
			project: detect.Project{
				LockedProjects: []detect.LockedPackage{{Name: "app", Source: ".", Evidence: ev("uv.lock", 5), Requires: []detect.LockedDep{{Name: "six"}, {Name: "macfast"}}}},
				Locked: []detect.LockedPackage{
					{Name: "six", Version: "1.17.0", Evidence: ev("uv.lock", 30), Wheels: []string{"six-1.17.0-py2.py3-none-any.whl"}},
					{Name: "macfast", Version: "1.0", Evidence: ev("uv.lock", 40), Wheels: []string{"macfast-1.0-cp313-cp313-macosx_11_0_arm64.whl", "macfast-1.0-py3-none-any.whl"}},
				},
			},
			set: &installset.Set{Project: installset.Editable},
		},
		{
			// The catalog has the test tools a contributor's setup installs
			// (unpaper); OpenLDAP (slapd) is a library to venv2flox, provided
			// when a package needs it; the interpreter's own library, apt's
			// repository tool, and build tools pip fetches (ninja) need
			// nothing: no "no catalog name".
			name: "apt and brew names the catalog has, and names that need nothing",
			project: detect.Project{System: []detect.SystemNeed{
				{Name: "unpaper", Source: "apt", Evidence: ev("scripts/setup.sh", 3)},
				{Name: "slapd", Source: "apt", Evidence: ev("scripts/setup.sh", 3)},
				{Name: "libpython3-dev", Source: "apt", Evidence: ev("scripts/setup.sh", 3)},
				{Name: "libpython3.12", Source: "apt", Evidence: ev("scripts/setup.sh", 3)},
				{Name: "software-properties-common", Source: "apt", Evidence: ev("scripts/setup.sh", 2)},
				{Name: "gcc", Source: "brew", Evidence: ev("scripts/setup.sh", 5)},
				{Name: "ninja", Source: "brew", Evidence: ev("scripts/setup.sh", 5)},
			}},
			want:  []string{"unpaper=unpaper"},
			notes: []string{"scripts/setup.sh installs slapd: not provided"},
			known: true,
		},
		{
			// python-magic opens libmagic.so.1 by name with ctypes, which a
			// Nix interpreter's loader never finds in $FLOX_ENV/lib: the
			// venv's Python preloads it (with the C++ runtime numpy links).
			name: "a library a package opens by name is preloaded like one a wheel links",
			project: detect.Project{Requirements: []detect.Requirement{
				requirement("python-magic", "requirements.txt", 1), requirement("numpy", "requirements.txt", 2),
			}},
			want:   []string{"file=file", "gcc-unwrapped=gcc-unwrapped[lib]{linux}"},
			ldPath: true, libs: []string{"libstdc++.so.6", "libmagic.so.1"},
		},
		{
			// MarkupSafe's and PyYAML's extensions are C, cryptography's Rust:
			// their compiled manylinux wheels link no libstdc++.so.6, so the
			// environment gets no C++ runtime for them. lintbin's wheel (ABI
			// none) holds a program, which Python never loads.
			name: "compiled wheels known to hold only C or Rust, and wheels of programs, need no C++ runtime",
			project: detect.Project{
				LockedProjects: []detect.LockedPackage{{Name: "app", Source: ".", Evidence: ev("uv.lock", 5), Requires: []detect.LockedDep{{Name: "markupsafe"}, {Name: "pyyaml"}, {Name: "cryptography"}, {Name: "lintbin"}}}},
				Locked: []detect.LockedPackage{
					{Name: "markupsafe", Version: "3.0.2", Evidence: ev("uv.lock", 20), Wheels: []string{"markupsafe-3.0.2-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"}},
					{Name: "pyyaml", Version: "6.0.2", Evidence: ev("uv.lock", 30), Wheels: []string{"pyyaml-6.0.2-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"}},
					{Name: "cryptography", Version: "45.0.5", Evidence: ev("uv.lock", 40), Wheels: []string{"cryptography-45.0.5-cp311-abi3-manylinux_2_34_x86_64.whl"}},
					{Name: "lintbin", Version: "0.12.0", Evidence: ev("uv.lock", 50), Wheels: []string{"lintbin-0.12.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"}},
				},
			},
			set: &installset.Set{Project: installset.Editable},
		},
		{
			// greenlet is C++ (the knowledge base says so), which is the
			// reason; fastcrc, which nobody knows, and C-only MarkupSafe add
			// nothing to it.
			name: "a known C++ wheel is the reason for the C++ runtime; unknown and C-only ones are not named",
			project: detect.Project{
				LockedProjects: []detect.LockedPackage{{Name: "app", Source: ".", Evidence: ev("uv.lock", 5), Requires: []detect.LockedDep{{Name: "greenlet"}, {Name: "fastcrc"}, {Name: "markupsafe"}}}},
				Locked: []detect.LockedPackage{
					{Name: "greenlet", Version: "3.2.3", Evidence: ev("uv.lock", 10), Wheels: []string{"greenlet-3.2.3-cp313-cp313-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl"}},
					{Name: "fastcrc", Version: "0.3.2", Evidence: ev("uv.lock", 20), Wheels: []string{"fastcrc-0.3.2-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"}},
					{Name: "markupsafe", Version: "3.0.2", Evidence: ev("uv.lock", 30), Wheels: []string{"markupsafe-3.0.2-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"}},
				},
			},
			set:    &installset.Set{Project: installset.Editable},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}"},
			ldPath: true, libs: []string{"libstdc++.so.6"},
			why:    []string{"greenlet: their manylinux wheels link the host's libstdc++.so.6"},
			notWhy: []string{"markupsafe", "fastcrc"},
		},
		{
			// beets: `uv sync` installs the dev group; the metasync extra
			// (dbus-python, sdist only) and what pygobject pulls in are
			// reached only through extras nobody syncs.
			name: "the lock graph from the synced set: an unsynced extra brings nothing, a synced one does",
			project: detect.Project{
				LockedProjects: []detect.LockedPackage{{Name: "app", Source: ".", Evidence: ev("uv.lock", 5),
					Requires: []detect.LockedDep{{Name: "confuse"}},
					Extras:   map[string][]detect.LockedDep{"metasync": {{Name: "dbus-python"}}, "replaygain": {{Name: "pygobject"}}},
					Groups:   map[string][]detect.LockedDep{"dev": {{Name: "pytest"}}},
				}},
				Locked: []detect.LockedPackage{
					{Name: "confuse", Version: "2.0.1", Evidence: ev("uv.lock", 14), Wheels: []string{"confuse-2.0.1-py3-none-any.whl"}},
					{Name: "dbus-python", Version: "1.3.2", Evidence: ev("uv.lock", 26), SdistOnly: true},
					{Name: "pygobject", Version: "3.52.3", Evidence: ev("uv.lock", 107), SdistOnly: true, Requires: []detect.LockedDep{{Name: "pycairo"}}},
					{Name: "pycairo", Version: "1.28.0", Evidence: ev("uv.lock", 88), SdistOnly: true},
					{Name: "pytest", Version: "8.4.1", Evidence: ev("uv.lock", 116), Wheels: []string{"pytest-8.4.1-py3-none-any.whl"}},
				},
			},
			set:      &installset.Set{Project: installset.Editable, Groups: []string{"dev"}, Extras: []string{"replaygain"}},
			want:     with(compilers, "cairo=cairo[all]", "glib=glib[all]", "gobject-introspection=gobject-introspection[all]", "pkg-config=pkg-config"),
			warnings: []string{"pycairo, pygobject are built from source"},
		},
		{
			name: "a Dockerfile's apt line is a hint, not a package",
			project: detect.Project{
				Files:        []detect.File{{Path: "Dockerfile", Kind: detect.KindDockerfile}},
				Requirements: []detect.Requirement{requirement("numpy", "requirements.txt", 1)},
				System:       []detect.SystemNeed{{Name: "zlib1g-dev", Source: "apt", Evidence: ev("Dockerfile", 3)}, {Name: "jq", Source: "apt", Evidence: ev("Dockerfile", 3)}},
			},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}"},
			ldPath: true, libs: []string{"libstdc++.so.6"},
			notes: []string{"Dockerfile installs zlib1g-dev, jq: not provided"},
		},
		{
			name: "torch with CUDA wheels: no CUDA toolkit, the driver from Flox's CUDA detection",
			project: detect.Project{
				Requirements: []detect.Requirement{requirement("torch", "requirements.txt", 1)},
				Locked: []detect.LockedPackage{
					{Name: "torch", Evidence: ev("uv.lock", 80), Requires: []detect.LockedDep{{Name: "nvidia-cublas-cu12", Marker: "platform_system == 'Linux'"}}},
					{Name: "nvidia-cublas-cu12", Evidence: ev("uv.lock", 90)},
				},
			},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}"},
			ldPath: true, libs: []string{"libstdc++.so.6"},
			notes: []string{"no CUDA toolkit is installed", "options.cuda-detection"},
		},
		{
			name: "torch from the CPU index needs no CUDA",
			project: detect.Project{
				Requirements: []detect.Requirement{requirement("torch", "requirements.txt", 2)},
				Indexes:      []detect.PackageIndex{{URL: "https://download.pytorch.org/whl/cpu", Kind: "extra-index-url", Evidence: ev("requirements.txt", 1)}},
			},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}"},
			ldPath: true, libs: []string{"libstdc++.so.6"},
			notes: []string{"CPU-only wheels"},
		},
		{
			name: "contributor apt lines provide tools; libraries and unknown names are noted",
			project: detect.Project{System: []detect.SystemNeed{
				{Name: "libpq-dev", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "pandoc", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "ghostscript", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "rsync", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "shellcheck", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "imagemagick", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "libssl3", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "libffi8", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "build-essential", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "git", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 5)},
				{Name: "libfrobnicate-dev", Source: "apt", Evidence: ev("scripts/bootstrap.sh", 6)},
			}},
			want:    []string{"ghostscript=ghostscript", "imagemagick=imagemagick", "pandoc=pandoc", "rsync=rsync", "shellcheck=shellcheck"},
			notices: []string{"apt packages the setup installs that venv2flox has no catalog name for, so not installed: libfrobnicate-dev (scripts/bootstrap.sh:6)", "scripts/bootstrap.sh installs libpq-dev, libssl3, libffi8: not provided"},
		},
		{
			name: "the project's own package and Python version managers are no system needs",
			project: detect.Project{Name: "quillnote", System: []detect.SystemNeed{
				{Name: "quillnote", Source: "brew", Evidence: ev("README.md", 40)},
				{Name: "pyenv", Source: "brew", Evidence: ev("CONTRIBUTING.md", 12)},
				{Name: "pyenv-virtualenv", Source: "brew", Evidence: ev("CONTRIBUTING.md", 12)},
				{Name: "python3-quillnote", Source: "apt", Evidence: ev("README.md", 44)},
			}},
			quiet: true,
		},
		{
			// make only in CI is the runner's: no contributor setup asked for it.
			name: "tools run by scripts and docs, not basics, not CI-only, Dockerfile or release-job commands",
			project: detect.Project{
				Files: []detect.File{{Path: ".github/workflows/ci.yml", Kind: detect.KindGitHubWorkflow}, {Path: ".github/workflows/release.yml", Kind: detect.KindGitHubWorkflow}},
				CI: []detect.CIJob{
					{System: detect.KindGitHubWorkflow, Name: "test", Evidence: ev(".github/workflows/ci.yml", 10)},
					{System: detect.KindGitHubWorkflow, Name: "publish", Audience: detect.AudienceRelease, Evidence: ev(".github/workflows/release.yml", 8)},
				},
				Commands: []detect.CommandUse{
					{Name: "npm", File: detect.KindMakefile, Evidence: ev("Makefile", 4)},
					{Name: "dot", File: detect.KindShell, Evidence: ev("scripts/docs.sh", 2)},
					{Name: "/usr/bin/make", File: detect.KindGitHubWorkflow, Evidence: ev(".github/workflows/ci.yml", 30)},
					{Name: "jq", File: detect.KindGitHubWorkflow, Evidence: ev(".github/workflows/release.yml", 30)},
					{Name: "redis-server", File: detect.KindMarkdown, Evidence: ev("README.md", 20)},
					{Name: "git", File: detect.KindMakefile, Evidence: ev("Makefile", 5)},
					{Name: "pre-commit", File: detect.KindMakefile, Evidence: ev("Makefile", 6)},
					{Name: "ffmpeg", File: detect.KindDockerfile, Evidence: ev("Dockerfile", 8)},
					{Name: "pandoc", File: detect.KindMakefile, Evidence: ev("tests/fixtures/app/Makefile", 3)},
				},
			},
			want: []string{"graphviz=graphviz", "nodejs=nodejs", "redis=redis"},
		},
		{
			name: "a tool CI and the docs both run is provided; one only CI scripts run is not",
			project: detect.Project{
				Files: []detect.File{{Path: ".github/workflows/ci.yml", Kind: detect.KindGitHubWorkflow}},
				CI:    []detect.CIJob{{System: detect.KindGitHubWorkflow, Name: "test", Evidence: ev(".github/workflows/ci.yml", 10)}},
				Commands: []detect.CommandUse{
					{Name: "make", File: detect.KindGitHubWorkflow, Evidence: ev(".github/workflows/ci.yml", 30)},
					{Name: "make", File: detect.KindMarkdown, Evidence: ev("CONTRIBUTING.md", 12)},
					{Name: "jq", File: detect.KindShell, Evidence: ev("tools/ci/provision.sh", 7)},
					{Name: "psql", File: detect.KindGitHubWorkflow, Evidence: ev(".github/workflows/ci.yml", 40)},
				},
			},
			want: []string{"gnumake=gnumake"},
		},
		{
			name: "make that only CI runs, on the project's top Makefile",
			project: detect.Project{
				Files:    []detect.File{{Path: ".github/workflows/ci.yml", Kind: detect.KindGitHubWorkflow}, {Path: "Makefile", Kind: detect.KindMakefile}},
				CI:       []detect.CIJob{{System: detect.KindGitHubWorkflow, Name: "test", Evidence: ev(".github/workflows/ci.yml", 10)}},
				Commands: []detect.CommandUse{{Name: "make", File: detect.KindGitHubWorkflow, Evidence: ev(".github/workflows/ci.yml", 30)}},
			},
			want: []string{"gnumake=gnumake"},
		},
		{
			// openai-python's .node-version and packageManager: the major's
			// attribute, never a patch pin the catalog may not hold.
			name: "node and pnpm at the major the project asks for; Yarn 4 is yarn-berry",
			project: detect.Project{
				Commands: []detect.CommandUse{
					{Name: "node", File: detect.KindShell, Evidence: ev("scripts/bootstrap-node", 9)},
					{Name: "pnpm", File: detect.KindShell, Evidence: ev("scripts/bootstrap-node", 18)},
					{Name: "yarn", File: detect.KindMakefile, Evidence: ev("Makefile", 12)},
				},
				Tools: []detect.ToolRequest{
					{Tool: "node", Version: "22.22.3", Evidence: ev(".node-version", 1)},
					{Tool: "pnpm", Version: "10.26.0", Evidence: ev("package.json", 4)},
					{Tool: "yarn", Version: "4.12.0", Evidence: ev("web/package.json", 89)},
				},
			},
			want: []string{"nodejs_22=nodejs_22", "pnpm_10=pnpm_10", "yarn-berry=yarn-berry"},
		},
		{
			// searxng's .nvmrc 25: nodejs_25 was removed from nixpkgs.
			name: "a version nixpkgs has no attribute for keeps the default, with a note",
			project: detect.Project{
				Commands: []detect.CommandUse{{Name: "npm", File: detect.KindMakefile, Evidence: ev("Makefile", 4)}},
				Tools:    []detect.ToolRequest{{Tool: "node", Version: "25", Evidence: ev(".nvmrc", 1)}},
			},
			want:  []string{"nodejs=nodejs"},
			notes: []string{"node 25 (.nvmrc:1): nixpkgs has no attribute for node 25, so the catalog's nodejs is installed"},
		},
		{
			name: "requests that disagree keep the default, with a note",
			project: detect.Project{
				Commands: []detect.CommandUse{{Name: "npm", File: detect.KindMakefile, Evidence: ev("Makefile", 4)}},
				Tools: []detect.ToolRequest{
					{Tool: "node", Version: "22", Evidence: ev(".nvmrc", 1)},
					{Tool: "node", Version: "24.1.0", Evidence: ev(".tool-versions", 1)},
				},
			},
			want:  []string{"nodejs=nodejs"},
			notes: []string{"the project asks for several versions of node"},
		},
		{
			name: "a requirements file the sync does not install brings nothing",
			project: detect.Project{Requirements: []detect.Requirement{
				{Name: "pygraphviz", Group: "docs", Evidence: ev("requirements-docs.txt", 1)},
				{Name: "mysqlclient", Group: "dev", Evidence: ev("requirements-dev.txt", 1)},
			}},
			set:  &installset.Set{Requirements: []installset.Item{{Name: "requirements-dev.txt"}}},
			want: with(compilers, "mariadb-connector-c=mariadb-connector-c[all]", "pkg-config=pkg-config"),
		},
		{
			name: "extras and groups the sync leaves out bring nothing (beets' metasync, paperless' mariadb)",
			project: detect.Project{Requirements: []detect.Requirement{
				{Name: "requests", Evidence: ev("pyproject.toml", 8)},
				{Name: "dbus-python", Group: "metasync", Optional: true, Evidence: ev("pyproject.toml", 20)},
				{Name: "mysqlclient", Group: "mariadb", Table: "dependency-groups", Evidence: ev("pyproject.toml", 30)},
				{Name: "numpy", Group: "dev", Table: "dependency-groups", Evidence: ev("pyproject.toml", 31)},
			}},
			set:    &installset.Set{Project: installset.Editable, Groups: []string{"dev"}},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}"},
			ldPath: true, libs: []string{"libstdc++.so.6"},
		},
		{
			name: "requirements of a test fixture are never synced (pip-tools)",
			project: detect.Project{Requirements: []detect.Requirement{
				{Name: "pyzmq", Evidence: ev("tests/test_data/packages/fake_with_deps/pyproject.toml", 20)},
			}},
			set: &installset.Set{Packages: []installset.Item{{Name: "tox"}}},
		},
		{
			name: "packages the sync installs by name from an index get the C++ runtime (a launcher's torch)",
			set:  &installset.Set{Packages: []installset.Item{{Name: "torch==2.1.0", Options: []string{"--extra-index-url https://download.pytorch.org/whl/cu121"}}, {Name: "numpy"}}},
			want: []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}"}, ldPath: true, libs: []string{"libstdc++.so.6"},
		},
		{
			name:    "the sync installs nothing: nothing native",
			project: detect.Project{Requirements: []detect.Requirement{requirement("mysqlclient", "requirements-dev.txt", 1)}},
			set:     &installset.Set{},
		},
		{
			name: "opencv GUI build: libGL and glib on Linux only",
			project: detect.Project{Requirements: []detect.Requirement{
				requirement("opencv-python", "requirements.txt", 1),
			}},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}", "glib=glib{linux}", "libGL=libGL{linux}"},
			ldPath: true, libs: []string{"libGL.so.1", "libglib-2.0.so.0", "libgthread-2.0.so.0", "libstdc++.so.6"},
		},
		{
			name: "libGL from a contributor's apt line is still Linux only",
			project: detect.Project{
				Commands: []detect.CommandUse{{Name: "convert", File: detect.KindShell, Evidence: ev("scripts/thumbs.sh", 3)}},
				Requirements: []detect.Requirement{
					requirement("opencv-python-headless", "requirements.txt", 1),
				},
			},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}", "imagemagick=imagemagick"},
			ldPath: true, libs: []string{"libstdc++.so.6"},
		},
	}
	kb := mustKnowledge(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := syncAll(&tt.project)
			if tt.set != nil {
				set = *tt.set
			}
			got := planSystem(&tt.project, kb, set, py313)
			if s := pkgSummary(got.Packages); !slices.Equal(s, tt.want) {
				t.Errorf("packages = %q, want %q", s, tt.want)
			}
			if got.LibraryPath != tt.ldPath || !slices.Equal(got.Libraries, tt.libs) {
				t.Errorf("ldPath=%v libraries=%q, want %v %q", got.LibraryPath, got.Libraries, tt.ldPath, tt.libs)
			}
			for _, n := range tt.notes {
				if all := append(slices.Clone(got.Notices), got.Notes...); !containsSub(all, n) {
					t.Errorf("notes %q lack %q", all, n)
				}
			}
			if tt.quiet && len(got.Notices)+len(got.Notes) > 0 {
				t.Errorf("notices %q and notes %q, want none", got.Notices, got.Notes)
			}
			if tt.known && containsSub(got.Notices, "no catalog name") {
				t.Errorf("notices %q name packages venv2flox does not know", got.Notices)
			}
			for _, n := range tt.notices {
				if !containsSub(got.Notices, n) {
					t.Errorf("notices %q lack %q", got.Notices, n)
				}
			}
			for _, w := range tt.warnings {
				if !containsSub(got.Warnings, w) {
					t.Errorf("warnings %q lack %q", got.Warnings, w)
				}
			}
			var whys []string
			for _, p := range got.Packages {
				whys = append(whys, p.Reason.Text)
			}
			for _, w := range tt.why {
				if !containsSub(whys, w) {
					t.Errorf("reasons %q lack %q", whys, w)
				}
			}
			for _, w := range tt.notWhy {
				if containsSub(whys, w) {
					t.Errorf("reasons %q name %q", whys, w)
				}
			}
			for _, p := range got.Packages {
				if p.Reason.Text == "" || len(p.Reason.Evidence) == 0 {
					t.Errorf("%s has no reason or evidence: %+v", p.ID, p.Reason)
				}
				if strings.HasPrefix(p.PkgPath, "cudaPackages.") {
					t.Errorf("a CUDA toolkit package: %s", p.PkgPath)
				}
			}
		})
	}
}

// Every package resolves on every system it is listed for: attributes
// nixpkgs has only on Linux (meta.platforms) carry Linux systems whatever
// asked for them.
func TestLinuxOnlyAttributesAlwaysCarrySystems(t *testing.T) {
	kb := mustKnowledge(t)
	p := &detect.Project{
		Requirements: []detect.Requirement{requirement("opencv-python", "requirements.txt", 1), requirement("systemd-python", "requirements.txt", 2)},
		System:       []detect.SystemNeed{{Name: "libgl1", Source: "apt", Evidence: ev("scripts/setup.sh", 4)}},
	}
	got := planSystem(p, kb, syncAll(p), py313)
	for _, pkg := range got.Packages {
		if only := kb.attrSystems(pkg.PkgPath); only != nil && (len(pkg.Systems) == 0 || !slices.Equal(intersectSystems(pkg.Systems, only), pkg.Systems)) {
			t.Errorf("%s is listed for %v; nixpkgs has it only on %v", pkg.PkgPath, pkg.Systems, only)
		}
	}
	if !slices.ContainsFunc(got.Packages, func(p Package) bool { return p.PkgPath == "libGL" }) {
		t.Errorf("no libGL in %q", pkgSummary(got.Packages))
	}
}

// A setup script that installs the interpreter from the distribution
// (freqtrade's setup.sh: python3.6 python3.6-venv python3.6-dev, brew
// python3) gets no notes for those: the manifest's python replaces them.
// A tool run at several places is explained once.
func TestSystemInterpreterPackagesAndRepeatedReasons(t *testing.T) {
	var sys []detect.SystemNeed
	for _, n := range []string{"python3.6", "python3.6-venv", "python3.6-dev", "python3-pip", "python-is-python3", "pkg-config"} {
		sys = append(sys, detect.SystemNeed{Name: n, Source: "apt", Evidence: ev("setup.sh", 87)})
	}
	sys = append(sys, detect.SystemNeed{Name: "python3", Source: "brew", Evidence: ev("setup.sh", 78)},
		detect.SystemNeed{Name: "python@3.11", Source: "brew", Evidence: ev("setup.sh", 79)},
		detect.SystemNeed{Name: "python3-tk", Source: "apt", Evidence: ev("setup.sh", 88)})
	p := &detect.Project{
		System: sys,
		Commands: []detect.CommandUse{
			{Name: "make", File: detect.KindShell, Evidence: ev("setup.sh", 63)},
			{Name: "make", File: detect.KindShell, Evidence: ev("setup.sh", 64)},
		},
	}
	got := planSystem(p, mustKnowledge(t), syncAll(p), py313)
	for _, n := range got.Notes {
		if strings.Contains(n, "python3.6") || strings.Contains(n, `"python3"`) || strings.Contains(n, "python@3.11") || strings.Contains(n, "python-is-python3") {
			t.Errorf("note about an interpreter package: %q", n)
		}
	}
	if containsSub(got.Notes, "python3-tk") {
		t.Errorf("notes %q mention python3-tk, which the planner turns into tkinter", got.Notes)
	}
	i := slices.IndexFunc(got.Packages, func(p Package) bool { return p.PkgPath == "gnumake" })
	if i < 0 {
		t.Fatalf("no gnumake in %q", pkgSummary(got.Packages))
	}
	if r := got.Packages[i].Reason.Text; strings.Count(r, "the project runs make") != 1 {
		t.Errorf("reason = %q, want the make reason once", r)
	}
}

func TestSystemReasonsNameTheirEvidence(t *testing.T) {
	p := &detect.Project{
		Requirements: []detect.Requirement{requirement("psycopg2", "requirements.txt", 3)},
		System:       []detect.SystemNeed{{Name: "libpq-dev", Source: "apt", Evidence: ev("Dockerfile", 7)}},
	}
	got := planSystem(p, mustKnowledge(t), syncAll(p), py313)
	i := slices.IndexFunc(got.Packages, func(p Package) bool { return p.ID == "libpq" })
	if i < 0 {
		t.Fatalf("no libpq in %q", pkgSummary(got.Packages))
	}
	r := got.Packages[i].Reason
	if !strings.Contains(r.Text, "psycopg2: psycopg2 has no wheels") || strings.Contains(r.Text, "Dockerfile") {
		t.Errorf("reason = %q, want psycopg2's need and no Dockerfile", r.Text)
	}
	if !slices.Equal(r.Evidence, []detect.Evidence{ev("requirements.txt", 3)}) {
		t.Errorf("evidence = %v", r.Evidence)
	}
}

// The *Full interpreters are gone: a setup that installs Tk for Python gets
// the interpreter's own tkinter package, in the interpreter's pkg-group.
func TestTkinterFromTheContributorSetup(t *testing.T) {
	for _, tt := range []struct{ python, want, group string }{
		{"3.12", "python312Packages.tkinter", ""},
		{"3.9", "", ""},
	} {
		p := &detect.Project{
			Files:        files("requirements.txt"),
			Interpreters: []detect.InterpreterRequest{req(detect.KindPythonVersion, tt.python, ".python-version", 1)},
			System:       []detect.SystemNeed{{Name: "python3-tk", Source: "apt", Evidence: ev("scripts/setup.sh", 4)}, {Name: "python3-tk", Source: "apt", Evidence: ev("Dockerfile", 4)}},
		}
		plan, err := BuildPlan(p, PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		doc := checkManifest(t, plan.Manifest())
		got, _ := get(doc, "install", "tkinter", "pkg-path").(string)
		if got != tt.want {
			t.Errorf("Python %s: tkinter = %q, want %q", tt.python, got, tt.want)
		}
		if tt.want == "" && !containsSub(plan.Notices, "add it by hand") {
			t.Errorf("Python %s: no notice about tkinter in %q", tt.python, plan.Notices)
		}
	}
}

// A project that is itself a package loading libraries at run time
// (WeasyPrint dlopens Pango) gets them once installed, as a dependency
// would; a project the setup does not install does not.
func TestInstalledProjectLoadsItsLibraries(t *testing.T) {
	p := &detect.Project{
		Name:         "weasyprint",
		Requirements: []detect.Requirement{requirement("pydyf", "pyproject.toml", 15)},
	}
	has := func(got systemPlan) bool {
		return slices.ContainsFunc(got.Packages, func(p Package) bool { return p.PkgPath == "pango" })
	}
	if got := planSystem(p, mustKnowledge(t), syncAll(p), py313); !has(got) {
		t.Errorf("no pango for the installed project in %q", pkgSummary(got.Packages))
	}
	set := syncAll(p)
	set.Project = installset.DepsOnly
	if got := planSystem(p, mustKnowledge(t), set, py313); has(got) {
		t.Errorf("pango for a project installed without itself: %q", pkgSummary(got.Packages))
	}
}
