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
			name: "legacy ENV and a broken exec form",
			src:  "FROM python:3.13t\nENV PATH /venv/bin:$PATH\nRUN [\"python\", \"-m\"\n",
			want: []string{
				"Dockerfile:1 python dockerfile 3.13 freethreaded",
				"Dockerfile:2 venv activate dir=/venv [dockerfile] | ENV PATH /venv/bin:$PATH",
				"Dockerfile:3 problem Dockerfile: RUN exec form is not a JSON array of strings",
			},
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
