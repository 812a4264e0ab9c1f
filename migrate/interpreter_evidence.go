package migrate

import (
	"path"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// evidenceTier says how much an interpreter request counts. Only the
// project's own metadata decides; the contributor CI test jobs inform the
// choice among what it allows; everything else is a hint that never
// overrides either and is never cited as the reason for the choice.
type evidenceTier int

const (
	// tierDecide: --python, .python-version, lock files, requires-python,
	// Poetry's python, python_requires, Pipfile, .tool-versions, mise and
	// conda environment files: the project's own statement of its Python.
	tierDecide evidenceTier = iota
	// tierInform: CI jobs that test the project, tox/nox environments, the
	// interpreter a setup script or Makefile builds the venv with. They
	// pick among the minors the deciding evidence allows.
	tierInform
	// tierHint: Dockerfiles, runtime.txt, release/publish/benchmark jobs,
	// examples, templates shipped to users, fixtures and optional plugins.
	// They describe other environments than the contributor's.
	tierHint
)

// requestTier classifies one request; why names the reason for a hint.
func requestTier(p *detect.Project, r detect.InterpreterRequest) (evidenceTier, string) {
	if r.Source == flagSource {
		return tierDecide, ""
	}
	if r.Source == detect.KindDockerfile {
		return tierHint, "a container image"
	}
	if why, ok := notTheProjectsFile(p, r.Evidence.Path); ok {
		return tierHint, why
	}
	switch r.Source {
	case detect.KindPythonVersion, detect.KindUVLock, detect.KindPoetryLock, detect.KindPDMLock, detect.KindPipfileLock,
		detect.KindPyproject, detect.KindSetupCfg, detect.KindSetupPy, detect.KindPipfile,
		detect.KindToolVersions, detect.KindMise, detect.KindCondaEnv:
		return tierDecide, ""
	case detect.KindRuntimeTxt:
		return tierHint, "the deployment runtime"
	case detect.KindGitHubWorkflow, detect.KindGitHubAction, detect.KindGitLabCI, detect.KindJenkinsfile,
		detect.KindCircleCI, detect.KindAzure:
		if aud, ok := ciAudience(p, r); ok && aud != detect.AudienceContributor {
			return tierHint, "a " + string(aud) + " CI job"
		}
	}
	return tierInform, ""
}

// notTheProjectsFile reports files that serve another project or another
// audience: examples, templates, fixtures and optional plugins (by folder,
// or by the audience detect gave the file).
func notTheProjectsFile(p *detect.Project, file string) (string, bool) {
	for _, f := range p.Files {
		if f.Path != file {
			continue
		}
		switch f.Audience {
		case detect.AudienceExample, detect.AudienceUser, detect.AudienceOperator, detect.AudienceRelease:
			return "a file for " + audienceLabel(f.Audience), true
		}
	}
	for _, dir := range strings.Split(path.Dir(file), "/") {
		switch strings.ToLower(dir) {
		case "example", "examples", "sample", "samples", "demo", "demos":
			return "an example", true
		case "template", "templates", "skeleton", "scaffold":
			return "a template", true
		case "fixture", "fixtures", "testdata", "test-data":
			return "a test fixture", true
		case "plugin", "plugins", "extensions", "contrib":
			return "an optional plugin", true
		}
	}
	return "", false
}

func audienceLabel(a detect.Audience) string {
	switch a {
	case detect.AudienceExample:
		return "examples"
	case detect.AudienceUser:
		return "the package's users"
	case detect.AudienceOperator:
		return "operators"
	}
	return string(a)
}

// ciAudience finds the audience of the CI job a request belongs to: the
// job whose definition encloses the request's line, or, for a request made
// outside every job (workflow-level env), the jobs of the file that use
// that Python. ok is false when the file defines no job.
func ciAudience(p *detect.Project, r detect.InterpreterRequest) (detect.Audience, bool) {
	var inFile []detect.CIJob
	for _, j := range p.CI {
		if j.Evidence.Path == r.Evidence.Path {
			inFile = append(inFile, j)
		}
	}
	if len(inFile) == 0 {
		return "", false
	}
	var enclosing *detect.CIJob
	for i := range inFile {
		j := &inFile[i]
		if j.Evidence.Line <= r.Evidence.Line && (enclosing == nil || j.Evidence.Line > enclosing.Evidence.Line) {
			enclosing = j
		}
	}
	if enclosing != nil {
		return jobAudience(*enclosing), true
	}
	// Every job that runs this Python decides; one contributor job is enough.
	aud, found := detect.Audience(""), false
	for _, j := range inFile {
		if !usesPython(j, r.Spec) {
			continue
		}
		found = true
		if a := jobAudience(j); a == detect.AudienceContributor {
			return a, true
		} else if aud == "" {
			aud = a
		}
	}
	if !found {
		return detect.AudienceContributor, true
	}
	return aud, true
}

func usesPython(j detect.CIJob, spec string) bool {
	for _, v := range j.Pythons {
		if r, ok := detect.ParsePythonRequest(strings.TrimSuffix(strings.TrimSpace(v), ".x")); ok && r.Spec == spec {
			return true
		}
	}
	return false
}

// jobAudience is the job's audience as detect classified it. Until every
// CI reader fills it in, an unclassified job counts as a contributor's
// unless its name or its workflow's file name says it releases, publishes,
// deploys or benchmarks.
func jobAudience(j detect.CIJob) detect.Audience {
	if j.Audience != "" {
		return j.Audience
	}
	words := strings.ToLower(j.Name + " " + path.Base(j.Evidence.Path))
	for _, w := range []string{"release", "publish", "deploy", "bench"} {
		if strings.Contains(words, w) {
			return detect.AudienceRelease
		}
	}
	return detect.AudienceContributor
}
