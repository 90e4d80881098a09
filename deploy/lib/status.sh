# status: each service up/down, then a protocol-level self-check (sourced).

service_line() {
  local name=$1 state=$2 detail=$3
  printf '%-11s %-5s %s\n' "$name" "$state" "$detail"
}

ports_state() {
  local p out=() down=0
  for p in "$@"; do
    if port_listening "$p"; then out+=("$p:open"); else out+=("$p:closed"); down=1; fi
  done
  printf '%s' "${out[*]}"
  return $down
}

cmd_status() {
  local down=0 detail
  dovecot_paths
  postfix_paths
  pg_paths
  if dovecot_running && detail=$(ports_state "$PORT_IMAP" "$PORT_IMAPS" "$PORT_MANAGESIEVE"); then
    service_line dovecot up "$detail"
  else
    service_line dovecot down "$(ports_state "$PORT_IMAP" "$PORT_IMAPS" "$PORT_MANAGESIEVE" || true)"; down=1
  fi
  if postfix_running && detail=$(ports_state "$PORT_SMTP" "$PORT_SUBMISSION" "$PORT_SUBMISSIONS"); then
    service_line postfix up "$detail"
  else
    service_line postfix down "$(ports_state "$PORT_SMTP" "$PORT_SUBMISSION" "$PORT_SUBMISSIONS" || true)"; down=1
  fi
  sender_acl_paths
  if pid_alive "$SENDER_ACL_PID" && [[ -S $SENDER_ACL_SOCKET ]]; then
    service_line sender-acl up "$SENDER_ACL_SOCKET"
  else
    service_line sender-acl down "Postfix's sender map for service mailboxes"; down=1
  fi
  if [[ $EUID -eq 0 ]] && postgres_running && "$PG_BIN/pg_isready" -q -h "$LISTEN_ADDR" -p "$PORT_POSTGRES"; then
    service_line postgresql up "$PORT_POSTGRES:open"
  elif [[ $EUID -ne 0 ]] && "${PG_BIN:-/usr/bin}/pg_isready" -q -h "$LISTEN_ADDR" -p "$PORT_POSTGRES" 2>/dev/null; then
    service_line postgresql up "$PORT_POSTGRES:open"
  else
    service_line postgresql down "$(ports_state "$PORT_POSTGRES" || true)"; down=1
  fi
  if [[ -f $STATE_DIR/stack.json ]]; then
    service_line contract up "$STATE_DIR/stack.json"
  else
    service_line contract down "$STATE_DIR/stack.json missing (not started)"; down=1
  fi
  if ((down == 0)); then
    echo "self-check:"
    python3 "$DEPLOY_DIR/lib/selfcheck.py" "$STATE_DIR/stack.json" || down=1
  fi
  if [[ -x $DEPLOY_DIR/cards.sh ]]; then
    "$DEPLOY_DIR/cards.sh" status || true
  fi
  return $down
}
