package detect

import (
	"testing"
)

func TestCircleCIGolden(t *testing.T) {
	checkUsageGolden(t, "circleci/orb")
}

func TestCircleCI(t *testing.T) {
	src := "version: 2.1\njobs:\n  build:\n    docker:\n      - image: circleci/python:3.8-node\n    steps:\n      - run:\n          command: >\n            virtualenv venv &&\n            venv/bin/pip install -r requirements.txt\n"
	sameUsageFacts(t, snippetFacts(".circleci/config.yml", src), []string{
		".circleci/config.yml:3 ci circleci build pythons=3.8 image=circleci/python:3.8-node",
		".circleci/config.yml:5 python circleci 3.8",
		".circleci/config.yml:9 venv create dir=venv [circleci] | virtualenv venv",
		".circleci/config.yml:10 venv bin dir=venv [circleci] | venv/bin/pip install -r requirements.txt",
		".circleci/config.yml:10 venv install dir=venv [circleci] | venv/bin/pip install -r requirements.txt",
		".circleci/config.yml:10 manager pip 1 (pip install)",
	})
}

func FuzzCircleCI(f *testing.F) {
	seedUsageFuzz(f, "circleci", nil)
	f.Fuzz(func(t *testing.T, src string) {
		fuzzUsageScan(t, ".circleci/config.yml", src)
	})
}
