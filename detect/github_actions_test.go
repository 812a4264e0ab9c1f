package detect

import (
	"testing"
)

func TestGitHubWorkflowGolden(t *testing.T) {
	checkUsageGolden(t, "github/matrix")
}

func TestGitHubWorkflow(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{
			name: "python-version list input and defaults.run.shell pwsh",
			src: "defaults:\n  run:\n    shell: pwsh\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n" +
				"      - uses: actions/setup-python@v5\n        with:\n          python-version: |\n            3.11\n            3.12\n" +
				"      - run: .venv\\Scripts\\Activate.ps1\n",
			want: []string{
				".github/workflows/w.yml:5 ci github-workflow t pythons=3.11,3.12 os=ubuntu-latest actions=actions/setup-python@v5",
				".github/workflows/w.yml:11 python github-workflow 3.11 matrix",
				".github/workflows/w.yml:12 python github-workflow 3.12 matrix",
				".github/workflows/w.yml:13 venv activate dir=.venv windows [github-workflow] | .venv\\Scripts\\Activate.ps1",
			},
		},
		{
			name: "matrix values from include only, and env expressions in run",
			src: "env:\n  VENV: venv\njobs:\n  t:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        include:\n          - os: ubuntu-22.04\n            py: pypy3.10\n" +
				"    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.py }}\n" +
				"      - run: |\n          ${{ env.VENV }}/bin/pip install -r requirements.txt\n          echo ${{ secrets.TOKEN }} | docker login --password-stdin\n",
			want: []string{
				// One include entry is one combination: not a matrix.
				".github/workflows/w.yml:4 ci github-workflow t pythons=pypy3.10 os=ubuntu-22.04 actions=actions/setup-python@v5",
				".github/workflows/w.yml:10 python github-workflow 3.10 impl=pypy",
				".github/workflows/w.yml:16 venv bin dir=venv [github-workflow] | ${{ env.VENV }}/bin/pip install -r requirements.txt",
				".github/workflows/w.yml:16 venv install dir=venv [github-workflow] | ${{ env.VENV }}/bin/pip install -r requirements.txt",
				".github/workflows/w.yml:16 manager pip 1 (pip install)",
				".github/workflows/w.yml:17 command docker login --password-stdin",
			},
		},
		{
			// The matrix Pythons reach the tests through run steps, not a
			// setup action; a matrix key that is no Python (task) and
			// `mkdir -p` are not read as one.
			name: "matrix Pythons handed to uv run --python and python3.X -m venv",
			src: "jobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        include:\n" +
				"          - {python: \"3.12\", task: check}\n          - {python: \"3.13\", task: check}\n" +
				"    steps:\n      - run: mkdir -p ${{ matrix.task }}\n      - run: uv run --python ${{ matrix.python }} poe ${{ matrix.task }}\n" +
				"      - run: python${{ matrix.python }} -m venv testenv\n",
			want: []string{
				".github/workflows/w.yml:2 ci github-workflow t pythons=3.12,3.13 matrix os=ubuntu-latest",
				".github/workflows/w.yml:7 python github-workflow 3.12 matrix",
				".github/workflows/w.yml:8 python github-workflow 3.13 matrix",
				".github/workflows/w.yml:10 command mkdir -p ${{ matrix.task }}",
				".github/workflows/w.yml:11 command poe ${{ matrix.task }}",
				".github/workflows/w.yml:11 manager uv 1 (uv run)",
			},
		},
		{
			name: "a plain multi-line run and a quoted one",
			src:  "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m venv .venv &&\n          .venv/bin/pip install tox\n      - run: \"uv sync\"\n",
			want: []string{
				".github/workflows/w.yml:2 ci github-workflow t os=ubuntu-latest",
				".github/workflows/w.yml:5 venv create dir=.venv [github-workflow] | python -m venv .venv",
				".github/workflows/w.yml:6 venv bin dir=.venv [github-workflow] | .venv/bin/pip install tox",
				".github/workflows/w.yml:6 venv install dir=.venv [github-workflow] | .venv/bin/pip install tox",
				".github/workflows/w.yml:6 manager pip 1 (pip install)",
				".github/workflows/w.yml:7 venv install [github-workflow] | uv sync",
				".github/workflows/w.yml:7 manager uv 1 (uv sync)",
			},
		},
		{
			name: "CRLF line ends",
			src:  "jobs:\r\n  t:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - run: |\r\n          python -m venv .venv\r\n          source .venv/bin/activate\r\n",
			want: []string{
				".github/workflows/w.yml:2 ci github-workflow t os=ubuntu-latest",
				".github/workflows/w.yml:6 venv create dir=.venv [github-workflow] | python -m venv .venv",
				".github/workflows/w.yml:7 venv activate dir=.venv [github-workflow] | source .venv/bin/activate",
			},
		},
		{
			// A script in another language is not shell: no facts, no problem.
			name: "steps whose shell is Python, Perl or a path to Python",
			src: "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n" +
				"      - shell: python\n        run: |\n          import venv; venv.create('.venv')\n          print(f\"{'x'}\")\n" +
				"      - shell: perl {0}\n        run: print \"pip install x\\n\";\n" +
				"      - shell: /usr/bin/python3 {0}\n        run: print('$ pip install (x')\n",
			want: []string{".github/workflows/w.yml:2 ci github-workflow t os=ubuntu-latest"},
		},
		{
			// yaml.v3 cites the block the broken flow sequence is in.
			name: "malformed YAML is a problem at its line",
			src:  "jobs:\n  t:\n    steps:\n      - run: [unclosed\n",
			want: []string{".github/workflows/w.yml:3 problem YAML: did not find expected ',' or ']'"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameUsageFacts(t, snippetFacts(".github/workflows/w.yml", tt.src), tt.want)
		})
	}
}

func FuzzGitHubWorkflow(f *testing.F) {
	seedUsageFuzz(f, "github", nil)
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, ".github/workflows/ci.yml", src)
		fuzzUsageScan(t, ".github/actions/a/action.yml", src)
	})
}
