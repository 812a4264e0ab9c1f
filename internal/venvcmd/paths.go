package venvcmd

import "strings"

// ActivatePath recognises the path of a venv's activate script and returns
// the venv folder as written; windows is true for the Scripts forms
// (venv\Scripts\activate, .venv/Scripts/Activate.ps1).
func ActivatePath(p string) (dir string, windows, ok bool) {
	p = strings.TrimSpace(p)
	norm := lowerASCII(strings.ReplaceAll(p, `\`, "/"))
	if norm == "bin/activate" {
		return ".", false, true
	}
	for _, suffix := range []string{"/bin/activate", "/bin/activate.fish", "/bin/activate.csh",
		"/bin/activate.nu", "/bin/activate.ps1", "/scripts/activate", "/scripts/activate.bat",
		"/scripts/activate.ps1", "/scripts/activate.fish"} {
		if strings.HasSuffix(norm, suffix) && len(norm) > len(suffix) {
			return CleanDir(p[:len(p)-len(suffix)]), strings.HasPrefix(suffix, "/scripts/"), true
		}
	}
	return "", false, false
}

// VenvBin splits p = DIR/bin/PROG (or DIR\Scripts\PROG.exe) when DIR is a
// venv, returning the folder as written and the program's name.
func (cl Classifier) VenvBin(p string) (dir, prog string, windows, ok bool) {
	p = strings.TrimSpace(p)
	norm := lowerASCII(strings.ReplaceAll(p, `\`, "/"))
	for _, seg := range []string{"/bin/", "/scripts/"} {
		i := strings.LastIndex(norm, seg)
		if i <= 0 {
			continue
		}
		d, rest := p[:i], p[i+len(seg):]
		if rest == "" || strings.ContainsAny(rest, `/\`) || !cl.IsVenvDir(d) {
			continue
		}
		return CleanDir(d), strings.TrimSuffix(rest, ".exe"), seg == "/scripts/", true
	}
	return "", "", false, false
}

// IsVenvDir reports whether a folder, as written, names a venv: one of
// VenvDirs, a conventional name (venv, .venv, env, .env, .venv311,
// my-venv, virtualenv), or a variable named after one ($VENV,
// ${VENV_DIR}, $(VENV), $VIRTUAL_ENV).
func (cl Classifier) IsVenvDir(d string) bool {
	d = strings.TrimRight(d, `/\`)
	if d == "" {
		return false
	}
	for _, v := range cl.VenvDirs {
		if d == v || CleanDir(d) == CleanDir(v) {
			return true
		}
	}
	base := strings.ToLower(d[strings.LastIndexAny(d, `/\`)+1:])
	return strings.Contains(base, "venv") || strings.Contains(base, "virtualenv") ||
		strings.Contains(base, "virtual_env") || base == "env" || base == ".env"
}

// projectRootPrefixes are ways scripts and CI files spell "the project
// folder" in front of a venv path; the folder is reported without them,
// so `$PWD/.venv` and `.venv` are one venv.
var projectRootPrefixes = []string{
	"./", `.\`, "$PWD/", "${PWD}/", "$(pwd)/", "`pwd`/", "$(CURDIR)/", "${CURDIR}/", "$(PWD)/", "$(shell pwd)/",
	"$CI_PROJECT_DIR/", "${CI_PROJECT_DIR}/", "$GITHUB_WORKSPACE/", "${GITHUB_WORKSPACE}/",
	"${{ github.workspace }}/", "$WORKSPACE/", "${WORKSPACE}/", "${env.WORKSPACE}/",
	"$(Build.SourcesDirectory)/", "$(System.DefaultWorkingDirectory)/",
}

// CleanDir normalises a venv folder as written: forward slashes, no
// trailing slash, no project-root prefix ($PWD/.venv is .venv).
func CleanDir(d string) string {
	d = strings.TrimSpace(d)
	if strings.Contains(d, `\`) && !strings.Contains(d, "/") {
		d = strings.ReplaceAll(d, `\`, "/")
	}
	for changed := true; changed; {
		changed = false
		for _, p := range projectRootPrefixes {
			if strings.HasPrefix(d, p) && len(d) > len(p) {
				d, changed = d[len(p):], true
			}
		}
	}
	if t := strings.TrimRight(d, "/"); t != "" {
		d = t
	}
	return d
}

// isWindowsPath reports a path written with backslashes.
func isWindowsPath(p string) bool {
	return strings.Contains(p, `\`)
}

// lowerASCII lowers ASCII letters only, so byte offsets in the result are
// offsets in s.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
