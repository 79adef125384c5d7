#!/usr/bin/env bash
# Builds Upstand (release) and runs it. Without DATABASE_URL it starts its own Postgres under
# .data/ (kept across restarts) and fills an empty database with demo content.
# Ctrl-C stops the app and its Postgres.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_rust
ensure_node_tools
[ -n "${DATABASE_URL:-}" ] || ensure_postgres

log "building (release)"
SQLX_OFFLINE=true cargo leptos build --release

export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_ENV=PROD
# Demo content goes into the private database by default, never into DATABASE_URL unless asked.
default_seed=1; [ -n "${DATABASE_URL:-}" ] && default_seed=0
if [ "${UPSTAND_SEED_DEMO:-$default_seed}" = 1 ]; then
  target/release/server seed --demo
fi
exec target/release/server serve "$@"
