"""Review over the API: ``GET /api/review/queue`` (the events the model is least sure of),
``GET /api/review/events/{id}`` (one event as a queue item, with its review history),
``GET /api/gazetteer`` (places to pick for an event, read-only) and
``POST /api/events/{id}/review`` (accept, reject or edit one field), the write behind the
bearer token of ingest and run on the single writer thread; a stale version is a 409."""

from __future__ import annotations

import re
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ...errors import StoreError
from ..bodies import check_json_content_type, load_json
from ..errors import ApiError, bad
from ..pool import PoolDep
from .ingest import _authorise, _read_body

router = APIRouter(tags=["review"])

#: a StoreError's code → (HTTP status, API code)
_STATUS = {"E210": (409, "E520"), "E211": (404, "E504"), "E212": (422, "E521"),
           "E213": (422, "E521"), "E214": (422, "E521")}
_GAZETTEER_LOCK = threading.Lock()  # one load of the gazetteer, however many first searches


class ReviewIn(BaseModel):
    """One review of an event: who, what, and the version of the event the reviewer saw."""

    status: str = Field(..., description="accepted, rejected or edited")
    reviewer: str = Field(..., min_length=1, max_length=200)
    expected_version: int = Field(..., ge=0, description="review_version the reviewer saw"
                                  " (0: unreviewed)")
    field: str | None = Field(None, description="the edited field (status edited): type,"
                              " mode, modality, date_start, date_end, place_name,"
                              " place_country, source, target or place")
    value: str | dict[str, Any] | None = Field(
        None, description="the new value: text; for source and target an actor name or"
        " {name, country, sector}; for place {name, country, lat, lon[, admin1, admin1_name,"
        " admin2, geonameid, kind]} (an entry of GET /api/gazetteer)")


@router.get("/api/review/queue")
def review_queue(
    pool: PoolDep,
    type: Annotated[str | None, Query(description="PLOVER type")] = None,
    country: Annotated[str | None, Query(description="ISO-3 country")] = None,
    unreviewed: Annotated[bool, Query(description="only events nobody reviewed")] = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    after: Annotated[str | None, Query(description="the id of the last event of the previous"
                                       " page: the queue goes on after it",
                                       max_length=200)] = None,
) -> dict[str, Any]:
    """The events to review, least confident first, each with its ``review_version`` (send
    it back as ``expected_version``) and the evidence sentence with the trigger marked."""
    from ...model import PLOVER_TYPES
    from ...review import marked_sentence, queue

    if type and type.upper() not in PLOVER_TYPES:
        raise bad(f"unknown type {type!r}. Available: {', '.join(PLOVER_TYPES)}")
    if country and not re.fullmatch(r"[A-Za-z]{3}", country):
        raise bad(f"bad country {country!r}: write an ISO 3166-1 alpha-3 code (NER)")
    with pool.connection() as conn:
        items = queue(conn, type, country, unreviewed, limit, after)
    for e in items:
        e["marked_sentence"] = marked_sentence(e)
    return {"items": items}


@router.get("/api/review/events/{event_id}")
def review_item(pool: PoolDep, event_id: Annotated[str, Path(max_length=200)]
                ) -> dict[str, Any]:
    """One event as a review queue item (its ``review_version``, the evidence with the
    trigger marked) with its review ``history``, oldest first."""
    from ...review import item, marked_sentence

    with pool.connection() as conn:
        e = item(conn, event_id)
    if e is None:
        raise ApiError(404, "E504", f"E504 no event {event_id!r}")
    e["marked_sentence"] = marked_sentence(e)
    return e


@router.get("/api/gazetteer")
def gazetteer_search(
    q: Annotated[str, Query(min_length=1, max_length=100,
                            description="the first letters of a place name")],
    country: Annotated[str | None, Query(description="ISO-3 country")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """Places of the local gazetteer whose name (or an alternate name) starts with ``q``:
    exact names first, then by population. An entry is what a place edit of a review sends
    as its value."""
    from ...errors import ModelError
    from ...gazetteer import load_gazetteer

    if country and not re.fullmatch(r"[A-Za-z]{3}", country):
        raise bad(f"bad country {country!r}: write an ISO 3166-1 alpha-3 code (NER)")
    try:
        with _GAZETTEER_LOCK:
            g = load_gazetteer()
            found = g.search(q, country.upper() if country else None, limit)
    except (ModelError, OSError) as exc:
        raise ApiError(503, "E522", f"E522 the gazetteer cannot be loaded: {exc}") from None
    return {"items": [{"name": c.name, "country": c.country, "admin1": c.admin1,
                       "admin1_name": c.admin1_name, "admin2": c.admin2, "lat": c.lat,
                       "lon": c.lon, "geonameid": c.geonameid, "kind": c.kind,
                       "population": c.population} for c in found]}


@router.post("/api/events/{event_id}/review",
             responses={401: {"description": "Missing or wrong bearer token"},
                        403: {"description": "Writes are disabled on this server"},
                        409: {"description": "The event was reviewed meanwhile"}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": ReviewIn.model_json_schema()}}}})
async def post_review(event_id: str, request: Request) -> JSONResponse:
    """Record a review of an event (``Authorization: Bearer <token>``, as ingest): its
    ``version`` comes back; a stale ``expected_version`` is refused with 409 (E520)."""
    from pydantic import ValidationError

    from ...review import review_at

    app = request.app
    settings = app.state.settings
    _authorise(request, settings.token)
    check_json_content_type(request.headers.get("content-type"))
    body = await _read_body(request, settings.max_body)
    data = load_json(body)  # 400 E513: not JSON, or nested too deep
    try:
        r = ReviewIn.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "E521", f"E521 not a review: send {{\"status\", \"reviewer\","
                       f" \"expected_version\"[, \"field\", \"value\"]}} ({exc.__class__.__name__})"
                       ) from None
    try:
        version = await app.state.writer.call(review_at, settings.db, event_id, r.status,
                                              r.reviewer, r.expected_version, r.field, r.value)
    except StoreError as exc:
        status, code = _STATUS.get(exc.code, (500, "E503"))
        raise ApiError(status, code, f"{code} {exc}") from None
    app.state.pool.forget()
    return JSONResponse({"id": event_id, "version": version, "status": r.status})
