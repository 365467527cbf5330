# shellcheck shell=bash
# Tool helpers for CRM Lens' scripts. Source this file (`. .ci/tools.sh`) and call
# the need_* functions you need, or run it directly to check/install some:
#
#   bash .ci/tools.sh                      # everything .ci/test needs
#   bash .ci/tools.sh need_trunk need_duckdb
#   CI_TOOLS_CHECK_ONLY=1 bash .ci/tools.sh  # report what is missing, install nothing
#
# Every need_* function is idempotent: it detects the tool at the exact version the
# project needs and only installs what is missing or at the wrong version. On failure
# it prints an error naming what could not be installed and returns non-zero.

# --- Versions and shared settings -------------------------------------------------
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132 # wasm-opt, from npm `binaryen` (tests/e2e/package.json pins it)
DUCKDB_VERSION=2.0.0 # Python duckdb, for later stages
OPENAPI_SPEC_VALIDATOR_VERSION=0.9.0 # Python, for the contract stage
# Python lifetimes 0.11.3 (2020) for the CLV differential check, with the newest versions of its
# dependencies it still runs with on Python 3.11 (pandas 2 and numpy 2 break it).
LIFETIMES_PINS=(lifetimes==0.11.3 numpy==1.26.4 scipy==1.11.4 pandas==1.5.3 autograd==1.6.2 dill==0.3.8)

CI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E_DIR="$CI_ROOT/tests/e2e"

# One target dir for cargo and Trunk alike, so nothing is built twice.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CI_ROOT/target}"
# Trunk otherwise asks the network for its latest version on every run.
export TRUNK_SKIP_VERSION_CHECK=true
# wasm-bindgen-test-runner drives headless Chromium through this driver.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export DEBIAN_FRONTEND=noninteractive

# Binaries installed by `cargo install` live here; a non-login shell may not have it.
case ":$PATH:" in
  *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;;
  *) export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;;
esac

# --- Small helpers ------------------------------------------------------------------
_tools_log() { printf '[tools] %s\n' "$*"; }
_tools_fail() { printf '[tools] ERROR: %s\n' "$*" >&2; return 1; }

# _tools_install WHAT CMD... : run an install command, or in check-only mode report it.
_tools_install() {
  local what=$1
  shift
  if [[ ${CI_TOOLS_CHECK_ONLY:-0} == 1 ]]; then
    _tools_fail "$what is missing (check-only mode; would run: $*)"
    return 1
  fi
  _tools_log "installing $what: $*"
  "$@" || {
    _tools_fail "could not install $what (command failed: $*)"
    return 1
  }
}

# _tools_first_line CMD... : first line of a command's output, empty if it fails.
_tools_first_line() {
  local out
  out=$("$@" 2>/dev/null) || return 0
  printf '%s\n' "${out%%$'\n'*}"
}

# --- Debian packages ----------------------------------------------------------------
_TOOLS_APT_UPDATED=${_TOOLS_APT_UPDATED:-}

# need_apt PKG... : install the Debian packages that are not installed yet.
need_apt() {
  local p missing=()
  for p in "$@"; do
    if [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) != installed ]]; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]} == 0)); then
    _tools_log "apt: already installed: $*"
    return 0
  fi
  local sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || {
      _tools_fail "Debian packages ${missing[*]} are missing and we are not root (no sudo)"
      return 1
    }
    sudo=(sudo -n)
  fi
  # apt-get update only once per process, and only because something is missing.
  if [[ -z $_TOOLS_APT_UPDATED ]]; then
    _tools_install "Debian package lists (for ${missing[*]})" \
      "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q || return 1
    _TOOLS_APT_UPDATED=1
  fi
  _tools_install "Debian packages ${missing[*]}" \
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" </dev/null || return 1
  for p in "${missing[@]}"; do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]] || {
      _tools_fail "Debian package $p is still not installed after apt-get install"
      return 1
    }
  done
}

# --- Rust ---------------------------------------------------------------------------
_tools_need_rustup() {
  if ! command -v rustup >/dev/null || ! command -v cargo >/dev/null; then
    _tools_fail "rustup/cargo not found: this machine needs a Rust toolchain installed by rustup"
  fi
}

need_wasm_target() {
  _tools_need_rustup || return 1
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    _tools_log "rust target wasm32-unknown-unknown: present"
  else
    _tools_install "Rust target wasm32-unknown-unknown" \
      rustup target add wasm32-unknown-unknown || return 1
  fi
}

# rustfmt and clippy, for `cargo fmt --check` and `cargo clippy`.
need_rust_components() {
  _tools_need_rustup || return 1
  local c installed
  installed=$(rustup component list --installed 2>/dev/null)
  for c in rustfmt clippy; do
    if grep -q "^$c" <<<"$installed"; then
      _tools_log "rust component $c: present"
    else
      _tools_install "Rust component $c" rustup component add "$c" || return 1
    fi
  done
}

