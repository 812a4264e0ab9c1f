package rewrite

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// The venv moves to .flox/cache/venv, inside the project. Linters,
// formatters and test runners that walk the tree skipped the old venv
// because their settings list it; they must skip .flox too, or `flake8 .`
// lints the venv's site-packages and pytest collects from it. Only
// options the project sets, and that list the old venv, change: where an
// option is unset, the tool's default already keeps out of .flox:
//
//   - pytest: the default norecursedirs has ".*" (pytest
//     src/_pytest/main.py), and a folder holding pyvenv.cfg is never
//     collected (_in_venv, same file), so .flox/cache/venv stays out even
//     where norecursedirs is set; .flox/run, which links to the
//     environment's store paths, does not, hence the edit.
//   - black: with `exclude` unset it skips what .gitignore files at every
//     level ignore (black src/black/files.py gen_python_files), and
//     .flox/.gitignore ignores cache/ and run/; a set `exclude` turns the
//     .gitignore files off, hence the edit. extend-exclude keeps them on.
//   - ruff: respect-gitignore is on unless turned off, and exclude does
//     not change that (ruff settings docs), so .flox/.gitignore keeps it
//     out; not edited.
//   - mypy: walking a folder, it skips names starting with "." (mypy
//     find_sources.py); not edited.
//   - flake8: the default exclude (.svn, CVS, .bzr, .hg, .git,
//     __pycache__, .tox, .nox, .eggs, *.egg; flake8 src/flake8/defaults.py)
//     never listed the venv either; a set exclude or extend-exclude that
//     lists it gets .flox.
//   - isort: the default skip lists .venv and venv (isort settings.py
//     DEFAULT_SKIP) but not .flox; a set skip or extend_skip that lists
//     the venv gets .flox.
//
// flake8 and isort run over the whole tree (ctx.TreeWalkers) also get
// .flox in their section's extend option where nothing listed the venv:
// in CI the old venv was outside the checkout, now it is inside.

// iniExcludes are the list options of INI files (setup.cfg, tox.ini,
// .flake8, pytest.ini, .isort.cfg), by section.
var iniExcludes = map[string][]string{
	"flake8":      {"exclude", "extend-exclude", "extend_exclude"},
	"pytest":      {"norecursedirs"},
	"tool:pytest": {"norecursedirs"},
	"isort":       {"skip", "extend_skip", "extend-skip"},
	"tool:isort":  {"skip", "extend_skip", "extend-skip"},
	"settings":    {"skip", "extend_skip", "extend-skip"}, // .isort.cfg
}

// tomlExcludes are the list options of pyproject.toml.
var tomlExcludes = []string{
	"tool.pytest.ini_options.norecursedirs",
	"tool.isort.skip", "tool.isort.extend_skip",
}

// ToolExcludes adds .flox beside the old venv in the exclude options of
// flake8, pytest, isort and black.
func ToolExcludes(ctx *Context, p string, src []byte) (Result, error) {
	res := Result{New: src}
	if ctx.KeepVenv || !strings.Contains(string(src), "venv") && len(ctx.TreeWalkers) == 0 {
		return res, nil
	}
	var edits []Edit
	if path.Base(p) == "pyproject.toml" {
		edits = tomlExcludeEdits(ctx, src)
	} else {
		edits = iniExcludeEdits(ctx, p, src)
	}
	out, err := applyEdits(src, edits)
	if err != nil {
		return res, err
	}
	res.New = out
	return res, nil
}

// excludeEntry is one item of an exclude list and where it is.
type excludeEntry struct {
	text       string // the item as written (".venv/*")
	start, end int
}

// floxEntry returns the item to add after the list's venv item, written
// the same way (".venv/*" gives ".flox/*"), or "" when the list names no
// venv or already keeps .flox out.
func floxEntry(ctx *Context, items []excludeEntry) (after int, entry string) {
	after = -1
	for i, it := range items {
		norm := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(it.text, "./"), "*/"), "/*"), "/")
		if ok, _ := path.Match(norm, ".flox"); ok || norm == ".flox" {
			return -1, "" // ".*" or ".flox" already
		}
		if after >= 0 {
			continue
		}
		for _, d := range append(dcVenvDirs(ctx), ".venv", "venv") {
			if norm == d {
				after, entry = i, strings.Replace(it.text, d, ".flox", 1)
				break
			}
		}
	}
	return after, entry
}

