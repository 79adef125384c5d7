#!/usr/bin/env bash
# Benchmark: seeds throwaway databases at a small and a large scale, runs the release server on
# each, and measures requests/s and p50/p99 latency with wrk (32 connections, 2 threads) for
# each page next to a static file served by the same server (the baseline).
# Pages: a static file (baseline), home (anonymous and signed in), profile, a community's
# thread list, a page deep in the longest thread, search, posting a reply (POST), the idea
# board (trending and top), the most-voted idea's page, and casting/taking back a vote (POST).
# Writes are measured twice: replies by one person to one thread (replies to a thread are
# numbered in turn, and one person's posts are counted against their limits in turn, so they
# wait for each other) and by 32 people spread over 500 threads (as people post); votes by one
# person toggling one idea, and by 32 people on 100 ideas.
# Every page is measured twice: saturated (each connection sends its next request the moment the
# last one is answered, so latency is 32 / throughput: this measures capacity) and paced (after
# each answer a connection pauses for a random time averaging BENCH_PACE_MS, default 100 ms,
# exponentially distributed, the way independent people's requests arrive: about 300 requests
# a second in all, far more than a whole organisation's busiest hour; this measures the
# latency people get).
# Postgres runs with its durable defaults (fsync, synchronous commit), as in production.
# Then, for comparison, Postgres's own floor on the same machine, measured with pgbench (its C
# client, no HTTP, no server): one read by primary key, and the bare statement that numbers and
# stores a reply (no checks, notifications or rendering), to one thread and spread.
#   BENCH_SMALL_USERS/THREADS/POSTS/IDEAS/VOTES (default 1000/500/10000/200/10000)
#   BENCH_LARGE_USERS/THREADS/POSTS/IDEAS/VOTES (default 10000/50000/1000000/20000/1000000)
#   BENCH_SECONDS (10), BENCH_PACE_MS (100)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_rust
ensure_node_tools
ensure_postgres
command -v wrk >/dev/null 2>&1 || { log "installing wrk"; apt_install wrk; }

SMALL="${BENCH_SMALL_USERS:-1000} ${BENCH_SMALL_THREADS:-500} ${BENCH_SMALL_POSTS:-10000} ${BENCH_SMALL_IDEAS:-200} ${BENCH_SMALL_VOTES:-10000}"
LARGE="${BENCH_LARGE_USERS:-10000} ${BENCH_LARGE_THREADS:-50000} ${BENCH_LARGE_POSTS:-1000000} ${BENCH_LARGE_IDEAS:-20000} ${BENCH_LARGE_VOTES:-1000000}"
SECONDS_EACH="${BENCH_SECONDS:-10}"
PACE_MS="${BENCH_PACE_MS:-100}"
PORT="${BENCH_PORT:-3250}"
BASE="http://127.0.0.1:$PORT"

log "building (release)"
SQLX_OFFLINE=true cargo leptos build --release >/dev/null
export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_ENV=PROD RUST_LOG=warn

# Postgres as in production: a commit returns once it is on disk.
UPSTAND_TEST_PG_DURABLE=1 start_test_postgres
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

