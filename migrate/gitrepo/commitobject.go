package gitrepo

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// Signature is a commit's author or committer.
type Signature struct {
	Name  string
	Email string
	When  time.Time
}

// String is the signature as a commit header holds it: "Name <email> unix
// +hhmm".
func (s Signature) String() string {
	_, offset := s.When.Zone()
	sign := byte('+')
	if offset < 0 {
		sign, offset = '-', -offset
	}
	return fmt.Sprintf("%s <%s> %d %c%02d%02d", identPart(s.Name), identPart(s.Email),
		s.When.Unix(), sign, offset/3600, offset%3600/60)
}

// identPart drops what would break the "Name <email>" header syntax, as
// git does.
func identPart(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch r {
		case '<', '>', '\n', '\r', 0:
			return -1
		}
		return r
	}, s))
}

// encodeCommit encodes a commit object. The message gets a final newline
// when it lacks one, as git commit does.
func encodeCommit(tree plumbing.Hash, parents []plumbing.Hash, author, committer Signature, message string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "tree %s\n", tree)
	for _, p := range parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	fmt.Fprintf(&b, "author %s\ncommitter %s\n\n", author, committer)
	b.WriteString(message)
	if !strings.HasSuffix(message, "\n") {
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// commitTree returns the tree a commit object names in its first header.
func commitTree(data []byte) (plumbing.Hash, error) {
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	hex, ok := bytes.CutPrefix(line, []byte("tree "))
	if !ok || !plumbing.IsHash(string(hex)) {
		return plumbing.ZeroHash, fmt.Errorf("commit does not start with a tree header")
	}
	return plumbing.NewHash(string(hex)), nil
}

// subject is a commit message's first line, for the reflog.
func subject(message string) string {
	line, _, _ := strings.Cut(strings.TrimLeft(message, "\n"), "\n")
	return strings.TrimSpace(line)
}
