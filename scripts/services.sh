#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL and Redis on 127.0.0.1 from Debian's packages, for
# the newsroom-tier test run. Writes var/services.env (or SERVICES_ENV) with DATABASE_URL and
# REDIS_URL. PG_PORT, REDIS_PORT and SERVICES_DIR let a second pair run beside the first (the
# benchmark's newsroom tier, bench/viral/newsroom.py); PG_FSYNC=on makes PostgreSQL durable
# as a newsroom's is (off by default: the tests want speed, not durability).
set -euo pipefail
cd "$(dirname "$0")/.."
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6390}
RUN_DIR=${SERVICES_DIR:-/tmp/newsdesk-services}
ENV_FILE=${SERVICES_ENV:-var/services.env}
PG_FSYNC=${PG_FSYNC:-off}
PG_BIN=""

find_pg_bin() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
}

install_packages() {
  find_pg_bin
  if [ -z "$PG_BIN" ] || ! command -v redis-server >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null
    find_pg_bin
  fi
}

start() {
  install_packages
  mkdir -p "$RUN_DIR" "$(dirname "$ENV_FILE")"
  rm -rf "$RUN_DIR/pg" && mkdir -p "$RUN_DIR/pg" "$RUN_DIR/sock"
  chown -R postgres:postgres "$RUN_DIR/pg" "$RUN_DIR/sock"
  su postgres -c "$PG_BIN/initdb -D $RUN_DIR/pg/data -A trust -U postgres" >/dev/null
  su postgres -c "$PG_BIN/pg_ctl -D $RUN_DIR/pg/data -l $RUN_DIR/pg/log -w -o '-p $PG_PORT -k $RUN_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=$PG_FSYNC -c max_connections=200' start" >/dev/null
  su postgres -c "$PG_BIN/createdb -h 127.0.0.1 -p $PG_PORT newsdesk"
  redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  cat > "$ENV_FILE" <<ENV
export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/newsdesk
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
ENV
  echo "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"
}

stop() {
  find_pg_bin
  if [ -n "$PG_BIN" ] && [ -d "$RUN_DIR/pg/data" ]; then
    su postgres -c "$PG_BIN/pg_ctl -D $RUN_DIR/pg/data -m fast stop" >/dev/null 2>&1 || true
  fi
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -f "$ENV_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
