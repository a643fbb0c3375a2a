"""Exports analysts can use: CSV, JSON Lines, Parquet and GeoJSON, in three profiles.

- ``native``: the event fields of DESIGN section 3, flattened, plus the story fields
  (mention, article and source counts, first/last report, magnitudes);
- ``acled``: ACLED's column names and codes (event types from ``data/plover_acled.json``);
  events with no ACLED equivalent (talks, accusations, requests...) are left out;
- ``plover``: the PLOVER JSON record (``id``, ``date``, ``enddate``, ``actor``,
  ``recipient``, ``event``, ``mode``, ``event_loc``, ``event_text``, ``size`` …).

Story events (one row per merged event) are exported by default; ``mentions=True`` exports
every raw event mention instead, each with the ``story_id`` it belongs to.

Review (issue 17): exports carry the corrected values (the store keeps them in the event
rows), every profile ends with ``reviewed`` and ``review_status``, events a reviewer rejected
are left out, and ``reviewed_only=True`` keeps only what a person confirmed or corrected.

Format rules (so files open in pandas, DuckDB and QGIS as they are): one fixed column list
per profile with fixed types; lists and objects are JSON strings in CSV, Parquet and GeoJSON
properties (JSON Lines keeps them nested); GeoJSON is a ``FeatureCollection`` of ``Point``
features in ``[lon, lat]`` order with flat properties, and events without coordinates get
``"geometry": null`` (or are skipped with ``skip_unlocated=True``). The column lists are
documented in docs/CODEBOOK.md.

CSV is the one format whose cells are altered: a text cell starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return gets a leading ``'`` (:func:`csv_cell`, OWASP's advice against
CSV injection), so a spreadsheet shows it as text instead of running it as a formula. Every CSV
writer (this module, ``GET /api/export``, ``tidings events --format csv``) goes through
:func:`csv_row`. JSON Lines, Parquet and GeoJSON keep every value exactly as stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import UsageError
from .storage.base import EventFilter, Reader

FORMATS = ("csv", "jsonl", "parquet", "geojson")
PROFILES = ("native", "acled", "plover")
MAGNITUDE_KINDS = ("killed", "injured", "arrested", "abducted", "displaced", "crowd")
_CIVILIAN = {"CVL", "REF", "EDU", "HLH", "MED", "REL", "LAB", "NGO"}
_STATE = {"GOV", "MIL", "POL", "JUD"}
_GRAN_ACLED = {"second": 1, "minute": 1, "hour": 1, "day": 1, "week": 2}

#: every profile ends with the review state: ``reviewed`` (a person accepted or corrected the
#: event, or a mention of the story) and ``review_status`` (accepted, edited; empty if none)
REVIEW_COLUMNS: list[tuple[str, str]] = [("reviewed", "bool"), ("review_status", "string")]
# (name, arrow type) per profile; "json" columns are lists/objects (JSON strings when flat)
NATIVE_COLUMNS: list[tuple[str, str]] = [
    ("id", "string"), ("story_id", "string"), ("type", "string"), ("mode", "string"),
    ("modality", "string"), ("confidence", "double"), ("date_start", "string"),
    ("date_end", "string"), ("date_granularity", "string"), ("date_basis", "string"),
    ("source_names", "string"), ("source_countries", "string"), ("source_sectors", "string"),
    ("target_names", "string"), ("target_countries", "string"), ("target_sectors", "string"),
    ("place_name", "string"), ("place_country", "string"), ("place_admin1", "string"),
    ("geonameid", "int64"), ("lat", "double"), ("lon", "double"), ("place_kind", "string"),
    ("evidence", "string"), ("trigger_text", "string"),
    *[(k, "int64") for k in MAGNITUDE_KINDS],
    ("mention_count", "int64"), ("article_count", "int64"), ("source_count", "int64"),
    ("sources", "string"), ("first_reported", "string"), ("last_reported", "string"),
    ("article_ids", "string"), ("language", "string"), ("source", "json"), ("target", "json"),
    ("mentions", "json"), *REVIEW_COLUMNS,
]
ACLED_COLUMNS: list[tuple[str, str]] = [
    ("event_id_cnty", "string"), ("event_date", "string"), ("year", "int64"),
    ("time_precision", "int64"), ("disorder_type", "string"), ("event_type", "string"),
    ("sub_event_type", "string"), ("actor1", "string"), ("assoc_actor_1", "string"),
    ("inter1", "int64"), ("actor2", "string"), ("assoc_actor_2", "string"),
    ("inter2", "int64"), ("interaction", "int64"), ("iso3", "string"), ("country", "string"),
    ("admin1", "string"), ("admin2", "string"), ("admin3", "string"), ("location", "string"),
    ("latitude", "double"), ("longitude", "double"), ("geo_precision", "int64"),
    ("source", "string"), ("source_scale", "string"), ("notes", "string"),
    ("fatalities", "int64"), ("tidings_id", "string"), ("plover_type", "string"),
    ("plover_mode", "string"), *REVIEW_COLUMNS,
]
PLOVER_COLUMNS: list[tuple[str, str]] = [
    ("id", "string"), ("date", "string"), ("enddate", "string"), ("actor", "json"),
    ("recipient", "json"), ("event", "json"), ("mode", "json"), ("context", "json"),
    ("event_loc", "json"), ("event_text", "json"), ("size", "json"), ("link", "string"),
    ("text", "string"), ("cite_info", "json"), ("coder", "string"), ("comment", "string"),
    ("actor_country", "string"), ("actor_sector", "string"), ("recipient_country", "string"),
    ("recipient_sector", "string"), ("location", "string"), ("lat", "double"),
    ("lon", "double"), ("date_granularity", "string"), ("confidence", "double"),
    ("mention_count", "int64"), ("source_count", "int64"), *REVIEW_COLUMNS,
]
COLUMNS = {"native": NATIVE_COLUMNS, "acled": ACLED_COLUMNS, "plover": PLOVER_COLUMNS}


@lru_cache(maxsize=1)
def acled_mapping() -> dict[str, Any]:
    """Load the PLOVER → ACLED mapping shipped in ``data/plover_acled.json``."""
    raw = resources.files("tidings.data").joinpath("plover_acled.json").read_text("utf-8")
    return {k: v for k, v in json.loads(raw).items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 → country name, from ``data/countries.json``."""
    raw = resources.files("tidings.data").joinpath("countries.json").read_text("utf-8")
    return {c["iso3"]: c["name"] for c in json.loads(raw)}


