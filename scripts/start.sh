#!/usr/bin/env bash
# Sets up and starts the workstation on its embedded defaults: the reference platform on
# embedded PostgreSQL (PGlite, data in .data/platform, demo city loaded on first start) at
# http://127.0.0.1:8345, then the desktop app. Says what it started, and on the way out what it
# stopped. Needs the Electron binary; where it cannot be had, it starts nothing, says why, and
# names the alternative (`npm run dev:chromium`).
# Honours PLATFORM_HOST, PLATFORM_PORT, PLATFORM_DATA_DIR and DATABASE_URL as `npm run platform` does.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

DEMO_PASSWORD=Demo-12345-pass
DEFAULT_URL=http://127.0.0.1:8345
url="http://${PLATFORM_HOST:-127.0.0.1}:${PLATFORM_PORT:-8345}"
data_dir=${PLATFORM_DATA_DIR:-.data/platform}
if [ -n "${DATABASE_URL:-}" ]; then data="the PostgreSQL database in DATABASE_URL"; else data="$data_dir (embedded PostgreSQL)"; fi

tmp=$(mktemp -d)
platform_pid=""
on_exit() {
  local status=$?
  if [ -n "$platform_pid" ]; then
    kill -TERM "$platform_pid" 2>/dev/null || true
    wait "$platform_pid" 2>/dev/null || true
    echo "== stopped the reference platform npm start had started (pid $platform_pid, $url); its data stays in $data"
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_npm_deps
echo "== building the app into out/"
npx electron-vite build >/dev/null

if ! bin=$(npx tsx scripts/lib/electron-binary.ts 2>"$tmp/why"); then
  echo "== no Electron binary: trying to download it (node node_modules/electron/install.js)"
  if node node_modules/electron/install.js >"$tmp/download" 2>&1; then
    download="finished"
  else
    download="failed: $(grep -m1 . "$tmp/download" || echo 'no message')"
  fi
  if ! bin=$(npx tsx scripts/lib/electron-binary.ts 2>"$tmp/why"); then
    cat <<EOF

npm start stopped before starting the workstation: the Electron binary is missing.
  why:       $(cat "$tmp/why")
  download:  $download
  done:      npm dependencies checked; the app built into out/
  started:   nothing. The reference platform was not started, so nothing was stopped and nothing is left running.
To use the UI without Electron (development tool: Debian Chromium, no tray, OS keychain or global shortcuts):
  npm run dev:chromium
  It starts its own platform at $DEFAULT_URL (data in .tmp/dev-profile, demo city loaded on first start);
  sign in as agent01 / $DEMO_PASSWORD. Stop it with Ctrl+C.
Or point ELECTRON_EXEC_PATH at an Electron 45 executable and run npm start again.
EOF
    exit 1
  fi
  echo "   Electron downloaded: $bin"
fi

if curl -fsS "$url/v1/health" >/dev/null 2>&1; then
  echo "== a platform already answers at $url: using it (npm start did not start it and will not stop it)"
  platform_said="the platform already running at $url (not started by npm start)"
  accounts="that platform's accounts (agent01 / $DEMO_PASSWORD if it holds the demo city)"
else
  accounts="agent01 / $DEMO_PASSWORD (also agent02, lead01, admin, tax01, customs01)"
  if [ -n "${DATABASE_URL:-}" ]; then
    accounts="those of the database in DATABASE_URL (\`npm run platform:seed\` adds the demo accounts, password $DEMO_PASSWORD)"
  elif [ ! -d "$data_dir/pgdata" ]; then
    # Embedded PostgreSQL is one process's folder: load the demo city before the server opens it.
    echo "== first start: loading the demo city into $data_dir (accounts agent01, lead01, admin …; password $DEMO_PASSWORD)"
    npx tsx platform/src/seed/main.ts
  fi
  echo "== starting the reference platform at $url (data: $data)"
  # node itself (not npx) so that platform_pid is the platform's own process.
  node --import tsx platform/src/main.ts &
  platform_pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "$url/v1/health" >/dev/null 2>&1 && break
    if ! kill -0 "$platform_pid" 2>/dev/null; then
      wait "$platform_pid" 2>/dev/null || true
      platform_pid=""
      echo "npm start stopped: the reference platform exited before answering at $url (its message is above); nothing is left running."
      exit 1
    fi
    sleep 0.5
  done
  if ! curl -fsS "$url/v1/health" >/dev/null 2>&1; then
    echo "npm start stopped: the reference platform did not answer at $url within 60 s."
    exit 1
  fi
  platform_said="the reference platform at $url (pid $platform_pid; data: $data)"
fi

echo
echo "== started: $platform_said"
echo "   sign in as: $accounts"
[ "$url" = "$DEFAULT_URL" ] || echo "   platform address to enter on the sign-in form: $url"
echo "== starting the workstation: $bin ."
echo "   quit the app (or Ctrl+C here) to stop; npm start then stops the platform it started"
set +e
"$bin" .
app_status=$?
set -e
echo "== the workstation exited (status $app_status)"
exit "$app_status"
