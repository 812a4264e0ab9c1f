package detect

import (
	"regexp"
	"slices"
	"strings"
)

// How tox environments install: `tox -e dev` (an env with usedevelop or
// package = "editable", the tox-dev convention for a development venv)
// and `tox devenv` put the project, its extras, dependency groups and deps
// into a venv of tox's making. The setup recipe replays them from these
// settings (tox-dev/tox docs/reference/config.rst: package, use_develop,
// skip_install, extras, dependency_groups, deps; `[testenv]` and
// `[env_run_base]` are what every run environment inherits).

// ToxEnv is what one tox environment installs.
type ToxEnv struct {
	// Name is the environment's name; "" is the base every run
	// environment inherits ([testenv], [env_run_base]).
	Name string
	// Package is how the project is installed: "editable" (package =
	// "editable", usedevelop = true), "skip" (skip_install, package =
	// "skip"), another mode ("wheel", "sdist"), or "" when not set.
	Package string
	// Extras and Groups are the project's extras and dependency groups.
	Extras, Groups []string
	// Deps are requirement lines ("pytest>=8", "-r docs/requirements.txt"),
	// with {[section]key} references expanded; lines that hold a condition
	// or substitution this reading cannot decide are dropped.
	Deps []string
	// set records the keys the file gives, so that an environment
	// inherits only the others from the base.
	set      map[string]bool
	Evidence Evidence
}

// ToxEnv returns the settings of the tox environment name, merged over
// the base as tox does; an environment the file does not define (py,
// py312) is the base itself. ok is false without a tox configuration.
func (s SetupSources) ToxEnv(name string) (ToxEnv, bool) {
	var base *ToxEnv
	for i := range s.Tox {
		if s.Tox[i].Name == "" {
			base = &s.Tox[i]
		}
	}
	for _, e := range s.Tox {
		if e.Name != name || name == "" {
			continue
		}
		if base != nil {
			if !e.set["package"] {
				e.Package = base.Package
			}
			if !e.set["extras"] {
				e.Extras = base.Extras
			}
			if !e.set["groups"] {
				e.Groups = base.Groups
			}
			if !e.set["deps"] {
				e.Deps = base.Deps
			}
		}
		return e, true
	}
	if base != nil {
		e := *base
		e.Name = name
		return e, true
	}
	if len(s.Tox) > 0 {
		return ToxEnv{Name: name, Evidence: s.Tox[0].Evidence}, true
	}
	return ToxEnv{}, false
}

// toxEnvsINI reads the environments of tox.ini text (or a pyproject's
// legacy_tox_ini). at gives the evidence of a file line.
func toxEnvsINI(lines []string, at func(int) Evidence) []ToxEnv {
	entries, headers := readToxINI(lines)
	values := map[string]map[string][]string{}
	for _, e := range entries {
		if values[e.section] == nil {
			values[e.section] = map[string][]string{}
		}
		var vs []string
		for _, v := range e.values {
			vs = append(vs, v.text)
		}
		values[e.section][strings.ToLower(e.key)] = vs
	}
	var out []ToxEnv
	for section, line := range headers {
		name, isEnv := "", section == "testenv"
		if n, ok := strings.CutPrefix(section, "testenv:"); ok {
			name, isEnv = strings.TrimSpace(n), true
		}
		if !isEnv || strings.ContainsAny(name, "{},") {
			continue // a generated family of environments (py{311,312}-x)
		}
		kv := values[section]
		env := ToxEnv{Name: name, set: map[string]bool{}, Evidence: at(line)}
		factors := strings.Split(name, "-")
		one := func(key string) (string, bool) {
			v, ok := kv[key]
			if !ok || len(v) == 0 {
				return "", ok
			}
			return strings.ToLower(strings.TrimSpace(v[0])), true
		}
		if v, ok := one("package"); ok {
			env.Package, env.set["package"] = v, true
		}
		for _, key := range []string{"usedevelop", "use_develop"} {
			if v, ok := one(key); ok && !env.set["package"] {
				env.set["package"] = true
				if v == "true" {
					env.Package = "editable"
				}
			}
		}
		if v, ok := one("skip_install"); ok && v == "true" {
			env.Package, env.set["package"] = "skip", true
		}
		list := func(key string) ([]string, bool) {
			v, ok := kv[key]
			var items []string
			for _, l := range v {
				l, ok := toxFactorLine(l, factors)
				if !ok {
					continue
				}
				for _, it := range strings.Split(l, ",") {
					if it = strings.TrimSpace(it); it != "" {
						items = append(items, it)
					}
				}
			}
			return items, ok
		}
		if v, ok := list("extras"); ok {
			env.Extras, env.set["extras"] = v, true
		}
		if v, ok := list("dependency_groups"); ok {
			env.Groups, env.set["groups"] = v, true
		}
		if _, ok := kv["deps"]; ok {
			env.Deps, env.set["deps"] = toxINIDeps(values, section, factors, 0), true
		}
		out = append(out, env)
	}
	sortToxEnvs(out)
	return out
}

