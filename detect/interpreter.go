package detect

import (
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/venv2flox/venv2flox/internal/pep440"
	"github.com/venv2flox/venv2flox/internal/yamldoc"
)

// extractPythonVersion reads .python-version as pyenv and uv do: the first
// word of each line is a version ("3.12", "pypy3.10-7.3.12", ">=3.12",
// "3.13t", "cpython@3.12"); "#" starts a comment and "system" means the
// interpreter on PATH. The first version is the one pyenv selects.
func extractPythonVersion(s *scanner, f *textFile) {
	for i, line := range f.Lines() {
		line, _, _ = strings.Cut(line, "#")
		fields := strings.Fields(line)
		if len(fields) == 0 || fields[0] == "system" {
			continue
		}
		addPythonRequest(s, KindPythonVersion, fields[0], f.Ev(i+1))
	}
}

// extractRuntimeTxt reads a Heroku-style runtime.txt: "python-3.11.4".
func extractRuntimeTxt(s *scanner, f *textFile) {
	for i, line := range f.Lines() {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, ok := strings.CutPrefix(line, "python-")
		if !ok {
			s.problem(f.Ev(i+1), "runtime.txt: expected python-X.Y.Z, got "+quoteShort(line))
			return
		}
		addPythonRequest(s, KindRuntimeTxt, v, f.Ev(i+1))
		return
	}
}

// extractToolVersions reads asdf's .tool-versions: "python 3.11.4 3.10.2"
// installs both, the first being the default.
func extractToolVersions(s *scanner, f *textFile) {
	// asdf names Node.js "nodejs"; mise reads the file too, as "node".
	for i, line := range f.Lines() {
		line, _, _ = strings.Cut(line, "#")
		fields := strings.Fields(line)
		if len(fields) >= 2 && (fields[0] == "nodejs" || fields[0] == "node") {
			addToolRequest(s, "node", fields[1], f.Ev(i+1))
		}
		if len(fields) < 2 || fields[0] != "python" {
			continue
		}
		for _, v := range fields[1:] {
			if v == "system" || strings.HasPrefix(v, "ref:") || strings.HasPrefix(v, "path:") {
				continue
			}
			if notedAsFloor(f, i+1) && !startsWithOperator(v) {
				v = ">=" + v
			}
			addPythonRequest(s, KindToolVersions, v, f.Ev(i+1))
		}
	}
}

// notedAsFloor reports whether a comment on the line, or the comment lines
// right above it, says its version is the oldest supported ("# minimal
// version we support"): the project asks mise or asdf for its minimum so
// that contributors test it, and the version is a floor (">=3.11"), not the
// Python to develop on.
func notedAsFloor(f *textFile, line int) bool {
	lines := f.Lines()
	if line < 1 || line > len(lines) {
		return false
	}
	var notes []string
	if _, c, ok := strings.Cut(lines[line-1], "#"); ok {
		notes = append(notes, c)
	}
	for i := line - 2; i >= 0; i-- {
		c, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "#")
		if !ok {
			break
		}
		notes = append(notes, c)
	}
	for _, c := range notes {
		for _, w := range strings.FieldsFunc(strings.ToLower(c), func(r rune) bool { return !unicode.IsLetter(r) }) {
			switch w {
			case "min", "minimal", "minimum", "oldest", "lowest":
				return true
			}
		}
	}
	return false
}

// extractMise reads mise.toml's [tools] python = "3.12", ["3.12", "3.11"]
// (the first is the default) or {version = "3.12", ...}, and node = "22".
func extractMise(s *scanner, f *textFile) {
	d, ok := parseTOML(s, f)
	if !ok {
		return
	}
	if node, ok := d.get("tools", "node"); ok {
		if version, ok := node.(string); ok {
			addToolRequest(s, "node", version, d.ev("tools", "node"))
		}
	}
	v, ok := d.get("tools", "python")
	if !ok {
		return
	}
	switch v := v.(type) {
	case string:
		ev := d.ev("tools", "python")
		addMiseVersion(s, v, notedAsFloor(f, ev.Line), ev)
	case []any:
		for i, item := range v {
			switch item := item.(type) {
			case string:
				addMiseVersion(s, item, false, d.ev("tools", "python", i))
			case map[string]any:
				if ver, ok := item["version"].(string); ok {
					addMiseVersion(s, ver, false, d.ev("tools", "python", i))
				}
			}
		}
	case map[string]any:
		if ver, ok := v["version"].(string); ok {
			addMiseVersion(s, ver, false, d.ev("tools", "python", "version"))
		}
	default:
		s.problem(d.ev("tools", "python"), "tools.python: expected a version string, array or table, got "+tomlType(v))
	}
}

