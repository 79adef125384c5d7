#!/usr/bin/env bash
# Runs every test: unit tests, integration tests against a real (throwaway) Postgres, and
# browser tests in Chromium against the real server. Installs whatever is missing first.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

check_free_disk 20
ensure_rust
ensure_node_tools
ensure_postgres
ensure_chromium

export SQLX_OFFLINE=true
# A one-off CI build gains nothing from incremental caches, and they double target/'s size.
[ -n "${CI:-}" ] && export CARGO_INCREMENTAL=0
RESULTS_LOG="$(mktemp)"
start_test_postgres
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  stop_test_postgres
  rm -f "$RESULTS_LOG"
}
trap cleanup EXIT

log "formatting and lints"
cargo fmt --all -- --check
cargo clippy -p app --features ssr --all-targets --no-deps -q -- -D warnings
cargo clippy -p server --all-targets --no-deps -q -- -D warnings

log "unit and integration tests (Rust)"
# Each test gets a fresh database created by #[sqlx::test] in the throwaway cluster.
export DATABASE_URL="$TEST_PG_URL/postgres"
# Bounded: a stalled test must fail the run, not use up CI's time.
timeout --kill-after=30s 25m cargo test -p app --features ssr --lib 2>&1 | tee -a "$RESULTS_LOG"
timeout --kill-after=30s 25m cargo test -p server 2>&1 | tee -a "$RESULTS_LOG"
unset DATABASE_URL

log "building the app for the browser tests"
cargo leptos build

log "browser tests (Playwright + Chromium)"
E2E_PORT="${UPSTAND_E2E_PORT:-3150}"
psql -q "$TEST_PG_URL/postgres" -c "DROP DATABASE IF EXISTS upstand_e2e" -c "CREATE DATABASE upstand_e2e"
export E2E_ADMIN_EMAIL="e2e-admin@upstand.example" E2E_ADMIN_PASSWORD="steady tides and patient gardens"
target/debug/server --database-url "$TEST_PG_URL/upstand_e2e" admin create \
  --email "$E2E_ADMIN_EMAIL" --name "E2E Admin" --password "$E2E_ADMIN_PASSWORD"
LEPTOS_SITE_ROOT="$ROOT/target/site" DATABASE_URL="$TEST_PG_URL/upstand_e2e" \
  UPSTAND_RATE_LIMIT_MULTIPLIER=100 RUST_LOG=warn \
  target/debug/server serve --addr "127.0.0.1:$E2E_PORT" >"$ROOT/target/e2e-server.log" 2>&1 &
SERVER_PID=$!
wait_for_http "http://127.0.0.1:$E2E_PORT/healthz"
(cd end2end && BASE_URL="http://127.0.0.1:$E2E_PORT" npx playwright test) 2>&1 | tee -a "$RESULTS_LOG"

rust_passed="$(grep -oE 'test result: ok\. [0-9]+ passed' "$RESULTS_LOG" | awk '{ s += $4 } END { print s + 0 }')"
browser_passed="$(grep -oE '^ +[0-9]+ passed' "$RESULTS_LOG" | tail -1 | awk '{ print $1 + 0 }')"
echo "tests: $((rust_passed + browser_passed)) passed, 0 failed"
