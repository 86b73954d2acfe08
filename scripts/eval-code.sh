#!/usr/bin/env bash
# Issue 2 acceptance on ../shared: the seed's metadata, and one record per
# article of the Tehran Times corpus with no panic.
set -euo pipefail
cd "$(dirname "$0")/.."
ANNALIST=${ANNALIST:-target/release/annalist}
shared=../shared

"$ANNALIST" code "$shared/gold/seed.txt" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
assert r["schema"] == "annalist.record/1", r["schema"]
assert r["meta"]["dateline"]["text"] == "TEHRAN", r["meta"]["dateline"]
assert r["meta"]["license"] == "CC BY 4.0", r["meta"]["license"]
# Code-point offsets: the dateline span slices the text by characters.
d = r["meta"]["dateline"]
assert r["text"][d["start"]:d["end"]] == "TEHRAN"
for e in r["entities"]:
    assert r["text"][e["start"]:e["end"]] == e["text"], e
print("seed: dateline TEHRAN, licence CC BY 4.0, offsets are code points")
'

start=$(date +%s.%N)
status=0
"$ANNALIST" code --threads 2 --quiet "$shared/data/news/tehrantimes/articles.jsonl.gz" > /tmp/annalist-tt.jsonl || status=$?
end=$(date +%s.%N)
n=$(wc -l < /tmp/annalist-tt.jsonl)
# One record per input line: the expected count follows the input, never a constant.
expected=$(gzip -dc "$shared/data/news/tehrantimes/articles.jsonl.gz" | grep -c .)
errors=$(grep -c '"error":{' /tmp/annalist-tt.jsonl || true)
echo "tehrantimes: $n records, $errors error records, exit $status, $(echo "$end - $start" | bc) s"
[ "$n" -eq "$expected" ] || { echo "expected $expected records (one per input line), got $n"; exit 1; }
[ "$status" -le 1 ] || { echo "annalist code failed (exit $status)"; exit 1; }
