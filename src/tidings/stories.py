"""Story events: one event however many articles report it.

Event mentions (rows of ``events``) from different articles and sources merge into one
*story event* when they agree on what happened, who, where and when:

- **type**: the same PLOVER type, or a pair of :data:`COMPATIBLE_TYPES` that outlets (and the
  trigger lexicon) use for one happening: RETREAT~CONCEDE ("freed the hostages" /
  "conceded the release"), AGREE~SUPPORT ("agreed a treaty" / "signed a treaty") and
  PROTEST~ACCUSE ("thousands marched" / "thousands protested": the verb *protest* is ACCUSE in
  the lexicon). Compatible pairs score lower than an exact match;
- **modality**: asserted and historical mentions merge; negated, future and hypothetical ones
  only with mentions of the same modality;
- **actors**: the overlap coefficient of the actor keys (country, else knowledge-base id) of
  source and target together (roles are not required to agree: passives and nominals lose
  the source); disjoint actors score 0 but do not veto, since actor resolution is noisy;
- **place**: within a distance that depends on the coarser precision of the two places
  (:data:`PLACE_TOLERANCE_KM`: 75 km for towns and features, 300 km for provinces, the same
  country for countries and regions); places in two different countries never merge;
- **date**: the two date intervals overlap, with one day of slack for day-precision dates
  (overnight attacks, time zones); a month-precision "last month" overlaps every day inside it;
  a mention dated only by its report (``basis="published"``) is taken to have happened in
  the :data:`REPORT_WINDOW_DAYS` days up to publication;
- **evidence**: token Jaccard of the content words of the two evidence sentences.

Type, modality, place and date are gates; passing mentions are scored
``0.35 actors + 0.25 date + 0.2 place + 0.2 evidence`` (× 0.8 for a compatible but
different type) and a mention joins the best-scoring story whose best pair score reaches
:data:`MERGE_THRESHOLD` (single link over the story's mentions, but the date and place gates
are also checked against the story's best date and place, so chains cannot drift).

Blocking: candidates come from ``story_events`` rows of a compatible type whose date range,
widened by the report window, overlaps the mention's (an indexed range query on
``(type, date_start)``), then the country gate; the cost per new mention is the size of its
block, not of the store.

Incremental, idempotent and deterministic: :func:`merge_new` only looks at events not yet in
``story_mentions``, in the order (publication date, article id, trigger offset); a story's
id is a hash of its founding mention's id; story fields are recomputed from the mention set
after every change, so running it again changes nothing.

Reports: a mention is reported by its article and by every near-duplicate of that article
(``copies.py``) whose text carries the mention's evidence sentence; a story's
``mention_count``, ``sources`` and first/last report dates count those articles and their
outlets (``article_sources``). Every stated figure (a first toll, an updated one) is kept
with the mention that states it in ``story_magnitudes``; the story's ``magnitudes`` holds the
largest of each kind.

Backends: the SQL runs on SQLite and PostgreSQL (:mod:`tidings.storage.dialect`); on
PostgreSQL, merging takes the shared-rows advisory lock, so writers merge one at a time.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from . import copies
from .storage.base import EventQuery
from .storage.dialect import is_pg, lock, wrap
from .storage.reviews import has_review_status

COMPATIBLE_TYPES: frozenset[frozenset[str]] = frozenset({
    frozenset({"RETREAT", "CONCEDE"}),
    frozenset({"AGREE", "SUPPORT"}),
    frozenset({"PROTEST", "ACCUSE"}),
})
REAL_MODALITIES = frozenset({"asserted", "historical"})
#: coarser-precision distance tolerance in km (None: same country is enough)
PLACE_TOLERANCE_KM: dict[str, float | None] = {
    "city": 75.0, "feature": 75.0, "admin2": 120.0, "admin1": 300.0,
    "region": None, "country": None, "unknown": None,
}
_PRECISION_RANK = {"city": 0, "feature": 0, "admin2": 1, "admin1": 2, "region": 4,
                   "country": 3, "unknown": 5}
_GRAN_RANK = {"second": 0, "minute": 0, "hour": 0, "day": 1, "week": 2, "month": 3,
              "season": 4, "quarter": 4, "year": 5, "decade": 6, "century": 7, "unknown": 8}
REPORT_WINDOW_DAYS = 7
DAY_SLACK = 1
MERGE_THRESHOLD = 0.55
WEIGHTS = {"actors": 0.35, "date": 0.25, "place": 0.2, "text": 0.2}

_STOP = frozenset("""a an the and or but of to in on at by for from with as into onto that
this these those it its is are was were be been being has have had he she they them their his
her said says say told on after before over under while who which what when where than then
also not no more most some any all about around near least at up out off one two three""".split())
_TOKEN = re.compile(r"[a-z]+")


def ensure_schema(conn: Any) -> None:
    """Bring a SQLite store's schema, story tables included, up to date (the store's
    migrations, ``storage/migrations/``); PostgreSQL stores are migrated when opened.
    Commits, so never call it inside a transaction."""
    if not is_pg(conn):
        from .storage.sqlite import migrate

        migrate(wrap(conn))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- mentions

@dataclass
class Mention:
    """The merge features of one stored event mention."""

    id: str
    article_id: str
    published: str
    type: str
    mode: str | None
    modality: str
    confidence: float
    date_start: str
    date_end: str
    granularity: str
    basis: str
    place_name: str | None
    place_country: str | None
    place_admin1: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    place_kind: str | None
    evidence: str
    trigger_start: int
    event: dict[str, Any]
    actors: frozenset[str] = field(default_factory=frozenset)
    words: frozenset[str] = field(default_factory=frozenset)

    @property
    def interval(self) -> tuple[date, date]:
        """The days the event may have happened on."""
        lo, hi = date.fromisoformat(self.date_start), date.fromisoformat(self.date_end)
        if self.basis == "published":
            lo = hi - timedelta(days=REPORT_WINDOW_DAYS)
        elif self.granularity in ("day", "hour", "minute", "second"):
            lo, hi = lo - timedelta(days=DAY_SLACK), hi + timedelta(days=DAY_SLACK)
        return lo, hi


def actor_key(a: dict[str, Any]) -> str:
    """Return the key an actor is compared on: its country, else its knowledge-base id, else
    "" (a bare description such as "civilians" or "gunmen" identifies nobody)."""
    return str(a.get("country") or a.get("kb_id") or "")


def content_words(text: str) -> frozenset[str]:
    """Content words of a sentence (lower case, crude plural stripping, stop words out)."""
    out = set()
    for w in _TOKEN.findall(text.lower()):
        if w in _STOP or len(w) < 3:
            continue
        out.add(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return frozenset(out)


#: events that take part in stories: all but those a reviewer rejected
_KEPT = "(e.review_status IS NULL OR e.review_status <> 'rejected')"
#: prefix of the story mention of an event being merged again (never an event id)
_GONE = "remerge:"
_MENTION_SQL = (
    "SELECT e.id, e.article_id, a.published, e.type, e.mode, e.modality, e.confidence,"
    " e.date_start, e.date_end, e.date_granularity, e.date_basis, e.place_name,"
    " e.place_country, e.place_admin1, e.geonameid, e.lat, e.lon, e.place_kind,"
    " coalesce(e.evidence, ''), coalesce(e.trigger_start, 0), e.json"
    " FROM events e JOIN articles a ON a.id = e.article_id")


def _mention(row: sqlite3.Row | tuple[Any, ...]) -> Mention:
    r = tuple(row)
    ev = r[20] if isinstance(r[20], dict) else json.loads(r[20])  # PostgreSQL: jsonb
    m = Mention(*r[:20], event=ev)  # type: ignore[misc]  # the row's first 20 fields
    m.actors = frozenset(actor_key(a) for role in ("source", "target")
                         for a in ev.get(role, []) if actor_key(a))
    m.words = content_words(m.evidence)
    return m


# ---------------------------------------------------------------- pair scoring

def types_compatible(a: str, b: str) -> float:
    """1.0 for the same type, 0.8 for a compatible pair, 0.0 otherwise."""
    if a == b:
        return 1.0
    return 0.8 if frozenset({a, b}) in COMPATIBLE_TYPES else 0.0


def _modalities_compatible(a: str, b: str) -> bool:
    return a == b or (a in REAL_MODALITIES and b in REAL_MODALITIES)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class PlaceView:
    """The place fields compared by :func:`place_score`."""

    name: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    kind: str | None


def _view(x: Any) -> PlaceView:
    return PlaceView(x.place_name, x.place_country, x.place_admin1, x.lat, x.lon, x.place_kind)


def place_score(a: PlaceView, b: PlaceView) -> float | None:
    """Score two places (None: incompatible). Missing places are neutral (0.3)."""
    if a.name is None and a.country is None or b.name is None and b.country is None:
        return 0.3
    if a.country and b.country and a.country != b.country:
        return None
    ka, kb = a.kind or "unknown", b.kind or "unknown"
    coarser = ka if _PRECISION_RANK.get(ka, 5) >= _PRECISION_RANK.get(kb, 5) else kb
    tol = PLACE_TOLERANCE_KM.get(coarser)
    if a.name is not None and a.name == b.name and ka == kb:
        return 1.0
    if tol is None:
        return 0.4
    if None in (a.lat, a.lon, b.lat, b.lon):
        return 0.4 if a.country == b.country else 0.3
    d = haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
    if coarser in ("admin1", "admin2") and a.admin1 and a.admin1 == b.admin1:
        d = min(d, tol * 0.5)
    if d > tol:
        return None
    fine = _PRECISION_RANK.get(coarser, 5) == 0
    return (1.0 if d <= 25 else 0.8) if fine else 0.6


def date_score(a: tuple[date, date, str, str], b: tuple[date, date, str, str]) -> float | None:
    """Score two date intervals ``(lo, hi, granularity, basis)`` (None: no overlap)."""
    if a[0] > b[1] or b[0] > a[1]:
        return None
    if "published" in (a[3], b[3]):
        return 0.5
    exact = a[2] == b[2] == "day"
    if exact:
        mid_a, mid_b = a[0] + (a[1] - a[0]) / 2, b[0] + (b[1] - b[0]) / 2
        return 1.0 if mid_a == mid_b else 0.8
    return 0.6 if _GRAN_RANK.get(a[2], 8) <= 2 and _GRAN_RANK.get(b[2], 8) <= 2 else 0.45


def _dates(m: Mention) -> tuple[date, date, str, str]:
    lo, hi = m.interval
    return lo, hi, m.granularity, m.basis


def pair_score(a: Mention, b: Mention) -> float | None:
    """Return the merge score of two mentions, or None when a gate fails."""
    ts = types_compatible(a.type, b.type)
    if not ts or not _modalities_compatible(a.modality, b.modality):
        return None
    ds = date_score(_dates(a), _dates(b))
    if ds is None:
        return None
    ps = place_score(_view(a), _view(b))
    if ps is None:
        return None
    if a.actors and b.actors:  # disjoint actors score 0 (actor resolution is noisy)
        acs = len(a.actors & b.actors) / min(len(a.actors), len(b.actors))
    else:
        acs = 0.3
    union = a.words | b.words
    text = len(a.words & b.words) / len(union) if union else 0.0
    text = min(1.0, text * 2)  # different outlets, different words: half overlap is a lot
    score = (WEIGHTS["actors"] * acs + WEIGHTS["date"] * ds + WEIGHTS["place"] * ps
             + WEIGHTS["text"] * text)
    return score * ts


# ---------------------------------------------------------------- story aggregation

@dataclass
class Story:
    """A story event being built: its id and its mentions."""

    id: str
    mentions: list[Mention]

    def best_date(self) -> Mention:
        """The mention with the best-supported date: text-dated, most specific, most
        mentioned, then earliest."""
        support = Counter((m.date_start, m.date_end) for m in self.mentions)
        return min(self.mentions, key=lambda m: (
            m.basis != "text", _GRAN_RANK.get(m.granularity, 8),
            -support[(m.date_start, m.date_end)], m.date_start, m.id))

    def best_place(self) -> Mention | None:
        with_place = [m for m in self.mentions if m.place_name or m.place_country]
        if not with_place:
            return None
        support = Counter(m.place_name for m in with_place)
        return min(with_place, key=lambda m: (
            _PRECISION_RANK.get(m.place_kind or "unknown", 5), -support[m.place_name],
            m.place_name or "", m.id))

    def gates(self, m: Mention) -> bool:
        """Check the date and place gates against the story's best date and place."""
        bd = self.best_date()
        if date_score(_dates(bd), _dates(m)) is None:
            return False
        bp = self.best_place()
        return bp is None or place_score(_view(bp), _view(m)) is not None


