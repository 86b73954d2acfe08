#!/usr/bin/env bash
# Issue 3 acceptance on ../shared: the built-in tagger and parser on UD English
# EWT test with gold tokenization (punctuation included, as the CoNLL 2018
# scorer counts): UPOS >= 95.5, UAS >= 87.0, LAS >= 84.0.
# Exits non-zero when any score is below its target.
set -euo pipefail
cd "$(dirname "$0")/.."
ANNALIST=${ANNALIST:-target/release/annalist}
test_file=../shared/data/ud/en_ewt/en_ewt-ud-test.conllu

"$ANNALIST" eval ud "$test_file"
"$ANNALIST" eval ud --json "$test_file" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
targets = {"upos": 95.5, "uas": 87.0, "las": 84.0}
failed = [f"{k} {r[k]:.2f} < {t}" for k, t in targets.items() if r[k] < t]
if failed:
    print("below target: " + ", ".join(failed))
    sys.exit(1)
print("EWT test: all targets met")
'
