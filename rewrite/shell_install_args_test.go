package rewrite

import "testing"

// Install arguments are read by venvcmd, as pip and uv read them; words
// the shell cannot read statically keep the install unless they name a
// synced file under a folder variable.
func TestRewriteShellSnippetInstallArgs(t *testing.T) {
	tests := []struct{ src, want string }{
		// zsh users escape the brackets; the shell passes `.[dev]` to pip.
		{"pip install -e .\\[dev\\]\n", ""},
		{"pip install -e .\\[docs\\]\n", "pip install -e .\\[docs\\]\n"},
		{"pip install -e '.[Dev]'\n", ""}, // extras compare as PEP 685 names
		// a general option's value is not a package to install
		{"pip install --timeout 60 -r requirements.txt\n", ""},
		{"pip -q install -r requirements.txt\n", ""},
		{"uv pip install --python 3.12 -r requirements.txt\n", ""},
		{"pip install -qr requirements.txt\n", ""},
		{"pip install --requirement=./requirements.txt\n", ""},
		// other indexes and installs outside the venv stay
		{"pip install -i https://example.org/simple -r requirements.txt\n", "pip install -i https://example.org/simple -r requirements.txt\n"},
		{"uv pip install --system -r requirements.txt\n", "uv pip install --system -r requirements.txt\n"},
		{"pip install --break-system-packages -e .\n", "pip install --break-system-packages -e .\n"},
		// variables: a known value is read, an unknown file stays, an
		// unknown folder in front of a synced file is the project's own
		{"REQS=requirements.txt\npip install -r \"$REQS\"\n", ""},
		{"pip install -r \"$REQS\"\n", "pip install -r \"$REQS\"\n"},
		{"pip install -r \"$ROOT/requirements.txt\"\n", ""},
		{"pip install $FLAGS -r requirements.txt\n", "pip install $FLAGS -r requirements.txt\n"},
		{"pip install --python \"$PY\" -r requirements.txt\n", ""},
		{"uv pip sync requirements.txt\n", ""},
		{"uv pip sync requirements.txt docs/requirements.txt\n", "uv pip sync requirements.txt docs/requirements.txt\n"},
		// uv sync: the hook's sync goes; another project, interpreter,
		// venv or group stays
		{"uv sync --frozen --no-dev\n", ""},
		{"uv sync --extra dev\n", ""},
		{"uv sync --group Dev --all-extras\n", ""},
		{"uv sync --extra=docs\n", "uv sync --extra=docs\n"},
		{"uv sync --group docs\n", "uv sync --group docs\n"},
		{"uv sync --directory=backend\n", "uv sync --directory=backend\n"},
		{"uv sync -p 3.11\n", "uv sync -p 3.11\n"},
		{"uv sync --active\n", "uv sync --active\n"},
		{"uv sync $UV_ARGS\n", "uv sync $UV_ARGS\n"},
		{"uv sync --index-url https://example.org/simple\n", "uv sync --index-url https://example.org/simple\n"},
		// venv creation: the folder word is read past the options
		{"virtualenv --creator venv -p python3 .venv\nls\n", "ls\n"},
		{"python3 -m venv --prompt app .venv\nls\n", "ls\n"},
		{"uv venv --seed\nls\n", "ls\n"},
		{"python3 -m venv --upgrade-deps ./.venv/\nls\n", "ls\n"},
		{"python3 -m venv .venv build\nls\n", "python3 -m venv .venv build\nls\n"},
		// bootstrap tools go; another manager than the project's stays
		{"pip install -U pip setuptools wheel\n", ""},
		{"pip install poetry\n", "pip install poetry\n"},
	}
	for _, tt := range tests {
		ctx := uvTestContext
		res, err := rewriteShellSnippet(&ctx, tt.src, shellOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Text != tt.want {
			t.Errorf("%q: got %q, want %q", tt.src, res.Text, tt.want)
		}
	}
}
