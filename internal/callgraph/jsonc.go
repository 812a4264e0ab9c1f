package callgraph

import (
	"encoding/json"
	"strings"
)

// parseJSONC reads JSON with comments and trailing commas (devcontainer.json
// allows both) into a map; nil when it is not an object.
func parseJSONC(text string) map[string]any {
	var out map[string]any
	if json.Unmarshal([]byte(stripJSONComments(text)), &out) != nil {
		return nil
	}
	return out
}

// stripJSONComments removes // and /* */ comments outside strings and
// commas before a closing bracket.
func stripJSONComments(s string) string {
	var sb strings.Builder
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			sb.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				sb.WriteByte(s[i])
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
			sb.WriteByte(c)
		case strings.HasPrefix(s[i:], "//"):
			for i < len(s) && s[i] != '\n' {
				i++
			}
			sb.WriteByte('\n')
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return sb.String()
			}
			i += end + 3
		case c == ',':
			j := i + 1
			for j < len(s) && strings.IndexByte(" \t\r\n", s[j]) >= 0 {
				j++
			}
			if j < len(s) && (s[j] == '}' || s[j] == ']') {
				continue
			}
			sb.WriteByte(c)
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
