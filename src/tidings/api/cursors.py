"""Pagination cursors: opaque keyset tokens, checked before any value reaches SQL.

A cursor is base64url of the JSON ``[sort, value, id]``: the sort order it belongs to, the
sort value and id of the last row of the page. Clients pass ``next_cursor`` back unchanged;
anything else (not base64 or JSON, nested 1,500 deep, a number beyond SQLite's 64-bit
integers, NaN, a value of the wrong type for its sort, another sort's cursor) is a 400 E502
with a message, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

from .bodies import json_depth
from .errors import ApiError

#: SQLite's INTEGER range: a larger Python int cannot be bound (OverflowError)
INT64 = (-(1 << 63), (1 << 63) - 1)
#: the longest id a cursor may carry (ids are 16-40 characters)
MAX_ID_CHARS = 200
#: sort orders whose keyset value is a number; the others (dates) are strings
NUMERIC_SORTS = ("confidence", "-confidence")


def encode_cursor(sort: str, value: Any, event_id: str) -> str:
    """Return an opaque cursor for the row after (``value``, ``event_id``) in ``sort``."""
    raw = json.dumps([sort, value, event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid(why: str) -> ApiError:
    return ApiError(400, "E502", f"E502 invalid cursor ({why}): pass next_cursor back unchanged")


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a value")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    """Return the (value, id) keyset of ``cursor`` for ``sort``; raise ApiError E502 if it is
    not a cursor of that sort order."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _invalid("not base64 text") from None
    if json_depth(raw, 1) > 1:
        raise _invalid("nested")
    try:
        s, value, event_id = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, TypeError, RecursionError):
        raise _invalid("not a [sort, value, id] list") from None
    if s != sort:
        raise ApiError(400, "E502", f"E502 the cursor belongs to another sort order ({s!r}):"
                       " start again without a cursor")
    if not isinstance(event_id, str) or not event_id or len(event_id) > MAX_ID_CHARS:
        raise _invalid("bad id")
    if sort in NUMERIC_SORTS:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _invalid("the value is not a number")
        if isinstance(value, int) and not INT64[0] <= value <= INT64[1] or \
                isinstance(value, float) and not math.isfinite(value):
            raise _invalid("the value is out of range")
    elif not isinstance(value, str):
        raise _invalid("the value is not a date")
    return value, event_id
