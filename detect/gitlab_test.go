package detect

import (
	"testing"
)

func TestGitLabCIGolden(t *testing.T) {
	for _, dir := range []string{"gitlab/template", "gitlab/matrix"} {
		t.Run(dir, func(t *testing.T) { checkUsageGolden(t, dir) })
	}
}

func TestGitLabCI(t *testing.T) {
	src := "image: python:3.10\n" +
		".tpl: &tpl\n  before_script:\n    - source venv/bin/activate\n" +
		"job:\n  <<: *tpl\n  image:\n    name: pypy:3.10-slim\n    entrypoint: [\"\"]\n  script: python -m pytest\n" +
		"other:\n  script:\n    - - pip install -r requirements.txt\n      - deactivate\n"
	sameUsageFacts(t, snippetFacts(".gitlab-ci.yml", src), []string{
		".gitlab-ci.yml:1 python gitlab-ci 3.10",
		".gitlab-ci.yml:4 venv activate dir=venv [gitlab-ci] | source venv/bin/activate",
		".gitlab-ci.yml:5 ci gitlab-ci job pythons=pypy3.10 image=pypy:3.10-slim",
		".gitlab-ci.yml:8 python gitlab-ci 3.10 impl=pypy",
		".gitlab-ci.yml:10 command python -m pytest",
		".gitlab-ci.yml:11 ci gitlab-ci other pythons=3.10 image=python:3.10",
		".gitlab-ci.yml:13 venv install [gitlab-ci] | pip install -r requirements.txt",
		".gitlab-ci.yml:13 manager pip 1 (pip install)",
		".gitlab-ci.yml:14 venv deactivate [gitlab-ci] | deactivate",
	})
}

func FuzzGitLabCI(f *testing.F) {
	seedUsageFuzz(f, "gitlab", nil)
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, ".gitlab-ci.yml", src)
	})
}
