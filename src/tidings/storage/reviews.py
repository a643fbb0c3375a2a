"""Analysts' corrections: recorded with who, when and the value before, never lost.

An event's reviews are rows of ``reviews`` (migration 5), version 1, 2, ... in order; each is
an *accept*, a *reject* or an *edit* of one field (:data:`FIELDS`). Three fields are compound:
``source`` and ``target`` (an actor: name, country, sector) and ``place`` (a gazetteer entry:
name, country, admin1, lat, lon, geonameid, kind); their values are stored as canonical JSON,
and one edit of them is one review (one version, one audit row) that changes every column and
row that holds them (``event_actors`` and the country lists for actors; the place columns), so
filters and exports see the correction. The event row carries the
result: its columns and its JSON hold the corrected values and ``review_status`` the last
action (``accepted``, ``rejected`` or ``edited``); the article's stored Document keeps the
machine's output, so storing the same Document again is still a no-op.

Optimistic concurrency: a reviewer sends the version it saw (0 for an unreviewed event); a
write whose version is stale is refused (E210), and the primary key ``(event_id, version)``
refuses the second of two writers that read the same version at once. Nothing is silently
overwritten.

Re-extraction (``tidings run --force``, a model upgrade, ``tidings load``) deletes and
re-inserts an article's events; :func:`reapply` then runs in the same transaction and
matches each reviewed event to its counterpart by article and evidence span: the same event
id, else the same trigger span, else the same sentence span and extracted type. A match gets
its corrections again (and the reviews follow its id); a review without one is kept and
flagged ``orphaned`` until an event matches again. Every write goes to ``audit``.

The functions take a connection of a writer's transaction (portable SQL: ``execute`` with
``?`` placeholders, rows readable by index), so both backends share them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ..errors import StoreError
from ..model import MODALITIES, PLOVER_TYPES, SECTORS

STATUSES = ("accepted", "rejected", "edited")


def _check_type(v: str) -> str:
    if v.upper() not in PLOVER_TYPES:
        raise StoreError(f"E212 unknown event type {v!r}. Available: {', '.join(PLOVER_TYPES)}")
    return v.upper()


def _check_modality(v: str) -> str:
    if v.lower() not in MODALITIES:
        raise StoreError(f"E212 unknown modality {v!r}. Available: {', '.join(MODALITIES)}")
    return v.lower()


def _check_date(v: str) -> str:
    try:
        return date.fromisoformat(v.strip()).isoformat()
    except ValueError:
        raise StoreError(f"E212 bad date {v!r}: write YYYY-MM-DD") from None


def _check_country(v: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{3}", v.strip()):
        raise StoreError(f"E212 bad country {v!r}: write an ISO 3166-1 alpha-3 code (NER)")
    return v.strip().upper()


def _check_text(v: str) -> str:
    v = " ".join(v.split())
    if not v or len(v) > 200:
        raise StoreError(f"E212 bad value {v!r}: write 1 to 200 characters")
    return v


def _object(v: Any, code: str, what: str, example: str) -> dict[str, Any]:
    """A compound value as a dict: given as one, or as its JSON text."""
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except ValueError:
            raise StoreError(f"{code} bad {what} {v[:80]!r}: send a JSON object such as"
                             f" {example}") from None
    if not isinstance(v, dict):
        raise StoreError(f"{code} bad {what}: send a JSON object such as {example}")
    return v


def _number(d: dict[str, Any], key: str, lo: float, hi: float) -> float:
    v = d.get(key)
    if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= float(v) <= hi:
        raise StoreError(f"E213 bad place: {key} must be a number from {lo:g} to {hi:g},"
                         f" not {v!r}")
    return round(float(v), 6)


def _optional_text(d: dict[str, Any], key: str, code: str, what: str,
                   most: int = 200) -> str | None:
    v = d.get(key)
    if v is None or v == "":
        return None
    if not isinstance(v, str) or not " ".join(v.split()) or len(v) > most:
        raise StoreError(f"{code} bad {what}: {key} must be 1 to {most} characters")
    return " ".join(v.split())


#: the kinds of place a reviewer may pick (the gazetteer's, and "unresolved")
PLACE_KINDS = ("country", "admin1", "admin2", "admin3", "city", "region", "feature",
               "unresolved")
PLACE_EXAMPLE = '{"name": "Niamey", "country": "NER", "lat": 13.51, "lon": 2.11}'
ACTOR_EXAMPLE = '{"name": "Niger military", "country": "NER", "sector": "MIL"}'


def _named(d: dict[str, Any], keys: tuple[str, ...], code: str, what: str,
           example: str) -> str:
    """The name of an edited place or actor, once its keys are known ones."""
    unknown = sorted(set(d) - set(keys))
    if unknown:
        raise StoreError(f"{code} bad {what}: unknown key {unknown[0]!r}. Available:"
                         f" {', '.join(keys)}")
    name = _optional_text(d, "name", code, what)
    if name is None:
        raise StoreError(f"{code} bad {what}: it needs a name, as in {example}")
    return name


def _check_place(v: Any) -> str:
    """A place as canonical JSON: name, lat and lon required; country (ISO-3), admin1,
    admin1_name, admin2, geonameid and kind optional."""
    d = _object(v, "E213", "place", PLACE_EXAMPLE)
    name = _named(d, ("name", "country", "admin1", "admin1_name", "admin2", "lat", "lon",
                      "geonameid", "kind"), "E213", "place", PLACE_EXAMPLE)
    country = d.get("country")
    if country not in (None, ""):
        if not isinstance(country, str) or not re.fullmatch(r"[A-Za-z]{3}", country.strip()):
            raise StoreError(f"E213 bad place: country {country!r} is not an ISO 3166-1"
                             " alpha-3 code (NER)")
        country = country.strip().upper()
    gid = d.get("geonameid")
    if gid is not None and (isinstance(gid, bool) or not isinstance(gid, int) or gid <= 0):
        raise StoreError(f"E213 bad place: geonameid must be a positive integer, not {gid!r}")
    kind = d.get("kind") or "unresolved"
    if kind not in PLACE_KINDS:
        raise StoreError(f"E213 bad place: unknown kind {kind!r}. Available:"
                         f" {', '.join(PLACE_KINDS)}")
    out = {"name": name, "country": country or None,
           "admin1": _optional_text(d, "admin1", "E213", "place", 40),
           "admin1_name": _optional_text(d, "admin1_name", "E213", "place"),
           "admin2": _optional_text(d, "admin2", "E213", "place"),
           "lat": _number(d, "lat", -90, 90), "lon": _number(d, "lon", -180, 180),
           "geonameid": gid, "kind": kind}
    return json.dumps(out, sort_keys=True, ensure_ascii=False)


def _check_actor(v: Any) -> str:
    """An actor as canonical JSON: a name (plain text is taken as one), optional country
    (ISO-3) and sector (one of :data:`~tidings.model.SECTORS`)."""
    if isinstance(v, str) and not v.lstrip().startswith("{"):
        v = {"name": v}
    d = _object(v, "E214", "actor", ACTOR_EXAMPLE)
    name = _named(d, ("name", "country", "sector"), "E214", "actor", ACTOR_EXAMPLE)
    country = _optional_text(d, "country", "E214", "actor", 3)
    if country is not None and not re.fullmatch(r"[A-Za-z]{3}", country):
        raise StoreError(f"E214 bad actor: country {country!r} is not an ISO 3166-1 alpha-3"
                         " code (NER)")
    sector = _optional_text(d, "sector", "E214", "actor", 3)
    if sector is not None and sector.upper() not in SECTORS:
        raise StoreError(f"E214 bad actor: unknown sector {sector!r}. Available:"
                         f" {', '.join(SECTORS)}")
    out = {"name": name, "country": country.upper() if country else None,
           "sector": sector.upper() if sector else None}
    return json.dumps(out, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Field:
    """An editable field: its ``events`` column, its path in the event JSON, its check;
    ``compound`` fields (source, target, place) are applied by their own function."""

    column: str
    path: tuple[str, ...]
    check: Callable[[Any], str]
    compound: bool = False


#: the fields a reviewer may edit
FIELDS: dict[str, Field] = {
    "type": Field("type", ("type",), _check_type),
    "mode": Field("mode", ("mode",), _check_text),
    "modality": Field("modality", ("modality",), _check_modality),
    "date_start": Field("date_start", ("date", "start"), _check_date),
    "date_end": Field("date_end", ("date", "end"), _check_date),
    "place_name": Field("place_name", ("location", "name"), _check_text),
    "place_country": Field("place_country", ("location", "country"), _check_country),
    "source": Field("source_countries", ("source",), _check_actor, compound=True),
    "target": Field("target_countries", ("target",), _check_actor, compound=True),
    "place": Field("place_name", ("location",), _check_place, compound=True),
}

#: the ``events`` columns a place edit sets, and the keys of the place JSON they hold
PLACE_COLUMNS = (("place_name", "name"), ("place_country", "country"),
                 ("place_admin1", "admin1"), ("geonameid", "geonameid"), ("lat", "lat"),
                 ("lon", "lon"), ("place_kind", "kind"), ("place_admin1_name", "admin1_name"),
                 ("place_admin2", "admin2"))


def _before(field: str, event: dict[str, Any], column_value: Any) -> str | None:
    """The value of ``field`` before an edit, as text (compound fields: canonical JSON)."""
    if field in ("source", "target"):
        actors = event.get(field) or []
        if not actors:
            return None
        a = actors[0]
        return json.dumps({"name": a.get("name") or a.get("text"), "country": a.get("country"),
                           "sector": a.get("sector")}, sort_keys=True, ensure_ascii=False)
    if field == "place":
        loc = event.get("location")
        if not loc:
            return None
        return json.dumps({k: loc.get(k) for k in ("name", "country", "admin1", "admin1_name",
                                                   "admin2", "lat", "lon", "geonameid", "kind")},
                          sort_keys=True, ensure_ascii=False)
    return None if column_value is None else str(column_value)


def _is_sqlite(c: Any) -> bool:
    import sqlite3

    return isinstance(getattr(c, "conn", c), sqlite3.Connection)


def _apply_actor(c: Any, event_id: str, role: str, event: dict[str, Any], value: str,
                 sets: list[str], args: list[Any]) -> None:
    """Make the reviewed actor the event's only ``role`` actor: in its JSON, its
    ``event_actors`` rows and its country list (what the actor and country filters read)."""
    a = json.loads(value)
    actor = {"text": a["name"], "start": None, "end": None, "name": a["name"],
             "country": a["country"], "sector": a["sector"], "kb_id": None,
             "sectors": [a["sector"]] if a["sector"] else [], "country_basis": "review"}
    event[role] = [actor]
    c.execute("DELETE FROM event_actors WHERE event_id = ? AND role = ?", (event_id, role))
    c.execute("INSERT INTO event_actors (event_id, role, ord, text, name, country, sector,"
              " kb_id) VALUES (?,?,?,?,?,?,?,?)",
              (event_id, role, 0, a["name"], a["name"], a["country"], a["sector"], None))
    codes = [a["country"]] if a["country"] else []
    sets.append(f"{role}_countries = ?")
    if _is_sqlite(c):  # SQLite keeps ' NER ' (padded, for LIKE); PostgreSQL a text[]
        args.append(" " + " ".join(codes) + " " if codes else "")
    else:
        args.append(codes)


def _apply_place(event: dict[str, Any], value: str, sets: list[str], args: list[Any]) -> None:
    """Make the reviewed place the event's place, in its columns and its JSON."""
    p = json.loads(value)
    for column, key in PLACE_COLUMNS:
        sets.append(f"{column} = ?")
        args.append(p.get(key))
    sets.append("location_basis = ?")
    args.append("review")
    # no span: the reviewer chose the place, the text may not name it
    event["location"] = {"text": p["name"], "start": None, "end": None,
                         **{k: p.get(k) for _, k in PLACE_COLUMNS},
                         "usage": "literal", "score": 1.0}
    event["location_basis"] = "review"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _audit(c: Any, actor: str, action: str, subject: str, detail: dict[str, Any]) -> None:
    c.execute("INSERT INTO audit (at, actor, action, subject, detail) VALUES (?,?,?,?,?)",
              (_now(), actor, action, subject, json.dumps(detail, sort_keys=True)))


