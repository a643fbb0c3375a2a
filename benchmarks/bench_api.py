"""Benchmark: ``GET /api/events`` latency with two filters, in process and over loopback.

    python benchmarks/make_synthetic_db.py --events 100000 --db /tmp/synth.db
    python benchmarks/bench_api.py --db /tmp/synth.db [--requests 400] [--json out.json]
        [--mode inprocess|loopback|both]

Each request is one page (``limit=100``, default sort newest first) with two filters drawn at
random from the shapes below, values drawn from the store itself (so most requests match
something). ``inprocess`` calls the ASGI app through Starlette's TestClient (routing,
validation, SQL, JSON); ``loopback`` runs uvicorn on 127.0.0.1 in a thread and uses one
keep-alive HTTP client (adds the HTTP stack). p50/p95/p99 in milliseconds, per shape and
over all requests, after a warm-up of 20 requests. Target: p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import sqlite3
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SHAPES = ("type+country", "country+period", "actor+type", "type+period", "bbox+type",
          "q+country")


def percentiles(xs: list[float]) -> dict[str, float]:
    """Return p50/p95/p99/mean/max of ``xs`` (milliseconds), rounded."""
    s = sorted(xs)

    def p(q: float) -> float:
        return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]

    return {"n": len(s), "p50": round(p(0.50), 2), "p95": round(p(0.95), 2),
            "p99": round(p(0.99), 2), "mean": round(statistics.fmean(s), 2),
            "max": round(s[-1], 2)}


def value_pools(db: Path) -> dict[str, list[Any]]:
    """Return realistic filter values drawn from the store (weighted by frequency)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pools = {
        "type": [r[0] for r in conn.execute("SELECT type FROM events ORDER BY random() LIMIT 500")],
        "country": [r[0] for r in conn.execute(
            "SELECT place_country FROM events WHERE place_country IS NOT NULL"
            " ORDER BY random() LIMIT 500")],
        "actor": [r[0] for r in conn.execute(
            "SELECT name FROM event_actors ORDER BY random() LIMIT 500")],
        "latlon": conn.execute("SELECT lat, lon FROM events WHERE lat IS NOT NULL"
                               " ORDER BY random() LIMIT 500").fetchall(),
        "day": [r[0] for r in conn.execute(
            "SELECT date_start FROM events ORDER BY random() LIMIT 500")],
    }
    words = []
    for (title,) in conn.execute("SELECT title FROM articles ORDER BY random() LIMIT 200"):
        words += [w for w in (title or "").split() if len(w) > 5 and w.isalpha()]
    pools["word"] = words or ["government"]
    conn.close()
    return pools


def request_params(rng: random.Random, pools: dict[str, list[Any]], shape: str,
                   ) -> dict[str, Any]:
    """Return the query parameters of one request of ``shape``."""
    pick = rng.choice
    if shape == "type+country":
        return {"type": pick(pools["type"]), "country": pick(pools["country"])}
    if shape == "country+period" or shape == "type+period":
        d = date.fromisoformat(pick(pools["day"]))
        first = {"country": pick(pools["country"])} if shape.startswith("country") \
            else {"type": pick(pools["type"])}
        return {**first, "since": (d - timedelta(days=30)).isoformat(), "until": d.isoformat()}
    if shape == "actor+type":
        return {"actor": pick(pools["actor"]), "type": pick(pools["type"])}
    if shape == "bbox+type":
        lat, lon = pick(pools["latlon"])
        return {"bbox": f"{max(-180, lon - 5):.2f},{max(-90, lat - 5):.2f},"
                        f"{min(180, lon + 5):.2f},{min(90, lat + 5):.2f}",
                "type": pick(pools["type"])}
    return {"q": pick(pools["word"]), "country": pick(pools["country"])}


def run(get: Callable[[dict[str, Any]], int], pools: dict[str, list[Any]], n: int,
        seed: int = 3) -> dict[str, Any]:
    """Time ``n`` requests through ``get``; return percentiles per shape and overall."""
    rng = random.Random(seed)
    for _ in range(20):  # warm-up: page cache, connection pool, JIT-free but cache-full
        get(request_params(rng, pools, rng.choice(SHAPES)))
    times: dict[str, list[float]] = {s: [] for s in SHAPES}
    for i in range(n):
        shape = SHAPES[i % len(SHAPES)]
        params = request_params(rng, pools, shape)
        t0 = time.perf_counter()
        status = get(params)
        times[shape].append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise SystemExit(f"request {params} answered {status}")
    every = [t for ts in times.values() for t in ts]
    return {"all": percentiles(every), **{s: percentiles(ts) for s, ts in times.items()}}


def in_process(db: Path, pools: dict[str, list[Any]], n: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from tidings.api import create_app

    with TestClient(create_app(db)) as client:
        return run(lambda p: client.get("/api/events", params={**p, "limit": 100}).status_code,
                   pools, n)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loopback(db: Path, pools: dict[str, list[Any]], n: int) -> dict[str, Any]:
    import httpx
    import uvicorn

    from tidings.api import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            return run(lambda p: client.get("/api/events",
                                            params={**p, "limit": 100}).status_code, pools, n)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/tidings-synthetic.db"))
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument("--mode", choices=("inprocess", "loopback", "both"), default="both")
    ap.add_argument("--json", type=Path, help="write the results here too")
    args = ap.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"no database at {args.db}: run benchmarks/make_synthetic_db.py first")
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    pools = value_pools(args.db)
    out: dict[str, Any] = {"db": str(args.db), "events": n_events,
                           "requests": args.requests, "python": sys.version.split()[0]}
    if args.mode in ("inprocess", "both"):
        out["inprocess"] = in_process(args.db, pools, args.requests)
    if args.mode in ("loopback", "both"):
        out["loopback"] = loopback(args.db, pools, args.requests)
    for mode in ("inprocess", "loopback"):
        if mode in out:
            summary = "  ".join(f"{k} {v}" for k, v in out[mode]["all"].items())
            print(f"{mode:10s} (ms)   {summary}")
            for shape in SHAPES:
                r = out[mode][shape]
                print(f"  {shape:16s} p50 {r['p50']:7.2f}  p95 {r['p95']:7.2f}"
                      f"  p99 {r['p99']:7.2f}  max {r['max']:7.2f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
