package migrate

import "encoding/json"

// The .flox files venv2flox writes besides the manifest, byte for byte what
// `flox init` writes, so a migrated repository looks like a native one.
const (
	floxGitignore     = "run/\ncache/\nlib/\nlog/\n!env/\n"
	floxGitattributes = "env/manifest.lock linguist-generated=true linguist-language=JSON\n"
)

// EnvFiles returns the files of the plan's Flox environment, keyed by their
// path relative to the project: .flox/env.json, .flox/env/manifest.toml,
// .flox/.gitignore and .flox/.gitattributes. .flox/env/manifest.lock is not
// among them: only Flox can resolve packages against its catalog, and the
// first `flox activate` writes it.
func EnvFiles(plan *Plan) map[string][]byte {
	return map[string][]byte{
		".flox/env.json":          envJSON(plan.EnvName),
		".flox/env/manifest.toml": plan.Manifest(),
		".flox/.gitignore":        []byte(floxGitignore),
		".flox/.gitattributes":    []byte(floxGitattributes),
	}
}

// envJSON is .flox/env.json as Flox writes it: two-space indented, name
// first, trailing newline.
func envJSON(name string) []byte {
	// Marshalling a string cannot fail.
	quoted, _ := json.Marshal(Slug(name))
	return []byte("{\n  \"name\": " + string(quoted) + ",\n  \"version\": 1\n}\n")
}
