// Package yamldoc parses YAML files (CI configs, conda environments) into
// yaml.v3 nodes whose lines are the file's own lines, for detect, the
// call graph and the rewriters alike: a node's Line and Column locate the
// same bytes whoever reads it.
package yamldoc

import (
	"fmt"

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
