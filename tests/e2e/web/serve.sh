#!/bin/sh
# Started by playwright.config.ts (webServer): a fresh demo database in a temp dir, then the
# HTTP server. Usage: serve.sh [PORT [serve options…]] (default port 18080).
# GATEHOUSE_BIN overrides the binary (default: target/debug).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin="${GATEHOUSE_BIN:-$root/target/debug/gatehouse}"
port="${1:-18080}"
[ $# -gt 0 ] && shift
tmp=$(mktemp -d)
db="$tmp/e2e.db"
# GATEHOUSE_E2E_STARTING shifts the demo days (YYYY-MM-DD of day 1; default today).
"$bin" --db "$db" demo --starting "${GATEHOUSE_E2E_STARTING:-today}"
# Tests that drive the CLI on the same database (tokens, revocations…) find its path here.
printf '%s\n' "$db" > "${TMPDIR:-/tmp}/gatehouse-e2e-$port.db-path"
"$bin" --db "$db" serve --listen "127.0.0.1:$port" "$@" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
wait "$pid"
