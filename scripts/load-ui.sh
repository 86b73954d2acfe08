#!/usr/bin/env bash
# Load test of `annalist serve` (issue 9): 50 clients on keep-alive
# connections for 30 s against the event search endpoint, on loopback only,
# twice: as started by default (answers reused for 5 s) and with the answer
# cache off (every request runs its queries). Prints requests, errors and
# p50/p90/p99 latency; exits non-zero on any error. The per-client rate limit
# is turned off for the runs: all clients share one address, so the limit
# would refuse most of them by design.
#
# Environment:
#   ANNALIST        the binary (default: build target/release/annalist)
#   ANNALIST_UI_DB  the store to serve (default: target/ui-test/ui-N.db as
#                   built by scripts/test-ui.sh, N = ANNALIST_UI_DOCS, default
#                   0: the whole corpus)
#   CLIENTS, LOAD_SECONDS  (default 50 and 30)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${ANNALIST_UI_DB:-target/ui-test/ui-${ANNALIST_UI_DOCS:-0}.db}
clients=${CLIENTS:-50}
seconds=${LOAD_SECONDS:-30}
if [ ! -f "$db" ]; then
  echo "load-ui: $db is absent; hint: run scripts/test-ui.sh first, or set ANNALIST_UI_DB"
  exit 2
fi
if [ -z "${ANNALIST:-}" ]; then
  cargo build --release -p annalist-cli
  ANNALIST=${CARGO_TARGET_DIR:-target}/release/annalist
fi
cargo build --release -p annalist-server --example load
load=${CARGO_TARGET_DIR:-target}/release/examples/load

# Searches of varied selectivity: full text, filters, and both together.
paths=(
  '/api/events?text=iran&limit=20'
  '/api/events?text=oil+exports&limit=20'
  '/api/events?text=nuclear&actor_country=IRN&limit=20'
  '/api/events?actor_country=IRN&target_country=USA&limit=20'
  '/api/events?type=CONSULT&limit=20&offset=40'
  '/api/events?text=Dushanbe&limit=20'
  '/api/events?place_country=SYR&unit=reports&limit=20'
  '/api/events?text=football&limit=20'
)

log=$(mktemp)
server=
stop() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  server=
}
trap 'stop; rm -f "$log"' EXIT

# One run: start the server with the given options, load it, stop it.
status=0
run() {
  "$ANNALIST" serve --db "$db" --addr 127.0.0.1:0 --rate-limit 0 "$@" >"$log" 2>&1 &
  server=$!
  addr=
  for _ in $(seq 1 300); do
    addr=$(sed -n 's|^annalist serve: listening on http://\([^/]*\)/$|\1|p' "$log" | head -n 1)
    [ -n "$addr" ] && break
    sleep 0.1
  done
  [ -n "$addr" ] || { echo "load-ui: the server did not start:"; cat "$log"; exit 1; }
  "$load" "$addr" "$clients" "$seconds" "${paths[@]}" || status=1
  stop
}

echo "== $clients clients for $seconds s, answer cache on (the default), store $db"
run
echo "== $clients clients for $seconds s, answer cache off (--cache-seconds 0), store $db"
run --cache-seconds 0
exit $status