// walkerOptions are, per tool that walks the whole tree, the INI option
// that adds to its default excludes (flake8 does not read pyproject.toml;
// isort's [tool.isort] takes extend_skip too).
var walkerOptions = map[string]string{"flake8": "extend-exclude", "isort": "extend_skip"}

// sectionTool is the tool an INI section configures, for walkerOptions.
func sectionTool(p, section string) string {
	switch section {
	case "flake8":
		return "flake8"
	case "isort", "tool:isort":
		return "isort"
	case "settings":
		if path.Base(p) == ".isort.cfg" {
			return "isort"
		}
	}
	return ""
}

// iniSection is what iniExcludeEdits learnt of one section.
type iniSection struct {
	tool      string
	header    int            // its line
	flox      bool           // a list keeps .flox out, or gets it
	extend    []excludeEntry // the items of its extend option, if set
	extendKey int            // the line the extend option starts on
}

// iniExcludeEdits edits the INI list options of iniExcludes, and gives a
// tool of ctx.TreeWalkers .flox in its section's extend option.
func iniExcludeEdits(ctx *Context, p string, src []byte) []Edit {
	starts, contentEnds, ends := dcFileLines(src)
	line := func(l int) string { return string(src[starts[l]:contentEnds[l]]) }
	var edits []Edit
	var sections []*iniSection
	var cur *iniSection
	section := ""
	for l := 0; l < len(starts); l++ {
		t := line(l)
		trimmed := strings.TrimSpace(t)
		if strings.HasPrefix(trimmed, "[") && strings.HasSuffix(trimmed, "]") {
			section = strings.TrimSpace(trimmed[1 : len(trimmed)-1])
			cur = &iniSection{tool: sectionTool(p, section), header: l}
			sections = append(sections, cur)
			continue
		}
		keys := iniExcludes[section]
		sep := strings.IndexAny(t, "=:")
		if len(keys) == 0 || t == "" || t[0] == ' ' || t[0] == '\t' || sep < 0 {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(t[:sep]))
		if !slices.Contains(keys, key) {
			continue
		}
		// The value: the rest of the line and the indented lines after it.
		last := l
		for last+1 < len(starts) && (strings.HasPrefix(line(last+1), " ") || strings.HasPrefix(line(last+1), "\t")) &&
			strings.TrimSpace(line(last+1)) != "" {
			last++
		}
		spaces := section == "pytest" || section == "tool:pytest" // pytest splits on whitespace
		var items []excludeEntry
		for v := l; v <= last; v++ {
			from := starts[v]
			if v == l {
				from += sep + 1
			}
			text := string(src[from:contentEnds[v]])
			if i := strings.Index(text, " #"); i >= 0 {
				text = text[:i]
			}
			items = append(items, iniItems(text, from, spaces)...)
		}
		if cur != nil && cur.tool != "" && strings.ReplaceAll(key, "-", "_") == strings.ReplaceAll(walkerOptions[cur.tool], "-", "_") {
			cur.extend, cur.extendKey = items, l
		}
		after, entry := floxEntry(ctx, items)
		if after < 0 {
			if cur != nil && entry == "" && keepsFloxOut(items) {
				cur.flox = true
			}
			l = last
			continue
		}
		if cur != nil {
			cur.flox = true
		}
		edits = append(edits, iniListEdit(src, starts, contentEnds, ends, l, items[after], entry, spaces)...)
		l = last
	}
	for _, sec := range sections {
		if sec.tool == "" || sec.flox || !slices.Contains(ctx.TreeWalkers, sec.tool) {
			continue
		}
		if n := len(sec.extend); n > 0 {
			edits = append(edits, iniListEdit(src, starts, contentEnds, ends, sec.extendKey, sec.extend[n-1], ".flox", false)...)
			continue
		}
		nl := string(src[contentEnds[sec.header]:ends[sec.header]])
		if nl == "" {
			nl = newline(src)
			edits = append(edits, Edit{Start: ends[sec.header], End: ends[sec.header], Text: nl})
		}
		edits = append(edits, Edit{Start: ends[sec.header], End: ends[sec.header],
			Text: walkerOptions[sec.tool] + " = .flox" + nl})
	}
	return edits
}

