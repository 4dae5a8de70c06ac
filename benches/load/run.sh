#!/usr/bin/env bash
# Load test: creating a request (with matching and offers) and reading one, against the release
# server on SQLite, with 1,000 and then 10,000 helpers. Needs wrk (Debian package) and python3.
#   bash benches/load/run.sh
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
  export DATABASE_URL="sqlite://$WORK/load.db"
  $BIN migrate >/dev/null
  $BIN serve >"$WORK/server.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -sf localhost:18080/health >/dev/null && break; sleep 0.2; done
  curl -sf localhost:18080/api/v1/members -H 'content-type: application/json' -d '{
    "email": "load@example.org", "password": "a long enough password", "name": "Load Member",
    "address": "1 Load Street", "location": {"lat": 51.49, "lon": -0.09}}' >/dev/null
  HASH=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select password_hash from users where email='load@example.org'\").fetchone()[0])" "$WORK/load.db")
  python3 benches/load/seed.py "$WORK/load.db" "$HELPERS" "$HASH"
  export TOKEN=$(curl -sf localhost:18080/api/v1/auth/login -H 'content-type: application/json' \
    -d '{"email": "load@example.org", "password": "a long enough password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  export START=$(date -u -d '+1 day' +%Y-%m-%dT10:00:00Z) END=$(date -u -d '+1 day' +%Y-%m-%dT16:00:00Z)
  echo "=== $HELPERS helpers: create a request (matching + offers)"
  wrk -t2 -c16 -d"$DURATION" --latency -s benches/load/create.lua http://127.0.0.1:18080 | grep -E "Requests/sec|99%|Non-2xx|Socket errors" || true
  export ID=$(curl -sf localhost:18080/api/v1/requests?limit=1 -H "authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  echo "=== $HELPERS helpers: read one request"
  wrk -t2 -c16 -d"$DURATION" --latency -s benches/load/read.lua http://127.0.0.1:18080 | grep -E "Requests/sec|99%|Non-2xx|Socket errors" || true
  echo "offers made: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from offers').fetchone()[0])" "$WORK/load.db")"
  kill $SERVER; wait $SERVER 2>/dev/null || true
  trap - EXIT
  rm -rf "$WORK"
done
