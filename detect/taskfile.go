package detect

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Taskfile.yml (go-task) runs each task's `cmds` in a shell after
// expanding Go templates ({{.VENV}}); variables come from `vars:` at the
// top and in each task.

func isTaskfile(rel string) bool {
	switch path.Base(rel) {
	case "Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml", "Taskfile.dist.yml", "Taskfile.dist.yaml":
		return true
	}
	return false
}

func extractTaskfile(s *scanner, f *textFile) {
	root := parseYAMLFile(s, f)
	if root == nil {
		return
	}
	lines := f.Lines()
	vars := taskfileVars(yamlGet(root, "vars"), nil)
	ss := newShellSession(s, f.Path, KindTaskfile)
	for _, p := range yamlPairs(yamlGet(root, "tasks")) {
		task := resolveAlias(p.Value)
		local := vars
		if task != nil && task.Kind == yaml.MappingNode {
			local = taskfileVars(yamlGet(task, "vars"), vars)
		}
		valueOf := func(expr string) (string, bool) {
			v, ok := local[strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(expr, "{{"), "}}"))]
			return v, ok
		}
		mask := func(src string, ph *placeholders) string {
			return maskTemplatesWith(src, ph, valueOf, [2]string{"{{", "}}"})
		}
		cmds := task
		if task != nil && task.Kind == yaml.MappingNode {
			cmds = yamlGet(task, "cmds")
		}
		for _, c := range yamlItems(cmds) {
			if c.Kind == yaml.MappingNode {
				c = resolveAlias(yamlGet(c, "cmd"))
			}
			if c != nil && c.Kind == yaml.ScalarNode && c.Value != "" {
				ss.analyze(yamlShellText(lines, c, &placeholders{}, mask))
			}
		}
	}
}

// taskfileVars reads plain string variables (VENV: .venv) over those of
// the enclosing level, keyed as templates name them (".VENV").
func taskfileVars(n *yaml.Node, outer map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range outer {
		out[k] = v
	}
	for _, p := range yamlPairs(n) {
		if v := resolveAlias(p.Value); v != nil && v.Kind == yaml.ScalarNode {
			out["."+p.Key.Value] = v.Value
		}
	}
	return out
}
