package installset

import (
	"strings"
	"testing"
)

// The hook's form changes (a stamp by built-ins, a lock made with
// noclobber, the sync lines kept in a heredoc and run by "$BASH" -ec): the
// check must still see what it installs.
func TestCheckHookForms(t *testing.T) {
	p := project(map[string]string{
		"pyproject.toml": uvProject,
		"uv.lock":        "version = 1\n",
	})
	hooks := map[string]string{
		"a sync in a subshell behind a stamp": `
_v2f_venv="$FLOX_ENV_CACHE/venv"
_v2f_python="$FLOX_ENV/bin/python3"
_v2f_setup() {
  local stamps deps
  [ -x "$_v2f_python" ] || return 1
  stamps=$("$_v2f_python" -I -c 'import hashlib; print("x")' "$FLOX_ENV_PROJECT" pyproject.toml) || return 1
  deps=${stamps#* }
  if [ ! -f "$_v2f_venv/pyvenv.cfg" ]; then
    "$_v2f_python" -m venv --without-pip "$_v2f_venv" || return 1
  fi
  export VIRTUAL_ENV="$_v2f_venv"
  [ "$(cat "$VIRTUAL_ENV/.venv2flox-stamp" 2>/dev/null)" = "$deps" ] && return 0
  (cd "$FLOX_ENV_PROJECT" && uv sync --frozen --all-extras --group docs) || return 1
  printf '%s\n' "$deps" >"$VIRTUAL_ENV/.venv2flox-stamp"
}
_v2f_setup
`,
		"a heredoc run by $BASH -ec under a noclobber lock": `
_venv2flox() {
  local venv="$FLOX_ENV_CACHE/venv" py="$FLOX_ENV/bin/python3" sync f changed=
  local lock="$FLOX_ENV_CACHE/venv2flox.lock" deps=(pyproject.toml uv.lock)
  read -r -d '' sync <<'SYNC'
uv sync --frozen --all-extras --group docs
SYNC
  export VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" UV_PROJECT_ENVIRONMENT="$venv"
  for f in "${deps[@]}" .flox/env/manifest.lock; do
    [ "$FLOX_ENV_PROJECT/$f" -nt "$venv/.venv2flox-stamp" ] && changed=1
  done
  [ -n "$changed" ] || [ ! -s "$venv/.venv2flox-stamp" ] || return 0
  (
    fail() { echo "venv2flox: $1" >&2; exit 1; }
    cd "$FLOX_ENV_PROJECT" && [ -w "${lock%/*}" ] && set -C +u || fail "cannot write ${lock%/*}"
    until echo "$BASHPID" >"$lock"; do
      read -r owner <"$lock" && ! kill -0 "$owner" && mkdir "$lock.$owner" || { sleep 1; continue; }
      read -r f <"$lock" && [ "$f" = "$owner" ] && rm -f "$lock"; rmdir "$lock.$owner"
    done 2>/dev/null; trap 'rm -f "$lock"' EXIT
    python=$("$py" -VV 2>&1) || fail "$py does not run"
    read -r -d '' old 2>/dev/null <"$venv/.venv2flox-stamp"
    if [ "${old%%$'\n'*}" != "${python%%$'\n'*}" ]; then
      rm -rf "$venv" && "$py" -m venv "$venv" || fail "creating $venv failed"
    fi
    state="$python"$'\n'"$(cksum "${deps[@]}" </dev/null 2>&1)"$'\n'"$sync"
    if [ "$state" != "$old" ]; then
      PATH="$FLOX_ENV/bin:$PATH" UV_PYTHON_DOWNLOADS=never "$BASH" -ec "$sync" || fail "sync failed"
    fi
    printf '%s\n' "$state" >|"$venv/.venv2flox-stamp"
  )
}
_venv2flox || :
`,
	}
	for name, hook := range hooks {
		c := CheckHook(p, nil, strings.TrimPrefix(hook, "\n"), "3.12")
		if got, want := c.New.String(), "python 3.12\nproject editable [dask,plot]\ngroup dev\ngroup docs\n"; got != want {
			t.Errorf("%s: the hook installs\n%s\nwant\n%s", name, got, want)
		}
	}
}
