#!/usr/bin/env bash
# The local MSSante operator: a private Dovecot, Postfix and PostgreSQL on 127.0.0.1, with a
# test PKI, the webmail's token-signing key and demo mailboxes. State lives in .state/.
#
#   deploy/stack.sh install   install the Debian packages that are missing (root)
#   deploy/stack.sh start     generate what is missing, start everything, seed demo mail
#   deploy/stack.sh stop      stop everything this script started
#   deploy/stack.sh status    show each service and run a quick self-check (non-zero if down)
#   deploy/stack.sh reset     stop, then delete .state/ (keys, mail, databases)
set -euo pipefail

# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
for part in install pki dovecot postfix postgres demo status; do
  # shellcheck disable=SC1090
  source "$DEPLOY_DIR/lib/$part.sh"
done

# One stack command at a time: several engineers and test runs share this machine.
take_lock() {
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  exec 9>"$STATE_DIR/.lock"
  flock -w 300 9 || die "another deploy/stack.sh command holds $STATE_DIR/.lock"
}

check_prerequisites() {
  local missing
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]} == 0)) || die "missing packages: ${missing[*]} (run: deploy/stack.sh install)"
}

render_maps() {
  dovecot_paths
  postfix_paths
  mkdir -p "$DOVECOT_DIR" "$POSTFIX_ETC"
  python3 "$DEPLOY_DIR/lib/render.py" maps --identities "$IDENTITIES" --state "$STATE_DIR" \
    --repo "$REPO_ROOT" --postfix-etc "$POSTFIX_ETC" --mail-root "$MAIL_ROOT" \
    --uid "$VMAIL_UID" --gid "$VMAIL_GID" | sed 's/^/[stack] /'
}

render_stack_json() {
  postfix_paths
  dovecot_paths
  python3 "$DEPLOY_DIR/lib/render.py" stack-json --identities "$IDENTITIES" --state "$STATE_DIR" \
    --repo "$REPO_ROOT" --postfix-etc "$POSTFIX_ETC" --mail-root "$MAIL_ROOT" \
    --issuer "$TOKEN_ISSUER" --audience "$TOKEN_AUDIENCE" --key-id "$TOKEN_KEY_ID"
  mkdir -p "$STATE_DIR/data"
}

cmd_start() {
  require_root
  check_prerequisites
  take_lock
  check_state_traversable
  local started=$SECONDS
  ensure_vmail_user
  ensure_pki
  ensure_token_key
  write_dovecot_conf
  render_maps
  start_postgres
  start_dovecot
  write_postfix_conf
  postfix_maps
  start_sender_acl
  start_postfix
  seed_demo_data
  apply_service_acls
  render_stack_json
  if [[ -x $DEPLOY_DIR/cards.sh ]] && "$DEPLOY_DIR/cards.sh" status >/dev/null 2>&1 9>&-; then
    log "test cards and card bridge already running"
  elif [[ -x $DEPLOY_DIR/cards.sh ]]; then
    log "starting the test cards (deploy/cards.sh start)"
    # Bounded: a card problem is reported but never blocks the mail operator.
    # Its output goes to a log: the builds it runs leave servers behind that would hold a
    # caller's pipe open long after this script ends.
    if timeout --kill-after=10 600 "$DEPLOY_DIR/cards.sh" start </dev/null >"$STATE_DIR/log/cards-start.log" 2>&1 9>&-; then
      grep '^\[cards\]' "$STATE_DIR/log/cards-start.log" | tail -n 3 || true
    else
      tail -n 15 "$STATE_DIR/log/cards-start.log" >&2 || true
      warn "deploy/cards.sh start failed; mail services are up (log: $STATE_DIR/log/cards-start.log)"
    fi
  fi
  log "operator stack up in $((SECONDS - started))s; contract in $STATE_DIR/stack.json"
  log "IMAP 127.0.0.1:$PORT_IMAP (STARTTLS) / $PORT_IMAPS (TLS), submission $PORT_SUBMISSION (STARTTLS) / $PORT_SUBMISSIONS (TLS), PostgreSQL $PORT_POSTGRES"
}

cmd_stop() {
  require_root
  take_lock
  if [[ -x $DEPLOY_DIR/cards.sh ]]; then
    timeout 60 "$DEPLOY_DIR/cards.sh" stop </dev/null 9>&- || warn "deploy/cards.sh stop failed"
  fi
  # stack.json announces a running stack: it goes first so no test trusts a half-stopped one.
  rm -f "$STATE_DIR/stack.json"
  stop_postfix
  stop_sender_acl
  stop_dovecot
  stop_postgres
  local p left=()
  for p in "${ALL_PORTS[@]}"; do
    wait_for_port_closed "$p" 10 || left+=("$p")
  done
  ((${#left[@]} == 0)) || die "ports still open after stop: ${left[*]}"
  log "operator stack stopped"
}

cmd_reset() {
  require_root
  cmd_stop
  log "deleting $STATE_DIR"
  rm -rf "${STATE_DIR:?}"
}

main() {
  case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    restart) cmd_stop; cmd_start ;;
    *)
      sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
      exit 2
      ;;
  esac
}

main "$@"
