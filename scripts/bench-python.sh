#!/usr/bin/env bash
# Issue 18: a benchmark, not a test. Codes the same articles with
# `annalist code --threads 2` and with the Python package's
# `Pipeline.code_many(threads=2)`, three runs each, and prints the median
# docs/s of each and their ratio (target: Python within 10% of the binary).
# Both are timed as whole processes: start, model loading, reading the
# JSON Lines file, coding, and writing (the binary) or parsing (Python) the
# records. CPU time (user + system) is printed too: on a busy machine the
# wall-clock figures move with the other work, CPU time hardly.
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

echo "benchmark: $n Tehran Times articles, 2 threads, 3 runs each, alternating (load average $(cut -d' ' -f1-3 /proc/loadavg))"
"$venv/bin/python" - "$n" "$annalist_bin" "$venv/bin/python" "$work/code_many.py" "$input" <<'PY'
"""Runs both commands three times, alternating, and prints medians of their
wall-clock time and of their CPU time (user + system, which other work on
the machine barely changes), as docs/s, and the Python / binary ratios."""
import resource
import statistics
import subprocess
import sys
import time

n, binary, python, script, data = int(sys.argv[1]), *sys.argv[2:]
commands = {
    "binary": [binary, "code", "--quiet", "--threads", "2", "--format", "jsonl", data],
    "python": [python, script, data],
}
times = {name: {"wall": [], "cpu": []} for name in commands}
for run in range(1, 4):
    for name, command in commands.items():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # Exit status 1 only says that some document gave an error record.
        if done.returncode not in (0, 1):
            sys.exit(f"error: {name} run failed: {done.stderr.strip()}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        times[name]["wall"].append(wall)
        times[name]["cpu"].append(cpu)
    print(
        f"  run {run}/3: binary {times['binary']['wall'][-1]:.2f} s ({times['binary']['cpu'][-1]:.2f} s CPU), "
        f"Python {times['python']['wall'][-1]:.2f} s ({times['python']['cpu'][-1]:.2f} s CPU)",
        flush=True,
    )
median = {name: {k: statistics.median(v) for k, v in t.items()} for name, t in times.items()}
for name, label in [("binary", "annalist code --threads 2:    "), ("python", "Pipeline.code_many(threads=2):")]:
    m = median[name]
    print(f"{label} median {m['wall']:.2f} s = {n / m['wall']:.1f} docs/s; CPU {m['cpu']:.2f} s = {n / m['cpu']:.1f} docs per CPU-second")
print(
    f"Python / binary throughput: {median['binary']['wall'] / median['python']['wall']:.2f} by wall clock "
    f"(target: 0.90 or more), {median['binary']['cpu'] / median['python']['cpu']:.2f} by CPU time"
)
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
