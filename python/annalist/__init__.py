"""Annalist: code news text into political event records.

Each document becomes one ``annalist.record/1`` record, a dict with the
document's text, sentences, entities, actors and events (the contract is
``docs/record.md`` in the repository). A record from this package is the
record ``annalist code --format jsonl`` writes for a line with the same
fields.

    >>> import annalist
    >>> record = annalist.code("Iran and Iraq signed a deal in Baghdad.")
    >>> event = record["events"][0]  # type, cameo, source, target, location...

For many documents, load the pipeline once and code them on several threads:

    >>> pipeline = annalist.Pipeline()
    >>> records = list(pipeline.code_many(docs, threads=4))  # input order
    >>> annalist.events_frame(records)  # a pandas DataFrame, one row per event

Bad input (empty text, a text over the size cap, control characters) never
raises: it gives a record with an ``error`` object, or a normal record with
``warnings``. Misuse (a text that is not a ``str``) raises ``TypeError``.
"""

from __future__ import annotations

import datetime
import json
import math
import threading
from collections.abc import Mapping
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from ._native import SOURCE as _SOURCE
from ._native import NativePipeline as _NativePipeline
from ._native import __version__
from .frames import actors_frame, entities_frame, events_frame

__all__ = [
    "Pipeline",
    "Record",
    "actors_frame",
    "code",
    "entities_frame",
    "events_frame",
    "__version__",
]

#: One ``annalist.record/1`` record, as ``json.loads`` reads it.
Record = Dict[str, Any]

#: The fields a document dict may carry, as in a JSON Lines input line:
#: ``doc_id`` or ``id``, ``text`` (required), ``title``, ``url``,
#: ``published`` or ``date``, ``publisher``, ``license``. Others are ignored.
_FIELDS = ("doc_id", "id", "text", "title", "url", "published", "date", "publisher", "license")


