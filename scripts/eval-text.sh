#!/usr/bin/env bash
# Issue 3 acceptance on ../shared: sentence-boundary F1 of our tokenizer and
# sentence splitter on UD English EWT test and on the GUM news test documents
# (raw text rebuilt the CoNLL 2018 way), with token F1 alongside, and the
# throughput of tokenizing and splitting the Tehran Times corpus on one core.
# Exits non-zero when a sentence F1 is below MIN (default 0.97) or the speed
# is below 2 million tokens per second. The splitter includes the trained
# boundary model (retrain it with scripts/train-sentences.sh); run
# `eval_boundaries --rules FILE` to score the rules alone.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
MIN=${MIN:-0.97}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --quiet --release -p annalist-text --examples
bin=$CARGO_TARGET_DIR/release/examples

# The GUM news documents of the test split, as listed in its splits.md.
gum_news_test=$(sed -n '/^## test$/,/^## /p' "$shared/data/gum/splits.md" \
    | grep -o 'GUM_news_[a-z0-9_]*' | sed "s|^|$shared/data/gum/dep/|; s|$|.conllu|")

status=0
echo "== UD English EWT test"
"$bin/eval_boundaries" --min "$MIN" "$shared/data/ud/en_ewt/en_ewt-ud-test.conllu" || status=1
echo "== GUM news test ($(echo $gum_news_test | wc -w) documents)"
# shellcheck disable=SC2086
"$bin/eval_boundaries" --min "$MIN" $gum_news_test || status=1

echo "== throughput (Tehran Times)"
out=$("$bin/bench_text" "$shared/data/news/tehrantimes/articles.jsonl.gz")
echo "$out"
speed=$(echo "$out" | sed -n 's/.*: \([0-9.]*\) M tokens\/s.*/\1/p')
if ! awk -v s="$speed" 'BEGIN { exit !(s >= 2.0) }'; then
    echo "throughput ${speed}M tokens/s is below 2M tokens/s"
    status=1
fi
exit $status
