package rewrite

import (
	"io"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

func TestGitHubWorkflowGolden(t *testing.T) {
	runGolden(t, "github", *dcTestContext(), GitHubWorkflow, func(t *testing.T, c goldenCase, out []byte) {
		if !strings.HasPrefix(c.Name, "composite") { // actionlint reads workflows, not action metadata
			ghLintClean(t, "input", c.In)
			ghLintClean(t, "output", out)
		}
		ghRunBlocksParse(t, out)
	})
}

// ghLintClean runs actionlint on a workflow; shellcheck and pyflakes run
// only when their binaries are on PATH, as in actionlint itself.
func ghLintClean(t *testing.T, what string, src []byte) {
	t.Helper()
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(".github/workflows/ci.yml", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("actionlint on %s: %s", what, e.Error())
	}
}

// ghRunBlocksParse checks that every `run:` script is still shell.
func ghRunBlocksParse(t *testing.T, src []byte) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatalf("output is not YAML: %v", err)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "run" && n.Content[i+1].Kind == yaml.ScalarNode {
					masked, _ := ghMaskExpressions(n.Content[i+1].Value)
					dcMustParseShell(t, "run", masked)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
}

func TestGitHubShellStringForms(t *testing.T) {
	d, err := yeParse([]byte("on: push\n"))
	if err != nil {
		t.Fatal(err)
	}
	g := &ghRewrite{ciYAMLRewrite{ctx: &Context{ProjectDir: "svc/api"}, d: d}}
	if got := g.shellString(nil, nil, false, ""); got != "flox activate -d svc/api -- bash --noprofile --norc -eo pipefail {0}" {
		t.Errorf("got %q", got)
	}
	if got := g.shellString(nil, nil, true, ""); !strings.Contains(got, "-d ${{ github.workspace }}/svc/api --") {
		t.Errorf("got %q", got)
	}
	// A checkout with `path:` puts the project below the workspace.
	if got := g.shellString(nil, nil, false, "src"); !strings.HasPrefix(got, "flox activate -d src/svc/api --") {
		t.Errorf("got %q", got)
	}
	g.ctx.ProjectDir = "."
	if got := g.shellString(nil, nil, false, "src"); !strings.HasPrefix(got, "flox activate -d src --") {
		t.Errorf("got %q", got)
	}
}

// yamlScriptsParse checks that the YAML parses and that every command under
// the given keys (a string or a list of strings) is still shell.
func yamlScriptsParse(t *testing.T, src []byte, keys ...string) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatalf("output is not YAML: %v", err)
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if !want[n.Content[i].Value] {
					continue
				}
				v := n.Content[i+1]
				for _, s := range append([]*yaml.Node{v}, v.Content...) {
					if s.Kind == yaml.ScalarNode {
						dcMustParseShell(t, n.Content[i].Value, s.Value)
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
}

func TestGitHubMaskExpressions(t *testing.T) {
	in := `pip install -r ${{ matrix.req }} && echo "${{ github.sha }}"`
	masked, unmask := ghMaskExpressions(in)
	if len(masked) != len(in) || strings.Contains(masked, "${{") {
		t.Fatalf("masked %q", masked)
	}
	if got := unmask(masked); got != in {
		t.Errorf("unmask = %q", got)
	}
	dcMustParseShell(t, "masked", masked)
}
