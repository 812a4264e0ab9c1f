package rewrite

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestYAMLEntryAndItemExtents(t *testing.T) {
	src := "jobs:\n  a:\n    docker:\n    - image: python  # zero-indented\n    - image: redis\n    steps:\n      - checkout\n      # about run\n      - run: |\n          pytest\n\n          echo ok\n\n      - run: x\n"
	d, err := yeParse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	job := yeValue(yeValue(d.root, "jobs"), "a")
	dk, dv := yeGet(job, "docker")
	s, e, ok := d.entry(dk, dv)
	if !ok || src[s:e] != "    docker:\n    - image: python  # zero-indented\n    - image: redis\n" {
		t.Errorf("docker entry = %q", src[s:e])
	}
	steps := yeValue(job, "steps")
	it, ok := d.item(steps.Content[1])
	if !ok || src[it.start:it.end] != "      - run: |\n          pytest\n\n          echo ok\n" {
		t.Errorf("run item = %q", src[it.start:it.end])
	}
	rs, re := d.removal(steps.Content[1], it)
	if src[rs:re] != "      # about run\n      - run: |\n          pytest\n\n          echo ok\n" {
		t.Errorf("removal = %q", src[rs:re])
	}
	m, ok := d.snippet(yeValue(steps.Content[1], "run"))
	if !ok || m.text != "pytest\n\necho ok\n" {
		t.Errorf("snippet = %q", m.text)
	}
}

func TestYAMLScalarRange(t *testing.T) {
	src := "a: 'it''s'  # c\nb: \"x \\\" y\"\nc: plain words\n"
	d, err := yeParse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"a": "'it''s'", "b": `"x \" y"`, "c": "plain words"} {
		s, e, ok := d.scalarRange(yeValue(d.root, key))
		if !ok || src[s:e] != want {
			t.Errorf("%s: %q", key, src[s:e])
		}
	}
}

func TestYAMLQuoteRoundTrips(t *testing.T) {
	for _, s := range []string{
		"flox activate -- pytest", "a: b", "- x", "#x", "it's", `say "hi"`, "{0}", "x # y", "", " lead", "yes", "1.5", "null",
		`flox activate -d "$CI_PROJECT_DIR" -c 'cd doc && make'`,
	} {
		var out map[string]string
		if err := yaml.Unmarshal([]byte("k: "+yeQuote(s)+"\n"), &out); err != nil || out["k"] != s {
			t.Errorf("yeQuote(%q) = %s reads back as %q (%v)", s, yeQuote(s), out["k"], err)
		}
	}
}
