package detect

import (
	"fmt"
	"testing"
	"time"
)

func TestMakefileGolden(t *testing.T) {
	for _, dir := range []string{"makefile/classic", "makefile/oneshell", "makefile/managers", "makefile/odd"} {
		t.Run(dir, func(t *testing.T) { checkUsageGolden(t, dir) })
	}
}

func TestMakefile(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{
			name: "variables expand before the shell sees the recipe",
			src: "VENV := .venv\nBIN = $(VENV)/bin\nPY ?= $(BIN)/python\nPY ?= ignored\n\n" +
				"test:\n\t$(PY) -m pytest\n\t${BIN}/ruff check .\n",
			want: []string{
				"Makefile:2 venv bin dir=.venv [makefile] | BIN = $(VENV)/bin",
				"Makefile:3 venv bin dir=.venv [makefile] | PY ?= $(BIN)/python",
				"Makefile:7 venv bin dir=.venv [makefile] | $(PY) -m pytest",
				"Makefile:8 venv bin dir=.venv [makefile] | ${BIN}/ruff check .",
			},
		},
		{
			name: "$$ is the shell's dollar and unknown references stay as written",
			src: "install:\n\tVENV=env; $$VENV/bin/pip install -r requirements.txt\n\t$(VENV_PATH)/bin/pip install .\n" +
				"\t$(shell which python3) -m venv .venv\n\t$(PYTHON) -m venv $(VENV_PATH)\n\t$(PIP) install -e .\n\t$(UNKNOWN)/bin/pip install .\n",
			want: []string{
				"Makefile:2 venv bin dir=env [makefile] | VENV=env; $$VENV/bin/pip install -r requirements.txt",
				"Makefile:2 venv install dir=env [makefile] | VENV=env; $$VENV/bin/pip install -r requirements.txt",
				"Makefile:2 manager pip 1 (pip install)",
				"Makefile:3 venv bin dir=$(VENV_PATH) [makefile] | $(VENV_PATH)/bin/pip install .",
				"Makefile:3 venv install dir=$(VENV_PATH) [makefile] | $(VENV_PATH)/bin/pip install .",
				"Makefile:3 manager pip 1 (pip install)",
				"Makefile:4 venv create dir=.venv [makefile] | $(shell which python3) -m venv .venv",
				"Makefile:5 venv create dir=$(VENV_PATH) [makefile] | $(PYTHON) -m venv $(VENV_PATH)",
				"Makefile:6 venv install [makefile] | $(PIP) install -e .",
				"Makefile:6 manager pip 1 (pip install)",
			},
		},
		{
			name: "the Windows branch does not define the Unix paths",
			src:  "ifeq ($(OS),Windows_NT)\n  BIN = venv/Scripts\nelse\n  BIN = venv/bin\nendif\nrun:\n\t$(BIN)/python app.py\n",
			want: []string{
				"Makefile:4 venv bin dir=venv [makefile] | BIN = venv/bin",
				"Makefile:7 venv bin dir=venv [makefile] | $(BIN)/python app.py",
			},
		},
		{
			name: "continuation lines keep their own line",
			src:  "setup:\n\tpython3 -m venv .venv && \\\n\t  .venv/bin/pip install \\\n\t    -r requirements.txt && \\\n\t  npm ci\n",
			want: []string{
				"Makefile:2 venv create dir=.venv [makefile] | python3 -m venv .venv &&",
				"Makefile:3 venv bin dir=.venv [makefile] | .venv/bin/pip install",
				"Makefile:3 venv install dir=.venv [makefile] | .venv/bin/pip install",
				"Makefile:3 manager pip 1 (pip install)",
				"Makefile:5 command npm ci",
			},
		},
		{
			name: "define blocks, comments and echoed hints are not commands",
			src:  "define HELP\npython -m venv nope\nendef\n# python -m venv commented\nhelp:\n\t@echo \"Run: source venv/bin/activate\"\n\t# deactivate\n",
			want: nil,
		},
		{
			name: "self-referencing variables do not loop",
			src:  "A = $(A)/bin\nB = $(C)\nC = $(B)\nx:\n\t$(A)/python $(B)\n",
			want: nil,
		},
		{
			// make reads conditionals inside a rule's recipe and keeps the
			// recipe going after them; a tab-indented one goes to the shell.
			name: "conditional lines between recipe lines keep the recipe going",
			src:  "install:\nifeq ($(CI),true)\n\techo ci\nelse\n\tpython3 -m venv .venv\nendif\n\t.venv/bin/pip install -e .\n",
			want: []string{
				"Makefile:5 venv create dir=.venv [makefile] | python3 -m venv .venv",
				"Makefile:7 venv bin dir=.venv [makefile] | .venv/bin/pip install -e .",
				"Makefile:7 venv install dir=.venv [makefile] | .venv/bin/pip install -e .",
				"Makefile:7 manager pip 1 (pip install)",
			},
		},
		{
			name: "inline recipes and double-colon rules",
			src:  "lint:: ; uv run ruff check .\nfmt: ; poetry run black .\n",
			want: []string{
				"Makefile:1 command ruff check .",
				"Makefile:1 manager uv 1 (uv run)",
				"Makefile:2 command black .",
				"Makefile:2 manager poetry 1 (poetry run)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameUsageFacts(t, snippetFacts("Makefile", tt.src), tt.want)
		})
	}
}

func FuzzMakefile(f *testing.F) {
	seedUsageFuzz(f, "makefile", nil)
	f.Add("V = $(V)\nx: $(V)/bin/activate ; $(V)/bin/pip install .\n\t$$(echo $(shell x))\n")
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, "Makefile", src)
	})
}

// TestMakefileExpansionIsBounded checks that variables doubling at each
// level do not expand exponentially.
func TestMakefileExpansionIsBounded(t *testing.T) {
	src := "V0 = x\n"
	for i := 1; i <= 40; i++ {
		src += fmt.Sprintf("V%d = $(V%d)$(V%d)\n", i, i-1, i-1)
	}
	src += "all:\n\techo $(V40)\n"
	done := make(chan struct{})
	go func() { snippetFacts("Makefile", src); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("expansion did not finish")
	}
}
