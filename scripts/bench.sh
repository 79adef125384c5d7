#!/usr/bin/env bash
# Benchmark: seeds throwaway databases at a small and a large scale, runs the release server on
# each, and measures requests/s and p50/p99 latency with wrk (32 connections, 2 threads) for
# each page next to a static file served by the same server (the baseline).
# Pages: a static file (baseline), home (anonymous and signed in), profile, a community's
# thread list, a page deep in the longest thread, search, posting a reply (POST), the idea
# board (trending and top), the most-voted idea's page, and casting/taking back a vote (POST).
#   BENCH_SMALL_USERS/THREADS/POSTS/IDEAS/VOTES (default 1000/500/10000/200/10000)
#   BENCH_LARGE_USERS/THREADS/POSTS/IDEAS/VOTES (default 10000/50000/1000000/20000/1000000)
#   BENCH_SECONDS (10)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_rust
ensure_node_tools
ensure_postgres
command -v wrk >/dev/null 2>&1 || { log "installing wrk"; apt_install wrk; }

SMALL="${BENCH_SMALL_USERS:-1000} ${BENCH_SMALL_THREADS:-500} ${BENCH_SMALL_POSTS:-10000} ${BENCH_SMALL_IDEAS:-200} ${BENCH_SMALL_VOTES:-10000}"
LARGE="${BENCH_LARGE_USERS:-10000} ${BENCH_LARGE_THREADS:-50000} ${BENCH_LARGE_POSTS:-1000000} ${BENCH_LARGE_IDEAS:-20000} ${BENCH_LARGE_VOTES:-1000000}"
SECONDS_EACH="${BENCH_SECONDS:-10}"
PORT="${BENCH_PORT:-3250}"
BASE="http://127.0.0.1:$PORT"

log "building (release)"
SQLX_OFFLINE=true cargo leptos build --release >/dev/null
export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_ENV=PROD RUST_LOG=warn

start_test_postgres
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  stop_test_postgres
}
trap cleanup EXIT

# Prints "rps p50 p99" for one URL.
measure() {
  local url="$1"; shift
  wrk -t2 -c32 -d"${SECONDS_EACH}s" --latency "$@" "$url" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%s %s %s %s\n", rps, p50, p99, (bad == "" ? 0 : bad) }'
}

RESULTS=()
for scale in small large; do
  sizes=$SMALL; [ "$scale" = large ] && sizes=$LARGE
  read -r users threads posts ideas votes <<<"$sizes"
  db="bench_$scale"
  psql -q "$TEST_PG_URL/postgres" -c "CREATE DATABASE $db"
  log "seeding $scale: $users members, $threads threads, ~$posts posts, $ideas ideas, ~$votes votes"
  /usr/bin/time -f "seeded in %es" target/release/server --database-url "$TEST_PG_URL/$db" \
    seed --demo --users "$users" --threads "$threads" --posts "$posts" --ideas "$ideas" --votes "$votes"
  read -r long_thread long_count < <(psql -Atq -F ' ' "$TEST_PG_URL/$db" -c \
    "SELECT id, post_count FROM threads ORDER BY post_count DESC, id LIMIT 1")
  top_idea="$(psql -Atq "$TEST_PG_URL/$db" -c "SELECT id FROM ideas WHERE status IN ('proposed', 'under_review', 'approved', 'running') ORDER BY vote_count DESC, id LIMIT 1")"
  reply_thread="$(psql -Atq "$TEST_PG_URL/$db" -c "SELECT t.id FROM threads t JOIN communities c ON c.id = t.community_id WHERE c.slug = 'scale-2' ORDER BY t.id LIMIT 1")"
  UPSTAND_RATE_LIMIT_MULTIPLIER=100000000 target/release/server --database-url "$TEST_PG_URL/$db" serve --addr "127.0.0.1:$PORT" &
  SERVER_PID=$!
  wait_for_http "$BASE/healthz"

  # Sign in as a scale member through the real login form's server function.
  login_path="$(curl -fsS "$BASE/login" | grep -o 'action="/api/login[^"]*"' | head -1 | cut -d'"' -f2)"
  cookie="$(curl -fsS -o /dev/null -D - -H "Origin: $BASE" \
    --data-urlencode "email=member1@scale.example" --data-urlencode "password=upstand-scale-password" \
    "$BASE$login_path" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1)"
  [ -n "$cookie" ] || { log "could not sign in for the benchmark"; exit 1; }

  deep_after=$(( long_count > 30 ? long_count - 30 : 0 ))
  reply_path="$(curl -fsS -H "Cookie: $cookie" "$BASE/forums/t/$reply_thread" | grep -o 'action="/api/create_post[^"]*"' | head -1 | cut -d'"' -f2)"
  cat >"$TEST_PG_DIR/reply.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "$BASE"
wrk.headers["Cookie"] = "$cookie"
wrk.body = "thread_id=$reply_thread&body=Thank+you+for+sharing+this.&content_warning="
LUA
  vote_path="$(curl -fsS -H "Cookie: $cookie" "$BASE/ideas/$top_idea" | grep -o 'action="/api/vote_idea[^"]*"' | head -1 | cut -d'"' -f2)"
  # Alternately casts and takes back a vote (each a real write through the budget trigger).
  cat >"$TEST_PG_DIR/vote.lua" <<LUA
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "$BASE"
wrk.headers["Cookie"] = "$cookie"
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, "idea_id=$top_idea&on=" .. ((n % 2 == 1) and "true" or "false"))
end
LUA
  psql -q "$TEST_PG_URL/$db" -c "UPDATE idea_settings SET vote_budget = 100" \
    -c "DELETE FROM idea_votes WHERE user_id = (SELECT id FROM users WHERE email = 'member1@scale.example')"
  for target in "static:/favicon.svg" "home:/" "home(auth):/" "profile(auth):/account/profile" \
    "threads(auth):/forums/c/scale-1" "deep-thread(auth):/forums/t/$long_thread?after=$deep_after" \
    "search(auth):/forums/search?q=listening" "search-rare(auth):/forums/search?q=reorganisation" \
    "reply(POST):$reply_path" "ideas-trending(auth):/ideas" "ideas-top(auth):/ideas?sort=top" \
    "idea(auth):/ideas/$top_idea" "vote(POST):$vote_path"; do
    name="${target%%:*}"; path="${target#*:}"
    if [[ "$name" == vote* ]]; then
      read -r rps p50 p99 bad < <(measure "$BASE$path" -s "$TEST_PG_DIR/vote.lua")
    elif [[ "$name" == *POST* ]]; then
      read -r rps p50 p99 bad < <(measure "$BASE$path" -s "$TEST_PG_DIR/reply.lua")
    elif [[ "$name" == *auth* ]]; then
      read -r rps p50 p99 bad < <(measure "$BASE$path" -H "Cookie: $cookie")
    else
      read -r rps p50 p99 bad < <(measure "$BASE$path")
    fi
    RESULTS+=("$scale $posts $name $rps $p50 $p99 $bad")
  done
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
done

printf '\n%-6s %8s %-18s %10s %9s %9s %6s %s\n' scale posts page "req/s" p50 p99 non2xx "vs static"
for row in "${RESULTS[@]}"; do
  read -r scale users name rps p50 p99 bad <<<"$row"
  base_rps="$(printf '%s\n' "${RESULTS[@]}" | awk -v s="$scale" '$1 == s && $3 == "static" { print $4 }')"
  ratio="$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
  printf '%-6s %8s %-18s %10s %9s %9s %6s %s\n' "$scale" "$users" "$name" "$rps" "$p50" "$p99" "$bad" "$ratio"
done
