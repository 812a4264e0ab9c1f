package migrate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// wheelLimit is the newest Python minor that the project's exactly pinned
// releases publish wheels for, and the pin that sets it. minor is 0 when no
// pin limits the choice.
type wheelLimit struct {
	minor int
	pin   string // "numpy==1.21.6"
	ev    detect.Evidence
}

// wheelCeiling reads the limit from the knowledge base's [wheels] tables:
// an old numpy pinned in requirements.txt or a lock file has no wheels for
// today's Python, and pip would try to build it from source.
func wheelCeiling(p *detect.Project, kb *knowledge) wheelLimit {
	var limit wheelLimit
	consider := func(name, version string, ev detect.Evidence) {
		line, ok := releaseLine(version)
		if !ok {
			return
		}
		minor, ok := pythonMinor(kb.Wheels[name][line])
		if ok && (limit.minor == 0 || minor < limit.minor) {
			limit = wheelLimit{minor: minor, pin: name + "==" + version, ev: ev}
		}
	}
	for _, r := range p.Requirements {
		if v, ok := strings.CutPrefix(r.Specifier, "=="); ok && !strings.ContainsAny(v, ",*") {
			consider(r.Name, strings.TrimSpace(v), r.Evidence)
		}
	}
	for _, l := range p.Locked {
		consider(l.Name, l.Version, l.Evidence)
	}
	return limit
}

// releaseLine returns "1.21" for "1.21.6" (and for "1.21").
func releaseLine(version string) (string, bool) {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return "", false
	}
	for _, p := range parts[:2] {
		if _, err := strconv.Atoi(p); err != nil {
			return "", false
		}
	}
	return parts[0] + "." + parts[1], true
}

// pythonMinor returns 9 for "3.9".
func pythonMinor(v string) (int, bool) {
	major, minor, ok := strings.Cut(v, ".")
	if !ok || major != "3" {
		return 0, false
	}
	n, err := strconv.Atoi(minor)
	return n, err == nil
}

func (l wheelLimit) reason() string {
	return fmt.Sprintf("%s (%s) publishes wheels up to Python 3.%d; on a newer one pip would build it from source", l.pin, l.ev, l.minor)
}
