package installset

import (
	"strings"

	"github.com/venv2flox/venv2flox/internal/venvcmd"
)

// sourceOptions renders the options that change where packages come from,
// as they enter a set: one string each ("--extra-index-url URL"), in
// pip's spelling. uv's --index-strategy is left out: the hook adds
// unsafe-best-match to give uv pip's meaning for an extra index, and the
// set compares meanings, not spellings.
func sourceOptions(opts, env []venvcmd.Option) []string {
	var out []string
	for _, o := range append(env, opts...) {
		if o.Name == "--index-strategy" {
			continue
		}
		out = append(out, o.String())
	}
	return out
}

// envOptions reads the install options pip and uv take from the
// environment (pip: PIP_<OPTION>, src/pip/_internal/configuration.py;
// uv: crates/uv-static/src/env_vars.rs).
func envOptions(get func(string) string) []venvcmd.Option {
	var out []venvcmd.Option
	for _, e := range []struct{ name, option string }{
		{"PIP_INDEX_URL", "--index-url"}, {"UV_INDEX_URL", "--index-url"}, {"UV_DEFAULT_INDEX", "--index-url"},
		{"PIP_EXTRA_INDEX_URL", "--extra-index-url"}, {"UV_EXTRA_INDEX_URL", "--extra-index-url"},
		{"PIP_FIND_LINKS", "--find-links"}, {"UV_FIND_LINKS", "--find-links"},
	} {
		for _, v := range strings.Fields(get(e.name)) {
			out = append(out, venvcmd.Option{Name: e.option, Value: v})
		}
	}
	if v := get("PIP_PRE"); v == "1" || v == "true" || get("UV_PRERELEASE") == "allow" {
		out = append(out, venvcmd.Option{Name: "--pre"})
	}
	if v := get("PIP_NO_INDEX"); v == "1" || v == "true" || get("UV_NO_INDEX") == "true" || get("UV_NO_INDEX") == "1" {
		out = append(out, venvcmd.Option{Name: "--no-index"})
	}
	return out
}

// onePlatformIndex reports an index option whose index serves wheels for
// one platform only: PyTorch's CUDA and ROCm indexes
// (download.pytorch.org/whl/cuXXX, /whl/rocmX.Y) publish Linux (and
// Windows) builds, never macOS ones, so a sync that needs them cannot
// succeed on every system the environment lists.
func onePlatformIndex(opts []string) (string, bool) {
	for _, o := range opts {
		name, url, ok := strings.Cut(o, " ")
		if !ok || (name != "--index-url" && name != "--extra-index-url" && name != "--find-links" && name != "--index") {
			continue
		}
		rest, ok := strings.CutPrefix(strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://"), "download.pytorch.org/whl/")
		if ok && (strings.HasPrefix(rest, "cu") || strings.HasPrefix(rest, "rocm")) {
			return url, true
		}
	}
	return "", false
}
