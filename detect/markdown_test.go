package detect

import (
	"testing"
)

func TestMarkdownGolden(t *testing.T) {
	for _, dir := range []string{"markdown/readme", "markdown/rst"} {
		t.Run(dir, func(t *testing.T) { checkUsageGolden(t, dir) })
	}
}

func TestMarkdownBlocks(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            []string
	}{
		{
			name: "prompts are removed and output is skipped",
			file: "README.md",
			src:  "```console\n$ python -m venv .venv\n(.venv) $ pip install -e .\nSuccessfully installed acme\nuser@host:~/acme$ deactivate\n```\n",
			want: []string{
				"README.md:2 venv create dir=.venv [markdown] | python -m venv .venv",
				"README.md:3 venv install [markdown] | pip install -e .",
				"README.md:3 manager pip 1 (pip install)",
				"README.md:5 venv deactivate [markdown] | deactivate",
			},
		},
		{
			// A transcript whose prompt shows the directory: not a syntax error.
			name: "directory prompts after a venv decoration",
			file: "CONTRIBUTING.md",
			src:  "```bash\n(acme) ~/Code/acme $ which acme\n/Users/me/Code/acme/venv/bin/acme\n(acme) ~/Code/acme $ acme --version\n2.0.0-dev\n```\n",
			want: []string{
				"CONTRIBUTING.md:2 command which acme",
				"CONTRIBUTING.md:4 command acme --version",
			},
		},
		{
			name: "Windows lines inside a bash block and inline comments",
			file: "README.md",
			src:  "~~~bash\npython -m venv venv\nsource venv/bin/activate  # On Windows: venv\\Scripts\\activate\n.\\venv\\Scripts\\activate\n~~~\n",
			want: []string{
				"README.md:2 venv create dir=venv [markdown] | python -m venv venv",
				"README.md:3 venv activate dir=venv [markdown] | source venv/bin/activate",
				"README.md:4 venv activate dir=venv windows [markdown] | .\\venv\\Scripts\\activate",
			},
		},
		{
			name: "cmd.exe and PowerShell blocks",
			file: "README.md",
			src:  "```doscon\nC:\\> py -m venv .venv\nC:\\> .venv\\Scripts\\activate.bat && pip install -r requirements.txt\n```\n\n```powershell\nPS C:\\acme> & .\\.venv\\Scripts\\Activate.ps1 # activate\n```\n",
			want: []string{
				"README.md:2 venv create dir=.venv windows [markdown] | py -m venv .venv",
				"README.md:3 venv activate dir=.venv windows [markdown] | .venv\\Scripts\\activate.bat",
				"README.md:3 venv install windows [markdown] | pip install -r requirements.txt",
				"README.md:3 manager pip 1 (pip install)",
				"README.md:7 venv activate dir=.venv windows [markdown] | .\\.venv\\Scripts\\Activate.ps1",
			},
		},
		{
			name: "other languages and prose are not shell",
			file: "README.md",
			src:  "Run `python -m venv .venv` first.\n\n```python\nimport subprocess\nsubprocess.run('python -m venv x')\n```\n\n```toml\n[tool.poetry]\n```\n\n```\nsrc/\n  venv/  <- your environment\n```\n",
			want: nil,
		},
		{
			name: "unlabelled blocks keep only the commands that matter",
			file: "docs/setup.md",
			src:  "Setup:\n\n    cd acme\n    virtualenv env\n    . env/bin/activate\n    make develop\n",
			want: []string{
				"docs/setup.md:4 venv create dir=env [markdown] | virtualenv env",
				"docs/setup.md:5 venv activate dir=env [markdown] | . env/bin/activate",
				"docs/setup.md:6 command make develop",
			},
		},
		{
			name: "CRLF and a fence inside a list",
			file: "CONTRIBUTING.md",
			src:  "1. Install:\r\n\r\n   ```sh\r\n   uv sync\r\n   ```\r\n",
			want: []string{
				"CONTRIBUTING.md:4 venv install [markdown] | uv sync",
				"CONTRIBUTING.md:4 manager uv 1 (uv sync)",
			},
		},
		{
			name: "reStructuredText directives and literal blocks",
			file: "README.rst",
			src:  "Setup::\n\n    $ python3 -m venv env\n    $ source env/bin/activate\n\n.. code-block:: shell-session\n   :linenos:\n\n   $ pip install -r requirements.txt\n\n.. code:: yaml\n\n   run: python -m venv x\n\n.. prompt:: bash $\n\n   poetry install\n",
			want: []string{
				"README.rst:3 venv create dir=env [rst] | python3 -m venv env",
				"README.rst:4 venv activate dir=env [rst] | source env/bin/activate",
				"README.rst:9 venv install [rst] | pip install -r requirements.txt",
				"README.rst:9 manager pip 1 (pip install)",
				"README.rst:17 venv install [rst] | poetry install",
				"README.rst:17 manager poetry 1 (poetry install)",
			},
		},
		{
			name: "reStructuredText directives with more blanks after the periods",
			file: "README.rst",
			src:  "3. Install:\n\n   ..  code::\n\n    $ pip install -e .[dev]\n\n.. code-block ::   bash\n\n   $ uv sync\n\n..code:: bash\n\n   $ poetry install\n",
			want: []string{
				"README.rst:5 venv install [rst] | pip install -e .[dev]",
				"README.rst:5 manager pip 1 (pip install)",
				"README.rst:9 venv install [rst] | uv sync",
				"README.rst:9 manager uv 1 (uv sync)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameUsageFacts(t, snippetFacts(tt.file, tt.src), tt.want)
		})
	}
}

func FuzzMarkdown(f *testing.F) {
	seedUsageFuzz(f, "markdown", nil)
	f.Add("```bash\n$ python -m venv .venv\n```\n\n    $ source .venv/bin/activate\n")
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, "README.md", src)
		fuzzUsageScan(t, "README.rst", src)
	})
}
