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
