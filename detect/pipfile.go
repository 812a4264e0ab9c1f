package detect

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"sort"
	"strings"
)

// extractPipfile reads a Pipfile: [packages] (main), [dev-packages]
// ("dev") and other *-packages categories, [requires] python versions and
// [[source]] indexes. A Pipfile is Pipenv's manifest.
func extractPipfile(s *scanner, f *textFile) {
	d, ok := parseTOML(s, f)
	if !ok {
		return
	}
	s.p.Managers = append(s.p.Managers, ManagerUse{Manager: ManagerPipenv, Strength: 2, Reason: "Pipfile", Evidence: d.ev("packages")})
	for _, category := range d.keys() {
		group, ok := pipfileGroup(category)
		if !ok {
			continue
		}
		for _, name := range d.keys(category) {
			ev := d.ev(category, name)
			r, err := pipfileDependency(name, d.table(category)[name])
			if err != nil {
				s.problem(ev, category+"."+name+": "+err.Error())
				continue
			}
			r.Group, r.Evidence = group, ev
			s.p.Requirements = append(s.p.Requirements, r)
		}
	}
	for _, key := range []string{"python_version", "python_full_version"} {
		if v, ok := d.get("requires", key); ok {
			lockInterpreter(s, d, KindPipfile, v, "requires", key)
		}
	}
	for i := range d.array("source") {
		if url, _ := d.getString("source", i, "url"); url != "" {
			s.p.Indexes = append(s.p.Indexes, PackageIndex{URL: url, Kind: "pipenv-source", Evidence: d.ev("source", i)})
		}
	}
}

// pipfileGroup maps a Pipfile table to a dependency group: [packages] is
// the main group, [dev-packages] "dev", and [docs-packages] "docs".
func pipfileGroup(table string) (string, bool) {
	switch table {
	case "packages":
		return "", true
	case "dev-packages":
		return "dev", true
	}
	if g, ok := strings.CutSuffix(table, "-packages"); ok && g != "" {
		return NormalizeName(g), true
	}
	return "", false
}

// pipfileDependency reads name = "*" | "==1.0" | {version, extras, markers,
// path, editable, git, ref, file, ...}.
func pipfileDependency(name string, v any) (Requirement, error) {
	r := Requirement{Name: NormalizeName(name)}
	var version string
	switch v := v.(type) {
	case string:
		version = v
	case map[string]any:
		version, _ = v["version"].(string)
		for _, e := range asStrings(v["extras"]) {
			r.Extras = append(r.Extras, NormalizeName(e))
		}
		if m, ok := v["markers"].(string); ok {
			norm, err := parseMarker(m)
			if err != nil {
				return r, err
			}
			r.Marker = norm
		}
		// Pipenv also takes single markers as keys: sys_platform = "== 'win32'".
		for _, key := range sortedKeys(v) {
			cond, ok := v[key].(string)
			if !ok || !slices.Contains(markerVariables, key) || strings.Contains(key, ".") || key == "extra" {
				continue
			}
			m, err := parseMarker(key + " " + cond)
			if err != nil {
				return r, err
			}
			r.Marker = andMarkers(r.Marker, m)
		}
		if p, ok := v["path"].(string); ok {
			r.Path = p
			r.Editable, _ = v["editable"].(bool)
		}
		if u, ok := v["file"].(string); ok {
			r.URL = u
		}
		if g, ok := v["git"].(string); ok {
			r.URL = "git+" + strings.TrimPrefix(g, "git+")
			if ref, ok := v["ref"].(string); ok {
				r.URL += "@" + ref
			}
			r.Editable, _ = v["editable"].(bool)
		}
	default:
		return r, errors.New("expected a version string or a table, got " + tomlType(v))
	}
	version = strings.TrimSpace(version)
	if version != "" && version != "*" {
		spec := strings.Join(strings.Fields(version), "")
		if _, err := ParseRequirement("x" + spec); err != nil || !startsWithOperator(spec) {
			return r, errors.New("invalid version " + quoteShort(version))
		}
		r.Specifier = spec
	}
	return r, nil
}

