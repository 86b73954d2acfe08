#!/usr/bin/env bash
# Trains the sentence boundary model compiled into annalist-text
# (crates/annalist-text/models/sentences.bin) on UD English EWT train and the
# GUM train documents in ../shared, reporting sentence F1 on EWT dev, GUM dev
# and the GUM news dev documents. Test data is never read here.
# Usage: scripts/train-sentences.sh [EPOCHS] (default 6); THRESHOLD=x sets the decision
# threshold stored in the model (default 1, the best on EWT dev).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
epochs=${1:-6}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
export THRESHOLD=${THRESHOLD:-1}
cargo build --quiet --release -p annalist-text --examples
bin=$CARGO_TARGET_DIR/release/examples

# The GUM documents of one split, as listed in splits.md, that are present
# (only the genres with open licences are kept).
gum_split() {
    sed -n "/^## $1\$/,/^## /p" "$shared/data/gum/splits.md" \
        | grep -o 'GUM_[a-z]*_[a-z0-9_]*' \
        | while read -r d; do
            f="$shared/data/gum/dep/$d.conllu"
            if [ -f "$f" ]; then echo "$f"; fi
        done
}
gum_train=$(gum_split train | tr '\n' ' ')
gum_dev=$(gum_split dev | tr '\n' ' ')
# The dev documents are joined into one file each set so that the report
# shows one figure per set.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
cat $gum_dev > "$tmp/gum-dev.conllu"
# shellcheck disable=SC2086
cat $(echo "$gum_dev" | tr ' ' '\n' | grep GUM_news_) > "$tmp/gum-news-dev.conllu"
# shellcheck disable=SC2086
cat $gum_train > "$tmp/gum-train.conllu"
echo "GUM train: $(echo $gum_train | wc -w) documents; GUM dev: $(echo $gum_dev | wc -w)"

nice "$bin/train_sentences" --epochs "$epochs" --out crates/annalist-text/models/sentences.bin \
    --train "$shared/data/ud/en_ewt/en_ewt-ud-train.conllu" "$tmp/gum-train.conllu" \
    --dev "$shared/data/ud/en_ewt/en_ewt-ud-dev.conllu" "$tmp/gum-dev.conllu" "$tmp/gum-news-dev.conllu"
