#!/usr/bin/env bash
# Issue 18: the Spark job (examples/spark/code_corpus.py) on a standalone
# cluster of one master and two one-core workers on 127.0.0.1, started from
# pyspark's bin/spark-class. Over the 33,583 Tehran Times articles it checks
# one document row per article and no duplicates, the events of 500 sampled
# documents against `annalist code`, and that the job completes with the
# same tables when a worker is killed (kill -9) in the middle of it; then it
# measures the coding throughput of one worker against two over the whole
# corpus again. On a subset of 6,000 articles the executors' fixed cost
# (start-up and JIT compilation, about 20 s of CPU each) took most of what
# the second core added (ratios 1.25-1.67); over the whole corpus it is
# spread thin (1.71 on two free cores, twelfth session).
#
# Needs ../shared/data, Java 17 (installed with apt when missing) and PyPI
# for pyspark and pyarrow. Everything it writes is under $CARGO_TARGET_DIR
# (or target/)/spark-test; every process it starts is stopped by its PID on
# exit. SUBSET (a number of articles; default: all) shortens the
# throughput runs;
# DATA another JSON Lines corpus (to try the script on a small one).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${DATA:-../shared/data/news/tehrantimes/articles.jsonl.gz}
if [ ! -f "$data" ]; then
  echo "$data is absent: skipping the Spark test"
  exit 0
fi
data=$(cd "$(dirname "$data")" && pwd)/$(basename "$data")
script_start=$(date +%s)
target=${CARGO_TARGET_DIR:-target}
mkdir -p "$target"
target=$(cd "$target" && pwd)
venv=$target/py-venv
work=$target/spark-test
subset=${SUBSET:-all}

echo "== set-up: Java, the Python environment with the annalist wheel, pyspark"
if ! command -v java >/dev/null || ! java -version 2>&1 | grep -q 'version "17'; then
  echo "installing openjdk-17-jre-headless with apt"
  apt-get install -y -q openjdk-17-jre-headless >/dev/null
fi
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
export PATH="$venv/bin:$PATH"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.5,<2" "pyspark>=3.5,<5" pyarrow
# The wheel is rebuilt from the working tree (cargo reuses what it built),
# so the executors run the package as it is now.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --no-build-isolation --force-reinstall --no-deps ./python
annalist_bin=${ANNALIST:-$target/release/annalist}
if [ ! -x "$annalist_bin" ]; then
  cargo build --release -p annalist-cli
fi
export SPARK_HOME
SPARK_HOME=$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
echo "$(java -version 2>&1 | head -1); pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)')"

rm -rf "$work"
mkdir -p "$work/logs" "$work/local" "$work/out"
# Everything binds to loopback and keeps its files under $work.
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=localhost
export SPARK_LOG_DIR=$work/logs SPARK_LOCAL_DIRS=$work/local SPARK_WORKER_DIR=$work/workers
export SPARK_CONF_DIR=$work/conf PYSPARK_PYTHON=$venv/bin/python PYSPARK_DRIVER_PYTHON=$venv/bin/python
# The master's REST submission server would take the fixed port 6066.
export SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false"
mkdir -p "$SPARK_CONF_DIR"
# The daemons log to files, not to the console.
printf '%s\n' 'rootLogger.level = warn' 'rootLogger.appenderRef.stdout.ref = console' \
  'appender.console.type = Console' 'appender.console.name = console' 'appender.console.target = SYSTEM_ERR' \
  'appender.console.layout.type = PatternLayout' 'appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n' \
  >"$SPARK_CONF_DIR/log4j2.properties"

pids=()
stop_all() {
  # Executors and their Python workers are children of the workers: stop
  # the children first, then the daemons, each by its PID.
  local pid child
  for pid in "${pids[@]}"; do
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
      pkill_tree "$child"
    done
  done
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  sleep 1
  for pid in "${pids[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
  done
}
pkill_tree() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    pkill_tree "$child"
  done
  kill -9 "$1" 2>/dev/null || true
}
trap stop_all EXIT

free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
class=$SPARK_HOME/bin/spark-class
master_port=$(free_port)
master_ui=$(free_port)
master=spark://127.0.0.1:$master_port
"$class" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$master_port" \
  --webui-port "$master_ui" >"$work/logs/master.log" 2>&1 &
pids+=($!)

start_worker() {
  # $1: a name for its folder and log. Prints the worker's PID.
  "$class" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port "$(free_port)" \
    --webui-port "$(free_port)" --cores 1 --memory 2g --work-dir "$work/workers/$1" \
    "$master" >"$work/logs/$1.log" 2>&1 &
  echo $!
}
alive_workers() {
  # The workers the master lists as alive, from its status page's JSON.
  "$venv/bin/python" - "$master_ui" <<'PY' 2>/dev/null || echo 0
import json, sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/json/", timeout=5) as r:
    print(sum(1 for w in json.load(r)["workers"] if w["state"] == "ALIVE"))
PY
}
wait_workers() {
  # $1: how many workers the master should list as alive.
  local n=0
  for _ in $(seq 120); do
    n=$(alive_workers)
    [ "$n" -ge "$1" ] && return 0
    sleep 1
  done
  echo "error: the master lists $n workers after 120 s, not $1; hint: see $work/logs" >&2
  exit 1
}
worker1=$(start_worker worker1)
pids+=("$worker1")
worker2=$(start_worker worker2)
pids+=("$worker2")
wait_workers 2
echo "cluster: master $master, workers PID $worker1 and $worker2 (1 core each)"
# Every listening socket of the cluster must be on loopback.
sleep 2
open=$(ss -Hltnp 2>/dev/null | grep -E "pid=($(IFS='|'; echo "${pids[*]}"))," | awk '{print $4}' | grep -v -E '^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]|\[::1\]):' || true)
if [ -n "$open" ]; then
  echo "error: the cluster listens beyond loopback: $open" >&2
  exit 1
