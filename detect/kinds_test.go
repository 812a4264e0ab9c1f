package detect

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"
)

// TestKindsComplete checks that every FileKind declared in model.go has
// one row in the kinds table, and that every row says everything: how a
// path is matched and read, its label, class, interpreter evidence and
// audience. A kind added without one of them fails here instead of
// falling back to a default somewhere later.
func TestKindsComplete(t *testing.T) {
	declared := declaredKinds(t)
	listed := Kinds()
	for _, k := range declared {
		if !slices.Contains(listed, k) {
			t.Errorf("kind %q is declared in model.go but has no row in the kinds table (kinds.go)", k)
		}
	}
	seen := map[FileKind]bool{}
	for _, x := range kinds {
		if seen[x.kind] {
			t.Errorf("kind %q has two rows", x.kind)
		}
		seen[x.kind] = true
		if !slices.Contains(declared, x.kind) {
			t.Errorf("kind %q is in the table but not declared in model.go", x.kind)
		}
		if x.match == nil || x.extract == nil || x.audience == nil {
			t.Errorf("kind %q: match, extract and audience are all needed", x.kind)
		}
		if x.info.Label == "" {
			t.Errorf("kind %q has no label", x.kind)
		}
		switch x.info.Class {
		case ClassDependencies, ClassInterpreter, ClassTasks, ClassDocs, ClassCI, ClassContainer, ClassSettings, ClassService:
		default:
			t.Errorf("kind %q has no class", x.kind)
		}
		py := x.info.Python
		switch {
		case py.Tier == TierDecide && py.Rank < 1:
			t.Errorf("kind %q decides the Python but has no rank", x.kind)
		case py.Tier != TierDecide && py.Rank != 0:
			t.Errorf("kind %q has a rank but does not decide the Python", x.kind)
		case py.Tier == TierHint && py.Why == "":
			t.Errorf("kind %q is a hint but does not say which environment it describes", x.kind)
		case py.Tier != TierDecide && py.Tier != TierInform && py.Tier != TierHint:
			t.Errorf("kind %q has no interpreter evidence tier", x.kind)
		}
	}
}

// TestKindsMatchTheirOwnFiles checks the table's order: a typical path of
// each kind is read as that kind, not caught by an earlier row.
func TestKindsMatchTheirOwnFiles(t *testing.T) {
	paths := map[FileKind]string{
		KindRequirements: "requirements-dev.txt", KindPyproject: "pyproject.toml", KindUVLock: "uv.lock",
		KindPoetryLock: "poetry.lock", KindPDMLock: "pdm.lock", KindPipfile: "Pipfile", KindPipfileLock: "Pipfile.lock",
		KindSetupCfg: "setup.cfg", KindSetupPy: "setup.py", KindPythonVersion: ".python-version",
		KindRuntimeTxt: "runtime.txt", KindToolVersions: ".tool-versions", KindMise: "mise.toml",
		KindNodeVersion: ".nvmrc", KindPackageJSON: "frontend/package.json",
		KindCondaEnv: "environment.yml", KindMakefile: "Makefile", KindShell: "scripts/setup.sh", KindTox: "tox.ini",
		KindNox: "noxfile.py", KindEnvrc: ".envrc", KindMarkdown: "CONTRIBUTING.md", KindRST: "docs/install.rst",
		KindGitHubWorkflow: ".github/workflows/ci.yml", KindGitHubAction: ".github/actions/setup/action.yml",
		KindGitLabCI: ".gitlab-ci.yml", KindJenkinsfile: "Jenkinsfile", KindCircleCI: ".circleci/config.yml",
		KindAzure: "azure-pipelines.yml", KindDockerfile: "Dockerfile", KindSystemd: "deploy/app.service",
		KindPreCommit: ".pre-commit-config.yaml", KindPyrightConfig: "pyrightconfig.json", KindMypyConfig: "mypy.ini",
		KindVSCode: ".vscode/settings.json", KindDevcontainer: ".devcontainer/devcontainer.json",
		KindDevcontainerScript: ".devcontainer/post-create.sh", KindGitpod: ".gitpod.yml", KindIgnoreFile: ".dockerignore",
		KindJustfile: "justfile", KindTaskfile: "Taskfile.yml", KindInvoke: "tasks.py", KindPythonScript: "scripts/bootstrap.py", KindToolSettings: ".flake8",
	}
	for _, k := range Kinds() {
		p, ok := paths[k]
		if !ok {
			t.Errorf("kind %q: no typical path in this test", k)
			continue
		}
		if x, ok := specFor(p); !ok || x.kind != k {
			t.Errorf("%s is read as %q, want %q", p, x.kind, k)
		}
	}
}

// declaredKinds lists the FileKind constants of model.go.
func declaredKinds(t *testing.T) []FileKind {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "model.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []FileKind
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "FileKind" {
				continue
			}
			for _, val := range v.Values {
				if lit, ok := val.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, FileKind(s))
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no FileKind constants found in model.go")
	}
	return out
}

// GitLab reads the pipeline at the top and the files it includes; a
// .gitlab-ci.yml further down is test data or a child pipeline.
func TestGitLabPipelineOnlyAtTheTop(t *testing.T) {
	for p, want := range map[string]bool{
		".gitlab-ci.yml":      true,
		".gitlab-ci.yaml":     true,
		".gitlab/ci/test.yml": true,
		"tests/gitlab_ci/resources/curl/.gitlab-ci.yml": false,
	} {
		x, ok := specFor(p)
		if got := ok && x.kind == KindGitLabCI; got != want {
			t.Errorf("%s read as GitLab CI: %v, want %v", p, got, want)
		}
	}
}
