package detect

import "strings"

// extractUVLock reads uv.lock: the uv manager, requires-python and the
// locked packages. The project's own packages (the workspace root and
// members, with an editable or virtual source) are not locked dependencies.
func extractUVLock(s *scanner, f *textFile) {
	d, ok := parseTOML(s, f)
	if !ok {
		return
	}
	s.p.Managers = append(s.p.Managers, ManagerUse{Manager: ManagerUV, Strength: 3, Reason: "uv.lock", Evidence: d.ev("version")})
	if v, ok := d.get("requires-python"); ok {
		lockInterpreter(s, d, KindUVLock, v, "requires-python")
	}
	lockPackages(s, d, "uv.lock", func(pkg map[string]any, _ string) (own, sdistOnly bool) {
		source, _ := pkg["source"].(map[string]any)
		if source["editable"] != nil || source["virtual"] != nil {
			return true, false // the project itself or a workspace member
		}
		_, hasSdist := pkg["sdist"]
		wheels, _ := pkg["wheels"].([]any)
		return false, len(wheels) == 0 && (hasSdist || source["git"] != nil ||
			source["directory"] != nil || isSourceArchive(source["url"]) || isSourceArchive(source["path"]))
	})
}

// isSourceArchive reports whether a lock's url or path source names
// something other than a wheel, which pip or uv must build.
func isSourceArchive(v any) bool {
	s, ok := v.(string)
	return ok && !strings.HasSuffix(strings.ToLower(s), ".whl")
}
