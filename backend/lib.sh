# shellcheck shell=bash
# Helpers to run the reference backend on a throwaway PostgreSQL cluster. Sourced by
# `backend/run` and `tests/conformance/run` after `.ci/tools.sh` (which sets CARGO_TARGET_DIR).
#
#   pg_start            initdb + start PostgreSQL on a free loopback port; sets DATABASE_URL
#   backend_build       cargo build of backend/ (into the repo's shared $CARGO_TARGET_DIR)
#   backend_start ARGS  start the backend in the background; sets BACKEND_URL, BACKEND_PID
#   stack_stop          stop what was started (backend, then PostgreSQL) and remove the cluster
#
# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user
# (created by Debian's package) and its commands run through `runuser`.

BACKEND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STACK_DIR=""
BACKEND_PID=""

_stack_log() { printf '[stack] %s\n' "$*"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# as_pg CMD... : run a PostgreSQL command as the cluster's owner.
as_pg() {
  if [[ $(id -u) == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  need_postgres || return 1 # sets PG_BINDIR
  STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/crm-lens-stack.XXXXXX")
  chmod 755 "$STACK_DIR"
  mkdir -p "$STACK_DIR/pg"
  if [[ $(id -u) == 0 ]]; then chown postgres: "$STACK_DIR/pg"; fi
  chmod 700 "$STACK_DIR/pg"
  PG_PORT=$(free_port)
  _stack_log "initdb in $STACK_DIR/pg (PostgreSQL from $PG_BINDIR)"
  as_pg "$PG_BINDIR/initdb" --pgdata="$STACK_DIR/pg/data" --username=postgres --auth=trust \
    --encoding=UTF8 --no-locale --no-sync >"$STACK_DIR/initdb.log" 2>&1 || {
    cat "$STACK_DIR/initdb.log" >&2
    _stack_log "ERROR: initdb failed" >&2
    return 1
  }
  # A throwaway cluster: loopback only, no durability (fast), socket in the cluster's folder.
  as_pg "$PG_BINDIR/pg_ctl" --pgdata="$STACK_DIR/pg/data" --log="$STACK_DIR/pg/postgres.log" --wait \
    --timeout=60 -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $STACK_DIR/pg -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off" start >/dev/null || {
    cat "$STACK_DIR/pg/postgres.log" >&2
    _stack_log "ERROR: PostgreSQL did not start" >&2
    return 1
  }
  as_pg "$PG_BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres crm_lens || return 1
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/crm_lens"
  _stack_log "PostgreSQL on 127.0.0.1:$PG_PORT ($DATABASE_URL)"
}

backend_build() {
  _stack_log "building backend/ (target dir $CARGO_TARGET_DIR)"
  cargo build --quiet --manifest-path "$BACKEND_DIR/Cargo.toml" --bin crm-lens-backend || return 1
  BACKEND_BIN="$CARGO_TARGET_DIR/debug/crm-lens-backend"
}

# backend_start [ARGS...]: the backend on $BACKEND_LISTEN (default: a free port), waiting until
# it has imported its dataset and listens.
backend_start() {
  local log="$STACK_DIR/backend.log" i
  : >"$log"
  "$BACKEND_BIN" --listen "${BACKEND_LISTEN:-127.0.0.1:0}" "$@" >"$log" 2>&1 &
  BACKEND_PID=$!
  for ((i = 0; i < 600; i++)); do
    if grep -q '^listening on http://' "$log"; then
      BACKEND_URL=$(sed -nE 's#^listening on (http://[^ ]+).*#\1#p' "$log" | head -n 1)
      export BACKEND_URL
      cat "$log"
      return 0
    fi
    if ! kill -0 "$BACKEND_PID" 2>/dev/null; then
      cat "$log" >&2
      _stack_log "ERROR: the backend exited before listening" >&2
      BACKEND_PID=""
      return 1
    fi
    sleep 0.2
  done
  cat "$log" >&2
  _stack_log "ERROR: the backend did not listen within 120 s" >&2
  return 1
}

stack_stop() {
  if [[ -n $BACKEND_PID ]]; then
    kill "$BACKEND_PID" 2>/dev/null && wait "$BACKEND_PID" 2>/dev/null
    BACKEND_PID=""
  fi
  if [[ -n $STACK_DIR && -d $STACK_DIR/pg/data ]]; then
    as_pg "$PG_BINDIR/pg_ctl" --pgdata="$STACK_DIR/pg/data" --mode=fast --wait stop >/dev/null 2>&1 ||
      _stack_log "warning: pg_ctl stop failed (log: $STACK_DIR/pg/postgres.log)" >&2
  fi
  if [[ -n $STACK_DIR ]]; then
    rm -rf "$STACK_DIR"
    STACK_DIR=""
  fi
}
