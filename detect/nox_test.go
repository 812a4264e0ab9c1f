package detect

import (
	"testing"
)

func TestNoxGolden(t *testing.T) {
	checkUsageGolden(t, "nox/sessions")
}

func TestNoxTokens(t *testing.T) {
	src := "x = r'a\\'b'  # c\ns = \"\"\"two\nlines\"\"\"\nnox.session(python=False)\n"
	var got []string
	for _, tok := range noxTokens(src) {
		got = append(got, string(tok.kind)+":"+tok.text)
	}
	want := []string{"n:x", "o:=", "s:a\\'b", "n:s", "o:=", "s:two\nlines", "n:nox", "o:.", "n:session", "o:(", "n:python", "o:=", "n:False", "o:)"}
	if len(got) != len(want) {
		t.Fatalf("tokens %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("token %d = %q, want %q", i, got[i], want[i])
		}
	}
	if toks := noxTokens(src); toks[len(toks)-1].line != 4 {
		t.Errorf("last token on line %d, want 4", toks[len(toks)-1].line)
	}
}

func FuzzNox(f *testing.F) {
	seedUsageFuzz(f, "nox", nil)
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, "noxfile.py", src)
	})
}
