"""Load test of the REST API: ``GET /api/events`` with filters, on loopback, bounded.

    python benchmarks/load_test.py [--db FILE] [--duration 30] [--concurrency 8]
                                   [--urls 300] [--tool auto|wrk|python] [--no-cache]

Starts ``tidings serve --host 127.0.0.1`` on a free port (over ``--db``, or over a store built
from ``examples/`` in a temporary folder) and sends ``GET /api/events`` requests for at most
``--duration`` seconds (the whole run is bounded to 60 s). The requests cycle through ``--urls``
distinct filter combinations drawn from the store itself (type + country, country + 30-day
period, type + period, actor + type), so most of them match something, the way many dashboard
users would ask. ``--tool wrk`` (Debian package ``wrk``; the default when it is installed)
drives the load from C so the client does not compete with the server for the GIL; ``python``
is a stdlib client (threads, keep-alive). ``--no-cache`` starts the server with
``TIDINGS_API_CACHE=off`` to measure uncached capacity. Prints requests/s, latency
percentiles and errors. Not run by pytest.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
HARD_LIMIT_S = 60.0
QUERIES = ["/api/events?type=ASSAULT&country=MLI",
           "/api/events?since=2024-03-01&until=2024-06-30"]


def _queries(db: Path, n: int, seed: int = 11) -> list[str]:
    """``n`` distinct two-filter queries drawn from the store's own values."""
    import random
    import sqlite3
    from datetime import date, timedelta
    from urllib.parse import urlencode

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        types = [r[0] for r in conn.execute("SELECT DISTINCT type FROM events")]
        countries = [r[0] for r in conn.execute(
            "SELECT country FROM event_actors WHERE country IS NOT NULL GROUP BY country"
            " ORDER BY count(*) DESC LIMIT 40")]
        names = [r[0] for r in conn.execute(
            "SELECT name FROM event_actors WHERE name IS NOT NULL GROUP BY name"
            " ORDER BY count(*) DESC LIMIT 40")]
        lo, hi = conn.execute("SELECT min(date_start), max(date_start) FROM events").fetchone()
    finally:
        conn.close()
    if not types or not lo:
        return list(QUERIES)
    rng = random.Random(seed)
    d0, d1 = date.fromisoformat(lo[:10]), date.fromisoformat(hi[:10])
    span = max(1, (d1 - d0).days)
    out: set[str] = set()
    for _ in range(n * 20):
        if len(out) >= n:
            break
        day = d0 + timedelta(days=rng.randrange(span))
        period = {"since": day.isoformat(), "until": (day + timedelta(days=30)).isoformat()}
        shape = rng.randrange(4)
        if shape == 0 and countries:
            q = {"type": rng.choice(types), "country": rng.choice(countries)}
        elif shape == 1 and countries:
            q = {"country": rng.choice(countries), **period}
        elif shape == 2:
            q = {"type": rng.choice(types), **period}
        elif names:
            q = {"actor": rng.choice(names), "type": rng.choice(types)}
        else:
            continue
        out.add("/api/events?" + urlencode(q))
    return sorted(out)