def story_id(founding_event_id: str) -> str:
    """Return the deterministic id of the story founded by an event mention."""
    return "S" + hashlib.sha256(f"story:{founding_event_id}".encode()).hexdigest()[:15]


class _Reports:
    """Who reported a mention: its article and the near-duplicates of that article whose
    text carries the mention's evidence sentence (see ``copies.py``), with their outlets and
    publication dates. Read from the store on first use."""

    def __init__(self, conn: Any):
        self.conn = conn
        self.published = _Published(conn)
        self._near: dict[str, list[str]] = {}
        self._texts: dict[str, str] = {}
        self._outlets: dict[str, list[tuple[Any, ...]]] = {}

    def _text(self, aid: str) -> str:
        if aid not in self._texts:
            row = self.conn.execute("SELECT text FROM articles WHERE id=?", (aid,)).fetchone()
            self._texts[aid] = f" {copies.normalise(row[0])} " if row else ""
        return self._texts[aid]

    def articles(self, article_id: str, evidence: str) -> list[str]:
        """The ids of the articles that report a mention (its own first)."""
        if article_id not in self._near:
            self._near[article_id] = copies.neighbours(self.conn, article_id)
        needle = copies.normalise(evidence)
        return [article_id] + [a for a in self._near[article_id]
                               if needle and f" {needle} " in self._text(a)]

    def outlets(self, aid: str) -> list[tuple[Any, ...]]:
        """(source, url, origin, published) of each syndicated copy of an article."""
        if aid not in self._outlets:
            rows = self.conn.execute(
                "SELECT source, url, origin, published FROM article_sources WHERE article_id=?"
                " ORDER BY first_seen, source", (aid,)).fetchall()
            if not rows:  # an article stored before this table existed
                rows = self.conn.execute("SELECT source, url, origin, published FROM articles"
                                         " WHERE id=?", (aid,)).fetchall()
            self._outlets[aid] = [tuple(r) for r in rows]
        return self._outlets[aid]

    def of(self, ms: Iterable[Mention]) -> list[str]:
        """The sorted ids of the articles that report any of ``ms``."""
        return sorted({a for m in ms for a in self.articles(m.article_id, m.evidence)})


