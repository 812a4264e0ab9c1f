package venvcmd

import "testing"

func TestBuiltinProperties(t *testing.T) {
	for _, tt := range []struct {
		name                  string
		builtin, shell, state bool
	}{
		{"cd", true, true, true},
		{"export", true, true, true},
		{"echo", true, false, false}, // /bin/echo exists: exec runs it
		{"test", true, false, false},
		{"source", true, true, false},
		{":", true, true, false},
		{"pytest", false, false, false},
		{"python3", false, false, false},
	} {
		if got := IsShellBuiltin(tt.name); got != tt.builtin {
			t.Errorf("IsShellBuiltin(%q) = %v", tt.name, got)
		}
		if got := NeedsShell(tt.name); got != tt.shell {
			t.Errorf("NeedsShell(%q) = %v", tt.name, got)
		}
		if got := ChangesShellState(tt.name); got != tt.state {
			t.Errorf("ChangesShellState(%q) = %v", tt.name, got)
		}
	}
}

func TestUnwrapAtAndRoot(t *testing.T) {
	words := []string{"sudo", "-u", "app", "timeout", "-k", "5", "600", "python3", "-m", "venv", ".venv"}
	if n, ok := UnwrapAt(words, 0); !ok || n != 3 {
		t.Errorf("UnwrapAt sudo = %d %v, want 3", n, ok)
	}
	if n, ok := UnwrapAt(words, 3); !ok || n != 7 {
		t.Errorf("UnwrapAt timeout = %d %v, want 7", n, ok)
	}
	if _, ok := UnwrapAt(words, 7); ok {
		t.Error("python3 is no wrapper")
	}
	if n, ok := UnwrapAt([]string{"command", "-v", "flox"}, 0); !ok || n != 3 {
		t.Errorf("command -v runs nothing: %d %v", n, ok)
	}
	for w, want := range map[string]bool{"sudo": true, "/usr/bin/sudo": true, "doas": true, "env": false, "./sudo": false} {
		if RunsAsRoot(w) != want {
			t.Errorf("RunsAsRoot(%q) != %v", w, want)
		}
	}
}

func TestToolEnvPackages(t *testing.T) {
	for spec, want := range map[string]bool{"tox": true, "tox_uv>=1": true, "pre-commit==3.7": true, "nox-uv": true,
		"pip": true, "pytest": false, "ruff": false, "": false} {
		if IsToolEnvPackage(spec) != want {
			t.Errorf("IsToolEnvPackage(%q) != %v", spec, want)
		}
	}
}

func TestVersionInVariable(t *testing.T) {
	for name, want := range map[string]bool{"python$PYVERSION": true, "pip${PY}": true, "pypy$V": true,
		"python3.12": false, "python": false, "$PYTHON": false, "python${": false, "pythonx$V": false} {
		if VersionInVariable(name) != want {
			t.Errorf("VersionInVariable(%q) != %v", name, want)
		}
	}
}
