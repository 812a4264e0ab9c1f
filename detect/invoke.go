package detect

// invoke's tasks.py defines tasks as Python functions that run shell
// command lines (c.run(".venv/bin/pytest")). They are read like other
// Python that runs commands; tasks.py is never rewritten.

func isInvokeTasks(rel string) bool { return rel == "tasks.py" || rel == "tasks/__init__.py" }

func extractInvoke(s *scanner, f *textFile) {
	pythonVenvFacts(newShellSession(s, f.Path, KindInvoke), pyTokens(f.Text))
}
