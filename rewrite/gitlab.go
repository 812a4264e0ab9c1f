package rewrite

// GitLab CI: jobs on a python image move to the Flox image; their venv
// setup lines go, their other script lines run through `flox activate`,
// and venv folders leave the cache.

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

const glFloxImage = "ghcr.io/flox/flox:latest"

// glGlobalKeys are top-level keys that are not jobs.
var glGlobalKeys = []string{
	"default", "include", "stages", "variables", "workflow", "image",
	"services", "cache", "before_script", "after_script", "types", "spec",
}

// glScriptKeys hold commands run in the job's image.
var glScriptKeys = []string{"before_script", "script"}

type glRewrite struct{ ciYAMLRewrite }

// GitLabCI rewrites .gitlab-ci.yml.
func GitLabCI(ctx *Context, path string, src []byte) (Result, error) {
	d, err := yeParse(src)
	if err != nil {
		return Result{New: src}, nil
	}
	g := &glRewrite{ciYAMLRewrite{ctx: ctx, path: path, d: d}}
	g.run()
	return dcFinishYAML(ctx, path, src, g.edits, g.followUps, "use the Flox image and `flox activate`")
}

// glImageName returns an `image:` value's name (string or {name: ...}).
func glImageName(v *yaml.Node) (string, *yaml.Node) {
	if v == nil {
		return "", nil
	}
	if v.Kind == yaml.MappingNode {
		_, n := yeGet(v, "name")
		if n == nil || n.Kind != yaml.ScalarNode {
			return "", nil
		}
		return n.Value, n
	}
	if v.Kind == yaml.ScalarNode {
		return v.Value, v
	}
	return "", nil
}

// glPythonImage reports an official-style Python image.
func glPythonImage(name string) bool {
	base := name[strings.LastIndex(name, "/")+1:]
	return base == "python" || strings.HasPrefix(base, "python:") || strings.HasPrefix(base, "python@")
}

// glJob is one job and where its image comes from.
type glJob struct {
	name      string
	key, node *yaml.Node
	image     *yaml.Node // own image value, nil when inherited
}

func (g *glRewrite) run() {
	root := g.d.root
	_, def := yeGet(root, "default")
	_, globalImage := yeGet(root, "image")
	if _, di := yeGet(def, "image"); di != nil {
		globalImage = di
	}
	globalName, _ := glImageName(globalImage)
	globalPython := glPythonImage(globalName)

	var jobs []glJob
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if slices.Contains(glGlobalKeys, k.Value) || v.Kind != yaml.MappingNode {
			continue
		}
		_, img := yeGet(v, "image")
		jobs = append(jobs, glJob{name: k.Value, key: k, node: v, image: img})
	}
	templates := map[string]glJob{}
	for _, j := range jobs {
		templates[j.name] = j
	}
	// Which jobs run on a python image, directly, through extends, or by default.
	var affected []glJob
	for _, j := range jobs {
		if g.ctx.leaves(g.path, j.key.Line) {
			continue // a release or deploy job: left as it is
		}
		img := g.imageOf(j, templates, 0)
		switch {
		case img == nil && globalPython:
			affected = append(affected, j)
		case img != nil:
			if n, _ := glImageName(img); glPythonImage(n) {
				affected = append(affected, j)
			}
		}
	}
	if len(affected) == 0 {
		if g.hasVenvSetup(root, def, jobs) {
			g.follow(root, "venv setup on a runner without a python image (shell executor or custom image)",
				"install Flox on the runner or use the image "+glFloxImage+", then run the commands with `flox activate`")
		}
		return
	}
	// A job that cannot move keeps its image; when that image is the
	// global one, nothing moves, since the others share it.
	kept := affected[:0:0]
	for _, j := range affected {
		why := g.blocker(j)
		if why == "" {
			kept = append(kept, j)
			continue
		}
		if j.image == nil {
			g.follow(j.key, "job "+j.name+": left as it is, with the jobs that share its image: "+why, glLeftSuggestion)
			return
		}
		if why != glToolEnvsOnly { // such a job never used the project's venv
			g.follow(j.key, "job "+j.name+": left as it is: "+why, glLeftSuggestion)
		}
	}
	if affected = kept; len(affected) == 0 {
		return
	}
	// Jobs on other images inherit the global before_script too.
	_, globalBefore := yeGet(root, "before_script")
	if _, db := yeGet(def, "before_script"); db != nil {
		globalBefore = db
	}
	if globalBefore != nil && globalPython {
		for _, j := range jobs {
			if j.image != nil && !glIsAffected(j, affected) {
				if _, own := yeGet(j.node, "before_script"); own == nil {
					g.follow(j.key, "job "+j.name+" has its own image but inherits the global before_script",
						"give it its own before_script, then migrate the global one")
					return
				}
			}
		}
	}
	var edits []Edit
	ok := true
	if globalPython {
		_, gi := glImageName(globalImage)
		ok = ok && g.replace(&edits, gi, glFloxImage)
		if globalBefore != nil {
			k, _ := yeGet(root, "before_script")
			if _, db := yeGet(def, "before_script"); db != nil {
				k, _ = yeGet(def, "before_script")
			}
			ok = ok && g.script(&edits, k, globalBefore, false)
		}
	}
	for _, c := range []*yaml.Node{yeValue(root, "cache"), yeValue(def, "cache")} {
		ok = ok && g.cache(&edits, c)
	}
	for _, j := range affected {
		if j.image != nil {
			_, n := glImageName(j.image)
			ok = ok && g.replace(&edits, n, glFloxImage)
		}
		for _, key := range glScriptKeys {
			if k, s := yeGet(j.node, key); s != nil {
				ok = ok && g.script(&edits, k, s, key == "script")
			}
		}
		ok = ok && g.cache(&edits, yeValue(j.node, "cache"))
	}
	if ok {
		g.edits = append(g.edits, edits...)
	}
}

