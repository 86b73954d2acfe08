#!/usr/bin/env bash
# Issue 6 acceptance on ../shared: PETRARCH2's own unit-test records, coded
# with their validation dictionaries by our tokenizer, tagger, parser and
# PETRARCH-compatible coder (the records' parse trees are not used).
# Target: >= 60% of the records PETRARCH2 is compared on coded exactly, and
# no record failing. Exits non-zero below target.
set -euo pipefail
cd "$(dirname "$0")/.."
ANNALIST=${ANNALIST:-target/release/annalist}
if [ ! -x "$ANNALIST" ]; then
    cargo build --release -p annalist-cli
fi
records=../shared/data/petrarch2/PETR.UnitTest.records.xml

out=$("$ANNALIST" eval petrarch "$records" --min-exact 0.60) || status=$?
echo "$out"
if [ "${status:-0}" -ne 0 ]; then
    echo "MISS issue 6: PETRARCH unit-test records coded exactly below 60%"
    exit 1
fi
if ! grep -q '^records with errors: 0$' <<<"$out"; then
    echo "MISS issue 6: some records could not be coded"
    exit 1
fi
echo "ok   issue 6: PETRARCH unit-test records >= 60% coded exactly, no record failing"
