"""Load test of the REST API: ``GET /api/events`` with filters, on loopback, bounded.

    python benchmarks/load_test.py [--db FILE] [--requests 2000] [--concurrency 16]
                                   [--duration 30]

Starts ``tidings serve --host 127.0.0.1`` on a free port (over ``--db``, or over a store built
from ``examples/`` in a temporary folder), sends at most ``--requests`` requests with at most
``--concurrency`` in flight, for at most ``--duration`` seconds, alternating two filtered
queries; prints requests/s, latency p50/p95/p99 and errors; stops the server. The whole run
is bounded to 60 s. Loopback only; stdlib HTTP client (no extra dependency).

Skips with a message (exit 0) while ``tidings.api`` does not exist. Not run by pytest.
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
QUERIES = ("/api/events?type=ASSAULT&country=MLI",
           "/api/events?since=2024-03-01&until=2024-06-30")


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
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--duration", type=float, default=30.0)
    args = ap.parse_args(argv)
    if importlib.util.find_spec("tidings.api") is None:
        print("load_test: skipped: src/tidings/api.py does not exist yet (no REST API to test)")
        return 0
    started = time.monotonic()
    stop_at = started + HARD_LIMIT_S
    with tempfile.TemporaryDirectory(prefix="tidings-load-") as tmp:
        db = args.db or _build_db(Path(tmp))
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "tidings", "serve", "--db", str(db), "--host", HOST,
             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)
        try:
            if not _wait_up(port, server, min(stop_at, time.monotonic() + 20)):
                err = server.stderr.read().decode(errors="replace")[-500:] \
                    if server.poll() is not None and server.stderr else ""
                print(f"load_test: the server did not come up on {HOST}:{port} {err}")
                return 1
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
    print(f"load_test: GET {' | '.join(QUERIES)} on {HOST}:{port}")
    print(f"  requests {done} in {wall:.2f} s = {done / wall if wall else 0:.1f} req/s, "
          f"concurrency {args.concurrency}")
    print(f"  latency ms p50 {1000 * _percentile(lat, 50):.1f}  p95 "
          f"{1000 * _percentile(lat, 95):.1f}  p99 {1000 * _percentile(lat, 99):.1f}")
    print(f"  errors {sum(errors.values())} {errors or ''}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