func glIsAffected(j glJob, list []glJob) bool {
	for _, a := range list {
		if a.node == j.node {
			return true
		}
	}
	return false
}

// imageOf returns a job's image value, following `extends:` within the file.
func (g *glRewrite) imageOf(j glJob, templates map[string]glJob, depth int) *yaml.Node {
	if j.image != nil || depth > 8 {
		return j.image
	}
	_, ext := yeGet(j.node, "extends")
	var names []string
	if ext != nil && ext.Kind == yaml.ScalarNode {
		names = []string{ext.Value}
	} else if ext != nil && ext.Kind == yaml.SequenceNode {
		for _, n := range ext.Content {
			names = append(names, n.Value)
		}
	}
	var img *yaml.Node
	for _, n := range names { // later templates win, as in GitLab
		if t, ok := templates[n]; ok {
			if i := g.imageOf(t, templates, depth+1); i != nil {
				img = i
			}
		}
	}
	return img
}

// glToolEnvsOnly is why a job that only runs tox, nox or pre-commit stays.
const glToolEnvsOnly = "only runs tools that build their own environments (tox, nox, pre-commit, uvx)"

// glLeftSuggestion is what a job left on its image needs: nothing.
const glLeftSuggestion = "nothing to do: the scripts and Makefile targets it runs keep working without Flox, on the image's Python"

// blocker returns why a job cannot move to the Flox environment: several
// Pythons, another Python than the environment's, Windows, or only tools
// that build their own environments.
func (g *glRewrite) blocker(j glJob) string {
	name, _ := glImageName(j.image)
	if strings.Contains(name, "$") {
		return "its image is chosen by a variable (" + name + ")"
	}
	if _, tag, ok := strings.Cut(name[strings.LastIndex(name, "/")+1:], ":"); ok && g.ctx.Python != "" {
		v, _, _ := strings.Cut(tag, "-")
		if strings.HasPrefix(v, "3.") && !sameMinor(v, g.ctx.Python) {
			return "runs on " + name + " and the Flox environment has Python " + g.ctx.Python
		}
	}
	if kind := glScriptKind(j.node); kind == runToolEnv {
		return glToolEnvsOnly
	}
	if _, p := yeGet(j.node, "parallel"); p != nil {
		if _, m := yeGet(p, "matrix"); m != nil {
			return "runs a parallel matrix"
		}
	}
	for _, tag := range glTags(j.node) {
		if strings.Contains(strings.ToLower(tag), "windows") {
			return "runs on a Windows runner"
		}
	}
	return ""
}

