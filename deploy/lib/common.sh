# Shared settings and helpers for deploy/stack.sh (sourced, not executed).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEPLOY_DIR="$REPO_ROOT/deploy"
STATE_DIR="${MSSANTE_STATE_DIR:-$REPO_ROOT/.state}"
IDENTITIES="$DEPLOY_DIR/demo/identities.json"

LISTEN_ADDR=127.0.0.1
PORT_IMAP=10143
PORT_IMAPS=10993
PORT_SMTP=10025
PORT_SUBMISSION=10587
PORT_SUBMISSIONS=10465
PORT_MANAGESIEVE=14190
PORT_POSTGRES=15432
ALL_PORTS=("$PORT_IMAP" "$PORT_IMAPS" "$PORT_SMTP" "$PORT_SUBMISSION" "$PORT_SUBMISSIONS" "$PORT_MANAGESIEVE" "$PORT_POSTGRES")

# The system account that owns every mailbox of the private Dovecot (created by install/start).
VMAIL_USER=mssvmail

TOKEN_ISSUER="urn:mssante-webmail:local"
TOKEN_AUDIENCE="mssante-webmail"

PG_BIN=""
for v in 17 16 15; do
  if [[ -x /usr/lib/postgresql/$v/bin/pg_ctl ]]; then PG_BIN=/usr/lib/postgresql/$v/bin; break; fi
done

log()  { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die()  { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

require_root() {
  [[ $EUID -eq 0 ]] || die "this command needs root (Postfix and the mail account need it); see deploy/README.md for a normal user"
}

# port_listening PORT -> 0 when something listens on 127.0.0.1:PORT.
port_listening() {
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# wait_for_port PORT SECONDS NAME
wait_for_port() {
  local port=$1 seconds=$2 name=$3 i
  for ((i = 0; i < seconds * 10; i++)); do
    port_listening "$port" && return 0
    sleep 0.1
  done
  die "$name did not open port $port within ${seconds}s (see $STATE_DIR/log/)"
}

# wait_for_port_closed PORT SECONDS
wait_for_port_closed() {
  local port=$1 seconds=$2 i
  for ((i = 0; i < seconds * 10; i++)); do
    port_listening "$port" || return 0
    sleep 0.1
  done
  return 1
}

# pid_alive PIDFILE -> 0 when the process named in PIDFILE runs.
pid_alive() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(head -n1 "$1" | tr -d ' ')
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null
}

ensure_vmail_user() {
  if ! getent passwd "$VMAIL_USER" >/dev/null; then
    log "creating system account $VMAIL_USER (owner of the private mail store)"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$VMAIL_USER"
  fi
  VMAIL_UID=$(id -u "$VMAIL_USER")
  VMAIL_GID=$(id -g "$VMAIL_USER")
}

# Every directory from / to the state directory must be traversable by the service accounts
# (postgres, postfix, dovecot, mssvmail), which never get write access above .state.
check_state_traversable() {
  local d=$STATE_DIR
  while [[ $d != / ]]; do
    d=$(dirname "$d")
    if [[ -d $d ]] && ! runuser -u nobody -- test -x "$d" 2>/dev/null; then
      die "$d is not traversable by service accounts (chmod o+x it or set MSSANTE_STATE_DIR)"
    fi
  done
}
