package rewrite

// Azure Pipelines: Flox documents no task or image for Azure, so the file
// is left as it is and every Python and venv setup step is reported with
// what to do by hand.

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// azSuggestion is the manual migration for an Azure job.
const azSuggestion = "install Flox on the agent (Debian package, see " + dcFloxInstallURL +
	") and run the job's commands with `flox activate -- CMD`; then drop this step"

// AzurePipelines reports the Python setup of azure-pipelines.yml.
func AzurePipelines(ctx *Context, path string, src []byte) (Result, error) {
	res := Result{New: src}
	d, err := yeParse(src)
	if err != nil {
		return res, nil
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || ctx.leaves(path, n.Line) {
			return
		}
		if n.Kind == yaml.MappingNode {
			if k, task := yeGet(n, "task"); task != nil && strings.HasPrefix(strings.ToLower(task.Value), "usepythonversion@") {
				res.FollowUps = append(res.FollowUps, dcFollowUp(path, k.Line, "UsePythonVersion sets up Python", azSuggestion))
			}
			for _, key := range []string{"script", "bash"} {
				if k, s := yeGet(n, key); s != nil && s.Kind == yaml.ScalarNode {
					if p := dcPlanSnippet(ctx, s.Value, ""); p.Setup {
						res.FollowUps = append(res.FollowUps, dcFollowUp(path, k.Line, "step creates, activates or fills a venv", azSuggestion))
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(d.root)
	return res, nil
}