func glTags(job *yaml.Node) []string {
	var out []string
	if _, t := yeGet(job, "tags"); t != nil {
		for _, n := range t.Content {
			out = append(out, n.Value)
		}
	}
	return out
}

// hasVenvSetup reports venv setup anywhere in the file's scripts.
func (g *glRewrite) hasVenvSetup(root, def *yaml.Node, jobs []glJob) bool {
	nodes := []*yaml.Node{yeValue(root, "before_script"), yeValue(def, "before_script")}
	for _, j := range jobs {
		for _, k := range glScriptKeys {
			nodes = append(nodes, yeValue(j.node, k))
		}
	}
	for _, n := range nodes {
		for _, s := range glScriptItems(n) {
			if p := dcPlanSnippet(g.ctx, s.Value, ""); p.Setup {
				return true
			}
		}
	}
	return false
}

// glScriptItems returns the scalar lines of a script (a list or one string).
func glScriptItems(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []*yaml.Node{n}
	}
	var out []*yaml.Node
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode {
				out = append(out, c)
			}
		}
	}
	return out
}

// replace sets scalar n to value.
func (g *glRewrite) replace(edits *[]Edit, n *yaml.Node, value string) bool {
	if n == nil {
		return true
	}
	e, ok := g.d.replaceScalar(n, value)
	if !ok {
		g.follow(n, "could not edit this value", "set it to "+value)
		return false
	}
	*edits = append(*edits, e)
	return true
}

// script removes the venv setup lines of a script and runs the others
// through `flox activate`. A before_script left empty goes as a whole; a
// job script that was nothing but setup keeps its lines, wrapped, so the
// job still has something to run. Scripts reach here only for jobs moved
// to Flox's image, so system package installs go (the environment
// provides those libraries) and are never wrapped.
func (g *glRewrite) script(edits *[]Edit, key, n *yaml.Node, required bool) bool {
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode || c.Tag == "!reference" {
				g.follow(c, "script entry that is not a command line", "run it with `flox activate`")
				return false
			}
		}
	} else if n.Kind != yaml.ScalarNode {
		return true
	}
	items := glScriptItems(n)
	type action struct {
		item *yaml.Node
		drop bool
		cmd  string // "" leaves the line as it is
	}
	var acts []action
	kept := 0
	for _, c := range items {
		a := action{item: c, cmd: strings.TrimRight(c.Value, "\n")}
		if dcIsFloxCommand(a.cmd) || dcShellStateOnly(a.cmd) {
			acts = append(acts, action{item: c})
			kept++
			continue
		}
		if sys := dcSystemCommand(a.cmd); sys.Any {
			if sys.Only {
				g.followUps = append(g.followUps, dcSystemFollowUp(g.path, c.Line, sys))
				acts = append(acts, action{item: c, drop: true})
			} else {
				g.followUps = append(g.followUps, dcSystemKeptFollowUp(g.path, c.Line))
				acts = append(acts, action{item: c})
				kept++
			}
			continue
		}
		p := dcPlanSnippet(g.ctx, a.cmd, "")
		for _, is := range p.Refused {
			g.follow(c, "left a venv command in place: "+is.Msg, "remove it once Flox provides the venv")
		}
		switch {
		case p.Blocked:
			return false
		case p.ParseErr != nil:
		case p.Setup && !p.Remaining:
			a.drop = true
		case p.Setup:
			out, err := applyEdits([]byte(a.cmd), p.Edits)
			if err != nil {
				return false
			}
			a.cmd = strings.TrimRight(string(out), "\n")
		}
		if !a.drop {
			kept++
			if dcRunsToxOrNox(a.cmd) {
				g.follow(c, dcToxMessage, dcToxSuggestion)
			}
		}
		acts = append(acts, a)
	}
	if kept == 0 && required {
		// The job must still run something: its setup, in the environment.
		wrapped := false
		for i := range acts {
			if acts[i].cmd != "" {
				acts[i].drop, wrapped = false, true
			}
		}
		for i := range acts {
			acts[i].drop = acts[i].drop && wrapped
		}
	}
	if kept == 0 && !required {
		start, end, ok := g.d.entry(key, n)
		if !ok {
			g.follow(key, "could not remove this script", "remove it by hand")
			return false
		}
		*edits = append(*edits, Edit{Start: start, End: end})
		return true
	}
	for _, a := range acts {
		switch {
		case a.drop:
			it, ok := g.d.item(a.item)
			if !ok {
				g.follow(a.item, "could not remove this line", "remove it by hand")
				return false
			}
			start, end := g.d.removal(a.item, it)
			*edits = append(*edits, Edit{Start: start, End: end})
		case a.cmd == "":
		default:
			wrapped := dcWrapCommand(glActivate(g.ctx), a.cmd)
			e, ok := g.d.replaceScalar(a.item, wrapped)
			if !ok {
				g.follow(a.item, "could not wrap this command", "run it as "+wrapped)
				return false
			}
			*edits = append(*edits, e)
		}
	}
	return true
}

