# install: Debian packages, only when something is missing (sourced by deploy/stack.sh).

# Fonts are named because packages are installed without recommends: Chromium renders the
# browser tests' pages (and their screenshots) with them.
REQUIRED_PACKAGES=(postfix dovecot-imapd dovecot-lmtpd dovecot-sieve dovecot-managesieved
  softhsm2 opensc postgresql chromium fonts-liberation fonts-dejavu-core swaks python3 openssl)
SYSTEM_SERVICES=(dovecot postfix postgresql)

missing_packages() {
  local p
  for p in "${REQUIRED_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s\n' "$p"
  done
}

cmd_install() {
  require_root
  local missing
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    log "all packages present"
  else
    log "installing: ${missing[*]}"
    # Keep apt from starting the system-wide daemons at all: the stack runs private instances
    # on its own ports. policy-rc.d is the Debian mechanism for that; removed afterwards.
    local policy=/usr/sbin/policy-rc.d created_policy=no
    if [[ ! -e $policy ]]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && created_policy=yes
    fi
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    export DEBIAN_FRONTEND=noninteractive
    if [[ ! -d /var/lib/apt/lists ]] || [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit) ]]; then
      apt-get -o DPkg::Lock::Timeout=600 update -q
    fi
    if ! apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"; then
      # A stale package index is the usual cause on a fresh machine: refresh once and retry.
      apt-get -o DPkg::Lock::Timeout=600 update -q
      apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
    fi
    [[ $created_policy == yes ]] && rm -f "$policy"
  fi
  stop_system_services
  ensure_vmail_user
}

system_daemon_running() {
  case $1 in
    dovecot) pid_alive /run/dovecot/master.pid ;;
    postfix) pid_alive /var/spool/postfix/pid/master.pid ;;
    *) return 1 ;; # postgresql: handled per cluster below
  esac
}

# Debian may have started (or may start at boot) its own dovecot/postfix/postgresql on the
# standard ports; the private stack does not need them, so they are stopped and disabled.
stop_system_services() {
  local s
  for s in "${SYSTEM_SERVICES[@]}"; do
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
      if systemctl is-active --quiet "$s" 2>/dev/null || systemctl is-enabled --quiet "$s" 2>/dev/null; then
        log "stopping and disabling system service $s"
        systemctl disable --now "$s" >/dev/null 2>&1 || true
      fi
    elif [[ -x /etc/init.d/$s ]] && system_daemon_running "$s"; then
      # Without systemd, only the system instance's own pid file counts: Debian's init
      # scripts find processes by name and would mistake this stack's private daemons.
      log "stopping system service $s"
      /etc/init.d/"$s" stop >/dev/null 2>&1 || true
    fi
  done
  if command -v pg_lsclusters >/dev/null; then
    local ver cluster status
    while read -r ver cluster _ status _; do
      [[ $status == online ]] && { log "stopping system PostgreSQL cluster $ver/$cluster"; pg_ctlcluster "$ver" "$cluster" stop || true; }
    done < <(pg_lsclusters -h 2>/dev/null)
  fi
  return 0
}
