package rewrite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/syntax"
)

// dcSeeds adds every input fixture of a testdata folder to a fuzz corpus.
func dcSeeds(f *testing.F, pattern string) {
	paths, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzMarkdown(f *testing.F) {
	dcSeeds(f, "markdown/*.in")
	f.Add([]byte("```\n$ python -m venv v\n$ . v/bin/activate\n```"))
	f.Add([]byte("   ~~~sh\n   source .venv/bin/activate && pytest\n   ~~~\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, keep := range []bool{false, true} {
			ctx := dcTestContext()
			ctx.KeepVenv = keep
			res, err := Markdown(ctx, "README.md", src)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			// Every block that was shell before is shell after.
			before := docSnippets(src, false)
			after := docSnippets(res.New, false)
			if !keep && len(before) == len(after) {
				for i := range after {
					if _, ok := before[i]; !ok {
						continue
					}
					if _, ok := after[i]; !ok {
						t.Fatalf("block %d no longer parses:\n%s", i, res.New)
					}
				}
			}
			again, err := Markdown(ctx, "README.md", res.New)
			if err != nil {
				t.Fatalf("second run: %v", err)
			}
			_ = again
		}
	})
}

func FuzzGitHubWorkflow(f *testing.F) {
	dcSeeds(f, "github/*.in")
	f.Fuzz(func(t *testing.T, src []byte) {
		dcFuzzYAML(t, GitHubWorkflow, ".github/workflows/ci.yml", src)
	})
}

func FuzzRST(f *testing.F) {
	dcSeeds(f, "rst/*.in")
	f.Add([]byte("Setup::\n\n    python -m venv venv\n    . venv/bin/activate\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := RST(dcTestContext(), "README.rst", src)
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		if _, err := RST(dcTestContext(), "README.rst", res.New); err != nil {
			t.Fatalf("second run: %v", err)
		}
	})
}

// dcFuzzYAML checks a YAML rewriter: no error, and a file that parsed
// still parses.
func dcFuzzYAML(t *testing.T, fn Func, path string, src []byte) {
	var in yaml.Node
	inErr := yaml.Unmarshal(src, &in)
	res, err := fn(dcTestContext(), path, src)
	if err != nil {
		t.Fatalf("error: %v", err)
	}
	if inErr == nil {
		var out yaml.Node
		if err := yaml.Unmarshal(res.New, &out); err != nil {
			t.Fatalf("output no longer parses: %v\n%s", err, res.New)
		}
	}
}

func FuzzGitLabCI(f *testing.F) {
	dcSeeds(f, "gitlab/*.in")
	f.Fuzz(func(t *testing.T, src []byte) { dcFuzzYAML(t, GitLabCI, ".gitlab-ci.yml", src) })
}

func FuzzCircleCI(f *testing.F) {
	dcSeeds(f, "circleci/*.in")
	f.Fuzz(func(t *testing.T, src []byte) { dcFuzzYAML(t, CircleCI, ".circleci/config.yml", src) })
}

func FuzzJenkinsfile(f *testing.F) {
	dcSeeds(f, "jenkins/*.in")
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := Jenkinsfile(dcTestContext(), "Jenkinsfile", src)
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		// The strings venv2flox wrote are still shell.
		for _, tok := range jkTokens(string(res.New)) {
			if tok.str == nil || !strings.HasPrefix(tok.str.raw, "flox activate") {
				continue
			}
			if v, ok := jkDecode(tok.str); ok {
				if _, err := syntax.NewParser().Parse(strings.NewReader(v), ""); err != nil {
					t.Fatalf("wrapped step is not shell: %q", v)
				}
			}
		}
	})
}
