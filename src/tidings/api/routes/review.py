"""Review over the API: ``GET /api/review/queue`` (the events the model is least sure of) and
``POST /api/events/{id}/review`` (accept, reject or edit one field), the write behind the
bearer token of ingest and run on the single writer thread; a stale version is a 409."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ...errors import StoreError
from ..bodies import check_json_content_type, load_json
from ..errors import ApiError, bad
from ..pool import PoolDep
from .ingest import _authorise, _read_body

router = APIRouter(tags=["review"])

#: a StoreError's code → (HTTP status, API code)
_STATUS = {"E210": (409, "E520"), "E211": (404, "E504"), "E212": (422, "E521")}


class ReviewIn(BaseModel):
    """One review of an event: who, what, and the version of the event the reviewer saw."""

    status: str = Field(..., description="accepted, rejected or edited")
    reviewer: str = Field(..., min_length=1, max_length=200)
    expected_version: int = Field(..., ge=0, description="review_version the reviewer saw"
                                  " (0: unreviewed)")
    field: str | None = Field(None, description="the edited field (status edited)")
    value: str | None = Field(None, max_length=200)


@router.get("/api/review/queue")
def review_queue(
    pool: PoolDep,
    type: Annotated[str | None, Query(description="PLOVER type")] = None,
    country: Annotated[str | None, Query(description="ISO-3 country")] = None,
    unreviewed: Annotated[bool, Query(description="only events nobody reviewed")] = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """The events to review, least confident first, each with its ``review_version`` (send
    it back as ``expected_version``) and the evidence sentence with the trigger marked."""
    from ...model import PLOVER_TYPES
    from ...review import marked_sentence, queue

    if type and type.upper() not in PLOVER_TYPES:
        raise bad(f"unknown type {type!r}. Available: {', '.join(PLOVER_TYPES)}")
    with pool.connection() as conn:
        items = queue(conn, type, country, unreviewed, limit)
    for e in items:
        e["marked_sentence"] = marked_sentence(e)
    return {"items": items}


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
