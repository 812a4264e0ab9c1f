package detect

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// Tests of the usage extractors (scripts, Makefiles, docs, CI, Dockerfiles)
// compare every fact a project yields, one line per fact, with a golden
// file next to the project folder: testdata/<kind>/<case>.facts.

var updateUsage = flag.Bool("update-usage", false, "rewrite the .facts golden files of the usage extractors")

// usageScanDir scans testdata/<dir> as a project.
func usageScanDir(t testing.TB, dir string) *Project {
	t.Helper()
	return Scan(os.DirFS(filepath.Join("testdata", dir)), ".", Options{})
}

// usageScanFiles scans a project made of the given files.
func usageScanFiles(files map[string]string) *Project {
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
	return Scan(fsys, ".", Options{})
}

// usageFacts renders the usage facts of p, sorted by file and line:
//
//	path:line venv ACTION [dir=D] [windows] | COMMAND
//	path:line command NAME ARGS...
//	path:line manager NAME (REASON)
//	path:line system SOURCE NAME
//	path:line python SOURCE SPEC [impl=I] [freethreaded] [matrix]
//	path:line ci SYSTEM NAME [pythons=..] [file=..] [matrix] [os=..] [cache=..] [image=..] [actions=..]
//	path:line problem MESSAGE
func usageFacts(p *Project) []string {
	type fact struct {
		ev   Evidence
		text string
	}
	var fs []fact
	add := func(ev Evidence, format string, args ...any) {
		fs = append(fs, fact{ev, fmt.Sprintf(format, args...)})
	}
	for _, v := range p.Venvs {
		s := "venv " + string(v.Action)
		if v.Dir != "" {
			s += " dir=" + v.Dir
		}
		if v.Windows {
			s += " windows"
		}
		add(v.Evidence, "%s [%s] | %s", s, v.File, v.Command)
	}
	for _, c := range p.Commands {
		add(c.Evidence, "command %s", strings.TrimSpace(c.Name+" "+strings.Join(c.Args, " ")))
	}
	for _, m := range p.Managers {
		add(m.Evidence, "manager %s %d (%s)", m.Manager, m.Strength, m.Reason)
	}
	for _, s := range p.System {
		add(s.Evidence, "system %s %s", s.Source, s.Name)
	}
	for _, r := range p.Interpreters {
		s := "python " + string(r.Source) + " " + r.Spec
		if r.Implementation != "" && r.Implementation != "cpython" {
			s += " impl=" + r.Implementation
		}
		if r.FreeThreaded {
			s += " freethreaded"
		}
		if r.Matrix {
			s += " matrix"
		}
		add(r.Evidence, "%s", s)
	}
	for _, j := range p.CI {
		s := "ci " + string(j.System) + " " + j.Name
		if len(j.Pythons) > 0 {
			s += " pythons=" + strings.Join(j.Pythons, ",")
		}
		if j.PythonVersionFile != "" {
			s += " file=" + j.PythonVersionFile
		}
		if j.Matrix {
			s += " matrix"
		}
		if len(j.OS) > 0 {
			s += " os=" + strings.Join(j.OS, ",")
		}
		if j.Cache != "" {
			s += " cache=" + j.Cache
		}
		if j.Image != "" {
			s += " image=" + j.Image
		}
		if len(j.Actions) > 0 {
			s += " actions=" + strings.Join(j.Actions, ",")
		}
		add(j.Evidence, "%s", s)
	}
	for _, pr := range p.Problems {
		add(pr.Evidence, "problem %s", pr.Message)
	}
	sort.SliceStable(fs, func(i, j int) bool { return lessEv(fs[i].ev, fs[j].ev) })
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ev.String() + " " + f.text
	}
	return out
}

// checkUsageGolden scans testdata/<dir> and compares its facts with
// testdata/<dir>.facts.
func checkUsageGolden(t *testing.T, dir string) {
	t.Helper()
	got := strings.Join(usageFacts(usageScanDir(t, dir)), "\n") + "\n"
	golden := filepath.Join("testdata", dir+".facts")
	if *updateUsage {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update-usage to create it)", err)
	}
	if got != string(want) {
		t.Errorf("facts of %s differ from %s\n--- got\n%s--- want\n%s", dir, golden, got, want)
	}
}

// snippetFacts scans a project holding one file and returns its facts.
func snippetFacts(name, text string) []string {
	return usageFacts(usageScanFiles(map[string]string{name: text}))
}

// sameUsageFacts compares facts exactly, in order.
func sameUsageFacts(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("facts differ\n--- got\n%s\n--- want\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// seedUsageFuzz adds every file under testdata/<dir> whose name passes keep to
// the corpus of f.
func seedUsageFuzz(f *testing.F, dir string, keep func(path string) bool) {
	_ = filepath.WalkDir(filepath.Join("testdata", dir), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".facts") || (keep != nil && !keep(p)) {
			return nil
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
		return nil
	})
}

// fuzzUsageScan scans one file and checks the invariants every extractor keeps:
// no panic, every fact points into the file at a line it has.
func fuzzUsageScan(t *testing.T, name, text string) {
	p := usageScanFiles(map[string]string{name: text})
	lines := strings.Count(text, "\n") + 1
	check := func(kind string, ev Evidence) {
		if ev.Path != name || ev.Line < 0 || ev.Line > lines {
			t.Fatalf("%s evidence %v outside %s (%d lines)", kind, ev, name, lines)
		}
	}
	for _, v := range p.Venvs {
		check("venv", v.Evidence)
	}
	for _, c := range p.Commands {
		check("command", c.Evidence)
	}
	for _, m := range p.Managers {
		check("manager", m.Evidence)
	}
	for _, s := range p.System {
		check("system", s.Evidence)
	}
	for _, r := range p.Interpreters {
		check("interpreter", r.Evidence)
	}
	for _, j := range p.CI {
		check("ci", j.Evidence)
	}
	for _, pr := range p.Problems {
		check("problem", pr.Evidence)
	}
}