# Prints "tps average p99" of a pgbench script over the same connections and time as wrk.
# pgbench's average latency is exact; its per-transaction log reads the clock once per loop over
# all its connections, so fast transactions log as 0 µs: only the tail (p99) is taken from it.
pg_floor() {
  local url="$1" script="$2" logs
  logs="$(mktemp -d)"
  (cd "$logs" && "$(pg_bindir)/pgbench" -n -M prepared -c32 -j2 -T"$SECONDS_EACH" -l -f "$script" "$url" \
    | awk '/^latency average/ { printf "%sms(avg) ", $4 } /^tps =/ { printf "%.2f\n", $3 }' >summary)
  read -r avg tps <"$logs/summary"
  # Per-transaction logs: the third column is the latency in microseconds.
  cat "$logs"/pgbench_log.* | awk '{ print $3 }' | sort -n | awk -v tps="$tps" -v avg="$avg" '
    { v[NR] = $1 }
    END { printf "%s %s %.2fms\n", tps, avg, v[int(NR * 0.99)] / 1000 }'
  rm -rf "$logs"
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
  # The server compresses the browser bundle in the background when it starts (seconds of CPU
  # after a fresh build); measure once that is done.
  pkg="$LEPTOS_SITE_ROOT/pkg"
  for _ in $(seq 240); do
    [ "$pkg/upstand.wasm.br" -nt "$pkg/upstand.wasm" ] && [ "$pkg/upstand.wasm.gz" -nt "$pkg/upstand.wasm" ] && break
    sleep 0.5
  done

  # Sign in as scale members through the real login form's server function: member1 for the
  # pages, and 32 members for the writes spread over many people.
  login_path="$(curl -fsS "$BASE/login" | grep -o 'action="/api/login[^"]*"' | head -1 | cut -d'"' -f2)"
  sign_in() {
    curl -fsS -o /dev/null -D - -H "Origin: $BASE" \
      --data-urlencode "email=$1" --data-urlencode "password=upstand-scale-password" \
      "$BASE$login_path" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1
  }
  cookie="$(sign_in member1@scale.example)"
  [ -n "$cookie" ] || { log "could not sign in for the benchmark"; exit 1; }
  cookies=""
  for n in $(seq 1 32); do
    c="$(sign_in "member$n@scale.example")"
    [ -n "$c" ] || { log "could not sign in member$n for the benchmark"; exit 1; }
    cookies+="\"$c\", "
  done

  deep_after=$(( long_count > 30 ? long_count - 30 : 0 ))
  reply_path="$(curl -fsS -H "Cookie: $cookie" "$BASE/forums/t/$reply_thread" | grep -o 'action="/api/create_post[^"]*"' | head -1 | cut -d'"' -f2)"
  cat >"$TEST_PG_DIR/reply.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "$BASE"
wrk.headers["Cookie"] = "$cookie"
wrk.body = "thread_id=$reply_thread&body=Thank+you+for+sharing+this.&content_warning="
LUA
  # The same reply by 32 people, each request to one of 500 threads of the scale communities.
  spread_threads="$(psql -Atq "$TEST_PG_URL/$db" -c "SELECT string_agg(id::text, ',') FROM (SELECT t.id FROM threads t
    JOIN communities c ON c.id = t.community_id WHERE c.slug LIKE 'scale-%' AND NOT t.locked AND t.deleted_at IS NULL
    ORDER BY t.id LIMIT 500) x")"
  # Writes a wrk script posting `body` (Lua, over `pick`: one of `ids` at random) as one of
  # the 32 signed-in people at random.
  spread_script() {
    local file="$1" ids="$2" body="$3"
    cat >"$file" <<LUA
local ids = { $ids }
local cookies = { $cookies }
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "$BASE"
request = function()
  local pick = ids[math.random(#ids)]
  return wrk.format(nil, nil, { ["Cookie"] = cookies[math.random(#cookies)] }, $body)
end
LUA
  }
  spread_script "$TEST_PG_DIR/reply-spread.lua" "$spread_threads" \
    '"thread_id=" .. pick .. "&body=Thank+you+for+sharing+this.&content_warning="'
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
  # 32 people casting or taking back a vote, each on one of 100 open ideas (as many as the
  # largest budget allows, so no vote is refused).
  spread_ideas="$(psql -Atq "$TEST_PG_URL/$db" -c "SELECT string_agg(id::text, ',') FROM (SELECT id FROM ideas
    WHERE status IN ('proposed', 'under_review', 'approved', 'running') ORDER BY id LIMIT 100) x")"
  spread_script "$TEST_PG_DIR/vote-spread.lua" "$spread_ideas" \
    '"idea_id=" .. pick .. "&on=" .. ((math.random(2) == 1) and "true" or "false")'
  # The largest budget, starting from no votes.
  psql -q "$TEST_PG_URL/$db" -c "UPDATE idea_settings SET vote_budget = 100" \
    -c "DELETE FROM idea_votes WHERE user_id IN (SELECT id FROM users WHERE email ~ '^member([1-9]|[12][0-9]|3[0-2])@scale[.]example$')"
  for target in "static:/favicon.svg" "home:/" "home(auth):/" "profile(auth):/account/profile" \
    "threads(auth):/forums/c/scale-1" "deep-thread(auth):/forums/t/$long_thread?after=$deep_after" \
    "search(auth):/forums/search?q=listening" "search-rare(auth):/forums/search?q=reorganisation" \
    "reply(POST):$reply_path" "reply-spread(POST):$reply_path" "ideas-trending(auth):/ideas" "ideas-top(auth):/ideas?sort=top" \
    "idea(auth):/ideas/$top_idea" "vote(POST):$vote_path" "vote-spread(POST):$vote_path"; do
    name="${target%%:*}"; path="${target#*:}"
    script=""; headers=()
    case "$name" in
      vote-spread*) script="$TEST_PG_DIR/vote-spread.lua" ;;
      vote*) script="$TEST_PG_DIR/vote.lua" ;;
      reply-spread*) script="$TEST_PG_DIR/reply-spread.lua" ;;
      *POST*) script="$TEST_PG_DIR/reply.lua" ;;
      *auth*) headers=(-H "Cookie: $cookie") ;;
    esac
    # The paced run is the same script with wrk's per-connection pause added (milliseconds).
    paced="$TEST_PG_DIR/paced-$name.lua"
    { [ -n "$script" ] && cat "$script"
      echo "function delay() return math.floor(-$PACE_MS * math.log(1 - math.random())) end"; } >"$paced"
    read -r rps p50 p99 bad < <(measure "$BASE$path" ${script:+-s "$script"} "${headers[@]}")
    read -r prps pp50 pp99 pbad < <(measure "$BASE$path" -s "$paced" "${headers[@]}")
    RESULTS+=("$scale $posts $name $rps $p50 $p99 $((bad + pbad)) $prps $pp50 $pp99")
  done
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

  # Postgres's own floor (pgbench, prepared statements, same 32 connections and 2 threads).
  author="$(psql -Atq "$TEST_PG_URL/$db" -c "SELECT id FROM users WHERE email = 'member1@scale.example'")"
  read -r first_user last_user < <(psql -AtqF ' ' "$TEST_PG_URL/$db" -c "SELECT min(id), max(id) FROM users")
  cat >"$TEST_PG_DIR/floor-read.sql" <<SQL
\\set id random($first_user, $last_user)
SELECT id, display_name, role FROM users WHERE id = :id;
SQL
  # $1: the thread, as an SQL expression.
  reply_sql() {
    cat <<SQL
WITH n AS (UPDATE threads SET post_count = post_count + 1, last_post_at = now()
           WHERE id = $1 AND NOT locked RETURNING id, community_id, post_count)
INSERT INTO posts (thread_id, community_id, seq, author_id, body, body_html, search)
SELECT n.id, n.community_id, n.post_count, $author, 'Thank you for sharing this.', '<p>Thank you for sharing this.</p>',
       to_tsvector('english', 'Thank you for sharing this.') FROM n;
SQL
  }
  reply_sql "$reply_thread" >"$TEST_PG_DIR/floor-reply.sql"
  { echo "\\set i random(1, $(tr ',' '\n' <<<"$spread_threads" | wc -l))"
    reply_sql "('{$spread_threads}'::bigint[])[:i]"; } >"$TEST_PG_DIR/floor-reply-spread.sql"
  for floor in read reply reply-spread; do
    read -r rps p50 p99 < <(pg_floor "$TEST_PG_URL/$db" "$TEST_PG_DIR/floor-$floor.sql")
    RESULTS+=("$scale $posts pg-floor-$floor $rps $p50 $p99 0 - - -")
  done
done

printf '\n%-6s %8s %-22s | %-31s | %-9s | %-30s | %s\n' "" "" "" "saturated (capacity)" "" "paced (pauses averaging $PACE_MS ms)" ""
printf '%-6s %8s %-22s | %10s %9s %9s | %9s | %10s %9s %9s | %s\n' scale posts page "req/s" p50 p99 "vs static" \
  "req/s" p50 p99 non2xx
for row in "${RESULTS[@]}"; do
  read -r scale users name rps p50 p99 bad prps pp50 pp99 <<<"$row"
  base_rps="$(printf '%s\n' "${RESULTS[@]}" | awk -v s="$scale" '$1 == s && $3 == "static" { print $4 }')"
  ratio="$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
  [[ "$name" == pg-floor* ]] && ratio="-"
  printf '%-6s %8s %-22s | %10s %9s %9s | %9s | %10s %9s %9s | %s\n' "$scale" "$users" "$name" "$rps" "$p50" "$p99" \
    "$ratio" "$prps" "$pp50" "$pp99" "$bad"
done
