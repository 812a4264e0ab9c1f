package detect

import "testing"

// Text in a shell fence that is not shell gives no facts and no problem;
// shell that the parser cannot read gives no problem either (the doc
// rewriter names a venv step it cannot read as a follow-up).
func TestDocBlocksThatAreNotShell(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            []string
	}{
		{
			name: "a JSON body that spans lines in a prompted curl",
			file: "docs/api.md",
			src:  "```\n$ curl -X POST \\\n-H \"Content-Type: application/json\" \\\nhttps://x/api/tokens/ \\\n--data '{\n    \"username\": \"hank\"\n}'\n```\n",
			want: []string{"docs/api.md:2 command curl -X POST -H Content-Type: application/json https://x/api/tokens/ --data {\n    \"username\": \"hank\"\n}"},
		},
		{
			name: "the same curl in a bash fence without a prompt",
			file: "docs/api.md",
			src:  "```bash\ncurl -X POST http://localhost/api/x --data '{\n  \"a\": 1\n}'\n```\n",
			want: []string{"docs/api.md:2 command curl -X POST http://localhost/api/x --data {\n  \"a\": 1\n}"},
		},
		{
			name: "server output in a bash fence",
			file: "docs/deployment.md",
			src:  "```bash\nINFO:     Started server process [62727]\nINFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)\n```\n",
		},
		{
			name: "an HTTP exchange after the command that made it",
			file: "docs/tutorial.md",
			src:  "```bash\nhttp GET http://127.0.0.1:8000/snippets/ --unsorted\n\nHTTP/1.1 200 OK\n...\n[\n  {\n    \"id\": 1,\n    \"code\": \"foo = \\\"bar\\\"\\n\"\n  }\n]\n```\n",
		},
		{
			name: "nginx configuration in a bash fence",
			file: "docs/deploy.md",
			src:  "```bash\nserver {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n```\n",
		},
		{
			name: "a sudoers line in a bash fence",
			file: "docs/deploy.md",
			src:  "```bash\ndeploy ALL=(ALL) NOPASSWD: /usr/bin/systemctl restart app\n```\n",
		},
		{
			name: "a systemd unit in a bash fence",
			file: "docs/daemon.rst",
			src:  ".. code-block:: bash\n\n    [Unit]\n    Description=Worker\n\n    [Service]\n    ExecStart=/bin/sh -c '${BIN} multi start \\\n        --pidfile=${PID}'\n    Restart=always\n",
		},
		{
			name: "a Python REPL and a debugger session in console blocks",
			file: "docs/debugging.rst",
			src:  ".. code-block:: console\n\n    $ telnet localhost 6900\n    Connected to localhost.\n    > /opt/app/tasks.py(128)add()\n    -> return result\n    (Pdb)\n\n.. code-block:: console\n\n    >>> app.control.cancel_consumer('foo')\n    [{'w1': {'ok': \"no longer consuming\"}}]\n",
			want: []string{"docs/debugging.rst:3 command telnet localhost 6900"},
		},
		{
			name: "a placeholder in a command",
			file: "docs/concepts.md",
			src:  "```bash\nuvicorn main:app --loop <auto|asyncio|uvloop>\n```\n",
		},
		{
			name: "a quotation in an indented block",
			file: "docs/models.md",
			src:  "Text.\n\n    > <h3>validation</h3>\n    > _noun_\n",
		},
		{
			name: "prose in a text fence",
			file: "docs/triage.md",
			src:  "```text\nHi,\n\n> PEP 8 recommends to treat : in slices as a binary operator (ham[1 + 1 :]).\n```\n",
		},
		{
			name: "a valid && followed by a comment",
			file: "README.md",
			src:  "```bash\npython -m venv .venv && # make it\nsource .venv/bin/activate\n```\n",
			want: []string{
				"README.md:2 venv create dir=.venv [markdown] | python -m venv .venv",
				"README.md:3 venv activate dir=.venv [markdown] | source .venv/bin/activate",
			},
		},
		{
			name: "PowerShell in a shell fence",
			file: "docs/completion.md",
			src:  "```shell\n$env:_PIP_COMPILE_COMPLETE = 'powershell_source'\npip-compile | Out-String | Invoke-Expression\nRemove-Item Env:_PIP_COMPILE_COMPLETE\n```\n",
		},
		{
			name: "fish is not POSIX shell",
			file: "README.md",
			src:  "```fish\nset -gx VIRTUAL_ENV (pwd)/.venv\nsource .venv/bin/activate.fish\n```\n",
		},
		{
			name: "a prompt with the venv name against the dollar",
			file: "docs/the_basics.md",
			src:  "```console\n(.venv)$ pip install -e \".[d]\"\n(.venv)$ pytest -k <test name> # Run an individual test\n```\n",
			want: []string{
				"docs/the_basics.md:2 venv install [markdown] | pip install -e \".[d]\"",
				"docs/the_basics.md:2 manager pip 1 (pip install)",
				"docs/the_basics.md:3 command pytest -k <test name>",
			},
		},
		{
			name: "a shell script with case arms is read whole",
			file: "docs/scripting.md",
			src:  "```bash\nif http --check-status HEAD pie.dev/get; then\n    echo 'OK!'\nelse\n    case $? in\n        2) echo 'timed out' ;;\n        3) echo 'redirect' ;;\n    esac\nfi\n```\n",
			want: []string{"docs/scripting.md:2 command http --check-status HEAD pie.dev/get"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameUsageFacts(t, snippetFacts(tt.file, tt.src), tt.want)
		})
	}
}

func TestCommandShaped(t *testing.T) {
	for line, want := range map[string]bool{
		"pip install -e .":              true,
		"VENV=.venv make test":          true,
		"[ -d .venv ] || make venv":     true,
		"./scripts/test.sh":             true,
		"$HOME/.venv/bin/pip install x": true,
		"INFO: started":                 false,
		"GET /hello 38":                 false,
		"HTTP/1.1 200 OK":               false,
		"x = 1":                         false,
		"import os":                     false,
		"listen 80;":                    false,
		"server {":                      false,
		"Successfully installed acme":   false,
		"{":                             false,
		"\"id\": 1,":                    false,
		"-h, --help  show this help":    false,
		"user ALL=(ALL) NOPASSWD: ALL":  false,
		"foo[baz][quux":                 false,
		"4.3.0":                         false,
	} {
		if got := commandShaped(line); got != want {
			t.Errorf("commandShaped(%q) = %v, want %v", line, got, want)
		}
	}
}