// keepsFloxOut reports whether a list already names .flox (or ".*").
func keepsFloxOut(items []excludeEntry) bool {
	return slices.ContainsFunc(items, func(it excludeEntry) bool {
		norm := strings.Trim(strings.TrimPrefix(strings.TrimPrefix(it.text, "./"), "*/"), "/*")
		ok, _ := path.Match(norm, ".flox")
		return ok || norm == ".flox"
	})
}

// iniListEdit adds entry after item it of an INI list option that starts
// on line l: on a line of the same shape when the list has one item a
// line, else after the item.
func iniListEdit(src []byte, starts, contentEnds, ends []int, l int, it excludeEntry, entry string, spaces bool) []Edit {
	line := func(l int) string { return string(src[starts[l]:contentEnds[l]]) }
	itLine := dcLineOf(starts, it.start)
	if itLine > l && strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line(itLine)), ",")) == it.text {
		// One item a line: a line of the same shape after it.
		copyLine := line(itLine)
		at := strings.Index(copyLine, it.text)
		nl := string(src[contentEnds[itLine]:ends[itLine]])
		var edits []Edit
		if nl == "" {
			nl = newline(src)
			edits = append(edits, Edit{Start: ends[itLine], End: ends[itLine], Text: nl})
		}
		return append(edits, Edit{Start: ends[itLine], End: ends[itLine],
			Text: copyLine[:at] + entry + copyLine[at+len(it.text):] + nl})
	}
	join := " "
	if !spaces {
		join = ", "
		if rest := string(src[it.end:contentEnds[itLine]]); strings.HasPrefix(rest, ",") && !strings.HasPrefix(rest, ", ") {
			join = ","
		}
	}
	return []Edit{{Start: it.end, End: it.end, Text: join + entry}}
}

