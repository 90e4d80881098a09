#!/usr/bin/env bash
# Webmail benchmark (issue 6, performance (a)-(d)) on charge.test@medecin.mssante.fr (10,000
# messages in INBOX) against Python's imaplib on an open IMAPS connection, in the same run:
# (a) first 50 rows, (b) opening a 100 KB HTML message (both in process, the webmail's own
# MailSession and MessageHtmlRenderer), (c) clicks in Chromium, (d) memory per idle user with 50
# signed-in browser contexts. Needs the operator stack (deploy/stack.sh start) and Debian's
# chromium. Prints a markdown report on stdout (progress on stderr).
# Options: --reps N (default 7), --warmups N (for (a), default 10), --users N (default 50),
# --only server|profile|browser|idle (idle: (d) alone), --heap-report FILE (with (d): heap
# snapshots before and after the users, growth per user by type and by retained size), --idle SECONDS
# (how long the (d) users stay idle before the measure, default 15). BENCH_TRACE=1 in the environment
# prints a timeline of each measured click of (c) on stderr (SignalR frame sizes and times, message
# frame inserted and loaded).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dotnet build src/MSSante.Webmail -c Release -nologo -clp:ErrorsOnly >&2
dotnet build bench/MSSante.Webmail.Benchmarks -c Release -nologo -clp:ErrorsOnly >&2
exec dotnet bench/MSSante.Webmail.Benchmarks/bin/Release/net10.0/MSSante.Webmail.Benchmarks.dll "$@"
