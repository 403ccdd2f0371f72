#!/usr/bin/env bash
# Sets up and starts the workstation on its embedded defaults.
# Needs the Electron binary; where it cannot be had, says so and names the alternative.
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
echo "== starting $bin"
exec "$bin" .