need_trunk() {
  _tools_need_rustup || return 1
  local have
  have=$(_tools_first_line trunk --version)
  if [[ $have == "trunk $TRUNK_VERSION" ]]; then
    _tools_log "trunk $TRUNK_VERSION: present ($(command -v trunk))"
    return 0
  fi
  _tools_log "trunk: want $TRUNK_VERSION, found '${have:-nothing}'; building it takes ~15 minutes"
  # No shared CARGO_TARGET_DIR here: tool builds must not mix with the app's target/.
  _tools_install "trunk $TRUNK_VERSION" \
    env -u CARGO_TARGET_DIR cargo install trunk --version "$TRUNK_VERSION" --locked || return 1
  have=$(_tools_first_line trunk --version)
  [[ $have == "trunk $TRUNK_VERSION" ]] ||
    _tools_fail "trunk $TRUNK_VERSION was installed but \`trunk --version\` says '${have:-nothing}'"
}

# The exact `wasm-bindgen = "=0.2.X"` pin in Cargo.toml (plain or inline-table form).
wasm_bindgen_pin() {
  sed -nE 's/^[[:space:]]*wasm-bindgen[[:space:]]*=[[:space:]]*(\{[^}]*version[[:space:]]*=[[:space:]]*)?"=([0-9]+\.[0-9]+\.[0-9]+)".*/\2/p' \
    "$CI_ROOT/Cargo.toml" | head -n 1
}

# wasm-bindgen-cli (wasm-bindgen + wasm-bindgen-test-runner) at exactly the pinned version:
# Trunk and the test runner refuse a CLI whose version differs from the library's.
need_wasm_bindgen() {
  _tools_need_rustup || return 1
  local pin have runner
  pin=$(wasm_bindgen_pin)
  [[ -n $pin ]] || {
    _tools_fail "no exact wasm-bindgen pin (wasm-bindgen = \"=0.2.X\") found in $CI_ROOT/Cargo.toml"
    return 1
  }
  have=$(_tools_first_line wasm-bindgen --version)
  runner=$(_tools_first_line wasm-bindgen-test-runner --version)
  if [[ $have == "wasm-bindgen $pin" && $runner == "wasm-bindgen-test-runner $pin" ]]; then
    _tools_log "wasm-bindgen-cli $pin: present ($(command -v wasm-bindgen))"
    return 0
  fi
  _tools_log "wasm-bindgen-cli: want $pin, found '${have:-nothing}' / '${runner:-nothing}'"
  # Without --locked on purpose: the CLI's own lock file does not build with this toolchain.
  _tools_install "wasm-bindgen-cli $pin" \
    env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$pin" || return 1
  have=$(_tools_first_line wasm-bindgen --version)
  [[ $have == "wasm-bindgen $pin" ]] ||
    _tools_fail "wasm-bindgen-cli $pin was installed but \`wasm-bindgen --version\` says '${have:-nothing}'"
}

# --- Node (Playwright, binaryen's wasm-opt, axe-core) -------------------------------
need_node_deps() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    _tools_fail "node and npm not found (Node 20 is expected on the machine)"
    return 1
  fi
  local lock="$E2E_DIR/package-lock.json" stamp="$E2E_DIR/node_modules/.ci-lock-sha256" want
  [[ -f $lock ]] || {
    _tools_fail "$lock is missing"
    return 1
  }
  want=$(sha256sum "$lock" | cut -d' ' -f1)
  # npm ci only when node_modules is missing or was installed from another lock file.
  if [[ -f $stamp && $(<"$stamp") == "$want" ]]; then
    _tools_log "node deps in tests/e2e: present (package-lock unchanged)"
  else
    _tools_install "node packages of tests/e2e (npm ci)" \
      npm ci --prefix "$E2E_DIR" --no-audit --no-fund --loglevel=error || return 1
    printf '%s\n' "$want" >"$stamp"
  fi
  # Puts binaryen's wasm-opt (and playwright-core's CLI) on PATH, first, for Trunk.
  case ":$PATH:" in
    *":$E2E_DIR/node_modules/.bin:"*) ;;
    *) export PATH="$E2E_DIR/node_modules/.bin:$PATH" ;;
  esac
  local wasm_opt
  wasm_opt=$(_tools_first_line wasm-opt --version)
  # Trunk reads the third word: "wasm-opt version 132 (version_132)".
  if [[ $wasm_opt != "wasm-opt version $BINARYEN_VERSION "* ]]; then
    _tools_fail "wasm-opt $BINARYEN_VERSION (npm binaryen@$BINARYEN_VERSION) not found on PATH: \`wasm-opt --version\` says '${wasm_opt:-nothing}' ($(command -v wasm-opt || echo 'not on PATH'))"
    return 1
  fi
  _tools_log "wasm-opt: $wasm_opt ($(command -v wasm-opt))"
}