// iniItems splits an INI list value at offset off into its items: commas
// (flake8, isort) or whitespace (pytest).
func iniItems(text string, off int, spaces bool) []excludeEntry {
	var out []excludeEntry
	isSep := func(c byte) bool { return c == ' ' || c == '\t' || !spaces && c == ',' }
	for i := 0; i < len(text); {
		if isSep(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && !isSep(text[j]) {
			j++
		}
		out = append(out, excludeEntry{text: text[i:j], start: off + i, end: off + j})
		i = j
	}
	return out
}

// tomlExcludeEdits edits pyproject.toml: the arrays of tomlExcludes and
// [tool.black] exclude.
func tomlExcludeEdits(ctx *Context, src []byte) []Edit {
	var edits []Edit
	isortFlox := false             // isort's skip lists keep .flox out, or get it
	var isortExtend []excludeEntry // [tool.isort] extend_skip, when an array
	ok := tomlKeyValues(src, func(key string, v *unstable.Node) {
		if key == "tool.isort.skip" || key == "tool.isort.extend_skip" || key == "tool.isort.extend-skip" {
			isortFlox = isortFlox || v.Kind != unstable.Array // not a list: left to people
		}
		switch {
		case key == "tool.black.exclude" && v.Kind == unstable.String:
			start := int(v.Raw.Offset)
			if ed, ok := blackExcludeEdit(string(src[start:start+int(v.Raw.Length)]), start); ok {
				edits = append(edits, ed)
			}
		case slices.Contains(tomlExcludes, strings.ReplaceAll(key, "-", "_")) && v.Kind == unstable.Array:
			var items []excludeEntry
			for it := v.Children(); it.Next(); {
				c := it.Node()
				if c.Kind != unstable.String {
					continue
				}
				start := int(c.Raw.Offset)
				items = append(items, excludeEntry{text: string(c.Data), start: start, end: start + int(c.Raw.Length)})
			}
			if ed, ok := tomlArrayEdit(ctx, src, items); ok {
				edits = append(edits, ed)
				isortFlox = isortFlox || strings.HasPrefix(key, "tool.isort.")
			} else if strings.HasPrefix(key, "tool.isort.") && keepsFloxOut(items) {
				isortFlox = true
			}
			if strings.HasPrefix(key, "tool.isort.extend") {
				isortExtend = items
			}
		case key == "tool.pytest.ini_options.norecursedirs" && v.Kind == unstable.String:
			start := int(v.Raw.Offset)
			lit := string(src[start : start+int(v.Raw.Length)])
			q := len(lit) - len(strings.TrimLeft(lit, `"'`))
			items := iniItems(lit[q:len(lit)-q], start+q, true)
			if after, entry := floxEntry(ctx, items); after >= 0 {
				edits = append(edits, Edit{Start: items[after].end, End: items[after].end, Text: " " + entry})
			}
		}
	})
	if !ok {
		return nil
	}
	if isortFlox || !slices.Contains(ctx.TreeWalkers, "isort") {
		return edits
	}
	if n := len(isortExtend); n > 0 {
		it := isortExtend[n-1]
		return append(edits, Edit{Start: it.end, End: it.end, Text: ", " + string(src[it.start]) + ".flox" + string(src[it.start])})
	}
	if at, ok := tomlTableBody(src, "tool.isort"); ok {
		nl := newline(src)
		if at == len(src) && (at == 0 || src[at-1] != '\n') {
			return append(edits, Edit{Start: at, End: at, Text: nl + `extend_skip = [".flox"]`})
		}
		edits = append(edits, Edit{Start: at, End: at, Text: `extend_skip = [".flox"]` + nl})
	}
	return edits
}

// tomlArrayEdit adds .flox after the venv's item of a TOML array of
// strings: on a line of its own when the venv's item has one.
func tomlArrayEdit(ctx *Context, src []byte, items []excludeEntry) (Edit, bool) {
	after, entry := floxEntry(ctx, items)
	if after < 0 {
		return Edit{}, false
	}
	it := items[after]
	lit := string(src[it.start:it.end])
	q := lit[:1]
	starts, contentEnds, ends := dcFileLines(src)
	l := dcLineOf(starts, it.start)
	lineText := string(src[starts[l]:contentEnds[l]])
	if strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(lineText), ",")) == lit {
		at := strings.Index(lineText, lit)
		return Edit{Start: ends[l], End: ends[l], Text: lineText[:at] + q + entry + q + lineText[at+len(lit):] + string(src[contentEnds[l]:ends[l]])}, true
	}
	return Edit{Start: it.end, End: it.end, Text: ", " + q + entry + q}, true
}

// blackVenv finds the venv in an alternation of black's exclude regex:
// `\.venv` (`\\.venv` in a basic string) or `venv` right after "(", "|"
// or a blank (verbose regexes).
var blackVenv = regexp.MustCompile(`(^|[(|\s'"])((?:\\)?\\\.venv|venv)([)|/\s]|$)`)

// blackExcludeEdit adds `\.flox|` before the venv's alternative of a
// [tool.black] exclude literal starting at off.
func blackExcludeEdit(lit string, off int) (Edit, bool) {
	if strings.Contains(lit, "flox") {
		return Edit{}, false
	}
	m := blackVenv.FindStringSubmatchIndex(lit)
	if m == nil {
		return Edit{}, false
	}
	text := `\.flox|`
	if strings.HasPrefix(lit[m[4]:], `\\`) {
		text = `\\.flox|` // a basic string escapes its backslashes
	}
	return Edit{Start: off + m[4], End: off + m[4], Text: text}, true
}

// both runs two rewriters over a file, one after the other.
func both(a, b Func) Func {
	return func(ctx *Context, p string, src []byte) (Result, error) {
		first, err := a(ctx, p, src)
		if err != nil {
			return first, err
		}
		second, err := b(ctx, p, first.New)
		second.FollowUps = append(first.FollowUps, second.FollowUps...)
		return second, err
	}
}
