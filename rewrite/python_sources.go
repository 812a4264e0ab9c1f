package rewrite

// Python that provisions or uses the venv (scripts/setup_dev.py, invoke's
// tasks.py) is never rewritten: venv2flox edits shell, not Python. Each
// line is reported, so that `make install` or `invoke bootstrap` does not
// silently build a second venv beside the one `flox activate` keeps.

// PythonScript reports the venv lines of a Python provisioning script.
var PythonScript = reportOnly("Python script builds or uses its own venv (Python is not rewritten)",
	"Drop its venv steps and run it inside `flox activate` (the hook builds and syncs the venv), or make it call `flox activate -- <command>`.")

// Taskfile reports the venv lines of a Taskfile's commands. Task expands
// Go templates before the shell runs them; rewriting them safely needs a
// {{.FLOX}} variable of its own, left to the maintainer.
var Taskfile = reportOnly("Taskfile command uses the old venv (not rewritten)",
	"Run these commands through `flox activate -- <command>`, or run task inside `flox activate` and call the tools by name; drop the tasks that create the venv.")

// Invoke reports the venv lines of invoke's tasks.py.
var Invoke = reportOnly("invoke task uses the old venv (tasks.py is Python, not rewritten)",
	"Run invoke inside `flox activate` and call the tools by name (c.run(\"pytest -q\")); drop the tasks that create the venv.")