# ---------------------------------------------------------------- records

def story_record(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": s["id"], "story_id": s["id"], "type": s["type"], "mode": s["mode"],
        "modality": s["modality"], "confidence": s["confidence"],
        "date_start": s["date_start"], "date_end": s["date_end"],
        "date_granularity": s["date_granularity"], "date_basis": s["date_basis"],
        "source": s["source_actors"], "target": s["target_actors"],
        "place_name": s["place_name"], "place_country": s["place_country"],
        "place_admin1": s["place_admin1"], "geonameid": s["geonameid"], "lat": s["lat"],
        "lon": s["lon"], "place_kind": s["place_kind"], "evidence": s["evidence"],
        "trigger_text": (s.get("mentions") or [{}])[0].get("trigger_text"),
        "magnitudes": s["magnitudes"], "mention_count": s["mention_count"],
        "article_count": s["article_count"], "source_count": s["source_count"],
        "sources": s["sources"], "first_reported": s["first_reported"],
        "last_reported": s["last_reported"],
        "article_ids": sorted({m["article_id"] for m in s.get("mentions", [])}),
        # the languages of the articles reporting it ("en", "fr", or "en; fr")
        "language": "; ".join(sorted({m.get("language") or "en"
                                      for m in s.get("mentions", [])})) or None,
        "urls": sorted({m["url"] for m in s.get("mentions", []) if m.get("url")}),
        "mentions": [{k: m.get(k) for k in ("event_id", "article_id", "published", "source",
                                            "title", "url", "evidence", "trigger_text",
                                            "date_start", "date_end", "place_name",
                                            "language", "review_status")}
                     for m in s.get("mentions", [])],
        **review_state([m.get("review_status") for m in s.get("mentions", [])]),
    }


