package migrate

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/venv2flox/venv2flox/detect"
)

func mustKnowledge(t testing.TB) *knowledge {
	t.Helper()
	kb, err := loadKnowledge()
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

func TestKnowledgeBaseIsComplete(t *testing.T) {
	kb := mustKnowledge(t)
	// The run-time decode skips the checks; the embedded file must pass them
	// and decode to the same entries.
	strict, err := parseKnowledge(nativeDepsTOML)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(strict, kb) {
		t.Error("the strict and the run-time decode of nativedeps.toml differ")
	}
	names := map[string]bool{}
	for _, e := range kb.Packages {
		for _, n := range e.Names {
			names[n] = true
		}
	}
	if len(names) < 40 {
		t.Errorf("knowledge base knows %d PyPI packages, want at least 40", len(names))
	}
	for _, n := range []string{"psycopg2", "psycopg2-binary", "psycopg", "mysqlclient", "lxml", "pillow", "numpy", "torch", "gdal", "pygraphviz", "python-ldap", "weasyprint"} {
		if !names[n] {
			t.Errorf("knowledge base lacks %s", n)
		}
	}
	// Attributes the Flox facts list as wrong must never appear.
	for _, bad := range []string{"poppler_utils", "libstdcxx5", "mysql80", "stdenv.cc.cc.lib", "python312Full"} {
		if strings.Contains(string(nativeDepsTOML), `"`+bad+`"`) {
			t.Errorf("knowledge base uses %s, which is not a catalog attribute", bad)
		}
	}
	if got, _ := kb.systemAttrs("apt", "libpq-dev"); !slices.Equal(got, []string{"libpq"}) {
		t.Errorf("apt libpq-dev -> %v", got)
	}
	for _, src := range []string{"apt", "apk", "brew"} {
		if got, _ := kb.systemAttrs(src, "libtool"); !slices.Equal(got, []string{"libtool"}) {
			t.Errorf("%s libtool -> %v", src, got)
		}
	}
	if got, known := kb.systemAttrs("apt", "build-essential"); !known || len(got) != 0 {
		t.Errorf("apt build-essential -> %v, %v; want known and nothing", got, known)
	}
}

func TestParseKnowledgeRejectsBadEntries(t *testing.T) {
	tests := []struct{ name, toml, want string }{
		{"unknown when", "[[package]]\nnames = [\"x\"]\nnix = [\"zlib\"]\nwhen = [\"sometimes\"]\nwhy = \"w\"\n", `unknown when "sometimes"`},
		{"name not normalised", "[[package]]\nnames = [\"Foo_Bar\"]\nnix = [\"zlib\"]\nwhen = [\"run\"]\nwhy = \"w\"\n", "not normalised"},
		{"language-set attribute", "[[package]]\nnames = [\"x\"]\nnix = [\"python312Packages.libpq\"]\nwhen = [\"run\"]\nwhy = \"w\"\n", "invalid attribute"},
		{"run without attribute", "[[package]]\nnames = [\"x\"]\nwhen = [\"run\"]\nwhy = \"w\"\n", "names no attribute"},
		{"no why", "[[package]]\nnames = [\"x\"]\nwhen = [\"wheel\"]\n", "no why"},
		{"unknown field", "[[package]]\nnames = [\"x\"]\nwhen = [\"wheel\"]\nwhy = \"w\"\nsystem = \"linux\"\n", "system"},
		{"bad command attribute", "[commands]\ndot = \"graph viz\"\n", "invalid attribute"},
		{"entry without nixpkgs evidence", "[[package]]\nnames = [\"x\"]\nwhen = [\"wheel\"]\nwhy = \"w\"\n", "no evidence (a path in NixOS/nixpkgs)"},
		{"evidence that is not a nixpkgs path", "[[package]]\nnames = [\"x\"]\nwhen = [\"wheel\"]\nwhy = \"w\"\nevidence = [\"https://pypi.org/project/x\"]\n", "not a path in NixOS/nixpkgs"},
		{"attribute without [attrs] evidence", "[[package]]\nnames = [\"x\"]\nnix = [\"zlib\"]\nwhen = [\"run\"]\nwhy = \"w\"\nevidence = [\"pkgs/x.nix\"]\n", `attribute "zlib" has no [attrs] entry`},
		{"command attribute without evidence", "[commands]\ndot = \"graphviz\"\n", `attribute "graphviz" has no [attrs] entry`},
		{"links a library the policy keeps in the wheel", "[host-libraries]\nmanylinux = [\"libstdc++.so.6\"]\n[[package]]\nnames = [\"x\"]\nlinks = [\"libgomp.so.1\"]\nwhen = [\"wheel\"]\nwhy = \"w\"\nevidence = [\"pkgs/x.nix\"]\n", "manylinux policy does not let wheels take"},
		{"no-cxx without upstream source", "[no-cxx]\nmarkupsafe = { nixpkgs = \"pkgs/x.nix\" }\n", "upstream source"},
		{"no-cxx for a package whose wheels link the C++ runtime", "[no-cxx]\ngreenlet = { nixpkgs = \"pkgs/x.nix\", source = \"python-greenlet/greenlet src/greenlet/greenlet.cpp\" }\n[[package]]\nnames = [\"greenlet\"]\nlinks = [\"libstdc++.so.6\"]\nwhen = [\"wheel\"]\nwhy = \"w\"\nevidence = [\"pkgs/x.nix\"]\n", "says its wheels link"},
		{"loads without an attribute", "[[package]]\nnames = [\"x\"]\nloads = [\"libx.so.1\"]\nwhen = [\"run\"]\nwhy = \"w\"\nevidence = [\"pkgs/x.nix\"]\n", "names no attribute that provides them"},
		{"bad wheels line", "[wheels.numpy]\n\"1\" = \"3.9\"\n", "release line"},
		{"bad wheels python", "[wheels.numpy]\n\"1.21\" = \"py39\"\n", "Python minor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseKnowledge([]byte(tt.toml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestMatchNative(t *testing.T) {
	kb := mustKnowledge(t)
	ev := []detect.Evidence{{Path: "requirements.txt", Line: 1}}
	dep := func(name string, extras ...string) dependency {
		return dependency{Name: name, Extras: extras, Evidence: ev}
	}
	type want struct {
		name    string
		install bool
		nix     []string
	}
	tests := []struct {
		name string
		deps []dependency
		want []want
	}{
		{"psycopg2 builds against libpq", []dependency{dep("psycopg2")}, []want{{"psycopg2", true, []string{"libpq"}}}},
		{"psycopg2-binary needs nothing", []dependency{dep("psycopg2-binary")}, []want{{"psycopg2-binary", false, nil}}},
		{"psycopg pure loads libpq", []dependency{dep("psycopg")}, []want{{"psycopg", true, []string{"libpq"}}}},
		{"psycopg[binary] needs nothing", []dependency{dep("psycopg", "binary")}, nil},
		{"psycopg with psycopg-binary locked needs nothing", []dependency{dep("psycopg"), dep("psycopg-binary")}, []want{{"psycopg-binary", false, nil}}},
		{"psycopg[c] builds", []dependency{dep("psycopg", "c")}, []want{{"psycopg", true, []string{"libpq"}}}},
		{"lxml wheels bundle libxml2", []dependency{dep("lxml")}, []want{{"lxml", false, []string{"libxml2", "libxslt", "zlib"}}}},
		{"lxml from an sdist-only lock builds", []dependency{{Name: "lxml", FromSource: true, Evidence: ev}}, []want{{"lxml", true, []string{"libxml2", "libxslt", "zlib"}}}},
		{"cairosvg is not cairo, pycairo is not cairocffi", []dependency{dep("cairosvg")}, []want{{"cairosvg", true, []string{"cairo", "glib", "gdk-pixbuf"}}}},
		{"unknown packages match nothing", []dependency{dep("requests"), dep("psycopg2x"), dep("xpsycopg2")}, nil},
		{"nvidia family by prefix: the wheels bring CUDA", []dependency{dep("nvidia-cudnn-cu12")}, []want{{"nvidia-cudnn-cu12", false, nil}}},
		{"jax needs cuda extras", []dependency{dep("jax")}, nil},
		{"jax[cuda12]", []dependency{dep("jax", "cuda12")}, []want{{"jax", false, nil}}},
		{"pyyaml is optional", []dependency{dep("pyyaml")}, []want{{"pyyaml", false, []string{"libyaml"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kb.matchNative(tt.deps)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d matches, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Dep.Name != w.name || g.Install != w.install || !slices.Equal(g.Entry.Nix, w.nix) {
					t.Errorf("match %d = %s install=%v nix=%v (skip %q), want %s install=%v nix=%v",
						i, g.Dep.Name, g.Install, g.Entry.Nix, g.Skip, w.name, w.install, w.nix)
				}
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Psycopg2_Binary": "psycopg2-binary", "zope.interface": "zope-interface", "a--b__c": "a-b-c", " X ": "x",
	} {
		if got := normalizeName(in); got != want {
			t.Errorf("normalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}
