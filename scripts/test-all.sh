#!/usr/bin/env bash
# Sets up everything on a fresh Debian/Ubuntu machine (Debian packages when missing, npm
# dependencies as locked) and runs every test: lint, typecheck, build, unit, end-to-end in
# Chromium (and real Electron where its binary exists), packaging check.
# Ends with one line: "N passed, N failed" (", N skipped" when some were skipped).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh
source scripts/lib/postgres.sh

export CI="${CI:-true}"
export LANG=C.UTF-8
ensure_debian_packages chromium xvfb xauth fonts-noto-cjk ca-certificates postgresql kamailio kamailio-websocket-modules kamailio-utils-modules kamailio-extra-modules sip-tester rtpengine-daemon baresip-core || { echo "0 passed, 1 failed"; exit 1; }
ensure_npm_deps || { echo "0 passed, 1 failed"; exit 1; }

RESULTS=test-results
rm -rf "$RESULTS"
mkdir -p "$RESULTS/steps"

# step NAME COMMAND... — a check that counts as one test; its output goes to the log.
step() {
  local name=$1
  shift
  echo "== $name"
  local started=$SECONDS
  if "$@" > "$RESULTS/steps/$name.log" 2>&1; then
    echo "passed" > "$RESULTS/steps/$name.status"
    echo "   ok ($((SECONDS - started)) s)"
  else
    echo "failed" > "$RESULTS/steps/$name.status"
    echo "   FAILED ($((SECONDS - started)) s) — last lines of $RESULTS/steps/$name.log:"
    tail -n 40 "$RESULTS/steps/$name.log" | sed 's/^/   | /'
  fi
}

step lint npx eslint .
step typecheck npm run --silent typecheck
step build npx electron-vite build

echo "== starting a throwaway PostgreSQL server for the platform tests"
if ! start_test_postgres; then
  echo "   could not start PostgreSQL: platform tests run on PGlite only"
  echo "failed" > "$RESULTS/steps/postgres.status"
fi

echo "== unit and platform tests (vitest; platform on PGlite and PostgreSQL)"
npx vitest run --reporter=default --reporter=json --outputFile="$RESULTS/vitest.json" 2>&1 | tail -n 15

# Mutation testing of the security- and data-critical modules: results of unchanged code are
# reused from test/mutation/*.incremental.json, so this re-tests what changed; bounded in time.
step mutation timeout 1200 npm run --silent test:mutation

echo "== end-to-end tests (playwright: Chromium, Electron where available)"
if [ -f out/renderer/index.html ]; then
  npx playwright test 2>&1 | tail -n 40
else
  echo "   skipped: the build failed"
fi

step package npx tsx scripts/check-package.ts

node scripts/lib/summarize.mjs "$RESULTS"
