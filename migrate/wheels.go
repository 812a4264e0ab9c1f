package migrate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
	"github.com/venv2flox/venv2flox/internal/installset"
)

// wheelFit says for which Python minors every compiled package the sync
// installs has a wheel, so that nothing is built from source. A lock file
// lists each release's wheels, which answers it for the locked packages;
// for releases pinned exactly elsewhere (requirements.txt), the knowledge
// base's [wheels] tables give the newest Python an old release has wheels
// for.
type wheelFit struct {
	// fromLock is true when a lock file lists the wheels of what the sync
	// installs: the answer is known, not guessed.
	fromLock bool
	// lacking maps a minor to the first release without a wheel for it,
	// builds to how many releases lack one.
	lacking map[int]wheelLack
	builds  map[int]int
}

// wheelLack is a release without a wheel for some Python.
type wheelLack struct {
	pin string // "brotli==1.1.0"
	ev  detect.Evidence
	// upTo is the newest minor the release has wheels for, when the
	// knowledge base says it (0 when a lock file says it per minor).
	upTo int
}

// ok reports whether the releases the sync installs have wheels for 3.m.
func (f wheelFit) ok(m int) bool {
	_, lacks := f.lacking[m]
	return !lacks
}

// limited reports whether some minor lacks wheels.
func (f wheelFit) limited() bool { return len(f.lacking) > 0 }

// reason says why 3.m was not chosen: the release without a wheel for it.
func (f wheelFit) reason(m int) string {
	l, ok := f.lacking[m]
	if !ok {
		return ""
	}
	if l.upTo > 0 {
		return fmt.Sprintf("%s (%s) publishes wheels up to Python 3.%d; on a newer one pip would build it from source", l.pin, l.ev, l.upTo)
	}
	return fmt.Sprintf("%s (%s) has no wheel for Python 3.%d, so the sync would build it from source", l.pin, l.ev, m)
}

// wheelFitOf checks every minor against the packages the install set puts
// into the venv on it (markers decide what a minor installs).
func wheelFitOf(p *detect.Project, kb *knowledge, set installset.Set) wheelFit {
	f := wheelFit{lacking: map[int]wheelLack{}, builds: map[int]int{}}
	for m := oldestMinor; m <= newestMinor; m++ {
		t := pyTarget{minor: m, impl: "cpython", linuxOnly: true}
		for _, d := range syncedPackages(p, set, t) {
			if lack, ok := d.lacksWheel(kb, t, &f); ok {
				if _, seen := f.lacking[m]; !seen {
					f.lacking[m] = lack
				}
				f.builds[m]++
			}
		}
	}
	return f
}

// lacksWheel reports a release of d without a wheel for the target: a
// compiled locked release none of whose wheels runs there, or an exact pin
// the knowledge base says has none. It notes in f when a lock lists wheels.
func (d dependency) lacksWheel(kb *knowledge, t pyTarget, f *wheelFit) (wheelLack, bool) {
	for _, l := range d.Locked {
		if len(l.Wheels) == 0 {
			if lack, ok := tableLack(kb, d.Name, l.Version, l.Evidence, t.minor); ok {
				return lack, true
			}
			continue
		}
		f.fromLock = true
		if b := buildOf(l, t); b.fromSource && b.compiled {
			return wheelLack{pin: d.Name + "==" + l.Version, ev: l.Evidence}, true
		}
	}
	if d.Pin != "" && len(d.Locked) == 0 {
		return tableLack(kb, d.Name, d.Pin, d.PinEvidence, t.minor)
	}
	return wheelLack{}, false
}

// tableLack applies the knowledge base's [wheels] table to a release.
func tableLack(kb *knowledge, name, version string, ev detect.Evidence, minor int) (wheelLack, bool) {
	line, ok := releaseLine(version)
	if !ok {
		return wheelLack{}, false
	}
	upTo, ok := pythonMinor(kb.Wheels[name][line])
	if !ok || minor <= upTo {
		return wheelLack{}, false
	}
	return wheelLack{pin: name + "==" + version, ev: ev, upTo: upTo}, true
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
