package detect

import (
	"strings"
	"testing"
)

func lockedLines(ls []LockedPackage) []string {
	var out []string
	for _, l := range ls {
		s := l.Evidence.String() + " " + l.Name + "==" + l.Version
		if l.SdistOnly {
			s += " sdist-only"
		}
		out = append(out, s)
	}
	return out
}

func TestLockFiles(t *testing.T) {
	tests := []struct {
		dir          string
		locked       []string
		interpreters []string
		managers     []string
		problems     []string
	}{
		{
			// The workspace root and member (editable sources) are the
			// project's own code; numpy is locked at two versions.
			dir: "uv/workspace",
			locked: []string{
				"uv.lock:40 cffi==1.17.1",
				"uv.lock:53 numpy==2.0.2",
				"uv.lock:65 numpy==2.1.3",
				"uv.lock:77 pycparser==2.22",
				"uv.lock:86 psycopg2==2.9.10 sdist-only",
				"uv.lock:92 tqdm==4.67.1 sdist-only",
			},
			interpreters: []string{
				".python-version:1 3.12",
				"packages/core/pyproject.toml:4 >=3.10",
				"pyproject.toml:4 >=3.12",
				"uv.lock:3 >=3.12",
			},
			managers: []string{"pyproject.toml:7 uv 2", "uv.lock:1 uv 3"},
		},
		{
			dir:          "uv/noroot",
			locked:       []string{"uv.lock:18 flask==3.0.3", "uv.lock:24 local-wheel==0.2.0"},
			interpreters: []string{"uv.lock:2 >=3.11,<3.13"},
			managers:     []string{"uv.lock:1 uv 3"},
		},
		{
			// Lock format 1.1 keeps file hashes under [metadata.files].
			dir:          "poetry/lock11",
			locked:       []string{"poetry.lock:1 certifi==2021.10.8", "poetry.lock:9 colorama==0.4.4", "poetry.lock:17 pyyaml==5.4.1 sdist-only"},
			interpreters: []string{"poetry.lock:30 ^3.7"},
			managers:     []string{"poetry.lock:28 poetry 3"},
		},
		{
			// The path dependency (source type directory) is not locked;
			// the git one is built from source.
			dir:          "poetry/lock20",
			locked:       []string{"poetry.lock:3 lxml==5.1.0", "poetry.lock:17 mysqlclient==2.2.4 sdist-only", "poetry.lock:40 acme-sdk==2.0.1 sdist-only"},
			interpreters: []string{"poetry.lock:60 ^3.10"},
			managers:     []string{"poetry.lock:58 poetry 3"},
		},
		{
			// Lock format 2.1: markers are a string or a table per group.
			dir:          "poetry/lock21",
			locked:       []string{"poetry.lock:3 colorama==0.4.6", "poetry.lock:16 tomli==2.2.1"},
			interpreters: []string{"poetry.lock:30 >=3.10,<4.0"},
			managers:     []string{"poetry.lock:28 poetry 3"},
		},
		{
			dir:          "pdm/app",
			locked:       []string{"pdm.lock:13 greenlet==3.0.3", "pdm.lock:25 sqlalchemy==2.0.29 sdist-only"},
			interpreters: []string{"pdm.lock:11 >=3.9"},
			managers:     []string{"pdm.lock:4 pdm 3"},
		},
		{
			dir: "pipenv/app",
			locked: []string{
				"Pipfile.lock:19 asgiref==3.8.1",
				"Pipfile.lock:26 django==4.2.11",
				"Pipfile.lock:37 psycopg2==2.9.9",
				"Pipfile.lock:43 tools== sdist-only",
				"Pipfile.lock:49 pytest==8.1.1",
			},
			interpreters: []string{"Pipfile:27 3.11", "Pipfile.lock:8 3.11"},
			managers:     []string{"Pipfile:11 pipenv 2", "Pipfile.lock:2 pipenv 3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			p := scanTestdata(t, tt.dir)
			diffLines(t, "locked", lockedLines(p.Locked), tt.locked)
			diffLines(t, "interpreters", interpLines(p.Interpreters), tt.interpreters)
			diffLines(t, "managers", managerLines(p.Managers), tt.managers)
			diffLines(t, "problems", problemLines(p.Problems), tt.problems)
			diffLines(t, "conflicts", conflictLines(p.Conflicts), nil)
		})
	}
}

