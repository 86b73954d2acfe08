#!/usr/bin/env python3
"""Codes a news corpus on Spark into Parquet tables of documents, events and actors.

    code_corpus.py INPUT OUTPUT [--master URL] [--input-format jsonl|files]
                   [--partitions N] [--coder rules|learned] [--max-document-mb N]
                   [--overwrite]

INPUT is any path Spark reads (a file, a folder, a glob; local, HDFS, S3...).
With ``--input-format jsonl`` (the default) it holds JSON Lines files, gzip
or not, one document per line with the fields ``annalist code`` reads
(``doc_id`` or ``id``, ``text``, ``title``, ``url``, ``published`` or
``date``, ``publisher``, ``license``); with ``--input-format files`` every
file is coded whole, as ``annalist code FILE`` codes it (plain text, HTML,
RSS/Atom, WARC, JSON Lines; gzip transparently).

Each partition is coded by the ``annalist`` package on the executor, with
one loaded pipeline per Python worker process (``annalist.spark``), and the
job writes three Parquet tables with Spark's DataFrame writer, whose commit
protocol keeps exactly one copy of each partition's output even when tasks
are re-run after an executor is lost:

- ``OUTPUT/documents``: one row per input document, failed ones included:
  ``doc_id``, ``source`` (the input file) and ``line`` (its line there, or
  its place in a whole file), the metadata (``title``, ``url``,
  ``publisher``, ``published``, ``language``, ``license``), ``chars`` and
  the counts ``n_sentences``, ``n_entities``, ``n_actors``, ``n_events``,
  ``warnings``, and ``error_code`` / ``error_message`` (null when coded).
- ``OUTPUT/events``: one row per event, with the columns of
  ``annalist.events_frame`` and ``json``, the event exactly as the record
  holds it.
- ``OUTPUT/actors``: one row per actor, with the columns of
  ``annalist.actors_frame``.

The documentation is ``docs/spark.md`` in the repository, with the route
for clusters where the package cannot be installed (``RDD.pipe`` through the
``annalist`` binary).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from typing import Dict, Iterator, Optional, Sequence, Tuple

from pyspark import SparkContext, StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

import annalist
import annalist.spark


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Code a news corpus on Spark into Parquet tables of documents, events and actors."
    )
    parser.add_argument("input", help="JSON Lines files (or, with --input-format files, any files)")
    parser.add_argument("output", help="folder for the documents, events and actors tables")
    parser.add_argument(
        "--master",
        help="Spark master URL (default: the one spark-submit was given, else local[*])",
    )
    parser.add_argument("--input-format", choices=["jsonl", "files"], default="jsonl")
    parser.add_argument(
        "--partitions",
        type=int,
        default=0,
        help="how many partitions to code (default: 4 per executor core)",
    )
    parser.add_argument("--coder", choices=["rules", "learned"], default="rules")
    parser.add_argument("--max-document-mb", type=int, default=8)
    parser.add_argument("--overwrite", action="store_true", help="replace existing tables")
    args = parser.parse_args(argv)
    if args.partitions < 0:
        parser.error(f"--partitions must be 0 (automatic) or more, not {args.partitions}")
    if args.max_document_mb < 0:
        parser.error(f"--max-document-mb must be 0 (no cap) or more, not {args.max_document_mb}")
    return args


def session(master: Optional[str]) -> SparkSession:
    """The Spark session; the master is the one asked for, else the one
    spark-submit was given, else local[*] (spark-submit's default, which
    also applies when the script is run with python)."""
    builder = (
        SparkSession.builder.appName("annalist code_corpus")
        # The console progress bar rewrites one line; the job prints its own
        # progress lines, which read well in a log.
        .config("spark.ui.showConsoleProgress", "false")
        # Version 1 of the output committer moves a task's files into place
        # only when the whole job commits, so the files of a task attempt
        # that died with its executor never reach the tables.
        .config("spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version", "1")
    )
    if master:
        builder = builder.master(master)
    return builder.getOrCreate()


def numbered_lines(spark: SparkSession, path: str):
    """The lines of the JSON Lines files under ``path`` as an RDD of
    ``(file, line_number, line)``.

    Line numbers let a failed document without an id be named
    ``file:line``, as the binary names it, and keep those ids unique across
    partitions. A first pass counts the lines of each split of each file; a
    split is read whole by one task, in order, so a line's number is the
    lines of the file's earlier splits plus its place in its split.
    """
    # Only "\n" ends a line, as in the binary's reader (Spark's default
    # also splits at a lone "\r").
    lines = (
        spark.read.option("lineSep", "\n")
        .text(path)
        .select(
            "value",
            F.col("_metadata.file_path").alias("file"),
            F.col("_metadata.file_block_start").alias("block"),
        )
    )
    counts = lines.groupBy("file", "block").count().collect()
    first: Dict[Tuple[str, int], int] = {}
    seen: Dict[str, int] = {}
    for row in sorted(counts, key=lambda r: (r["file"], r["block"])):
        first[(row["file"], row["block"])] = seen.get(row["file"], 0) + 1
        seen[row["file"]] = seen.get(row["file"], 0) + row["count"]
    starts = spark.sparkContext.broadcast(first)

    def number(rows: Iterator) -> Iterator[Tuple[str, int, str]]:
        taken: Dict[Tuple[str, int], int] = {}
        for value, file, block in rows:
            key = (file, block)
            k = taken.get(key, 0)
            taken[key] = k + 1
            yield file, starts.value[key] + k, value

    return lines.rdd.mapPartitions(number), sum(seen.values()), len(seen)


class Progress(threading.Thread):
    """Prints the progress of the running stages, with totals, every few
    seconds while something changes; ``scripts/test-spark.sh`` reads these
    lines to kill a worker in the middle of the coding."""

    def __init__(self, sc: SparkContext, every: float = 3.0) -> None:
        super().__init__(name="progress", daemon=True)
        self.sc = sc
        self.every = every
        self.done = threading.Event()

    def run(self) -> None:
        last: Dict[int, Tuple[int, int, int]] = {}
        tracker = self.sc.statusTracker()
        while not self.done.wait(self.every):
            for stage_id in tracker.getActiveStageIds():
                info = tracker.getStageInfo(stage_id)
                if info is None:
                    continue
                state = (info.numCompletedTasks, info.numActiveTasks, info.numFailedTasks)
                if last.get(stage_id) == state:
                    continue
                last[stage_id] = state
                print(
                    f"progress: stage {stage_id} ({info.name}): {info.numCompletedTasks}/"
                    f"{info.numTasks} tasks done, {info.numActiveTasks} running, "
                    f"{info.numFailedTasks} failed",
                    flush=True,
                )

    def stop(self) -> None:
        self.done.set()
        self.join()


def write(sc: SparkContext, frame: DataFrame, path: str, what: str, mode: str) -> None:
    """Writes one table, naming its stages ``what`` in the progress lines."""
    sc.setJobDescription(what)
    sc.setLocalProperty("callSite.short", what)
    frame.write.mode(mode).parquet(path)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    spark = session(args.master)
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    start = time.monotonic()
    print(
        f"annalist {annalist.__version__} on Spark {spark.version} ({sc.master}), "
        f"{sc.defaultParallelism} cores",
        flush=True,
    )

    partitions = args.partitions or 4 * sc.defaultParallelism
    coder, cap = args.coder, args.max_document_mb
    if args.input_format == "jsonl":
        sc.setJobDescription("count the lines of the input")
        sc.setLocalProperty("callSite.short", "count lines")
        lines, total, files = numbered_lines(spark, args.input)
        print(f"input: {total:,} lines in {files:,} files; coding in {partitions} partitions", flush=True)
        # Spreading by line number, rather than round robin, puts every line
        # in the same partition on every run, so a re-run task after a lost
        # executor codes the very documents the lost one had.
        spread = lines.keyBy(lambda t: t[1]).partitionBy(partitions, lambda k: k).values()
        coded = spread.mapPartitions(
            lambda rows: annalist.spark.code_lines(rows, coder=coder, max_document_mb=cap)
        )
    else:
        files_rdd = sc.binaryFiles(args.input, minPartitions=partitions)
        # Spark may make fewer partitions than asked when there are few files.
        partitions = files_rdd.getNumPartitions()
        print(f"input: files under {args.input}; coding in {partitions} partitions", flush=True)
        coded = files_rdd.mapPartitions(
            lambda rows: annalist.spark.code_files(rows, coder=coder, max_document_mb=cap)
        )

    schemas = annalist.spark.schemas()
    # Documents are coded once, by the first table's job; the other two
    # tables read the kept rows. Each kept block has a copy on a second
    # executor, so that losing one executor does not mean coding its
    # documents again for the events and actors tables.
    nested = spark.createDataFrame(coded, schemas["nested"]).persist(StorageLevel.MEMORY_AND_DISK_2)
    mode = "overwrite" if args.overwrite else "errorifexists"
    out = args.output.rstrip("/")
    progress = Progress(sc)
    progress.start()
    # The coding clock starts once the executors are up (the line count ran
    # on them), so that it measures coding, not the cluster's start.
    coding_start = time.monotonic()
    try:
        write(sc, nested.drop("events", "actors"), f"{out}/documents", "code and write documents", mode)
        write(sc, nested.select(F.explode("events").alias("e")).select("e.*"), f"{out}/events", "write events", mode)
        write(sc, nested.select(F.explode("actors").alias("a")).select("a.*"), f"{out}/actors", "write actors", mode)
    finally:
        progress.stop()
    end = time.monotonic()
    elapsed, coding = end - start, end - coding_start

    sc.setJobDescription("summary")
    sc.setLocalProperty("callSite.short", "summary")
    totals = nested.agg(
        F.count(F.lit(1)).alias("documents"),
        F.count("error_code").alias("failed"),
        F.sum("n_events").alias("events"),
        F.sum("n_actors").alias("actors"),
    ).first()
    summary = {
        "documents": totals["documents"],
        "failed": totals["failed"],
        "events": int(totals["events"] or 0),
        "actors": int(totals["actors"] or 0),
        "seconds": round(elapsed, 1),
        "docs_per_s": round(totals["documents"] / elapsed, 1) if elapsed > 0 else None,
        "coding_seconds": round(coding, 1),
        "coding_docs_per_s": round(totals["documents"] / coding, 1) if coding > 0 else None,
        "partitions": partitions,
        "output": out,
    }
    print(
        f"coded {summary['documents']:,} documents ({summary['failed']:,} failed) into "
        f"{summary['events']:,} events and {summary['actors']:,} actors in {elapsed:.1f} s "
        f"({summary['docs_per_s']} docs/s); tables under {out}",
        flush=True,
    )
    # One machine-readable line for scripts.
    print("summary: " + json.dumps(summary), flush=True)
    nested.unpersist()
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
