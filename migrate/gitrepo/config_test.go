package gitrepo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The identity and the booleans read from config files people write by
// hand (comments of both kinds, CRLF, quoting, case, bare keys) must be
// what git itself reads.
func TestConfigMatchesGit(t *testing.T) {
	tests := []struct {
		name, global, local string
	}{
		{"global identity", "# me\n[user]\n\tname = Ada  Lovelace   ; the name\n\temail = ada@example.com # work\n", ""},
		{"local wins per key", "[user]\n\tname = Global Name\n\temail = global@example.com\n", "[user]\n\temail = \"local@example.com\"\n"},
		{"case and the last value", "[User]\n\tNAME = First\n[user]\n\tname = Second\n\temail = a@b.c\n", ""},
		{"CRLF and quotes", "[user]\r\n\tname = \"Grace Hopper\"\r\n\temail = grace@example.com\r\n", ""},
		{"bare boolean and file mode off", "", "[core]\n\tfilemode = false\n\tlogallrefupdates\n"},
		{"nothing set", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newRepo(t)
			if err := os.WriteFile(os.Getenv("GIT_CONFIG_GLOBAL"), []byte(tt.global), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(dir, ".git", "config")
			data, err := os.ReadFile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cfg, append(data, tt.local...), 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			name, email := r.User()
			if want := gitConfigGet(t, dir, "user.name"); name != want {
				t.Errorf("user.name = %q, git reads %q", name, want)
			}
			if want := gitConfigGet(t, dir, "user.email"); email != want {
				t.Errorf("user.email = %q, git reads %q", email, want)
			}
			for _, key := range [][2]string{{"core", "filemode"}, {"core", "logallrefupdates"}} {
				want := gitConfigGet(t, dir, "--type=bool", key[0]+"."+key[1]) != "false"
				if got := r.configBool(key[0], key[1], true); got != want {
					t.Errorf("%s.%s = %v, git reads %v", key[0], key[1], got, want)
				}
			}
		})
	}
}

// gitConfigGet returns what `git config --get` prints, "" when unset.
func gitConfigGet(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, _ := gitOutput(dir, append([]string{"config", "--get"}, args...)...)
	return out
}

func gitOutput(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}
