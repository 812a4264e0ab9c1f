package migrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// A JavaScript tool the project runs gets the catalog attribute of the
// major version the project asks for (.nvmrc, .node-version, mise,
// .tool-versions, package.json packageManager): nodejs_22, pnpm_10,
// yarn-berry for Yarn 4. Never a `version` pin: a pkg-group resolves
// against one catalog revision, and a release no revision holds next to
// the others keeps the manifest from locking. An attribute nixpkgs no
// longer has (nodejs_25, removed at its end of life) is not named either:
// the catalog's default stays, and a note says what was asked for.

// toolVersionAttrs maps a default attribute to the tool whose requests
// choose among its versioned attributes.
var toolVersionAttrs = map[string]string{"nodejs": "node", "pnpm": "pnpm", "yarn": "yarn"}

// versionedAttr is the attribute of a tool's major version; "" when
// nixpkgs names none that way.
func versionedAttr(tool, major string) string {
	switch tool {
	case "node":
		return "nodejs_" + major
	case "pnpm":
		return "pnpm_" + major
	case "yarn":
		if major == "4" {
			// yarn-berry builds Yarn 4 (berryVersion ? 4,
			// pkgs/by-name/ya/yarn-berry/package.nix); yarn is 1.x.
			return "yarn-berry"
		}
		if major == "1" {
			return "yarn"
		}
	}
	return ""
}

// toolAttr picks the attribute for attr from the contributor's requests;
// note says why the default stayed, or is "".
func toolAttr(p *detect.Project, kb *knowledge, attr string) (string, string, []detect.Evidence) {
	tool, ok := toolVersionAttrs[attr]
	if !ok {
		return attr, "", nil
	}
	var majors, asked []string
	var ev []detect.Evidence
	for _, r := range p.Tools {
		if r.Tool != tool || !contributorLine(p, r.Evidence) {
			continue
		}
		major, _, _ := strings.Cut(r.Version, ".")
		if !slices.Contains(majors, major) {
			majors = append(majors, major)
		}
		asked = append(asked, fmt.Sprintf("%s %s (%s)", tool, r.Version, r.Evidence))
		ev = append(ev, r.Evidence)
	}
	switch {
	case len(majors) == 0:
		return attr, "", nil
	case len(majors) > 1:
		return attr, fmt.Sprintf("the project asks for several versions of %s (%s): the catalog's %s is installed; pick one in [install]", tool, strings.Join(asked, ", "), attr), ev
	}
	want := versionedAttr(tool, majors[0])
	if _, known := kb.Attrs[want]; want == "" || !known {
		return attr, fmt.Sprintf("%s: nixpkgs has no attribute for %s %s, so the catalog's %s is installed", strings.Join(asked, ", "), tool, majors[0], attr), ev
	}
	return want, "", ev
}
