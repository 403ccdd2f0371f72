#!/usr/bin/env bash
# Sets up and starts the workstation on its embedded defaults: the reference platform on
# embedded PostgreSQL (PGlite, data in .data/platform, demo city loaded on first start) at
# http://127.0.0.1:8345, then the desktop app. Needs the Electron binary; where it cannot be
# had, says so and names the alternative.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

ensure_npm_deps
echo "== building"
npx electron-vite build >/dev/null

if ! bin=$(npx tsx scripts/lib/electron-binary.ts 2>/tmp/electron-binary.$$); then
  echo "== trying to download the Electron binary"
  if node node_modules/electron/install.js >/dev/null 2>&1; then
    bin=$(npx tsx scripts/lib/electron-binary.ts)
  else
    echo
    echo "The workstation cannot start here: $(cat /tmp/electron-binary.$$)"
    echo "To use the UI without Electron (development only): npm run dev:chromium"
    rm -f /tmp/electron-binary.$$
    exit 1
  fi
fi
rm -f /tmp/electron-binary.$$

platform_pid=""
if ! curl -fsS http://127.0.0.1:8345/v1/health >/dev/null 2>&1; then
  if [ -z "${DATABASE_URL:-}" ] && [ ! -d .data/platform/pgdata ]; then
    # Embedded PostgreSQL is one process's folder: load the demo city before the server opens it.
    echo "== first start: loading the demo city (accounts agent01, lead01, admin …; password Demo-12345-pass)"
    npx tsx platform/src/seed/main.ts
  fi
  echo "== starting the reference platform on http://127.0.0.1:8345"
  npx tsx platform/src/main.ts &
  platform_pid=$!
  trap '[ -n "$platform_pid" ] && kill "$platform_pid" 2>/dev/null' EXIT
  for _ in $(seq 1 60); do
    curl -fsS http://127.0.0.1:8345/v1/health >/dev/null 2>&1 && break
    sleep 0.5
  done
fi

echo "== starting $bin"
"$bin" .
