package detect

import (
	"testing"
)

func TestAzurePipelinesGolden(t *testing.T) {
	checkUsageGolden(t, "azure/matrix")
}

func TestAzurePipelines(t *testing.T) {
	src := "pool:\n  vmImage: ubuntu-latest\nvariables:\n  PY: '3.11'\nsteps:\n  - task: UsePythonVersion@0\n    inputs:\n      versionSpec: $(PY)\n  - bash: source $(Pipeline.Workspace)/venv/bin/activate && echo $(date)\n"
	sameUsageFacts(t, snippetFacts("azure-pipelines.yml", src), []string{
		"azure-pipelines.yml:4 python azure-pipelines 3.11",
		"azure-pipelines.yml:5 ci azure-pipelines default pythons=3.11 os=ubuntu-latest actions=UsePythonVersion@0",
		"azure-pipelines.yml:9 venv activate dir=$(Pipeline.Workspace)/venv [azure-pipelines] | source $(Pipeline.Workspace)/venv/bin/activate",
		"azure-pipelines.yml:9 command date",
	})
}

func FuzzAzurePipelines(f *testing.F) {
	seedUsageFuzz(f, "azure", nil)
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, "azure-pipelines.yml", src)
	})
}