def _sources(reports: _Reports, article_ids: list[str]) -> tuple[int, list[str]]:
    """Return (number of reports: syndicated copies, distinct source names) of articles."""
    n, names = 0, set[str]()
    for aid in sorted(set(article_ids)):
        rows = reports.outlets(aid)
        n += max(1, len(rows))
        names.update(r[0] for r in rows if r[0])
    return n, sorted(names)


def _combine_actors(mentions: list[Mention], role: str) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    counts: Counter[str] = Counter()
    for m in mentions:
        for a in m.event.get(role, []):
            k = actor_key(a)
            counts[k] += 1
            seen.setdefault(k, {x: a.get(x) for x in ("name", "country", "sector", "kb_id")})
    return [seen[k] for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _combine_magnitudes(mentions: list[Mention]) -> dict[str, int]:
    """The largest reported value of each kind (tolls rise as reports come in)."""
    out: dict[str, int] = {}
    for m in mentions:
        for k, v in (m.event.get("magnitudes") or {}).items():
            if isinstance(v, int):
                out[k] = max(out.get(k, 0), v)
    return dict(sorted(out.items()))


def _write_story(conn: Any, story: Story, reports: _Reports) -> None:
    ms = story.mentions
    article_pub = reports.published
    bd = story.best_date()
    bp = story.best_place()
    types = Counter(m.type for m in ms)
    founder = min(ms, key=lambda m: (article_pub[m.article_id], m.article_id, m.trigger_start))
    type_ = min(types, key=lambda t: (-types[t], t != founder.type, t))
    modes = Counter(m.mode for m in ms if m.type == type_ and m.mode)
    mode = min(modes, key=lambda x: (-modes[x], x)) if modes else None
    modality = "asserted" if any(m.modality in REAL_MODALITIES for m in ms) else ms[0].modality
    reporters = reports.of(ms)
    n_reports, names = _sources(reports, reporters)
    src, tgt = _combine_actors(ms, "source"), _combine_actors(ms, "target")
    lo = min(m.interval[0] for m in ms).isoformat()
    hi = max(m.interval[1] for m in ms).isoformat()
    pubs = sorted(str(article_pub[a])[:10] for a in reporters)
    best_ev = max(ms, key=lambda m: (m.confidence, -len(m.evidence), m.id))

    def codes(actors: list[dict[str, Any]]) -> str:
        cs = sorted({a["country"] for a in actors if a.get("country")})
        return " " + " ".join(cs) + " " if cs else ""

    conn.execute("DELETE FROM story_events WHERE id=?", (story.id,))
    conn.execute(
        "INSERT INTO story_events VALUES"
        " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (story.id, type_, mode, modality, bd.date_start, bd.date_end, bd.granularity, bd.basis,
         lo, hi,
         bp.place_name if bp else None, bp.place_country if bp else None,
         bp.place_admin1 if bp else None, bp.geonameid if bp else None,
         bp.lat if bp else None, bp.lon if bp else None, bp.place_kind if bp else None,
         codes(src), codes(tgt), json.dumps(src, ensure_ascii=False),
         json.dumps(tgt, ensure_ascii=False), n_reports, len(ms),
         len({m.article_id for m in ms}), len(names), json.dumps(names, ensure_ascii=False),
         pubs[0], pubs[-1], max(m.confidence for m in ms), best_ev.evidence,
         json.dumps(_combine_magnitudes(ms)), founder.id, _now()))
    conn.execute("DELETE FROM story_magnitudes WHERE story_id=?", (story.id,))
    conn.executemany("INSERT INTO story_magnitudes VALUES (?,?,?,?,?,?)", sorted(
        (story.id, k, v, m.id, m.article_id, str(article_pub[m.article_id])[:10])
        for m in ms for k, v in (m.event.get("magnitudes") or {}).items()
        if isinstance(v, int)))


