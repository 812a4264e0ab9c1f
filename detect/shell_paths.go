package detect

import (
	"sort"
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// venvBin splits p = DIR/bin/PROG (or DIR\Scripts\PROG.exe) when DIR looks
// like a venv. The empty PROG of `PREFIX=venv/bin/` is accepted too.
func (ss *shellSession) venvBin(p string) (dir, prog string, windows, ok bool) {
	p = strings.TrimSpace(p)
	norm := strings.ToLower(strings.ReplaceAll(p, "\\", "/"))
	for _, seg := range []string{"/bin/", "/scripts/"} {
		i := strings.LastIndex(norm, seg)
		if i <= 0 {
			continue
		}
		d, rest := p[:i], p[i+len(seg):]
		if strings.ContainsAny(rest, "/\\") || !ss.isVenvDir(d) {
			continue
		}
		prog = rest
		if strings.HasSuffix(strings.ToLower(prog), ".exe") {
			prog = prog[:len(prog)-4]
		}
		return venvcmd.CleanDir(d), prog, seg == "/scripts/", true
	}
	return "", "", false, false
}

// venvBinDir recognises a venv's bin folder itself (PATH entries).
func (ss *shellSession) venvBinDir(p string) (string, bool) {
	p = strings.TrimRight(strings.TrimSpace(p), "/\\")
	norm := strings.ToLower(strings.ReplaceAll(p, "\\", "/"))
	for _, seg := range []string{"/bin", "/scripts"} {
		if strings.HasSuffix(norm, seg) && len(norm) > len(seg) {
			d := p[:len(p)-len(seg)]
			if ss.isVenvDir(d) {
				return venvcmd.CleanDir(d), true
			}
		}
	}
	return "", false
}

// isVenvDir reports whether a folder, as written, names a venv: one this
// file creates, a conventional name (venv, .venv, env, .venv311, my-venv),
// or a variable named after one ($VENV, ${VENV_DIR}, $(VENV), $VIRTUAL_ENV).
func (ss *shellSession) isVenvDir(d string) bool {
	d = strings.TrimRight(d, "/\\")
	if d == "" {
		return false
	}
	if ss.created[d] || ss.created[venvcmd.CleanDir(d)] {
		return true
	}
	base := strings.ToLower(d[strings.LastIndexAny(d, "/\\")+1:])
	switch {
	case strings.Contains(base, "venv"), strings.Contains(base, "virtualenv"),
		strings.Contains(base, "virtual_env"), base == "env", base == ".env":
		return true
	}
	return false
}

// systemPackageTools maps package-manager programs to their install
// subcommand, the SystemNeed source, and options that take a value.
var systemPackageTools = map[string]struct {
	sub, source string
	withValue   map[string]bool
}{
	"apt-get":  {"install", "apt", wordSet("-o", "-c", "-t", "--option", "--config-file", "--target-release")},
	"apt":      {"install", "apt", wordSet("-o", "-c", "-t", "--option", "--config-file", "--target-release")},
	"aptitude": {"install", "apt", wordSet("-o", "-t")},
	"apk":      {"add", "apk", wordSet("--virtual", "-t", "-X", "--repository", "--repositories-file", "-p", "--root", "--arch", "--cache-dir", "--keys-dir")},
	"dnf":      {"install", "dnf", wordSet("-c", "--config", "--releasever", "--repo", "--enablerepo", "--disablerepo")},
	"microdnf": {"install", "dnf", wordSet("--enablerepo", "--disablerepo", "--config")},
	"yum":      {"install", "yum", wordSet("-c", "--config", "--releasever", "--enablerepo", "--disablerepo")},
	"brew":     {"install", "brew", wordSet()},
}

// systemPackages records `apt-get install -y libpq-dev ...` and friends,
// each package at the line it is written on. It reports whether prog is
// a system package manager (which is then not recorded as a command).
func (ss *shellSession) systemPackages(prog string, c cmdCall) bool {
	tool, ok := systemPackageTools[prog]
	if !ok {
		return false
	}
	args := c.argv[1:]
	pos := argPositionals(args, tool.withValue)
	if len(pos) == 0 || args[pos[0]] != tool.sub {
		return true
	}
	for _, i := range pos[1:] {
		// A CI template expression in a word (python${{ matrix.v }}-dev)
		// names a package only the CI run knows; its parts are no names.
		if strings.Contains(args[i], "{{") || strings.Contains(args[i], "}}") {
			continue
		}
		// A variable that holds a list ($PKGS = "libpq-dev gcc") gives
		// one word per package, as the shell splits it.
		for _, name := range strings.Fields(strings.ReplaceAll(args[i], "\\\n", " ")) {
			if name = systemPackageName(name, tool.source); name != "" {
				ss.system(name, tool.source, c.lines[i+1])
			}
		}
	}
	return true
}

// systemPackageName is the package an install argument names, without its
// version or architecture; "" for what is not a package name (an
// unresolved variable, a glob, a file).
func systemPackageName(name, source string) string {
	if j := strings.IndexAny(name, "=<>~"); j > 0 {
		name = name[:j] // apt name=1.2*, apk name>=1.2
	}
	if strings.ContainsAny(name, "$*?[`=<>~\\") || name == "" || localPackageFile(name) {
		return ""
	}
	if source == "apt" {
		if j := strings.IndexAny(name, ":/"); j > 0 {
			name = name[:j] // apt name:arch, name/release
		}
	}
	return name
}

// localPackageFile reports an install argument that is a file or URL, not
// a distribution package: `brew install --build-from-source ./httpie.rb`,
// `apt-get install ./pkg.deb`, `dnf install https://.../x.rpm`.
func localPackageFile(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "/") || strings.Contains(name, "://") {
		return true
	}
	for _, ext := range []string{".rb", ".deb", ".rpm", ".apk"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// placeholderPrefix starts every placeholder put into shell text in place
// of a template expression or an unresolved Makefile reference. It is a
// plain shell word, so the parser sees an ordinary literal.
const placeholderPrefix = "V2F"

// placeholders hands out same-length stand-ins for template expressions
// and unresolved Makefile references, and restores them: to the text as
// written (for reports) or to a known value (for reading words, so that
// `$(venvDir)/bin/activate` names .venv when the pipeline says so).
type placeholders struct {
	ids, origs, values []string
}

// put returns a placeholder for orig, of orig's length when it fits.
func (p *placeholders) put(orig string) string { return p.putValue(orig, orig) }

// putValue returns a placeholder for orig whose words read as value.
func (p *placeholders) putValue(orig, value string) string {
	id := placeholderPrefix + placeholderID(len(p.ids)) + "Z"
	if len(id) < len(orig) {
		id += strings.Repeat("_", len(orig)-len(id))
	}
	p.ids = append(p.ids, id)
	p.origs = append(p.origs, orig)
	p.values = append(p.values, value)
	return id
}

// replacer restores the text as written; nil when there is nothing to do.
func (p *placeholders) replacer() *strings.Replacer { return p.build(p.origs) }

// renderer restores known values.
func (p *placeholders) renderer() *strings.Replacer { return p.build(p.values) }

func (p *placeholders) build(to []string) *strings.Replacer {
	if len(p.ids) == 0 {
		return nil
	}
	// Longest first, so that a placeholder never matches a prefix of another.
	order := make([]int, len(p.ids))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(p.ids[order[a]]) > len(p.ids[order[b]]) })
	args := make([]string, 0, 2*len(p.ids))
	for _, i := range order {
		args = append(args, p.ids[i], to[i])
	}
	return strings.NewReplacer(args...)
}

