#!/usr/bin/env bash
# Run every command of the README as written, on a fresh copy of the repository (its own data/
# folder), against the server its first command starts on localhost:8080:
#   - every line of every ```sh block, in order (the server's `serve` goes to the background;
#     `cargo test` and the scripts/*-check.sh lines are left to CI, which runs them itself);
#   - every command of the commands table, with its example arguments.
# A command that fails, or a tour that does not create the request, fails the check.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
COPY=$(mktemp -d)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
(cd "$REPO" && git ls-files -z | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$COPY"
cd "$COPY"
# Build first, so that the README's `cargo run --release -- serve` below starts at once.
cargo build --release --quiet
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$COPY"
}
trap cleanup EXIT

# The README's sh blocks as one script each, lines kept as written.
python3 - README.md "$COPY/blocks" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
os.makedirs(sys.argv[2])
for i, block in enumerate(re.findall(r"```sh\n(.*?)```", text, re.S)):
    open(os.path.join(sys.argv[2], f"{i:02}.sh"), "w").write(block)
PY

run_line_by_line() {
    # Lines joined where a quoted argument runs over several lines, then run one by one.
    local block=$1 out=$2
    local script=""
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in
            "cargo run --release -- serve"*)
                echo "+ $line  (in the background)"
                cargo run --release -- serve >"$COPY/serve.log" 2>&1 &
                SERVER=$!
                for _ in $(seq 1 600); do
                    curl -sf localhost:8080/health >/dev/null && break
                    sleep 0.5
                done
                curl -sf localhost:8080/health >/dev/null || { cat "$COPY/serve.log"; exit 1; }
                continue ;;
            "cargo test"*|scripts/*-check.sh*)
                echo "+ $line  (run by CI itself)"
                continue ;;
        esac
        script+="$line"$'\n'
    done <"$block"
    echo "+ $(basename "$block"):"
    printf '%s' "$script" | sed 's/^/    /'
    bash -euo pipefail -c "$script" | tee "$out"
    echo
}

for block in "$COPY"/blocks/*.sh; do
    run_line_by_line "$block" "$block.out"
done

# The tour asked for help and listed it.
grep -q '"description":"Trim the front hedge"' "$COPY"/blocks/*.out \
    || { echo "the tour did not create its request"; exit 1; }

# The commands table, with the examples it gives.
WEEK=$(date -u -d '-7 days' +%G-W%V)
for args in \
    "migrate" \
    "demo --seed 7" \
    "match batch --input docs/examples/instance.json" \
    "report weekly" \
    "report weekly --week $WEEK --format csv" \
    "report weekly --week $WEEK --format json --send" \
    "places import docs/examples/postcodes-peckham-camberwell.csv" \
    "backup data/backup.db"; do
    echo "+ cargo run --release -- $args"
    # shellcheck disable=SC2086
    cargo run --quiet --release -- $args >"$COPY/out.txt"
    head -c 300 "$COPY/out.txt"; echo
done
# A restore is refused while the service has the database open, and works once it is stopped.
if cargo run --quiet --release -- restore data/backup.db >"$COPY/out.txt" 2>&1; then
    echo "restore ran over a database in use"; exit 1
fi
grep -q "in use" "$COPY/out.txt" || { cat "$COPY/out.txt"; exit 1; }
# Stop the service (cargo run's child too) and wait until it has exited.
pkill -TERM -f "release/neighbourly serve" || true
kill "$SERVER" 2>/dev/null || true
wait "$SERVER" 2>/dev/null || true
SERVER=""
for _ in $(seq 1 120); do
    pgrep -f "release/neighbourly serve" >/dev/null || break
    sleep 0.5
done
echo "+ cargo run --release -- restore data/backup.db  (the service stopped)"
cargo run --quiet --release -- restore data/backup.db
echo "README commands: all ran"
