package detect

import (
	"testing"
)

func TestNoxGolden(t *testing.T) {
	checkUsageGolden(t, "nox/sessions")
}

func FuzzNox(f *testing.F) {
	seedUsageFuzz(f, "nox", nil)
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, "noxfile.py", src)
	})
}
