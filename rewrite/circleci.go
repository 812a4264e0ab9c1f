package rewrite

// CircleCI: jobs on a Python docker image move to the machine executor of
// Flox's CircleCI docs, install Flox with the flox orb, and run their
// commands through `flox activate`. The orb's own flox/activate step is not
// used: it evals its command after `flox activate --`, so only the first
// command of `a && b` would run in the environment.

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

const (
	ccFloxOrb      = "flox/orb@1.0.0"
	ccMachineImage = "ubuntu-2204:current"
)

type ccRewrite struct{ ciYAMLRewrite }

// CircleCI rewrites .circleci/config.yml.
func CircleCI(ctx *Context, path string, src []byte) (Result, error) {
	d, err := yeParse(src)
	if err != nil {
		return Result{New: src}, nil
	}
	c := &ccRewrite{ciYAMLRewrite{ctx: ctx, path: path, d: d}}
	_, jobs := yeGet(d.root, "jobs")
	migrated := 0
	if jobs != nil && jobs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(jobs.Content); i += 2 {
			if ctx.leaves(path, jobs.Content[i].Line) {
				continue // a release or deploy job: left as it is
			}
			if c.job(jobs.Content[i], jobs.Content[i+1]) {
				migrated++
			}
		}
	}
	if migrated > 0 {
		c.addOrb()
	}
	return dcFinishYAML(ctx, path, src, c.edits, c.followUps, "install Flox with the flox orb and run the commands with `flox activate`")
}

// ccPythonImage reports a CircleCI or official Python image.
func ccPythonImage(name string) bool {
	return strings.HasPrefix(name, "cimg/python:") || strings.HasPrefix(name, "circleci/python:") || glPythonImage(name)
}

// ccStep is one step: its name (`checkout`, `run`, `save_cache`, an orb
// command) and its argument.
func ccStep(n *yaml.Node) (string, *yaml.Node) {
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Value, nil
	case yaml.MappingNode:
		if len(n.Content) == 2 {
			return n.Content[0].Value, n.Content[1]
		}
	}
	return "", nil
}

// job migrates one job; it reports whether it did.
func (c *ccRewrite) job(key, job *yaml.Node) bool {
	if job.Kind != yaml.MappingNode {
		return false
	}
	_, steps := yeGet(job, "steps")
	if steps == nil || steps.Kind != yaml.SequenceNode {
		return false
	}
	dockerK, docker := yeGet(job, "docker")
	python := false
	if docker != nil && docker.Kind == yaml.SequenceNode && len(docker.Content) > 0 {
		python = ccPythonImage(yeString(docker.Content[0], "image"))
	}
	var edits []Edit
	setup := false
	checkout := -1
	removedCaches := map[string]bool{}
	type runStep struct {
		item, cmd *yaml.Node
		plan      dcSnippetPlan
	}
	var runs []runStep
	for i, s := range steps.Content {
		name, arg := ccStep(s)
		switch {
		case name == "flox/install":
			return false // migrated already
		case name == "checkout" && checkout < 0:
			checkout = i
		case name == "python/install-packages":
			setup = true
			if !c.removeItem(&edits, s) {
				return false
			}
		case name == "save_cache":
			if ghVenvCache(c.ctx, strings.Join(ccScalars(yeValue(arg, "paths")), "\n")) {
				removedCaches[yeString(arg, "key")] = true
				if !c.removeItem(&edits, s) {
					return false
				}
			}
		case name == "run":
			cmd := arg
			if arg != nil && arg.Kind == yaml.MappingNode {
				cmd = yeValue(arg, "command")
			}
			if cmd == nil || cmd.Kind != yaml.ScalarNode {
				continue
			}
			p := dcPlanSnippet(c.ctx, cmd.Value, "")
			if p.Setup {
				setup = true
			}
			runs = append(runs, runStep{item: s, cmd: cmd, plan: p})
		}
	}
	for _, s := range steps.Content {
		if name, arg := ccStep(s); name == "restore_cache" {
			keys := append(ccScalars(yeValue(arg, "keys")), yeString(arg, "key"))
			for _, k := range keys {
				if k != "" && removedCaches[k] {
					if !c.removeItem(&edits, s) {
						return false
					}
					break
				}
			}
		}
	}
	if !setup && !python {
		return false
	}
	if !python {
		c.follow(key, "job "+key.Value+" sets up a venv but does not run on a Python docker image",
			"add the flox orb's flox/install step and run its commands with `flox activate`")
		return false
	}
	if len(docker.Content) > 1 {
		var services []string
		for _, s := range docker.Content[1:] {
			if img := yeString(s, "image"); img != "" {
				services = append(services, img)
			}
		}
		c.follow(dockerK, "job "+key.Value+" left on its Python image: it runs service containers ("+strings.Join(services, ", ")+
			") and the machine executor Flox's CircleCI docs use has none",
			"on the machine executor, start the services with `docker run -d -p PORT:PORT IMAGE` steps before the tests, then install Flox with flox/install and run the commands with `flox activate --`")
		return false
	}
	if checkout < 0 {
		c.follow(key, "job "+key.Value+" has no checkout step", "check out the repository before `flox/install`")
		return false
	}
	// A job on another Python than the environment's, or one that only
	// runs tox, nox or pre-commit, keeps its image: what it runs keeps
	// working without Flox.
	image := yeString(docker.Content[0], "image")
	if _, tag, ok := strings.Cut(image[strings.LastIndex(image, "/")+1:], ":"); ok && c.ctx.Python != "" {
		if v, _, _ := strings.Cut(tag, "-"); strings.HasPrefix(v, "3.") && !sameMinor(v, c.ctx.Python) {
			c.follow(key, "job "+key.Value+": left as it is: runs on "+image+" and the Flox environment has Python "+c.ctx.Python, glLeftSuggestion)
			return false
		}
	}
	toolEnvsOnly := len(runs) > 0
	for _, r := range runs {
		if ghRunKind(r.cmd.Value) != runToolEnv && !(r.plan.Setup && !r.plan.Remaining) {
			toolEnvsOnly = false
		}
	}
	if toolEnvsOnly {
		return false
	}
	// The executor: docker python image -> Flox's documented machine image.
	start, end, ok := c.d.entry(dockerK, docker)
	if !ok {
		return false
	}
	ind := c.d.line(dockerK.Line)[:dcIndent(c.d.line(dockerK.Line))]
	nl := c.d.nl
	edits = append(edits, Edit{Start: start, End: end, Text: ind + "machine:" + nl + ind + "  image: " + ccMachineImage + nl})
	it, ok := c.d.item(steps.Content[checkout])
	if !ok {
		return false
	}
	edits = append(edits, Edit{Start: it.end, End: it.end, Text: it.indent + "- flox/install" + nl})
	for _, r := range runs {
		if r.plan.ParseErr != nil {
			c.follow(r.cmd, "run step that is not shell venv2flox can read", "run it with `flox activate`")
			return false
		}
		if r.plan.Blocked {
			for _, is := range r.plan.Refused {
				c.follow(r.cmd, "job "+key.Value+": venv setup it cannot replace: "+is.Msg, "migrate this job by hand")
			}
			return false
		}
		if r.plan.Setup && !r.plan.Remaining {
			if !c.removeItem(&edits, r.item) {
				return false
			}
			continue
		}
		if dcRunsToxOrNox(r.cmd.Value) {
			c.follow(r.cmd, dcToxMessage, dcToxSuggestion)
		}
		out, err := applyEdits([]byte(r.cmd.Value), r.plan.Edits)
		if err != nil {
			return false
		}
		script := strings.TrimRight(string(out), "\n")
		wrapped, ok := dcWrapLines(dcActivateCmd(c.ctx), script, false)
		if !ok {
			c.follow(r.cmd, "multi-line command that changes directory or uses compound commands",
				"run it as `flox activate -c '...'`")
			return false
		}
		e, ok := c.d.replaceScalar(r.cmd, wrapped)
		if !ok {
			c.follow(r.cmd, "could not edit this command", "run it as "+wrapped)
			return false
		}
		edits = append(edits, e)
	}
	c.edits = append(c.edits, edits...)
	return true
}

