#!/usr/bin/env bash
# Load test against the release server: creating a request (matching + offers, at random places
# over Greater London) and reading one, at each helper count of HELPERS_LIST, with a bare
# actix-web JSON endpoint (examples/bare_json.rs) measured in the same run as the yardstick.
# Prints one table. Needs wrk (Debian package) and python3; with BACKEND=postgres also the
# PostgreSQL server binaries (a throwaway cluster is started here).
#   bash benches/load/run.sh                              # SQLite, 10k, 100k and 1M helpers
#   BACKEND=postgres bash benches/load/run.sh
#   HELPERS_LIST="10000" DURATION=10s bash benches/load/run.sh
#   BACKEND=postgres PROCESSES=2 bash benches/load/run.sh   # two servers on one database
# With PROCESSES=2 each test runs one wrk per server at once (half the connections each) and the
# table gives their combined throughput and the worse p99. After every run the servers are
# killed with SIGKILL, as a crash would, and the database is checked: every request wrk saw
# created is there (and at most the 16 still in flight when wrk stopped besides), with no
# helper offered a job twice, and one offer email queued per offer.
# The table ends with the (first) server's peak resident memory and the part of it that is the
# process's own (anonymous: heap, stacks), the rest being the database file's pages mapped in.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
cargo build --release --quiet --example bare_json
BIN=target/release/neighbourly
BARE=target/release/examples/bare_json
DURATION=${DURATION:-10s}
BACKEND=${BACKEND:-sqlite}
TABLE=$(mktemp)
printf '| backend | helpers | seed s | POST /requests req/s | p99 | non-2xx | GET /requests/{id} req/s | p99 | bare actix req/s | p99 | peak RSS MB | of which heap MB |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n' >"$TABLE"

PROCESSES=${PROCESSES:-1}
PORTS="18080"; [ "$PROCESSES" = 2 ] && PORTS="18080 18082"
CREATED=0

# wrk's summary as "req/s p99 errors" (and the 2xx answers added to CREATED when asked).
measure() {
  local out; out=$(wrk -t2 -c16 -d"$DURATION" --latency "$@")
  summarise "$out"
}
summarise() {
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print int($2)}' <<<"$1")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$1")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += 1} END {print n + 0}' <<<"$1")
  echo "$rps $p99 $errors"
}
# The same script against every server at once: combined req/s, the worst p99, all errors.
measure_all() {
  local script=$1 outs=() pids=() port
  for port in $PORTS; do
    local f; f=$(mktemp); outs+=("$f")
    if [ "$PROCESSES" = 2 ]; then
      wrk -t1 -c8 -d"$DURATION" --latency -s "$script" "http://127.0.0.1:$port" >"$f" & pids+=($!)
    else
      wrk -t2 -c16 -d"$DURATION" --latency -s "$script" "http://127.0.0.1:$port" >"$f" & pids+=($!)
    fi
  done
  wait "${pids[@]}"
  local total=0 worst="" worst_ms=0 errors=0 f
  for f in "${outs[@]}"; do
    read -r rps p99 err <<<"$(summarise "$(cat "$f")")"
    total=$((total + rps)); errors=$((errors + err))
    local ms; ms=$(python3 -c "import re,sys; v,u=re.match(r'([\d.]+)(\w+)',sys.argv[1]).groups(); print(float(v)*{'us':0.001,'ms':1,'s':1000}[u])" "$p99")
    if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)" "$ms" "$worst_ms"; then
      worst=$p99; worst_ms=$ms
    fi
    if [ "$script" = benches/load/create.lua ]; then
      CREATED=$((CREATED + $(awk '/requests in/ {print $1}' "$f") - err))
    fi
    rm -f "$f"
  done
  echo "$total $worst $errors"
}

