package detect

import "testing"

func TestProjectName(t *testing.T) {
	tests := []struct{ file, text, want string }{
		{"pyproject.toml", "[project]\nname = \"Acme_Sync\"\nversion = \"1\"\n", "acme-sync"},
		{"pyproject.toml", "[tool.poetry]\nname = \"poetry.app\"\nversion = \"0.1.0\"\n", "poetry-app"},
		{"setup.cfg", "[metadata]\nname = tiny-lib\nversion = 0.3\n", "tiny-lib"},
		{"setup.py", "from setuptools import setup\nsetup(\n    name=\"HTTPie\",\n    version=v,\n)\n", "httpie"},
		{"setup.py", "meta = {'name': 'not-this'}\nsetup(version='1')\n", ""},
		{"pyproject.toml", "[tool.ruff]\nline-length = 100\n", ""},
	}
	for _, tt := range tests {
		if got := ScanText(tt.file, []byte(tt.text)).Name; got != tt.want {
			t.Errorf("%s %q: name = %q, want %q", tt.file, tt.text, got, tt.want)
		}
	}
}
