#!/usr/bin/env bash
# Issue 4 acceptance on ../shared: entity F1 (PER/ORG/LOC, exact match,
# Universal NER convention) of the built-in NER model on Universal NER EWT
# test (target 0.75) and English PUD test (target 0.72). spaCy's
# en_core_web_sm scores 0.587 and 0.586 on the same files.
# Exits non-zero when either score is below its target.
set -euo pipefail
cd "$(dirname "$0")/.."
ANNALIST=${ANNALIST:-target/release/annalist}
shared=../shared

status=0
"$ANNALIST" eval ner "$shared/data/ner/uner_en_ewt/en_ewt-ud-test.iob2" --min-f1 "${MIN_EWT:-0.75}" || status=1
"$ANNALIST" eval ner "$shared/data/ud/en_pud/uner_en_pud-ud-test.iob2" --min-f1 "${MIN_PUD:-0.72}" || status=1
exit $status
