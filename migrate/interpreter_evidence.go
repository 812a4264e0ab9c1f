package migrate

import (
	"path"
	"strings"

	"github.com/venv2flox/venv2flox/detect"
)

// requestTier says how much one request counts (detect.PythonTier): only
// the project's own metadata decides; the contributor CI test jobs inform
// the choice among what it allows; everything else is a hint that never
// overrides either and is never cited as the reason for the choice. The
// kind's tier (detect's kinds table) is where it starts; a file or CI job
// for other readers than the contributors makes any request a hint. why
// names the reason for a hint.
func requestTier(p *detect.Project, r detect.InterpreterRequest) (detect.PythonTier, string) {
	if r.Source == flagSource {
		return detect.TierDecide, ""
	}
	py := r.Source.Info().Python
	if py.Tier == detect.TierHint {
		return detect.TierHint, py.Why
	}
	if why, ok := notTheProjectsFile(p, r.Evidence.Path); ok {
		return detect.TierHint, why
	}
	if r.Source.Info().Class == detect.ClassCI {
		if aud, ok := ciAudienceBy(p, r, pythonAudience); ok && aud != detect.AudienceContributor {
			if aud == detect.AudienceNone {
				return detect.TierHint, "a CI job that does not use the project's venv"
			}
			return detect.TierHint, "a " + string(aud) + " CI job"
		}
	}
	if py.Tier == detect.TierDecide {
		return detect.TierDecide, ""
	}
	return detect.TierInform, ""
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
	dirs := path.Dir(file)
	for _, m := range p.Members {
		if rest, ok := strings.CutPrefix(file, m+"/"); ok {
			dirs = path.Dir(rest) // a package the environment serves: plugins/x is one
		}
	}
	for _, dir := range strings.Split(dirs, "/") {
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
	return ciAudienceBy(p, r, jobAudience)
}

// ciAudienceBy is ciAudience with the jobs' audiences given by audience.
func ciAudienceBy(p *detect.Project, r detect.InterpreterRequest, audience func(detect.CIJob) detect.Audience) (detect.Audience, bool) {
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
		return audience(*enclosing), true
	}
	// Every job that runs this Python decides; one contributor job is enough.
	aud, found := detect.Audience(""), false
	for _, j := range inFile {
		if !usesPython(j, r.Spec) {
			continue
		}
		found = true
		if a := audience(j); a == detect.AudienceContributor {
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

// pythonAudience is the job's audience for choosing the interpreter: a job
// that only runs tox or nox does not use the project's venv, but the
// Pythons it sets up are the ones the project's tests run on.
func pythonAudience(j detect.CIJob) detect.Audience {
	if j.TestRunner != "" {
		return detect.AudienceContributor
	}
	return jobAudience(j)
}
