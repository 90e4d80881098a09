#!/usr/bin/env bash
# IMAP benchmark (issue 4): MSSante.Mail against Python's imaplib on an open IMAPS connection,
# the same commands interleaved in the same run, on charge.test@medecin.mssante.fr (10,000
# messages in INBOX), then memory per idle authenticated connection. Needs the operator stack
# running (deploy/stack.sh start). Prints a markdown report on stdout (progress on stderr).
# Options are passed through: --reps N (default 7), --connections N (default 50, see Program.cs), --word W.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dotnet build bench/MSSante.Mail.Benchmarks -c Release -nologo -clp:ErrorsOnly >&2
exec dotnet bench/MSSante.Mail.Benchmarks/bin/Release/net10.0/MSSante.Mail.Benchmarks.dll "$@"