// cache removes venv folders from `cache: paths:`; a cache left with no
// paths goes as a whole.
func (g *glRewrite) cache(edits *[]Edit, c *yaml.Node) bool {
	if c == nil || c.Kind != yaml.MappingNode {
		return true
	}
	pk, paths := yeGet(c, "paths")
	if paths == nil || paths.Kind != yaml.SequenceNode {
		return true
	}
	var keep []*yaml.Node
	var drop []*yaml.Node
	for _, p := range paths.Content {
		if glVenvPath(g.ctx, p.Value) {
			drop = append(drop, p)
		} else {
			keep = append(keep, p)
		}
	}
	if len(drop) == 0 {
		return true
	}
	if len(keep) == 0 {
		g.follow(pk, "the cache only held the venv", "remove the cache, or cache .flox/cache")
		return true
	}
	if paths.Style&yaml.FlowStyle != 0 {
		s := g.d.offset(paths)
		e := strings.IndexByte(g.d.line(paths.Line)[s-g.d.starts[paths.Line-1]:], ']')
		if s < 0 || e < 0 {
			return false
		}
		var parts []string
		for _, k := range keep {
			ks, ke, ok := g.d.scalarRange(k)
			if !ok {
				return false
			}
			parts = append(parts, string(g.d.src[ks:ke]))
		}
		*edits = append(*edits, Edit{Start: s, End: s + e + 1, Text: "[" + strings.Join(parts, ", ") + "]"})
		return true
	}
	for _, p := range drop {
		it, ok := g.d.item(p)
		if !ok {
			return false
		}
		*edits = append(*edits, Edit{Start: it.start, End: it.end})
	}
	return true
}

// glVenvPath reports a cache path that is one of the project's venvs.
func glVenvPath(ctx *Context, p string) bool {
	p = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(p), "./"), "/")
	for _, d := range dcVenvDirs(ctx) {
		if p == d {
			return true
		}
	}
	return false
}

// glActivate names the environment by absolute path, so that a script line
// after `cd doc` still finds it.
func glActivate(ctx *Context) string {
	if ctx.ProjectDir == "" || ctx.ProjectDir == "." {
		return `flox activate -d "$CI_PROJECT_DIR"`
	}
	return `flox activate -d "$CI_PROJECT_DIR"/` + dcShellWord(ctx.ProjectDir)
}

// glScriptKind is what a job's script does with Python, as ghRunKind.
func glScriptKind(job *yaml.Node) runKind {
	kind := runOther
	for _, s := range glScriptItems(yeValue(job, "script")) {
		kind = max(kind, ghRunKind(s.Value))
	}
	return kind
}
