package rewrite

import (
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// SystemdUnit leaves a systemd unit as it is and reports the commands it
// runs from a venv: on a server the venv is the deployment's, and the
// Flox environment replaces it only where `flox activate` runs.
func SystemdUnit(ctx *Context, path string, src []byte) (Result, error) {
	res := Result{New: src}
	for _, v := range detect.ScanText(path, src).Venvs {
		cmd := strings.Fields(v.Command)
		prog := ""
		if len(cmd) > 0 {
			prog = strings.TrimLeft(cmd[0], "-@+!:")
		}
		res.FollowUps = append(res.FollowUps, FollowUp{Evidence: v.Evidence,
			Message:    "left alone: this systemd unit runs " + prog + " from a venv, which the migration no longer creates",
			Suggestion: "Keep building that venv where the service is deployed, or run the service as `flox activate -d <project> -- <command>`."})
	}
	return res, nil
}
