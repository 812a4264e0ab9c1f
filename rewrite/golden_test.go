package rewrite

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// -update rewrites the golden files under testdata instead of comparing.
var update = flag.Bool("update", false, "rewrite golden files under testdata")

// goldenCase is one `<name>.in` file under testdata/<dir>. Its expected
// output is `<name>.golden`, its expected follow-ups `<name>.followups`
// (one per line, "path:line: message"), and an optional `<name>.ctx`
// (JSON of a Context) overrides the fields of the base context it sets.
// The project-relative path the input pretends to have is its name with
// "__" for "/": `scripts__test.sh.in` is scripts/test.sh.
type goldenCase struct {
	Name string
	Path string
	In   []byte
	Ctx  Context
	dir  string
}

func (c goldenCase) file(ext string) string { return filepath.Join(c.dir, c.Name+ext) }

func goldenCases(t *testing.T, dir string, base Context) []goldenCase {
	t.Helper()
	dir = filepath.Join("testdata", dir)
	ins, err := filepath.Glob(filepath.Join(dir, "*.in"))
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden inputs in %s: %v", dir, err)
	}
	sort.Strings(ins)
	var cases []goldenCase
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in")
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		c := goldenCase{Name: name, Path: strings.ReplaceAll(name, "__", "/"), In: src, Ctx: base, dir: dir}
		c.Ctx.VenvDirs = append([]string(nil), base.VenvDirs...)
		c.Ctx.Synced = append([]string(nil), base.Synced...)
		c.Ctx.Groups = append([]string(nil), base.Groups...)
		if b, err := os.ReadFile(c.file(".ctx")); err == nil {
			if err := json.Unmarshal(b, &c.Ctx); err != nil {
				t.Fatalf("%s.ctx: %v", name, err)
			}
		}
		cases = append(cases, c)
	}
	return cases
}

// checkGolden compares got with a golden file, or writes it under -update.
func checkGolden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if len(got) == 0 {
			os.Remove(file)
			return
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test ./rewrite -update to accept)\n--- got ---\n%s\n--- want ---\n%s", file, got, want)
	}
}

func followUpText(fus []FollowUp) []byte {
	var b bytes.Buffer
	for _, f := range fus {
		b.WriteString(f.String())
		if f.Suggestion != "" {
			b.WriteString(" => " + f.Suggestion)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// runGolden runs a rewriter over every golden case of dir with the checks
// every rewriter owes: golden output and follow-ups, no error, idempotence
// (a second run changes nothing) and CRLF files staying CRLF. check, when
// set, adds rewriter-specific checks on the output.
func runGolden(t *testing.T, dir string, base Context, fn Func, check func(t *testing.T, c goldenCase, out []byte)) {
	for _, c := range goldenCases(t, dir, base) {
		t.Run(c.Name, func(t *testing.T) {
			ctx := c.Ctx
			res, err := fn(&ctx, c.Path, c.In)
			if err != nil {
				t.Fatalf("rewrite: %v", err)
			}
			checkGolden(t, c.file(".golden"), res.New)
			checkGolden(t, c.file(".followups"), followUpText(res.FollowUps))

			again, err := fn(&ctx, c.Path, res.New)
			if err != nil {
				t.Fatalf("second rewrite: %v", err)
			}
			if !bytes.Equal(again.New, res.New) {
				t.Errorf("second rewrite is not a no-op:\n%s", again.New)
			}
			if bytes.Contains(c.In, []byte("\r\n")) && bytes.Count(res.New, []byte("\n")) != bytes.Count(res.New, []byte("\r\n")) {
				t.Errorf("CRLF input produced bare LF lines:\n%q", res.New)
			}
			if check != nil {
				check(t, c, res.New)
			}
		})
	}
}
