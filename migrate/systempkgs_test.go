package migrate

import (
	"slices"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
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
		if len(p.Systems) > 0 {
			s += "{linux}"
			if !slices.Equal(p.Systems, linuxSystems) {
				s += "{" + strings.Join(p.Systems, ",") + "}"
			}
		}
		out = append(out, s)
	}
	return out
}

func TestPlanSystem(t *testing.T) {
	tests := []struct {
		name    string
		project detect.Project
		opts    PlanOptions
		want    []string
		unfree  bool
		ldPath  bool
		notes   []string
	}{
		{
			name:    "psycopg2 needs libpq and pkg-config",
			project: detect.Project{Requirements: []detect.Requirement{requirement("psycopg2", "requirements.txt", 3)}},
			want:    []string{"libpq=libpq", "pkg-config=pkg-config"},
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
			project: detect.Project{Locked: []detect.LockedPackage{
				{Name: "psycopg", Version: "3.2.1", Evidence: ev("uv.lock", 40)},
			}},
			want: []string{"libpq=libpq"},
		},
		{
			name:    "numpy brings the C++ runtime and zlib on Linux",
			project: detect.Project{Requirements: []detect.Requirement{requirement("numpy", "pyproject.toml", 9)}},
			want:    []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}", "zlib=zlib{linux}"},
			ldPath:  true,
		},
		{
			name: "zlib needed everywhere and on Linux is installed everywhere",
			project: detect.Project{
				Requirements: []detect.Requirement{requirement("numpy", "requirements.txt", 1)},
				System:       []detect.SystemNeed{{Name: "zlib1g-dev", Source: "apt", Evidence: ev("Dockerfile", 3)}},
			},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}", "zlib=zlib"},
			ldPath: true,
		},
		{
			name: "torch brings CUDA on Linux and allows unfree",
			project: detect.Project{
				Requirements: []detect.Requirement{requirement("torch", "requirements.txt", 1)},
				Locked:       []detect.LockedPackage{{Name: "nvidia-cublas-cu12", Evidence: ev("uv.lock", 90)}},
			},
			want:   []string{"cudatoolkit=cudaPackages.cudatoolkit{linux}", "gcc-unwrapped=gcc-unwrapped[lib]{linux}", "zlib=zlib{linux}"},
			unfree: true, ldPath: true,
		},
		{
			name: "torch from the CPU index needs no CUDA",
			project: detect.Project{
				Requirements: []detect.Requirement{requirement("torch", "requirements.txt", 2)},
				Indexes:      []detect.PackageIndex{{URL: "https://download.pytorch.org/whl/cpu", Kind: "extra-index-url", Evidence: ev("requirements.txt", 1)}},
			},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}", "zlib=zlib{linux}"},
			ldPath: true,
			notes:  []string{"CPU-only wheels"},
		},
		{
			name: "apt packages map to catalog names; basics and compilers are skipped; unknown ones noted",
			project: detect.Project{System: []detect.SystemNeed{
				{Name: "libpq-dev", Source: "apt", Evidence: ev("Dockerfile", 5)},
				{Name: "libxml2-dev", Source: "apt", Evidence: ev("Dockerfile", 5)},
				{Name: "build-essential", Source: "apt", Evidence: ev("Dockerfile", 5)},
				{Name: "git", Source: "apt", Evidence: ev("Dockerfile", 5)},
				{Name: "libfrobnicate-dev", Source: "apt", Evidence: ev("Dockerfile", 6)},
			}},
			want:  []string{"libpq=libpq", "libxml2=libxml2"},
			notes: []string{`Dockerfile:6: apt package "libfrobnicate-dev" has no known catalog equivalent`},
		},
		{
			name: "tools run by scripts and CI, not basics, not Dockerfile commands",
			project: detect.Project{Commands: []detect.CommandUse{
				{Name: "npm", File: detect.KindMakefile, Evidence: ev("Makefile", 4)},
				{Name: "dot", File: detect.KindShell, Evidence: ev("scripts/docs.sh", 2)},
				{Name: "/usr/bin/make", File: detect.KindGitHubWorkflow, Evidence: ev(".github/workflows/ci.yml", 30)},
				{Name: "redis-server", File: detect.KindMarkdown, Evidence: ev("README.md", 20)},
				{Name: "git", File: detect.KindMakefile, Evidence: ev("Makefile", 5)},
				{Name: "pre-commit", File: detect.KindMakefile, Evidence: ev("Makefile", 6)},
				{Name: "ffmpeg", File: detect.KindDockerfile, Evidence: ev("Dockerfile", 8)},
			}},
			want: []string{"gnumake=gnumake", "graphviz=graphviz", "nodejs=nodejs", "redis=redis"},
		},
		{
			name: "docs group requirements are not synced, so their needs are not installed",
			project: detect.Project{Requirements: []detect.Requirement{
				{Name: "pygraphviz", Group: "docs", Evidence: ev("requirements-docs.txt", 1)},
				{Name: "mysqlclient", Group: "dev", Evidence: ev("requirements-dev.txt", 1)},
			}},
			want: []string{"mariadb-connector-c=mariadb-connector-c", "pkg-config=pkg-config"},
		},
		{
			name: "--no-dev drops dev-only needs",
			project: detect.Project{Requirements: []detect.Requirement{
				{Name: "mysqlclient", Group: "dev", Evidence: ev("requirements-dev.txt", 1)},
			}},
			opts: PlanOptions{NoDev: true},
		},
		{
			name: "opencv GUI build is Linux-only",
			project: detect.Project{Requirements: []detect.Requirement{
				requirement("opencv-python", "requirements.txt", 1),
			}},
			want:   []string{"gcc-unwrapped=gcc-unwrapped[lib]{linux}", "glib=glib{linux}", "libGL=libGL{linux}", "zlib=zlib{linux}"},
			ldPath: true,
		},
	}
	kb := mustKnowledge(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := planSystem(&tt.project, kb, groupSelection{tt.opts})
			if s := pkgSummary(got.Packages); !slices.Equal(s, tt.want) {
				t.Errorf("packages = %q, want %q", s, tt.want)
			}
			if got.Unfree != tt.unfree || got.LibraryPath != tt.ldPath {
				t.Errorf("unfree=%v ldPath=%v, want %v %v", got.Unfree, got.LibraryPath, tt.unfree, tt.ldPath)
			}
			for _, n := range tt.notes {
				if !containsSub(got.Notes, n) {
					t.Errorf("notes %q lack %q", got.Notes, n)
				}
			}
			for _, p := range got.Packages {
				if p.Reason.Text == "" || len(p.Reason.Evidence) == 0 {
					t.Errorf("%s has no reason or evidence: %+v", p.ID, p.Reason)
				}
			}
		})
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
	got := planSystem(p, mustKnowledge(t), groupSelection{})
	for _, n := range got.Notes {
		if strings.Contains(n, "python3.6") || strings.Contains(n, `"python3"`) || strings.Contains(n, "python@3.11") || strings.Contains(n, "python-is-python3") {
			t.Errorf("note about an interpreter package: %q", n)
		}
	}
	if !containsSub(got.Notes, `"python3-tk"`) {
		t.Errorf("notes %q lack python3-tk (a library, not the interpreter)", got.Notes)
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
	got := planSystem(p, mustKnowledge(t), groupSelection{})
	i := slices.IndexFunc(got.Packages, func(p Package) bool { return p.ID == "libpq" })
	if i < 0 {
		t.Fatalf("no libpq in %q", pkgSummary(got.Packages))
	}
	r := got.Packages[i].Reason
	if !strings.Contains(r.Text, "psycopg2: psycopg2 has no wheels") || !strings.Contains(r.Text, "Dockerfile installs the apt package libpq-dev") {
		t.Errorf("reason = %q", r.Text)
	}
	if !slices.Equal(r.Evidence, []detect.Evidence{ev("Dockerfile", 7), ev("requirements.txt", 3)}) {
		t.Errorf("evidence = %v", r.Evidence)
	}
}
