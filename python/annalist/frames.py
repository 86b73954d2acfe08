"""Records as pandas DataFrames: one row per event, actor or entity.

pandas is imported only when a frame is asked for, so that coding needs no
pandas (install it with ``pip install pandas``, or the package's ``pandas``
extra). Every frame starts with ``doc_id``, so frames of one batch join on
it; CAMEO codes stay strings, keeping their leading zero ("042").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Union

if TYPE_CHECKING:
    import pandas

Records = Union[Mapping, Iterable[Mapping]]

EVENT_COLUMNS = [
    "doc_id", "event_id", "sentence", "sentence_text", "type", "mode", "contexts",
    "cameo", "quad_class", "intensity", "modality",
    "source_ids", "source", "source_country", "source_sectors",
    "target_ids", "target", "target_country", "target_sectors",
    "trigger", "location", "location_country", "lat", "lon",
    "date", "date_source", "confidence", "published", "url",
]

ACTOR_COLUMNS = [
    "doc_id", "actor_id", "name", "country", "sectors", "title", "cameo", "wikidata", "mentions",
]

ENTITY_COLUMNS = [
    "doc_id", "entity_id", "type", "text", "start", "end", "sentence", "actor_id",
    "place", "place_country", "lat", "lon",
]


def _pandas():
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "annalist's frames need pandas; hint: pip install pandas"
        ) from e
    return pandas


def _records(records: Records) -> Iterable[Mapping]:
    # One record is accepted as well as many: a notebook often has just one.
    if isinstance(records, Mapping):
        return [records]
    return records


def _joined(values: Iterable[Optional[str]]) -> Optional[str]:
    """Several values in one cell, ";"-separated; None when there are none."""
    kept = [v for v in values if v]
    return ";".join(kept) if kept else None


def _side(ids: List[str], actors: Dict[str, Mapping], prefix: str) -> Dict[str, Any]:
    """The columns of an event's sources or targets. Most events have one
    actor on each side; with several, each cell lists them all, in order."""
    found = [actors.get(i, {}) for i in ids]
    return {
        f"{prefix}_ids": _joined(ids),
        prefix: _joined(a.get("name") for a in found),
        f"{prefix}_country": _joined(a.get("country") for a in found),
        f"{prefix}_sectors": _joined(",".join(a.get("sectors") or []) for a in found),
    }


def event_rows(records: Records) -> List[Dict[str, Any]]:
    """The rows of ``events_frame`` as dicts keyed by ``EVENT_COLUMNS``, in
    record and event order; the Spark job (``annalist.spark``) builds its
    events table from them."""
    rows = []
    for record in _records(records):
        text = record.get("text") or ""
        sentences = record.get("sentences") or []
        actors = {a["id"]: a for a in record.get("actors") or []}
        meta = record.get("meta") or {}
        for ev in record.get("events") or []:
            k = ev.get("sentence")
            span = sentences[k] if isinstance(k, int) and 0 <= k < len(sentences) else None
            place = ev.get("location") or {}
            row = {
                "doc_id": record.get("doc_id"),
                "event_id": ev.get("id"),
                "sentence": k,
                # Offsets count code points, as Python slices a str.
                "sentence_text": text[span["start"]:span["end"]] if span else None,
                "type": ev.get("type"),
                "mode": ev.get("mode"),
                "contexts": _joined(ev.get("contexts") or []),
                "cameo": ev.get("cameo"),
                "quad_class": ev.get("quad_class"),
                "intensity": ev.get("intensity"),
                "modality": ev.get("modality"),
                "trigger": (ev.get("trigger") or {}).get("text"),
                "location": place.get("name"),
                "location_country": place.get("country"),
                "lat": place.get("lat"),
                "lon": place.get("lon"),
                "date": ev.get("date"),
                "date_source": ev.get("date_source"),
                "confidence": ev.get("confidence"),
                "published": meta.get("published"),
                "url": meta.get("url"),
            }
            row.update(_side(ev.get("source") or [], actors, "source"))
            row.update(_side(ev.get("target") or [], actors, "target"))
            rows.append(row)
    return rows


def events_frame(records: Records) -> "pandas.DataFrame":
    """One row per event of ``records`` (one record or an iterable of them).

    Columns: ``doc_id``, ``event_id``, ``sentence`` (its index) and
    ``sentence_text``, ``type``, ``mode``, ``contexts`` (";"-joined),
    ``cameo`` (a string), ``quad_class``, ``intensity``, ``modality``;
    for the ``source`` and ``target`` sides the actor ids, names, countries
    and sectors (";" between actors, "," between one actor's sectors);
    ``trigger``, ``location`` (its name), ``location_country``, ``lat``,
    ``lon``, ``date``, ``date_source``, ``confidence``, and the document's
    ``published`` and ``url``. Records with an ``error`` have no events and
    give no rows.
    """
    pd = _pandas()
    frame = pd.DataFrame(event_rows(records), columns=EVENT_COLUMNS)
    # Text columns stay object columns even when empty, so that a CAMEO
    # code is never read as a number.
    return frame.astype({"cameo": object})


def actor_rows(records: Records) -> List[Dict[str, Any]]:
    """The rows of ``actors_frame`` as dicts keyed by ``ACTOR_COLUMNS``."""
    return [
        {
            "doc_id": record.get("doc_id"),
            "actor_id": a.get("id"),
            "name": a.get("name"),
            "country": a.get("country"),
            "sectors": ",".join(a.get("sectors") or []) or None,
            "title": a.get("title"),
            "cameo": a.get("cameo"),
            "wikidata": a.get("wikidata"),
            "mentions": _joined(a.get("mentions") or []),
        }
        for record in _records(records)
        for a in record.get("actors") or []
    ]


def actors_frame(records: Records) -> "pandas.DataFrame":
    """One row per actor of ``records``: ``doc_id``, ``actor_id``, ``name``,
    ``country``, ``sectors`` (","-joined, most specific first), ``title``,
    ``cameo`` (the CAMEO actor code), ``wikidata`` and ``mentions`` (the
    ids of the entities naming it, ";"-joined)."""
    pd = _pandas()
    return pd.DataFrame(actor_rows(records), columns=ACTOR_COLUMNS)


def entities_frame(records: Records) -> "pandas.DataFrame":
    """One row per entity mention of ``records``: ``doc_id``, ``entity_id``,
    ``type``, ``text``, ``start`` and ``end`` (code-point offsets into the
    record's text), ``sentence``, ``actor_id``, and for a resolved place its
    ``place`` name, ``place_country``, ``lat`` and ``lon``."""
    pd = _pandas()
    rows = []
    for record in _records(records):
        for e in record.get("entities") or []:
            place = e.get("place") or {}
            rows.append(
                {
                    "doc_id": record.get("doc_id"),
                    "entity_id": e.get("id"),
                    "type": e.get("type"),
                    "text": e.get("text"),
                    "start": e.get("start"),
                    "end": e.get("end"),
                    "sentence": e.get("sentence"),
                    "actor_id": e.get("actor"),
                    "place": place.get("name"),
                    "place_country": place.get("country"),
                    "lat": place.get("lat"),
                    "lon": place.get("lon"),
                }
            )
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS)
