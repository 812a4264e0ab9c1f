package detect

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxFileSize is the largest file detect reads. Bigger files are reported
// as a problem and skipped: no project declares its setup in 8 MiB.
const MaxFileSize = 8 << 20

// Options tune one scan.
type Options struct {
	// Skip lists folders (relative to the scanned file system) that belong to
	// other projects of a monorepo and must not be read as part of this one.
	Skip []string
	// Members lists folders (relative to dir) of projects whose files are
	// read as this project's own: the monorepo packages its environment
	// serves. Without it, a folder with a project file is an example.
	Members []string
}

// Scan reads the project whose root is dir (slash-separated, "." for the top
// of fsys) and returns its facts. It never fails: unreadable or malformed
// files become Problems.
func Scan(fsys fs.FS, dir string, opts Options) *Project {
	s := &scanner{fsys: fsys, root: path.Clean(dir), skip: map[string]bool{}, seen: map[string]bool{}}
	for _, d := range opts.Skip {
		s.skip[path.Clean(d)] = true
	}
	s.p = &Project{Root: s.root, FS: fsys, Members: opts.Members}
	s.docLinks()
	cands := s.walk()
	s.walked = map[string]bool{}
	for _, c := range cands {
		s.walked[c.rel] = true
	}
	for _, c := range cands {
		s.extract(c.x, c.rel)
	}
	s.installedRequirements()
	s.floxHook()
	s.finish()
	return s.p
}

// installedRequirements reads the requirements files the project's venv
// setup installs with `pip install -r FILE` under names the walk does not
// know as requirements (requirements.freeze, deps/python.lst).
func (s *scanner) installedRequirements() {
	var files []string
	for _, v := range s.p.Venvs {
		if v.Action == VenvInstall && v.File != KindDockerfile {
			files = append(files, requirementArgs(v.Command)...)
		}
	}
	// Once migrated, the files are named by the sync in the Flox hook.
	if data, err := fs.ReadFile(s.fsys, s.full(".flox/env/manifest.toml")); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "pip install") || strings.Contains(line, "pip sync") {
				files = append(files, requirementArgs(line)...)
				files = append(files, pipSyncFiles(line)...)
			}
		}
	}
	x, _ := specFor("requirements.txt")
	for _, rel := range files {
		if s.seen[rel] {
			continue
		}
		if info, err := fs.Lstat(s.fsys, s.full(rel)); err != nil || !info.Mode().IsRegular() {
			continue
		}
		s.extract(x, rel)
	}
}

// pipSyncFiles returns the files a `uv pip sync` or `pip-sync` command
// line names: its arguments up to the end of the command.
func pipSyncFiles(cmd string) []string {
	f := strings.Fields(cmd)
	i := slices.Index(f, "sync")
	if i < 0 {
		return nil
	}
	var out []string
	for i++; i < len(f); i++ {
		a := f[i]
		switch {
		case a == "--python" || a == "-p" || a == "-c" || a == "--constraint":
			i++
		case strings.HasPrefix(a, "-"):
		case a == "||" || a == "&&" || a == ";":
			return out
		default:
			file := path.Clean(strings.TrimRight(strings.Trim(a, `"'`), ");"))
			if file != "." && !strings.ContainsAny(file, "$`{}*?") && !path.IsAbs(file) && !strings.HasPrefix(file, "../") {
				out = append(out, file)
			}
			if strings.HasSuffix(a, ")") {
				return out
			}
		}
	}
	return out
}

// requirementArgs returns the files a pip command line installs with -r,
// as project-relative paths; those with variables or outside the project
// are left out.
func requirementArgs(cmd string) []string {
	var out []string
	f := strings.Fields(cmd)
	for i, a := range f {
		file := ""
		switch {
		case (a == "-r" || a == "--requirement") && i+1 < len(f):
			file = f[i+1]
		case strings.HasPrefix(a, "--requirement="):
			file = a[len("--requirement="):]
		case strings.HasPrefix(a, "-r") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			file = a[2:]
		}
		file = path.Clean(strings.Trim(strings.TrimRight(file, ");"), `"'`))
		if file == "." || strings.ContainsAny(file, "$`{}*?") || path.IsAbs(file) || file == ".." || strings.HasPrefix(file, "../") {
			continue
		}
		out = append(out, file)
	}
	return out
}

