#!/usr/bin/env bash
# Regenerates the built-in knowledge (crates/annalist-kb/data/*.kb) from the open data
# in ../shared/data, then checks that the result is deterministic (a second build gives
# the same bytes) and that every file stays under the 20 MB limit.
set -euo pipefail
cd "$(dirname "$0")/.."
ANNALIST=${ANNALIST:-target/release/annalist}
DATA=${DATA:-../shared/data}
out=crates/annalist-kb/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$ANNALIST" kb build --data "$DATA" --out "$out"
"$ANNALIST" kb build --data "$DATA" --out "$tmp" 2>/dev/null
for f in countries.kb gazetteer.kb people.kb; do
    cmp "$out/$f" "$tmp/$f" || { echo "$f: a second build differs (not deterministic)"; exit 1; }
    size=$(stat -c %s "$out/$f")
    if [ "$size" -ge 20000000 ]; then
        echo "$f: $size bytes, over the 20 MB limit"
        exit 1
    fi
done
echo "knowledge files rebuilt; rebuild the binary (cargo build --release) to embed them"
