package detect

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// extractRequirementsFile reads a pip requirements file (or a pip-tools .in
// file) the way pip's own reader does: continuation lines, comments,
// options, nested -r/-c files and one requirement per line.
func extractRequirementsFile(s *scanner, f *textFile) {
	group := requirementsGroup(f.Path)
	// The walker records the file without its group; set it here.
	for i := range s.p.Files {
		if s.p.Files[i].Path == f.Path {
			s.p.Files[i].Group = group
		}
	}
	r := &reqReader{s: s, emit: true, done: map[string]bool{}}
	r.read(f, group, isConstraintsFile(f.Path), []includeStep{{file: f.Path}})
}

// isConstraintsFile reports whether a file holds pip constraints by its
// name (constraints.txt, constraints-dev.txt): its pins narrow versions but
// add no dependencies.
func isConstraintsFile(rel string) bool {
	return strings.HasPrefix(strings.ToLower(path.Base(rel)), "constraints")
}

// requirementsGroup names the dependency group a requirements file feeds,
// from its name: requirements-dev.txt and requirements/dev.txt are "dev",
// requirements.txt and requirements/base.txt are the main dependencies.
func requirementsGroup(rel string) string {
	base := strings.ToLower(path.Base(rel))
	stem := strings.TrimSuffix(base, path.Ext(base))
	word := stem
	if d := path.Base(path.Dir(rel)); d != "requirements" && d != "reqs" {
		word = ""
		for _, affix := range []string{"requirements", "constraints", "reqs"} {
			if w, ok := strings.CutPrefix(stem, affix); ok {
				word = strings.TrimLeft(w, "-_.")
				break
			}
			if w, ok := strings.CutSuffix(stem, affix); ok {
				word = strings.TrimRight(w, "-_.")
				break
			}
		}
	}
	switch {
	case word == "", word == "base", word == "main", word == "common", word == "core",
		word == "install", word == "runtime", word == "default", word == "requirements", word == "pip":
		return ""
	case strings.HasPrefix(word, "prod"):
		// What a server adds (gunicorn, psycopg2): not a developer's venv.
		return "production"
	case word == "dev" || word == "develop" || word == "development":
		return "dev"
	case word == "test" || word == "tests" || word == "testing":
		return "test"
	case word == "doc" || word == "docs" || word == "documentation":
		return "docs"
	case word == "lint" || word == "linting" || word == "linters":
		return "lint"
	}
	return word
}

// reqReader follows one top-level requirements file and the files it
// includes. emit is false while walking a file only to detect include
// cycles: that file is read for its facts on its own.
type reqReader struct {
	s    *scanner
	emit bool
	// done holds the files this walk has finished: a file included twice
	// (a diamond) is read once, and a deep diamond lattice stays linear.
	done map[string]bool
}

// includeStep is one file on the current -r/-c chain and the line that
// included the next one.
type includeStep struct {
	file string
	via  Evidence
}

// logicalLine is a requirements line after joining "\" continuations, with
// the number of its first physical line.
type logicalLine struct {
	n    int
	text string
}