class Pipeline:
    """The Annalist pipeline, loaded once (a second or so) and reused.

    A ``Pipeline`` is safe to share between threads, and releases the GIL
    while coding; ``code_many`` codes a batch on native threads that run
    without the GIL while the calling thread reads documents and parses
    records.

    Args:
        coder: ``"rules"`` (the lexicon rules, the default of ``annalist
            code``) or ``"learned"`` (the built-in learned event model,
            ``annalist code --coder learned``).
        max_document_mb: the most megabytes of text one document may hold;
            a larger one gives a record with a ``document_too_large`` error
            (``annalist code --max-document-mb``; 0 means no cap).
    """

    def __init__(self, *, coder: str = "rules", max_document_mb: int = 8) -> None:
        if not isinstance(coder, str):
            raise TypeError(f"coder must be a str, not {type(coder).__name__}")
        if isinstance(max_document_mb, bool) or not isinstance(max_document_mb, int):
            raise TypeError(f"max_document_mb must be an int, not {type(max_document_mb).__name__}")
        if max_document_mb < 0:
            raise ValueError(f"max_document_mb must be 0 (no cap) or more, not {max_document_mb}")
        self._native = _NativePipeline(coder=coder, max_document_mb=max_document_mb)
        self._coder = coder
        self._max_document_mb = max_document_mb

    def __repr__(self) -> str:
        return (
            f"annalist.Pipeline(coder={self._coder!r}, max_document_mb={self._max_document_mb})"
            f"  # annalist {__version__}"
        )

    def code(
        self,
        text: str,
        *,
        doc_id: Optional[Union[str, int]] = None,
        published: Optional[Union[str, datetime.date]] = None,
        url: Optional[str] = None,
        publisher: Optional[str] = None,
        title: Optional[str] = None,
    ) -> Record:
        """Codes one document and returns its ``annalist.record/1`` record.

        Args:
            text: the document's plain text.
            doc_id: its id; by default one derived from the text.
            published: its publication day (``"2015-07-14"`` or a
                ``datetime.date``); by default a date in ``url``'s path, if any.
            url, publisher, title: metadata kept in the record's ``meta``.

        Returns:
            The record as a dict; a record with an ``error`` object when the
            text cannot be coded (empty, over the size cap).

        Raises:
            TypeError: ``text`` is not a ``str`` (or a field has a wrong type).
        """
        if not isinstance(text, str):
            hint = " (hint: decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
            raise TypeError(f"text must be a str, not {type(text).__name__}{hint}")
        fields: Dict[str, Any] = {"text": text}
        for name, value, kinds in (
            ("doc_id", doc_id, (str, int)),
            ("published", published, (str, datetime.date)),
            ("url", url, (str,)),
            ("publisher", publisher, (str,)),
            ("title", title, (str,)),
        ):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, kinds):
                allowed = " or ".join(k.__name__ for k in kinds)
                raise TypeError(f"{name} must be a {allowed} or None, not {type(value).__name__}")
            fields[name] = value
        line, warnings = _line(fields, 0)
        return json.loads(self._native.code_line(line, 0, warnings))

    def code_json_line(self, line: str, *, source: str = "input", line_number: int = 1) -> Record:
        """Codes one line of a JSON Lines file, as ``annalist code --format
        jsonl SOURCE`` codes line ``line_number`` of the file ``source``.

        The line goes to the reader as it is, so the record equals the
        binary's for that line even when the line is broken: invalid JSON, a
        missing ``text`` or a text over the size cap give a record with an
        ``error`` object whose message (and id, when the line gives none)
        names ``source:line_number``. The Spark job in ``examples/spark``
        codes the lines of its input files this way.

        Args:
            line: one line of a JSON Lines file (its newline may be left on).
            source: the name of the file, for messages and the ids of
                failed records.
            line_number: the line's number in the file, from 1.

        Raises:
            TypeError: ``line`` or ``source`` is not a ``str``.
            ValueError: ``line_number`` is less than 1.
        """
        if not isinstance(line, str):
            raise TypeError(f"line must be a str, not {type(line).__name__}")
        if not isinstance(source, str):
            raise TypeError(f"source must be a str, not {type(source).__name__}")
        if isinstance(line_number, bool) or not isinstance(line_number, int):
            raise TypeError(f"line_number must be an int, not {type(line_number).__name__}")
        if line_number < 1:
            raise ValueError(f"line_number must be 1 or more, not {line_number}")
        line, bad = _without_surrogates(line)
        warnings = []
        if bad:
            warnings.append(
                f"{bad} invalid character{'' if bad == 1 else 's'} (lone surrogates) in "
                f"{source}:{line_number} replaced by U+FFFD"
            )
        return json.loads(self._native.code_line(line, line_number - 1, warnings, source))

    def code_file(self, data: bytes, *, name: str) -> List[Record]:
        """Codes every document of one file's content, as ``annalist code
        NAME`` codes the file.

        The format is sniffed from ``name`` and the content as the binary
        sniffs it: plain text (one document), HTML (its main text), JSON
        Lines, RSS or Atom feeds, WARC; gzip is read transparently. The
        Spark job in ``examples/spark`` codes text files this way.

        Args:
            data: the file's bytes.
            name: the file's name or path, for sniffing and messages.

        Returns:
            One record per document of the file, in file order; a broken
            document gives a record with an ``error`` object.

        Raises:
            TypeError: ``data`` is not bytes, or ``name`` not a ``str``.
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            hint = " (hint: encode text first, e.g. text.encode('utf-8'))" if isinstance(data, str) else ""
            raise TypeError(f"data must be bytes, not {type(data).__name__}{hint}")
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        return [json.loads(r) for r in self._native.code_file(name, bytes(data))]

    def code_many(
        self,
        docs: Iterable[Union[Mapping[str, Any], str]],
        *,
        threads: int = 1,
    ) -> Iterator[Record]:
        """Codes many documents, yielding their records in input order.

        Documents are read from ``docs`` lazily, at most eight per thread
        ahead of the record yielded, so a generator over a large corpus is
        fine. With ``threads`` above 1 the documents are coded on that many
        native threads, which keep coding without the GIL while the caller
        consumes records (as ``annalist code --threads N`` does).

        Args:
            docs: dicts with the fields of a JSON Lines input line
                (``text``, and optionally ``doc_id`` or ``id``, ``title``,
                ``url``, ``published`` or ``date``, ``publisher``,
                ``license``; ``None`` and NaN count as missing), or plain
                ``str`` texts.
            threads: how many documents are coded at once.

        Yields:
            One record per document, in input order. A document that cannot
            be coded (no ``text``, empty, over the cap) yields a record with
            an ``error`` object whose messages name it ``input:N``, N
            counting from 1, and the batch goes on.

        Raises:
            TypeError: ``docs`` is not iterable, ``threads`` is not an int,
                or an item is neither a dict nor a str (raised when reached).
        """
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise TypeError(f"threads must be an int, not {type(threads).__name__}")
        if threads < 1:
            raise ValueError(f"threads must be 1 or more, not {threads}")
        if isinstance(docs, (str, bytes, Mapping)):
            raise TypeError(
                f"docs must be an iterable of documents, not one {type(docs).__name__}; "
                "hint: use code() for one document, or wrap it in a list"
            )
        items = iter(docs)
        if threads == 1:
            return self._serial(items)
        return self._parallel(items, threads)

    def _serial(self, items: Iterator[Any]) -> Iterator[Record]:
        for index, item in enumerate(items):
            line, warnings = _line(_fields_of(item, index), index)
            yield json.loads(self._native.code_line(line, index, warnings))

    def _parallel(self, items: Iterator[Any], threads: int) -> Iterator[Record]:
        # The documents are coded on native threads that never take the GIL
        # (NativeStream), while this thread builds the input lines and
        # parses the records: a Python thread pool calling code_line would
        # make each coding thread wait for the GIL this thread holds. A
        # bounded window of documents in flight keeps memory flat on a large
        # corpus; the stream hands the records back in input order.
        window = threads * 8
        stream = self._native.stream(threads)
        in_flight = 0
        try:
            for index, item in enumerate(items):
                line, warnings = _line(_fields_of(item, index), index)
                stream.send(line, index, warnings)
                in_flight += 1
                if in_flight >= window:
                    in_flight -= 1
                    yield json.loads(stream.recv())
            while in_flight:
                in_flight -= 1
                yield json.loads(stream.recv())
        finally:
            # A consumer that stops early must not leave threads coding.
            stream.close()


_default: Optional[Pipeline] = None
_default_lock = threading.Lock()


def _default_pipeline() -> Pipeline:
    global _default
    with _default_lock:
        if _default is None:
            _default = Pipeline()
        return _default


def code(
    text: str,
    *,
    doc_id: Optional[Union[str, int]] = None,
    published: Optional[Union[str, datetime.date]] = None,
    url: Optional[str] = None,
    publisher: Optional[str] = None,
    title: Optional[str] = None,
) -> Record:
    """Codes one document with the built-in pipeline (loaded on first use).

    The same as ``annalist.Pipeline().code(...)``; see ``Pipeline.code``.
    """
    return _default_pipeline().code(
        text, doc_id=doc_id, published=published, url=url, publisher=publisher, title=title
    )


def _fields_of(item: Any, index: int) -> Dict[str, Any]:
    """The input fields of one document of a batch."""
    if isinstance(item, str):
        return {"text": item}
    if isinstance(item, Mapping):
        return {k: item[k] for k in _FIELDS if k in item}
    raise TypeError(
        f"document {index} of the batch is a {type(item).__name__}, not a dict or str; "
        "hint: pass dicts such as {'doc_id': 'a1', 'text': '...'}"
    )


def _line(fields: Dict[str, Any], index: int) -> Tuple[str, List[str]]:
    """One JSON Lines line for ``fields``, and warnings about what was fixed.

    Missing values (None, NaN: pandas writes NaN for an empty cell) are
    dropped, so that they read as absent rather than as invalid JSON. Lone
    surrogates, which a ``str`` may hold but UTF-8 cannot, become U+FFFD.
    """
    clean: Dict[str, Any] = {}
    warnings: List[str] = []
    for key, value in fields.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if isinstance(value, str):
            value, bad = _without_surrogates(value)
            if bad:
                warnings.append(
                    f"{bad} invalid character{'' if bad == 1 else 's'} (lone surrogates) in the "
                    f"{key} of {_SOURCE}:{index + 1} replaced by U+FFFD"
                )
        clean[key] = value
    # Values json cannot write (a Timestamp, a numpy number) are written as
    # their str(), which the reader then checks like any other value.
    return json.dumps(clean, ensure_ascii=False, default=str), warnings


def _without_surrogates(s: str) -> Tuple[str, int]:
    try:
        s.encode("utf-8")
        return s, 0
    except UnicodeEncodeError:
        bad = sum(1 for c in s if "\ud800" <= c <= "\udfff")
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in s), bad
