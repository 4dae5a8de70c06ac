#!/usr/bin/env bash
# Check the served OpenAPI document against the running service with schemathesis: a fresh server
# on a throwaway SQLite file, a member, an approved helper and a coordinator, and one run per role
# (and one signed out), every check, the stateful phase included.
#
#   scripts/contract-check.sh [path/to/neighbourly]     (default: target/debug/neighbourly)
#
# Needs schemathesis on PATH (CI installs it: see .ci/run). SCHEMATHESIS_EXAMPLES sets the cases
# per operation and phase (default 30).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/neighbourly}
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-30}
. scripts/lib/server.sh

status=0
for role in member helper coordinator anonymous; do
    case $role in
        member) auth=(-H "Authorization: Bearer $MEMBER") ;;
        helper) auth=(-H "Authorization: Bearer $HELPER") ;;
        coordinator) auth=(-H "Authorization: Bearer $COORD") ;;
        anonymous) auth=() ;;
    esac
    echo "--- schemathesis as $role"
    schemathesis --config-file tests/contract/schemathesis.toml run "$BASE/api/v1/openapi.json" "${auth[@]}" \
        --max-examples "$EXAMPLES" --workers 2 \
        --phases "${SCHEMATHESIS_PHASES:-examples,coverage,fuzzing,stateful}" \
        --request-timeout 10 --no-color 2>&1 | tee -a "$WORK/schemathesis.log" || status=1
done
# The cases of every run, counted from schemathesis's own summaries.
cases=$(grep -oE '^  [0-9]+ generated' "$WORK/schemathesis.log" | awk '{n += $1} END {print n + 0}')
echo "--- $cases cases generated in all"
if [ "$cases" -lt "${SCHEMATHESIS_MIN_CASES:-5000}" ]; then
    echo "fewer than ${SCHEMATHESIS_MIN_CASES:-5000} cases"
    status=1
fi
if [ $status -ne 0 ]; then
    echo "--- server log (last 40 lines)"
    tail -40 "$WORK/server.log"
fi
exit $status
