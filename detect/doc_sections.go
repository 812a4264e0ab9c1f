package detect

import "strings"

// Documents are read by section: the recipe a README or CONTRIBUTING file
// gives for development is the shell code under a heading such as
// "Development" or "Setting up a dev environment".

// docSetup records the shell blocks of a document with the headings
// they are under.
func (s *scanner) docSetup(path string, blocks []docBlock, headings []docHeading) {
	for _, b := range blocks {
		unix, _, ok := docShellLines(b)
		if !ok || strings.TrimSpace(strings.Join(unix, "")) == "" {
			continue
		}
		src := ShellSource{Path: path, Script: strings.Join(unix, "\n")}
		for i := range unix {
			src.Lines = append(src.Lines, b.first+i)
		}
		s.p.Setup.Docs = append(s.p.Setup.Docs, SetupBlock{Headings: titlesAt(headings, b.first), Source: src, Aside: b.aside})
	}
}
