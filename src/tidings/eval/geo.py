"""Geoparsing evaluation on LGL/GeoVirus-style corpora (see :mod:`tidings.eval.geo_corpora`).

Metrics per corpus, for the tidings places stage and for a population-prior baseline
(spaCy GPE/LOC spans, largest-population gazetteer candidate), side by side:

- detection precision/recall/F1: a gold toponym is detected when a predicted span overlaps
  it; a prediction is correct when it overlaps a gold toponym;
- ``acc161``: share of ALL gold toponyms with coordinates whose overlapping prediction lies
  within 161 km (undetected or unresolved toponyms count as wrong);
- ``median_km``/``mean_km`` over the gold toponyms that were detected and resolved;
- ``auc``: area under the curve of log(1 + error km) over all gold toponyms with
  coordinates, the undetected ones at the maximum error of 20,039 km, normalised to [0, 1]
  (Gritta et al. 2018; lower is better);
- throughput (documents/s) of parse and places stage, and the places stage's time as a share
  of the parse time.

Run: ``python -m tidings.eval.geo ../shared/data/geo/lgl.xml ../shared/data/geo/GeoVirus.xml``
(``--limit N`` for the first N documents).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .metrics import f1
from .geo_corpora import GeoDoc, GoldToponym, read_geo_corpus
from ..model import Place
from ..stages.places import baseline_places, find_places, haversine_km

MAX_ERROR_KM = 20039.0
ACC_KM = 161.0


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def score_docs(gold: list[list[GoldToponym]], pred: list[list[Place]]) -> dict[str, float | None]:
    """Score predicted places against gold toponyms (see the module docstring)."""
    n_gold = n_pred = det_gold = ok_pred = 0
    errors_all: list[float] = []
    errors_resolved: list[float] = []
    for golds, preds in zip(gold, pred):
        n_gold += len(golds)
        n_pred += len(preds)
        for p in preds:
            if any(_overlap(p.start, p.end, t.start, t.end) for t in golds):
                ok_pred += 1
        for t in golds:
            best: Place | None = None
            best_ov = 0
            for p in preds:
                ov = _overlap(p.start, p.end, t.start, t.end)
                if ov > best_ov:
                    best, best_ov = p, ov
            if best is not None:
                det_gold += 1
            if t.lat is None or t.lon is None:
                continue
            if best is None or best.lat is None or best.lon is None:
                errors_all.append(MAX_ERROR_KM)
                continue
            e = haversine_km(t.lat, t.lon, best.lat, best.lon)
            errors_all.append(e)
            errors_resolved.append(e)
    prec = ok_pred / n_pred if n_pred else 0.0
    rec = det_gold / n_gold if n_gold else 0.0
    f1_ = f1(prec, rec)
    n_geo = len(errors_all)
    acc = sum(1 for e in errors_all if e <= ACC_KM) / n_geo if n_geo else 0.0
    auc = (sum(math.log1p(e) for e in errors_all) / (n_geo * math.log1p(MAX_ERROR_KM))
           if n_geo else 1.0)
    return {
        "gold": n_gold, "gold_with_coords": n_geo, "predicted": n_pred,
        "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1_, 4),
        "acc161": round(acc, 4),
        "acc161_resolved": round(sum(1 for e in errors_resolved if e <= ACC_KM)
                                 / len(errors_resolved), 4) if errors_resolved else 0.0,
        "median_km": round(statistics.median(errors_resolved), 1) if errors_resolved else None,
        "mean_km": round(statistics.fmean(errors_resolved), 1) if errors_resolved else None,
        "auc": round(auc, 4),
    }


def evaluate_docs(docs: list[GeoDoc], nlp: Any = None,
                  system: Callable[[Any], list[Place]] | None = None) -> dict[str, Any]:
    """Parse ``docs`` once and score the places stage and the baseline on them."""
    if nlp is None:
        from ..parse import load_nlp

        nlp = load_nlp()
    system = system or (lambda d: find_places(d))
    find_places_warm = system
    t0 = time.perf_counter()
    parsed = list(nlp.pipe((d.text for d in docs), batch_size=32))
    t_parse = time.perf_counter() - t0
    if parsed:
        find_places_warm(parsed[0])  # load the gazetteer outside the timing
    t0 = time.perf_counter()
    preds = [find_places_warm(d) for d in parsed]
    t_places = time.perf_counter() - t0
    base = [baseline_places(d) for d in parsed]
    gold = [d.toponyms for d in docs]
    out: dict[str, Any] = {
        "docs": len(docs),
        "system": score_docs(gold, preds),
        "system_no_demonyms": score_docs(
            gold, [[p for p in ps if p.usage != "demonym"] for ps in preds]),
        "baseline": score_docs(gold, base),
        "parse_s": round(t_parse, 2),
        "places_s": round(t_places, 3),
        "places_over_parse": round(t_places / t_parse, 4) if t_parse else None,
        "docs_per_s": round(len(docs) / (t_parse + t_places), 2) if docs else 0.0,
    }
    return out


def evaluate_geo(paths: Iterable[str | Path], limit: int | None = None,
                 nlp: Any = None) -> dict[str, Any]:
    """Evaluate on each corpus file in ``paths``; return ``{corpus name: metrics}``."""
    results: dict[str, Any] = {}
    for path in paths:
        docs = read_geo_corpus(path)
        if limit:
            docs = docs[:limit]
        results[Path(path).stem] = evaluate_docs(docs, nlp=nlp)
    return results


def format_report(results: dict[str, Any]) -> str:
    """Render :func:`evaluate_geo` results as a plain-text table."""
    cols = ("precision", "recall", "f1", "acc161", "median_km", "mean_km", "auc")
    lines = []
    for corpus, r in results.items():
        lines.append(f"{corpus}: {r['docs']} docs, {r['docs_per_s']} docs/s, places stage "
                     f"{r['places_over_parse']:.1%} of parse time")
        lines.append(f"  {'':<20}" + "".join(f"{c:>11}" for c in cols))
        for name in ("system", "system_no_demonyms", "baseline"):
            m = r[name]
            lines.append(f"  {name:<20}" + "".join(
                f"{'-' if m[c] is None else m[c]:>11}" for c in cols))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: print the metrics as JSON."""
    ap = argparse.ArgumentParser(prog="python -m tidings.eval.geo", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--format", choices=("text", "json"), default="text")
    args = ap.parse_args(argv)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    results = evaluate_geo(args.paths, args.limit)
    print(json.dumps(results, indent=1) if args.format == "json" else format_report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