class _Published(dict[str, str]):
    """Publication dates of articles, read from the store on first use."""

    def __init__(self, conn: Any):
        super().__init__()
        self.conn = conn

    def __missing__(self, article_id: str) -> str:
        row = self.conn.execute("SELECT published FROM articles WHERE id=?",
                                (article_id,)).fetchone()
        self[article_id] = value = str(row[0]) if row else "9999-12-31"
        return value


def _load_story(conn: sqlite3.Connection, sid: str) -> Story:
    rows = conn.execute(_MENTION_SQL + " JOIN story_mentions s ON s.event_id = e.id"
                        " WHERE s.story_id=? ORDER BY a.published, e.article_id, e.trigger_start",
                        (sid,)).fetchall()
    return Story(sid, [_mention(r) for r in rows])


def _candidates(conn: sqlite3.Connection, m: Mention) -> list[str]:
    types = sorted({m.type} | {t for pair in COMPATIBLE_TYPES if m.type in pair for t in pair})
    lo, hi = m.interval
    ph = ",".join("?" * len(types))
    rows = conn.execute(
        f"SELECT id, place_country FROM story_events WHERE type IN ({ph})"
        " AND window_start <= ? AND window_end >= ? ORDER BY id",
        (*types, hi.isoformat(), lo.isoformat())).fetchall()
    return [r[0] for r in rows
            if not (r[1] and m.place_country and r[1] != m.place_country)]