// extractPipfileLock reads Pipfile.lock (JSON): the Pipenv manager,
// _meta.requires python versions and the locked packages of every
// category ("default", "develop", ...).
func extractPipfileLock(s *scanner, f *textFile) {
	var lock struct {
		Meta struct {
			Requires map[string]any `json:"requires"`
		} `json:"_meta"`
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal([]byte(f.Text), &all); err != nil {
		s.problem(f.Ev(jsonErrorLine(f.Text, err)), "invalid JSON: "+err.Error())
		return
	}
	_ = json.Unmarshal(all["_meta"], &lock.Meta)
	lines := jsonKeyLines(f.Text)
	s.p.Managers = append(s.p.Managers, ManagerUse{Manager: ManagerPipenv, Strength: 3, Reason: "Pipfile.lock", Evidence: f.Ev(lines["_meta"])})
	for _, key := range []string{"python_version", "python_full_version"} {
		v, ok := lock.Meta.Requires[key].(string)
		if !ok {
			continue
		}
		ev := f.Ev(lines["_meta\x1frequires\x1f"+key])
		if _, err := interpreterSpecifier(KindPipfileLock, v); err != nil {
			s.problem(ev, "_meta.requires."+key+": invalid version "+quoteShort(v))
		}
		s.p.Interpreters = append(s.p.Interpreters, InterpreterRequest{Source: KindPipfileLock, Spec: strings.TrimSpace(v), Evidence: ev})
	}
	categories := make([]string, 0, len(all))
	for k := range all {
		if k != "_meta" {
			categories = append(categories, k)
		}
	}
	sort.Strings(categories)
	for _, cat := range categories {
		var pkgs map[string]struct {
			Version  string `json:"version"`
			Git      string `json:"git"`
			Path     string `json:"path"`
			File     string `json:"file"`
			Editable bool   `json:"editable"`
			Markers  string `json:"markers"`
		}
		if err := json.Unmarshal(all[cat], &pkgs); err != nil {
			s.problem(f.Ev(lines[cat]), "Pipfile.lock "+cat+": expected an object of packages")
			continue
		}
		names := make([]string, 0, len(pkgs))
		for n := range pkgs {
			names = append(names, n)
		}
		sort.Slice(names, func(i, j int) bool { return lines[cat+"\x1f"+names[i]] < lines[cat+"\x1f"+names[j]] })
		for _, n := range names {
			pkg := pkgs[n]
			if pkg.Path != "" || pkg.Editable && pkg.Git == "" {
				continue // the project's own code
			}
			s.p.Locked = append(s.p.Locked, LockedPackage{
				Name:      NormalizeName(n),
				Version:   strings.TrimPrefix(pkg.Version, "=="),
				Evidence:  f.Ev(lines[cat+"\x1f"+n]),
				SdistOnly: pkg.Git != "" || pkg.File != "" && !strings.HasSuffix(pkg.File, ".whl"),
				Sections:  []string{cat},
				Marker:    pkg.Markers,
			})
		}
	}
}

// jsonKeyLines maps the path of every object key ("default\x1frequests") in
// a JSON document to its line.
func jsonKeyLines(text string) map[string]int {
	lines := map[string]int{}
	dec := json.NewDecoder(strings.NewReader(text))
	type frame struct {
		object bool
		key    string
		expect bool // next string token in this object is a key
	}
	var stack []frame
	path := func() []string {
		var p []string
		for _, f := range stack {
			if f.object && f.key != "" {
				p = append(p, f.key)
			}
		}
		return p
	}
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return lines
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expect {
			if k, ok := tok.(string); ok {
				stack[n-1].key = k
				stack[n-1].expect = false
				// The key starts after whitespace and the comma before it.
				start := int(off) + strings.IndexByte(text[off:], '"')
				lines[strings.Join(path(), "\x1f")] = 1 + strings.Count(text[:start], "\n")
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, expect: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
		// A value ended: the enclosing object expects its next key.
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].expect = true
		}
	}
}

// jsonErrorLine finds the line of a JSON syntax error.
func jsonErrorLine(text string, err error) int {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset <= int64(len(text)) {
		return 1 + bytes.Count([]byte(text[:se.Offset]), []byte("\n"))
	}
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) && ue.Offset <= int64(len(text)) {
		return 1 + strings.Count(text[:ue.Offset], "\n")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return 1 + strings.Count(text, "\n")
	}
	return 0
}
