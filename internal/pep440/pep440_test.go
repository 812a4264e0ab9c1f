package pep440

import (
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"1.0", "1.0"},
		{" v1.0 ", "1.0"},
		{"1!2.0", "1!2.0"},
		{"1.0a1", "1.0a1"},
		{"1.0-alpha.1", "1.0a1"},
		{"1.0.beta2", "1.0b2"},
		{"1.0c3", "1.0rc3"},
		{"1.0-preview", "1.0rc0"},
		{"1.0RC1", "1.0rc1"},
		{"1.0-1", "1.0.post1"},
		{"1.0.post2", "1.0.post2"},
		{"1.0-r3", "1.0.post3"},
		{"1.0.rev", "1.0.post0"},
		{"1.0.dev3", "1.0.dev3"},
		{"1.0_dev", "1.0.dev0"},
		{"1.0a1.post2.dev3", "1.0a1.post2.dev3"},
		{"1.0+Ubuntu-1", "1.0+ubuntu.1"},
		{"3.12.4", "3.12.4"},
		// Nightly builds number their dev releases with a timestamp.
		{"1.7.0.dev202605130309", "1.7.0.dev202605130309"},
		{"2024.1.15.20240115093000", "2024.1.15.20240115093000"},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.in)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tt.in, err)
			continue
		}
		if got := v.String(); got != tt.want {
			t.Errorf("ParseVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseVersionErrors(t *testing.T) {
	for _, in := range []string{"", "abc", "1.0+", "1.0+a..", "1.0foo", "x1.0", "1.0.*", "99999999999999999999", "1.0-", "1..0", "a!1.0"} {
		if v, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want error", in, v)
		}
	}
}