# ---------------------------------------------------------------- public API

def best_story(m: Mention, stories: Iterable[Story], threshold: float = MERGE_THRESHOLD
               ) -> tuple[float, str] | None:
    """The (score, story id) that ``m`` joins, or None to found a new story: the story whose
    gates ``m`` passes and whose best-matching mention scores highest, at least
    ``threshold`` (ties go to the smaller id). Shared by :func:`merge_new` (SQLite,
    incremental) and :func:`cluster_mentions` (in memory, the Spark stage)."""
    best: tuple[float, str] | None = None
    for story in stories:
        if not story.mentions or not story.gates(m):
            continue
        scores = [s for s in (pair_score(m, x) for x in story.mentions) if s is not None]
        if not scores:
            continue
        s = max(scores)
        if s >= threshold and (best is None or s > best[0]
                               or s == best[0] and story.id < best[1]):
            best = (s, story.id)
    return best


def mention_from_row(row: dict[str, Any], published: str) -> Mention:
    """A Mention from a flat event row (the Spark job's ``events`` rows: ``_event_row``)."""
    ev = json.loads(row["json"]) if isinstance(row.get("json"), str) else row["event"]
    loc = ev.get("location") or {}
    m = Mention(
        id=row["id"], article_id=row["article_id"], published=published, type=row["type"],
        mode=row.get("mode"), modality=row["modality"], confidence=float(row["confidence"]),
        date_start=row["date_start"], date_end=row["date_end"],
        granularity=row["date_granularity"], basis=row["date_basis"],
        place_name=loc.get("name"), place_country=loc.get("country"),
        place_admin1=loc.get("admin1"), geonameid=loc.get("geonameid"), lat=loc.get("lat"),
        lon=loc.get("lon"), place_kind=loc.get("kind"), evidence=row.get("evidence") or "",
        trigger_start=int((ev.get("trigger") or {}).get("start", 0)), event=ev)
    m.actors = frozenset(actor_key(a) for role in ("source", "target")
                         for a in ev.get(role, []) if actor_key(a))
    m.words = content_words(m.evidence)
    return m


def _type_blocks() -> dict[str, str]:
    """Each PLOVER type's block: the smallest type of its group of compatible types."""
    parent = {t: t for pair in COMPATIBLE_TYPES for t in pair}

    def root(t: str) -> str:
        while parent.setdefault(t, t) != t:
            t = parent[t]
        return t

    for pair in COMPATIBLE_TYPES:
        a, b = sorted(pair)
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {t: root(t) for t in parent}


