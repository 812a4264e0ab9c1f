package detect

import (
	"strings"
	"testing"
	"testing/fstest"
)

// A file name that is not UTF-8 cannot go into a manifest or a patch: it is
// a problem, and the rest of the project is still read.
func TestScanSkipsNonUTF8FileNames(t *testing.T) {
	fsys := fstest.MapFS{
		"requirements.txt":          {Data: []byte("flask==3.0.3\n")},
		"requirements-\xff\xfe.txt": {Data: []byte("pytest\n")},
		"data/\xff.bin":             {Data: []byte{0}},
	}
	p := Scan(fsys, ".", Options{})
	if len(p.Problems) != 1 || !strings.Contains(p.Problems[0].Message, "not valid UTF-8") {
		t.Fatalf("problems = %v, want one about the file name", p.Problems)
	}
	if len(p.Requirements) != 1 || p.Requirements[0].Name != "flask" {
		t.Errorf("requirements = %v, want flask only", p.Requirements)
	}
}
