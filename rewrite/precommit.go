package rewrite

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// PreCommit points pre-commit hooks that run a program from the old venv
// (`entry: .venv/bin/ruff`, `entry: .venv/bin/python -m mypy`) at the same
// program in the Flox venv (`.flox/cache/venv/bin/ruff`).
//
// A path, not `flox activate -- ruff` nor a bare `ruff`: pre-commit runs
// hooks from the repository root, both from `make check` inside
// `flox activate` and from a plain git hook outside it. A bare name is
// found only inside the environment, and `flox activate --` needs Flox on
// the PATH of every git client (and nests activations inside one). The
// venv path works in both, as the old `.venv/bin/ruff` did once the venv
// had been built; `flox activate` now builds it.
//
// Entries that use the venv otherwise (an activation inside `bash -c`, a
// Windows path, a multi-line scalar) are left alone and reported.
func PreCommit(ctx *Context, p string, src []byte) (Result, error) {
	res := Result{New: src}
	d, err := yeParse(src)
	if err != nil {
		// detect has reported the syntax error.
		return res, nil
	}
	var edits []Edit
	if !ctx.KeepVenv {
		for _, repo := range yeItems(yeValue(d.root, "repos")) {
			for _, hook := range yeItems(yeValue(repo, "hooks")) {
				if e, ok := d.moveEntry(ctx, yeValue(hook, "entry")); ok {
					edits = append(edits, e)
				}
			}
		}
	}
	out, err := applyEdits(src, edits)
	if err != nil {
		return res, err
	}
	res.New = out
	res.FollowUps = leftoverFollowUps(ctx, p, out, "pre-commit hook not rewritten, it still runs from the old venv",
		"Run the hook's program from "+ctx.venvFolder()+"/bin, the venv `flox activate` keeps, so it works inside and outside the environment.")
	return res, nil
}

// moveEntry returns the edit that points an entry's program, its first
// word, into the Flox venv. The scalar keeps its quoting: only the folder
// part of the path changes.
func (d *yeDoc) moveEntry(ctx *Context, entry *yaml.Node) (Edit, bool) {
	if entry == nil || entry.Kind != yaml.ScalarNode {
		return Edit{}, false
	}
	program, _, _ := strings.Cut(strings.TrimSpace(entry.Value), " ")
	moved, how := moveVenvPath(ctx, program, false)
	if how != moveDone {
		return Edit{}, false
	}
	start, end, ok := d.scalarRange(entry)
	if !ok {
		return Edit{}, false
	}
	raw := string(d.src[start:end])
	i := strings.Index(raw, program)
	if i < 0 {
		return Edit{}, false // escapes in a quoted scalar
	}
	return Edit{Start: start + i, End: start + i + len(program), Text: moved}, true
}

// yeItems returns a block or flow sequence's items.
func yeItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}