# --- Browser ------------------------------------------------------------------------
need_browser() {
  need_apt chromium chromium-driver fonts-noto-cjk || return 1
  local browser driver
  # Debian's chromium wrapper script prints noise on stderr; keep stdout only.
  browser=$(_tools_first_line /usr/bin/chromium --version)
  driver=$(_tools_first_line "$CHROMEDRIVER" --version)
  browser=$(grep -oE '[0-9]+(\.[0-9]+){3}' <<<"$browser" | head -n 1)
  driver=$(grep -oE '[0-9]+(\.[0-9]+){3}' <<<"$driver" | head -n 1)
  if [[ -z $browser || -z $driver ]]; then
    _tools_fail "chromium ('${browser:-no version}') or chromedriver at $CHROMEDRIVER ('${driver:-no version}') does not run"
    return 1
  fi
  # A driver for another browser version fails with "session not created".
  if [[ $browser != "$driver" ]]; then
    _tools_fail "chromium $browser and chromedriver $driver differ: apt-get install --only-upgrade chromium chromium-driver"
    return 1
  fi
  _tools_log "chromium + chromedriver $browser: ok"
}

# --- Data tools (differential and contract stages) -----------------------------------
# PostgreSQL (Debian's package) for the reference backend; the contract stage runs a throwaway
# cluster with it (backend/lib.sh).
need_postgres() {
  need_apt postgresql || return 1
  local bindir
  bindir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $bindir && -x $bindir/postgres && -x $bindir/initdb ]] || {
    _tools_fail "postgresql is installed but no postgres/initdb binaries under /usr/lib/postgresql/*/bin"
    return 1
  }
  # Debian keeps initdb/pg_ctl off PATH; later stages can use PG_BINDIR.
  export PG_BINDIR="$bindir"
  _tools_log "postgresql: $("$bindir/postgres" --version) ($bindir)"
}

# _need_pip NAME==VERSION...: installs the pinned Python packages (pip) unless every one of them is
# present at exactly its version.
_need_pip() {
  command -v python3 >/dev/null || {
    _tools_fail "python3 not found (needed for $*)"
    return 1
  }
  local missing
  missing=$(_pip_missing "$@")
  if [[ -z $missing ]]; then
    _tools_log "python $*: present"
    return 0
  fi
  _tools_log "python: $missing"
  _tools_install "python $* (pip)" \
    python3 -m pip install --quiet --disable-pip-version-check "$@" || return 1
  missing=$(_pip_missing "$@")
  [[ -z $missing ]] || _tools_fail "pip installed $* but python3 finds: $missing"
}

# _pip_missing NAME==VERSION...: prints the pins python3 does not have at that version.
_pip_missing() {
  python3 - "$@" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version

wrong = []
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    try:
        have = version(name)
    except PackageNotFoundError:
        have = "nothing"
    if have != want:
        wrong.append(f"{name}: want {want}, found {have}")
print("; ".join(wrong))
PY
}

need_duckdb() { _need_pip "duckdb==$DUCKDB_VERSION"; }

# openapi-spec-validator (with jsonschema) checks public/openapi.json in the contract stage.
need_openapi_validator() { _need_pip "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION"; }

# lifetimes and its pinned dependencies, for tests/differential/clv.py.
need_lifetimes() { _need_pip "${LIFETIMES_PINS[@]}"; }

# --- Groups -------------------------------------------------------------------------
# Everything `.ci/test` needs, cheapest first so a broken machine fails fast.
need_test_tools() {
  need_rust_components &&
    need_wasm_target &&
    need_browser &&
    need_node_deps &&
    need_wasm_bindgen &&
    need_trunk
}

# Everything `.ci/serve` needs.
need_serve_tools() {
  need_wasm_target &&
    need_node_deps &&
    need_wasm_bindgen &&
    need_trunk
}

# Executed rather than sourced: run the named need_* functions (default: the test set).
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  # Default: each tool of the test set on its own, so one run reports all that is missing.
  (($# > 0)) || set -- need_rust_components need_wasm_target need_browser need_node_deps \
    need_wasm_bindgen need_trunk
  for fn in "$@"; do
    if [[ $fn != need_* ]] || ! declare -F "$fn" >/dev/null; then
      _tools_fail "unknown function '$fn' (try need_trunk, need_browser, need_test_tools, ...)"
      exit 2
    fi
  done
  status=0
  for fn in "$@"; do
    "$fn" || status=1
  done
  exit "$status"
fi