// ccScalars returns the scalar values of a sequence, or of one scalar.
func ccScalars(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind == yaml.ScalarNode {
			out = append(out, c.Value)
		}
	}
	return out
}

// removeItem deletes a step.
func (c *ccRewrite) removeItem(edits *[]Edit, n *yaml.Node) bool {
	it, ok := c.d.item(n)
	if !ok {
		c.follow(n, "could not remove this step", "remove it by hand")
		return false
	}
	s, e := c.d.removal(n, it)
	*edits = append(*edits, Edit{Start: s, End: e})
	return true
}

// addOrb declares the flox orb, in `orbs:` or in a new `orbs:` after `version:`.
func (c *ccRewrite) addOrb() {
	nl := c.d.nl
	orbsK, orbs := yeGet(c.d.root, "orbs")
	if orbs != nil && orbs.Kind == yaml.MappingNode && len(orbs.Content) > 0 {
		if _, f := yeGet(orbs, "flox"); f != nil {
			return
		}
		first := orbs.Content[0]
		off := c.d.offset(first)
		ls := c.d.starts[first.Line-1]
		if off < 0 || strings.TrimLeft(string(c.d.src[ls:off]), " ") != "" {
			c.follow(orbsK, "could not add the flox orb", "add `flox: "+ccFloxOrb+"` under orbs")
			return
		}
		c.edits = append(c.edits, Edit{Start: ls, End: ls, Text: string(c.d.src[ls:off]) + "flox: " + ccFloxOrb + nl})
		return
	}
	if orbsK != nil {
		c.follow(orbsK, "could not add the flox orb", "add `flox: "+ccFloxOrb+"` under orbs")
		return
	}
	at := 0
	if vk, _ := yeGet(c.d.root, "version"); vk != nil {
		if _, end, ok := c.d.entry(vk, yeValue(c.d.root, "version")); ok {
			at = end
		}
	}
	text := "orbs:" + nl + "  flox: " + ccFloxOrb + nl
	if at > 0 {
		text = nl + text
	} else {
		text += nl
	}
	c.edits = append(c.edits, Edit{Start: at, End: at, Text: text})
}