def current_version(c: Any, event_id: str) -> int:
    """The version of an event's last review (0: never reviewed)."""
    row = c.execute("SELECT max(version) FROM reviews WHERE event_id = ?", (event_id,)
                    ).fetchone()
    return int(row[0] or 0)


def _set_json(event: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = event
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value


def _apply(c: Any, event_id: str, status: str, edits: dict[str, str]) -> None:
    """Write corrected values and the review status into an event row and its JSON."""
    row = c.execute("SELECT json FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        return
    event = json.loads(row[0]) if isinstance(row[0], str) else dict(row[0])  # PG: JSONB
    sets: list[str] = ["review_status = ?"]
    args: list[Any] = [status]
    for name, value in edits.items():  # in the order they were made: a later edit wins
        f = FIELDS[name]
        if name in ("source", "target"):
            _apply_actor(c, event_id, name, event, value, sets, args)
            continue
        if name == "place":
            _apply_place(event, value, sets, args)
            continue
        sets.append(f"{f.column} = ?")
        args.append(value)
        _set_json(event, f.path, value)
    if len(sets) != len({s.split(" ")[0] for s in sets}):  # the same column twice: keep the last
        last = {s.split(" ")[0]: i for i, s in enumerate(sets)}
        keep = sorted(last.values())
        sets, args = [sets[i] for i in keep], [args[i] for i in keep]
    sets.append("json = ?")
    args.append(json.dumps(event, ensure_ascii=False))
    c.execute(f"UPDATE events SET {', '.join(sets)} WHERE id = ?", [*args, event_id])  # noqa: S608


def record(c: Any, event_id: str, status: str, reviewer: str, expected_version: int,
           field: str | None = None, value: Any = None) -> int:
    """Record one review of an event and apply it; return the event's new review version.

    ``status`` is ``accepted``, ``rejected`` or ``edited`` (``field`` and ``value`` given;
    the value of ``source``, ``target`` and ``place`` is a dict or its JSON text, an actor's
    may be its name alone). Refuses (E210) a stale ``expected_version``, (E211) an unknown
    event, (E212) a bad field or value, (E213) a bad place, (E214) a bad actor."""
    if status not in STATUSES:
        raise StoreError(f"E212 unknown review status {status!r}. Available: "
                         f"{', '.join(STATUSES)}")
    if not reviewer or not reviewer.strip():
        raise StoreError("E212 a review needs a reviewer name")
    if status == "edited":
        if field not in FIELDS:
            raise StoreError(f"E212 cannot edit field {field!r}. Available: "
                             f"{', '.join(FIELDS)}")
        value = FIELDS[field].check(value if value is not None else "")
    else:
        field = value = None
    cols = ", ".join(["article_id", "trigger_start", "trigger_end", "sentence_start",
                      "sentence_end", "type", "json",
                      *((FIELDS[field].column,) if field else ())])
    row = c.execute(f"SELECT {cols} FROM events WHERE id = ?", (event_id,)).fetchone()  # noqa: S608
    if row is None:
        raise StoreError(f"E211 no event {event_id!r} in the store")
    version = current_version(c, event_id)
    if version != expected_version:
        raise StoreError(f"E210 event {event_id} was reviewed meanwhile (version {version},"
                         f" you saw {expected_version}): reload it and review again")
    machine_type = row[5]
    stored = json.loads(row[6]) if isinstance(row[6], str) else dict(row[6])  # PG: JSONB
    first = c.execute("SELECT machine_type FROM reviews WHERE event_id = ? AND version = 1",
                      (event_id,)).fetchone()
    if first is not None:  # the type the machine gave, not an earlier correction's
        machine_type = first[0]
    before = None if field is None else _before(field, stored, row[7])
    at = _now()
    try:
        c.execute("INSERT INTO reviews (event_id, version, article_id, trigger_start,"
                  " trigger_end, sentence_start, sentence_end, machine_type, field,"
                  " value_before, value_after, status, reviewer, reviewed_at)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  (event_id, version + 1, row[0], row[1], row[2], row[3], row[4],
                   machine_type, field, before, value, status, reviewer, at))
    except Exception as exc:  # the same version added by another writer just now
        if _is_conflict(exc):
            raise StoreError(f"E210 event {event_id} was reviewed meanwhile: reload it and"
                             " review again") from exc
        raise
    _audit(c, reviewer, f"review.{status}", event_id,
           {"version": version + 1, "field": field, "before": before, "after": value})
    status_now, edits = state(c, event_id)
    _apply(c, event_id, status_now, edits)
    return version + 1


def _is_conflict(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.IntegrityError):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - depends on the environment
        return False
    return isinstance(exc, psycopg.errors.UniqueViolation)


def state(c: Any, event_id: str) -> tuple[str, dict[str, str]]:
    """An event's review state from its reviews: the last status and each edited field's
    last value."""
    status, edits = "", dict[str, str]()
    for field, after, st in c.execute("SELECT field, value_after, status FROM reviews WHERE"
                                      " event_id = ? ORDER BY version", (event_id,)).fetchall():
        status = st
        if field in FIELDS and after is not None:
            edits.pop(field, None)  # keep the order of the last edits: a later one wins
            edits[field] = after
    return status, edits


def reapply(c: Any, article_id: str) -> dict[str, int]:
    """Re-apply the reviews of an article to its (re-inserted) events, in the caller's
    transaction; return counts ``reapplied`` and ``orphaned``."""
    chains = c.execute(
        "SELECT event_id, trigger_start, trigger_end, sentence_start, sentence_end,"
        " machine_type, orphaned FROM reviews WHERE article_id = ? AND version = 1"
        " ORDER BY event_id", (article_id,)).fetchall()
    out = {"reapplied": 0, "orphaned": 0}
    if not chains:
        return out
    events = c.execute("SELECT id, trigger_start, trigger_end, sentence_start, sentence_end,"
                       " type FROM events WHERE article_id = ? ORDER BY id",
                       (article_id,)).fetchall()
    by_id = {e[0]: e for e in events}
    claimed: set[str] = set()
    ordered = sorted(chains, key=lambda ch: ch[0] not in by_id)  # exact ids claim first
    for ch in ordered:
        old = ch[0]
        match = _match(ch, events, by_id, claimed)
        if match is None:
            c.execute("UPDATE reviews SET orphaned = 1 WHERE event_id = ?", (old,))
            if not ch[6]:
                _audit(c, "tidings", "review.orphaned", old, {"article_id": article_id})
            out["orphaned"] += 1
            continue
        new = match[0]
        claimed.add(new)
        c.execute("UPDATE reviews SET event_id = ?, orphaned = 0, trigger_start = ?,"
                  " trigger_end = ?, sentence_start = ?, sentence_end = ? WHERE event_id = ?",
                  (new, match[1], match[2], match[3], match[4], old))
        status, edits = state(c, new)
        _apply(c, new, status, edits)
        _audit(c, "tidings", "review.reapplied", new, {"from": old, "article_id": article_id})
        out["reapplied"] += 1
    return out


def _match(ch: Any, events: list[Any], by_id: dict[str, Any], claimed: set[str]) -> Any:
    """The event a review chain belongs to: same id, else same trigger span, else same
    sentence span and extracted type."""
    if ch[0] in by_id and ch[0] not in claimed:
        return by_id[ch[0]]
    free = [e for e in events if e[0] not in claimed]
    for e in free:
        if ch[1] is not None and (e[1], e[2]) == (ch[1], ch[2]):
            return e
    for e in free:
        if ch[3] is not None and (e[3], e[4], e[5]) == (ch[3], ch[4], ch[5]):
            return e
    return None


def has_review_status(c: Any) -> bool:
    """True if the store's ``events`` rows have ``review_status`` (a store opened read-only
    may be older than migration 5)."""
    import sqlite3

    inner = getattr(c, "conn", c)
    if isinstance(inner, sqlite3.Connection):
        sql = "SELECT 1 FROM pragma_table_info('events') WHERE name = 'review_status'"
    else:
        sql = ("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
               " AND table_name = 'events' AND column_name = 'review_status'")
    return c.execute(sql).fetchone() is not None


def history(c: Any, event_id: str) -> list[dict[str, Any]]:
    """An event's reviews, oldest first."""
    rows = c.execute("SELECT version, field, value_before, value_after, status, reviewer,"
                     " reviewed_at, orphaned FROM reviews WHERE event_id = ? ORDER BY version",
                     (event_id,)).fetchall()
    keys = ("version", "field", "value_before", "value_after", "status", "reviewer",
            "reviewed_at", "orphaned")
    return [dict(zip(keys, r, strict=True)) for r in rows]
