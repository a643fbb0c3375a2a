"""Benchmark: throughput over growing synthetic corpora, and Spark's parallel efficiency.

    python benchmarks/bench_scale.py generate --n 5000 --out synth.jsonl
    python benchmarks/bench_scale.py curve --sizes 1000,2000,5000 [--json out.json]
    python benchmarks/bench_scale.py spark --n 600 --masters 'local[1],local[2]' [--json out.json]

Synthetic articles (~400 words) recombine the sentences of ``examples/`` with other country,
city and leader names and other dates, so every stage has real work (actors, places, times and
events) while the texts differ. ``curve`` times the bare spaCy parse (``nlp.pipe``) of the
first ``--parse-n`` texts and then one pass of the whole pipeline (:func:`extract_many`) over
the largest size, reporting the cumulative throughput when each size is reached and the peak
RSS. ``spark`` runs ``tidings spark`` over the same JSONL with each master (partitions fixed
for all) and reports wall time and parallel efficiency ``T1 / (k * Tk)``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

COUNTRIES = ["Mali", "Niger", "Burkina Faso", "Nigeria", "Senegal", "Chad", "Sudan", "Kenya",
             "Ethiopia", "Somalia", "Cameroon", "Ghana", "Guinea", "Libya", "Egypt", "Ukraine",
             "Russia", "France", "Algeria", "Morocco"]
CITIES = ["Bamako", "Niamey", "Ouagadougou", "Abuja", "Dakar", "N'Djamena", "Khartoum",
          "Nairobi", "Addis Ababa", "Mogadishu", "Yaounde", "Accra", "Conakry", "Tripoli",
          "Cairo", "Kyiv", "Gao", "Timbuktu", "Maiduguri", "Kano"]
LEADERS = ["Assimi Goita", "Abdourahamane Tiani", "Ibrahim Traore", "Bola Tinubu",
           "Macky Sall", "Mahamat Deby", "William Ruto", "Abiy Ahmed", "Paul Biya"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _sentences() -> list[str]:
    from tidings.readers import Rejected, read

    out: list[str] = []
    for art in read(ROOT / "examples"):
        if isinstance(art, Rejected):
            continue
        for para in art.text.split("\n\n"):
            out += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", para)
                    if len(s.split()) >= 6]
    return out


def generate(n: int, out: Path, words: int = 370, seed: int = 7) -> dict[str, Any]:
    """Write ``n`` synthetic ~``words``-word articles as JSON Lines; return counts."""
    rng = random.Random(seed)
    pool = _sentences()
    names = re.compile("|".join(re.escape(x) for x in sorted(
        COUNTRIES + CITIES + LEADERS, key=len, reverse=True)))
    month = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
    day = re.compile(r"\b(" + "|".join(DAYS) + r")\b")
    num = re.compile(r"\b\d{1,3}\b")
    total = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            swap = {x: rng.choice(COUNTRIES if x in COUNTRIES else CITIES if x in CITIES
                                  else LEADERS) for x in COUNTRIES + CITIES + LEADERS}
            paras, count = [], 0
            start = rng.randrange(len(pool))
            while count < words:
                para = []
                for _ in range(rng.randint(2, 4)):
                    s = pool[(start + rng.randrange(12)) % len(pool)] if rng.random() < 0.7 \
                        else rng.choice(pool)
                    start += 1
                    s = names.sub(lambda m: swap[m.group(0)], s)
                    s = month.sub(lambda m: rng.choice(MONTHS), s)
                    s = day.sub(lambda m: rng.choice(DAYS), s)
                    s = num.sub(lambda m: str(rng.randint(2, 250)), s)
                    para.append(s)
                    count += len(s.split())
                paras.append(" ".join(para))
            text = "\n\n".join(paras)
            total += len(text.split())
            published = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            fh.write(json.dumps({"text": text, "published": published,
                                 "title": f"Synthetic report {i}", "source": "Synthetic Wire",
                                 "url": f"https://synthetic.example/{i}"}) + "\n")
    return {"articles": n, "words": total, "path": str(out)}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def curve(sizes: list[int], parse_n: int, batch_size: int = 16) -> dict[str, Any]:
    """Bare parse of ``parse_n`` texts, then one pipeline pass with checkpoints at ``sizes``."""
    from tidings.parse import load_nlp, model_name
    from tidings.pipeline import extract_many
    from tidings.readers import Rejected, read

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synth.jsonl"
        generate(max(sizes), path)
        articles = [a for a in read(path, max_bytes=1 << 31) if not isinstance(a, Rejected)]
    nlp = load_nlp()
    list(extract_many(articles[:4]))  # warm up every stage
    texts = [a.text for a in articles[:parse_n]]
    parse_words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    parse_s = time.perf_counter() - t0
    points = []
    wanted = sorted(sizes)
    words = 0
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    for i, doc in enumerate(extract_many(articles[:wanted[-1]], batch_size=batch_size,
                                         timings=timings), 1):
        words += len(doc.text.split())
        if i in wanted:
            el = time.perf_counter() - t0
            points.append({"articles": i, "seconds": round(el, 1),
                           "articles_per_s": round(i / el, 2), "words_per_s": round(words / el),
                           "peak_rss_mb": round(_rss_mb())})
            print(json.dumps(points[-1]), file=sys.stderr, flush=True)
    full_rate = points[0]["words_per_s"]
    return {
        "model": model_name(), "words_per_article": round(words / wanted[-1]),
        "bare_parse": {"articles": parse_n, "seconds": round(parse_s, 1),
                       "articles_per_s": round(parse_n / parse_s, 2),
                       "words_per_s": round(parse_words / parse_s)},
        "pipeline": points,
        "throughput_ratio_at_first_size": round(full_rate / (parse_words / parse_s), 3),
        "stage_s": {k: round(v, 1) for k, v in timings.items()},
        "machine": f"{platform.machine()} python {platform.python_version()}",
    }


def spark(n: int, masters: list[str], partitions: int) -> dict[str, Any]:
    """Run ``tidings spark`` over ``n`` synthetic articles with each master; efficiency."""
    from tidings.spark_job import run_spark, spark_session

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "synth.jsonl"
        generate(n, src)
        for master in masters:
            session = spark_session(master)
            t0 = time.perf_counter()
            s = run_spark([src], Path(tmp) / f"out-{len(results)}", partitions=partitions,
                          spark=session)
            el = time.perf_counter() - t0
            session.stop()
            cores = int(re.sub(r"\D", "", master) or 1)
            results.append({"master": master, "cores": cores, "articles": s.articles,
                            "events": s.events, "seconds": round(el, 1),
                            "articles_per_s": round(s.articles / el, 2)})
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    base = results[0]
    for r in results:
        r["speedup"] = round(base["seconds"] / r["seconds"], 2)
        r["efficiency"] = round(base["seconds"] * base["cores"] / (r["seconds"] * r["cores"]),
                                2)
    return {"partitions": partitions, "runs": results}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--n", type=int, default=1000)
    g.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("curve")
    c.add_argument("--sizes", default="1000,2000,5000")
    c.add_argument("--parse-n", type=int, default=1000)
    s = sub.add_parser("spark")
    s.add_argument("--n", type=int, default=600)
    s.add_argument("--masters", default="local[1],local[2]")
    s.add_argument("--partitions", type=int, default=4)
    for p in (c, s):
        p.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.cmd == "generate":
        result = generate(args.n, args.out)
    elif args.cmd == "curve":
        result = curve([int(x) for x in args.sizes.split(",")], args.parse_n)
    else:
        result = spark(args.n, args.masters.split(","), args.partitions)
    print(json.dumps(result, indent=2))
    if getattr(args, "json", None):
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
