package rewrite

import (
	"testing"
)

func TestParseMakefile(t *testing.T) {
	src := "# header\n" +
		"VENV ?= .venv  # the venv\n" +
		"export PATH := $(VENV)/bin:$(PATH)\n" +
		"PY::=python3\n" +
		"ifeq ($(OS),Windows_NT)\n" +
		"  BIN = Scripts\n" +
		"endif\n" +
		"\n" +
		"test: venv | $(VENV) ## run\n" +
		"\t$(VENV)/bin/pytest \\\n" +
		"\t  -q\n" +
		"# comment inside the rule\n" +
		"\techo done\n" +
		"define HELP\n" +
		"\tnot a recipe: x\n" +
		"endef\n" +
		"obj/%.o: %.c ; cc -c $<\n"
	lines := parseMakefile([]byte(src))
	want := []struct {
		kind mkKind
		name string
		op   string
	}{
		{mkComment, "", ""},
		{mkAssign, "VENV", "?="},
		{mkAssign, "PATH", ":="},
		{mkAssign, "PY", "::="},
		{mkConditional, "", ""},
		{mkAssign, "BIN", "="},
		{mkConditional, "", ""},
		{mkBlank, "", ""},
		{mkRule, "", ""},
		{mkRecipe, "", ""},
		{mkComment, "", ""},
		{mkRecipe, "", ""},
		{mkDefine, "", ""},
		{mkDefine, "", ""},
		{mkDefine, "", ""},
		{mkRule, "", ""},
	}
	if len(lines) != len(want) {
		for _, l := range lines {
			t.Logf("%d %q", l.kind, l.text)
		}
		t.Fatalf("got %d logical lines, want %d", len(lines), len(want))
	}
	for i, w := range want {
		l := lines[i]
		if l.kind != w.kind || l.name != w.name || l.op != w.op {
			t.Errorf("line %d %q: got kind %d %q %q, want %d %q %q", l.line, l.text, l.kind, l.name, l.op, w.kind, w.name, w.op)
		}
	}
	if v := src[lines[1].valueStart:lines[1].valueEnd]; v != ".venv" {
		t.Errorf("value = %q, want .venv (comment and spaces cut)", v)
	}
	if !lines[2].export {
		t.Error("export not seen")
	}
	if !lines[5].osSwitch || lines[1].osSwitch {
		t.Error("OS switch not tracked")
	}
	if lines[9].line != 10 || lines[9].rule != 8 || lines[11].rule != 8 {
		t.Errorf("recipe lines: %+v %+v", lines[9], lines[11])
	}
	if p := src[lines[8].prereqStart:lines[8].prereqEnd]; p != " venv | $(VENV) " {
		t.Errorf("prerequisites = %q", p)
	}
}

func TestMakeRefs(t *testing.T) {
	var got []string
	for _, r := range makeRefs("a $(VENV)/bin $$HOME ${X} $@ $(shell cd $(D) && pwd) $(") {
		got = append(got, r.name)
	}
	want := []string{"$(VENV)", "$$", "$(X)", "$(@)", "$(...)"}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ref %d = %q, want %q", i, got[i], want[i])
		}
	}
}