// ScanText reads one file of a project from its content, as Scan would
// read it at rel; an empty project when Scan would not read such a file.
// It serves to re-read a file after rewriting it. Files it refers to (a
// requirements file's -r includes) are not read.
func ScanText(rel string, data []byte) *Project {
	s := &scanner{fsys: noFiles{}, root: ".", skip: map[string]bool{}, seen: map[string]bool{}, noFS: true}
	s.p = &Project{Root: "."}
	x, ok := specFor(rel)
	if !ok && !strings.Contains(path.Base(rel), ".") && slices.Contains(scriptDirs, path.Dir(rel)) && IsShellShebang(string(data[:min(len(data), 64)])) {
		x, ok = specOf(KindShell)
	}
	if !ok {
		return s.p
	}
	text, err := decodeText(data)
	if err != nil {
		s.problem(Evidence{Path: rel}, err.Error())
		return s.p
	}
	s.addFile(rel, x.kind, "")
	x.extract(s, &textFile{Path: rel, Text: text, Mode: 0o644})
	s.finish()
	return s.p
}

// noFiles is an empty file system.
type noFiles struct{}

func (noFiles) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// textFile is a decoded file: UTF-8 text without BOM, with line endings kept.
type textFile struct {
	Path string // relative to the project root
	Text string
	Mode fs.FileMode
}

