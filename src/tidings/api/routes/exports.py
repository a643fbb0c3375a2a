"""``GET /api/export``: the filtered events as CSV, JSON Lines or GeoJSON, streamed with the
writers and profiles of ``tidings export`` (:mod:`tidings.export`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from ... import export as ex
from ..errors import bad
from ..filters import FiltersDep
from ..pool import PoolDep

router = APIRouter(tags=["export"])

_MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
          "geojson": "application/geo+json"}


@router.get("/api/export",
            responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {},
                                         "application/geo+json": {}}}})
def export(
    pool: PoolDep,
    f: FiltersDep,
    format: Annotated[str, Query(description="csv, jsonl or geojson")] = "csv",
    profile: Annotated[str, Query(description="native, acled or plover")] = "native",
    mentions: Annotated[bool | None, Query(
        description="Raw event mentions (true) or merged story events (false); default:"
                    " story events when the store has them")] = None,
    reviewed_only: Annotated[bool, Query(
        description="Only events a person confirmed or corrected")] = False,
) -> StreamingResponse:
    """Stream the filtered events as CSV, JSON Lines or GeoJSON (the profiles of
    ``tidings export``)."""
    if format not in _MEDIA:
        raise bad(f"unknown format {format!r}. Available: csv, jsonl, geojson"
                  " (Parquet: use `tidings export`)")
    if profile not in ex.PROFILES:
        raise bad(f"unknown profile {profile!r}. Available: {', '.join(ex.PROFILES)}")
    with pool.connection() as conn:
        recs = ex.filtered_records(conn, f, mentions, reviewed_only)
    to_row, cols = ex.PROFILE_ROWS[profile], ex.COLUMNS[profile]
    rows = (r for r in (to_row(rec) for rec in recs) if r is not None)
    body: Iterator[str]
    if format == "csv":
        body = ex.csv_chunks(rows, cols)
    elif format == "jsonl":
        body = ex.jsonl_chunks(rows, cols)
    else:
        body = ex.geojson_chunks(rows, cols, *ex.lat_lon(profile))
    return StreamingResponse(body, media_type=_MEDIA[format], headers={
        "Content-Disposition": f'attachment; filename="tidings-events.{format}"'})
