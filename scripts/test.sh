#!/usr/bin/env bash
# Runs every test of the project, integration and browser tests included.
# Installs what is missing (Debian packages, NuGet packages), starts the local operator
# stack (Dovecot, Postfix, PostgreSQL, SoftHSM2 cards), runs the tests, stops what it
# started, and ends with one line "Tests: N passed, N failed, N skipped".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Outside .state/: the stack lifecycle test looks for processes whose command line names it.
results="$root/TestResults"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[test] %s\n' "$*"; }

stack_started=0
cleanup() {
  if [[ $stack_started == 1 ]]; then
    log "stopping the operator stack"
    deploy/stack.sh stop || log "warning: stack stop reported an error"
  fi
}
trap cleanup EXIT

log "installing what is missing"
deploy/stack.sh install

log "building"
dotnet build MSSanteWebmail.sln -c Release -nologo -clp:ErrorsOnly

log "starting the operator stack"
stack_started=1
deploy/stack.sh start

rm -rf "$results"
mkdir -p "$results"
status=0

run_tests() { # label, then dotnet test arguments
  local label=$1; shift
  log "running $label"
  dotnet test "$@" -c Release --no-build -nologo \
    --logger "trx;LogFilePrefix=$label" --results-directory "$results" || status=1
}

# Unit and component tests may run in parallel; the integration tests stop and restart
# Dovecot and Postfix, so they run alone, after the others.
unit_projects=()
for project in tests/*/*.csproj; do
  [[ $project == *IntegrationTests* ]] && continue
  unit_projects+=("$project")
done
for project in "${unit_projects[@]}"; do
  run_tests "$(basename "$project" .csproj)" "$project"
done
run_tests "MSSante.IntegrationTests" tests/MSSante.IntegrationTests/MSSante.IntegrationTests.csproj

python3 "$root/scripts/trx-summary.py" "$results" || status=1
exit $status
