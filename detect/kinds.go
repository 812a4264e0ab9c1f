package detect

// kinds is the one table of the file kinds detect reads. Each row keeps
// together everything venv2flox knows about a kind: how a path is matched,
// how the file is read, what the kind is called, what it is to a migration,
// what its interpreter requests count for and whom its files serve. Rows
// are tried in order and the first match wins.
//
// Adding a kind is a row here and one in rewrite's table (rewrite/rewrite.go:
// its rewriter, or why it has none); TestKindsComplete and rewrite's
// TestEveryKindHasARewriteEntry fail while either is missing.
var kinds = []kindSpec{
	{kind: KindPyproject, match: isBase("pyproject.toml"), extract: extractPyproject,
		info: KindInfo{Label: "pyproject.toml", Class: ClassDependencies, Python: decides(3)}, audience: contributor},
	{kind: KindUVLock, match: isBase("uv.lock"), extract: extractUVLock,
		info: KindInfo{Label: "uv.lock requires-python", Class: ClassDependencies, Python: decides(2)}, audience: contributor},
	{kind: KindPoetryLock, match: isBase("poetry.lock"), extract: extractPoetryLock,
		info: KindInfo{Label: "poetry.lock python-versions", Class: ClassDependencies, Python: decides(2)}, audience: contributor},
	{kind: KindPDMLock, match: isBase("pdm.lock"), extract: extractPDMLock,
		info: KindInfo{Label: "pdm.lock requires-python", Class: ClassDependencies, Python: decides(2)}, audience: contributor},
	{kind: KindPipfile, match: isBase("Pipfile"), extract: extractPipfile,
		info: KindInfo{Label: "Pipfile python_version", Class: ClassDependencies, Python: decides(4)}, audience: contributor},
	{kind: KindPipfileLock, match: isBase("Pipfile.lock"), extract: extractPipfileLock,
		info: KindInfo{Label: "Pipfile.lock python_version", Class: ClassDependencies, Python: decides(2)}, audience: contributor},
	{kind: KindSetupCfg, match: isBase("setup.cfg"), extract: extractSetupCfg,
		info: KindInfo{Label: "python_requires", Class: ClassDependencies, Python: decides(3)}, audience: contributor},
	{kind: KindSetupPy, match: isBase("setup.py"), extract: extractSetupPy,
		info: KindInfo{Label: "python_requires", Class: ClassDependencies, Python: decides(3)}, audience: contributor},
	{kind: KindRequirements, match: isRequirementsFile, extract: extractRequirementsFile,
		info: KindInfo{Label: "requirements file", Class: ClassDependencies, Python: informs}, audience: contributor},
	{kind: KindPythonVersion, match: isBase(".python-version"), extract: extractPythonVersion,
		info: KindInfo{Label: ".python-version", Class: ClassInterpreter, Python: decides(1)}, audience: contributor},
	{kind: KindRuntimeTxt, match: isBase("runtime.txt"), extract: extractRuntimeTxt,
		info: KindInfo{Label: "runtime.txt", Class: ClassInterpreter, Python: hints("the deployment runtime")}, audience: contributor},
	{kind: KindToolVersions, match: isBase(".tool-versions"), extract: extractToolVersions,
		info: KindInfo{Label: ".tool-versions", Class: ClassInterpreter, Python: decides(5)}, audience: contributor},
	{kind: KindMise, match: isMiseFile, extract: extractMise,
		info: KindInfo{Label: "mise", Class: ClassInterpreter, Python: decides(5)}, audience: contributor},
	{kind: KindNodeVersion, match: isNodeVersionFile, extract: extractNodeVersion,
		info: KindInfo{Label: "Node.js version file", Class: ClassSettings, Python: informs}, audience: contributor},
	{kind: KindPackageJSON, match: isBase("package.json"), extract: extractPackageJSON,
		info: KindInfo{Label: "package.json", Class: ClassSettings, Python: informs}, audience: contributor},
	{kind: KindCondaEnv, match: isCondaFile, extract: extractCondaEnv,
		info: KindInfo{Label: "conda environment", Class: ClassDependencies, Python: decides(5)}, audience: contributor},
	{kind: KindMakefile, match: isMakefile, extract: extractMakefile,
		info: KindInfo{Label: "Makefile", Class: ClassTasks, Python: informs}, audience: contributor},
	{kind: KindTox, match: isToxFile, extract: extractTox,
		info: KindInfo{Label: "tox", Class: ClassTasks, Python: informs}, audience: contributor},
	{kind: KindNox, match: isBase("noxfile.py"), extract: extractNox,
		info: KindInfo{Label: "nox", Class: ClassTasks, Python: informs}, audience: contributor},
	{kind: KindEnvrc, match: isBase(".envrc"), extract: extractEnvrc,
		info: KindInfo{Label: ".envrc", Class: ClassTasks, Python: informs}, audience: contributor},
	{kind: KindGitHubWorkflow, match: isGitHubWorkflow, extract: extractGitHubWorkflow,
		info: KindInfo{Label: "GitHub Actions", Class: ClassCI, Python: informs}, audience: (*audiencePass).ciFile},
	{kind: KindGitHubAction, match: isGitHubAction, extract: extractGitHubWorkflow,
		info: KindInfo{Label: "GitHub Actions", Class: ClassCI, Python: informs}, audience: (*audiencePass).ciFile},
	{kind: KindGitLabCI, match: isGitLabCI, extract: extractGitLabCI,
		info: KindInfo{Label: "GitLab CI", Class: ClassCI, Python: informs}, audience: (*audiencePass).ciFile},
	{kind: KindJenkinsfile, match: isJenkinsfile, extract: extractJenkinsfile,
		info: KindInfo{Label: "Jenkinsfile", Class: ClassCI, Python: informs}, audience: (*audiencePass).ciFile},
	{kind: KindCircleCI, match: isExactly(".circleci/config.yml"), extract: extractCircleCI,
		info: KindInfo{Label: "CircleCI", Class: ClassCI, Python: informs}, audience: (*audiencePass).ciFile},
	{kind: KindAzure, match: isAzurePipelines, extract: extractAzurePipelines,
		info: KindInfo{Label: "Azure Pipelines", Class: ClassCI, Python: informs}, audience: (*audiencePass).ciFile},
	{kind: KindDockerfile, match: isDockerfile, extract: extractDockerfile,
		info: KindInfo{Label: "Dockerfile base image", Class: ClassContainer, Python: hints("a container image")}, audience: dockerfileAudience},
	{kind: KindSystemd, match: isSystemdUnit, extract: extractSystemd,
		info: KindInfo{Label: "systemd unit", Class: ClassService, Python: informs}, audience: systemdAudience},
	// Hooks, editor and type-checker settings, containers, ignore files and
	// task runners that may point at the old venv.
	{kind: KindPreCommit, match: isPreCommitConfig, extract: extractPreCommit,
		info: KindInfo{Label: "pre-commit", Class: ClassSettings, Python: informs}, audience: contributor},
	{kind: KindIgnoreFile, match: isIgnoreFile, extract: extractIgnoreFile,
		info: KindInfo{Label: "ignore file", Class: ClassSettings, Python: informs}, audience: contributor},
	{kind: KindPyrightConfig, match: isPyrightConfig, extract: extractPyrightConfig,
		info: KindInfo{Label: "pyright settings", Class: ClassSettings, Python: informs}, audience: contributor},
	{kind: KindMypyConfig, match: isMypyConfig, extract: extractMypyConfig,
		info: KindInfo{Label: "mypy settings", Class: ClassSettings, Python: informs}, audience: contributor},
	{kind: KindVSCode, match: isVSCodeFile, extract: extractVSCode,
		info: KindInfo{Label: "VS Code settings", Class: ClassSettings, Python: informs}, audience: contributor},
	{kind: KindDevcontainer, match: isDevcontainerJSON, extract: extractDevcontainer,
		info: KindInfo{Label: "dev container", Class: ClassContainer, Python: informs}, audience: contributor},
	{kind: KindDevcontainerScript, match: isDevcontainerScript, extract: extractDevcontainerScript,
		info: KindInfo{Label: "dev container script", Class: ClassContainer, Python: informs}, audience: contributor},
	{kind: KindGitpod, match: isGitpodFile, extract: extractGitpod,
		info: KindInfo{Label: "Gitpod image", Class: ClassContainer, Python: informs}, audience: contributor},
	{kind: KindInvoke, match: isInvokeTasks, extract: extractInvoke,
		info: KindInfo{Label: "invoke tasks", Class: ClassTasks, Python: informs}, audience: contributor},
	{kind: KindJustfile, match: isJustfile, extract: extractJustfile,
		info: KindInfo{Label: "justfile", Class: ClassTasks, Python: informs}, audience: contributor},
	{kind: KindTaskfile, match: isTaskfile, extract: extractTaskfile,
		info: KindInfo{Label: "Taskfile", Class: ClassTasks, Python: informs}, audience: contributor},
	{kind: KindToolSettings, match: isToolSettings, extract: extractToolSettings,
		info: KindInfo{Label: "linter and test-runner settings", Class: ClassSettings, Python: informs}, audience: contributor},
	{kind: KindPythonScript, match: isPythonScript, extract: extractPythonScript,
		info: KindInfo{Label: "Python script", Class: ClassTasks, Python: informs}, audience: contributor},
	{kind: KindMarkdown, match: isDoc(".md", ".markdown"), extract: extractMarkdown,
		info: KindInfo{Label: "Markdown document", Class: ClassDocs, Python: informs}, audience: (*audiencePass).docFile},
	{kind: KindRST, match: isDoc(".rst"), extract: extractRST,
		info: KindInfo{Label: "reStructuredText document", Class: ClassDocs, Python: informs}, audience: (*audiencePass).docFile},
	// Matched by extension here, and by shebang for extension-less files
	// (see scanner.isShebangScript).
	{kind: KindShell, match: isShellScript, extract: extractShellScript,
		info: KindInfo{Label: "shell script", Class: ClassTasks, Python: informs}, audience: (*audiencePass).script},
}