def review_state(statuses: list[str | None]) -> dict[str, Any]:
    """``reviewed`` and ``review_status`` of an event, or of a story from its mentions'
    statuses: edited if a mention was corrected, else accepted if one was confirmed (a
    rejected mention is no part of any story)."""
    for status in ("edited", "accepted", "rejected"):
        if status in statuses:
            return {"reviewed": status != "rejected", "review_status": status}
    return {"reviewed": False, "review_status": None}


def mention_record(r: dict[str, Any], sources: list[str] | None = None,
                   story_id: str | None = None) -> dict[str, Any]:
    """The export record of one event mention (a row of ``Reader.query_events``), with the
    outlets that published its article and the story it belongs to."""
    ev = r["event"]
    srcs = list(sources or [])
    if not srcs and r.get("article_source"):
        srcs = [r["article_source"]]
    return {
        "id": r["id"], "story_id": story_id, "type": r["type"],
        "mode": r["mode"], "modality": r["modality"], "confidence": r["confidence"],
        "date_start": r["date_start"], "date_end": r["date_end"],
        "date_granularity": r["date_granularity"], "date_basis": r["date_basis"],
        "source": ev.get("source", []), "target": ev.get("target", []),
        "place_name": r["place_name"], "place_country": r["place_country"],
        "place_admin1": r["place_admin1"], "geonameid": r["geonameid"], "lat": r["lat"],
        "lon": r["lon"], "place_kind": r["place_kind"], "evidence": r["evidence"],
        "trigger_text": r["trigger_text"], "magnitudes": ev.get("magnitudes") or {},
        **_divisions(r, ev.get("location")),
        "mention_count": 1, "article_count": 1, "source_count": len(srcs), "sources": srcs,
        "first_reported": r["article_published"], "last_reported": r["article_published"],
        "article_ids": [r["article_id"]], "language": r.get("language") or "en",
        "urls": [u for u in [r.get("article_url")] if u],
        "mentions": [],
        **review_state([r.get("review_status")]),
    }


