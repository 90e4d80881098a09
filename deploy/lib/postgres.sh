# Private PostgreSQL cluster on 127.0.0.1:15432 (sourced by deploy/stack.sh).
# initdb refuses root, so the cluster belongs to the 'postgres' account.

pg_paths() {
  PG_ROOT=$STATE_DIR/postgres
  PG_DATA=$PG_ROOT/data
  PG_SOCKET=$STATE_DIR/run/postgres
  PG_LOG=$STATE_DIR/log/postgres.log
}

as_postgres() { runuser -u postgres -- "$@"; }

ensure_postgres_cluster() {
  pg_paths
  [[ -n $PG_BIN ]] || die "PostgreSQL server binaries not found (run: deploy/stack.sh install)"
  mkdir -p "$PG_ROOT" "$PG_SOCKET"
  chmod 755 "$PG_ROOT"
  chown postgres:postgres "$PG_SOCKET"
  touch "$PG_LOG" && chown postgres:postgres "$PG_LOG"
  if [[ ! -s $PG_ROOT/password ]]; then
    (umask 077; openssl rand -hex 24 >"$PG_ROOT/password")
  fi
  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    log "creating the PostgreSQL cluster"
    mkdir -p "$PG_DATA"
    chown postgres:postgres "$PG_DATA"
    chmod 700 "$PG_DATA"
    # Local socket: peer (the postgres account administers); TCP: SCRAM passwords only.
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --encoding=UTF8 --locale=C \
      --auth-local=peer --auth-host=scram-sha-256 >"$PG_ROOT/initdb.log" 2>&1 \
      || { cat "$PG_ROOT/initdb.log" >&2; die "initdb failed"; }
  fi
}

postgres_running() {
  pg_paths
  [[ -n $PG_BIN && -d $PG_DATA ]] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

start_postgres() {
  ensure_postgres_cluster
  if postgres_running; then
    log "postgresql already running"
  else
    port_listening "$PORT_POSTGRES" && die "port $PORT_POSTGRES is already taken by another process"
    log "starting postgresql ($PORT_POSTGRES)"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
      -o "-c listen_addresses=$LISTEN_ADDR -p $PORT_POSTGRES -c unix_socket_directories=$PG_SOCKET" \
      start </dev/null >/dev/null 9>&- || { tail -n 20 "$PG_LOG" >&2; die "postgresql refused to start"; }
  fi
  local password
  password=$(cat "$PG_ROOT/password")
  # Role and database are (re)asserted on every start: idempotent and self-healing.
  as_postgres psql -X -q -h "$PG_SOCKET" -p "$PORT_POSTGRES" -d postgres -v ON_ERROR_STOP=1 -v pw="$password" <<'SQL' >/dev/null
SELECT 'CREATE ROLE mssante' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mssante')\gexec
ALTER ROLE mssante WITH LOGIN CREATEDB PASSWORD :'pw';
SELECT 'CREATE DATABASE mssante OWNER mssante' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'mssante')\gexec
SQL
}

stop_postgres() {
  pg_paths
  if postgres_running; then
    log "stopping postgresql"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null || warn "pg_ctl stop failed"
  fi
}