func placeholderID(n int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{digits[n%36]}, b...)
		n /= 36
	}
	return string(b)
}

// maskTemplates replaces every `${{ ... }}` (GitHub Actions, Azure) or
// every open..close pair given in delims with same-length placeholders. An
// expression spanning lines is left alone: replacing it would move lines.
func maskTemplates(src string, ph *placeholders, delims ...[2]string) string {
	return maskTemplatesWith(src, ph, nil, delims...)
}

// maskTemplatesWith is maskTemplates where valueOf may give the value an
// expression stands for.
func maskTemplatesWith(src string, ph *placeholders, valueOf func(expr string) (string, bool), delims ...[2]string) string {
	if len(delims) == 0 {
		delims = [][2]string{{"${{", "}}"}}
	}
	for _, d := range delims {
		var b strings.Builder
		rest := src
		for {
			i := strings.Index(rest, d[0])
			if i < 0 {
				break
			}
			j := strings.Index(rest[i+len(d[0]):], d[1])
			if j < 0 {
				break
			}
			end := i + len(d[0]) + j + len(d[1])
			expr := rest[i:end]
			b.WriteString(rest[:i])
			if strings.Contains(expr, "\n") {
				b.WriteString(rest[i : i+len(d[0])])
				rest = rest[i+len(d[0]):]
				continue
			}
			if v, ok := callValueOf(valueOf, expr); ok {
				b.WriteString(ph.putValue(expr, v))
			} else {
				b.WriteString(ph.put(expr))
			}
			rest = rest[end:]
		}
		b.WriteString(rest)
		src = b.String()
	}
	return src
}

func callValueOf(f func(string) (string, bool), expr string) (string, bool) {
	if f == nil {
		return "", false
	}
	return f(expr)
}
