# Shared helpers for run.sh, test.sh and bench.sh: install what is missing, nothing more.
# Everything comes from the package registries (crates.io, npm, Debian); nothing is
# downloaded from anywhere else, because cargo-leptos would otherwise fetch its tools from
# GitHub.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
# Must equal the wasm-bindgen version pinned in Cargo.toml / Cargo.lock.
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p' | head -1)"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else log "need root to run: $*"; return 1
  fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    as_root apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# A build that runs out of disk fails deep inside a linker ("Bus error", "No space left on
# device"); say so plainly up front. A clean debug build with the browser bundle and the test
# binaries needs about 15 GB under target/.
check_free_disk() {
  local need_gb="${1:-20}" free_gb
  free_gb="$(df -Pk "$ROOT" | awk 'NR == 2 { print int($4 / 1048576) }')"
  if [ "$free_gb" -lt "$need_gb" ]; then
    log "only ${free_gb} GB free on the disk holding $ROOT; a build here needs about ${need_gb} GB"
    log "free space first (old target/ folders: 'cargo clean'), or the build may fail half-way"
  fi
}

ensure_rust() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    log "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once per machine)"
    cargo install --locked cargo-leptos --version "$CARGO_LEPTOS_VERSION"
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once per machine)"
    # Without --locked: its lockfile pins a crate version that is no longer on crates.io.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

# npm tools: wasm-opt (binaryen; Debian's is too old and breaks hydration), Playwright, axe.
ensure_node_tools() {
  if ! command -v npm >/dev/null 2>&1; then
    log "installing Node.js and npm"
    apt_install nodejs npm
  fi
  if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "installing npm packages (end2end/)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
}

ensure_postgres() {
  if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
    return
  fi
  log "installing the Postgres server from the OS packages"
  apt_install postgresql
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  log "installing Chromium from the OS packages"
  apt_install chromium
}

pg_bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -n "$d" ]; then echo "$d"; else dirname "$(command -v initdb)"; fi
}

# Starts a throwaway Postgres cluster for tests (fsync off: speed over durability) and
# exports TEST_PG_URL. Stopped and deleted by stop_test_postgres. UPSTAND_TEST_PG_DURABLE=1
# keeps Postgres's durable defaults instead (the benchmark: commits wait for the disk, as in
# production).
start_test_postgres() {
  local bin port durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${UPSTAND_TEST_PG_DURABLE:-0}" = 1 ] && durability=""
  bin="$(pg_bindir)"
  TEST_PG_DIR="$(mktemp -d /tmp/upstand-test-pg.XXXXXX)"
  port="${UPSTAND_TEST_PG_PORT:-55433}"
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  local run=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$TEST_PG_DIR"
    run=(runuser -u postgres --)
  fi
  chmod 700 "$TEST_PG_DIR"
  "${run[@]}" "$bin/initdb" -D "$TEST_PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' $durability -c max_connections=300" \
    start >/dev/null
  TEST_PG_RUN=("${run[@]}")
  TEST_PG_BIN="$bin"
  export TEST_PG_URL="postgres://postgres@127.0.0.1:$port"
  log "test Postgres on port $port"
}

stop_test_postgres() {
  if [ -n "${TEST_PG_DIR:-}" ] && [ -d "$TEST_PG_DIR/data" ]; then
    "${TEST_PG_RUN[@]}" "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$TEST_PG_DIR"
  fi
}

wait_for_http() {
  local url="$1" tries="${2:-120}"
  for _ in $(seq "$tries"); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  log "timed out waiting for $url"
  return 1
}