// addMiseVersion skips mise's non-version requests ("latest", "system",
// "ref:...", "path:...") and records the rest; "prefix:3.12" means 3.12.x;
// floor makes the version a minimum.
func addMiseVersion(s *scanner, v string, floor bool, ev Evidence) {
	v = strings.TrimSpace(v)
	if v == "latest" || v == "system" || strings.HasPrefix(v, "ref:") || strings.HasPrefix(v, "path:") || strings.HasPrefix(v, "sub-") {
		return
	}
	v = strings.TrimPrefix(v, "prefix:")
	if floor && !startsWithOperator(v) {
		v = ">=" + v
	}
	addPythonRequest(s, KindMise, v, ev)
}

// addPythonRequest records one interpreter request written as a version,
// or reports what it cannot read.
func addPythonRequest(s *scanner, kind FileKind, word string, ev Evidence) {
	r, ok := ParsePythonRequest(word)
	if !ok {
		s.problem(ev, "not a Python version: "+quoteShort(word))
		return
	}
	r.Source, r.Evidence = kind, ev
	s.p.Interpreters = append(s.p.Interpreters, r)
}

// ParsePythonRequest reads a Python version request in the forms pyenv,
// uv, asdf and mise accept:
//
//	3.12  3.12.4  3.13t  3.13+freethreaded  >=3.12  ==3.11.*
//	cpython@3.12  pypy@3.10  cpython3.12  pypy3.10  pypy3.10-7.3.12
//	cpython-3.12.4-linux-x86_64-gnu  3.12-dev  3.13.0rc1
//
// Spec keeps the Python version or specifier; Implementation is set for
// non-CPython interpreters.
func ParsePythonRequest(word string) (InterpreterRequest, bool) {
	w := strings.ToLower(strings.TrimSpace(word))
	var r InterpreterRequest
	if w == "" {
		return r, false
	}
	if startsWithOperator(w) {
		if _, err := pep440.ParseSpecifier(w); err != nil {
			return r, false
		}
		r.Spec = strings.Join(strings.Fields(w), "")
		return r, true
	}
	// Implementation: "cpython@3.12", "pypy3.10", "cpython-3.12.4-...".
	for _, impl := range []string{"cpython", "python", "pypy", "graalpy"} {
		rest, ok := strings.CutPrefix(w, impl)
		if !ok {
			continue
		}
		rest = strings.TrimLeft(rest, "@-")
		if impl == "pypy" || impl == "graalpy" {
			r.Implementation = impl
		}
		w = rest
		break
	}
	// uv's download names end in -os-arch-libc; pyenv's PyPy names in
	// -<pypy version>; the Python version comes first either way.
	w, _, _ = strings.Cut(w, "-")
	if base, ok := strings.CutSuffix(w, "+freethreaded"); ok {
		w, r.FreeThreaded = base, true
	}
	if base, ok := strings.CutSuffix(w, "t"); ok && base != "" && isDigitByte(base[len(base)-1]) {
		w, r.FreeThreaded = base, true
	}
	if w == "" && r.Implementation != "" {
		return r, true // "pypy": any version of it
	}
	v, err := pep440.ParseVersion(w)
	if err == nil && r.Implementation == "graalpy" && v.Release[0] > 3 {
		return r, true // "graalpy-24.1.0": GraalPy's own version, not Python's
	}
	if err != nil || len(v.Local) > 0 || v.Epoch != 0 || v.Release[0] < 2 || v.Release[0] > 3 {
		return r, false
	}
	r.Spec = w
	return r, true
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// extractCondaEnv reads a conda environment file: python in dependencies
// is an interpreter request, the pip list holds requirements, and every
// other conda package is a system need (the planner maps conda names).
func extractCondaEnv(s *scanner, f *textFile) {
	doc, err := yamldoc.Parse([]byte(f.Text))
	if err != nil {
		s.problem(f.Ev(ciYAMLErrorLine(err)), "invalid YAML: "+err.Error())
		return
	}
	root := yamldoc.Root(doc)
	if root == nil || root.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "dependencies" {
			continue
		}
		deps := root.Content[i+1]
		s.p.Managers = append(s.p.Managers, ManagerUse{Manager: ManagerConda, Strength: 2, Reason: "conda environment file", Evidence: f.Ev(root.Content[i].Line)})
		if deps.Kind != yaml.SequenceNode {
			s.problem(f.Ev(deps.Line), "dependencies: expected a list")
			return
		}
		for _, item := range deps.Content {
			condaDependency(s, f, item)
		}
	}
}

