// Package yamldoc parses YAML files (CI configs, conda environments) into
// yaml.v3 nodes whose lines are the file's own lines, for detect, the
// call graph and the rewriters alike: a node's Line and Column locate the
// same bytes whoever reads it.
package yamldoc

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// PanicError is a failure of the YAML library itself (yaml.v3 panics on
// some malformed input), reported like a syntax error.
type PanicError struct{ Value any }

func (e *PanicError) Error() string { return fmt.Sprintf("YAML parser failed: %v", e.Value) }

// Parse parses the first document of src. Characters YAML counts as line
// breaks but the file's lines do not (a CR that ends no CRLF, NEL, LS, PS)
// are read as spaces, so node lines stay in step with the file's lines.
func Parse(src []byte) (doc *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, &PanicError{Value: r}
		}
	}()
	var d yaml.Node
	if err := yaml.Unmarshal(withoutLoneBreaks(src), &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// Root returns the top-level node of a parsed document, or nil.
func Root(doc *yaml.Node) *yaml.Node {
	if doc == nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// withoutLoneBreaks returns a copy of b with the line breaks only YAML
// sees blanked out. Byte offsets are unchanged.
func withoutLoneBreaks(src []byte) []byte {
	b := append([]byte(nil), src...)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '\r' && (i+1 == len(b) || b[i+1] != '\n'):
			b[i] = ' '
		case b[i] == 0xC2 && i+1 < len(b) && b[i+1] == 0x85: // NEL
			b[i], b[i+1] = ' ', ' '
		case b[i] == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9): // LS, PS
			b[i], b[i+1], b[i+2] = ' ', ' ', ' '
		}
	}
	return b
}

// MaxAliasDepth bounds alias chains and other nesting walks.
const MaxAliasDepth = 32

// Resolve follows an alias to the node it names.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < MaxAliasDepth; i++ {
		n = n.Alias
	}
	return n
}

// Pair is one key and value of a mapping.
type Pair struct{ Key, Value *yaml.Node }

// Pairs returns the pairs of a mapping, with those merged by `<<:`
// (GitLab templates use anchors and merges heavily) after its own.
func Pairs(n *yaml.Node) []Pair {
	return pairsDepth(n, 0)
}

// maxMergeDepth bounds nested `<<:` merges: each level may merge several
// mappings, so deep nesting would grow exponentially.
const maxMergeDepth = 4

func pairsDepth(n *yaml.Node, depth int) []Pair {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || depth > maxMergeDepth {
		return nil
	}
	var own, merged []Pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" && k.Tag == "!!merge" {
			v = Resolve(v)
			if v.Kind == yaml.SequenceNode {
				for _, m := range v.Content {
					merged = append(merged, pairsDepth(m, depth+1)...)
				}
			} else {
				merged = append(merged, pairsDepth(v, depth+1)...)
			}
			continue
		}
		own = append(own, Pair{Key: k, Value: Resolve(v)})
	}
	for _, m := range merged {
		if !hasKey(own, m.Key.Value) {
			own = append(own, m)
		}
	}
	return own
}

func hasKey(ps []Pair, key string) bool {
	for _, p := range ps {
		if p.Key.Value == key {
			return true
		}
	}
	return false
}

// Get returns the value of key in mapping n, or nil.
func Get(n *yaml.Node, key string) *yaml.Node {
	for _, p := range Pairs(n) {
		if p.Key.Value == key {
			return p.Value
		}
	}
	return nil
}

// Path follows keys through nested mappings.
func Path(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n = Get(n, k); n == nil {
			return nil
		}
	}
	return n
}

// Scalar returns a scalar's value ("" for other nodes).
func Scalar(n *yaml.Node) string {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// Items returns a sequence's items, or the node itself for a scalar.
func Items(n *yaml.Node) []*yaml.Node {
	n = Resolve(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.SequenceNode:
		out := make([]*yaml.Node, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, Resolve(c))
		}
		return out
	case n.Kind == yaml.ScalarNode && n.Tag != "!!null":
		return []*yaml.Node{n}
	}
	return nil
}

// True reports a scalar YAML reads as true (true, yes, on).
func True(n *yaml.Node) bool {
	switch strings.ToLower(Scalar(n)) {
	case "true", "yes", "on":
		return true
	}
	return false
}
