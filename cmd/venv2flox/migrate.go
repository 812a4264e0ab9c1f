package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/venv2flox/venv2flox/internal/report"
	"github.com/venv2flox/venv2flox/migrate"
	"github.com/venv2flox/venv2flox/rewrite"
)

const migrateUsage = `Usage: venv2flox migrate [flags] [PATH...]

Create the project's Flox environment (.flox/) and rewrite the scripts,
Makefiles, READMEs and CI files that create or activate a venv so they use
'flox activate'. With one PATH, patch paths are relative to it; with several,
they are relative to the current folder.

Flags:
  -n, --dry-run            write nothing; print the patch (git apply accepts it)
      --check              write nothing; exit 1 when the migration would change files
  -f, --format string      what goes to stdout: diff, json, markdown or rdjson
                           (default: diff with --dry-run, else nothing)
      --force              replace an existing, different .flox environment
                           (its manifest is kept as manifest.toml.bak)
      --allow-dirty        rewrite files that have uncommitted changes
      --keep-venv          keep venv instructions beside the Flox ones (phased migration)
      --scope string       what to change: contributor (the default: dev setup docs,
                           scripts, Makefiles and CI jobs) or all (also docs for users,
                           examples, deployment scripts and release jobs)
      --retire-venvs       rename existing venv folders (.venv -> .venv.backup); never deletes
  -r, --recursive          migrate every Python project under PATH (monorepos)
      --include glob       with -r: only projects matching the glob (repeatable)
      --exclude glob       with -r: skip projects matching the glob (repeatable)
  -j, --jobs int           projects migrated at once (default: number of CPUs)
      --commit             commit the migration after writing it
      --branch name        with --commit: commit on this new branch
      --message text       with --commit: commit message
      --author "N <e>"     with --commit: commit author
      --commit-per-project with --commit: one commit per project
  -q, --quiet              no summary on stderr
` + planFlagsUsage + `
Examples:
  venv2flox migrate --dry-run                    # review the patch
  venv2flox migrate                              # write it
  venv2flox migrate --dry-run --check --format markdown > summary.md   # in CI
  venv2flox migrate -r --dry-run . > migration.patch && git apply migration.patch
  venv2flox migrate -r --commit --branch flox-migration
`

type migrateFlags struct {
	dryRun, check, force, allowDirty, keepVenv, retire bool
	commit, commitPerProject, quiet                    bool
	format, branch, message, author, audience          string
	jobs                                               int
	plan                                               planFlags
	scope                                              scope
}

