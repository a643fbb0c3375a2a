"""The Spark job in local[2] mode: the same article ids, event ids and types as the local pipeline.

Six example articles go in, three as JSON Lines (plus a bad line) and three as Parquet; one
Spark run (about 40 s on 2 cores) is shared by the tests of this module.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tidings.pipeline import extract_many
from tidings.readers import Rejected, read

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None and not os.environ.get("JAVA_HOME"),
                       reason="Spark needs a Java runtime (java on PATH or JAVA_HOME)"),
]


def _records(n: int = 6) -> list[dict[str, Any]]:
    arts = [a for a in read(EXAMPLES) if not isinstance(a, Rejected)][:n]
    return [{"text": a.text, "published": a.published.isoformat(), "title": a.title,
             "source": a.source} for a in arts]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Inputs in two formats, the local pipeline's Documents, and one Spark run's output."""
    pytest.importorskip("pyspark")
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tidings.spark_job import run_spark

    tmp = tmp_path_factory.mktemp("spark")
    recs = _records()
    whole = tmp / "all.jsonl"
    whole.write_text("".join(json.dumps(r) + "\n" for r in recs))
    inputs = tmp / "in"
    inputs.mkdir()
    (inputs / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs[:3])
                                    + "{not json\n")
    pq.write_table(pa.Table.from_pylist(recs[3:]), inputs / "b.parquet")
    local = list(extract_many([a for a in read(whole) if not isinstance(a, Rejected)]))
    out = tmp / "out"
    summary = run_spark([inputs], out, master="local[2]", partitions=2)
    return {"local": local, "out": out, "summary": summary, "tmp": tmp}


def test_same_ids_and_types_as_local_pipeline(corpus):
    from tidings.spark_job import read_output

    local = corpus["local"]
    articles = read_output(corpus["out"], "articles")
    events = read_output(corpus["out"], "events")
    assert sorted(a["id"] for a in articles) == sorted(d.id for d in local)
    assert sorted((e["id"], e["type"], e["article_id"]) for e in events) == sorted(
        (e.id, e.type, d.id) for d in local for e in d.events)
    by_id = {d.id: d for d in local}
    for a in articles:  # the whole Document, not just the ids, is the local pipeline's
        assert json.loads(a["document"]) == by_id[a["id"]].to_dict()
        assert str(a["published"]) == by_id[a["id"]].published.isoformat()
    s = corpus["summary"]
    assert s.articles == 6 and s.rejected == 1 and s.events == len(events) > 0


def test_output_is_partitioned_by_publication_date(corpus):
    days = {d.published.isoformat() for d in corpus["local"]}
    for sub in ("articles", "events"):
        parts = {p.name for p in (corpus["out"] / sub).iterdir() if p.is_dir()}
        assert parts <= {f"published={d}" for d in days} and parts
    from tidings.spark_job import read_output

    (rej,) = read_output(corpus["out"], "rejects")
    assert rej["reason"] == "bad-json" and rej["origin"].endswith("a.jsonl:4")


def test_load_into_sqlite_is_idempotent(corpus):
    from tidings.spark_job import load_output

    db = corpus["tmp"] / "t.db"
    first = load_output(corpus["out"], db)
    assert first.stored == 6 and first.rejects == 1
    again = load_output(corpus["out"], db)
    assert again.skipped == 6 and again.stored == 0
    conn = sqlite3.connect(db)
    ids = {r[0] for r in conn.execute("SELECT id FROM events")}
    assert ids == {e.id for d in corpus["local"] for e in d.events}


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TIDINGS_TEST_PG"), reason="TIDINGS_TEST_PG is not set")
def test_load_into_postgresql(corpus):
    from conftest import pg_schema

    from tidings.spark_job import load_output
    from tidings.storage import EventQuery, connect

    with pg_schema() as url:
        assert load_output(corpus["out"], url).stored == 6
        with connect(url, readonly=True) as conn:
            got = {r["id"] for r in conn.query_events(EventQuery())}
        assert got == {e.id for d in corpus["local"] for e in d.events}


def test_warc_records_are_read_like_html(tmp_path):
    pytest.importorskip("warcio")
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from tidings.spark_job import _read_record, warc_records

    body = ("<html><head><title>Junta talks</title></head><body><article><h1>Junta talks</h1>"
            + "".join(f"<p>{p}</p>" for p in _records(1)[0]["text"].split("\n\n"))
            + "</article></body></html>").encode()
    path = tmp_path / "x.warc.gz"
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(
            "https://news.example/a", "response", payload=BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-02-01T10:00:00Z"}))
    recs = list(warc_records(str(path)))
    assert len(recs) == 1
    art = _read_record(*recs[0])
    assert not isinstance(art, Rejected), art
    assert art.published.isoformat() == "2024-02-01" and art.url == "https://news.example/a"
    assert len(art.text.split()) > 50


def test_input_listing_rejects_unknown_files(tmp_path):
    from tidings.errors import UsageError
    from tidings.spark_job import input_kind, list_inputs

    assert input_kind(Path("a.warc.gz")) == "warc" and input_kind(Path("b.parquet")) == "parquet"
    assert input_kind(Path("c.jsonl.gz")) == "jsonl" and input_kind(Path("d.txt")) == ""
    (tmp_path / "d.txt").write_text("x")
    with pytest.raises(UsageError, match="E340"):
        list_inputs([tmp_path])


def test_story_merging_stage_matches_local_blocked_merge(corpus):
    """The Spark merge stage (block by compatible types + country, merge within blocks) gives
    the stories that the same in-memory merge gives over the local pipeline's events."""
    from collections import defaultdict

    from tidings.spark_job import _event_row, read_output
    from tidings.stories import blocking_key, cluster_mentions, mention_from_row

    rows = read_output(corpus["out"], "story_mentions")
    local = corpus["local"]
    all_events = {e.id for d in local for e in d.events}
    assert sorted(r["event_id"] for r in rows) == sorted(all_events)  # each event once
    blocks = defaultdict(list)
    for d in local:
        for e in d.events:
            m = mention_from_row(_event_row(d, e), d.published.isoformat())
            blocks[blocking_key(m)].append(m)
    expected = {(eid, sid) for ms in blocks.values() for eid, sid, _ in cluster_mentions(ms)}
    assert {(r["event_id"], r["story_id"]) for r in rows} == expected
    s = corpus["summary"]
    assert s.stories == len({sid for _, sid in expected}) and s.blocks == len(blocks)
