"""The one place where evaluation measures are computed.

Precision/recall/F1 from counts, per-label scores and macro-F1, the PLOVER label space used by
the PLV-labelled sets (gold ``YIELD`` matched by CONCEDE or RETREAT), expected calibration
error, clustering scores (pairwise and B-cubed), and the data hashes that pin quality floors to
the evaluation data. Evaluation (``tidings.eval``) and training (``tidings.train``) both import
this module and never each other's metrics.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

YIELD_TYPES = frozenset({"CONCEDE", "RETREAT"})


def f1(p: float, r: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


def prf_counts(tp_pred: float, n_pred: int, tp_gold: float, n_gold: int,
               digits: int | None = 4) -> dict[str, float]:
    """Precision = tp_pred / n_pred, recall = tp_gold / n_gold, and F1.

    The two true-positive counts differ under relaxed matching (one system span may cover two
    gold spans); for exact matching call :func:`prf`.
    """
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = f1(p, r)
    if digits is None:
        return {"precision": p, "recall": r, "f1": f}
    return {"precision": round(p, digits), "recall": round(r, digits), "f1": round(f, digits)}


def prf(tp: int, fp: int, fn: int, digits: int | None = 4) -> dict[str, float]:
    """Precision, recall and F1 from true positives, false positives and false negatives."""
    return prf_counts(tp, tp + fp, tp, tp + fn, digits)


def label_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold labels, and per-label precision/recall/F1/support."""
    labels = sorted(set(gold))
    per: dict[str, dict[str, float]] = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        per[lab] = {**prf(tp, fp, fn), "support": tp + fn}
    acc = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / max(1, len(gold))
    macro = float(np.mean([v["f1"] for v in per.values()])) if per else 0.0
    return {"n": len(gold), "accuracy": round(acc, 4), "macro_f1": round(macro, 4),
            "per_type": per}


def calibration_error(confidence: np.ndarray, correct: np.ndarray, n_bins: int = 15) -> float:
    """Expected calibration error over equal-width confidence bins (rounded to 4 places)."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (confidence > lo) & (confidence <= hi)
        if sel.any():
            ece += sel.mean() * abs(confidence[sel].mean() - correct[sel].mean())
    return round(float(ece), 4)


# ------------------------------------------------------------------ PLOVER label space

def to_gold_space(pred: str, gold_labels: set[str]) -> str:
    """Read a predicted type in the gold label space (CONCEDE/RETREAT -> YIELD if gold uses it)."""
    if "YIELD" in gold_labels and pred in YIELD_TYPES:
        return "YIELD"
    return pred


def plv_metrics(gold: Sequence[str], logits: np.ndarray) -> dict[str, Any]:
    """Scores of argmax predictions of ``logits`` (n, 16) against PLV-space gold labels."""
    from ..classifier import TYPES

    gl = set(gold)
    pred = [to_gold_space(TYPES[int(i)], gl) for i in np.argmax(logits, axis=1)]
    return label_scores(gold, pred)


def expected_calibration_error(gold: Sequence[str], probs: np.ndarray, n_bins: int = 15) -> float:
    """Top-1 ECE of PLOVER type probabilities; a YIELD gold is matched by CONCEDE or RETREAT."""
    from ..classifier import TYPE_INDEX, TYPES

    top = np.argmax(probs, axis=1)
    correct = np.array([
        (TYPES[t] in YIELD_TYPES) if g == "YIELD" else (TYPE_INDEX.get(g, -1) == t)
        for g, t in zip(gold, top, strict=True)
    ], dtype=np.float64)
    return calibration_error(probs.max(axis=1), correct, n_bins)


# ------------------------------------------------------------------ clustering

def cluster_scores(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Pairwise and B-cubed precision/recall/F1 of a predicted clustering against gold,
    over the items present in both (item → cluster id maps)."""
    items = sorted(set(gold) & set(pred))
    tp = fp = fn = 0
    for i, x in enumerate(items):
        for y in items[i + 1:]:
            g, p = gold[x] == gold[y], pred[x] == pred[y]
            tp += g and p
            fp += p and not g
            fn += g and not p
    pp = tp / (tp + fp) if tp + fp else 1.0
    pr = tp / (tp + fn) if tp + fn else 1.0
    bp = br = 0.0
    for x in items:
        same_p = {y for y in items if pred[y] == pred[x]}
        same_g = {y for y in items if gold[y] == gold[x]}
        both = len(same_p & same_g)
        bp += both / len(same_p)
        br += both / len(same_g)
    n = len(items) or 1
    bp, br = bp / n, br / n
    return {"items": len(items), "pairwise_precision": pp, "pairwise_recall": pr,
            "pairwise_f1": f1(pp, pr), "bcubed_precision": bp, "bcubed_recall": br,
            "bcubed_f1": f1(bp, br)}


# ------------------------------------------------------------------ data hashes

def data_sha256(files: Iterable[str | Path]) -> str:
    """SHA-256 over the names and contents of ``files`` in the order given.

    Quality floors record it so that a floor is only enforced on the data it was measured on.
    """
    h = hashlib.sha256()
    for f in files:
        p = Path(f)
        h.update(p.name.encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


# ------------------------------------------------------------------ selective prediction

COVERAGES = tuple(range(10, 101, 10))


def precision_at_coverage(confidence: np.ndarray, correct: np.ndarray,
                          coverages: Iterable[int] = COVERAGES) -> dict[int, float]:
    """Precision of the most confident ``c`` % of the predictions, for each coverage ``c``.

    Ties are broken by input order (a stable sort), so the curve is reproducible."""
    order = np.argsort(-np.asarray(confidence, dtype=float), kind="stable")
    ok = np.asarray(correct, dtype=float)[order]
    out: dict[int, float] = {}
    for c in coverages:
        k = max(1, int(round(len(ok) * c / 100))) if len(ok) else 0
        out[c] = round(float(ok[:k].mean()), 4) if k else 0.0
    return out


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Mean negative log-likelihood of binary outcomes ``y`` under probabilities ``p``."""
    q = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    t = np.asarray(y, dtype=float)
    return round(float(-np.mean(t * np.log(q) + (1 - t) * np.log(1 - q))), 4)
