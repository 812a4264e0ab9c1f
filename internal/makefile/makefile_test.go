package makefile

import (
	"testing"
)

func TestParse(t *testing.T) {
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
	lines := Parse([]byte(src))
	want := []struct {
		kind Kind
		name string
		op   string
	}{
		{Comment, "", ""},
		{Assign, "VENV", "?="},
		{Assign, "PATH", ":="},
		{Assign, "PY", "::="},
		{Conditional, "", ""},
		{Assign, "BIN", "="},
		{Conditional, "", ""},
		{Blank, "", ""},
		{Rule, "", ""},
		{Recipe, "", ""},
		{Comment, "", ""},
		{Recipe, "", ""},
		{Define, "", ""},
		{Define, "", ""},
		{Define, "", ""},
		{Rule, "", ""},
	}
	if len(lines) != len(want) {
		for _, l := range lines {
			t.Logf("%d %q", l.Kind, l.Text)
		}
		t.Fatalf("got %d logical lines, want %d", len(lines), len(want))
	}
	for i, w := range want {
		l := lines[i]
		if l.Kind != w.kind || l.Name != w.name || l.Op != w.op {
			t.Errorf("line %d %q: got kind %d %q %q, want %d %q %q", l.Line, l.Text, l.Kind, l.Name, l.Op, w.kind, w.name, w.op)
		}
	}
	if v := src[lines[1].ValueStart:lines[1].ValueEnd]; v != ".venv" {
		t.Errorf("value = %q, want .venv (comment and spaces cut)", v)
	}
	if !lines[2].Export {
		t.Error("export not seen")
	}
	if !lines[5].OSSwitch || lines[1].OSSwitch {
		t.Error("OS switch not tracked")
	}
	if lines[9].Line != 10 || lines[9].Rule != 8 || lines[11].Rule != 8 {
		t.Errorf("recipe lines: %+v %+v", lines[9], lines[11])
	}
	if p := src[lines[8].PrereqStart:lines[8].PrereqEnd]; p != " venv | $(VENV) " {
		t.Errorf("prerequisites = %q", p)
	}
}

func TestRefs(t *testing.T) {
	var got []string
	for _, r := range Refs("a $(VENV)/bin $$HOME ${X} $@ $(shell cd $(D) && pwd) $(") {
		got = append(got, r.Name)
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

// Conditional lines at the start of a line do not end a rule's recipe;
// a tab-indented one is a recipe line (make passes it to the shell).
func TestConditionalsInsideRecipes(t *testing.T) {
	src := "install:\nifeq ($(CI),true)\n\techo ci\nelse\n\tpython3 -m venv .venv\nendif\n\tifeq x\n\t.venv/bin/pip install .\nnext: ; true\n\techo next\n"
	lines := Parse([]byte(src))
	want := []struct {
		kind Kind
		rule int
	}{
		{Rule, -1}, {Conditional, -1}, {Recipe, 0}, {Conditional, -1}, {Recipe, 0}, {Conditional, -1},
		{Recipe, 0}, {Recipe, 0}, {Rule, -1}, {Recipe, 8},
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d", len(lines), len(want))
	}
	for i, w := range want {
		if lines[i].Kind != w.kind || lines[i].Rule != w.rule {
			t.Errorf("line %d %q: kind %d rule %d, want %d %d", lines[i].Line, lines[i].Text, lines[i].Kind, lines[i].Rule, w.kind, w.rule)
		}
	}
}

func TestRecipePrefix(t *testing.T) {
	src := ".RECIPEPREFIX = >\nall:\n> echo hi\n\techo tab\n"
	lines := Parse([]byte(src))
	if lines[2].Kind != Recipe || lines[2].Rule != 1 {
		t.Errorf("'>' line: %+v", lines[2])
	}
	if lines[3].Kind == Recipe {
		t.Errorf("a tab line is no recipe line under .RECIPEPREFIX = >: %+v", lines[3])
	}
}
