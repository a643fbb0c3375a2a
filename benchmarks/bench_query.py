"""Benchmark: ``query_events`` latency on a large synthetic store, SQLite and PostgreSQL.

    python benchmarks/bench_query.py --events 1000000 --sqlite /tmp/q.db \
        [--pg postgresql://user:pass@host/db] [--runs 60] [--json out.json]

The generator writes ``--events`` events (10 per article, 16 PLOVER types, 40 countries,
dates over 2015-2024, two actors each) straight into the schema of each backend (bulk
``executemany`` for SQLite, ``COPY`` for PostgreSQL; the PostgreSQL tables live in a schema
``bench`` that is dropped first). Then each query shape runs ``--runs`` times with random
values through the store's own query function, and p50/p95 latencies are reported:

- ``type+country``: ``EventQuery(type=T, country=C, limit=100)`` (a page of the API)
- ``type+range``:   ``EventQuery(type=T, since=D, until=D+30 days, limit=100)``
- ``country+range (all rows)``: ``EventQuery(country=C, since=D, until=D+30 days)``
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tidings.model import PLOVER_TYPES
from tidings.storage import EventQuery

COUNTRIES = ["AFG", "BFA", "CAF", "CMR", "COD", "DZA", "EGY", "ETH", "FRA", "GBR", "GHA", "GIN",
             "IND", "IRN", "IRQ", "ISR", "KEN", "LBY", "MAR", "MLI", "MMR", "MOZ", "NER", "NGA",
             "PAK", "PSE", "RUS", "SDN", "SEN", "SOM", "SSD", "SYR", "TCD", "TUR", "UKR", "USA",
             "VEN", "YEM", "ZAF", "CHN"]
EPOCH = date(2015, 1, 1)
SPAN_DAYS = 3650
PER_ARTICLE = 10


def synthetic(n_events: int, seed: int = 11) -> Iterator[tuple[dict[str, Any], list[dict]]]:
    """Yield (article, its events) with plausible field distributions."""
    rng = random.Random(seed)
    for a in range(n_events // PER_ARTICLE):
        pub = EPOCH + timedelta(days=rng.randrange(SPAN_DAYS))
        aid = f"{a:016x}"
        art = {"id": aid, "published": pub.isoformat(), "title": f"Report {a}",
               "source": "Synthetic Wire", "text": f"Synthetic article {a}."}
        events = []
        for k in range(PER_ARTICLE):
            day = (pub - timedelta(days=rng.randrange(3))).isoformat()
            src, tgt = rng.choice(COUNTRIES), rng.choice(COUNTRIES)
            place = rng.choice([tgt, src, None])
            ev = {"id": f"{aid}-{k}", "type": rng.choice(PLOVER_TYPES), "modality": "asserted",
                  "confidence": round(rng.uniform(0.4, 1.0), 3), "date_start": day,
                  "date_end": day, "src": src, "tgt": tgt, "place": place}
            events.append(ev)
        yield art, events


def _event_json(e: dict[str, Any]) -> str:
    return json.dumps({"id": e["id"], "type": e["type"], "source": [{"country": e["src"]}],
                       "target": [{"country": e["tgt"]}]})


def fill_sqlite(path: Path, n_events: int) -> float:
    """Create and fill a SQLite store at ``path``; return seconds."""
    from tidings.storage.sqlite import connect

    if path.exists():
        path.unlink()
    conn = connect(path)
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for art, events in synthetic(n_events):
        conn.execute("INSERT INTO articles (id, published, title, source, text, document,"
                     " stored_at) VALUES (?,?,?,?,?,'{}','')",
                     (art["id"], art["published"], art["title"], art["source"], art["text"]))
        conn.executemany(
            "INSERT INTO events (id, article_id, type, modality, confidence, date_start,"
            " date_end, date_granularity, date_basis, trigger_start, place_country,"
            " source_countries, target_countries, json) VALUES"
            " (?,?,?,?,?,?,?,'day','text',0,?,?,?,?)",
            [(e["id"], art["id"], e["type"], e["modality"], e["confidence"], e["date_start"],
              e["date_end"], e["place"], f" {e['src']} ", f" {e['tgt']} ", _event_json(e))
             for e in events])
        conn.executemany(
            "INSERT INTO event_actors (event_id, role, ord, text, name, country) VALUES"
            " (?,?,0,?,?,?)",
            [row for e in events for row in ((e["id"], "source", e["src"], e["src"], e["src"]),
                                             (e["id"], "target", e["tgt"], e["tgt"], e["tgt"]))])
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    connect(path).close()  # as the next writer would: records the longest event span
    return time.perf_counter() - t0


def fill_pg(url: str, n_events: int) -> tuple[str, float]:
    """Create schema ``bench`` in ``url``'s database, fill it by COPY; return (url, seconds)."""
    from urllib.parse import quote

    import psycopg

    from tidings.storage.postgres import PgStore

    with psycopg.connect(url, autocommit=True) as c:
        c.execute("DROP SCHEMA IF EXISTS bench CASCADE")
        c.execute("CREATE SCHEMA bench")
    burl = f"{url}{'&' if '?' in url else '?'}options={quote('-csearch_path=bench')}"
    t0 = time.perf_counter()
    arts, evs, actors = [], [], []
    for art, events in synthetic(n_events):
        arts.append((art["id"], art["published"], art["title"], art["source"], art["text"],
                     "{}"))
        for e in events:
            evs.append((e["id"], art["id"], e["type"], e["modality"], e["confidence"],
                        e["date_start"], e["date_end"], "day", "text", 0, e["place"],
                        [e["src"]], [e["tgt"]], _event_json(e)))
            actors += [(e["id"], "source", 0, e["src"], e["src"], e["src"]),
                       (e["id"], "target", 0, e["tgt"], e["tgt"], e["tgt"])]
    copies = [("COPY articles (id, published, title, source, text, document) FROM STDIN", arts),
              ("COPY events (id, article_id, type, modality, confidence, date_start, date_end,"
               " date_granularity, date_basis, trigger_start, place_country, source_countries,"
               " target_countries, json) FROM STDIN", evs),
              ("COPY event_actors (event_id, role, ord, text, name, country) FROM STDIN",
               actors)]
    with PgStore(burl) as s, s.conn.transaction():
        for sql, rows in copies:  # one COPY at a time: a connection runs one COPY
            with s.conn.cursor() as cur, cur.copy(sql) as cp:
                for row in rows:
                    cp.write_row(row)
    with psycopg.connect(burl, autocommit=True) as c:
        c.execute("VACUUM ANALYZE")
    return burl, time.perf_counter() - t0


