#!/usr/bin/env bash
# The demo's CPS cards: a test PKI named after IGC-Santé's (marked TEST), one SoftHSM2 token
# per demo practitioner (PIN 1234) plus refusal variants (expired, not yet valid, revoked,
# other issuer, self-signed, wrong key usage), and the card bridge on 127.0.0.1:17771.
# Called by deploy/stack.sh start|stop; runs standalone too.
#
#   deploy/cards.sh install   install softhsm2 and opensc if missing (root)
#   deploy/cards.sh start     create the cards if missing or stale, write .state/cards.json and
#                             .state/settings/cardlogin.json, start the bridge
#   deploy/cards.sh renew     create every card and the PKI again, then start the bridge
#   deploy/cards.sh stop      stop the bridge started here
#   deploy/cards.sh status    say whether the bridge answers
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${MSSANTE_STATE_DIR:-$REPO_ROOT/.state}"
MODULE="${MSSANTE_PKCS11_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
BRIDGE_PORT="${MSSANTE_BRIDGE_PORT:-17771}"
WEBMAIL_PORT="${MSSANTE_DEMO_PORT:-5080}"
ORIGINS="${MSSANTE_WEBMAIL_ORIGINS:-http://127.0.0.1:$WEBMAIL_PORT,http://localhost:$WEBMAIL_PORT}"
BRIDGE_DIR="$STATE_DIR/bridge"
PID_FILE="$STATE_DIR/run/card-bridge.pid"
LOG_FILE="$STATE_DIR/log/card-bridge.log"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[cards] %s\n' "$*"; }
die() { printf '[cards] ERROR: %s\n' "$*" >&2; exit 1; }

cmd_install() {
  local missing=()
  [[ -e /usr/lib/softhsm/libsofthsm2.so ]] || missing+=(softhsm2)
  command -v pkcs11-tool >/dev/null || missing+=(opensc)
  ((${#missing[@]} == 0)) && { log "softhsm2 and opensc present"; return 0; }
  [[ $EUID -eq 0 ]] || die "installing ${missing[*]} needs root"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
}

bridge_running() {
  [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

cmd_stop() {
  if bridge_running; then
    local pid
    pid="$(cat "$PID_FILE")"
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "card bridge stopped"
  fi
  rm -f "$PID_FILE"
}

cmd_start() {
  [[ -e $MODULE ]] || die "PKCS#11 module $MODULE missing (run: deploy/cards.sh install)"
  command -v pkcs11-tool >/dev/null || die "pkcs11-tool missing (run: deploy/cards.sh install)"
  mkdir -p "$STATE_DIR/run" "$STATE_DIR/log" "$STATE_DIR/settings"
  exec 8>"$STATE_DIR/.cards.lock"
  flock -w 300 8 || die "another deploy/cards.sh holds $STATE_DIR/.cards.lock"
  cmd_stop

  log "building the test PKI tool and the card bridge"
  dotnet publish "$REPO_ROOT/deploy/cards/TestPki/TestPki.csproj" -c Release -o "$STATE_DIR/build/testpki" -nologo -clp:ErrorsOnly >/dev/null
  dotnet publish "$REPO_ROOT/src/MSSante.CardBridge/MSSante.CardBridge.csproj" -c Release -o "$BRIDGE_DIR" -nologo -clp:ErrorsOnly >/dev/null

  # Cards are kept across starts (tests and demos running elsewhere hold them); they are made
  # again when asked, when missing, or when older than 20 days (the CRLs last 30).
  if [[ ${RENEW:-0} == 1 || ! -f $STATE_DIR/cards.json || ! -f $STATE_DIR/settings/cardlogin.json \
        || ! -d $STATE_DIR/softhsm/tokens || -n $(find "$STATE_DIR/cards.json" -mtime +20 2>/dev/null) ]]; then
    log "creating the test PKI and the SoftHSM2 cards"
    dotnet "$STATE_DIR/build/testpki/mssante-testpki.dll" --state "$STATE_DIR" \
      --identities "$REPO_ROOT/deploy/demo/identities.json" --module "$MODULE" \
      --origins "$ORIGINS" --bridge-url "http://127.0.0.1:$BRIDGE_PORT"
  else
    log "test cards already present ($STATE_DIR/cards.json); 'deploy/cards.sh renew' makes them again"
  fi

  log "starting the card bridge on 127.0.0.1:$BRIDGE_PORT (origins: $ORIGINS)"
  local i=0 origin
  local env_args=(SOFTHSM2_CONF="$STATE_DIR/softhsm/softhsm2.conf" CardBridge__ModulePath="$MODULE" CardBridge__Port="$BRIDGE_PORT" CardBridge__RescanByReinitialize=true)
  IFS=',' read -ra origin_list <<<"$ORIGINS"
  for origin in "${origin_list[@]}"; do
    env_args+=("CardBridge__AllowedOrigins__$i=$origin")
    i=$((i + 1))
  done
  # 8>&-: the bridge must not inherit the start lock, or every later start waits for it.
  env "${env_args[@]}" setsid dotnet "$BRIDGE_DIR/mssante-card-bridge.dll" >"$LOG_FILE" 2>&1 </dev/null 8>&- &
  echo $! >"$PID_FILE"
  for _ in $(seq 100); do
    if curl -fsS -H "Origin: ${origin_list[0]}" "http://127.0.0.1:$BRIDGE_PORT/v1/status" >/dev/null 2>&1; then
      log "card bridge up (pid $(cat "$PID_FILE")); demo PIN 1234; cards in $STATE_DIR/cards.json"
      return 0
    fi
    bridge_running || die "card bridge exited; see $LOG_FILE"
    sleep 0.2
  done
  die "card bridge did not answer on 127.0.0.1:$BRIDGE_PORT; see $LOG_FILE"
}

cmd_status() {
  if bridge_running; then
    log "card bridge running (pid $(cat "$PID_FILE")) on 127.0.0.1:$BRIDGE_PORT"
  else
    log "card bridge not running"
    return 1
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  renew) RENEW=1 cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 install|start|renew|stop|status" >&2; exit 2 ;;
esac
