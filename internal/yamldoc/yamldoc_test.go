package yamldoc

import (
	"errors"
	"testing"
)

// Node lines are the file's lines even where a lone CR, NEL, LS or PS
// would be a line break to YAML.
func TestParseKeepsFileLines(t *testing.T) {
	for name, src := range map[string]string{
		"lone CR":  "a: 1\n# note \r here\nb: 2\n",
		"CRLF":     "a: 1\r\n# note\r\nb: 2\r\n",
		"NEL":      "a: 1\n# note \u0085 here\nb: 2\n",
		"LS in PS": "a: 1\n# \u2028 and \u2029\nb: 2\n",
	} {
		doc, err := Parse([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		root := Root(doc)
		if root == nil || len(root.Content) != 4 {
			t.Fatalf("%s: root %+v", name, root)
		}
		if b := root.Content[2]; b.Value != "b" || b.Line != 3 || b.Column != 1 {
			t.Errorf("%s: key b at %d:%d, want 3:1", name, b.Line, b.Column)
		}
	}
}

func TestParseErrors(t *testing.T) {
	if _, err := Parse([]byte("a: [1,\n")); err == nil {
		t.Fatal("want a syntax error")
	} else if errors.As(err, new(*PanicError)) {
		t.Fatalf("a syntax error is no panic: %v", err)
	}
	if doc, err := Parse(nil); err != nil || Root(doc) != nil {
		t.Fatalf("empty file: %v %v", doc, err)
	}
}
