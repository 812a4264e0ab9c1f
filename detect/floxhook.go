package detect

import (
	"io/fs"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// floxHook reads the hook of an environment venv2flox wrote before: on a
// migrated project, the hook is the setup, and the next run keeps what it
// installs.
func (s *scanner) floxHook() {
	const manifest = ".flox/env/manifest.toml"
	data, err := fs.ReadFile(s.fsys, s.full(manifest))
	if err != nil {
		return
	}
	var m struct {
		Hook struct {
			OnActivate string `toml:"on-activate"`
		} `toml:"hook"`
	}
	if toml.Unmarshal(data, &m) != nil || !strings.Contains(m.Hook.OnActivate, "venv2flox") {
		return
	}
	script := m.Hook.OnActivate
	// The script's first line follows the `on-activate = '''` line.
	first := 1
	if i := strings.Index(string(data), "on-activate"); i >= 0 {
		first = strings.Count(string(data[:i]), "\n") + 2
	}
	src := ShellSource{Path: manifest, Script: script}
	for i := range strings.Count(script, "\n") + 1 {
		src.Lines = append(src.Lines, first+i)
	}
	s.p.Setup.FloxHook = &src
}
