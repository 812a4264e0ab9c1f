package detect

import (
	"path"
	"slices"
	"strings"
)

// systemd units that run a server's Python from a venv
// (ExecStart=/srv/app/.venv/bin/gunicorn app:app) depend on a venv the
// migration no longer makes. They are never rewritten (production is not
// a Flox shell), but their venv uses are facts to report.

func isSystemdUnit(rel string) bool {
	return path.Ext(rel) == ".service"
}

// systemdExecKeys are the unit settings whose values run commands.
var systemdExecKeys = []string{"ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload", "ExecStop", "ExecStopPost", "ExecCondition"}

func extractSystemd(s *scanner, f *textFile) {
	ss := newShellSession(s, f.Path, KindSystemd)
	for i, line := range f.Lines() {
		key, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || !slices.Contains(systemdExecKeys, strings.TrimSpace(key)) {
			continue
		}
		// Prefixes (-, @, +, !) change how systemd runs the command.
		argv := strings.Fields(strings.TrimLeft(strings.TrimSpace(value), "-@+!:"))
		if len(argv) > 0 {
			s.calls = append(s.calls, shellCall{path: f.Path, line: i + 1, argv: argv})
		}
		for _, w := range argv {
			if dir, _, _, ok := ss.venvBin(w); ok {
				ss.venv(VenvBinUse, dir, false, strings.TrimSpace(value), i+1)
				break
			}
		}
	}
}