func condaDependency(s *scanner, f *textFile, item *yaml.Node) {
	ev := f.Ev(item.Line)
	switch item.Kind {
	case yaml.ScalarNode:
		name, spec := splitCondaSpec(item.Value)
		switch name {
		case "":
			s.problem(ev, "dependencies: cannot read "+quoteShort(item.Value))
		case "python":
			if spec == "" {
				return
			}
			r := InterpreterRequest{Source: KindCondaEnv, Spec: spec, Evidence: ev}
			if _, err := InterpreterSpecifier(r); err != nil {
				s.problem(ev, "python: invalid version "+quoteShort(spec))
			}
			s.p.Interpreters = append(s.p.Interpreters, r)
		case "pip":
			// pip itself; its list follows as {pip: [...]}.
		default:
			s.p.System = append(s.p.System, SystemNeed{Name: name, Source: "conda", Evidence: ev})
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(item.Content); i += 2 {
			if item.Content[i].Value != "pip" {
				continue
			}
			list := item.Content[i+1]
			if list.Kind != yaml.SequenceNode {
				s.problem(f.Ev(list.Line), "pip: expected a list of requirements")
				continue
			}
			// conda writes the list to a requirements file next to this one
			// and runs pip on it, so -r and -e lines work as in one.
			r := &reqReader{s: s, emit: true, done: map[string]bool{}}
			for _, req := range list.Content {
				if req.Kind != yaml.ScalarNode {
					s.problem(f.Ev(req.Line), "pip: expected a requirement string")
					continue
				}
				text := strings.TrimSpace(stripComment(req.Value))
				if text != "" {
					r.line(f, logicalLine{n: req.Line, text: text}, "", false, []includeStep{{file: f.Path}})
				}
			}
		}
	default:
		s.problem(ev, "dependencies: expected a package spec")
	}
}

// splitCondaSpec splits a conda match spec ("conda-forge::numpy>=1.26",
// "python=3.10", "python 3.10.*", "python=3.10.4=h12345_0") into the
// package name and a version spec in PEP 440 form ("=3.10" becomes "3.10",
// which means any 3.10.x).
func splitCondaSpec(spec string) (name, version string) {
	spec = strings.TrimSpace(spec)
	if i := strings.Index(spec, "::"); i >= 0 {
		spec = spec[i+2:]
	}
	i := strings.IndexAny(spec, "=<>!~ ")
	if i < 0 {
		return strings.ToLower(spec), ""
	}
	name = strings.ToLower(strings.TrimSpace(spec[:i]))
	rest := strings.TrimSpace(spec[i:])
	switch {
	case strings.HasPrefix(rest, "=="):
	case strings.HasPrefix(rest, "="):
		rest = rest[1:]
		rest, _, _ = strings.Cut(rest, "=") // drop the build string
	case !startsWithOperator(rest):
		rest, _, _ = strings.Cut(rest, " ") // "python 3.10.* *_cpython"
	}
	return name, strings.Join(strings.Fields(rest), "")
}
