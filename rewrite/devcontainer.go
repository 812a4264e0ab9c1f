package rewrite

// Dev containers and Gitpod workspaces are never rewritten: they build
// their own venv in a container that has no Flox, and keep working as they
// are. Each line that creates or uses the venv is reported, so the
// maintainer decides whether to add Flox to the container.

const containerSuggestion = "Leave it if the container should keep its own venv (it works without Flox); " +
	"or add Flox to the image and replace these commands with `flox activate -- <command>`."

// Devcontainer reports the venv lines of devcontainer.json.
var Devcontainer = reportOnly("dev container's own venv (the container has no Flox), left as it is", containerSuggestion)

// DevcontainerScript reports the venv lines of scripts under .devcontainer/.
var DevcontainerScript = reportOnly("dev container's own venv (the container has no Flox), left as it is", containerSuggestion)

// Gitpod reports the venv lines of .gitpod.yml tasks.
var Gitpod = reportOnly("Gitpod workspace's own venv (the image has no Flox), left as it is", containerSuggestion)