def mention_records(reader: Reader, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Export records of event mentions, each with its article's outlets and its story."""
    from .stories import reported_sources, story_of_event

    sources = reader.has_table("article_sources")
    stories_here = reader.has_table("story_mentions")
    out = []
    for r in rows:
        # the article's outlets and those of near-duplicates that carry the evidence sentence
        srcs = reported_sources(reader, r["article_id"], r["evidence"] or "") if sources else []
        sid = story_of_event(reader, r["id"]) if stories_here else None
        out.append(mention_record(r, srcs, sid))
    return out


def reviewed(recs: list[dict[str, Any]], reviewed_only: bool = False) -> list[dict[str, Any]]:
    """Export records without the events a reviewer rejected; with ``reviewed_only``, only
    those a person confirmed or corrected."""
    if reviewed_only:
        return [r for r in recs if r["reviewed"]]
    return [r for r in recs if r["review_status"] != "rejected"]


def records(conn: Any, mentions: bool = False, query: Any = None,
            reviewed_only: bool = False) -> list[dict[str, Any]]:
    """Return the export records: story events, or raw mentions with ``mentions=True``
    (``query``: a ``StoryQuery``, or an ``EventQuery`` for mentions); never the events a
    reviewer rejected, and with ``reviewed_only`` only those a person confirmed."""
    from .storage import EventQuery, as_reader
    from .stories import query_story_events

    reader = as_reader(conn)
    if mentions:
        return reviewed(mention_records(reader, reader.query_events(query or EventQuery())),
                        reviewed_only)
    out = [story_record(s) for s in query_story_events(reader, query)]
    _story_divisions(reader, out)
    return reviewed(out, reviewed_only)


def filtered_records(reader: Reader, f: EventFilter, mentions: bool | None = None,
                     reviewed_only: bool = False) -> list[dict[str, Any]]:
    """Export records of the events matching ``f`` (the REST API's filters): raw mentions,
    or the story events those mentions belong to (``mentions=False``; by default when the
    store has stories)."""
    from .stories import story_event, story_of_event

    stories_here = reader.has_table("story_events") and reader.execute(
        "SELECT 1 FROM story_events LIMIT 1").fetchone() is not None
    use_mentions = (not stories_here) if mentions is None else mentions
    rows = reader.query_events(f)
    if use_mentions:
        return reviewed(mention_records(reader, rows), reviewed_only)
    if not stories_here:
        return []
    sids = dict.fromkeys(sid for sid in (story_of_event(reader, r["id"]) for r in rows) if sid)
    out = [story_record(s) for s in (story_event(reader, sid) for sid in sids) if s]
    _story_divisions(reader, out)
    return reviewed(out, reviewed_only)


def _divisions(row: dict[str, Any] | None, location: dict[str, Any] | None,
               ) -> dict[str, Any]:
    """Names of the divisions of an event place: the event row's columns (migration 6), else
    the event's stored JSON (rows written before the columns existed)."""
    row, loc = row or {}, location or {}
    a1, a2 = row.get("place_admin1_name"), row.get("place_admin2")
    if a1 is None and a2 is None:
        a1, a2 = loc.get("admin1_name"), loc.get("admin2")
    return {"place_admin1_name": a1, "place_admin2": a2}


def _story_divisions(reader: Reader, recs: list[dict[str, Any]]) -> None:
    """Give story records the division names of the mention whose place the story took."""
    for rec in recs:
        rec.update(_divisions(None, None))
        ids = [m.get("event_id") for m in rec.get("mentions", []) if m.get("event_id")]
        if not rec.get("place_name") or not ids:
            continue
        marks = ",".join("?" * len(ids))
        # every column: a store served read-only may predate migration 6's
        cur = reader.execute(f"SELECT * FROM events WHERE id IN ({marks}) ORDER BY id",  # noqa: S608
                             ids)
        names = [d[0] for d in cur.description]
        for values in cur.fetchall():
            row = dict(zip(names, values))
            loc = (json.loads(row["json"]) or {}).get("location") or {}
            if loc.get("name") == rec["place_name"] and loc.get("kind") == rec["place_kind"]:
                rec.update(_divisions(row, loc))
                break


# ---------------------------------------------------------------- profiles

def _names(actors: list[dict[str, Any]]) -> str:
    return "; ".join(a.get("name") or "" for a in actors)


def _codes(actors: list[dict[str, Any]], key: str) -> str:
    return "; ".join(dict.fromkeys(a.get(key) or "" for a in actors if a.get(key)))


def native_row(rec: dict[str, Any]) -> dict[str, Any]:
    """The ``native`` profile: DESIGN section 3 event fields, flattened."""
    row = {k: rec.get(k) for k, _ in NATIVE_COLUMNS}
    row.update(source_names=_names(rec["source"]), target_names=_names(rec["target"]),
               source_countries=_codes(rec["source"], "country"),
               target_countries=_codes(rec["target"], "country"),
               source_sectors=_codes(rec["source"], "sector"),
               target_sectors=_codes(rec["target"], "sector"),
               sources="; ".join(rec["sources"]), article_ids="; ".join(rec["article_ids"]))
    for k in MAGNITUDE_KINDS:
        row[k] = rec["magnitudes"].get(k)
    return row


def acled_event_type(rec: dict[str, Any]) -> dict[str, str] | None:
    """Map a record's PLOVER type/mode to ACLED event and sub-event types (or None)."""
    mapping = acled_mapping()
    entry = mapping.get(f"{rec['type']}/{rec['mode']}") or mapping.get(rec["type"])
    if entry is None:
        return None
    targets = rec["target"]
    if "civilian_target" in entry and (not targets or all(
            (a.get("sector") or "CVL") in _CIVILIAN for a in targets)):
        entry = entry["civilian_target"]
    if "rebel_actor" in entry and rec["source"] and rec["source"][0].get("sector") == "REB":
        entry = entry["rebel_actor"]
    return {k: entry[k] for k in ("event_type", "sub_event_type", "disorder_type")}


def acled_inter(actor: dict[str, Any] | None, event_type: str, country: str | None) -> int:
    """ACLED interaction code of an actor: 1 state forces, 2 rebels, 3 political militias,
    5 rioters, 6 protesters, 7 civilians, 8 external/other forces, 0 none."""
    if actor is None:
        return 0
    sector = actor.get("sector")
    if event_type == "Protests" and sector not in _STATE | {"REB"}:
        return 6
    if event_type == "Riots" and sector not in _STATE | {"REB"}:
        return 5
    if sector is None and actor.get("country") and actor.get("kb_id") in (None,
                                                                         actor["country"]):
        sector = "GOV"  # a country named as the actor ("Ethiopia signed ...") is its state
    if sector in _STATE:
        foreign = country and actor.get("country") and actor["country"] != country
        return 8 if foreign else 1
    if sector == "REB":
        return 2
    if sector in ("CRM", "PTY", "OPP"):
        return 3
    if sector in ("IGO", "NGO") or actor.get("kb_id") and not actor.get("country"):
        return 8
    return 7


def acled_row(rec: dict[str, Any]) -> dict[str, Any] | None:
    """The ``acled`` profile; None for events with no ACLED equivalent."""
    et = acled_event_type(rec)
    if et is None:
        return None
    iso = rec["place_country"] or next(
        (a["country"] for a in rec["source"] + rec["target"] if a.get("country")), None)
    a1 = rec["source"][0] if rec["source"] else None
    a2 = rec["target"][0] if rec["target"] else None
    i1 = acled_inter(a1, et["event_type"], iso)
    i2 = acled_inter(a2, et["event_type"], iso)
    kind = rec["place_kind"] or ""
    geo = 1 if kind in ("city", "feature") else 2 if kind == "admin2" else 3
    num = int(hashlib.sha256(rec["id"].encode()).hexdigest()[:12], 16) % 10**8
    if rec["date_basis"] in ("published", "context"):  # a day inferred, not stated
        tp = 2
    else:
        tp = _GRAN_ACLED.get(rec["date_granularity"], 3)
    notes = rec["evidence"] or ""
    if rec["magnitudes"]:
        notes += " [" + ", ".join(f"{k}: {v}" for k, v in rec["magnitudes"].items()) + "]"
    return {
        "event_id_cnty": f"{iso or 'XXX'}{num}", "event_date": rec["date_start"],
        "year": int(rec["date_start"][:4]), "time_precision": tp, **et,
        "actor1": a1.get("name") if a1 else None,
        "assoc_actor_1": _names(rec["source"][1:]) or None, "inter1": i1,
        "actor2": a2.get("name") if a2 else None,
        "assoc_actor_2": _names(rec["target"][1:]) or None, "inter2": i2,
        "interaction": int(f"{min(i1, i2)}{max(i1, i2)}") if i1 and i2 else max(i1, i2) * 10,
        "iso3": iso, "country": country_names().get(iso or "", iso),
        "admin1": (rec.get("place_admin1_name") or rec["place_admin1"])
        if kind not in ("country", "region") else None,
        "admin2": rec.get("place_admin2") if kind not in ("country", "region") else None,
        "admin3": None,
        "location": rec["place_name"] or country_names().get(iso or "", None),
        "latitude": rec["lat"], "longitude": rec["lon"], "geo_precision": geo,
        "source": "; ".join(rec["sources"]) or None, "source_scale": None, "notes": notes,
        "fatalities": int(rec["magnitudes"].get("killed", 0)), "tidings_id": rec["id"],
        "plover_type": rec["type"], "plover_mode": rec["mode"],
        "reviewed": rec["reviewed"], "review_status": rec["review_status"],
    }


def _entity(a: dict[str, Any]) -> dict[str, Any]:
    return {"code": a.get("country"), "sector": a.get("sector"),
            "entity_text": a.get("text") or a.get("name"), "identifier_id": a.get("kb_id"),
            "identifier_text": a.get("name")}


def plover_row(rec: dict[str, Any]) -> dict[str, Any]:
    """The ``plover`` profile: PLOVER's JSON record fields (manual, Data Fields chapter)."""
    loc = None
    if rec["place_name"] or rec["place_country"]:
        kind = rec["place_kind"] or ""
        loc = {"extracted_place": rec["place_name"], "resolved_place": rec["place_name"],
               "geonameid": rec["geonameid"], "lat": rec["lat"], "lon": rec["lon"],
               "province": rec["place_admin1"],
               "country": country_names().get(rec["place_country"] or "", None),
               "country_code": rec["place_country"],
               "resolution": {"city": 4, "feature": 5, "admin2": 3, "admin1": 2,
                              "country": 1}.get(kind)}
    size = {"dead" if k == "killed" else k: v for k, v in rec["magnitudes"].items()}
    return {
        "id": f"tidings-{rec['id']}", "date": rec["date_start"], "enddate": rec["date_end"],
        "actor": [_entity(a) for a in rec["source"]],
        "recipient": [_entity(a) for a in rec["target"]], "event": [rec["type"]],
        "mode": [rec["mode"]] if rec["mode"] else [], "context": [],
        "event_loc": loc, "event_text": [m["evidence"] for m in rec["mentions"]]
        or [rec["evidence"]], "size": size or None,
        "link": rec["story_id"], "text": rec["evidence"],
        "cite_info": [{"publication": s, "url": u} for s, u in
                      zip(rec["sources"], rec["urls"] + [None] * len(rec["sources"]))]
        or None,
        "coder": "tidings", "comment": f"modality={rec['modality']}; date "
                                       f"{rec['date_granularity']} ({rec['date_basis']})",
        "actor_country": _codes(rec["source"], "country") or None,
        "actor_sector": _codes(rec["source"], "sector") or None,
        "recipient_country": _codes(rec["target"], "country") or None,
        "recipient_sector": _codes(rec["target"], "sector") or None,
        "location": rec["place_name"], "lat": rec["lat"], "lon": rec["lon"],
        "date_granularity": rec["date_granularity"], "confidence": rec["confidence"],
        "mention_count": rec["mention_count"], "source_count": rec["source_count"],
        "reviewed": rec["reviewed"], "review_status": rec["review_status"],
    }


PROFILE_ROWS: dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]] = {
    "native": native_row, "acled": acled_row, "plover": plover_row,
}


