#!/usr/bin/env bash
# Browser tests of the web UI (issues 9 and 19): builds a store from the
# Tehran Times articles plus our XSS fixture, starts `annalist serve` on a
# free loopback port, and runs the Playwright tests (playwright-core driving
# Debian's chromium) in web/tests/. Screenshots and the time-to-interactive
# medians (time-to-interactive.json) go to target/ui-screenshots/.
#
# Environment:
#   ANNALIST          the binary (default: build target/release/annalist)
#   ANNALIST_UI_DOCS  how many corpus documents to ingest (default 0: all of
#                     them, about 33,600, 9 to 14 minutes on 2 cores; 3000
#                     takes about 20 s)
#   ANNALIST_UI_DB    use this existing store instead (the XSS fixture is added)
#   SHARED            the shared data folder (default ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
shared=${SHARED:-../shared}
corpus=$shared/data/news/tehrantimes/articles.jsonl.gz
seed=$shared/gold/seed.txt
docs=${ANNALIST_UI_DOCS:-0}
work=target/ui-test
shots=target/ui-screenshots
mkdir -p "$work" "$shots"

if [ ! -f "$corpus" ] || [ ! -f "$seed" ]; then
  echo "test-ui: $corpus or $seed is absent: skipping the browser tests"
  exit 0
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d web/node_modules/playwright-core ]; then
  echo "== npm ci (web/)"
  (cd web && npm ci --no-audit --no-fund)
fi

if [ -z "${ANNALIST:-}" ]; then
  echo "== building the release binary"
  cargo build --release -p annalist-cli
  ANNALIST=target/release/annalist
fi
# Cargo may have been told to build elsewhere; find the binary it made.
if [ ! -x "$ANNALIST" ] && [ -n "${CARGO_TARGET_DIR:-}" ]; then
  ANNALIST=$CARGO_TARGET_DIR/release/annalist
fi

if [ -n "${ANNALIST_UI_DB:-}" ]; then
  db=$ANNALIST_UI_DB
else
  db=$work/ui-$docs.db
  rm -f "$db" "$db-wal" "$db-shm"
  echo "== ingesting $([ "$docs" = 0 ] && echo all || echo "$docs") Tehran Times documents into $db"
  start=$(date +%s)
  if [ "$docs" = 0 ]; then
    "$ANNALIST" ingest --db "$db" --quiet -j 2 "$corpus"
  else
    # head closes the pipe early: zcat's SIGPIPE is expected.
    { zcat "$corpus" || true; } | head -n "$docs" | "$ANNALIST" ingest --db "$db" --quiet -j 2 --format jsonl -
  fi
  echo "ingest took $(( $(date +%s) - start )) s"
fi
"$ANNALIST" ingest --db "$db" --quiet web/tests/fixtures/xss.jsonl

token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
log=$work/serve.log
ANNALIST_UI_TOKEN=$token "$ANNALIST" serve --db "$db" --addr 127.0.0.1:0 \
  --write-token-env ANNALIST_UI_TOKEN >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
url=
for _ in $(seq 1 300); do
  url=$(sed -n 's/^annalist serve: listening on \(http:[^ ]*\)$/\1/p' "$log" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "test-ui: the server exited:"; cat "$log"; exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "test-ui: the server did not start in 30 s:"; cat "$log"; exit 1
fi
echo "== browser tests against $url (store $db)"
status=0
# The seed's path is resolved here: inside `web/` the relative path is wrong.
seed_path=$(realpath "$seed")
# The binary and the store, to compare the UI's downloads with `annalist query`.
bin_path=$(realpath "$ANNALIST")
db_path=$(realpath "$db")
(cd web && ANNALIST_URL=$url SCREENSHOTS=$root/$shots SEED=$seed_path \
  ANNALIST=$bin_path ANNALIST_DB=$db_path \
  node --test --test-concurrency=1 tests/) || status=$?
echo "screenshots: $shots/"
exit $status