// toxReference matches a whole-line {[section]key} reference.
var toxReference = regexp.MustCompile(`^\{\[([^\]]+)\]([A-Za-z_]+)\}$`)

// toxINIDeps returns the requirement lines of section's deps, expanding
// {[section]key} references (depth-limited against cycles).
func toxINIDeps(values map[string]map[string][]string, section string, factors []string, depth int) []string {
	var out []string
	for _, l := range values[section]["deps"] {
		l, ok := toxFactorLine(l, factors)
		if !ok || l == "" {
			continue
		}
		if m := toxReference.FindStringSubmatch(l); m != nil {
			if depth < 8 && strings.ToLower(m[2]) == "deps" {
				out = append(out, toxINIDeps(values, m[1], factors, depth+1)...)
			}
			continue
		}
		if d, ok := toxDep(l); ok {
			out = append(out, d)
		}
	}
	return out
}

// toxDep cleans one requirement line: {toxinidir}/{tox_root} are the
// project's top; a line with another substitution is dropped.
func toxDep(l string) (string, bool) {
	for _, root := range []string{"{toxinidir}/", "{tox_root}/", "{toxinidir}{/}", "{tox_root}{/}"} {
		l = strings.ReplaceAll(l, root, "")
	}
	l = strings.ReplaceAll(strings.ReplaceAll(l, "{toxinidir}", "."), "{tox_root}", ".")
	if strings.ContainsAny(l, "{}") || strings.HasPrefix(l, "#") {
		return "", false
	}
	return strings.TrimSpace(l), true
}

// toxFactorLine applies a factor condition (`py312,dev: pytest`,
// `!win: x`): the line counts when one of its alternatives names only
// factors of the environment. Lines without a condition always count.
func toxFactorLine(l string, factors []string) (string, bool) {
	l = strings.TrimSpace(l)
	cond, rest, ok := strings.Cut(l, ": ")
	if !ok || !isToxFactorCondition(cond) || strings.ContainsAny(cond, "{}") {
		return l, true
	}
	has := func(f string) bool { return slices.Contains(factors, f) }
	for _, alt := range strings.Split(cond, ",") {
		all := true
		for _, f := range strings.Split(strings.TrimSpace(alt), "-") {
			if neg, isNeg := strings.CutPrefix(f, "!"); isNeg {
				all = all && !has(neg)
			} else {
				all = all && has(f)
			}
		}
		if all {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// toxEnvsTOML reads the environments of a TOML tox configuration: tox.toml
// at its top, or pyproject.toml under [tool.tox].
func toxEnvsTOML(d *tomlDoc, prefix ...any) []ToxEnv {
	read := func(name string, path ...any) (ToxEnv, bool) {
		t := d.table(path...)
		if t == nil {
			return ToxEnv{}, false
		}
		env := ToxEnv{Name: name, set: map[string]bool{}, Evidence: d.ev(path...)}
		if v, ok := t["package"].(string); ok {
			env.Package, env.set["package"] = strings.ToLower(v), true
		}
		for _, key := range []string{"use_develop", "usedevelop"} {
			if v, ok := t[key].(bool); ok && !env.set["package"] {
				env.set["package"] = true
				if v {
					env.Package = "editable"
				}
			}
		}
		if v, ok := t["skip_install"].(bool); ok && v {
			env.Package, env.set["package"] = "skip", true
		}
		if v, ok := t["extras"]; ok {
			env.Extras, env.set["extras"] = asStrings(v), true
		}
		if v, ok := t["dependency_groups"]; ok {
			env.Groups, env.set["groups"] = asStrings(v), true
		}
		if v, ok := t["deps"]; ok {
			env.set["deps"] = true
			for _, l := range asStrings(v) {
				if dep, ok := toxDep(l); ok {
					env.Deps = append(env.Deps, dep)
				}
			}
		}
		return env, true
	}
	var out []ToxEnv
	if env, ok := read("", append(prefix, "env_run_base")...); ok {
		out = append(out, env)
	}
	for _, name := range d.keys(append(prefix, "env")...) {
		if env, ok := read(name, append(prefix, "env", name)...); ok {
			out = append(out, env)
		}
	}
	return out
}

// sortToxEnvs orders environments by name, the base first: map order
// must not reach the output.
func sortToxEnvs(envs []ToxEnv) {
	slices.SortFunc(envs, func(a, b ToxEnv) int { return strings.Compare(a.Name, b.Name) })
}