# ---------------------------------------------------------------- writers

#: first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """Return ``value`` as a CSV cell: None as empty, a text starting like a formula
    (:data:`FORMULA_START`) prefixed with ``'`` so spreadsheets show it as text; numbers as
    they are (a negative latitude stays a number)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Return the cells of one CSV row (:func:`csv_cell` of each value)."""
    return [csv_cell(v) for v in values]


def flat_value(value: Any, typ: str) -> Any:
    """A column value as CSV, Parquet and GeoJSON carry it (JSON text for nested values)."""
    if typ == "json":
        return None if value is None else json.dumps(value, ensure_ascii=False)
    if value is None:
        return None
    if typ == "bool":
        return bool(value)
    if typ == "int64":
        return int(value)
    if typ == "double":
        return float(value)
    return str(value)


def csv_chunks(rows: Iterable[dict[str, Any]], cols: list[tuple[str, str]],
               every: int = 200) -> Iterator[str]:
    """CSV text of ``rows`` (header first), in chunks of ``every`` rows."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([c for c, _ in cols])
    for i, r in enumerate(rows):
        w.writerow(csv_row(flat_value(r.get(c), t) for c, t in cols))
        if i % every == every - 1:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def jsonl_chunks(rows: Iterable[dict[str, Any]], cols: list[tuple[str, str]],
                 ) -> Iterator[str]:
    """JSON Lines of ``rows``: one object per row, nested values kept nested."""
    for r in rows:
        yield json.dumps({c: r.get(c) for c, _ in cols}, ensure_ascii=False) + "\n"


