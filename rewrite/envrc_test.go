package rewrite

import (
	"bytes"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

func TestEnvrcGolden(t *testing.T) {
	runGolden(t, "envrc", testContext, Envrc, func(t *testing.T, c goldenCase, out []byte) {
		if _, err := syntax.NewParser().Parse(bytes.NewReader(parseText(out)), c.Path); err != nil {
			t.Errorf("rewritten .envrc does not parse: %v", err)
		}
		bashSyntaxCheck(t, out)
		if !bytes.Equal(out, c.In) && !c.Ctx.KeepVenv && !strings.Contains(string(out), "\nuse flox") {
			t.Errorf("changed without use flox:\n%s", out)
		}
	})
}

// FuzzEnvrc: an .envrc that parsed still parses, and the rewrite is stable.
func FuzzEnvrc(f *testing.F) {
	for _, c := range goldenCases(&testing.T{}, "envrc", testContext) {
		f.Add(string(c.In))
	}
	f.Fuzz(func(t *testing.T, src string) {
		parser := syntax.NewParser()
		if _, err := parser.Parse(bytes.NewReader(parseText([]byte(src))), ""); err != nil {
			return
		}
		ctx := testContext
		res, err := Envrc(&ctx, ".envrc", []byte(src))
		if err != nil {
			return
		}
		if _, err := parser.Parse(bytes.NewReader(parseText(res.New)), ""); err != nil {
			t.Fatalf("rewrite broke the .envrc: %v\n%s\n---\n%s", err, src, res.New)
		}
		again, _ := Envrc(&ctx, ".envrc", res.New)
		if !bytes.Equal(again.New, res.New) {
			t.Fatalf("second rewrite changed the .envrc:\n%s\n---\n%s", res.New, again.New)
		}
	})
}
