#!/usr/bin/env bash
# Services the tests need, on loopback, for the length of one test run:
#
#   scripts/services.sh start    start PostgreSQL and RabbitMQ (and, as root, make sure iptables,
#                                runc and the CNI plugins are there); prints the lines to eval (export …)
#   scripts/services.sh stop     stop them and remove their data
#
# Both come from Debian's packages (installed with apt-get when missing and we
# are root). Their data lives in a temporary folder; they listen on 127.0.0.1
# on free ports (PostgreSQL also on a socket in that folder, with trust
# authentication for the one test user; RabbitMQ with its loopback-only guest
# user, its Erlang distribution and epmd on loopback too): nothing of them
# outlives the run.
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
  start_pg_standby "$bin" "$port"
}

# A hot standby of it, by PostgreSQL's streaming replication (what a
# disaster-recovery secondary's registry is): the server tests promote it.
start_pg_standby() {
  local bin=$1 primary=$2 dir="$state/postgres-standby" port
  port=$(free_port)
  rm -rf "$dir" && mkdir -p "$dir/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
  as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U infra -D "$dir/data" -R -X stream --no-sync >"$dir/basebackup.log" 2>&1 ||
    die "pg_basebackup failed: $(tail -n 3 "$dir/basebackup.log")"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/sock -c fsync=off -c hot_standby=on -c max_connections=200" \
    start >/dev/null || die "the PostgreSQL standby did not start: $(tail -n 3 "$dir/server.log")"
  say "PostgreSQL standby of 127.0.0.1:$primary on 127.0.0.1:$port"
  echo "export INFRA_TEST_POSTGRES_STANDBY_URL=postgres://infra@127.0.0.1:$port/postgres"
}

stop_pg() {
  local dir="$state/postgres"
  if [ -f "$dir/bin" ]; then
    as_pg "$(cat "$dir/bin")/pg_ctl" -D "$state/postgres-standby/data" -m immediate -w stop >/dev/null 2>&1 || true
    as_pg "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir" "$state/postgres-standby"
}

apt_install() { # apt_install <package> <why>
  [ "$(id -u)" = 0 ] || die "$1 is not installed: apt-get install $1 ($2)"
  say "installing $1 from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >&2 || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >&2; }
}

rabbit_bin=/usr/lib/rabbitmq/bin

start_rabbit() {
  [ -x "$rabbit_bin/rabbitmq-server" ] || apt_install rabbitmq-server "the server's AMQP tests need a real broker"
  [ -x "$rabbit_bin/rabbitmq-server" ] || die "RabbitMQ was installed but its programs are not where Debian puts them"
  local dir="$state/rabbitmq" port dist epmd
  port=$(free_port); dist=$(free_port); epmd=$(free_port)
  rm -rf "$dir" && mkdir -p "$dir"
  echo "[]." >"$dir/enabled_plugins"
  : >"$dir/rabbitmq.conf"
  # The environment its programs (rabbitmqctl too) need: the tests source it to restart the broker.
  cat >"$dir/env" <<ENV
export HOME='$dir' RABBITMQ_NODENAME='infratest$$@localhost' RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$port
export RABBITMQ_DIST_PORT=$dist ERL_EPMD_PORT=$epmd ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_MNESIA_BASE='$dir/mnesia' RABBITMQ_LOG_BASE='$dir/log'
export RABBITMQ_ENABLED_PLUGINS_FILE='$dir/enabled_plugins' RABBITMQ_PID_FILE='$dir/pid' RABBITMQ_CONFIG_FILE='$dir/rabbitmq'
export RABBITMQ_ADVANCED_CONFIG_FILE='$dir/advanced.config' RABBITMQ_CONF_ENV_FILE='$dir/rabbitmq-env.conf'
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
ENV
  (
    . "$dir/env"
    nohup "$rabbit_bin/rabbitmq-server" >"$dir/server.out" 2>&1 &
    for _ in $(seq 1 120); do
      "$rabbit_bin/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" await_startup --timeout 5 >/dev/null 2>&1 && exit 0
      sleep 1
    done
    exit 1
  ) || die "RabbitMQ did not start: $(tail -n 3 "$dir/server.out")"
  say "RabbitMQ $(. "$dir/env"; "$rabbit_bin/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" version 2>/dev/null) on 127.0.0.1:$port"
  echo "export INFRA_TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:$port INFRA_TEST_RABBITMQ_ENV=$dir/env"
}

stop_rabbit() {
  local dir="$state/rabbitmq"
  if [ -f "$dir/env" ]; then
    (
      . "$dir/env"
      "$rabbit_bin/rabbitmqctl" -q -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 || true
      epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
    )
  fi
  rm -rf "$dir"
}

# As root, the sandbox's egress test counts packets with iptables (nft backend)
# and its real node needs runc and the CNI plugins; not root, those tests are
# skipped and say why.
tools() {
  [ "$(id -u)" = 0 ] || return 0
  command -v iptables >/dev/null || apt_install iptables "the sandbox's egress test counts packets with it; kube-proxy writes its rules with it"
  command -v runc >/dev/null || apt_install runc "the sandbox's real node runs its containers with it"
  [ -x /usr/lib/cni/bridge ] || apt_install containernetworking-plugins "the sandbox's real node puts its pods on a bridge with them"
  command -v prometheus >/dev/null || apt_install prometheus "the server's metrics test has a real Prometheus scrape it"
  command -v chromium >/dev/null || apt_install chromium "the graph test opens infra graph's SVG and Mermaid in a headless browser"
  return 0
}

case "${1:-}" in
  start) mkdir -p "$state"; tools; stop_pg; stop_rabbit; start_pg; start_rabbit ;;
  stop) stop_pg; stop_rabbit; rmdir "$state" 2>/dev/null || true ;;
  *) die "use start or stop" ;;
esac
