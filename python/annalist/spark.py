"""Records as Spark rows: the per-partition half of a Spark coding job.

``examples/spark/code_corpus.py`` in the repository is the job; this module
holds what runs on the executors, so that it is installed with the package
there and keeps one loaded pipeline per Python worker process. Coding needs
no pyspark: the functions take and yield plain tuples, and only
``schemas()`` imports pyspark.

A partition of JSON Lines input is an iterator of ``(source, line_number,
line)`` tuples; one of whole files is an iterator of ``(path, bytes)``. Both
yield one nested row per document: the columns of ``DOCUMENT_COLUMNS``
followed by the document's events (rows of ``EVENT_COLUMNS``) and actors
(rows of ``ACTOR_COLUMNS``), which the job writes as three tables.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, Iterable, Iterator, List, Optional, Tuple

from . import Pipeline, Record
from .frames import ACTOR_COLUMNS, EVENT_COLUMNS, actor_rows, event_rows

if TYPE_CHECKING:
    from pyspark.sql.types import StructType

#: The columns of the documents table, one row per input document, failed
#: ones included (their ``error_code`` and ``error_message`` are set).
DOCUMENT_COLUMNS = [
    "doc_id", "source", "line", "title", "url", "publisher", "published", "language",
    "license", "chars", "n_sentences", "n_entities", "n_actors", "n_events", "warnings",
    "error_code", "error_message",
]

#: The events table has the columns of ``annalist.events_frame`` and
#: ``json``: the event object exactly as the record holds it.
SPARK_EVENT_COLUMNS = EVENT_COLUMNS + ["json"]

#: One nested row: the document's columns, then its events and its actors.
Row = Tuple[Any, ...]

_FLOAT_COLUMNS = {"intensity", "lat", "lon", "confidence"}
_INT_COLUMNS = {"sentence", "quad_class", "line", "chars", "n_sentences", "n_entities",
                "n_actors", "n_events"}

_pipelines: Dict[Tuple[str, int], Pipeline] = {}


def pipeline(coder: str = "rules", max_document_mb: int = 8) -> Pipeline:
    """The pipeline of this process, loaded on first use.

    Spark reuses a Python worker process for the partitions it runs one
    after another, so the models are loaded once per worker rather than
    once per partition.
    """
    key = (coder, max_document_mb)
    if key not in _pipelines:
        _pipelines[key] = Pipeline(coder=coder, max_document_mb=max_document_mb)
    return _pipelines[key]


def code_lines(
    lines: Iterable[Tuple[str, int, str]],
    *,
    coder: str = "rules",
    max_document_mb: int = 8,
) -> Iterator[Row]:
    """Codes a partition of JSON Lines lines, given as ``(source,
    line_number, line)``, as ``annalist code --format jsonl SOURCE`` codes
    them; blank lines are skipped, as the binary skips them.

    Yields one nested row per document, failed ones included.
    """
    coding = pipeline(coder, max_document_mb)
    for source, line_number, line in lines:
        if not line.strip():
            continue
        record = coding.code_json_line(line, source=source, line_number=line_number)
        yield nested_row(record, source, line_number)


def code_files(
    files: Iterable[Tuple[str, bytes]],
    *,
    coder: str = "rules",
    max_document_mb: int = 8,
) -> Iterator[Row]:
    """Codes a partition of whole files, given as ``(path, content)``, as
    ``annalist code PATH`` codes each (text, HTML, JSON Lines, feeds, WARC;
    gzip transparently).

    Yields one nested row per document; ``line`` is the document's place in
    its file, from 1.
    """
    coding = pipeline(coder, max_document_mb)
    for path, content in files:
        for place, record in enumerate(coding.code_file(bytes(content), name=path), start=1):
            yield nested_row(record, path, place)


def nested_row(record: Record, source: str, line: int) -> Row:
    """One document's nested row: its ``DOCUMENT_COLUMNS``, then the list
    of its event rows and the list of its actor rows."""
    meta = record.get("meta") or {}
    error = record.get("error") or {}
    document: Dict[str, Any] = {
        "doc_id": record.get("doc_id"),
        "source": source,
        "line": line,
        "title": meta.get("title"),
        "url": meta.get("url"),
        "publisher": meta.get("publisher"),
        "published": meta.get("published"),
        "language": meta.get("language"),
        "license": meta.get("license"),
        "chars": len(record.get("text") or ""),
        "n_sentences": len(record.get("sentences") or []),
        "n_entities": len(record.get("entities") or []),
        "n_actors": len(record.get("actors") or []),
        "n_events": len(record.get("events") or []),
        "warnings": list(record.get("warnings") or []),
        "error_code": error.get("code"),
        "error_message": error.get("message"),
    }
    events = []
    for event, row in zip(record.get("events") or [], event_rows(record)):
        row["json"] = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        events.append(_tuple(row, SPARK_EVENT_COLUMNS))
    actors = [_tuple(row, ACTOR_COLUMNS) for row in actor_rows(record)]
    return _tuple(document, DOCUMENT_COLUMNS) + (events, actors)


def _tuple(row: Dict[str, Any], columns: List[str]) -> Tuple[Any, ...]:
    """The row's values in column order, with numbers of the column's type:
    Spark checks that a double column gets a float, and JSON may give 5 for
    5.0."""
    values = []
    for column in columns:
        value = row.get(column)
        if value is not None and column in _FLOAT_COLUMNS:
            value = float(value)
        elif value is not None and column in _INT_COLUMNS:
            value = int(value)
        values.append(value)
    return tuple(values)


def schemas() -> Dict[str, "StructType"]:
    """The Spark schemas: ``documents``, ``events``, ``actors``, and
    ``nested`` (a document row with its events and actors as arrays)."""
    from pyspark.sql.types import (
        ArrayType,
        DoubleType,
        IntegerType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    def typed(column: str) -> Any:
        if column in _FLOAT_COLUMNS:
            return DoubleType()
        if column == "line":
            return LongType()
        if column in _INT_COLUMNS:
            return IntegerType()
        if column == "warnings":
            return ArrayType(StringType(), containsNull=False)
        return StringType()

    def struct(columns: List[str], required: Optional[List[str]] = None) -> StructType:
        return StructType(
            [StructField(c, typed(c), nullable=c not in (required or [])) for c in columns]
        )

    documents = struct(DOCUMENT_COLUMNS, ["doc_id", "source", "line", "warnings"])
    events = struct(SPARK_EVENT_COLUMNS, ["doc_id", "json"])
    actors = struct(ACTOR_COLUMNS, ["doc_id"])
    nested = StructType(
        documents.fields
        + [
            StructField("events", ArrayType(events, containsNull=False), nullable=False),
            StructField("actors", ArrayType(actors, containsNull=False), nullable=False),
        ]
    )
    return {"documents": documents, "events": events, "actors": actors, "nested": nested}
