"""The Python package against the `annalist` binary, and on bad input.

The binary is `$ANNALIST` when set, else `release/annalist` under
`$CARGO_TARGET_DIR` or the repository's `target/`, built with cargo when
missing.
"""

import gzip
import itertools
import json
import os
import subprocess
from pathlib import Path

import pytest

import annalist

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "vienna-2015.txt"
TEHRAN_TIMES = REPO.parent / "shared" / "data" / "news" / "tehrantimes" / "articles.jsonl.gz"


@pytest.fixture(scope="session")
def binary():
    if os.environ.get("ANNALIST"):
        return Path(os.environ["ANNALIST"]).resolve()
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    path = target / "release" / "annalist"
    if not path.exists():
        subprocess.run(["cargo", "build", "--release", "-p", "annalist-cli"], cwd=REPO, check=True)
    return path


@pytest.fixture(scope="session")
def pipeline():
    return annalist.Pipeline()


def run_binary(binary, args, cwd):
    """The records `annalist code ARGS` writes; exit status 1 only says that
    some document gave an error record."""
    done = subprocess.run(
        [str(binary), "code", "--quiet", *args], cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def code_lines_with_binary(binary, docs, tmp_path):
    """The binary's records for `docs` written as the JSON Lines file
    `input`: the name the package gives documents in its messages."""
    with open(tmp_path / "input", "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return run_binary(binary, ["--format", "jsonl", "input"], tmp_path)


def test_the_example_article_codes_as_the_binary_codes_the_text_file(binary, pipeline):
    (expected,) = run_binary(binary, [str(EXAMPLE)], REPO)
    assert expected["events"], "the example article should have events"
    assert pipeline.code(EXAMPLE.read_text(encoding="utf-8")) == expected
    assert annalist.code(EXAMPLE.read_text(encoding="utf-8")) == expected


def test_metadata_codes_as_the_binary_codes_a_json_lines_line(binary, pipeline, tmp_path):
    doc = {
        "doc_id": "vienna",
        "text": EXAMPLE.read_text(encoding="utf-8"),
        "published": "2015-07-14",
        "url": "https://example.com/news/iran-deal",
        "publisher": "Example News",
        "title": "Iran deal reached",
    }
    (expected,) = code_lines_with_binary(binary, [doc], tmp_path)
    fields = {k: v for k, v in doc.items() if k != "text"}
    record = pipeline.code(doc["text"], **fields)
    assert record == expected
    assert record["meta"]["published"] == "2015-07-14"
    assert record["events"] and all(e["date"] for e in record["events"])


def test_a_date_in_the_url_path_dates_the_events_as_in_the_binary(binary, pipeline, tmp_path):
    doc = {"text": "Iran and Iraq signed a deal in Baghdad.", "url": "https://example.com/2015/07/14/deal"}
    (expected,) = code_lines_with_binary(binary, [doc], tmp_path)
    record = pipeline.code(doc["text"], url=doc["url"])
    assert record == expected
    assert {e["date_source"] for e in record["events"]} == {"url"}


@pytest.mark.skipif(not TEHRAN_TIMES.exists(), reason="../shared/data is absent")
def test_two_hundred_tehran_times_articles_code_as_the_binary_codes_them(binary, pipeline, tmp_path):
    with gzip.open(TEHRAN_TIMES, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in itertools.islice(f, 200)]
    expected = code_lines_with_binary(binary, docs, tmp_path)
    records = list(pipeline.code_many(docs, threads=2))
    assert len(records) == len(expected) == 200
    for got, want in zip(records, expected):
        assert got == want, got["doc_id"]


def test_json_lines_lines_code_as_the_binary_codes_the_file_broken_ones_included(binary, pipeline, tmp_path):
    lines = [
        json.dumps({"doc_id": "a1", "text": "Iran and Iraq signed a deal in Baghdad."}),
        "",
        json.dumps({"text": ""}),
        "not json",
        json.dumps({"title": "no text"}),
        json.dumps({"id": 7, "text": EXAMPLE.read_text(encoding="utf-8"), "url": "https://example.com/2015/07/14/x"}),
    ]
    (tmp_path / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = run_binary(binary, ["--format", "jsonl", "corpus.jsonl"], tmp_path)
    records = [
        pipeline.code_json_line(line, source="corpus.jsonl", line_number=k)
        for k, line in enumerate(lines, start=1)
        if line.strip()
    ]
    assert records == expected
    assert [r.get("error", {}).get("code") for r in records] == [None, "empty_input", "invalid_json", "missing_text", None]
    # A failed line without an id is named by its file and line.
    assert records[2]["doc_id"] == "corpus.jsonl:4"


def test_a_file_codes_as_the_binary_codes_it(binary, pipeline, tmp_path):
    (tmp_path / "vienna.txt").write_bytes(EXAMPLE.read_bytes())
    docs = [{"doc_id": f"d{k}", "text": "Iran and Iraq signed a deal in Baghdad."} for k in range(3)]
    with gzip.open(tmp_path / "docs.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("".join(json.dumps(d) + "\n" for d in docs) + "not json\n")
    for name in ["vienna.txt", "docs.jsonl.gz"]:
        expected = run_binary(binary, [name], tmp_path)
        assert pipeline.code_file((tmp_path / name).read_bytes(), name=name) == expected, name
    with pytest.raises(TypeError, match="data must be bytes, not str.*encode"):
        pipeline.code_file("text", name="a.txt")


def test_spark_rows_carry_the_record_and_a_row_for_a_failed_document(pipeline):
    import annalist.spark

    record = pipeline.code(EXAMPLE.read_text(encoding="utf-8"), doc_id="vienna")
    row = annalist.spark.nested_row(record, "file:/corpus.jsonl", 3)
    document = dict(zip(annalist.spark.DOCUMENT_COLUMNS, row))
    events, actors = row[len(annalist.spark.DOCUMENT_COLUMNS):]
    assert document["doc_id"] == "vienna" and document["line"] == 3
    assert document["n_events"] == len(events) == len(record["events"]) > 0
    assert len(actors) == len(record["actors"])
    position = annalist.spark.SPARK_EVENT_COLUMNS.index("json")
    assert [json.loads(e[position]) for e in events] == record["events"]
    (failed,) = annalist.spark.code_lines([("file:/corpus.jsonl", 9, "not json"), ("f", 10, "  ")])
    failed_document = dict(zip(annalist.spark.DOCUMENT_COLUMNS, failed))
    assert failed_document["doc_id"] == "file:/corpus.jsonl:9"
    assert failed_document["error_code"] == "invalid_json"
    assert failed[-2:] == ([], [])


def test_spark_schemas_fit_the_rows(pipeline):
    pytest.importorskip("pyspark")
    import annalist.spark

    schemas = annalist.spark.schemas()
    assert schemas["documents"].names == annalist.spark.DOCUMENT_COLUMNS
    assert schemas["events"].names == annalist.spark.SPARK_EVENT_COLUMNS
    assert schemas["nested"].names == annalist.spark.DOCUMENT_COLUMNS + ["events", "actors"]
    row = annalist.spark.nested_row(pipeline.code(EXAMPLE.read_text(encoding="utf-8")), "f", 1)
    for field, value in zip(schemas["nested"].fields, row):
        if value is None or field.name in ("events", "actors", "warnings"):
            continue
        kind = type(field.dataType).__name__
        assert isinstance(value, {"StringType": str, "IntegerType": int, "LongType": int, "DoubleType": float}[kind]), field.name


def test_the_acceptance_sentence_has_events():
    events = annalist.code("Iran and Iraq signed a deal in Baghdad.")["events"]
    assert events and all(e["source"] for e in events)


def test_code_many_keeps_input_order_on_two_threads(pipeline):
    texts = [
        "Iran and Iraq signed a deal in Baghdad.",
        "Russian troops attacked Ukrainian positions near Kharkiv on Monday.",
        "The president of France met the German chancellor in Berlin.",
        "Protesters rallied against the government in Tehran.",
    ]
    docs = [{"doc_id": f"d{k}", "text": texts[k % len(texts)] * (1 + k % 3)} for k in range(40)]
    serial = list(pipeline.code_many(docs))
    parallel = list(pipeline.code_many(iter(docs), threads=2))
    assert [r["doc_id"] for r in parallel] == [d["doc_id"] for d in docs]
    assert parallel == serial


def test_code_many_stopped_early_leaves_no_work_behind(pipeline):
    docs = ({"text": "Iran and Iraq signed a deal in Baghdad."} for _ in range(1000))
    records = pipeline.code_many(docs, threads=2)
    first = next(records)
    records.close()
    assert first["events"]


def test_the_native_stream_gives_records_in_order_and_refuses_misuse(pipeline):
    # code_many's engine: coding threads that never take the GIL.
    stream = pipeline._native.stream(2)
    with pytest.raises(ValueError, match="no document is waiting"):
        stream.recv()
    texts = ["Iran and Iraq signed a deal in Baghdad.", "Protesters rallied in Tehran."] * 5
    for index, text in enumerate(texts):
        stream.send(json.dumps({"doc_id": f"s{index}", "text": text}), index, [])
    records = [json.loads(stream.recv()) for _ in texts]
    assert [r["doc_id"] for r in records] == [f"s{k}" for k in range(len(texts))]
    stream.close()
    stream.close()
    with pytest.raises(ValueError, match="closed"):
        stream.send("{}", 0, [])
    with pytest.raises(ValueError, match="threads must be 1 or more"):
        pipeline._native.stream(0)


def test_empty_text_gives_an_error_record(pipeline):
    for text in ["", "   \n\t "]:
        record = pipeline.code(text)
        assert record["error"]["code"] == "empty_input"
        assert "input:1" in record["error"]["message"]
        assert record["events"] == [] and record["text"] == ""


def test_a_ten_megabyte_text_gives_an_error_record(pipeline):
    record = pipeline.code("Iran and Iraq signed a deal. " * 400_000)
    assert record["error"]["code"] == "document_too_large"
    # The hint names the Python argument that raises the cap, not the flag.
    assert "max_document_mb=" in record["error"]["message"]
    assert "--max-document-mb" not in record["error"]["message"]
    small = annalist.Pipeline(max_document_mb=1)
    (failed,) = small.code_file(b"Iran and Iraq signed a deal. " * 50_000, name="big.txt")
    assert failed["error"]["code"] == "document_too_large"
    assert "annalist.Pipeline(max_document_mb=" in failed["error"]["message"]


def test_nul_and_control_characters_are_blanked_with_a_warning(pipeline):
    record = pipeline.code("Iran and Iraq\x00 signed a deal\x07 in Baghdad.")
    assert "error" not in record
    assert record["events"]
    assert "\x00" not in record["text"]
    assert any("control character" in w for w in record["warnings"])


def test_lone_surrogates_are_replaced_with_a_warning(pipeline):
    text = b"Iran and Iraq signed a deal in Baghdad \xff.".decode("utf-8", "surrogateescape")
    record = pipeline.code(text)
    assert "error" not in record
    assert "\ufffd" in record["text"]
    assert any("lone surrogates" in w for w in record["warnings"])


def test_bad_documents_in_a_batch_give_error_records_and_the_batch_goes_on(pipeline):
    docs = [
        {"doc_id": "ok1", "text": "Iran and Iraq signed a deal in Baghdad."},
        {"doc_id": "none", "text": None},
        {"doc_id": "number", "text": 42},
        {"doc_id": "empty", "text": ""},
        {"title": "no text at all"},
        {"doc_id": "nan", "text": "Iran and Iraq signed a deal in Baghdad.", "title": float("nan")},
        "Iran and Iraq signed a deal in Baghdad.",
    ]
    records = list(pipeline.code_many(docs, threads=2))
    codes = [r.get("error", {}).get("code") for r in records]
    assert codes == [None, "missing_text", "missing_text", "empty_input", "missing_text", None, None]
    # A failed document without an id is named by its place in the batch.
    assert records[4]["doc_id"] == "input:5"
    assert "input:4" in records[3]["error"]["message"]


def test_a_text_that_is_not_a_str_raises_type_error(pipeline):
    with pytest.raises(TypeError, match="text must be a str, not bytes.*decode"):
        pipeline.code(b"Iran and Iraq signed a deal.")
    with pytest.raises(TypeError, match="text must be a str, not NoneType"):
        annalist.code(None)
    with pytest.raises(TypeError, match="published must be"):
        pipeline.code("Iran signed.", published=20150714)


def test_misused_batches_raise_clear_errors(pipeline):
    with pytest.raises(TypeError, match="not one str"):
        pipeline.code_many("Iran and Iraq signed a deal.")
    with pytest.raises(TypeError, match="threads must be an int"):
        pipeline.code_many([], threads="2")
    with pytest.raises(ValueError, match="threads must be 1 or more"):
        pipeline.code_many([], threads=0)
    with pytest.raises(TypeError, match="document 1 of the batch is a int"):
        list(pipeline.code_many(["Iran signed a deal.", 7]))
    with pytest.raises(ValueError, match="coder"):
        annalist.Pipeline(coder="magic")


def test_the_version_is_the_workspace_version_and_shows_in_the_repr(pipeline):
    cargo = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    assert f'version = "{annalist.__version__}"' in cargo
    assert annalist.__version__ in repr(pipeline)
    assert repr(pipeline).startswith("annalist.Pipeline(coder='rules'")


def test_events_frame_has_one_row_per_event_with_cameo_as_text(pipeline):
    pd = pytest.importorskip("pandas")
    records = [pipeline.code(EXAMPLE.read_text(encoding="utf-8"), doc_id="vienna"), pipeline.code("")]
    frame = annalist.events_frame(records)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(records[0]["events"])
    assert frame["cameo"].map(lambda c: c is None or isinstance(c, str)).all()
    assert (frame["doc_id"] == "vienna").all()
    first = records[0]["events"][0]
    row = frame.iloc[0]
    assert row["type"] == first["type"] and row["modality"] == first["modality"]
    span = records[0]["sentences"][first["sentence"]]
    assert row["sentence_text"] == records[0]["text"][span["start"]:span["end"]]
    assert {"source", "source_country", "target_country", "location", "lat", "lon", "date"} <= set(frame.columns)


def test_actor_and_entity_frames_have_one_row_per_actor_and_entity(pipeline):
    pytest.importorskip("pandas")
    record = pipeline.code(EXAMPLE.read_text(encoding="utf-8"))
    assert len(annalist.actors_frame(record)) == len(record["actors"])
    entities = annalist.entities_frame([record])
    assert len(entities) == len(record["entities"])
    assert list(entities["text"]) == [e["text"] for e in record["entities"]]
    assert annalist.events_frame([]).empty