def blocking_key(m: Mention) -> str:
    """The block a mention is merged within: its group of compatible types and a country (the
    event's place's, else its source's, else its target's, else "-"). Mentions in different
    blocks never merge, which lets the merge run in parallel; the SQLite merge also lets a
    mention without a place join a story placed elsewhere, so the two can differ on such
    mentions (measured agreement on the labelled fixtures: B-cubed F1 0.985)."""
    country = m.place_country
    for role in ("source", "target"):
        if country:
            break
        country = next((a.get("country") for a in m.event.get(role, []) if a.get("country")),
                       None)
    return f"{_type_blocks().get(m.type, m.type)}|{country or '-'}"


def cluster_mentions(mentions: Iterable[Mention], threshold: float = MERGE_THRESHOLD
                     ) -> list[tuple[str, str, float]]:
    """Merge mentions into stories in memory: (event id, story id, score) per mention.

    Mentions are taken in the order :func:`merge_new` takes them (publication date, article,
    position), with the same gates and scores, so one block gives the same stories in SQLite
    and in the Spark stage."""
    ordered = sorted(mentions, key=lambda m: (m.published, m.article_id, m.trigger_start, m.id))
    stories: dict[str, Story] = {}
    out: list[tuple[str, str, float]] = []
    for m in ordered:
        best = best_story(m, stories.values(), threshold)
        if best is None:
            sid, score = story_id(m.id), 1.0
            stories[sid] = Story(sid, [])
        else:
            score, sid = best
        stories[sid].mentions.append(m)
        out.append((m.id, sid, round(score, 4)))
    return out


def merge_new(conn: sqlite3.Connection, threshold: float = MERGE_THRESHOLD) -> dict[str, int]:
    """Assign every event not yet in a story to the best matching story, or found one.

    Returns counts: ``new_mentions``, ``joined``, ``founded``, ``removed`` (mentions of
    events that no longer exist, e.g. after ``run --force``). Commits its work.
    """
    conn = wrap(conn)
    ensure_schema(conn)
    stats = {"new_mentions": 0, "joined": 0, "founded": 0, "removed": 0}
    with conn:
        lock(conn)
        gone = conn.execute("SELECT event_id, story_id FROM story_mentions WHERE event_id NOT IN"
                            f" (SELECT e.id FROM events e WHERE {_KEPT})").fetchall()
        touched: set[str] = set()
        for eid, sid in gone:
            conn.execute("DELETE FROM story_mentions WHERE event_id=?", (eid,))
            touched.add(sid)
        stats["removed"] = len(gone)
        rows = conn.execute(_MENTION_SQL + f" WHERE {_KEPT} AND e.id NOT IN (SELECT event_id"
                            " FROM story_mentions) ORDER BY a.published, e.article_id,"
                            " e.trigger_start, e.id").fetchall()
        new = [_mention(r) for r in rows]
        stats["new_mentions"] = len(new)
        reports = _Reports(conn)
        cache: dict[str, Story] = {}
        for m in new:
            candidates = []
            for sid in _candidates(conn, m):
                story = cache.get(sid) or _load_story(conn, sid)
                cache[sid] = story
                candidates.append(story)
            best = best_story(m, candidates, threshold)
            if best is None:
                sid, score = story_id(m.id), 1.0
                cache[sid] = Story(sid, [])
                stats["founded"] += 1
            else:
                score, sid = best
                stats["joined"] += 1
            conn.execute("INSERT INTO story_mentions VALUES (?,?,?,?,?)",
                         (m.id, sid, m.article_id, round(score, 4), _now()))
            cache[sid].mentions.append(m)
            _write_story(conn, cache[sid], reports)
        for sid in sorted(touched):
            story = _load_story(conn, sid)
            if story.mentions:
                _write_story(conn, story, reports)
            else:
                conn.execute("DELETE FROM story_events WHERE id=?", (sid,))
                conn.execute("DELETE FROM story_magnitudes WHERE story_id=?", (sid,))
    return stats


def remerge(conn: sqlite3.Connection, event_ids: list[str],
            threshold: float = MERGE_THRESHOLD) -> dict[str, int]:
    """Merge some events again (a reviewer corrected or rejected them): take them out of
    their stories, then :func:`merge_new` recomputes those stories and merges the events
    with their corrected values (a rejected event joins none). Commits its work."""
    conn = wrap(conn)
    ensure_schema(conn)
    with conn:
        lock(conn)
        for eid in sorted(set(event_ids)):
            # a story's mention that is gone is what merge_new recomputes a story for
            conn.execute("UPDATE story_mentions SET event_id = ? WHERE event_id = ?",
                         (_GONE + eid, eid))
    return merge_new(conn, threshold)


