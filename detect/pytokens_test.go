package detect

import (
	"fmt"
	"testing"
)

// The Python tokenizer serves both setup.py and noxfile.py reading.
func TestPyTokens(t *testing.T) {
	src := "x = r'a\\'b'  # c\ns = \"\"\"two\nlines\"\"\"\nnox.session(python=False, n==1)\n"
	kinds := map[pyKind]string{pyName: "n", pyStr: "s", pyOp: "o", pyOther: "#"}
	var got []string
	for _, tok := range pyTokens(src) {
		got = append(got, kinds[tok.kind]+":"+tok.text)
	}
	want := []string{"n:x", "o:=", "s:a\\'b", "n:s", "o:=", "s:two\nlines", "n:nox", "o:.", "n:session", "o:(",
		"n:python", "o:=", "n:False", "o:,", "n:n", "o:==", "#:1", "o:)"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tokens\n got %q\nwant %q", got, want)
	}
	if toks := pyTokens(src); toks[len(toks)-1].line != 4 {
		t.Errorf("last token on line %d, want 4", toks[len(toks)-1].line)
	}
}