func runMigrate(args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("migrate", pflag.ContinueOnError)
	var f migrateFlags
	fs.BoolVarP(&f.dryRun, "dry-run", "n", false, "")
	fs.BoolVar(&f.check, "check", false, "")
	fs.StringVarP(&f.format, "format", "f", "", "")
	fs.BoolVar(&f.force, "force", false, "")
	fs.BoolVar(&f.allowDirty, "allow-dirty", false, "")
	fs.BoolVar(&f.keepVenv, "keep-venv", false, "")
	fs.StringVar(&f.audience, "scope", string(migrate.ScopeContributor), "")
	fs.BoolVar(&f.retire, "retire-venvs", false, "")
	fs.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "")
	fs.BoolVar(&f.commit, "commit", false, "")
	fs.StringVar(&f.branch, "branch", "", "")
	fs.StringVar(&f.message, "message", "", "")
	fs.StringVar(&f.author, "author", "", "")
	fs.BoolVar(&f.commitPerProject, "commit-per-project", false, "")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "")
	f.plan.register(fs)
	f.scope.register(fs)
	if code := parseFlags(fs, migrateUsage, args, stdout, stderr); code >= 0 {
		return code
	}
	usageErr := func(err error) int {
		fmt.Fprintf(stderr, "venv2flox migrate: %v\n", err)
		return exitFailure
	}
	if f.format != "" {
		if err := oneOf("format", f.format, "diff", "json", "markdown", "rdjson"); err != nil {
			return usageErr(err)
		}
	} else if f.dryRun {
		f.format = "diff"
	}
	if err := oneOf("scope", f.audience, string(migrate.ScopeContributor), string(migrate.ScopeAll)); err != nil {
		return usageErr(err)
	}
	if f.jobs < 1 {
		return usageErr(fmt.Errorf("--jobs must be at least 1"))
	}
	readOnly := f.dryRun || f.check
	if f.commit && readOnly {
		return usageErr(fmt.Errorf("--commit cannot be combined with --dry-run or --check"))
	}
	if (f.branch != "" || f.message != "" || f.author != "" || f.commitPerProject) && !f.commit {
		return usageErr(fmt.Errorf("--branch, --message, --author and --commit-per-project need --commit"))
	}
	planOpts, err := f.plan.options()
	if err != nil {
		return usageErr(err)
	}

	paths := pathsOrDot(fs.Args())
	code := exitOK
	var runs []*migrate.RootResult
	for _, p := range paths {
		root, err := rootDir(p)
		if err != nil {
			fmt.Fprintf(stderr, "venv2flox migrate: %s: %v\n", p, err)
			code = exitFailure
			continue
		}
		res, err := migrate.Prepare(os.DirFS(root), migrate.Options{
			Plan: planOpts, Recursive: f.scope.recursive, Jobs: f.jobs, Force: f.force, KeepVenv: f.keepVenv, Scope: migrate.Scope(f.audience),
			Discover: migrate.DiscoverOptions{Include: f.scope.include, Exclude: f.scope.exclude},
			RootName: filepath.Base(root), Progress: progress(stderr, f.quiet),
		})
		if err != nil {
			fmt.Fprintf(stderr, "venv2flox migrate: %s: %v\n", p, err)
			code = exitFailure
			continue
		}
		prefix := ""
		if len(paths) > 1 {
			prefix = filepath.ToSlash(filepath.Clean(p))
		}
		runs = append(runs, &migrate.RootResult{Root: root, Prefix: prefix, Result: res})
	}

	if !readOnly {
		for _, r := range runs {
			if err := write(r, f, stderr); err != nil {
				fmt.Fprintf(stderr, "venv2flox migrate: %v\n", err)
				code = exitFailure
			}
		}
	}

	merged := migrate.Merge(runs)
	switch f.format {
	case "diff":
		stdout.Write(rewrite.UnifiedDiff(merged.Changes()))
	case "json":
		report.JSON(stdout, merged)
	case "markdown":
		report.Markdown(stdout, merged)
	case "rdjson":
		report.RDJSON(stdout, merged)
	}
	if !f.quiet {
		report.Summary(stderr, merged, readOnly)
	}
	if merged.Failed() {
		code = exitFailure
	}
	if code == exitOK && f.check && merged.Pending() {
		code = exitPending
	}
	return code
}

// write applies one root's changes: the commit's preconditions, the dirty
// check, the atomic writes, retiring venvs and the commit.
func write(r *migrate.RootResult, f migrateFlags, stderr io.Writer) error {
	changes := r.Result.Changes()
	commitOpts := migrate.CommitOptions{
		Branch: f.branch, Message: f.message, Author: f.author, PerProject: f.commitPerProject,
	}
	if f.commit {
		if err := migrate.CheckCommit(r.Root, r.Result, commitOpts); err != nil {
			return err
		}
	}
	if !f.allowDirty {
		if err := migrate.CheckClean(r.Root, changes); err != nil {
			return err
		}
	}
	if err := migrate.Apply(r.Root, changes); err != nil {
		return err
	}
	if f.retire {
		renamed, err := migrate.RetireVenvs(r.Root, r.Result)
		for _, rn := range renamed {
			if !f.quiet {
				fmt.Fprintf(stderr, "renamed %s -> %s\n", path.Join(r.Prefix, rn[0]), path.Join(r.Prefix, rn[1]))
			}
		}
		if err != nil {
			return err
		}
	}
	if !f.commit {
		return nil
	}
	hashes, err := migrate.Commit(r.Root, r.Result, commitOpts)
	for _, h := range hashes {
		if !f.quiet {
			fmt.Fprintf(stderr, "committed %s\n", h)
		}
	}
	if err != nil {
		return fmt.Errorf("the migration is written, but not all of it is committed: %w", err)
	}
	return nil
}

// progress returns a progress bar on stderr when it is a terminal, and nil
// (no output at all) when it is not.
func progress(stderr io.Writer, quiet bool) func(done, total int) {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(done, total int) {
		const width = 30
		filled := done * width / total
		fmt.Fprintf(stderr, "\r[%s%s] %d/%d projects", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
		if done == total {
			fmt.Fprint(stderr, "\r\033[K")
		}
	}
}