// joinLines joins continuation lines and drops comments as pip does: a
// line ending in "\" continues on the next one unless it is a comment, and
// "#" starts a comment at the start of a line or after whitespace.
func joinLines(lines []string) []logicalLine {
	var out []logicalLine
	var buf strings.Builder
	first := 0
	for i, l := range lines {
		comment := isCommentLine(l)
		if !strings.HasSuffix(l, `\`) || comment {
			if buf.Len() > 0 {
				if !comment {
					buf.WriteString(l)
				}
				out = append(out, logicalLine{first, buf.String()})
				buf.Reset()
				if !comment {
					continue
				}
			}
			out = append(out, logicalLine{i + 1, l})
			continue
		}
		if buf.Len() == 0 {
			first = i + 1
		}
		// pip joins with nothing between: "requ\" + "ests" is "requests".
		buf.WriteString(strings.TrimRight(l, `\`))
	}
	if buf.Len() > 0 {
		out = append(out, logicalLine{first, buf.String()})
	}
	for i := range out {
		out[i].text = strings.TrimSpace(stripComment(out[i].text))
	}
	return out
}

func isCommentLine(l string) bool {
	return strings.HasPrefix(strings.TrimLeft(l, " \t"), "#")
}

// stripComment removes a "#" comment that starts the line or follows
// whitespace; "#egg=" in a URL is not a comment.
func stripComment(l string) string {
	for i := 0; i < len(l); i++ {
		if l[i] == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t') {
			return l[:i]
		}
	}
	return l
}

func (r *reqReader) read(f *textFile, group string, constraints bool, chain []includeStep) {
	for _, ll := range joinLines(f.Lines()) {
		if ll.text == "" {
			continue
		}
		r.line(f, ll, group, constraints, chain)
	}
}

func (r *reqReader) problem(ev Evidence, msg string) {
	r.problemOfKind(ev, "", msg)
}

func (r *reqReader) problemOfKind(ev Evidence, kind ProblemKind, msg string) {
	if r.emit {
		r.s.p.Problems = append(r.s.p.Problems, Problem{Evidence: ev, Message: msg, Kind: kind})
	}
}

// line handles one logical line: either options only (-r, -i, -e, ...) or a
// requirement with per-requirement options (--hash, --config-settings).
func (r *reqReader) line(f *textFile, ll logicalLine, group string, constraints bool, chain []includeStep) {
	ev := f.Ev(ll.n)
	args, opts := splitArgsOptions(ll.text)
	if !r.emit && args != "" {
		return // a walk for include cycles needs only the option lines
	}
	parsed, err := parseReqOptions(opts)
	if err != nil {
		r.problem(ev, err.Error())
		return
	}
	if args != "" {
		for _, o := range parsed {
			if !o.def.perRequirement {
				r.problem(ev, fmt.Sprintf("option %s is not allowed after a requirement; ignored", o.def.long))
			}
		}
		r.requirement(ev, args, false, group, constraints)
		return
	}
	for _, o := range parsed {
		switch o.def.long {
		case "--requirement":
			r.include(f, ev, o.value, group, constraints, chain)
		case "--constraint":
			r.include(f, ev, o.value, group, true, chain)
		case "--editable":
			r.requirement(ev, o.value, true, group, constraints)
		case "--index-url", "--extra-index-url", "--find-links", "--trusted-host":
			r.index(ev, strings.TrimPrefix(o.def.long, "--"), o.value)
		case "--no-index":
			r.index(ev, "no-index", "")
		case "--hash", "--config-settings", "--global-option":
			r.problem(ev, fmt.Sprintf("option %s needs a requirement on the same line", o.def.long))
		}
	}
}

func (r *reqReader) index(ev Evidence, kind, url string) {
	if r.emit {
		r.s.p.Indexes = append(r.s.p.Indexes, PackageIndex{URL: url, Kind: kind, Evidence: ev})
	}
}

// requirement reads a requirement's text: PEP 508, or one of the forms
// only pip accepts (a URL or VCS URL with #egg=, a local path or archive).
func (r *reqReader) requirement(ev Evidence, text string, editable bool, group string, constraints bool) {
	req, err := parseRequirementArg(text, editable)
	if err != nil {
		if strings.Contains(text, "${") {
			r.problem(ev, "requirement uses an environment variable that is only known at install time: "+text)
			return
		}
		r.problem(ev, "invalid requirement "+quoteShort(text)+": "+err.Error())
		return
	}
	req.Editable = editable
	req.Group = group
	req.Evidence = ev
	if !r.emit {
		return
	}
	if constraints {
		r.s.p.Constraints = append(r.s.p.Constraints, req)
	} else {
		r.s.p.Requirements = append(r.s.p.Requirements, req)
	}
}

// include follows -r FILE or -c FILE, relative to the including file.
// Files the walker reads on its own (requirements*.txt) are only walked for
// cycles here, so each file's facts are recorded once, under its own group.
func (r *reqReader) include(from *textFile, ev Evidence, target string, group string, constraints bool, chain []includeStep) {
	if strings.Contains(target, "://") {
		r.problem(ev, "remote requirements file "+target+" is not read")
		return
	}
	rel := path.Clean(path.Join(path.Dir(from.Path), target))
	if path.IsAbs(target) {
		rel = path.Clean(target)
	}
	for i, step := range chain {
		if step.file == rel {
			r.cycle(append(slices.Clone(chain[i:]), includeStep{file: rel}), ev)
			return
		}
	}
	if r.emit {
		r.s.p.Includes = append(r.s.p.Includes, Include{From: from.Path, To: rel, Constraint: constraints, Evidence: ev})
	}
	if r.done[rel] {
		return
	}
	r.done[rel] = true
	sub := reqReader{s: r.s, emit: r.emit, done: r.done}
	if r.s.seen[rel] || walkerReads(r.s, rel) {
		sub.emit = false
	}
	f, err := r.s.read(rel)
	if err != nil {
		r.problemOfKind(ev, ProblemBrokenInclude, "cannot read included file "+target+": "+err.Error())
		return
	}
	subGroup := group
	if g := requirementsGroup(rel); g != "" {
		subGroup = g
	}
	if sub.emit {
		r.s.addFile(rel, KindRequirements, subGroup)
	}
	next := append(slices.Clone(chain), includeStep{file: rel})
	next[len(next)-2].via = ev
	sub.read(f, subGroup, constraints, next)
}

// walkerReads reports whether the walker reads rel as a requirements file
// on its own: its name says so and no folder on its way is pruned or
// skipped.
func walkerReads(s *scanner, rel string) bool {
	if !isRequirementsFile(rel) {
		return false
	}
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		name := path.Base(dir)
		if slices.Contains(prunedDirs, name) || strings.HasSuffix(name, ".egg-info") || s.skip[s.full(dir)] {
			return false
		}
	}
	return true
}

// cycle reports an include cycle once, however many of its files start a
// walk: the cycle is named from its smallest path, at the line that closes it.
func (r *reqReader) cycle(steps []includeStep, closing Evidence) {
	steps[len(steps)-2].via = closing
	ring := steps[:len(steps)-1]
	start := 0
	for i, st := range ring {
		if st.file < ring[start].file {
			start = i
		}
	}
	names := make([]string, 0, len(ring)+1)
	for i := range ring {
		names = append(names, ring[(start+i)%len(ring)].file)
	}
	names = append(names, ring[start].file)
	last := ring[(start+len(ring)-1)%len(ring)]
	msg := "requirements files include each other: " + strings.Join(names, " -> ")
	for _, p := range r.s.p.Problems {
		if p.Message == msg {
			return
		}
	}
	r.s.problem(last.via, msg)
}

// splitArgsOptions splits a line where pip does: the requirement is every
// space-separated word before the first one that starts with "-".
func splitArgsOptions(line string) (args, opts string) {
	words := strings.Split(line, " ")
	for i, w := range words {
		if strings.HasPrefix(w, "-") {
			return strings.TrimSpace(strings.Join(words[:i], " ")), strings.Join(words[i:], " ")
		}
	}
	return strings.TrimSpace(line), ""
}

func quoteShort(s string) string {
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// reqOptionDef is one option pip accepts in requirements files.
type reqOptionDef struct {
	short, long    string
	takesValue     bool
	perRequirement bool // allowed after a requirement on the same line
}

var reqOptionDefs = []reqOptionDef{
	{"-r", "--requirement", true, false},
	{"-c", "--constraint", true, false},
	{"-e", "--editable", true, false},
	{"-i", "--index-url", true, false},
	{"", "--extra-index-url", true, false},
	{"-f", "--find-links", true, false},
	{"", "--trusted-host", true, false},
	{"", "--no-index", false, false},
	{"", "--pre", false, false},
	{"", "--prefer-binary", false, false},
	{"", "--require-hashes", false, false},
	{"", "--only-binary", true, false},
	{"", "--no-binary", true, false},
	{"", "--use-feature", true, false},
	{"-Z", "--always-unzip", false, false},
	{"", "--hash", true, true},
	{"", "--config-settings", true, true},
	{"", "--global-option", true, true},
	{"", "--install-option", true, true},
}

type reqOption struct {
	def   reqOptionDef
	value string
}

// parseReqOptions reads the options part of a line as pip's option parser
// does: "-r file", "-rfile", "--requirement=file", "--requirement file", and
// unambiguous prefixes of long options ("--extra-index").
func parseReqOptions(text string) ([]reqOption, error) {
	words, err := shellWords(text)
	if err != nil {
		return nil, err
	}
	var out []reqOption
	for i := 0; i < len(words); i++ {
		w := words[i]
		var def reqOptionDef
		value, hasValue := "", false
		switch {
		case strings.HasPrefix(w, "--"):
			name, v, ok := strings.Cut(w, "=")
			value, hasValue = v, ok
			d, err := lookupLongOption(name)
			if err != nil {
				return nil, err
			}
			def = d
		case strings.HasPrefix(w, "-") && len(w) >= 2:
			found := false
			for _, d := range reqOptionDefs {
				if d.short != "" && strings.HasPrefix(w, d.short) {
					def, found = d, true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("unknown option %s", w)
			}
			if rest := w[2:]; rest != "" {
				if !def.takesValue {
					return nil, fmt.Errorf("option %s takes no value", def.short)
				}
				value, hasValue = strings.TrimPrefix(rest, "="), true
			}
		default:
			return nil, fmt.Errorf("unexpected %q after options", w)
		}
		if def.takesValue && !hasValue {
			if i+1 >= len(words) {
				return nil, fmt.Errorf("option %s needs a value", def.long)
			}
			i++
			value = words[i]
		}
		if !def.takesValue && hasValue {
			return nil, fmt.Errorf("option %s takes no value", def.long)
		}
		out = append(out, reqOption{def, value})
	}
	return out, nil
}

func lookupLongOption(name string) (reqOptionDef, error) {
	var matches []reqOptionDef
	for _, d := range reqOptionDefs {
		if d.long == name {
			return d, nil
		}
		if strings.HasPrefix(d.long, name) && len(name) > 2 {
			matches = append(matches, d)
		}
	}
	if len(matches) == 1 {
		return matches[0], nil
	}
	if len(matches) > 1 {
		return reqOptionDef{}, fmt.Errorf("ambiguous option %s", name)
	}
	return reqOptionDef{}, fmt.Errorf("unknown option %s", name)
}

// shellWords splits text into words as Python's shlex.split does, which is
// what pip uses for option values: quotes group, backslash escapes.
func shellWords(text string) ([]string, error) {
	var out []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\'':
			j := strings.IndexByte(text[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated quote in options")
			}
			w.WriteString(text[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(text) && text[i] != '"'; i++ {
				if text[i] == '\\' && i+1 < len(text) && (text[i+1] == '"' || text[i+1] == '\\') {
					i++
				}
				w.WriteByte(text[i])
			}
			if i >= len(text) {
				return nil, fmt.Errorf("unterminated quote in options")
			}
			inWord = true
		case c == '\\' && i+1 < len(text):
			i++
			w.WriteByte(text[i])
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, w.String())
	}
	return out, nil
}

// parseRequirementArg reads a requirement as pip accepts it on a line or
// after -e: a URL (VCS or archive, named by #egg=), a local path or archive,
// or else PEP 508. Editable requirements are never bare names.
func parseRequirementArg(text string, editable bool) (Requirement, error) {
	head := text
	if i := strings.IndexAny(text, " \t;"); i >= 0 {
		head = text[:i]
	}
	switch {
	case isURL(head):
		loc, marker, err := splitLocationMarker(text)
		if err != nil {
			return Requirement{}, err
		}
		return Requirement{Name: nameFromURL(loc), Extras: extrasFromEgg(loc), URL: loc, Marker: marker}, nil
	case editable:
		// One shell word after -e: a folder may contain spaces, and pip reads
		// no marker here.
		loc, extras := cutPathExtras(strings.TrimSpace(text))
		return Requirement{Path: loc, Extras: extras}, nil
	case looksLikePath(head):
		loc, marker, err := splitLocationMarker(text)
		if err != nil {
			return Requirement{}, err
		}
		loc, extras := cutPathExtras(loc)
		r := Requirement{Path: loc, Extras: extras, Marker: marker}
		if isArchive(loc) {
			r.Name = nameFromArchive(path.Base(strings.ReplaceAll(loc, `\`, "/")))
		}
		return r, nil
	}
	return ParseRequirement(text)
}

// splitLocationMarker splits "URL-or-path ; marker": pip needs whitespace
// before the ";" here, since ";" may occur in a URL.
func splitLocationMarker(text string) (loc, marker string, err error) {
	loc = text
	for _, sep := range []string{" ;", "\t;", "; "} {
		if i := strings.Index(text, sep); i >= 0 {
			loc = text[:i]
			rest := strings.TrimLeft(text[i:], " \t")
			marker, err = parseMarker(rest[1:])
			if err != nil {
				return "", "", err
			}
			break
		}
	}
	loc = strings.TrimSpace(loc)
	if strings.ContainsAny(loc, " \t") {
		return "", "", fmt.Errorf("unexpected text after %q", strings.Fields(loc)[0])
	}
	return loc, marker, nil
}

// isURL reports whether s starts with a URL scheme (https://, git+ssh://,
// file:).
func isURL(s string) bool {
	if strings.HasPrefix(strings.ToLower(s), "file:") {
		return true
	}
	i := strings.Index(s, "://")
	if i <= 0 {
		return false
	}
	for j := 0; j < i; j++ {
		c := s[j]
		if !isAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func looksLikePath(s string) bool {
	return strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~") ||
		strings.ContainsAny(s, `/\`) && !strings.Contains(s, "@") || isArchive(s)
}

var archiveExts = []string{".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip"}

func isArchive(s string) bool {
	s = strings.ToLower(s)
	for _, e := range archiveExts {
		if strings.HasSuffix(s, e) {
			return true
		}
	}
	return false
}

// cutPathExtras splits "./pkg[dev,test]" into the path and its extras.
func cutPathExtras(p string) (string, []string) {
	if !strings.HasSuffix(p, "]") {
		return p, nil
	}
	i := strings.LastIndexByte(p, '[')
	if i <= 0 {
		return p, nil
	}
	var extras []string
	for e := range strings.SplitSeq(p[i+1:len(p)-1], ",") {
		if e = strings.TrimSpace(e); e != "" {
			extras = append(extras, NormalizeName(e))
		}
	}
	return p[:i], extras
}

// nameFromURL takes the project name from a URL's #egg= fragment, or from
// an archive's file name; "" when the URL does not say.
func nameFromURL(u string) string {
	if _, frag, ok := strings.Cut(u, "#"); ok {
		for kv := range strings.SplitSeq(frag, "&") {
			if egg, ok := strings.CutPrefix(kv, "egg="); ok {
				egg, _, _ = strings.Cut(egg, "[")
				return NormalizeName(egg)
			}
		}
		u, _, _ = strings.Cut(u, "#")
	}
	u, _, _ = strings.Cut(u, "?")
	if isArchive(u) && !strings.Contains(u[:strings.Index(u, ":")], "+") {
		return nameFromArchive(path.Base(u))
	}
	return ""
}

func extrasFromEgg(u string) []string {
	_, frag, _ := strings.Cut(u, "#egg=")
	frag, _, _ = strings.Cut(frag, "&")
	_, extras := cutPathExtras(frag)
	return extras
}

// nameFromArchive reads the project name from a wheel or sdist file name:
// "numpy-1.26.4-cp312-...whl", "foo_bar-1.0.tar.gz".
func nameFromArchive(base string) string {
	if strings.HasSuffix(strings.ToLower(base), ".whl") {
		if name, _, ok := strings.Cut(base, "-"); ok {
			return NormalizeName(name)
		}
		return ""
	}
	for _, e := range archiveExts {
		if strings.HasSuffix(strings.ToLower(base), e) {
			base = base[:len(base)-len(e)]
			break
		}
	}
	if i := strings.LastIndexByte(base, '-'); i > 0 && i+1 < len(base) && base[i+1] >= '0' && base[i+1] <= '9' {
		return NormalizeName(base[:i])
	}
	return ""
}
