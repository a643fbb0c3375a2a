"""The same pipeline on Apache Spark: JSON Lines, Parquet and WARC in, Parquet out.

    tidings spark INPUT... --output DIR [--master local[2]] [--partitions N]

Every input item becomes one JSON record on the driver side (a JSONL line as it is; a Parquet
row as a JSON object of its columns; a WARC response record as its HTML, its target URI and its
date). Each partition then runs :func:`process_partition` in a Python worker: the reader of the
local pipeline (:mod:`tidings.readers`, so ids are :func:`tidings.readers.article_id`), then
:func:`tidings.pipeline.extract_many` (batched ``nlp.pipe``; the spaCy model is loaded once per
Python worker by :func:`tidings.parse.load_nlp`'s module-level cache, and Spark reuses workers).

Output, under DIR:

- ``articles/published=YYYY-MM-DD/*.parquet`` — one row per article with its Document JSON;
- ``events/published=YYYY-MM-DD/*.parquet`` — one row per event, flat columns plus its JSON;
- ``rejects/*.parquet`` — inputs that could not be read, with their reason.

``tidings load DIR --db URL`` (:func:`load_output`) stores the output in a SQLite file or a
PostgreSQL database; it needs pyarrow only, not Spark.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import UsageError
from .model import Actor, Document, Event, EventDate, Place, Span, Time

_PARQUET_EXT = {".parquet", ".parq"}
_WARC_EXT = {".warc", ".arc"}
_JSONL_EXT = {".jsonl", ".ndjson", ".json"}

ARTICLE_FIELDS = ("id", "title", "section", "source", "url", "origin", "text", "n_events",
                  "document")
EVENT_FIELDS = ("id", "article_id", "type", "mode", "modality", "confidence", "date_start",
                "date_end", "date_granularity", "date_basis", "trigger_text", "evidence",
                "place_name", "place_country", "lat", "lon", "source_countries",
                "target_countries", "source_names", "target_names", "json",
                "place_admin1_name", "place_admin2", "location_basis")


# ---------------------------------------------------------------- inputs

def input_kind(path: Path) -> str:
    """Return "jsonl", "parquet" or "warc" for a file name (``.gz`` allowed), else ""."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    if ext in _PARQUET_EXT:
        return "parquet"
    if ext in _WARC_EXT:
        return "warc"
    if ext in _JSONL_EXT:
        return "jsonl"
    return ""


def list_inputs(paths: Iterable[Path]) -> dict[str, list[str]]:
    """Group the files under ``paths`` by kind; raise UsageError if there are none."""
    groups: dict[str, list[str]] = {"jsonl": [], "parquet": [], "warc": []}
    for p in paths:
        if not p.exists():
            raise UsageError(f"E304 no such file or folder: {p}")
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            kind = input_kind(f)
            if kind and not any(part.startswith((".", "_")) for part in f.parts[-1:]):
                groups[kind].append(str(f.resolve()))
    if not any(groups.values()):
        raise UsageError("E340 no JSON Lines (.jsonl), Parquet (.parquet) or WARC (.warc[.gz])"
                         " files among the inputs")
    return groups


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    return value


def parquet_record(row: dict[str, Any]) -> str:
    """Return a Parquet row (column → value) as the JSON line the JSONL reader accepts."""
    return json.dumps({k: _jsonable(v) for k, v in row.items() if v is not None},
                      ensure_ascii=False, default=str)


