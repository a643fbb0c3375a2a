"""The API's records: an event row as JSON, a story summary, quad classes, fast JSON."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import Response

#: PLOVER quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
#: 4 material conflict (the dashboard colours events by these)
QUADS: dict[int, tuple[str, tuple[str, ...]]] = {
    1: ("verbal cooperation", ("AGREE", "CONSULT", "SUPPORT", "CONCEDE")),
    2: ("material cooperation", ("COOPERATE", "AID", "RETREAT")),
    3: ("verbal conflict", ("REQUEST", "ACCUSE", "REJECT", "THREATEN")),
    4: ("material conflict", ("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")),
}
QUAD_OF: dict[str, int] = {t: q for q, (_, types) in QUADS.items() for t in types}


def fast_json(obj: Any, status: int = 200) -> Response:
    """Return ``obj`` (plain JSON types only) as a JSON response, skipping FastAPI's encoder
    (a large share of a page's time for 100 nested events)."""
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Response(body, status_code=status, media_type="application/json")


EVENT_SELECT = (
    "e.id, e.article_id, e.type, e.mode, e.modality, e.confidence, e.date_start, e.date_end,"
    " e.date_granularity, e.date_basis, e.trigger_text, e.trigger_start, e.trigger_end,"
    " e.sentence_start, e.sentence_end, e.evidence, e.place_name, e.place_country,"
    " e.place_admin1, e.geonameid, e.lat, e.lon, e.place_kind, e.time_text, e.time_value,"
    " e.json, a.title AS article_title, a.published AS article_published,"
    " a.source AS article_source, a.url AS article_url")


def event_select(conn: Any) -> str:
    """``EVENT_SELECT`` with the article's language (``'en'`` in a store before version 4)."""
    return f"{EVENT_SELECT}, {conn.language_sql('a')} AS language"


def event_item(r: Any) -> dict[str, Any]:
    """Return the API record of one event row (selected with :func:`event_select`)."""
    ev = json.loads(r["json"])
    return {
        "id": r["id"], "article_id": r["article_id"], "type": r["type"],
        "quad": QUAD_OF.get(r["type"]), "mode": r["mode"], "modality": r["modality"],
        "confidence": r["confidence"], "date_start": r["date_start"], "date_end": r["date_end"],
        "date_granularity": r["date_granularity"], "date_basis": r["date_basis"],
        "trigger": {"text": r["trigger_text"], "start": r["trigger_start"],
                    "end": r["trigger_end"]},
        "sentence": {"start": r["sentence_start"], "end": r["sentence_end"]},
        "evidence": r["evidence"],
        "place": {"name": r["place_name"], "country": r["place_country"],
                  "admin1": r["place_admin1"], "geonameid": r["geonameid"], "lat": r["lat"],
                  "lon": r["lon"], "kind": r["place_kind"]} if r["place_name"] or
        r["lat"] is not None or r["place_country"] else None,
        "lat": r["lat"], "lon": r["lon"],
        "source": ev.get("source", []), "target": ev.get("target", []),
        "language": r["language"],
        "article": {"id": r["article_id"], "title": r["article_title"],
                    "published": r["article_published"], "source": r["article_source"],
                    "url": r["article_url"], "language": r["language"]},
    }


def mention_of(item: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """Return an event row in the shape of ``stories.story_mentions`` (a story of one)."""
    art = item["article"]
    return {"event_id": item["id"], "article_id": item["article_id"],
            "published": art["published"], "title": art["title"], "source": art["source"],
            "url": art["url"], "type": item["type"], "mode": item["mode"],
            "modality": item["modality"], "date_start": item["date_start"],
            "date_end": item["date_end"], "date_granularity": item["date_granularity"],
            "date_basis": item["date_basis"], "trigger_text": item["trigger"]["text"],
            "evidence": item["evidence"], "place_name": (item["place"] or {}).get("name"),
            "place_country": (item["place"] or {}).get("country"),
            "confidence": item["confidence"], "score": 1.0,
            "magnitudes": event.get("magnitudes") or {}, "source_actors": item["source"],
            "target_actors": item["target"], "copies": []}


def story_summary(s: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "type", "mode", "modality", "date_start", "date_end", "date_granularity",
            "date_basis", "place_name", "place_country", "lat", "lon", "mention_count",
            "event_count", "article_count", "source_count", "sources", "first_reported",
            "last_reported", "confidence", "evidence", "magnitudes")
    out = {k: s.get(k) for k in keep}
    out["source"] = s.get("source_actors", [])
    out["target"] = s.get("target_actors", [])
    out["quad"] = QUAD_OF.get(s.get("type") or "")
    return out