for HELPERS in ${HELPERS_LIST:-10000 100000 1000000}; do
  WORK=$(mktemp -d)
  export NEIGHBOURLY_ENV=production
  export NEIGHBOURLY__AUTH__JWT_SECRET=load-test-secret-load-test-secret-0123
  export NEIGHBOURLY__SERVER__HOST=127.0.0.1
  export NEIGHBOURLY__SERVER__PORT=18080
  export NEIGHBOURLY__EMAIL__MAIL_DIR="$WORK/mail"
  export NEIGHBOURLY__EMAIL__POLL_INTERVAL_MS=0
  # Several servers on one machine: /metrics on each one's own API port.
  export NEIGHBOURLY__METRICS__PORT=0
  export RUST_LOG=warn
  if [ "$BACKEND" = postgres ]; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort | tail -1)
    PGDIR="$WORK/pg"; mkdir -p "$PGDIR"; chown postgres:postgres "$WORK" "$PGDIR" 2>/dev/null || true
    AS=""; [ "$(id -u)" -eq 0 ] && AS="runuser -u postgres --"
    $AS "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres --no-sync >/dev/null
    $AS "$PGBIN/pg_ctl" -D "$PGDIR/data" -o "-p 15432 -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" -l "$PGDIR/log" -w start >/dev/null
    psql -h 127.0.0.1 -p 15432 -U postgres -qc "CREATE DATABASE load" >/dev/null
    export DATABASE_URL="postgres://postgres@127.0.0.1:15432/load"
  else
    export DATABASE_URL="sqlite://$WORK/load.db"
  fi
  $BIN migrate >/dev/null
  curl_ok() { for _ in $(seq 100); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; return 1; }
  SERVERS=""
  for port in $PORTS; do
    NEIGHBOURLY__SERVER__PORT=$port $BIN serve >"$WORK/server-$port.log" 2>&1 &
    SERVERS="$SERVERS $!"
  done
  trap 'kill $SERVERS 2>/dev/null || true' EXIT
  for port in $PORTS; do curl_ok "localhost:$port/health"; done
  curl -sf localhost:18080/api/v1/members -H 'content-type: application/json' -d '{
    "email": "load@example.org", "password": "a long enough password", "name": "Load Member",
    "address": "1 Load Street", "location": {"lat": 51.49, "lon": -0.09}}' >/dev/null
  SEEDED=$(date +%s.%N)
  if [ "$BACKEND" = postgres ]; then
    PSQL="psql -h 127.0.0.1 -p 15432 -U postgres -d load -qtA"
    HASH=$($PSQL -c "select password_hash from users where email='load@example.org'")
    $PSQL -v n="$HELPERS" -v hash="'$HASH'" -f benches/load/seed_postgres.sql >/dev/null
  else
    HASH=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select password_hash from users where email='load@example.org'\").fetchone()[0])" "$WORK/load.db")
    python3 benches/load/seed.py "$WORK/load.db" "$HELPERS" "$HASH" >/dev/null
  fi
  SEED_S=$(python3 -c "import time,sys; print(round(time.time() - float(sys.argv[1]), 1))" "$SEEDED")
  export TOKEN=$(curl -sf localhost:18080/api/v1/auth/login -H 'content-type: application/json' \
    -d '{"email": "load@example.org", "password": "a long enough password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  export START=$(date -u -d '+1 day' +%Y-%m-%dT10:00:00Z) END=$(date -u -d '+1 day' +%Y-%m-%dT16:00:00Z)
  CREATED=0
  measure_all benches/load/create.lua >"$WORK/create"
  read -r C_RPS C_P99 C_ERR <"$WORK/create"
  export ID=$(curl -sf localhost:18080/api/v1/requests?limit=1 -H "authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  read -r R_RPS R_P99 R_ERR <<<"$(measure_all benches/load/read.lua)"
  # The first server's memory after both tests: its peak resident set, and how much of what it
  # holds now is its own (heap, stacks: anonymous) rather than the database file's pages mapped in.
  PID1=$(echo $SERVERS | cut -d" " -f1)
  PEAK_MB=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$PID1/status")
  ANON_MB=$(awk '/^Anonymous:/ {print int($2 / 1024)}' "/proc/$PID1/smaps_rollup")
  # Killed outright, as a crash would: every answered write must still be there.
  kill -9 $SERVERS; wait $SERVERS 2>/dev/null || true
  # Any answer that was not a success, as the server logged it.
  grep -h -m5 -E '"status":(4|5)[0-9][0-9]| status=(4|5)[0-9][0-9]|ERROR|WARN' "$WORK"/server-*.log >&2 || true
  # Nothing lost, nothing twice: the requests wrk saw created, each helper offered a job once,
  # one offer email per offer.
  COUNTS="SELECT
      (SELECT count(*) FROM help_requests),
      (SELECT count(*) FROM offers),
      (SELECT count(*) FROM (SELECT 1 FROM offers GROUP BY request_id, helper_id HAVING count(*) > 1) t),
      (SELECT count(*) FROM outbox WHERE kind = 'offer')"
  if [ "$BACKEND" = postgres ]; then
    read -r REQUESTS OFFERS TWICE EMAILS <<<"$($PSQL -F' ' -c "$COUNTS")"
  else
    read -r REQUESTS OFFERS TWICE EMAILS <<<"$(python3 -c "import sqlite3,sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())" "$WORK/load.db" "$COUNTS")"
  fi
  echo "$PROCESSES process(es), $HELPERS helpers: $CREATED created, $REQUESTS requests, $OFFERS offers, $TWICE offered twice, $EMAILS offer emails" >&2
  # (A request still in flight when wrk stopped is in the database but not in wrk's count; the
  # member's own sign-up made none.)
  [ "$REQUESTS" -ge "$CREATED" ] && [ "$REQUESTS" -le $((CREATED + 16)) ] && [ "$TWICE" -eq 0 ] \
    && [ "$EMAILS" -eq "$OFFERS" ] || {
    echo "the database does not hold what the servers answered" >&2; exit 1; }
  # The yardstick, alone on the machine as the server was.
  $BARE 18081 & BARE_PID=$!
  curl_ok localhost:18081/json
  read -r B_RPS B_P99 _ <<<"$(measure http://127.0.0.1:18081/json)"
  kill $BARE_PID; wait $BARE_PID 2>/dev/null || true
  LABEL=$BACKEND; [ "$PROCESSES" = 2 ] && LABEL="$BACKEND ×2"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$LABEL" "$HELPERS" "$SEED_S" \
    "$C_RPS" "$C_P99" "$C_ERR" "$R_RPS" "$R_P99" "$B_RPS" "$B_P99" "$PEAK_MB" "$ANON_MB" >>"$TABLE"
  if [ "$BACKEND" = postgres ]; then
    $AS "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null
  fi
  trap - EXIT
  rm -rf "$WORK"
  tail -1 "$TABLE"
done
echo
cat "$TABLE"