def warc_records(path: str) -> Iterator[tuple[str, str]]:
    """Yield (origin, JSON record) for every HTML response record of a WARC file."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        for n, rec in enumerate(ArchiveIterator(fh)):
            if rec.rec_type != "response" or rec.http_headers is None:
                continue
            ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in ctype:
                continue
            body = rec.content_stream().read()
            yield f"{path}#{n}", json.dumps({
                "html": body.decode("utf-8", errors="replace"),
                "url": rec.rec_headers.get_header("WARC-Target-URI"),
                "date": (rec.rec_headers.get_header("WARC-Date") or "")[:10] or None,
            }, ensure_ascii=False)


# ---------------------------------------------------------------- the per-partition stage

WARC_DATE_WINDOW_DAYS = 30


def _read_record(origin: str, record: str) -> Any:
    """Turn one input record into an Article or a Rejected, exactly as the local readers do.

    A WARC page keeps the publication date found in the page when it lies within
    :data:`WARC_DATE_WINDOW_DAYS` before the capture date; otherwise the capture date is used.
    """
    from datetime import timedelta

    from .errors import InputError
    from .readers import Rejected, _read_html, _read_jsonl, parse_date, read_text

    if record.startswith('{"html"'):
        try:
            obj = json.loads(record)
            pub = parse_date(obj["date"], origin) if obj.get("date") else None
            art = _read_html(obj["html"], origin, pub, None)
            day = art.published
            if pub is not None and not pub - timedelta(days=WARC_DATE_WINDOW_DAYS) <= day <= pub:
                day = pub
            if day != art.published or (obj.get("url") and not art.url):
                art = read_text(art.text, day, title=art.title, source=art.source,
                                url=art.url or obj.get("url"), origin=origin)
            return art
        except InputError as exc:
            return Rejected(origin, exc.reason, str(exc))
    # origin is "FILE:LINE"; the JSONL reader numbers the single line it is given as 1
    base, _, line = origin.rpartition(":")
    items = list(_read_jsonl(record, base, None, None))
    if not items:
        return Rejected(origin, "empty", f"{origin}: empty line")
    item = items[0]
    item.origin = origin
    if isinstance(item, Rejected):
        item.message = item.message.replace(f"{base}:1", origin, 1)
    return item


def _event_row(document: Document, e: Event) -> dict[str, Any]:
    """The Parquet row of an event: the store's event row (:func:`tidings.storage.event_row`,
    the columns of :data:`EVENT_FIELDS`) plus the actors' names."""
    from .storage import event_row

    row = event_row(document, e)
    out = {k: row[k] for k in EVENT_FIELDS if k in row}
    out["source_names"] = [a.name for a in e.source]
    out["target_names"] = [a.name for a in e.target]
    return {k: out[k] for k in EVENT_FIELDS}


def process_partition(records: Iterable[tuple[str, str]], batch_size: int = 16,
                      ) -> Iterator[tuple[str, str, str]]:
    """Run readers + every stage over one partition of (origin, record) pairs.

    Yields (kind, publication date, JSON payload) with kind "article", "event" or "reject".
    """
    from .pipeline import extract_many
    from .readers import Rejected

    articles = []
    for origin, record in records:
        item = _read_record(origin, record)
        if isinstance(item, Rejected):
            yield "reject", "", json.dumps({"origin": item.origin, "reason": item.reason,
                                            "message": item.message}, ensure_ascii=False)
        else:
            articles.append(item)
    for art, document in zip(articles, extract_many(articles, batch_size=batch_size)):
        day = document.published.isoformat()
        payload = document.to_dict()
        yield "article", day, json.dumps({
            "id": document.id, "title": document.title, "section": document.section,
            "source": document.source, "url": document.url, "origin": art.origin,
            "text": document.text, "n_events": len(document.events),
            "document": json.dumps(payload, ensure_ascii=False, sort_keys=True),
        }, ensure_ascii=False)
        for e in document.events:
            yield "event", day, json.dumps(_event_row(document, e), ensure_ascii=False)


# ---------------------------------------------------------------- the job

@dataclass
class SparkSummary:
    """What a Spark run produced."""

    output: str
    articles: int = 0
    events: int = 0
    rejected: int = 0
    partitions: int = 0
    stories: int = 0
    blocks: int = 0
    seconds: float = 0.0
    events_by_type: dict[str, int] = field(default_factory=dict)