// Lines splits the text into lines without their terminators (\n or \r\n).
func (f *textFile) Lines() []string {
	lines := strings.Split(f.Text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// Ev is the evidence for a line of this file.
func (f *textFile) Ev(line int) Evidence { return Evidence{Path: f.Path, Line: line} }

type scanner struct {
	fsys fs.FS
	root string
	skip map[string]bool
	seen map[string]bool // files already added to Project.Files
	p    *Project
	// What the audience pass reads once every file is in (audience.go).
	calls    []shellCall          // every simple command run, wrappers peeled
	docs     map[string]*docFile  // the code blocks and headings of each document
	jobHints map[Evidence]jobHint // per CI job (by its evidence), what only its YAML says
	// noFS is set when there is no file system to ask (ScanText): what
	// exists in the checkout is then unknown.
	noFS bool
	// nameFrom is the file Project.Name was read from.
	nameFrom string
	// walked holds the files the walk found a kind for.
	walked map[string]bool
}

// setName records the distribution name a project file declares: the
// first one read, unless a file at the root declares one (an example's
// pyproject.toml below the root is read first, in path order).
func (s *scanner) setName(name, from string) {
	if s.p.Name == "" || strings.Contains(s.nameFrom, "/") && !strings.Contains(from, "/") {
		s.p.Name, s.nameFrom = NormalizeName(name), from
	}
}

// full turns a project-relative path into an fsys path.
func (s *scanner) full(rel string) string {
	if s.root == "." {
		return rel
	}
	return s.root + "/" + rel
}

func (s *scanner) problem(ev Evidence, msg string) {
	s.p.Problems = append(s.p.Problems, Problem{Evidence: ev, Message: msg})
}

// addFile records that a file was read, once.
func (s *scanner) addFile(rel string, kind FileKind, group string) {
	if s.seen[rel] {
		return
	}
	s.seen[rel] = true
	s.p.Files = append(s.p.Files, File{Path: rel, Kind: kind, Group: group})
}

func (s *scanner) extract(x kindSpec, rel string) {
	target, err := s.linkTarget(rel)
	switch {
	case errors.Is(err, errDanglingLink):
		return
	case err != nil:
		s.problem(Evidence{Path: rel}, err.Error())
		return
	case target != rel && s.walked[target]:
		return // a link to a project file, which is read under its own name
	}
	rel = target // a link's facts and edits go to the file it names
	if s.seen[rel] {
		return // already read (an .envrc that another one sources)
	}
	f, err := s.read(rel)
	if err != nil {
		s.problem(Evidence{Path: rel}, err.Error())
		return
	}
	s.addFile(rel, x.kind, "")
	x.extract(s, f)
}

// errDanglingLink is a link to a file that does not exist: it holds
// nothing to read or migrate.
var errDanglingLink = errors.New("is a symbolic link to a file that does not exist")

// maxLinkHops bounds how many symbolic links lead to a file.
const maxLinkHops = 8

// linkTarget follows symbolic links from a project-relative path to the
// file they name (rel itself when it is no link). A link whose target is
// outside the project, or that cannot be read, is an error: such links are
// never followed.
func (s *scanner) linkTarget(rel string) (string, error) {
	if s.noFS {
		return rel, nil
	}
	for hop := 0; ; hop++ {
		info, err := fs.Lstat(s.fsys, s.full(rel))
		if hop > 0 && errors.Is(err, fs.ErrNotExist) {
			return "", errDanglingLink
		}
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return rel, nil // read reports what is wrong with it
		}
		to, err := fs.ReadLink(s.fsys, s.full(rel))
		if err != nil || hop == maxLinkHops {
			return "", errors.New("is a symbolic link that cannot be followed; not read")
		}
		next := path.Clean(path.Join(path.Dir(rel), to))
		if path.IsAbs(to) || next == ".." || strings.HasPrefix(next, "../") || s.inSkipped(next) {
			return "", errors.New("is a symbolic link to " + to + ", outside the project; not followed")
		}
		rel = next
	}
}

// docLinks records a top-level docs or doc link to a folder of the project
// (docs -> nautobot/docs): the walk does not enter links, so the pages are
// read under the folder's own path, as documentation. A link out of the
// project is never followed.
func (s *scanner) docLinks() {
	for _, name := range []string{"docs", "doc"} {
		info, err := fs.Lstat(s.fsys, s.full(name))
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		target, err := s.linkTarget(name)
		if err != nil || target == name {
			continue
		}
		if info, err := fs.Stat(s.fsys, s.full(target)); err == nil && info.IsDir() {
			if s.p.DocLinks == nil {
				s.p.DocLinks = map[string]string{}
			}
			s.p.DocLinks[target] = name
		}
	}
}

// inSkipped reports a path inside one of the folders the scan leaves out
// (other projects nested in this one).
func (s *scanner) inSkipped(rel string) bool {
	for d := path.Dir(s.full(rel)); d != "." && d != "/" && d != s.root; d = path.Dir(d) {
		if s.skip[d] {
			return true
		}
	}
	return false
}

// read loads a project-relative file as text, through symbolic links that
// stay in the project (the file's Path is then the file they name). It
// refuses paths and links that leave the project, files over MaxFileSize,
// binary data and invalid UTF-8, each with an error that says which.
func (s *scanner) read(rel string) (*textFile, error) {
	rel = path.Clean(rel)
	if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return nil, errors.New("path leaves the project root: " + rel)
	}
	rel, err := s.linkTarget(rel)
	if err != nil {
		return nil, err
	}
	full := s.full(rel)
	info, err := fs.Lstat(s.fsys, full)
	if err != nil {
		return nil, errors.New("cannot read: " + unwrapPathError(err))
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if info.Size() > MaxFileSize {
		return nil, errors.New("file is larger than 8 MiB; skipped")
	}
	data, err := fs.ReadFile(s.fsys, full)
	if err != nil {
		return nil, errors.New("cannot read: " + unwrapPathError(err))
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	return &textFile{Path: rel, Text: text, Mode: info.Mode()}, nil
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// decodeText returns data as UTF-8 text without a byte-order mark. UTF-16
// files (with a BOM, as Windows editors write them) are converted.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", errors.New("binary file (contains NUL bytes); skipped")
	}
	if !utf8.Valid(data) {
		return "", errors.New("not valid UTF-8 text; skipped")
	}
	return string(data), nil
}

func decodeUTF16(data []byte) (string, error) {
	big := data[0] == 0xFE
	data = data[2:]
	if len(data)%2 != 0 {
		return "", errors.New("truncated UTF-16 text; skipped")
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if big {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	return string(utf16.Decode(u)), nil
}

// prunedDirs are folders detect never enters: environments, caches, build
// output and VCS data. Matched on the folder's own name.
var prunedDirs = []string{
	".git", ".hg", ".svn", ".flox",
	"node_modules", "__pycache__", ".tox", ".nox",
	".venv", "venv", ".mypy_cache", ".pytest_cache",
	".ruff_cache", ".eggs", "site-packages", "build",
	"dist", ".cache", ".direnv", ".idea",
	"htmlcov", ".ipynb_checkpoints",
}

// IsPrunedDir reports whether a folder is never scanned: environments,
// caches, build output, VCS data, project templates (cookiecutter and
// copier folders are named "{{ ... }}": their files are not the project's),
// and any folder holding a venv.
func IsPrunedDir(fsys fs.FS, dir, name string) bool {
	if slices.Contains(prunedDirs, name) || strings.HasSuffix(name, ".egg-info") || strings.Contains(name, "{{") {
		return true
	}
	// Any folder holding a pyvenv.cfg is a venv, whatever its name.
	_, err := fs.Stat(fsys, path.Join(dir, "pyvenv.cfg"))
	return err == nil
}

// candidate is a file and the kind it is read as.
type candidate struct {
	rel string
	x   kindSpec
}

// walk lists the project's files of a kind detect reads, relative to the
// root, sorted by path.
func (s *scanner) walk() []candidate {
	var out []candidate
	_ = fs.WalkDir(s.fsys, s.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != s.root {
				s.problem(Evidence{Path: s.rel(p)}, "cannot read: "+unwrapPathError(err))
			}
			return nil
		}
		if d.IsDir() {
			if p == s.root {
				return nil
			}
			if s.skip[p] || IsPrunedDir(s.fsys, p, d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		rel := s.rel(p)
		x, ok := specFor(rel)
		if doc := s.p.DocPath(rel); !ok && doc != rel {
			// A page of the folder a top-level docs link names.
			if x, ok = specFor(doc); ok && x.kind != KindMarkdown && x.kind != KindRST {
				ok = false
			}
		}
		if !ok && s.isShebangScript(rel, d) {
			x, ok = specOf(KindShell)
		}
		switch {
		case !ok:
		case !utf8.ValidString(rel):
			// Paths end up in the manifest and in patches, which are UTF-8.
			s.problem(Evidence{Path: strings.ToValidUTF8(rel, "\uFFFD")}, "file name is not valid UTF-8; skipped")
		default:
			out = append(out, candidate{rel, x})
		}
		return nil
	})
	return out
}

func (s *scanner) rel(p string) string {
	if s.root == "." {
		return p
	}
	return strings.TrimPrefix(p, s.root+"/")
}

// specFor returns the first kind whose match accepts rel.
func specFor(rel string) (kindSpec, bool) {
	for _, x := range kinds {
		if x.match(rel) {
			return x, true
		}
	}
	return kindSpec{}, false
}

// scriptDirs are folders whose extension-less files are checked for a shell
// shebang (scripts/test, bin/setup).
var scriptDirs = []string{".", "bin", "script", "scripts", "tools", "ci", ".ci", "dev", "hack"}

// isShebangScript reports whether an extension-less file in a script folder
// starts with a shell shebang. Such files are read as shell scripts.
func (s *scanner) isShebangScript(rel string, d fs.DirEntry) bool {
	name := path.Base(rel)
	if strings.Contains(name, ".") || !slices.Contains(scriptDirs, path.Dir(rel)) || !d.Type().IsRegular() {
		return false
	}
	f, err := s.fsys.Open(s.full(rel))
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 64)
	n, _ := f.Read(buf)
	return IsShellShebang(string(buf[:n]))
}

// IsShellShebang reports whether text starts with a sh/bash/zsh/dash shebang.
func IsShellShebang(text string) bool {
	if !strings.HasPrefix(text, "#!") {
		return false
	}
	line, _, _ := strings.Cut(text[2:], "\n")
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return false
	}
	interp := path.Base(fields[0])
	if interp == "env" && len(fields) > 1 {
		interp = fields[1]
		if interp == "-S" && len(fields) > 2 {
			interp = fields[2]
		}
	}
	switch interp {
	case "sh", "bash", "zsh", "dash", "ksh":
		return true
	}
	return false
}

// finish sorts the collected facts so output never depends on walk order,
// and says whom each file, doc block and CI job serves.
func (s *scanner) finish() {
	sort.Slice(s.p.Files, func(i, j int) bool { return s.p.Files[i].Path < s.p.Files[j].Path })
	s.classify()
	sort.SliceStable(s.p.Problems, func(i, j int) bool { return lessEv(s.p.Problems[i].Evidence, s.p.Problems[j].Evidence) })
	findConflicts(s.p)
}

func lessEv(a, b Evidence) bool {
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.Line < b.Line
}
