package callgraph

import (
	"go.yaml.in/yaml/v3"

	"github.com/venv2flox/venv2flox/internal/yamldoc"
)

// parseYAML returns the document's top mapping, or nil.
func parseYAML(text string) *yaml.Node {
	doc, err := yamldoc.Parse([]byte(text))
	root := yamldoc.Root(doc)
	if err != nil || root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	return root
}

// get returns the value of key in a mapping (aliases resolved).
func get(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// pairs returns the key and value nodes of a mapping.
func pairs(n *yaml.Node) [][2]*yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, [2]*yaml.Node{n.Content[i], deref(n.Content[i+1])})
	}
	return out
}

// items returns a sequence's items, or the node itself when it is one value.
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.SequenceNode:
		out := make([]*yaml.Node, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, deref(c))
		}
		return out
	}
	return []*yaml.Node{n}
}

// str returns a scalar's value, "" otherwise.
func str(n *yaml.Node) string {
	if n = deref(n); n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// scriptLine is the file line of a scalar's first line of text: the line
// after the indicator for a block scalar (`run: |`).
func scriptLine(n *yaml.Node) int {
	if n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle {
		return n.Line + 1
	}
	return n.Line
}

// yamlNode is a node of a parsed YAML document.
type yamlNode = yaml.Node

const scalarKind = yaml.ScalarNode
