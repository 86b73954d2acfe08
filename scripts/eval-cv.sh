#!/usr/bin/env bash
# Issues 16 and 17 acceptance on ../shared: the learned event coder and the
# actors (whose country ranker is cross-fitted the same way), cross-validated
# over the annotated corpus (../shared/gold/train and our stand-off corpus in
# corpus/events, 5 folds by article), with a learning curve, scored by the
# reference scorer. Also the corpus itself: size, events per type, agreement.
set -euo pipefail
cd "$(dirname "$0")/.."
ANNALIST=${ANNALIST:-target/release/annalist}
shared=../shared
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 scripts/corpus.py stats | tee "$tmp/stats.txt"
python3 scripts/corpus.py agreement | tee "$tmp/agreement.json"
python3 scripts/corpus.py gold "$tmp/gold" > /dev/null

"$ANNALIST" eval events --cv 5 --curve --sentences --records "$tmp/cv.jsonl" | grep -E "cross-validation|^events|^modality|^location|^sides|^annotated event words|sentences coded alone"
# The lexicon rules alone, on the same articles: what the learned coder must beat.
# Every rule event is kept whatever the trigger model scores, so one model
# (--average 1) is enough.
"$ANNALIST" eval events --cv 5 --average 1 --rule-margin=-1000 --event-margin=1000000 --records "$tmp/rules.jsonl" > /dev/null
ref=$(python3 "$shared/tools/score.py" news "$shared/gold/train" "$tmp/gold" --system "$tmp/cv.jsonl" --all-events --brief)
rules=$(python3 "$shared/tools/score.py" news "$shared/gold/train" "$tmp/gold" --system "$tmp/rules.jsonl" --all-events --brief)
# The same records scored over the events annotators marked required only,
# as hand-coded news (the development gold) is scored: spurious events cost
# more here, missed optional events nothing.
required=$(python3 "$shared/tools/score.py" news "$shared/gold/train" "$tmp/gold" --system "$tmp/cv.jsonl" --brief)
actors=$(python3 "$shared/tools/score.py" actors "$shared/gold/train" "$tmp/gold" --system "$tmp/cv.jsonl")
echo "reference scorer, cross-validated learned coder: $ref"
echo "reference scorer, lexicon rules alone:           $rules"
echo "reference scorer, cross-validated, required events only: $required"
echo "reference scorer, actors of the cross-validated records: $actors"

python3 - "$ref" "$tmp/stats.txt" "$actors" <<'PY'
import json, re, sys
r = json.loads(sys.argv[1])
stats = open(sys.argv[2]).read()
a = json.loads(sys.argv[3])
articles = int(re.search(r"= (\d+);", stats).group(1))
per_type = [int(x) for x in re.findall(r"^\s+[A-Z]+\s+(\d+)$", stats, re.M)]
checks = [
    ("issue 16: corpus >= 1,400 articles", articles, 1400),
    ("issue 16: >= 100 events of every type", min(per_type), 100),
    ("issue 16: cross-validated event F1 >= 0.60", r["f1"], 0.60),
    ("issue 16: location on matched events >= 0.80", r["location_acc161"] or 0, 0.80),
    ("issue 16: modality on matched events >= 0.90", r["modality_acc"] or 0, 0.90),
    ("issue 17: cross-validated actor country >= 0.90", a["country_acc"], 0.90),
    ("issue 17: cross-validated actor sector >= 0.75", a["sector_acc"] or 0, 0.75),
]
failed = 0
for name, value, target in checks:
    ok = value >= target
    failed += not ok
    print(f"{'ok  ' if ok else 'MISS'} {name}: {value}")
sys.exit(1 if failed else 0)
PY
