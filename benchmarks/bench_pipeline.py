"""Benchmark: the whole pipeline against the bare spaCy parse of the same texts, same run.

    python benchmarks/bench_pipeline.py examples/ [--repeat 3] [--workers 2] [--json out.json]

Reports articles/s and words/s for (a) the bare parse (nlp.pipe) and (b) tidings' extraction
(the same parse + every stage), their ratio, and the time of each stage. The models are loaded
and warmed up before timing; each measurement is the best of ``--repeat`` runs.

With ``--workers N`` (N > 1) it also measures N processes side by side: the bare parse with
``nlp.pipe(n_process=N)`` and tidings with ``pipeline.extract_parallel(workers=N)`` (what
``tidings run --workers N`` uses), each on the texts repeated ``--scale`` times so that process
start-up is amortised as it is on a real batch.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

from tidings.parse import load_nlp, model_name
from tidings.pipeline import extract_many, extract_parallel
from tidings.readers import Rejected, read


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--scale", type=int, default=4, help="repeat the corpus this many times "
                    "for the multi-process measurement")
    args = ap.parse_args(argv)
    articles = [a for p in args.paths for a in read(p) if not isinstance(a, Rejected)]
    if not articles:
        print("no articles", file=sys.stderr)
        return 1
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    nlp = load_nlp()
    list(extract_many(articles[:2]))  # warm up every stage (gazetteer, lexicons, models)

    best_parse = best_full = float("inf")
    stage_times: dict[str, float] = {}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        list(nlp.pipe(texts, batch_size=16))
        best_parse = min(best_parse, time.perf_counter() - t0)
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        list(extract_many(articles, timings=timings))
        elapsed = time.perf_counter() - t0
        if elapsed < best_full:
            best_full, stage_times = elapsed, timings
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "articles": len(articles), "words": words, "model": model_name(),
        "parse_s": round(best_parse, 3), "pipeline_s": round(best_full, 3),
        "parse_articles_per_s": round(len(articles) / best_parse, 1),
        "pipeline_articles_per_s": round(len(articles) / best_full, 1),
        "parse_words_per_s": round(words / best_parse),
        "pipeline_words_per_s": round(words / best_full),
        "throughput_ratio": round(best_parse / best_full, 3),
        "stage_s": {k: round(v, 3) for k, v in stage_times.items()},
        "peak_rss_mb": round(rss_mb),
        "machine": f"{platform.machine()} python {platform.python_version()}",
    }
    if args.workers > 1:
        big = articles * args.scale
        bt = [a.text for a in big]
        best_pp = best_pf = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for _doc in nlp.pipe(bt, batch_size=16, n_process=args.workers):
                pass
            best_pp = min(best_pp, time.perf_counter() - t0)
            t0 = time.perf_counter()
            n = sum(1 for _ in extract_parallel(big, workers=args.workers))
            best_pf = min(best_pf, time.perf_counter() - t0)
            assert n == len(big)
        result["parallel"] = {
            "workers": args.workers, "articles": len(big),
            "parse_articles_per_s": round(len(big) / best_pp, 1),
            "pipeline_articles_per_s": round(len(big) / best_pf, 1),
            "throughput_ratio": round(best_pp / best_pf, 3),
            "speedup_over_1_process": round(best_full / len(articles) * len(big) / best_pf, 2),
        }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
