#!/usr/bin/env bash
# Issue 7 measure of the toponym resolver alone, given the gold toponym spans of GeoVirus
# dev: accuracy@161km (target 0.90), share resolved, mean and median error in km.
# Exits non-zero below the target.
set -euo pipefail
cd "$(dirname "$0")/.."
ANNALIST=${ANNALIST:-target/release/annalist}
"$ANNALIST" kb eval-geo --min-accuracy "${MIN_ACCURACY:-0.90}" ../shared/data/geo_eval/geovirus_dev.jsonl
