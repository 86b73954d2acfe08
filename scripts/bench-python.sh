#!/usr/bin/env bash
# Issue 18: a benchmark, not a test. Codes the same articles with
# `annalist code --threads 2` and with the Python package's
# `Pipeline.code_many(threads=2)`, three runs each, and prints the median
# docs/s of each and their ratio (target: Python within 10% of the binary).
# Both are timed as whole processes: start, model loading, reading the
# JSON Lines file, coding, and writing (the binary) or parsing (Python) the
# records.
#
#   bash scripts/bench-python.sh [ARTICLES]   (default 2000 Tehran Times articles)
#
# Run scripts/test-python.sh first: it builds the wheel into the venv used
# here. The figures depend on how busy the machine is; the script prints the
# load average with them.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
data=../shared/data/news/tehrantimes/articles.jsonl.gz
target=${CARGO_TARGET_DIR:-target}
mkdir -p "$target"
target=$(cd "$target" && pwd)
venv=$target/py-venv
annalist_bin=${ANNALIST:-$target/release/annalist}
if [ ! -f "$data" ]; then
  echo "error: $data is absent; hint: the benchmark needs ../shared/data" >&2
  exit 2
fi
if ! "$venv/bin/python" -c 'import annalist' 2>/dev/null; then
  echo "error: no annalist package in $venv; hint: run bash scripts/test-python.sh first" >&2
  exit 2
fi
if [ ! -x "$annalist_bin" ]; then
  cargo build --release -p annalist-cli
fi
work=$target/bench-python
mkdir -p "$work"
input=$work/articles.jsonl
# zcat stops with SIGPIPE when head has its lines: not an error here.
(zcat "$data" || true) | head -n "$n" >"$input"

cat >"$work/code_many.py" <<'PY'
"""Codes a JSON Lines file with Pipeline.code_many(threads=2)."""
import json
import sys

import annalist

with open(sys.argv[1], encoding="utf-8") as f:
    docs = [json.loads(line) for line in f if line.strip()]
pipeline = annalist.Pipeline()
count = sum(1 for _ in pipeline.code_many(docs, threads=2))
assert count == len(docs), (count, len(docs))
PY

seconds() {
  # Wall-clock seconds of one run of the command; exit status 1 only says
  # that some document gave an error record.
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || [ $? -eq 1 ]
  end=$(date +%s%N)
  printf '%d.%03d\n' $(( (end - start) / 1000000000 )) $(( (end - start) / 1000000 % 1000 ))
}
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

echo "benchmark: $n Tehran Times articles, 2 threads, 3 runs each (load average $(cut -d' ' -f1-3 /proc/loadavg))"
binary_runs=() python_runs=()
for run in 1 2 3; do
  binary_runs+=("$(seconds "$annalist_bin" code --quiet --threads 2 --format jsonl "$input")")
  python_runs+=("$(seconds "$venv/bin/python" "$work/code_many.py" "$input")")
  echo "  run $run/3: binary ${binary_runs[-1]} s, Python ${python_runs[-1]} s"
done
b=$(median "${binary_runs[@]}")
p=$(median "${python_runs[@]}")
"$venv/bin/python" - "$n" "$b" "$p" <<'PY'
import sys

n, b, p = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"annalist code --threads 2:         median {b:.2f} s = {n / b:.1f} docs/s")
print(f"Pipeline.code_many(threads=2):     median {p:.2f} s = {n / p:.1f} docs/s")
print(f"Python / binary throughput: {b / p:.2f} (target: 0.90 or more)")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
