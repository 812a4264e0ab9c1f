package rewrite

import (
	"bytes"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// tomlString is a string value of a TOML document with its full key
// ("tool.pyright.venv") and the byte range of its literal, quotes included.
type tomlString struct {
	key        string
	value      string
	start, end int
}

// tomlStrings lists the string values of a TOML document assigned with
// `key = "..."`, in source order; nil when the document does not parse.
func tomlStrings(src []byte) []tomlString {
	var out []tomlString
	ok := tomlKeyValues(src, func(key string, v *unstable.Node) {
		if v.Kind == unstable.String {
			start := int(v.Raw.Offset)
			out = append(out, tomlString{key: key, value: string(v.Data), start: start, end: start + int(v.Raw.Length)})
		}
	})
	if !ok {
		return nil
	}
	return out
}

// tomlKeyValues calls visit with the full key ("tool.black.exclude") and
// the value of each `key = value` of a TOML document, in source order; it
// reports false when the document does not parse.
func tomlKeyValues(src []byte, visit func(key string, v *unstable.Node)) bool {
	var p unstable.Parser
	p.Reset(src)
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = tomlKey(e)
		case unstable.KeyValue:
			key := tomlKey(e)
			if table != "" {
				key = table + "." + key
			}
			visit(key, e.Value())
		}
	}
	return p.Error() == nil
}

// tomlTableBody returns where the body of table name starts: the offset
// after its header line (or the end of src when the header ends it).
func tomlTableBody(src []byte, name string) (int, bool) {
	var p unstable.Parser
	p.Reset(src)
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind != unstable.Table || tomlKey(e) != name {
			continue
		}
		end := 0
		for it := e.Key(); it.Next(); {
			end = int(it.Node().Raw.Offset + it.Node().Raw.Length)
		}
		if i := bytes.IndexByte(src[end:], '\n'); i >= 0 {
			return end + i + 1, true // past "]" and any comment
		}
		return len(src), true
	}
	return 0, false
}

func tomlKey(n *unstable.Node) string {
	var parts []string
	for it := n.Key(); it.Next(); {
		parts = append(parts, string(it.Node().Data))
	}
	return strings.Join(parts, ".")
}

// tomlRequote writes value with the quotes of the literal it replaces
// (value is a plain path: nothing in it needs escaping).
func tomlRequote(literal, value string) string {
	q := literal[:1]
	if strings.HasPrefix(literal, `"""`) || strings.HasPrefix(literal, `'''`) {
		q = literal[:3]
	}
	return q + value + q
}
