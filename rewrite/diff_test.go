package rewrite

import (
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestUnifiedDiffAppliesWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	rng := rand.New(rand.NewSource(1))
	words := []string{"alpha\n", "beta\n", "gamma\n", "delta\n", "\n", "x = 1\r\n", "pip install -r requirements.txt\n"}
	randomText := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(words[rng.Intn(len(words))])
		}
		return b.String()
	}
	mutate := func(s string) string {
		lines := splitLines([]byte(s))
		for k := rng.Intn(4) + 1; k > 0; k-- {
			switch i := rng.Intn(len(lines) + 1); rng.Intn(3) {
			case 0:
				lines = append(lines[:i], append([]string{words[rng.Intn(len(words))]}, lines[i:]...)...)
			case 1:
				if i < len(lines) {
					lines = append(lines[:i], lines[i+1:]...)
				}
			case 2:
				if i < len(lines) {
					lines[i] = "changed " + lines[i]
				}
			}
		}
		out := strings.Join(lines, "")
		if rng.Intn(4) == 0 {
			out = strings.TrimSuffix(out, "\n")
		}
		return out
	}
	for iter := 0; iter < 40; iter++ {
		dir := t.TempDir()
		var changes []FileChange
		for f := 0; f < 3; f++ {
			name := []string{"Makefile", "dir with space/run.sh", "docs/ünï.md"}[f]
			old := randomText(5 + rng.Intn(40))
			if rng.Intn(5) == 0 {
				old = strings.TrimSuffix(old, "\n")
			}
			writeDiffTestFile(t, filepath.Join(dir, name), old)
			changes = append(changes, FileChange{Path: name, Old: []byte(old), New: []byte(mutate(old)), Mode: 0o644})
		}
		changes = append(changes, FileChange{Path: ".flox/env.json", New: []byte("{\n  \"name\": \"x\"\n}\n"), Mode: 0o644, Created: true})
		patch := UnifiedDiff(changes)
		patchFile := filepath.Join(t.TempDir(), "p.diff")
		writeDiffTestFile(t, patchFile, string(patch))
		cmd := exec.Command("git", "apply", "--unsafe-paths", "--whitespace=nowarn", patchFile)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("iteration %d: git apply: %v\n%s\npatch:\n%s", iter, err, out, patch)
		}
		for _, c := range changes {
			got, err := os.ReadFile(filepath.Join(dir, c.Path))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(c.New) {
				t.Fatalf("iteration %d: %s after apply:\n%q\nwant:\n%q\npatch:\n%s", iter, c.Path, got, c.New, patch)
			}
		}
	}
}

func TestUnifiedDiffUnchangedIsEmpty(t *testing.T) {
	c := FileChange{Path: "a", Old: []byte("x\n"), New: []byte("x\n")}
	if got := UnifiedDiff([]FileChange{c}); len(got) != 0 {
		t.Fatalf("diff of unchanged file = %q, want empty", got)
	}
}

func TestQuotePath(t *testing.T) {
	for in, want := range map[string]string{
		"a/Makefile":   "a/Makefile",
		"a/with space": "a/with space",
		`a/q"uote`:     `"a/q\"uote"`,
		"a/ü":          `"a/\303\274"`,
		"a/new\nline":  `"a/new\nline"`,
	} {
		if got := quotePath(in); got != want {
			t.Errorf("quotePath(%q) = %s, want %s", in, got, want)
		}
	}
}

func writeDiffTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLineOrigins(t *testing.T) {
	old := "a\nb\nc\nd\ne\n"
	new := "a\nB\nC\nX\nd\nY\ne\n"
	want := []LineOrigin{{1, true}, {2, false}, {2, false}, {2, false}, {4, true}, {5, false}, {5, true}}
	if got := LineOrigins([]byte(old), []byte(new)); !reflect.DeepEqual(got, want) {
		t.Errorf("LineOrigins = %v, want %v", got, want)
	}
}