def geojson_chunks(rows: Iterable[dict[str, Any]], cols: list[tuple[str, str]], lat: str,
                   lon: str, skip_unlocated: bool = False) -> Iterator[str]:
    """A GeoJSON FeatureCollection of ``rows``, a feature at a time (``[lon, lat]`` points;
    ``"geometry": null`` for rows without coordinates, or none with ``skip_unlocated``)."""
    yield '{"type":"FeatureCollection","features":['
    first = True
    for r in rows:
        la, lo = r.get(lat), r.get(lon)
        geom = {"type": "Point", "coordinates": [float(lo), float(la)]} \
            if la is not None and lo is not None else None
        if geom is None and skip_unlocated:
            continue
        props = {c: flat_value(r.get(c), t) for c, t in cols}
        feat = {"type": "Feature", "id": str(props.get(cols[0][0])), "geometry": geom,
                "properties": props}
        yield ("" if first else ",") + json.dumps(feat, ensure_ascii=False)
        first = False
    yield "]}\n"


def _write_chunks(chunks: Iterable[str], out: Path, newline: str | None = None) -> None:
    with out.open("w", newline=newline, encoding="utf-8") as f:
        for chunk in chunks:
            f.write(chunk)


def _write_parquet(rows: list[dict[str, Any]], cols: list[tuple[str, str]], out: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
        raise UsageError("E321 Parquet export needs pyarrow: pip install pyarrow") from exc
    types = {"string": pa.string(), "json": pa.string(), "int64": pa.int64(),
             "double": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(c, types[t]) for c, t in cols])
    data = {c: [flat_value(r.get(c), t) for r in rows] for c, t in cols}
    pq.write_table(pa.table(data, schema=schema), out)