def _wrk(port: int, urls: list[str], args: argparse.Namespace) -> int:
    """Drive the load with wrk, cycling through ``urls``; print its numbers."""
    import re
    import shutil

    lua = "local paths = {" + ",".join(f'"{u}"' for u in urls) + "}\n" + (
        "local i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(lua)
    try:
        res = subprocess.run(
            [shutil.which("wrk") or "wrk", "-t2", f"-c{max(1, args.concurrency)}",
             f"-d{int(args.duration)}s", "--latency", "-s", fh.name,
             f"http://{HOST}:{port}/"], capture_output=True, text=True,
            timeout=args.duration + 20)
    finally:
        os.unlink(fh.name)
    out = res.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, flags=re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    print(f"load_test (wrk): GET /api/events over {len(urls)} distinct filter combinations"
          f" on {HOST}:{port}")
    print(f"  requests {total.group(1) if total else '?'} in "
          f"{total.group(2) + total.group(3) if total else '?'} = "
          f"{rps.group(1) if rps else '?'} req/s, {args.concurrency} connections")
    print("  latency " + "  ".join(f"p{k} {v}" for k, v in sorted(pct.items())))
    errors = int(non2xx.group(1)) if non2xx else 0
    print(f"  errors {errors} non-2xx" + (f"; socket errors: {sock.group(1)}" if sock else ""))
    return 1 if errors or sock or res.returncode else 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[i]


def _wait_up(port: int, proc: subprocess.Popen[bytes], until: float) -> bool:
    while time.monotonic() < until and proc.poll() is None:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", QUERIES[0])
            conn.getresponse().read()
            conn.close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def _build_db(folder: Path) -> Path:
    db = folder / "load.db"
    subprocess.run([sys.executable, "-m", "tidings", "run", str(ROOT / "examples"), "--db",
                    str(db), "--no-progress"], check=False, capture_output=True, timeout=40)
    return db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8,
                    help="connections in flight (8: on 2 cores the client shares the CPU)")
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--urls", type=int, default=300, help="distinct queries to cycle through")
    ap.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument("--no-cache", action="store_true", help="server with TIDINGS_API_CACHE=off")
    args = ap.parse_args(argv)
    import shutil

    use_wrk = args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk") is not None)
    if args.tool == "wrk" and shutil.which("wrk") is None:
        print("load_test: wrk is not installed (apt-get install wrk); use --tool python")
        return 1
    if importlib.util.find_spec("tidings.api") is None:
        print("load_test: skipped: src/tidings/api.py does not exist yet (no REST API to test)")
        return 0
    started = time.monotonic()
    stop_at = started + HARD_LIMIT_S
    with tempfile.TemporaryDirectory(prefix="tidings-load-") as tmp:
        db = args.db or _build_db(Path(tmp))
        port = _free_port()
        urls = _queries(db, args.urls)
        QUERIES[:] = urls
        env = {**os.environ, **({"TIDINGS_API_CACHE": "off"} if args.no_cache else {})}
        server = subprocess.Popen(
            [sys.executable, "-m", "tidings", "serve", "--db", str(db), "--host", HOST,
             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True, env=env)
        try:
            if not _wait_up(port, server, min(stop_at, time.monotonic() + 20)):
                err = server.stderr.read().decode(errors="replace")[-500:] \
                    if server.poll() is not None and server.stderr else ""
                print(f"load_test: the server did not come up on {HOST}:{port} {err}")
                return 1
            args.duration = max(1.0, min(args.duration, stop_at - time.monotonic() - 25))
            if use_wrk:
                return _wrk(port, urls, args)
            return _hammer(port, args, min(stop_at, time.monotonic() + args.duration))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def _hammer(port: int, args: argparse.Namespace, until: float) -> int:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    local = threading.local()

    def one(n: int) -> None:
        if time.monotonic() > until:
            return
        conn = getattr(local, "conn", None) or http.client.HTTPConnection(HOST, port, timeout=10)
        local.conn = conn
        t0 = time.perf_counter()
        try:
            conn.request("GET", QUERIES[n % len(QUERIES)])
            resp = conn.getresponse()
            body = resp.read()
            ok = resp.status == 200
            if ok:
                json.loads(body)
            key = "" if ok else f"HTTP {resp.status}"
        except (OSError, http.client.HTTPException, ValueError) as exc:
            key = type(exc).__name__
            conn.close()
            local.conn = None
        dt = time.perf_counter() - t0
        with lock:
            if key:
                errors[key] = errors.get(key, 0) + 1
            else:
                latencies.append(dt)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.concurrency)) as pool:
        list(pool.map(one, range(args.requests)))
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    done = len(lat) + sum(errors.values())
    print(f"load_test (python client): GET /api/events over {len(QUERIES)} distinct filter"
          f" combinations on {HOST}:{port}")
    print(f"  requests {done} in {wall:.2f} s = {done / wall if wall else 0:.1f} req/s, "
          f"concurrency {args.concurrency}")
    print(f"  latency ms p50 {1000 * _percentile(lat, 50):.1f}  p95 "
          f"{1000 * _percentile(lat, 95):.1f}  p99 {1000 * _percentile(lat, 99):.1f}")
    print(f"  errors {sum(errors.values())} {errors or ''}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
