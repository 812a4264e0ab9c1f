package migrate

import (
	"fmt"
	"strings"
)

// One interpreter across a repository's environments: an environment whose
// own files ask for a minor exactly (.python-version, --python, a lock
// file) or whose setup builds its venv with one keeps it; the others take
// the minor most of those ask for (the top environment's on a tie, else
// the newest), or, when none asks, the one most environments got, unless
// their requirements exclude it, which their plan then says.

// SharedPython is the interpreter the environments of a recursive run
// share: plans[i] is the plan of the environment at dirs[i] (nil when it
// has none). replan lists the environments to plan again with it
// (PlanOptions.Repository).
func SharedPython(dirs []string, plans []*Plan) (repo RepositoryPython, replan []int) {
	repo = repositoryPython(dirs, plans)
	for i, plan := range plans {
		if repo.Minor != "" && plan != nil && plan.Interpreter.Minor != repo.Minor && !ownPython(plan) {
			replan = append(replan, i)
		}
	}
	return repo, replan
}

// repositoryPython is the minor the environments share, and where it
// comes from. It is empty for fewer than two environments.
func repositoryPython(dirs []string, plans []*Plan) RepositoryPython {
	var planned, asked []int
	for i, plan := range plans {
		if plan == nil {
			continue
		}
		planned = append(planned, i)
		if ownPython(plan) {
			asked = append(asked, i)
		}
	}
	if len(planned) < 2 {
		return RepositoryPython{}
	}
	from := asked
	if len(from) == 0 {
		from = planned
	}
	count := map[string]int{}
	for _, i := range from {
		count[plans[i].Interpreter.Minor]++
	}
	// better: asked for by more environments, else the top one's, else newer.
	better := func(i, than int) bool {
		m, tm := plans[i].Interpreter.Minor, plans[than].Interpreter.Minor
		switch {
		case count[m] != count[tm]:
			return count[m] > count[tm]
		case m == tm || dirs[than] == ".":
			return false
		}
		return dirs[i] == "." || newerMinor(m, tm)
	}
	best := from[0]
	for _, i := range from[1:] {
		if better(i, best) {
			best = i
		}
	}
	minor := plans[best].Interpreter.Minor
	if len(asked) == 0 {
		return RepositoryPython{Minor: minor, Why: fmt.Sprintf("what %d of its %d environments get", count[minor], len(planned))}
	}
	return RepositoryPython{Minor: minor, Why: askedWhere(dirs[best], plans[best])}
}

// ownPython reports a plan whose minor the project's own files or setup
// ask for.
func ownPython(plan *Plan) bool {
	return plan.Interpreter.Asked || recipePython(plan) == plan.Interpreter.Minor
}

// recipePython is the minor the project's setup recipe builds its venv
// with ("" when it names none).
func recipePython(plan *Plan) string {
	if plan.Setup == nil {
		return ""
	}
	for _, l := range plan.Setup.RecipeSet {
		if v, ok := strings.CutPrefix(l, "python "); ok {
			return v
		}
	}
	return ""
}

// askedWhere says where the environment at dir asks for its Python, by
// repository-relative evidence.
func askedWhere(dir string, plan *Plan) string {
	if !plan.Interpreter.Asked && plan.Setup != nil && plan.Setup.Evidence != nil {
		return fmt.Sprintf("%s builds its venv with Python %s", joinRel(dir, plan.Setup.Evidence.String()), plan.Interpreter.Minor)
	}
	if ev := plan.Interpreter.Reason.Evidence; len(ev) > 0 {
		return fmt.Sprintf("%s asks for %s", joinRel(dir, ev[0].String()), plan.Interpreter.Minor)
	}
	return "the environment at " + dir
}

// newerMinor reports whether minor a ("3.12") is newer than b.
func newerMinor(a, b string) bool {
	var am, bm int
	fmt.Sscanf(a, "3.%d", &am)
	fmt.Sscanf(b, "3.%d", &bm)
	return am > bm
}