// kindSpec is one row of the kinds table.
type kindSpec struct {
	kind FileKind
	// match gets the slash path relative to the project root.
	match func(rel string) bool
	// extract reads the file's text into facts.
	extract func(s *scanner, f *textFile)
	info    KindInfo
	// audience decides whom a file of the kind serves once every file is
	// read (examples and nested projects are decided before, by path).
	audience func(a *audiencePass, rel string) (Audience, string)
}

// KindInfo is what the stages after detect know of a file kind.
type KindInfo struct {
	// Label names the kind in reasons, as the source of an interpreter
	// request ("uv.lock requires-python", "GitHub Actions").
	Label string
	Class Class
	// Python is what the kind's interpreter requests count for.
	Python PythonEvidence
}

// Info returns what is known of the kind; the zero KindInfo for a kind
// detect does not read.
func (k FileKind) Info() KindInfo {
	if x, ok := specOf(k); ok {
		return x.info
	}
	return KindInfo{}
}

// Kinds lists every file kind detect reads, in the order paths are tried.
func Kinds() []FileKind {
	out := make([]FileKind, len(kinds))
	for i, x := range kinds {
		out[i] = x.kind
	}
	return out
}

func specOf(k FileKind) (kindSpec, bool) {
	for _, x := range kinds {
		if x.kind == k {
			return x, true
		}
	}
	return kindSpec{}, false
}

