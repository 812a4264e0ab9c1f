package detect

import (
	"testing"
)

func TestJenkinsfileGolden(t *testing.T) {
	for _, dir := range []string{"jenkins/docker-agent", "jenkins/scripted"} {
		t.Run(dir, func(t *testing.T) { checkUsageGolden(t, dir) })
	}
}

func TestJenkinsfile(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{
			name: "escapes, continuations and interpolation keep lines",
			src: "pipeline {\n  agent any\n  environment { VENV = \"${WORKSPACE}/.venv\" }\n  stages {\n    stage(\"Build\") {\n      steps {\n" +
				"        sh \"\"\"\n          python3 -m venv \\$VENV_X \\\n          && ${VENV}/bin/pip install \\\\\n            -r requirements.txt\n          echo \\\"done\\\"\n        \"\"\"\n" +
				"      }\n    }\n  }\n}\n",
			want: []string{
				"Jenkinsfile:5 ci jenkinsfile Build",
				// Groovy joins the first two lines; the shell sees one command.
				"Jenkinsfile:8 venv create dir=$VENV_X [jenkinsfile] | python3 -m venv $VENV_X",
				"Jenkinsfile:9 venv bin dir=.venv [jenkinsfile] | ${WORKSPACE}/.venv/bin/pip install -r requirements.txt",
				"Jenkinsfile:9 venv install dir=.venv [jenkinsfile] | ${WORKSPACE}/.venv/bin/pip install -r requirements.txt",
				"Jenkinsfile:9 manager pip 1 (pip install)",
			},
		},
		{
			name: "comments and non-step strings are skipped",
			src:  "// sh 'python -m venv a'\n/* sh 'python -m venv b'\n*/\nnode {\n  echo 'sh python -m venv c'\n  def sh = 'x'\n  sh(returnStdout: true, script: 'uv sync')\n}\n",
			want: []string{
				"Jenkinsfile:4 ci jenkinsfile pipeline",
				"Jenkinsfile:7 venv install [jenkinsfile] | uv sync",
				"Jenkinsfile:7 manager uv 1 (uv sync)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameUsageFacts(t, snippetFacts("Jenkinsfile", tt.src), tt.want)
		})
	}
}

func FuzzJenkinsfile(f *testing.F) {
	seedUsageFuzz(f, "jenkins", nil)
	f.Add("sh '''\\\n'''\nsh \"${\"\nstage('x') { agent { docker { image \"python:${V}\" } } }\n")
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, "Jenkinsfile", src)
	})
}

func TestJenkinsfileCRLF(t *testing.T) {
	src := "node {\r\n  sh '''\r\n    python -m venv venv\r\n    venv/bin/pip install -e .\r\n  '''\r\n}\r\n"
	sameUsageFacts(t, snippetFacts("Jenkinsfile", src), []string{
		"Jenkinsfile:1 ci jenkinsfile pipeline",
		"Jenkinsfile:3 venv create dir=venv [jenkinsfile] | python -m venv venv",
		"Jenkinsfile:4 venv bin dir=venv [jenkinsfile] | venv/bin/pip install -e .",
		"Jenkinsfile:4 venv install dir=venv [jenkinsfile] | venv/bin/pip install -e .",
		"Jenkinsfile:4 manager pip 1 (pip install)",
	})
}
