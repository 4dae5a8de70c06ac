#!/usr/bin/env bash
# The postcode import at national size: a generated file shaped like the ONS Postcode Directory
# (2.7 million rows, the columns the import reads among others; one row in 11 retired, one in 97
# with no position), imported twice (the second import updates every row) into a fresh SQLite
# file, and into PostgreSQL when DATABASE_URL names one. Prints each import's time and peak memory.
#
#   benches/places/run.sh [path/to/neighbourly]      (default: target/release/neighbourly)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(realpath "${1:-target/release/neighbourly}")
ROWS=${ROWS:-2700000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 benches/places/generate.py "$ROWS" >"$WORK/directory.csv"
echo "generated $(wc -l <"$WORK/directory.csv") lines, $(du -h "$WORK/directory.csv" | cut -f1)"

PG_URL=${DATABASE_URL:-}
run_import() {
    /usr/bin/time -f "  wall %e s, peak memory %M KiB" "$BIN" places import "$WORK/directory.csv" 2>&1 \
        | grep -v "rows read"
}
cd "$WORK"
for pass in first second; do
    echo "SQLite, $pass import:"
    DATABASE_URL="sqlite://$WORK/places.db" run_import
done
if [ -n "$PG_URL" ]; then
    for pass in first second; do
        echo "PostgreSQL, $pass import:"
        DATABASE_URL="$PG_URL" run_import
    done
fi
