"""Request parameters: the event filters every read endpoint shares, dates and pages.

:func:`event_filters` (a FastAPI dependency) validates the query string into a
:class:`~tidings.storage.base.EventFilter` (errors list the valid values, E501); the storage
layer turns that into SQL (:mod:`tidings.storage.filters`). Cursors are in :mod:`.cursors`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query

from ..model import MODALITIES, PLOVER_TYPES, SECTORS
from ..storage.base import EventFilter
from .errors import bad
from .records import QUADS

MAX_PAGE = 1000
_ISO3 = re.compile(r"^[A-Za-z]{3}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def split(values: list[str] | None) -> list[str]:
    """Accept both repeated parameters and comma-separated lists."""
    out: list[str] = []
    for v in values or []:
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


def norm_date(value: str | None, name: str, end: bool) -> str | None:
    """Return a YYYY[-MM[-DD]] bound as a comparable string (the end of a period for until)."""
    if value is None or not value.strip():
        return None
    v = value.strip()
    if not _DATE.match(v):
        raise bad(f"{name} {value!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
    parts = v.split("-")
    try:
        date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
             int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise bad(f"{name} {value!r} is not a valid date") from None
    if len(parts) == 3:
        return v
    if len(parts) == 2:  # the month's real last day: a valid date for PostgreSQL's DATE too
        last = calendar.monthrange(int(parts[0]), int(parts[1]))[1]
        return v + (f"-{last:02d}" if end else "-01")
    return v + ("-12-31" if end else "-01-01")


def event_filters(
    type: Annotated[list[str] | None, Query(
        description="PLOVER type(s), comma-separated or repeated: ASSAULT,PROTEST")] = None,
    quad: Annotated[list[str] | None, Query(
        description="Quad class(es) 1-4: 1 verbal cooperation, 2 material cooperation,"
                    " 3 verbal conflict, 4 material conflict")] = None,
    mode: Annotated[list[str] | None, Query(description="PLOVER mode(s), e.g. withdraw")] = None,
    actor: Annotated[str | None, Query(
        description="Actor name or mention text (substring), knowledge-base id, or ISO-3"
                    " country of an actor", max_length=200)] = None,
    role: Annotated[str, Query(description="Actor role that `actor` and `sector` match:"
                               " source, target or any")] = "any",
    country: Annotated[list[str] | None, Query(
        description="ISO-3 country of the place or of a source/target actor")] = None,
    sector: Annotated[list[str] | None, Query(description="Actor sector code(s): GOV, MIL…")
                      ] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="Radius centre latitude")
                   ] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180, description="Radius centre longitude")
                   ] = None,
    km: Annotated[float | None, Query(gt=0, le=20040, description="Radius in km")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees"
                                      " (west > east crosses the antimeridian)")] = None,
    since: Annotated[str | None, Query(description="Events ending on or after (YYYY[-MM[-DD]])")
                     ] = None,
    until: Annotated[str | None, Query(
        description="Events starting on or before (YYYY[-MM[-DD]])")] = None,
    q: Annotated[str | None, Query(description="Full-text query over the article (FTS5 on"
                                   " SQLite, web-search syntax on PostgreSQL)",
                                   max_length=500)] = None,
    modality: Annotated[list[str] | None, Query(
        description="asserted, negated, hypothetical, future, historical")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    article_id: Annotated[str | None, Query(max_length=100)] = None,
    language: Annotated[list[str] | None, Query(
        description="Language(s) of the events' articles: en, fr")] = None,
) -> EventFilter:
    """Parse and validate the event filters of a request (a FastAPI dependency)."""
    f = EventFilter(types=_types(type, quad), modes=[m.lower() for m in split(mode)],
                    actor=actor.strip() if actor and actor.strip() else None,
                    countries=_checked([c.upper() for c in split(country)], None, "country"),
                    sectors=_checked([s.upper() for s in split(sector)], SECTORS, "sector"),
                    since=norm_date(since, "since", end=False),
                    until=norm_date(until, "until", end=True),
                    q=q.strip() if q and q.strip() else None,
                    modalities=_checked([m.lower() for m in split(modality)], MODALITIES,
                                        "modality"),
                    min_confidence=min_confidence, article_id=article_id or None,
                    languages=languages(language))
    if role not in ("source", "target", "any"):
        raise bad(f"unknown role {role!r}. Available: source, target, any")
    f.role = role
    given = [x is not None for x in (lat, lon, km)]
    if any(given) and not all(given):
        raise bad("a radius needs all of lat, lon and km")
    f.lat, f.lon, f.km = lat, lon, km
    f.bbox = _bbox(bbox) if bbox else None
    return f


def languages(values: list[str] | None) -> list[str]:
    """Article languages named (``language=fr``, ``language=en,fr``), each one known."""
    from ..language import LANGUAGES

    return _checked([v.lower() for v in split(values)], LANGUAGES, "language")


def _types(type: list[str] | None, quad: list[str] | None) -> list[str]:
    """PLOVER types named, plus those of the quad classes named."""
    types = _checked([t.upper() for t in split(type)], PLOVER_TYPES, "type")
    for qv in split(quad):
        if qv not in ("1", "2", "3", "4"):
            raise bad(f"unknown quad {qv!r}. Available: 1, 2, 3, 4")
        types += [t for t in QUADS[int(qv)][1] if t not in types]
    return types


def _checked(values: list[str], valid: Any, what: str) -> list[str]:
    """``values``, each one known (``valid``; None: an ISO-3 country code)."""
    for v in values:
        if valid is None and not _ISO3.match(v):
            raise bad(f"country {v!r} is not an ISO 3166-1 alpha-3 code (e.g. NER)")
        if valid is not None and v not in valid:
            raise bad(f"unknown {what} {v!r}. Available: {', '.join(valid)}")
    return values


def _bbox(bbox: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(x) for x in bbox.split(","))
    except ValueError:
        raise bad(f"bbox {bbox!r} is not west,south,east,north (four numbers)") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise bad(f"bbox {bbox!r} is out of range: -180..180, -90..90, south <= north")
    return west, south, east, north


FiltersDep = Annotated[EventFilter, Depends(event_filters)]


def page_limit(limit: int) -> int:
    """A page size within 1..MAX_PAGE."""
    return max(1, min(limit, MAX_PAGE))
