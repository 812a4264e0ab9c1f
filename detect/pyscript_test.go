package detect

import (
	"slices"
	"testing"
)

// A Python provisioning script names what it installs as string
// literals: one per option ("-e core[test]") or one per argument.
func TestPythonProvision(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		dir       string
		args      []string
		ok        bool
	}{{
		name: "a list of options passed on to pip",
		src: `import subprocess, sys
PACKAGES = ['-e core[test]', '-e plugins/dns', "-r requirements/dev.txt"]
if sys.platform == "win32":
    PACKAGES.remove('-e plugins/dns')
def main():
    subprocess.check_call([sys.executable, "-m", "venv", "venv"])
    subprocess.check_call(["venv/bin/python", "-m", "pip", "install"] + PACKAGES)
`,
		dir: "venv", args: []string{"-e", "core[test]", "-e", "plugins/dns", "-r", "requirements/dev.txt"}, ok: true,
	}, {
		name: "one string per argument, venv.create",
		src: `import venv, subprocess
venv.create(".venv", with_pip=True)
subprocess.run([".venv/bin/pip", "install", "--editable", "libs/common", "-e", "https://example.org/x.git"])
`,
		dir: ".venv", args: []string{"-e", "libs/common"}, ok: true,
	}, {
		name: "no venv of its own",
		src:  "import subprocess\nsubprocess.run(['pip', 'install', '-e', '.'])  # into the active venv\n",
	}, {
		name: "a venv and nothing named to install",
		src:  "import subprocess, sys\nsubprocess.run([sys.executable, '-m', 'venv', '.venv'])\n",
		dir:  ".venv",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir, args, ok := PythonProvision(tc.src)
			if ok != tc.ok || ok && (dir != tc.dir || !slices.Equal(args, tc.args)) {
				t.Errorf("PythonProvision = %q, %q, %v; want %q, %q, %v", dir, args, ok, tc.dir, tc.args, tc.ok)
			}
		})
	}
}
