#!/usr/bin/env bash
# Services the tests need, on loopback, for the length of one test run:
#
#   scripts/services.sh start    start PostgreSQL; prints the lines to eval (export …)
#   scripts/services.sh stop     stop it and remove its data
#
# PostgreSQL comes from Debian's packages (installed with apt-get when missing
# and we are root). Its data lives in a temporary folder; it listens on
# 127.0.0.1 on a free port and on a socket in that folder, with trust
# authentication for the one test user: nothing of it outlives the run.
set -euo pipefail

state=${INFRA_TEST_SERVICES:-${TMPDIR:-/tmp}/infra-test-services-$(id -u)}
say() { printf '[services] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

pg_bin() {
  local d
  for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

as_pg() { # PostgreSQL refuses to run as root: run its programs as the postgres user then
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_pg() {
  local bin
  if ! bin=$(pg_bin); then
    [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed: apt-get install postgresql (the registry tests need a real server)"
    say "installing PostgreSQL from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
    bin=$(pg_bin) || die "PostgreSQL was installed but its programs are not where Debian puts them"
  fi
  local dir="$state/postgres" port
  port=$(free_port)
  rm -rf "$dir" && mkdir -p "$dir/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -U infra -A trust --no-sync >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 3 "$dir/initdb.log")"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/sock -c fsync=off -c synchronous_commit=off -c max_connections=200" \
    start >/dev/null || die "PostgreSQL did not start: $(tail -n 3 "$dir/server.log")"
  echo "$bin" >"$dir/bin"
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
  echo "export INFRA_TEST_POSTGRES_URL=postgres://infra@127.0.0.1:$port/postgres"
}

stop_pg() {
  local dir="$state/postgres"
  [ -f "$dir/bin" ] && as_pg "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) mkdir -p "$state"; stop_pg; start_pg ;;
  stop) stop_pg; rmdir "$state" 2>/dev/null || true ;;
  *) die "use start or stop" ;;
esac