def _queries(rng: random.Random) -> dict[str, Callable[[], EventQuery]]:
    def rand_day() -> date:
        return EPOCH + timedelta(days=rng.randrange(SPAN_DAYS - 30))

    def type_range() -> EventQuery:
        d = rand_day()
        return EventQuery(type=rng.choice(PLOVER_TYPES), since=d.isoformat(),
                          until=(d + timedelta(days=30)).isoformat(), limit=100)

    def country_range() -> EventQuery:
        d = rand_day()
        return EventQuery(country=rng.choice(COUNTRIES), since=d.isoformat(),
                          until=(d + timedelta(days=30)).isoformat())

    return {
        "type+country (limit 100)": lambda: EventQuery(type=rng.choice(PLOVER_TYPES),
                                                       country=rng.choice(COUNTRIES), limit=100),
        "type+range (limit 100)": type_range,
        "country+range (all rows)": country_range,
    }


def measure(run: Callable[[EventQuery], list], runs: int) -> dict[str, Any]:
    """Return p50/p95 latency (ms) and mean rows of each query shape over ``runs`` runs."""
    rng = random.Random(5)
    out = {}
    for name, make in _queries(rng).items():
        run(make())  # warm the cache
        lat, rows = [], []
        for _ in range(runs):
            q = make()
            t0 = time.perf_counter()
            rows.append(len(run(q)))
            lat.append((time.perf_counter() - t0) * 1000)
        lat.sort()
        out[name] = {"p50_ms": round(statistics.median(lat), 2),
                     "p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 2),
                     "mean_rows": round(statistics.mean(rows), 1)}
        print(name, out[name], file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--sqlite", type=Path, default=None)
    ap.add_argument("--pg", default=None)
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    result: dict[str, Any] = {"events": args.events, "runs": args.runs}
    if args.sqlite:
        from tidings.storage import connect

        secs = fill_sqlite(args.sqlite, args.events)
        with connect(args.sqlite, readonly=True) as lite:
            result["sqlite"] = {"fill_s": round(secs, 1),
                                "queries": measure(lite.query_events, args.runs)}
    if args.pg:
        from tidings.storage import connect

        burl, secs = fill_pg(args.pg, args.events)
        with connect(burl, readonly=True) as pg:
            result["postgresql"] = {"fill_s": round(secs, 1),
                                    "queries": measure(pg.query_events, args.runs)}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
