# Sourced by the check scripts: start the service on a fresh SQLite file and a free port, with a
# coordinator, a member and an approved helper. Sets BASE, WORK, SERVER, BIN, COORD, MEMBER,
# HELPER (access tokens) and stops the server on exit.
BIN=${BIN:-target/debug/neighbourly}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export NEIGHBOURLY_ENV=test
export DATABASE_URL="sqlite://$WORK/check.db"
export NEIGHBOURLY__SERVER__PORT=$PORT
# Many logins from one address are part of the checks; the limiter's 429 is documented.
export NEIGHBOURLY__AUTH__LOGIN_PER_ADDRESS_PER_MINUTE=100000
export RUST_LOG=${RUST_LOG:-warn}

"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
    curl -sf "$BASE/health" >/dev/null && break
    sleep 0.2
done
curl -sf "$BASE/health" >/dev/null || { echo "the server did not start"; cat "$WORK/server.log"; exit 1; }

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sf "$BASE$1" -H 'content-type: application/json' "${@:3}" -d "$2"; }
PASSWORD='a long enough password'
login() { post /api/v1/auth/login "{\"email\": \"$1\", \"password\": \"$PASSWORD\"}" | json "['access_token']"; }

echo "$PASSWORD" | "$BIN" admin create-coordinator --email cora@example.org --name Cora >/dev/null
COORD=$(login cora@example.org)
post /api/v1/members '{"email": "ada@example.org", "password": "'"$PASSWORD"'", "name": "Ada", "phone": "020 7946 0001",
  "address": "12 Choumert Road, London SE15", "location": {"lat": 51.47, "lon": -0.07}}' >/dev/null
MEMBER=$(login ada@example.org)
HELPER_ID=$(post /api/v1/helpers '{"email": "hal@example.org", "password": "'"$PASSWORD"'", "name": "Hal",
  "home": {"lat": 51.472, "lon": -0.072}, "skills": ["gardening", "shopping"], "max_distance_km": 3}' | json "['id']")
EXPIRES=$(date -u -d '+1 year' +%F)
post "/api/v1/helpers/$HELPER_ID/vetting" '{"status": "approved", "expires_on": "'"$EXPIRES"'"}' \
    -H "authorization: Bearer $COORD" >/dev/null
HELPER=$(login hal@example.org)
export BASE COORD MEMBER HELPER
