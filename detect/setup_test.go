package detect

import "testing"

func TestSetupFiles(t *testing.T) {
	tests := []struct {
		dir          string
		requirements []string
		interpreters []string
		problems     []string
	}{
		{
			// tests_require is a module-level list: "test" reads it. The
			// comment mentioning install_requires=[ is not code.
			dir: "setup/oldstyle",
			requirements: []string{
				"setup.py:26 numpy>=1.19",
				`setup.py:27 pillow>=8.0 ; platform_python_implementation == "CPython"`,
				"setup.py:28 lxml",
				"setup.py:29 pycairo",
				"setup.py:32 sphinx group=docs optional",
				"setup.py:32 sphinx-rtd-theme group=docs optional",
				"setup.py:13 pytest>=6 group=test optional",
				"setup.py:13 mock group=test optional",
				"setup.py:35 opencv-python-headless group=opencv optional",
			},
			interpreters: []string{"setup.py:24 >=3.7,<4"},
		},
		{
			dir: "setup/cfg",
			requirements: []string{
				"setup.cfg:9 requests>=2.25",
				"setup.cfg:11 stripe<8",
				`setup.cfg:12 importlib-metadata ; python_version < "3.10"`,
				"setup.cfg:17 pytest group=dev optional",
				"setup.cfg:18 black==24.2.0 group=dev optional",
				"setup.cfg:19 psycopg2-binary group=postgres optional",
				"setup.cfg:19 sqlalchemy>=2 group=postgres optional",
				`setup.cfg:21 typing-extensions>=4.1.0 ; python_version < "3.11" group=compat optional`,
			},
			interpreters: []string{"setup.cfg:7 >=3.8"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			p := scanTestdata(t, tt.dir)
			diffLines(t, "requirements", reqLines(p.Requirements), tt.requirements)
			diffLines(t, "interpreters", interpLines(p.Interpreters), tt.interpreters)
			diffLines(t, "problems", problemLines(p.Problems), tt.problems)
		})
	}
}

func TestSetupPyForms(t *testing.T) {
	tests := []struct {
		name, src    string
		requirements []string
		interpreters []string
		problems     []string
	}{
		{"a module-level list is read", "REQS = ['a']\nsetup(install_requires=REQS)\n", []string{"setup.py:1 a"}, nil, nil},
		{"a list extended later is not guessed", "REQS = ['a']\nREQS += ['b']\nsetup(install_requires=REQS)\n", nil, nil, nil},
		{"a list assigned twice is not guessed", "REQS = ['a']\nif win:\n    REQS = ['b']\nsetup(install_requires=REQS)\n", nil, nil, nil},
		{"unpacked lists are read", "test = ['pytest']\ndev = [*test, 'flake8']\nsetup(extras_require={'dev': dev})\n",
			[]string{"setup.py:1 pytest group=dev optional", "setup.py:2 flake8 group=dev optional"}, nil, nil},
		{"a list with a method call is not guessed", "REQS = ['a'] + other\nsetup(install_requires=REQS)\n", nil, nil, nil},
		{"concatenation is skipped", "setup(install_requires=['a'] + extra)\n", nil, nil, nil},
		{"adjacent strings are skipped", "setup(python_requires='>=3.8' ',<4')\n", nil, nil, nil},
		{"call is skipped", "setup(install_requires=read('requirements.txt'))\n", nil, nil, nil},
		{"tuple", "setup(install_requires=('a', 'b==1',))\n", []string{"setup.py:1 a", "setup.py:1 b==1"}, nil, nil},
		{"dict of kwargs", "kw = {\n  'install_requires': ['x'],\n  \"python_requires\": \">=3.9\",\n}\nsetup(**kw)\n", []string{"setup.py:2 x"}, []string{"setup.py:3 >=3.9"}, nil},
		{"dict() call", "setup(**dict(install_requires=['y']))\n", []string{"setup.py:1 y"}, nil, nil},
		{"module assignment is not a keyword", "install_requires = ['z']\n", nil, nil, nil},
		{"triple-quoted block", "setup(install_requires='''\n    a>=1\n    # note\n    b\n''')\n", []string{"setup.py:2 a>=1", "setup.py:4 b"}, nil, nil},
		{"escaped quotes", `setup(install_requires=["c ; os_name == \"nt\""])` + "\n", []string{`setup.py:1 c ; os_name == "nt"`}, nil, nil},
		{"f-string is no literal", "setup(python_requires=f'>={MIN}')\n", nil, nil, nil},
		{"bad requirement", "setup(install_requires=['ok', 'bad >> 1'])\n", []string{"setup.py:1 ok"}, nil, []string{`setup.py:1: invalid requirement "bad >> 1": column 5: version must start with a number: ">1"`}},
		{"extras with a computed entry", "setup(extras_require={'a': ['p'], 'b': other, 'c': ['q']})\n", []string{"setup.py:1 p group=a optional", "setup.py:1 q group=c optional"}, nil, nil},
		{"unterminated string", "setup(install_requires=['a\n])\n", nil, nil, nil},
		{"line continuation", "setup(\\\n  python_requires='>=3.10')\n", nil, []string{"setup.py:2 >=3.10"}, nil},
		// Old packages wrote wildcards after ordered operators; pip read them.
		{"legacy wildcard", "setup(python_requires=\">3.5.*, <4\")\n", nil, []string{"setup.py:1 >3.5.*,<4"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := scanFiles(map[string]string{"setup.py": tt.src})
			diffLines(t, "requirements", reqLines(p.Requirements), tt.requirements)
			diffLines(t, "interpreters", interpLines(p.Interpreters), tt.interpreters)
			diffLines(t, "problems", problemLines(p.Problems), tt.problems)
		})
	}
}

func TestSetupCfgErrors(t *testing.T) {
	p := scanFiles(map[string]string{"setup.cfg": "[options\ninstall_requires = a\n  continued\nnot a pair\n[options]\npython_requires = >=3.x\ninstall_requires = file: requirements.txt\n"})
	diffLines(t, "problems", problemLines(p.Problems), []string{
		`setup.cfg:1: section header without ]: "[options"`,
		`setup.cfg:4: expected key = value: "not a pair"`,
		`setup.cfg:6: python_requires: invalid version constraint ">=3.x": invalid version "3.x"`,
		`setup.cfg:7: setup.cfg directive "file: requirements.txt" is not followed`,
	})
}

func FuzzSetupPy(f *testing.F) {
	seedsFrom(f, "setup", "")
	f.Add("setup(install_requires=[[['a']]], extras_require={'x': {'y': 1}})")
	f.Fuzz(func(t *testing.T, src string) {
		scanFiles(map[string]string{"setup.py": src, "setup.cfg": src})
	})
}
