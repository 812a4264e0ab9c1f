package gitrepo

import (
	"bytes"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// BlobContent is what git stores for a work tree file's content. With
// core.autocrlf set to true or input, git turns the CRLF line ends of a text
// file into LF on the way in (a Windows checkout holds CRLF, the blobs LF);
// otherwise the content is stored as is. .gitattributes text/eol settings
// are not read.
func (r *Repo) BlobContent(data []byte) []byte {
	v, _ := configValue(r.config, "core", "autocrlf")
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1", "input":
	default:
		return data
	}
	if !convertibleText(data) {
		return data
	}
	return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
}

// BlobHash is the hash of the blob git would store for a work tree file's
// content, so content read from disk compares with index entries.
func (r *Repo) BlobHash(data []byte) plumbing.Hash {
	return plumbing.ComputeHash(plumbing.BlobObject, r.BlobContent(data))
}

// convertibleText applies git's rules for automatic conversion: text (no
// NUL byte in the first 8000 bytes, as git checks) with CRLF line ends and
// no lone CR, which a conversion could not restore.
func convertibleText(data []byte) bool {
	if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 || !bytes.Contains(data, []byte("\r\n")) {
		return false
	}
	return bytes.Count(data, []byte("\r")) == bytes.Count(data, []byte("\r\n"))
}