def export(conn: Any, fmt: str, output: str | Path, profile: str = "native",
           mentions: bool = False, query: Any = None, skip_unlocated: bool = False,
           reviewed_only: bool = False) -> dict[str, int]:
    """Write the store's events to ``output``; return ``{"rows": n, "left_out": m}``
    (``left_out``: events with no equivalent in the profile, or skipped as unlocated)."""
    if fmt not in FORMATS:
        raise UsageError(f"E322 unknown --format {fmt!r}. Available: {', '.join(FORMATS)}")
    if profile not in PROFILES:
        raise UsageError(f"E323 unknown --profile {profile!r}. Available: "
                         f"{', '.join(PROFILES)}")
    out = Path(output)
    if out.parent and not out.parent.exists():
        raise UsageError(f"E324 folder {out.parent} does not exist")
    if out.is_dir():
        raise UsageError(f"E325 --output {out} is a folder: give a file name, e.g."
                         f" {out / ('events.' + fmt)}")
    recs = records(conn, mentions=mentions, query=query, reviewed_only=reviewed_only)
    rows = [r for r in (PROFILE_ROWS[profile](rec) for rec in recs) if r is not None]
    cols = COLUMNS[profile]
    lat, lon = lat_lon(profile)
    try:
        if fmt == "csv":
            _write_chunks(csv_chunks(rows, cols), out, newline="")
        elif fmt == "jsonl":
            _write_chunks(jsonl_chunks(rows, cols), out)
        elif fmt == "parquet":
            _write_parquet(rows, cols, out)
        else:
            _write_chunks(geojson_chunks(rows, cols, lat, lon, skip_unlocated), out)
    except OSError as exc:  # pyarrow's ArrowIOError is an OSError too
        raise UsageError(f"E326 cannot write {out}: {exc.strerror or exc}") from None
    if fmt == "geojson":
        located = sum(1 for r in rows if r.get(lat) is not None and r.get(lon) is not None)
        if skip_unlocated:
            return {"rows": located, "left_out": len(recs) - located}
    return {"rows": len(rows), "left_out": len(recs) - len(rows)}


def lat_lon(profile: str) -> tuple[str, str]:
    """The coordinate columns of a profile."""
    return ("latitude", "longitude") if profile == "acled" else ("lat", "lon")
