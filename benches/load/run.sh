#!/usr/bin/env bash
# Load test: creating a request (with matching and offers) and reading one, against the release
# server, with 1,000 and then 10,000 helpers. Needs wrk (Debian package) and python3; with
# BACKEND=postgres also the PostgreSQL server binaries (a throwaway cluster is started here).
#   bash benches/load/run.sh
#   BACKEND=postgres bash benches/load/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
BIN=target/release/neighbourly
DURATION=${DURATION:-20s}
for HELPERS in ${HELPERS_LIST:-1000 10000}; do
  WORK=$(mktemp -d)
  export NEIGHBOURLY_ENV=production
  export NEIGHBOURLY__AUTH__JWT_SECRET=load-test-secret-load-test-secret-0123
  export NEIGHBOURLY__SERVER__HOST=127.0.0.1
  export NEIGHBOURLY__SERVER__PORT=18080
  export NEIGHBOURLY__EMAIL__MAIL_DIR="$WORK/mail"
  export NEIGHBOURLY__EMAIL__POLL_INTERVAL_MS=0
  export RUST_LOG=warn
  if [ "${BACKEND:-sqlite}" = postgres ]; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort | tail -1)
    PGDIR="$WORK/pg"; mkdir -p "$PGDIR"; chown postgres:postgres "$WORK" "$PGDIR" 2>/dev/null || true
    AS=""; [ "$(id -u)" -eq 0 ] && AS="runuser -u postgres --"
    $AS "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres --no-sync >/dev/null
    $AS "$PGBIN/pg_ctl" -D "$PGDIR/data" -o "-p 15432 -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=200" -l "$PGDIR/log" -w start >/dev/null
    psql -h 127.0.0.1 -p 15432 -U postgres -qc "CREATE DATABASE load" >/dev/null
    export DATABASE_URL="postgres://postgres@127.0.0.1:15432/load"
  else
    export DATABASE_URL="sqlite://$WORK/load.db"
  fi
  $BIN migrate >/dev/null
  $BIN serve >"$WORK/server.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -sf localhost:18080/health >/dev/null && break; sleep 0.2; done
  curl -sf localhost:18080/api/v1/members -H 'content-type: application/json' -d '{
    "email": "load@example.org", "password": "a long enough password", "name": "Load Member",
    "address": "1 Load Street", "location": {"lat": 51.49, "lon": -0.09}}' >/dev/null
  if [ "${BACKEND:-sqlite}" = postgres ]; then
    PSQL="psql -h 127.0.0.1 -p 15432 -U postgres -d load -qtA"
    HASH=$($PSQL -c "select password_hash from users where email='load@example.org'")
    $PSQL -v n="$HELPERS" -v hash="'$HASH'" -f benches/load/seed_postgres.sql >/dev/null
    echo "seeded $HELPERS helpers"
  else
    HASH=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select password_hash from users where email='load@example.org'\").fetchone()[0])" "$WORK/load.db")
    python3 benches/load/seed.py "$WORK/load.db" "$HELPERS" "$HASH"
  fi
  export TOKEN=$(curl -sf localhost:18080/api/v1/auth/login -H 'content-type: application/json' \
    -d '{"email": "load@example.org", "password": "a long enough password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  export START=$(date -u -d '+1 day' +%Y-%m-%dT10:00:00Z) END=$(date -u -d '+1 day' +%Y-%m-%dT16:00:00Z)
  echo "=== $HELPERS helpers: create a request (matching + offers)"
  wrk -t2 -c16 -d"$DURATION" --latency -s benches/load/create.lua http://127.0.0.1:18080 | grep -E "Requests/sec|99%|Non-2xx|Socket errors" || true
  export ID=$(curl -sf localhost:18080/api/v1/requests?limit=1 -H "authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  echo "=== $HELPERS helpers: read one request"
  wrk -t2 -c16 -d"$DURATION" --latency -s benches/load/read.lua http://127.0.0.1:18080 | grep -E "Requests/sec|99%|Non-2xx|Socket errors" || true
  kill $SERVER; wait $SERVER 2>/dev/null || true
  if [ "${BACKEND:-sqlite}" = postgres ]; then
    echo "offers made: $($PSQL -c 'select count(*) from offers')"
    $AS "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null
  else
    echo "offers made: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from offers').fetchone()[0])" "$WORK/load.db")"
  fi
  trap - EXIT
  rm -rf "$WORK"
done
