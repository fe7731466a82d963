#!/usr/bin/env bash
# Start a throwaway PostgreSQL and Redis on free loopback ports in a temporary folder, export
# DATABASE_URL and REDIS_URL, and stop both when the calling shell exits (also on failure).
# Usage: source scripts/services.sh
set -euo pipefail

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

SERVICES_DIR=$(mktemp -d /tmp/vivre-ensemble-services.XXXXXX)
chmod 755 "$SERVICES_DIR"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
PG_USER=vivre
PG_DATA="$SERVICES_DIR/pg"

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_services() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
  if [ -f "$SERVICES_DIR/redis.pid" ]; then kill "$(cat "$SERVICES_DIR/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$SERVICES_DIR"
}
trap stop_services EXIT

mkdir -p "$PG_DATA"
if [ "$(id -u)" = "0" ]; then chown postgres "$PG_DATA"; fi
as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >"$SERVICES_DIR/initdb.log"
as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w start -o \
  "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" vivre
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$SERVICES_DIR" --pidfile "$SERVICES_DIR/redis.pid" --logfile "$SERVICES_DIR/redis.log"
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://$PG_USER@127.0.0.1:$PG_PORT/vivre"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
echo "services: PostgreSQL on $PG_PORT, Redis on $REDIS_PORT (in $SERVICES_DIR)"
