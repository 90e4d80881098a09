#!/usr/bin/env bash
# Runs the MIME benchmark (BenchmarkDotNet, short job) and Python's email on the same files in
# the same run, then rewrites the "## MIME" section of docs/performance.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dotnet run -c Release --project bench/MSSante.Mime.Benchmarks/MSSante.Mime.Benchmarks.csproj
