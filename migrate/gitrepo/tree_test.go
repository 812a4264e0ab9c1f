package gitrepo

import (
	"bytes"
	"fmt"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/venv2flox/venv2flox/migrate/gitrepo/gittest"
)

var (
	blobA = plumbing.NewHash("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
	blobB = plumbing.NewHash("5716ca5987cbf97d6bb54920bea6adde242d87e6")
	treeC = plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")
)

// rawTree builds a tree object the way git writes one.
func rawTree(entries ...string) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		mode, rest, _ := strings.Cut(e, " ")
		i := strings.LastIndexByte(rest, ' ')
		name, hex := rest[:i], rest[i+1:]
		h := plumbing.NewHash(hex)
		fmt.Fprintf(&b, "%s %s\x00", mode, name)
		b.Write(h[:])
	}
	return b.Bytes()
}

func TestParseTree(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		want    []TreeEntry
		wantErr string
	}{
		{name: "empty tree", data: nil},
		{
			name: "files, a script, a link, a folder and a submodule",
			data: rawTree(
				"100644 .flox.md "+blobA.String(),
				"40000 .flox "+treeC.String(),
				"100755 run.sh "+blobB.String(),
				"120000 venv "+blobA.String(),
				"160000 vendor "+blobB.String(),
			),
			want: []TreeEntry{
				{filemode.Regular, ".flox.md", blobA},
				{filemode.Dir, ".flox", treeC},
				{filemode.Executable, "run.sh", blobB},
				{filemode.Symlink, "venv", blobA},
				{filemode.Submodule, "vendor", blobB},
			},
		},
		{
			name: "old git's zero-padded folder mode and a name with spaces",
			data: rawTree("040000 my docs " + treeC.String()),
			want: []TreeEntry{{filemode.Dir, "my docs", treeC}},
		},
		{name: "no mode", data: []byte(" name\x00" + strings.Repeat("x", 20)), wantErr: "no mode"},
		{name: "mode is not octal", data: []byte("100694 a\x00" + strings.Repeat("x", 20)), wantErr: "mode"},
		{name: "name not terminated", data: []byte("100644 README.md"), wantErr: "not terminated"},
		{name: "hash cut short", data: []byte("100644 a\x00short"), wantErr: "cut short"},
		{name: "empty name", data: []byte("100644 \x00" + strings.Repeat("x", 20)), wantErr: "bad name"},
		{name: "name with a slash", data: []byte("100644 a/b\x00" + strings.Repeat("x", 20)), wantErr: "bad name"},
		{name: "dot-dot name", data: []byte("40000 ..\x00" + strings.Repeat("x", 20)), wantErr: "bad name"},
		{name: "garbage after an entry", data: append(rawTree("100644 a "+blobA.String()), "10"...), wantErr: "no mode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTree(tc.data)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseTree = %v, %v; want an error with %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseTree = %v, want %v", got, tc.want)
			}
		})
	}
}

// EncodeTree must give the bytes git mktree gives for the same entries, in
// particular its order: a folder sorts as if its name ended in "/".
func TestEncodeTreeMatchesGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	tests := []struct {
		name    string
		entries []TreeEntry
	}{
		{"flox folder among look-alike names", []TreeEntry{
			{filemode.Dir, ".flox", treeC},
			{filemode.Regular, ".flox.md", blobA},
			{filemode.Regular, ".flox-old", blobA},
			{filemode.Regular, ".flox0", blobB},
			{filemode.Regular, ".envrc", blobB},
		}},
		{"folder and file sharing a prefix", []TreeEntry{
			{filemode.Regular, "a0", blobA},
			{filemode.Dir, "a", treeC},
			{filemode.Regular, "a.txt", blobA},
			{filemode.Executable, "a-b", blobB},
			{filemode.Symlink, "A", blobA},
		}},
		{"a single file", []TreeEntry{{filemode.Regular, "requirements.txt", blobB}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var in strings.Builder
			for _, e := range tc.entries {
				kind := "blob"
				if e.Mode == filemode.Dir {
					kind = "tree"
				}
				fmt.Fprintf(&in, "%o %s %s\t%s\n", uint32(e.Mode), kind, e.Hash, e.Name)
			}
			cmd := exec.Command("git", "mktree", "--missing")
			cmd.Dir = t.TempDir()
			gittest.Isolate(t)
			gittest.Git(t, cmd.Dir, "init", "-q")
			cmd.Stdin = strings.NewReader(in.String())
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("git mktree: %v", err)
			}
			data := EncodeTree(tc.entries)
			if got, want := plumbing.ComputeHash(plumbing.TreeObject, data).String(), strings.TrimSpace(string(out)); got != want {
				t.Errorf("tree hash %s, git mktree made %s", got, want)
			}
			back, err := ParseTree(data)
			if err != nil || len(back) != len(tc.entries) {
				t.Errorf("ParseTree(EncodeTree) = %v, %v", back, err)
			}
		})
	}
}

func FuzzParseTree(f *testing.F) {
	f.Add([]byte{})
	f.Add(rawTree("100644 .flox.md "+blobA.String(), "40000 .flox "+treeC.String(), "100755 run.sh "+blobB.String()))
	f.Add(rawTree("160000 vendor "+blobB.String(), "120000 venv "+blobA.String()))
	f.Add([]byte("100644 a\x00short"))
	f.Add([]byte("40000 \x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseTree(data)
		if err != nil {
			return
		}
		// What parses re-encodes to a tree that parses to the same entries,
		// in git's order, and encodes to the same bytes again.
		encoded := EncodeTree(entries)
		back, err := ParseTree(encoded)
		if err != nil {
			t.Fatalf("re-encoded tree does not parse: %v", err)
		}
		if len(back) != len(entries) {
			t.Fatalf("%d entries became %d", len(entries), len(back))
		}
		for i := 1; i < len(back); i++ {
			if treeEntryLess(back[i], back[i-1]) {
				t.Fatalf("entries out of order: %q before %q", back[i-1].Name, back[i].Name)
			}
		}
		if again := EncodeTree(back); !bytes.Equal(again, encoded) {
			t.Fatal("encoding is not stable")
		}
	})
}