// Class says what a kind of file is to a migration.
type Class string

const (
	// ClassDependencies: project metadata, requirements, lock and conda
	// environment files. They make a folder a Python project.
	ClassDependencies Class = "dependencies"
	// ClassInterpreter: version files (.python-version, runtime.txt,
	// .tool-versions, mise).
	ClassInterpreter Class = "interpreter"
	// ClassTasks: scripts, Makefiles, task runners and environment files
	// that run commands on the contributor's machine.
	ClassTasks Class = "tasks"
	// ClassDocs: documents whose code blocks contributors run.
	ClassDocs Class = "docs"
	// ClassCI: CI configuration, whose jobs each get an audience.
	ClassCI Class = "ci"
	// ClassContainer: images and dev containers. Their venvs live inside
	// the container, where there is no Flox.
	ClassContainer Class = "container"
	// ClassSettings: editor, type-checker, hook and ignore settings that
	// name the venv by path.
	ClassSettings Class = "settings"
	// ClassService: units that run the deployed application.
	ClassService Class = "service"
)

// PythonTier says how much an interpreter request counts when the plan
// picks one Python.
type PythonTier int

const (
	// TierDecide: the project's own statement of its Python (version
	// files, project metadata, lock files).
	TierDecide PythonTier = iota + 1
	// TierInform: the Python the contributor workflow runs (CI jobs, tox
	// and nox, the interpreter a script builds the venv with). It picks
	// among what the deciding requests allow.
	TierInform
	// TierHint: another environment than the contributor's (an image, a
	// deployment runtime). It never takes part in the choice.
	TierHint
)

// PythonEvidence is what a kind's interpreter requests count for.
type PythonEvidence struct {
	Tier PythonTier
	// Rank orders deciding requests, 1 first (migrate/interpreter.go).
	Rank int
	// Why says, for a hint, which other environment the file describes.
	Why string
}

func decides(rank int) PythonEvidence { return PythonEvidence{Tier: TierDecide, Rank: rank} }

var informs = PythonEvidence{Tier: TierInform}

func hints(why string) PythonEvidence { return PythonEvidence{Tier: TierHint, Why: why} }

// contributor is the audience of kinds that always serve this checkout's
// contributors.
func contributor(*audiencePass, string) (Audience, string) { return AudienceContributor, "" }

func systemdAudience(*audiencePass, string) (Audience, string) {
	return AudienceOperator, "a systemd unit: it runs the deployed app, where the migration's environment is not"
}