fi

submit() {
  # $1: log name; the rest: code_corpus.py arguments.
  local log=$work/logs/$1.log
  shift
  "$SPARK_HOME/bin/spark-submit" --master "$master" \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
    --conf spark.ui.enabled=false --conf spark.local.dir="$work/local" \
    --conf spark.executor.memory=1g --conf spark.pyspark.python="$venv/bin/python" \
    examples/spark/code_corpus.py --overwrite "$@" >"$log" 2>&1
}
summary() { grep '^summary: ' "$work/logs/$1.log" | tail -1 | cut -d' ' -f2-; }
field() { "$venv/bin/python" -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

echo "== the full corpus on two workers, worker 2 killed (kill -9) in the middle of the coding"
partitions=16
submit full "$data" "$work/out/full" --partitions "$partitions" &
job=$!
pids+=("$job")
killed=""
while kill -0 "$job" 2>/dev/null; do
  line=$(grep -E '^progress: .*\(code and write documents\)' "$work/logs/full.log" | tail -1 || true)
  if [ -n "$line" ]; then
    done_tasks=$(echo "$line" | sed -E 's/.*: ([0-9]+)\/([0-9]+) tasks done.*/\1/')
    if [ -z "$killed" ] && [ "$done_tasks" -ge $((partitions * 3 / 8)) ]; then
      echo "  $line"
      # Its executor and Python workers are its children: noted first, so
      # that the exit trap stops any that outlive it.
      orphans=$(ps -o pid= --ppid "$worker2" | xargs || true)
      for pid in $orphans; do
        pids+=("$pid")
        for child in $(ps -o pid= --ppid "$pid" || true); do pids+=("$child"); done
      done
      echo "  kill -9 $worker2 (worker 2) with $done_tasks/$partitions coding tasks done"
      kill -9 "$worker2"
      killed=$(date +%s)
    fi
  fi
  sleep 2
done
wait "$job" || { echo "error: the job failed after the kill; see $work/logs/full.log" >&2; tail -20 "$work/logs/full.log" >&2; exit 1; }
grep -E '^(progress|input|coded|annalist)' "$work/logs/full.log" | sed 's/^/  /' | tail -12
if [ -z "$killed" ]; then
  echo "error: the job ended before worker 2 could be killed" >&2
  exit 1
fi
left=""
for pid in $orphans; do
  if kill -0 "$pid" 2>/dev/null; then left="$left $pid"; fi
done
echo "  worker 2's executor (PID $orphans) $([ -z "$left" ] && echo "ended with it" || echo "outlived it:$left")"
full=$(summary full)
echo "  job: $full"
echo "== checks: counts, duplicates, 500 sampled documents against annalist code"
"$venv/bin/python" scripts/spark-check.py "$work/out/full" "$data" --binary "$annalist_bin" --sample 500 | sed 's/^/  /'
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  exit 1
fi

if [ "$subset" = all ]; then
  subset=$(zcat -f "$data" | grep -c .)
fi
echo "== throughput on the first $subset articles: one worker, then two (load average $(cut -d' ' -f1-3 /proc/loadavg))"
# zcat stops with SIGPIPE when head has its lines: not an error here.
(zcat -f "$data" || true) | head -n "$subset" >"$work/subset.jsonl"
# Worker 2 is dead: the cluster has one worker now.
submit one "$work/subset.jsonl" "$work/out/one" --partitions 8
one=$(summary one)
echo "  one worker:  $one"
worker3=$(start_worker worker3)
pids+=("$worker3")
wait_workers 2
submit two "$work/subset.jsonl" "$work/out/two" --partitions 8
two=$(summary two)
echo "  two workers: $two"
one_rate=$(field "$one" coding_docs_per_s)
two_rate=$(field "$two" coding_docs_per_s)
for run in one two; do
  if [ "$(field "$(summary $run)" documents)" -ne "$subset" ]; then
    echo "error: the $run-worker run coded $(field "$(summary $run)" documents) documents, not $subset" >&2
    exit 1
  fi
done
ratio=$("$venv/bin/python" -c "import sys; print(f'{float(sys.argv[2]) / float(sys.argv[1]):.2f}')" "$one_rate" "$two_rate")
# Reported, not enforced: the ratio needs two cores free of other work,
# which a shared CI machine does not promise (the load average says).
echo "  coding throughput: one worker $one_rate docs/s, two workers $two_rate docs/s: ratio $ratio (target 1.7 on 2 free cores; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
echo "spark test passed in $(( $(date +%s) - script_start )) s"
