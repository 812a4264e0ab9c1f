package rewrite

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/shell"
)

func TestPreCommitGolden(t *testing.T) {
	runGolden(t, "precommit", testContext, PreCommit, nil)
}

// TestPreCommitEntriesRun runs the rewritten hook entries the way
// pre-commit does (split like a shell, run from the repository root) in a
// project whose Flox venv holds stand-ins for ruff and python: once as a
// plain git hook (no environment on PATH, no flox at all) and once inside
// `flox activate` (the venv first on PATH, a flox that must not be called).
// The original entries fail in the same tree: the check can fail.
func TestPreCommitEntriesRun(t *testing.T) {
	src := []byte(`repos:
  - repo: local
    hooks:
      - id: ruff
        entry: .venv/bin/ruff check --fix
        language: system
      - id: mypy
        entry: ".venv/bin/python -m mypy"
        language: system
`)
	ctx := testContext
	res, err := PreCommit(&ctx, ".pre-commit-config.yaml", src)
	if err != nil || len(res.FollowUps) > 0 {
		t.Fatalf("PreCommit: %v %v", err, res.FollowUps)
	}
	root := t.TempDir()
	bin := filepath.Join(root, ".flox", "cache", "venv", "bin")
	log := filepath.Join(root, "calls.log")
	for _, prog := range []string{"ruff", "python"} {
		writeStandIn(t, filepath.Join(bin, prog), "echo "+prog+` "$@" >>`+shellQuote(log))
	}
	guard := t.TempDir()
	writeStandIn(t, filepath.Join(guard, "flox"), "echo flox must not be called >&2; exit 99")

	base := []string{"HOME=" + root, "PATH=" + guard + ":/usr/bin:/bin"}
	inside := []string{"HOME=" + root, "PATH=" + bin + ":" + guard + ":/usr/bin:/bin",
		"VIRTUAL_ENV=" + filepath.Dir(bin), "FLOX_ENV_PROJECT=" + root, "FLOX_ENV=/nonexistent"}
	for _, env := range [][]string{base, inside} {
		os.Remove(log)
		for _, entry := range hookEntries(t, res.New) {
			if out, err := runEntry(root, entry, env); err != nil {
				t.Errorf("entry %q with %v: %v\n%s", entry, env, err, out)
			}
		}
		got, _ := os.ReadFile(log)
		if want := "ruff check --fix\npython -m mypy\n"; string(got) != want {
			t.Errorf("stand-ins saw %q, want %q", got, want)
		}
	}
	for _, entry := range hookEntries(t, src) {
		if _, err := runEntry(root, entry, base); err == nil {
			t.Errorf("original entry %q ran without a .venv: the check cannot fail", entry)
		}
	}
}

// hookEntries returns the entry of every hook in a pre-commit config.
func hookEntries(t *testing.T, config []byte) []string {
	t.Helper()
	var cfg struct {
		Repos []struct {
			Hooks []struct{ Entry string }
		}
	}
	if err := yaml.Unmarshal(config, &cfg); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range cfg.Repos {
		for _, h := range r.Hooks {
			out = append(out, h.Entry)
		}
	}
	return out
}

// runEntry runs a hook entry as pre-commit does: shlex-split, no shell,
// from the repository root.
func runEntry(root, entry string, env []string) ([]byte, error) {
	argv, err := shell.Fields(entry, func(string) string { return "" })
	if err != nil {
		return nil, err
	}
	prog := argv[0]
	if strings.Contains(prog, "/") {
		prog = filepath.Join(root, prog)
	}
	cmd := exec.Command(prog, argv[1:]...)
	cmd.Dir, cmd.Env = root, env
	return cmd.CombinedOutput()
}

func writeStandIn(t *testing.T, file, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestPreCommitRunsRewrittenHooks runs the real pre-commit, when it is
// installed, over a rewritten config whose local hooks run stand-ins in the
// Flox venv, from a plain shell without flox on PATH: the hook finds its
// program, as `git commit` would.
func TestPreCommitRunsRewrittenHooks(t *testing.T) {
	preCommit, err := exec.LookPath("pre-commit")
	if err != nil {
		t.Skip("pre-commit is not installed")
	}
	src := []byte("repos:\n  - repo: local\n    hooks:\n      - id: ruff\n        name: ruff\n        entry: .venv/bin/ruff check\n        language: system\n        types: [python]\n")
	ctx := testContext
	res, err := PreCommit(&ctx, ".pre-commit-config.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	log := filepath.Join(t.TempDir(), "calls.log")
	writeStandIn(t, filepath.Join(root, ".flox", "cache", "venv", "bin", "ruff"), "echo ruff \"$@\" >>"+shellQuote(log))
	files := map[string]string{".pre-commit-config.yaml": string(res.New), "app.py": "print('hi')\n", ".gitignore": ".flox/\n"}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"HOME=" + t.TempDir(), "PATH=" + filepath.Dir(preCommit) + ":/usr/bin:/bin", "PRE_COMMIT_HOME=" + t.TempDir(),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	for _, args := range [][]string{{"git", "init", "-q"}, {"git", "add", "."}, {preCommit, "run", "--all-files"}} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = root, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	if got, _ := os.ReadFile(log); string(got) != "ruff check app.py\n" {
		t.Errorf("the hook's stand-in saw %q", got)
	}
}
