"""Benchmark: reviewing in the dashboard on a 100,000-event store (issue 17's target: at most
2 s from a click to the next event).

    python benchmarks/bench_review.py --db /tmp/review100k.db [--events 100000] [--clicks 40]
        [--json out.json] [--chromium /usr/bin/chromium] [--timeout 900]

Builds the store first when ``--db`` does not exist, with ``make_synthetic_db.make_db``
(every article through ``Store.upsert``: the real migrations, indexes and JSON), and merges
its stories as ``tidings run`` does (a no-op when they are merged). Then:

1. the queue API on that store, in process (``GET /api/review/queue``, 50 events least
   confident first: unfiltered, by type, by country, and the next page with ``after=``),
   ``--api-runs`` times each, response cache off;
2. ``tidings serve --token`` as a subprocess and the system Chromium through Playwright: the
   review view opens (``?view=review``), a reviewer signs in, and ``--clicks`` times a click
   on *Accept* (alternating with *Next* when ``--mix``) is timed in the page from the click
   (``performance.now()`` in the click listener, registered before the view's own) to the
   first animation frame after ``#review-event`` shows another event. Each accept is a real
   write: the review row, the audit row, the event row and the story re-merge.

Median and p95 go to stdout (and ``--json``); target ≤ 2000 ms. The store is changed by the
run (events accepted): rebuild it, or pass ``--fresh``, to repeat on the same queue.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboard import (  # noqa: E402
    LAUNCH_ARGS,
    _free_port,
    _stop,
    _watchdog,
    local_context,
    start_server,
)

TARGET_MS = 2000.0
TOKEN = "bench-review-token-0123456789"

# Time from a click to the frame that shows the next event, measured in the page.
ARM = """(sel) => { window.__next = new Promise((resolve) => {
  const box = document.querySelector("#review-event");
  const before = box.dataset.id;
  const button = document.querySelector(sel);
  let t0 = null;
  button.addEventListener("click", () => { t0 = performance.now(); },
                          { once: true, capture: true });
  const obs = new MutationObserver(() => {
    if (t0 !== null && box.dataset.id && box.dataset.id !== before) {
      obs.disconnect();
      requestAnimationFrame(() => resolve({ ms: performance.now() - t0, id: box.dataset.id,
                                            from: before }));
    }
  });
  obs.observe(box, { attributes: true, attributeFilter: ["data-id"] });
}); }"""


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


def bench_api(db: Path, runs: int) -> dict[str, Any]:
    """Time GET /api/review/queue shapes in process (cache off)."""
    os.environ["TIDINGS_API_CACHE"] = "off"
    from fastapi.testclient import TestClient

    from tidings.api import create_app

    out: dict[str, Any] = {}
    with TestClient(create_app(db)) as c:
        first = c.get("/api/review/queue", params={"limit": 50}).json()["items"]
        shapes = {"queue": {"limit": 50}, "queue type=ASSAULT": {"limit": 50, "type": "ASSAULT"},
                  "queue country=NGA": {"limit": 50, "country": "NGA"},
                  "queue all (reviewed too)": {"limit": 50, "unreviewed": "false"},
                  "queue next page (after=)": {"limit": 50, "after": first[-1]["id"]},
                  "one event (review/events/{id})": None}
        for name, params in shapes.items():
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                if params is None:
                    r = c.get(f"/api/review/events/{first[3]['id']}")
                else:
                    r = c.get("/api/review/queue", params=params)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, r.text
            out[name] = {"p50_ms": round(statistics.median(times), 1),
                         "p95_ms": round(pct(times, 95), 1)}
            print(f"  {name:34s} p50 {out[name]['p50_ms']:7.1f} ms"
                  f"  p95 {out[name]['p95_ms']:7.1f} ms")
    os.environ.pop("TIDINGS_API_CACHE", None)
    return out


def bench_clicks(db: Path, clicks: int, chromium: str, mix: bool, timeout: float
                 ) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    log = tempfile.TemporaryFile()
    box: list[Any] = [None]
    threading.Thread(target=_watchdog, args=(timeout, box), daemon=True).start()
    try:
        box[0] = start_server(db, port, log, 120, {**os.environ, "TIDINGS_API_TOKEN": TOKEN})
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
            ctx, foreign = local_context(b)
            page = ctx.new_page()
            t = time.perf_counter()
            page.goto(f"{base}/?view=review")
            page.wait_for_selector("#review-event[data-id]:not([data-id=''])", timeout=60000)
            open_ms = (time.perf_counter() - t) * 1000
            page.fill("#review-token", TOKEN)
            page.fill("#review-name", "bench")
            times: dict[str, list[float]] = {"accept": [], "next": []}
            for i in range(clicks):
                kind = "next" if mix and i % 2 else "accept"
                sel = "#review-next" if kind == "next" else "#review-accept"
                page.wait_for_selector(f"{sel}:not([disabled])")
                page.evaluate(ARM, sel)
                page.click(sel)
                res = page.evaluate("() => window.__next")
                times[kind].append(res["ms"])
            ctx.close()
            b.close()
        if foreign:
            raise RuntimeError(f"requests left localhost: {foreign[:3]}")
    finally:
        _stop(box[0])
    out: dict[str, Any] = {"open_ms": round(open_ms)}
    every = times["accept"] + times["next"]
    for k, v in (("accept", times["accept"]), ("next", times["next"]), ("all", every)):
        if v:
            out[k] = {"n": len(v), "median_ms": round(statistics.median(v), 1),
                      "p95_ms": round(pct(v, 95), 1), "max_ms": round(max(v), 1)}
    return out


def merge_stories(db: Path) -> None:
    """Merge the store's events into stories, as ``tidings run`` does after storing (a review
    re-merges its event; on a store never merged, the first review would merge them all)."""
    from tidings import stories
    from tidings.storage.sqlite import Store

    t = time.perf_counter()
    with Store(db) as s:
        counts = stories.merge_new(s.conn)
    if any(counts.values()):
        print(f"merged stories: {counts} in {time.perf_counter() - t:.0f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/tidings-review100k.db"))
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--clicks", type=int, default=40)
    ap.add_argument("--api-runs", type=int, default=20)
    ap.add_argument("--mix", action="store_true", help="alternate accept and next clicks")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("bench_review: the playwright package is not installed; skipped")
        return 0
    if not Path(args.chromium).exists():
        print(f"bench_review: {args.chromium} is absent; skipped")
        return 0
    if not args.db.exists():
        from make_synthetic_db import make_db

        t = time.perf_counter()
        made = make_db(args.db, args.events)
        print(f"built {args.db}: {made} in {time.perf_counter() - t:.0f} s")
    merge_stories(args.db)
    import sqlite3

    with sqlite3.connect(args.db) as c:
        n = c.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"store {args.db}: {n} events; queue API, {args.api_runs} runs each:")
    result: dict[str, Any] = {"events": n, "machine": platform.platform(),
                              "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
    result["api"] = bench_api(args.db, args.api_runs)
    result["clicks"] = bench_clicks(args.db, args.clicks, args.chromium, args.mix, args.timeout)
    c = result["clicks"]
    print(f"review view opened in {c['open_ms']} ms")
    for k in ("accept", "next", "all"):
        if k in c:
            print(f"  click {k:6s} → next event: n={c[k]['n']} median {c[k]['median_ms']} ms,"
                  f" p95 {c[k]['p95_ms']} ms, max {c[k]['max_ms']} ms (target ≤ {TARGET_MS:.0f})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    ok = c["all"]["p95_ms"] <= TARGET_MS
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
