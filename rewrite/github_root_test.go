package rewrite

import (
	"os"
	"strings"
	"testing"
)

// TestGitHubRootWorkflow migrates the jobs of a monorepo's root workflow
// that work in one project's folder, each to that project's environment.
func TestGitHubRootWorkflow(t *testing.T) {
	src, err := os.ReadFile("testdata/github-root/ci.yml.in")
	if err != nil {
		t.Fatal(err)
	}
	api := &Context{ProjectDir: "services/api", VenvDirs: []string{".venv"}, Synced: []string{"pyproject.toml", "uv.lock"}, Groups: []string{"dev"}, Manager: "uv"}
	worker := &Context{ProjectDir: "services/worker", VenvDirs: []string{"venv"}, Synced: []string{"requirements.txt", "requirements-dev.txt"}, Groups: []string{"dev"}, Manager: "uv"}
	common := &Context{ProjectDir: "libs/common", Synced: []string{"pyproject.toml"}, Groups: []string{"test"}, Manager: "uv"}
	res, left, err := GitHubRootWorkflow([]*Context{common, api, worker}, ".github/workflows/ci.yml", src)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "testdata/github-root/ci.yml.golden", res.New)
	checkGolden(t, "testdata/github-root/ci.yml.followups", followUpText(res.FollowUps))
	if strings.Join(left, ",") != "common" {
		t.Errorf("jobs left = %v, want [common]", left)
	}
	ghLintClean(t, "output", res.New)
	ghRunBlocksParse(t, res.New)
	again, _, err := GitHubRootWorkflow([]*Context{common, api, worker}, ".github/workflows/ci.yml", res.New)
	if err != nil || string(again.New) != string(res.New) {
		t.Errorf("second run is not a no-op:\n%s", again.New)
	}
}
