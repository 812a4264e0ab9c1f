package installset

import (
	"slices"
	"testing"
)

func TestSetTextRoundTrip(t *testing.T) {
	text := `# what make install-dev installs
python 3.11
project editable [dev,dask] --extra-index-url https://example.org/simple
group test
group dev
requirements requirements/dev.txt
requirements requirements/base.txt
constraints constraints.txt
package torch --index-url https://download.pytorch.org/whl/cpu
package -e libs/common
package pre-commit
`
	s, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	want := `python 3.11
project editable [dask,dev] --extra-index-url https://example.org/simple
group dev
group test
requirements requirements/base.txt
requirements requirements/dev.txt
constraints constraints.txt
package -e libs/common
package pre-commit
package torch --index-url https://download.pytorch.org/whl/cpu
`
	if got := s.String(); got != want {
		t.Errorf("canonical text:\n%s\nwant:\n%s", got, want)
	}
	again, err := Parse(s.String())
	if err != nil || again.String() != want {
		t.Errorf("second round: %v\n%s", err, again.String())
	}
}

func TestParseErrors(t *testing.T) {
	for _, text := range []string{"project sideways\n", "flavour vanilla\n"} {
		if _, err := Parse(text); err == nil {
			t.Errorf("Parse(%q) gave no error", text)
		}
	}
}

func TestDiff(t *testing.T) {
	a, _ := Parse("python 3.11\nproject editable [dask,dev]\ngroup dev\n")
	b, _ := Parse("project editable [dev]\ngroup dev\ngroup test\n")
	got := Diff(a, b)
	want := []string{"- project editable [dask,dev]", "+ project editable [dev]", "+ group test"}
	if !slices.Equal(got, want) {
		t.Errorf("Diff = %q, want %q", got, want)
	}
	c, _ := Parse("python 3.12\nproject editable [dask,dev]\ngroup dev\n")
	if got := Diff(a, c); !slices.Equal(got, []string{"- python 3.11", "+ python 3.12"}) {
		t.Errorf("interpreters: %q", got)
	}
	if got := Diff(a, a); len(got) != 0 {
		t.Errorf("a set differs from itself: %q", got)
	}
}
