package installset

import "github.com/venv2flox/venv2flox/detect"

// Check is the differential check of a migration: what the old setup
// recipe installs next to what the new Flox hook installs, both recorded
// with the same stand-ins.
type Check struct {
	// Old is the recipe's install set (empty without a recipe), New the
	// hook's.
	Old, New Set
	// Differences are the facts only one of them has ("- " old, "+ " new).
	Differences []string
	// Notes are what the hook's recording could not follow.
	Notes []Note
}

// hookPath names the hook in evidence.
const hookPath = ".flox/env/manifest.toml"

// CheckHook records the hook (the on-activate script) and compares what
// it installs with what the recipe installed when it was recorded (Replay
// runs a recipe again; recordings are deterministic, and the fixtures'
// tests hold both to the expected set). python is the environment's
// interpreter (a minor version): the hook creates its venv with it.
func CheckHook(p *detect.Project, rec *Recipe, hook, python string) Check {
	r := NewRecorder(p, nil)
	r.RunSource(detect.ShellSource{Path: hookPath, Script: hook}, ".")
	set, notes := setOf(r, MetaOf(p))
	set.Python = python
	c := Check{New: set, Notes: notes}
	if rec != nil {
		c.Old = rec.Set
		c.Differences = Diff(c.Old, c.New)
	}
	return c
}
