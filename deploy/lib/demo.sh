# Demo mailboxes and seeded mail (sourced by deploy/stack.sh).

SEED_VERSION=1

seed_demo_data() {
  dovecot_paths
  local marker=$MAIL_ROOT/.seeded-v$SEED_VERSION
  if [[ -f $marker ]]; then
    log "demo mail already seeded ($marker)"
    return 0
  fi
  log "seeding demo mail"
  local t0=$SECONDS
  python3 "$DEPLOY_DIR/demo/seed_demo.py" --identities "$IDENTITIES" --mail-root "$MAIL_ROOT" \
    --uid "$VMAIL_UID" --gid "$VMAIL_GID" | sed 's/^/[stack] /'
  # Dovecot learns about mail written straight into Maildir by rebuilding its indexes.
  local address
  while read -r address; do
    doveadm_ force-resync -u "$address" '*'
  done < <(python3 -c 'import json,sys; [print(u["address"]) for u in json.load(open(sys.argv[1]))["users"]]' "$IDENTITIES")
  touch "$marker"
  log "demo mail seeded in $((SECONDS - t0))s"
}
