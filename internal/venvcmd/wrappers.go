package venvcmd

import (
	"path"
	"strings"
)

// Wrappers are programs that run another command given on their command
// line, with the options of each that take a value.
var wrappers = map[string]optTable{
	"exec":       opts([]string{"=-a"}),
	"nohup":      opts(),
	"time":       opts([]string{"=-f", "--format"}, []string{"=-o", "--output"}),
	"builtin":    opts(),
	"stdbuf":     opts([]string{"=-i", "--input"}, []string{"=-o", "--output"}, []string{"=-e", "--error"}),
	"xvfb-run":   opts([]string{"=-s", "--server-args"}, []string{"=-n", "--server-num"}, []string{"=-e", "--error-file"}, []string{"=-f", "--auth-file"}, []string{"=-p", "--xauth-protocol"}),
	"caffeinate": opts([]string{"=-t"}, []string{"=-w"}),
	"chronic":    opts(),
	"command":    opts(),
	"sudo":       opts([]string{"=-u", "--user"}, []string{"=-g", "--group"}, []string{"=-C", "--close-from"}, []string{"=-D", "--chdir"}, []string{"=-h", "--host"}, []string{"=-p", "--prompt"}, []string{"=-r", "--role"}, []string{"=-t", "--type"}, []string{"=-U", "--other-user"}),
	"doas":       opts([]string{"=-u"}, []string{"=-C"}),
	"nice":       opts([]string{"=-n", "--adjustment"}),
	"ionice":     opts([]string{"=-c", "--class"}, []string{"=-n", "--classdata"}, []string{"=-p", "--pid"}),
	"timeout":    opts([]string{"=-s", "--signal"}, []string{"=-k", "--kill-after"}),
	"env":        opts([]string{"=-u", "--unset"}, []string{"=-C", "--chdir"}, []string{"=-S", "--split-string"}),
}

// Unwrap returns how many leading words are wrappers and their options
// (`sudo -u app env A=1 timeout 60 pytest` gives 6): the program that runs
// is words[Unwrap(words)]. `command -v X` looks X up and runs nothing: all
// its words are unwrapped.
func Unwrap(words []string) int {
	start := 0
	for i := 0; i < maxWrappers && start < len(words); i++ {
		next, ok := unwrap(words, start)
		if !ok {
			break
		}
		start = next
	}
	return start
}

// unwrap returns the index of the word after the wrapper at words[i] (and
// its options, a timeout's duration, env's NAME=value words), or false
// when words[i] is no wrapper.
func unwrap(words []string, i int) (int, bool) {
	name := words[i]
	if IsSystemBinPath(name) {
		name = path.Base(name) // /usr/bin/env
	}
	table, ok := wrappers[name]
	if !ok {
		return i, false
	}
	rest := words[i+1:]
	if name == "command" && len(rest) > 0 && (rest[0] == "-v" || rest[0] == "-V") {
		return len(words), true
	}
	j := i + 1
	for j < len(words) && strings.HasPrefix(words[j], "-") && len(words[j]) > 1 {
		if words[j] == "--" {
			j++
			break
		}
		if spec, ok := table[words[j]]; ok && spec.value {
			j++
		}
		j++
	}
	switch name {
	case "timeout":
		j++ // the duration
	case "env":
		for j < len(words) && strings.Contains(words[j], "=") && !strings.HasPrefix(words[j], "=") {
			j++
		}
	}
	return min(j, len(words)), true
}

// unwrapFlox peels `flox activate [options] -- CMD`, which runs CMD in the
// environment.
func unwrapFlox(words []string, i int) (int, bool) {
	if i+1 >= len(words) || words[i+1] != "activate" {
		return i, false
	}
	for j := i + 2; j < len(words); j++ {
		if words[j] == "--" {
			return j + 1, true
		}
	}
	return i, false
}

// RunsAsRoot reports a wrapper that runs its command as root.
func RunsAsRoot(word string) bool {
	if IsSystemBinPath(word) {
		word = path.Base(word)
	}
	return word == "sudo" || word == "doas"
}

// UnwrapAt returns the index of the word after the wrapper at words[i]
// and its options, or false when words[i] is no wrapper. `command -v X`
// gives len(words): it runs nothing.
func UnwrapAt(words []string, i int) (int, bool) {
	if i >= len(words) {
		return i, false
	}
	return unwrap(words, i)
}
