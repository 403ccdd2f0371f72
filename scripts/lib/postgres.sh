# A throwaway PostgreSQL server for the platform tests (sourced by scripts/test-all.sh).
# Runs as the unprivileged `postgres` user (created by the Debian package) in a temp folder,
# listening on loopback only; stopped when the calling script exits.

start_test_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    echo "   PostgreSQL binaries not found" >&2
    return 1
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/hotline-pg.XXXXXX)
  chmod 755 "$PG_TEST_DIR"
  local port=${PG_TEST_PORT:-55432}
  local run=(runuser -u postgres --)
  [ "$(id -u)" = 0 ] || run=()
  [ "$(id -u)" = 0 ] && chown postgres "$PG_TEST_DIR"
  "${run[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U hotline --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log" 2>&1 || { cat "$PG_TEST_DIR/initdb.log"; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=off -c synchronous_commit=off -c max_connections=100" start >/dev/null || { cat "$PG_TEST_DIR/server.log"; return 1; }
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U hotline hotline_test
  export PLATFORM_TEST_DATABASE_URL="postgres://hotline@127.0.0.1:$port/hotline_test"
  PG_TEST_BIN=$bin
  PG_TEST_RUN=("${run[@]}")
  trap stop_test_postgres EXIT
}

stop_test_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ]; then
    "${PG_TEST_RUN[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
