package detect

import (
	"testing"
)

func TestDockerfileGolden(t *testing.T) {
	for _, dir := range []string{"dockerfile/multistage", "dockerfile/heredoc"} {
		t.Run(dir, func(t *testing.T) { checkUsageGolden(t, dir) })
	}
}

func TestDockerfile(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{
			name: "ARG defaults, stage references and platforms",
			src:  "ARG PY=3.11\nFROM --platform=linux/amd64 python:${PY}-bookworm AS base\nFROM base AS dev\nARG PY\nFROM pypy:3.10 AS pypy\nFROM python:${MISSING:-3.9}\nFROM scratch\n",
			want: []string{
				"Dockerfile:2 python dockerfile 3.11",
				"Dockerfile:5 python dockerfile 3.10 impl=pypy",
				"Dockerfile:6 python dockerfile 3.9",
			},
		},
		{
			name: "Windows images use the backtick escape and are not POSIX shell",
			src:  "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN py -m venv C:\\venv ; `\n    C:\\venv\\Scripts\\pip.exe install -r requirements.txt\n",
			want: []string{
				"Dockerfile:3 venv create dir=C:/venv windows [dockerfile] | py -m venv C:\\venv",
				"Dockerfile:4 venv bin dir=C:/venv windows [dockerfile] | C:\\venv\\Scripts\\pip.exe install -r requirements.txt",
				"Dockerfile:4 venv install dir=C:/venv windows [dockerfile] | C:\\venv\\Scripts\\pip.exe install -r requirements.txt",
				"Dockerfile:4 manager pip 1 (pip install)",
			},
		},
		{
			// The scripts an image starts belong to the container.
			name: "ENTRYPOINT and CMD name the programs the image starts",
			src:  "FROM python:slim\nCOPY boot.sh ./\nCMD flask db upgrade\nENTRYPOINT [\"./boot.sh\"]\nCMD [\"bash\", \"scripts/start.sh\", \"--prod\"]\nENTRYPOINT [\"broken\"\n",
			want: []string{
				"Dockerfile:3 command flask db upgrade",
				"Dockerfile:4 command ./boot.sh",
				"Dockerfile:5 command bash scripts/start.sh --prod",
			},
		},
		{
			// Docker runs what is not a JSON array with /bin/sh -c.
			name: "legacy ENV and a broken exec form, which is the shell form",
			src:  "FROM python:3.13t\nENV PATH /venv/bin:$PATH\nRUN [\"python\", \"-m\"\n",
			want: []string{
				"Dockerfile:1 python dockerfile 3.13 freethreaded",
				"Dockerfile:2 venv activate dir=/venv [dockerfile] | ENV PATH /venv/bin:$PATH",
				"Dockerfile:3 command [python, -m",
			},
		},
		{
			name: "a shell form that starts with a test",
			src:  "FROM debian\nRUN [ \"$BUILD_TYPE\" != \"raspi\" ] || \\\n  echo \"[global]\" > /etc/pip.conf\n",
			want: nil,
		},
		{
			name: "flags continued over lines before the command",
			src:  "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    uv sync --frozen\n",
			want: []string{
				"Dockerfile:1 python dockerfile 3.12",
				"Dockerfile:4 venv install [dockerfile] | uv sync --frozen",
				"Dockerfile:4 manager uv 1 (uv sync)",
			},
		},
		{
			name: "an escape on the last line of the file",
			src:  "FROM python:3.12\nRUN if [ \"$X\" ]; then \\\n      python -m pip install \"$X\"; \\\n    fi \\\n",
			want: []string{
				"Dockerfile:1 python dockerfile 3.12",
				"Dockerfile:3 venv install [dockerfile] | python -m pip install \"$X\"",
				"Dockerfile:3 manager pip 1 (pip install)",
			},
		},
		{
			// The image's build is not this patch's business.
			name: "a syntax error in a RUN is not a problem",
			src:  "FROM python:3.12\nRUN pip install -r requirements.txt && echo \"done\n",
			want: []string{"Dockerfile:1 python dockerfile 3.12"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameUsageFacts(t, snippetFacts("Dockerfile", tt.src), tt.want)
		})
	}
}

func FuzzDockerfile(f *testing.F) {
	seedUsageFuzz(f, "dockerfile", nil)
	f.Add("FROM python:${A:-${B}}\nRUN <<-\"EOF\" <<X\n\tpip install x\nEOF\nX\n")
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, "Dockerfile", src)
	})
}
