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


#: the fixed document split: every 4th document (index 3, 7, 11, ...) of a corpus is test
SPLITS = ("dev", "test", "all")


def split_docs(docs: list[GeoDoc], split: str = "all") -> list[GeoDoc]:
    """Keep the ``dev`` (3 of every 4 documents) or ``test`` (every 4th) part of a corpus."""
    if split == "all":
        return docs
    return [d for n, d in enumerate(docs) if (n % 4 == 3) == (split == "test")]


def evaluate_geo(paths: Iterable[str | Path], limit: int | None = None,
                 nlp: Any = None, split: str = "all") -> dict[str, Any]:
    """Evaluate on each corpus file in ``paths``; return ``{corpus name: metrics}``."""
    results: dict[str, Any] = {}
    for path in paths:
        docs = split_docs(read_geo_corpus(path), split)
        if limit:
            docs = docs[:limit]
        results[Path(path).stem] = evaluate_docs(docs, nlp=nlp)
    return results


# ---------------------------------------------------------------- training the recognizer

#: L2 penalty and decision threshold of the place recognizer (chosen on the dev split by
#: 5-fold CV over documents: see train_recognizer)
RECOGNIZER_L2 = 3.0
RECOGNIZER_THRESHOLD = 0.5


def recognizer_examples(docs: list[GeoDoc], parsed: list[Any]
                        ) -> list[tuple[int, list[str], int]]:
    """(document number, features, overlaps a gold toponym?) of every recognizer candidate."""
    from ..gazetteer import load_gazetteer
    from ..stages.places import find_mentions, recognition_candidates

    g = load_gazetteer()
    out = []
    for n, (d, doc) in enumerate(zip(docs, parsed)):
        mentions = find_mentions(doc, g)
        for _m, ts, te, _origin, feats in recognition_candidates(doc, mentions, g):
            s, e = doc[ts].idx, doc[te - 1].idx + len(doc[te - 1].text)
            y = int(any(s < t.end and t.start < e for t in d.toponyms))
            out.append((n, feats, y))
    return out


def fit_logistic(examples: list[tuple[int, list[str], int]], l2: float) -> dict[str, float]:
    """L2-penalised logistic regression over feature strings (scipy, training time only)."""
    import numpy as np
    import scipy.sparse as sp
    from scipy.optimize import minimize

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, (_n, feats, _y) in enumerate(examples):
        for k in set(feats):
            rows.append(r)
            cols.append(vocab.setdefault(k, len(vocab)))
    x = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(examples), len(vocab)))
    y = np.array([e[2] for e in examples], dtype=float)
    reg = np.ones(len(vocab))
    if "bias" in vocab:
        reg[vocab["bias"]] = 0.0

    def objective(w: Any) -> tuple[float, Any]:
        z = x @ w
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        loss = -(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)).sum() \
            + 0.5 * l2 * (reg * w) @ w
        grad = x.T @ (p - y) + l2 * reg * w
        return float(loss), grad

    res = minimize(objective, np.zeros(len(vocab)), jac=True, method="L-BFGS-B",
                   options={"maxiter": 500})
    return {k: round(float(res.x[j]), 3) for k, j in vocab.items() if abs(res.x[j]) >= 0.01}


def train_recognizer(paths: Iterable[str | Path], split: str = "dev",
                     l2: float = RECOGNIZER_L2) -> dict[str, Any]:
    """Train the place recognizer on the ``split`` part of each corpus in ``paths``."""
    from ..parse import load_nlp
    from .metrics import data_sha256

    nlp = load_nlp()
    examples: list[tuple[int, list[str], int]] = []
    files = []
    for path in paths:
        docs = split_docs(read_geo_corpus(path), split)
        parsed = list(nlp.pipe((d.text for d in docs), batch_size=32))
        base = len(examples) and max(n for n, _, _ in examples) + 1
        examples += [(base + n, f, y) for n, f, y in recognizer_examples(docs, parsed)]
        files.append({"file": Path(path).name, "sha256": data_sha256([path]), "split": split,
                      "documents": len(docs)})
    weights = fit_logistic(examples, l2)
    return {"description": "tidings place recognizer: logistic model over names the NER "
                           "labels do not give as places; features in "
                           "tidings.stages.place_cues",
            "trained_on": files, "examples": len(examples),
            "positives": sum(y for _, _, y in examples), "l2": l2,
            "threshold": RECOGNIZER_THRESHOLD, "weights": dict(sorted(weights.items()))}


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
    ap.add_argument("--split", choices=SPLITS, default="all",
                    help="dev (3 of every 4 documents) or test (every 4th document)")
    ap.add_argument("--train-recognizer", type=Path, metavar="OUT",
                    help="train the place recognizer on the dev split, write its weights")
    ap.add_argument("--format", choices=("text", "json"), default="text")
    args = ap.parse_args(argv)
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.train_recognizer:
        model = train_recognizer(args.paths)
        args.train_recognizer.write_text(json.dumps(model, indent=0, ensure_ascii=False,
                                                    separators=(",", ":")) + "\n", "utf-8")
        print(f"wrote {args.train_recognizer} ({len(model['weights'])} weights, "
              f"{model['examples']} examples)")
        return 0
    results = evaluate_geo(args.paths, args.limit, split=args.split)
    print(json.dumps(results, indent=1) if args.format == "json" else format_report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