func TestPipfile(t *testing.T) {
	p := scanTestdata(t, "pipenv/app")
	diffLines(t, "requirements", reqLines(p.Requirements), []string{
		"Pipfile:12 django>=4.2,<5",
		"Pipfile:13 requests[socks]",
		`Pipfile:14 gunicorn==21.2.0 ; sys_platform != "win32"`,
		`Pipfile:15 pywin32 ; sys_platform == "win32"`,
		"Pipfile:16 mylib path=./libs/mylib -e",
		"Pipfile:17 tools url=git+https://github.com/acme/tools.git@v1.4",
		"Pipfile:20 pytest group=dev",
		"Pipfile:21 black~=24.2 group=dev",
		"Pipfile:24 sphinx group=docs",
	})
	diffLines(t, "indexes", indexLines(p.Indexes), []string{
		"Pipfile:1 pipenv-source https://pypi.org/simple",
		"Pipfile:6 pipenv-source https://${PRIVATE_INDEX_HOST}/simple",
	})
}

func TestLockFileErrors(t *testing.T) {
	tests := []struct {
		name, file, text string
		problems         []string
	}{
		{"uv.lock broken TOML", "uv.lock", "version = 1\n[[package]]\nname = \"a\"\nversion = \n", []string{"uv.lock:4: invalid TOML"}},
		{"uv.lock package without name", "uv.lock", "version = 1\n\n[[package]]\nversion = \"1.0\"\n", []string{"uv.lock:3: uv.lock package without a name"}},
		{"uv.lock bad requires-python", "uv.lock", "version = 1\nrequires-python = \">=three\"\n", []string{"uv.lock:2: requires-python: invalid version constraint"}},
		{"poetry.lock broken TOML", "poetry.lock", "[[package]]\nname = 'a'\n[metadata\n", []string{"poetry.lock:3: invalid TOML"}},
		{"Pipfile.lock broken JSON", "Pipfile.lock", "{\n  \"_meta\": {},\n  \"default\": {\n    \"a\": {\"version\": \"==1\"},\n  }\n}\n", []string{"Pipfile.lock:5: invalid JSON"}},
		{"Pipfile.lock wrong shape", "Pipfile.lock", "{\n  \"_meta\": {},\n  \"default\": []\n}\n", []string{"Pipfile.lock:3: Pipfile.lock default: expected an object of packages"}},
		{"Pipfile bad version", "Pipfile", "[packages]\nrequests = \"latest\"\nflask = 3\n", []string{`Pipfile:2: packages.requests: invalid version "latest"`, "Pipfile:3: packages.flask: expected a version string or a table, got a number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := scanFiles(map[string]string{tt.file: tt.text})
			got := problemLines(p.Problems)
			if len(got) != len(tt.problems) {
				t.Fatalf("problems = %q, want prefixes %q", got, tt.problems)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.problems[i]) {
					t.Errorf("problem %q, want prefix %q", got[i], tt.problems[i])
				}
			}
		})
	}
}

func TestPDMLockTargets(t *testing.T) {
	p := scanFiles(map[string]string{"pdm.lock": "[metadata]\nlock_version = \"4.5.0\"\n\n[[metadata.targets]]\nrequires_python = \">=3.9\"\n\n[[metadata.targets]]\nrequires_python = \"~=3.8.0\"\n"})
	diffLines(t, "interpreters", interpLines(p.Interpreters), []string{"pdm.lock:5 >=3.9", "pdm.lock:8 ~=3.8.0"})
	for _, r := range p.Interpreters {
		if !r.Matrix {
			t.Errorf("%v: several targets are alternatives", r.Evidence)
		}
	}
	diffLines(t, "conflicts", conflictLines(p.Conflicts), nil)
}

func conflictLines(cs []Conflict) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.A.String()+" vs "+c.B.String()+": "+c.Message)
	}
	return out
}

func FuzzUVLock(f *testing.F) {
	seedsFrom(f, "uv", "uv.lock")
	f.Fuzz(func(t *testing.T, text string) {
		p := scanFiles(map[string]string{"uv.lock": text})
		for _, l := range p.Locked {
			if l.Evidence.Line <= 0 {
				t.Fatalf("locked package without line: %+v", l)
			}
		}
	})
}

func FuzzPoetryLock(f *testing.F) {
	seedsFrom(f, "poetry", "poetry.lock")
	f.Fuzz(func(t *testing.T, text string) {
		scanFiles(map[string]string{"poetry.lock": text, "pdm.lock": text})
	})
}

func FuzzPipfile(f *testing.F) {
	seedsFrom(f, "pipenv", "")
	f.Fuzz(func(t *testing.T, text string) {
		scanFiles(map[string]string{"Pipfile": text, "Pipfile.lock": text})
	})
}
