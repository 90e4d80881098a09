#!/usr/bin/env bash
# Sets up and runs the whole thing on one machine: installs what is missing, starts the
# local MSSanté operator (Dovecot, Postfix, PostgreSQL), creates the demo cards (SoftHSM2)
# and the card bridge, seeds the demo mailboxes, then runs the webmail in the foreground
# on http://127.0.0.1:5080 until Ctrl+C. Fictitious people and data only.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
port="${MSSANTE_DEMO_PORT:-5080}"

log() { printf '[demo] %s\n' "$*"; }

log "installing what is missing"
deploy/stack.sh install
log "starting the operator stack and seeding the demo mailboxes"
deploy/stack.sh start

log "publishing the webmail"
dotnet publish src/MSSante.Webmail/MSSante.Webmail.csproj -c Release -o "$root/.state/webmail" -nologo -clp:ErrorsOnly

cat <<TXT

  Webmail MSSanté (démonstration) : http://127.0.0.1:$port
    Connexion par carte CPS : http://127.0.0.1:$port/connexion  (pont carte sur 127.0.0.1:17771)
    Messagerie              : http://127.0.0.1:$port/courrier
    Connexion de démonstration sans carte (environnement de démonstration uniquement) :
                              http://127.0.0.1:$port/demo/connexion

  Cartes de démonstration (SoftHSM2), code PIN : 1234
    Dr Jeanne MARTIN   médecin généraliste   jeanne.martin@medecin.mssante.fr
    Dr Paul DURAND     pneumologue, CH Demo   paul.durand@ch-demo.mssante.fr
    Sophie BERNARD     secrétaire médicale    sophie.bernard@ch-demo.mssante.fr (déléguée de pneumologie@)
    Claire LEROY       pharmacienne           claire.leroy@pharmacien.mssante.fr
  À essayer : lire le compte rendu d'hospitalisation et son PDF, le résultat HPRIM
  (valeurs anormales), répondre à un confrère, écrire à une adresse gmail.com (refusée :
  hors espace de confiance), la boîte de service pneumologie@ vue par la secrétaire.
  Arrêt : Ctrl+C, puis  deploy/stack.sh stop

TXT

export ASPNETCORE_ENVIRONMENT=Demo
export MSSANTE_SETTINGS_DIR="$root/.state/settings"
cd "$root/.state/webmail"
exec dotnet MSSante.Webmail.dll --urls "http://127.0.0.1:$port"
