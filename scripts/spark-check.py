#!/usr/bin/env python3
"""Checks the tables the Spark job wrote (scripts/test-spark.sh runs it).

    spark-check.py OUTPUT INPUT --binary ANNALIST [--sample N] [--expect-docs N]

Reads OUTPUT/documents, OUTPUT/events and OUTPUT/actors with pyarrow (not
Spark, so the check does not share the code it checks) and fails unless:

- the documents table has one row per non-blank input line: every
  ``(source, line)`` once, and every doc_id as often as the input has it
  (the Tehran Times file gives three ids to two articles each);
- the events and actors tables have no row twice, and as many rows as the
  documents' ``n_events`` and ``n_actors`` add up to (a table written twice
  for a re-run task would have more);
- the events of N documents sampled from the input (seeded, so the same on
  every run) equal the events ``annalist code --format jsonl`` gives for
  them, after JSON normalisation.

Prints the figures and a last ``check:`` line of JSON for the caller.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Sequence

import pyarrow.parquet as pq


def read_lines(path: Path) -> List[str]:
    """The non-blank lines of a JSON Lines file, gzip or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="\n") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def doc_id_of(line: str) -> Any:
    """The id a JSON Lines line gives its document, as the reader takes it
    (``doc_id``, else ``id``), or None."""
    try:
        fields = json.loads(line)
    except ValueError:
        return None
    for key in ("doc_id", "id"):
        if isinstance(fields, dict) and isinstance(fields.get(key), (str, int)) and not isinstance(fields.get(key), bool):
            return str(fields[key])
    return None


def binary_records(binary: str, lines: List[str]) -> List[Dict[str, Any]]:
    """The records `annalist code --format jsonl` writes for `lines`."""
    with tempfile.TemporaryDirectory(prefix="spark-check-") as tmp:
        sample = Path(tmp) / "sample.jsonl"
        sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
        done = subprocess.run(
            [binary, "code", "--quiet", "--threads", "2", "--format", "jsonl", str(sample)],
            capture_output=True,
            text=True,
        )
    # Exit status 1 only says that some document gave an error record.
    if done.returncode not in (0, 1):
        sys.exit(f"error: annalist code failed on the sample: {done.stderr.strip()}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def duplicates(values: Sequence[Any]) -> int:
    """How many values occur more than once, counting each extra copy."""
    return sum(n - 1 for n in collections.Counter(values).values() if n > 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("input", type=Path)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--sample", type=int, default=500)
    args = parser.parse_args(argv)

    lines = read_lines(args.input)
    documents = pq.read_table(
        args.output / "documents", columns=["doc_id", "source", "line", "n_events", "n_actors", "error_code"]
    ).to_pydict()
    events = pq.read_table(args.output / "events", columns=["doc_id", "event_id", "json"]).to_pydict()
    actors = pq.read_table(args.output / "actors", columns=["doc_id", "actor_id"]).to_pydict()

    problems: List[str] = []
    n_docs = len(documents["doc_id"])
    input_ids = collections.Counter(doc_id_of(line) for line in lines)
    input_ids.pop(None, None)
    shared_ids = {d: n for d, n in input_ids.items() if n > 1}
    # A duplicate is a row beyond the copies the input has.
    output_ids = collections.Counter(documents["doc_id"])
    doc_dups = duplicates(list(zip(documents["source"], documents["line"]))) + sum(
        max(0, n - input_ids.get(d, 1)) for d, n in output_ids.items()
    )
    if n_docs != len(lines):
        problems.append(f"{n_docs:,} document rows for {len(lines):,} input lines")
    if doc_dups:
        problems.append(f"{doc_dups:,} duplicate document rows")
    event_keys = list(zip(events["doc_id"], events["event_id"]))
    actor_keys = list(zip(actors["doc_id"], actors["actor_id"]))
    event_dups = sum(
        max(0, n - input_ids.get(k[0], 1)) for k, n in collections.Counter(event_keys).items()
    )
    actor_dups = sum(
        max(0, n - input_ids.get(k[0], 1)) for k, n in collections.Counter(actor_keys).items()
    )
    if event_dups or actor_dups:
        problems.append(f"duplicate rows: {event_dups:,} in events, {actor_dups:,} in actors")
    want_events, want_actors = sum(documents["n_events"]), sum(documents["n_actors"])
    if len(event_keys) != want_events or len(actor_keys) != want_actors:
        problems.append(
            f"{len(event_keys):,} event rows for {want_events:,} events of the documents, "
            f"{len(actor_keys):,} actor rows for {want_actors:,} actors"
        )
    failed = sum(1 for c in documents["error_code"] if c is not None)
    print(
        f"tables: {n_docs:,} documents for {len(lines):,} input lines ({failed:,} failed), "
        f"{doc_dups} duplicate rows; {len(event_keys):,} events, {len(actor_keys):,} actors, "
        f"{event_dups + actor_dups} duplicate rows; ids the input itself gives twice: "
        f"{', '.join(sorted(shared_ids)) or 'none'}",
        flush=True,
    )

    # The sample: seeded, so that every run compares the same documents, and
    # of documents with an id of their own, so that their events are theirs.
    own = [k for k, line in enumerate(lines) if input_ids.get(doc_id_of(line)) == 1]
    picked = sorted(random.Random(18).sample(own, min(args.sample, len(own))))
    expected = binary_records(args.binary, [lines[k] for k in picked])
    by_doc: Dict[str, List[Any]] = collections.defaultdict(list)
    for doc_id, event_id, text in zip(events["doc_id"], events["event_id"], events["json"]):
        by_doc[doc_id].append((int(event_id.lstrip("E")), json.loads(text)))
    docs_in_table = set(documents["doc_id"])
    unequal = []
    sampled_events = 0
    for record in expected:
        got = [event for _, event in sorted(by_doc.get(record["doc_id"], []), key=lambda p: p[0])]
        sampled_events += len(record["events"])
        if record["doc_id"] not in docs_in_table or got != record["events"]:
            unequal.append(record["doc_id"])
    if len(expected) != len(picked):
        problems.append(f"the binary gave {len(expected)} records for {len(picked)} sampled lines")
    if unequal:
        problems.append(f"{len(unequal)} of {len(picked)} sampled documents differ from the binary, e.g. {unequal[:5]}")
    print(
        f"sample: {len(picked) - len(unequal)}/{len(picked)} documents have the binary's events "
        f"({sampled_events:,} events)",
        flush=True,
    )
    result = {
        "documents": n_docs,
        "input_lines": len(lines),
        "failed": failed,
        "duplicate_documents": doc_dups,
        "ids_shared_in_input": sorted(shared_ids),
        "events": len(event_keys),
        "actors": len(actor_keys),
        "duplicate_rows": event_dups + actor_dups,
        "sample": len(picked),
        "sample_equal": len(picked) - len(unequal),
        "problems": problems,
    }
    print("check: " + json.dumps(result), flush=True)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