func TestCompareOrder(t *testing.T) {
	// Strictly increasing, from PEP 440's examples.
	order := []string{
		"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
		"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
		"1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5",
		"1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", "1!0.1",
	}
	for i := range order {
		for j := range order {
			a, _ := ParseVersion(order[i])
			b, _ := ParseVersion(order[j])
			want := cmpInt(i, j)
			if got := a.Compare(b); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
	a, _ := ParseVersion("3.12")
	b, _ := ParseVersion("3.12.0.0")
	if a.Compare(b) != 0 {
		t.Error("3.12 and 3.12.0.0 must compare equal")
	}
}

func TestSpecifierContains(t *testing.T) {
	tests := []struct {
		spec string
		yes  []string
		no   []string
	}{
		{">=3.8,<4", []string{"3.8", "3.8.0", "3.13.1"}, []string{"3.7.17", "4.0", "4.0.0rc1"}},
		{"~=3.10", []string{"3.10", "3.11", "3.99"}, []string{"3.9", "4.0"}},
		{"~=3.10.2", []string{"3.10.2", "3.10.9"}, []string{"3.10.1", "3.11.0"}},
		{"==3.11.*", []string{"3.11", "3.11.9", "3.11.0rc1"}, []string{"3.1", "3.12.0", "3.110"}},
		{"!=3.9.*, >=3.8", []string{"3.8.1", "3.10"}, []string{"3.9.0", "3.9.18", "3.7"}},
		{"===3.11.4", []string{"3.11.4"}, []string{"3.11.4.0", "3.11.5"}},
		{"3.12", []string{"3.12.0", "3.12.7"}, []string{"3.11.9", "3.13"}},
		{">=3.9,", []string{"3.9"}, []string{"3.8"}},
		{"", []string{"2.7", "3.14"}, nil},
		{"==1.0", []string{"1.0", "1.0.0", "1.0+local"}, []string{"1.0.post1", "1.0a1"}},
		{"==1.0+local", []string{"1.0+local"}, []string{"1.0", "1.0+other"}},
		{"<3.13", []string{"3.12.9", "3.12"}, []string{"3.13.0rc1", "3.13.0"}},
		{"<3.13rc2", []string{"3.13.0rc1"}, []string{"3.13.0rc2"}},
		{">3.12", []string{"3.12.1", "3.13"}, []string{"3.12", "3.12.post1", "3.12+local"}},
		{"<=3.12", []string{"3.12+local", "3.12"}, []string{"3.12.1"}},
		{">3.12.post1", []string{"3.12.post2"}, []string{"3.12.post1"}},
	}
	for _, tt := range tests {
		s, err := ParseSpecifier(tt.spec)
		if err != nil {
			t.Errorf("ParseSpecifier(%q): %v", tt.spec, err)
			continue
		}
		for _, y := range tt.yes {
			if v, _ := ParseVersion(y); !s.Contains(v) {
				t.Errorf("%q should contain %s", tt.spec, y)
			}
		}
		for _, n := range tt.no {
			if v, _ := ParseVersion(n); s.Contains(v) {
				t.Errorf("%q should not contain %s", tt.spec, n)
			}
		}
	}
}

func TestParseSpecifierErrors(t *testing.T) {
	for _, in := range []string{">=", "~=3", ">=3.*", "<=3.8+local", "==3.8.*.1", "==3.8.dev1.*", ">>3", "3.x"} {
		if s, err := ParseSpecifier(in); err == nil {
			t.Errorf("ParseSpecifier(%q) = %v, want error", in, s)
		}
	}
}

func TestSpecifierString(t *testing.T) {
	tests := []struct{ in, want string }{
		{">= 3.8 , < 4", ">=3.8,<4"},
		{"3.12", "==3.12.*"},
		{"", ""},
		{"===foo", "===foo"},
	}
	for _, tt := range tests {
		s, err := ParseSpecifier(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.String(); got != tt.want {
			t.Errorf("ParseSpecifier(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAllowsMinor(t *testing.T) {
	tests := []struct {
		spec   string
		poetry bool
		yes    []int
		no     []int
	}{
		{">=3.9,<3.12", false, []int{9, 10, 11}, []int{8, 12}},
		{">=3.11.4", false, []int{11, 12}, []int{10}},
		{"<3.11.1", false, []int{11, 10}, []int{12}},
		{"^3.10", true, []int{10, 14}, []int{9}},
		{"~3.9", true, []int{9}, []int{8, 10}},
		{"3.10", true, []int{10}, []int{9, 11}}, // exact: 3.10.0 only
		{"^2.7 || ^3.8", true, []int{8, 12}, []int{6, 7}},
	}
	for _, tt := range tests {
		parse := ParseSpecifier
		if tt.poetry {
			parse = ParsePoetry
		}
		s, err := parse(tt.spec)
		if err != nil {
			t.Fatalf("%q: %v", tt.spec, err)
		}
		for _, m := range tt.yes {
			if !s.AllowsMinor(3, m) {
				t.Errorf("%q should allow 3.%d", tt.spec, m)
			}
		}
		for _, m := range tt.no {
			if s.AllowsMinor(3, m) {
				t.Errorf("%q should not allow 3.%d", tt.spec, m)
			}
		}
	}
}

func TestParsePoetry(t *testing.T) {
	tests := []struct{ in, want string }{
		{"^3.10", ">=3.10,<4"},
		{"^1.2.3", ">=1.2.3,<2"},
		{"^0.2.3", ">=0.2.3,<0.3"},
		{"^0.0.3", ">=0.0.3,<0.0.4"},
		{"^0", ">=0,<1"},
		{"~1.2.3", ">=1.2.3,<1.3"},
		{"~1.2", ">=1.2,<1.3"},
		{"~1", ">=1,<2"},
		{"*", ""},
		{"3.11.*", "==3.11.*"},
		{"3.10", "==3.10"},
		{"=3.10", "==3.10"},
		{">=3.8,<4.0", ">=3.8,<4.0"},
		{">= 3.8 < 4.0", ">=3.8,<4.0"},
		{"^2.7 || ^3.6", ">=2.7,<3 || >=3.6,<4"},
		{">=2.7,!=3.0.*,!=3.1.*", ">=2.7,!=3.0.*,!=3.1.*"},
		{"~=3.9", "~=3.9"},
		{"^3.8|^4", ">=3.8,<4 || >=4,<5"},
	}
	for _, tt := range tests {
		s, err := ParsePoetry(tt.in)
		if err != nil {
			t.Errorf("ParsePoetry(%q): %v", tt.in, err)
			continue
		}
		if got := s.String(); got != tt.want {
			t.Errorf("ParsePoetry(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"^", "~", ">=", "^3.8 ||", "^foo", "^1.0+local", "1.0 || || 2.0"} {
		if s, err := ParsePoetry(in); err == nil {
			t.Errorf("ParsePoetry(%q) = %v, want error", in, s)
		}
	}
}

func FuzzPEP440(f *testing.F) {
	for _, s := range []string{">=3.8,<4", "~=3.10", "==3.11.*", "^3.10 || ~2.7", "1!2.0a1.post2.dev3+loc.1", "3.13t", "===x", ">= 3.8 <4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := ParseVersion(s); err == nil {
			w, err := ParseVersion(v.String())
			if err != nil {
				t.Fatalf("normalised %q of %q does not parse: %v", v.String(), s, err)
			}
			if v.Compare(w) != 0 {
				t.Fatalf("normalised %q of %q compares unequal", v.String(), s)
			}
		}
		probe := Version{Release: []int{3, 12, 1}}
		if sp, err := ParseSpecifier(s); err == nil {
			sp.Contains(probe)
			sp.AllowsMinor(3, 12)
			if sp2, err := ParseSpecifier(sp.String()); err == nil && sp2.Contains(probe) != sp.Contains(probe) {
				t.Fatalf("%q and its normal form %q disagree", s, sp.String())
			}
		}
		if sp, err := ParsePoetry(s); err == nil {
			sp.Contains(probe)
			_ = sp.String()
		}
	})
}
