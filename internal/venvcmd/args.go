package venvcmd

import "strings"

// optTable describes a command's options: each spelling maps to its
// canonical name and whether it takes a value. Options not in a table are
// taken as flags (they take no value).
type optTable map[string]optSpec

type optSpec struct {
	name  string // canonical spelling
	value bool
}

// opts builds a table: each entry lists spellings, the first canonical.
// A leading "=" on the first spelling marks an option that takes a value.
func opts(entries ...[]string) optTable {
	t := optTable{}
	for _, e := range entries {
		value := strings.HasPrefix(e[0], "=")
		canon := strings.TrimPrefix(e[0], "=")
		for i, s := range e {
			if i == 0 {
				s = canon
			}
			t[s] = optSpec{name: canon, value: value}
		}
	}
	return t
}

// merge returns a table holding the entries of all tables.
func merge(tables ...optTable) optTable {
	out := optTable{}
	for _, t := range tables {
		for k, v := range t {
			out[k] = v
		}
	}
	return out
}

// parsedArgs are a command line split into options and positionals.
type parsedArgs struct {
	pos   []string
	posAt []int    // index in args of each positional
	opts  []Option // canonical names, in order
}

// has reports whether an option was given.
func (p parsedArgs) has(name string) bool {
	for _, o := range p.opts {
		if o.Name == name {
			return true
		}
	}
	return false
}

// values returns the values of every occurrence of an option.
func (p parsedArgs) values(name string) []string {
	var out []string
	for _, o := range p.opts {
		if o.Name == name {
			out = append(out, o.Value)
		}
	}
	return out
}

// value returns the last value of an option.
func (p parsedArgs) value(name string) string {
	v := p.values(name)
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// parseArgs splits args by the table, the way optparse, argparse and clap
// read them: `--opt value`, `--opt=value`, `-o value`, `-ovalue`, bundled
// short flags (`-Ur FILE`, `-qe .`) whose last letter may take a value,
// and `--` ending the options. With stopAtPositional, everything from the
// first positional on is positional (the command of `uv run CMD ARGS`).
func parseArgs(args []string, t optTable, stopAtPositional bool) parsedArgs {
	var p parsedArgs
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			p.addPos(args, i+1)
			return p
		case strings.HasPrefix(a, "--"):
			name, val, joined := strings.Cut(a, "=")
			spec, known := t[name]
			if !known {
				p.opts = append(p.opts, Option{Name: name, Value: val})
				continue
			}
			if spec.value && !joined && i+1 < len(args) {
				i++
				val = args[i]
			}
			p.opts = append(p.opts, Option{Name: spec.name, Value: val})
		case strings.HasPrefix(a, "-") && len(a) > 1:
			i = p.shortOptions(args, i, t)
		default:
			if stopAtPositional {
				p.addPos(args, i)
				return p
			}
			p.pos, p.posAt = append(p.pos, a), append(p.posAt, i)
		}
	}
	return p
}

// addPos makes args[from:] positionals.
func (p *parsedArgs) addPos(args []string, from int) {
	for i := from; i < len(args); i++ {
		p.pos, p.posAt = append(p.pos, args[i]), append(p.posAt, i)
	}
}

// shortOptions reads one word of short options starting at args[i] and
// returns the index of the last word it used.
func (p *parsedArgs) shortOptions(args []string, i int, t optTable) int {
	a := args[i]
	if spec, ok := t[a]; ok {
		val := ""
		if spec.value && i+1 < len(args) {
			i++
			val = args[i]
		}
		p.opts = append(p.opts, Option{Name: spec.name, Value: val})
		return i
	}
	// -rFILE, -e., -Ur FILE, -qq: letter by letter.
	for j := 1; j < len(a); j++ {
		spec, ok := t["-"+a[j:j+1]]
		if !ok {
			if j == 1 {
				p.opts = append(p.opts, Option{Name: a}) // an unknown option
				return i
			}
			p.opts = append(p.opts, Option{Name: "-" + a[j:j+1]})
			continue
		}
		if !spec.value {
			p.opts = append(p.opts, Option{Name: spec.name})
			continue
		}
		val := strings.TrimPrefix(a[j+1:], "=")
		if val == "" && i+1 < len(args) {
			i++
			val = args[i]
		}
		p.opts = append(p.opts, Option{Name: spec.name, Value: val})
		return i
	}
	return i
}

// splitList splits a comma- or space-separated option value ("dev,docs",
// "dev docs") into names.
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
}