def spark_session(master: str = "local[2]", driver_memory: str = "1g",
                  shuffle_partitions: int = 4) -> Any:
    """Start (or reuse) a SparkSession set up for tidings' Python workers."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise UsageError("E341 `tidings spark` needs PySpark: pip install 'tidings[spark]'"
                         ) from exc
    return (SparkSession.builder.master(master).appName("tidings")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", driver_memory)
            .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
            .config("spark.python.worker.reuse", "true")
            .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
            .config("spark.driver.extraJavaOptions", "-Dlog4j.rootLogger=ERROR")
            .getOrCreate())


def _records_rdd(spark: Any, groups: dict[str, list[str]], partitions: int) -> Any:
    sc = spark.sparkContext
    parts = []
    if groups["jsonl"]:
        # each line with its file and line number (the origin the local readers report)
        lines = sc.union([
            sc.textFile(f).zipWithIndex().map(
                lambda li, f=f: (f"{f}:{li[1] + 1}", li[0])).filter(lambda r: r[1].strip())
            for f in groups["jsonl"]])
        parts.append(lines)
    if groups["parquet"]:
        df = spark.read.parquet(*groups["parquet"])
        cols = [c for c in df.columns if not c.startswith("_")]
        parts.append(df.select(*cols).rdd.zipWithIndex().map(
            lambda ri: (f"parquet:{ri[1] + 1}", parquet_record(ri[0].asDict()))))
    if groups["warc"]:
        paths = sc.parallelize(groups["warc"], max(1, min(len(groups["warc"]), partitions)))
        parts.append(paths.flatMap(warc_records))
    rdd = parts[0] if len(parts) == 1 else sc.union(parts)
    return rdd.repartition(partitions)


def run_spark(inputs: list[Path], output: Path, master: str = "local[2]",
              partitions: int | None = None, batch_size: int = 16,
              spark: Any = None) -> SparkSummary:
    """Run the pipeline over ``inputs`` on Spark and write Parquet under ``output``."""
    import time

    groups = list_inputs(inputs)
    t0 = time.perf_counter()
    own = spark is None
    spark = spark or spark_session(master)
    try:
        from pyspark import StorageLevel
        from pyspark.sql import functions as F
        from pyspark.sql import types as T

        n = partitions or max(1, spark.sparkContext.defaultParallelism * 2)
        out = _records_rdd(spark, groups, n).mapPartitions(
            lambda it: process_partition(it, batch_size=batch_size))
        schema = T.StructType([T.StructField("kind", T.StringType()),
                               T.StructField("published", T.StringType()),
                               T.StructField("payload", T.StringType())])
        rows = spark.createDataFrame(out, schema).persist(StorageLevel.MEMORY_AND_DISK)
        article_schema = T.StructType([
            *(T.StructField(c, T.StringType()) for c in ARTICLE_FIELDS[:7]),
            T.StructField("n_events", T.IntegerType()), T.StructField("document", T.StringType())])
        event_schema = T.StructType([
            *(T.StructField(c, T.StringType()) for c in EVENT_FIELDS[:5]),
            T.StructField("confidence", T.DoubleType()),
            *(T.StructField(c, T.StringType()) for c in EVENT_FIELDS[6:14]),
            T.StructField("lat", T.DoubleType()), T.StructField("lon", T.DoubleType()),
            *(T.StructField(c, T.ArrayType(T.StringType())) for c in EVENT_FIELDS[16:20]),
            T.StructField("json", T.StringType()),
            *(T.StructField(c, T.StringType()) for c in EVENT_FIELDS[21:24])])
        target = str(output.resolve())
        for kind, sch, sub in (("article", article_schema, "articles"),
                               ("event", event_schema, "events")):
            part = rows.where(F.col("kind") == kind).select(
                F.from_json("payload", sch).alias("r"), "published").select("r.*", "published")
            (part.repartition("published").write.mode("overwrite").partitionBy("published")
             .parquet(f"{target}/{sub}"))
        summary_stories, summary_blocks = merge_stories_stage(rows, f"{target}/story_mentions", n)
        rejects = rows.where(F.col("kind") == "reject").select(F.from_json(
            "payload", "origin STRING, reason STRING, message STRING").alias("r")).select("r.*")
        rejects.coalesce(1).write.mode("overwrite").parquet(f"{target}/rejects")
        stats = rows.groupBy("kind").count().collect()
        by_type = rows.where(F.col("kind") == "event").select(
            F.get_json_object("payload", "$.type").alias("type")).groupBy("type").count()
        summary = SparkSummary(output=target, partitions=n, stories=summary_stories,
                               blocks=summary_blocks)
        for r in stats:
            if r["kind"] == "article":
                summary.articles = r["count"]
            elif r["kind"] == "event":
                summary.events = r["count"]
            else:
                summary.rejected = r["count"]
        summary.events_by_type = {r["type"]: r["count"] for r in by_type.collect()}
        rows.unpersist()
    finally:
        if own:
            spark.stop()
    summary.seconds = time.perf_counter() - t0
    return summary


def _keyed_mention(published: str, payload: str) -> tuple[str, Any]:
    from .stories import blocking_key, mention_from_row

    m = mention_from_row(json.loads(payload), published)
    return blocking_key(m), m


def _merge_block(kv: tuple[str, Iterable[Any]]) -> list[tuple[str, str, str, float]]:
    from .stories import cluster_mentions

    return [(kv[0], eid, sid, score) for eid, sid, score in cluster_mentions(list(kv[1]))]


def merge_stories_stage(rows: Any, path: str, partitions: int) -> tuple[int, int]:
    """Cross-article event merging as a Spark stage: key every event mention by its block
    (compatible types + place country, :func:`tidings.stories.blocking_key`), shuffle, and
    merge each block with :func:`tidings.stories.cluster_mentions` (the same gates and scores
    as the SQLite merge). Writes ``story_mentions/`` (block, event_id, story_id, score);
    returns (stories, blocks)."""
    from pyspark.sql import functions as F

    events = rows.where(F.col("kind") == "event").select("published", "payload").rdd
    merged = (events.map(lambda r: _keyed_mention(r[0], r[1]))
              .groupByKey(numPartitions=partitions).flatMap(_merge_block))
    df = rows.sparkSession.createDataFrame(
        merged, "block STRING, event_id STRING, story_id STRING, score DOUBLE")
    df.write.mode("overwrite").parquet(path)
    written = rows.sparkSession.read.parquet(path)
    counts = written.agg(F.countDistinct("story_id").alias("s"),
                         F.countDistinct("block").alias("b")).collect()[0]
    return int(counts["s"]), int(counts["b"])


# ---------------------------------------------------------------- load

def document_from_dict(d: dict[str, Any]) -> Document:
    """Rebuild a Document from its JSON (``Document.to_dict``) form."""

    def actor(a: dict[str, Any]) -> Actor:
        return Actor(**a)

    def place(p: dict[str, Any] | None) -> Place | None:
        return Place(**p) if p else None

    def time_(t: dict[str, Any] | None) -> Time | None:
        return Time(**t) if t else None

    events = []
    for e in d.get("events", []):
        events.append(Event(
            id=e["id"], type=e["type"], mode=e.get("mode"), confidence=e["confidence"],
            modality=e["modality"], trigger=Span(e["trigger"]["start"], e["trigger"]["end"],
                                                  e["trigger"].get("text")),
            sentence=Span(e["sentence"]["start"], e["sentence"]["end"]),
            source=[actor(a) for a in e.get("source", [])],
            target=[actor(a) for a in e.get("target", [])],
            location=place(e.get("location")), time=time_(e.get("time")),
            date=EventDate(**e["date"]),
            reported_by=[actor(a) for a in e.get("reported_by", [])],
            magnitudes=dict(e.get("magnitudes") or {}),
            mentions=[Span(m["start"], m["end"], m.get("text")) for m in e.get("mentions", [])]))
    return Document(
        id=d["id"], published=date.fromisoformat(d["published"]), text=d["text"],
        title=d.get("title"), section=d.get("section"), source=d.get("source"),
        url=d.get("url"), language=d.get("language") or "en",
        times=[Time(**t) for t in d.get("times", [])],
        places=[Place(**p) for p in d.get("places", [])],
        actors=[actor(a) for a in d.get("actors", [])], events=events)


@dataclass
class LoadSummary:
    """What ``tidings load`` stored."""

    db: str
    stored: int = 0
    updated: int = 0
    skipped: int = 0
    rejects: int = 0
    events: int = 0
    seconds: float = 0.0


def read_output(folder: Path, sub: str) -> list[dict[str, Any]]:
    """Return the rows of one output table (``articles``, ``events``, ``rejects``)."""
    import pyarrow.dataset as ds

    path = folder / sub
    if not path.exists():
        return []
    partitioning = "hive" if sub != "rejects" else None
    table = ds.dataset(str(path), format="parquet", partitioning=partitioning,
                       exclude_invalid_files=True).to_table()
    return table.to_pylist()


def load_output(folder: Path, db: str | Path) -> LoadSummary:
    """Store the articles (with their events) and rejects of a Spark output folder in ``db``."""
    import time

    from .storage import open_store

    if not (folder / "articles").is_dir():
        raise UsageError(f"E342 {folder} has no articles/ folder: is it `tidings spark` output?")
    t0 = time.perf_counter()
    summary = LoadSummary(db=str(db))
    rows = sorted(read_output(folder, "articles"), key=lambda r: (str(r["published"]), r["id"]))
    with open_store(db) as store:
        for r in rows:
            document = document_from_dict(json.loads(r["document"]))
            status = store.upsert(document, origin=r.get("origin"))
            setattr(summary, status, getattr(summary, status) + 1)
            summary.events += len(document.events)
        for r in read_output(folder, "rejects"):
            summary.rejects += bool(store.reject(r["origin"], r["reason"], r["message"]))
    summary.seconds = time.perf_counter() - t0
    return summary
