package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/config"
)

// readConfigFile parses a git config file with go-git's config reader; a
// missing file is an empty config. [include] and [includeIf] sections are
// not followed.
func readConfigFile(p string) (*config.Config, error) {
	cfg := config.New()
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return nil, err
	}
	if err := config.NewDecoder(bytes.NewReader(data)).Decode(cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return cfg, nil
}

// configValue returns the last value of section.key, as git does; names
// compare without case.
func configValue(cfg *config.Config, section, key string) (string, bool) {
	if !cfg.HasSection(section) {
		return "", false
	}
	s := cfg.Section(section)
	if !s.HasOption(key) {
		return "", false
	}
	return s.Option(key), true
}

// userConfigFiles lists the config files git reads besides the
// repository's own, lowest precedence first: system, then global.
func userConfigFiles() []string {
	var files []string
	if !envTrue("GIT_CONFIG_NOSYSTEM") {
		if p := os.Getenv("GIT_CONFIG_SYSTEM"); p != "" {
			files = append(files, p)
		} else {
			files = append(files, "/etc/gitconfig")
		}
	}
	if p, ok := os.LookupEnv("GIT_CONFIG_GLOBAL"); ok {
		return append(files, p)
	}
	xdg := os.Getenv("XDG_CONFIG_HOME")
	home, _ := os.UserHomeDir()
	if xdg == "" && home != "" {
		xdg = filepath.Join(home, ".config")
	}
	if xdg != "" {
		files = append(files, filepath.Join(xdg, "git", "config"))
	}
	if home != "" {
		files = append(files, filepath.Join(home, ".gitconfig"))
	}
	return files
}

// User returns user.name and user.email as git would: each key from the
// most specific config file that sets it (repository, global, system).
// Unreadable user config files are skipped, as a missing identity only
// means a fallback one.
func (r *Repo) User() (name, email string) {
	for _, p := range userConfigFiles() {
		cfg, err := readConfigFile(p)
		if err != nil {
			continue
		}
		name, email = userFrom(cfg, name, email)
	}
	return userFrom(r.config, name, email)
}

func userFrom(cfg *config.Config, name, email string) (string, string) {
	if v, ok := configValue(cfg, "user", "name"); ok {
		name = v
	}
	if v, ok := configValue(cfg, "user", "email"); ok {
		email = v
	}
	return name, email
}

// configBool reads a boolean from the repository config the way git does.
// A key written without "=" means true; the reader gives it as "".
func (r *Repo) configBool(section, key string, def bool) bool {
	v, ok := configValue(r.config, section, key)
	if !ok {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1", "":
		return true
	case "false", "no", "off", "0":
		return false
	}
	return def
}

func envTrue(k string) bool {
	switch strings.ToLower(os.Getenv(k)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
