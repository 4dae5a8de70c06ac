#!/usr/bin/env bash
# Generate a TypeScript client from the served OpenAPI document (openapi-typescript types,
# openapi-fetch calls), type-check the mobile journey and the app's scripts (app/*.js, through
# JSDoc) against it with tsc, and run the journey against a fresh server.
#
#   scripts/client-check.sh [path/to/neighbourly]     (default: target/debug/neighbourly)
#
# Needs Node.js and npm; the packages are pinned in tests/client/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/neighbourly}
# The journey asks for help half an hour ahead and sees it through: a Circle that takes any
# window not yet started (requests.min_notice_minutes = 0).
export NEIGHBOURLY__REQUESTS__MIN_NOTICE_MINUTES=0
. scripts/lib/server.sh

cd tests/client
npm ci --no-audit --no-fund --loglevel=error
curl -sf "$BASE/api/v1/openapi.json" -o openapi.json
npm run --silent generate
npm run --silent build
npm run --silent check-app
node dist/journey.js "$BASE"