def refresh_sources(conn: sqlite3.Connection, article_ids: list[str]) -> None:
    """Recompute source and mention counts of the stories of some articles (a syndicated
    copy or a near-duplicate was added)."""
    conn = wrap(conn)
    ensure_schema(conn)
    reports = _Reports(conn)
    with conn:
        lock(conn)
        sids = sorted({r[0] for aid in set(article_ids) for r in conn.execute(
            "SELECT story_id FROM story_mentions WHERE article_id=?", (aid,))})
        for sid in sids:
            story = _load_story(conn, sid)
            if story.mentions:
                _write_story(conn, story, reports)


def add_source(conn: sqlite3.Connection, article_id: str, source: str | None,
               url: str | None, origin: str | None, published: str | None) -> bool:
    """Record that ``article_id`` was published by ``source`` (idempotent); return True if
    the row is new. The caller commits."""
    conn = wrap(conn)
    if not is_pg(conn) and not conn.in_transaction:
        ensure_schema(conn)  # executescript would commit the caller's transaction
    cur = conn.execute("INSERT INTO article_sources VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                       (article_id, source, url, origin, published, _now()))
    return cur.rowcount > 0


@dataclass
class StoryQuery(EventQuery):
    """Filters of story-event queries: those of :class:`~tidings.storage.base.EventQuery`
    (``language``: stories with a mention in an article of this language), plus these."""

    min_sources: int | None = None
    text: str | None = None  # FTS5 query over the articles of the mentions


def query_story_events(conn: Any, q: Any = None,
                       with_mentions: bool = True) -> list[dict[str, Any]]:
    """Return story events matching ``q`` (a :class:`StoryQuery` or ``storage.EventQuery``),
    oldest first, each with its ``mentions`` (evidence, article, sources) and its
    ``magnitude_reports``: every figure stated, by kind, with the mention that states it.
    ``conn``: a storage reader (either backend) or a SQLite connection."""
    from .storage import as_reader

    reader = as_reader(conn)
    if not reader.has_table("story_events"):
        return []
    where, args = _story_where(reader, q or StoryQuery())
    sql = "SELECT s.* FROM story_events s"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY s.date_start, s.first_reported, s.id"
    if getattr(q, "limit", None):
        sql += " LIMIT ?"
        args.append(int(q.limit))
    cur = reader.execute(sql, args)
    cols = [c[0] for c in cur.description]
    out = []
    for r in cur.fetchall():
        d = dict(zip(cols, tuple(r)))
        for k in ("source_actors", "target_actors", "sources", "magnitudes"):
            d[k] = json.loads(d[k])
        d["magnitude_reports"] = magnitude_reports(conn, d["id"])
        if with_mentions:
            d["mentions"] = story_mentions(reader, d["id"])
        out.append(d)
    return out


def magnitude_reports(conn: Any, sid: str) -> dict[str, list[dict[str, Any]]]:
    """Every figure stated for a story, by kind, oldest report first: value, event id,
    article id and publication date (a toll of 7, then an updated toll of 9)."""
    try:
        rows = wrap(conn).execute(
            "SELECT kind, value, event_id, article_id, published FROM story_magnitudes"
            " WHERE story_id=? ORDER BY kind, published, value, event_id", (sid,)).fetchall()
    except sqlite3.OperationalError:  # a store written before the table existed
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, value, eid, aid, published in rows:
        out.setdefault(kind, []).append({"value": value, "event_id": eid, "article_id": aid,
                                         "published": published})
    return out


def _story_where(reader: Any, q: Any) -> tuple[list[str], list[Any]]:
    """The conditions of a story query; every value bound, LIKE patterns escaped."""
    from .storage.base import like_pattern

    where: list[str] = []
    args: list[Any] = []
    if getattr(q, "type", None):
        where.append("s.type = ?")
        args.append(q.type.upper())
    if getattr(q, "country", None):
        pat = like_pattern(f" {q.country.upper()} ")
        where.append("(s.source_countries LIKE ? ESCAPE '\\' OR s.target_countries LIKE ?"
                     " ESCAPE '\\' OR s.place_country = ?)")
        args += [pat, pat, q.country.upper()]
    if getattr(q, "actor", None):
        pat = like_pattern(q.actor)
        where.append(f"({reader.ilike('s.source_actors')} OR {reader.ilike('s.target_actors')})")
        args += [pat, pat]
    for cond, name in (("s.date_end >= ?", "since"), ("s.date_start <= ?", "until"),
                       ("s.modality = ?", "modality"), ("s.source_count >= ?", "min_sources"),
                       ("s.id IN (SELECT story_id FROM story_mentions WHERE article_id = ?)",
                        "article_id")):
        if getattr(q, name, None):
            where.append(cond)
            args.append(getattr(q, name))
    if getattr(q, "min_confidence", None) is not None:
        where.append("s.confidence >= ?")
        args.append(q.min_confidence)
    if getattr(q, "language", None):
        where.append("s.id IN (SELECT m.story_id FROM story_mentions m JOIN articles a"
                     f" ON a.id = m.article_id WHERE {_language_sql(reader)} = ?)")
        args.append(q.language)
    if getattr(q, "text", None):
        cond, fts_args = reader.fts_events(q.text, articles_joined=True)
        where.append("s.id IN (SELECT m.story_id FROM story_mentions m JOIN articles a"
                     f" ON a.id = m.article_id WHERE {cond})")
        args += fts_args
    return where, args


def story_event(conn: Any, sid: str) -> dict[str, Any] | None:
    """Return a story event with its mentions (lists and objects decoded), or None."""
    cur = conn.execute("SELECT * FROM story_events WHERE id = ?", (sid,))
    row = cur.fetchone()
    if row is None:
        return None
    d = dict(zip([c[0] for c in cur.description], tuple(row)))
    for k in ("source_actors", "target_actors", "sources", "magnitudes"):
        try:
            d[k] = json.loads(d[k]) if d.get(k) else []
        except (TypeError, ValueError):
            d[k] = []
    d["mentions"] = story_mentions(conn, sid)
    return d


def _language_sql(conn: Any) -> str:
    """The language of ``articles a`` on ``conn`` (``'en'`` in a store before version 4)."""
    from .storage import as_reader

    language_sql = getattr(as_reader(conn), "language_sql", None)
    return language_sql("a") if language_sql is not None else "a.language"


def story_mentions(conn: Any, sid: str) -> list[dict[str, Any]]:
    """Return every mention of a story with its evidence, article and sources (``copies``:
    the outlets of every article that reports it, near-duplicates included)."""
    language = _language_sql(conn)
    conn = wrap(conn)
    reports = _Reports(conn)
    status = "e.review_status" if has_review_status(conn) else "NULL"
    rows = conn.execute(
        "SELECT e.id, e.article_id, a.published, a.title, a.source, a.url, e.type, e.mode,"
        " e.modality, e.date_start, e.date_end, e.date_granularity, e.date_basis,"
        " e.trigger_text, e.evidence, e.place_name, e.place_country, e.confidence,"
        f" s.score, {language}, {status}, e.json"
        " FROM story_mentions s JOIN events e ON e.id = s.event_id"
        " JOIN articles a ON a.id = e.article_id WHERE s.story_id = ?"
        " ORDER BY a.published, e.article_id, e.trigger_start", (sid,)).fetchall()
    cols = ["event_id", "article_id", "published", "title", "source", "url", "type", "mode",
            "modality", "date_start", "date_end", "date_granularity", "date_basis",
            "trigger_text", "evidence", "place_name", "place_country", "confidence", "score",
            "language", "review_status"]
    out = []
    for r in rows:
        d = dict(zip(cols, tuple(r)[:21]))
        ev = r[21] if isinstance(r[21], dict) else json.loads(r[21])
        d["magnitudes"] = ev.get("magnitudes") or {}
        d["source_actors"] = ev.get("source", [])
        d["target_actors"] = ev.get("target", [])
        d["reported_in"] = reports.articles(d["article_id"], d["evidence"] or "")
        d["copies"] = [dict(zip(("source", "url", "origin", "published"), x))
                       for aid in d["reported_in"] for x in reports.outlets(aid)]
        out.append(d)
    return out


def reported_sources(conn: Any, article_id: str, evidence: str) -> list[str]:
    """The distinct outlets that report an event mention: its article's and those of the
    near-duplicates whose text carries its evidence sentence."""
    reports = _Reports(wrap(conn))
    return sorted({x[0] for aid in reports.articles(article_id, evidence)
                   for x in reports.outlets(aid) if x[0]})


def story_of_event(conn: Any, event_id: str) -> str | None:
    """Return the story id of an event mention, or None."""
    try:
        row = wrap(conn).execute("SELECT story_id FROM story_mentions WHERE event_id=?",
                           (event_id,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None
