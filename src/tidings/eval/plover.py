"""Evaluate the PLOVER type classifier on PLV-style labelled sentences.

* :func:`evaluate_plover_tsv` scores the committed model on a TSV with ``marked_sentence`` (or
  ``sentence`` + ``source``/``target``) and ``gold_root`` columns. Gold ``YIELD`` (CAMEO's old
  category) counts as correct when CONCEDE or RETREAT is predicted; metrics are computed in the
  gold file's label space (predicted CONCEDE/RETREAT read as YIELD when the gold uses YIELD).
* :func:`cv_scores` is the generalisation check used by the data tests: grouped k-fold CV of
  the training recipe (a fresh fine-tune per fold over frozen lower-layer states computed once).

Command line::

    python -m tidings.eval.plover PATH.tsv        # the committed model on a labelled file
    python -m tidings.eval.plover --cv [DATA_DIR] # grouped 5-fold CV of the recipe on PLV_train
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..classifier import TYPE_INDEX, TYPES, classify_batch
from . import metrics
from .metrics import expected_calibration_error, plv_metrics

FLOORS_PATH = Path(__file__).resolve().parents[1] / "data" / "quality_floors_plover.json"


def _read_items(path: Path) -> tuple[list[tuple[str, str | None, str | None]], list[str]]:
    items: list[tuple[str, str | None, str | None]] = []
    gold: list[str] = []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            lab = (row.get("gold_root") or row.get("label") or "").strip().upper()
            if lab not in TYPE_INDEX and lab != "YIELD":
                continue
            if row.get("marked_sentence"):
                items.append((row["marked_sentence"], None, None))
            else:
                items.append((row["sentence"], row.get("source") or None,
                              row.get("target") or None))
            gold.append(lab)
    return items, gold


def evaluate_plover_tsv(path: str | Path, batch_size: int = 64) -> dict[str, Any]:
    """Score the committed classifier on a PLV-style TSV; returns metrics, ECE and speed."""
    items, gold = _read_items(Path(path))
    t0 = time.perf_counter()
    ranked = classify_batch(items, batch_size=batch_size)
    secs = time.perf_counter() - t0
    probs = np.zeros((len(items), len(TYPES)), dtype=np.float64)
    for i, r in enumerate(ranked):
        for t, p in r:
            probs[i, TYPE_INDEX[t]] = p
    res = plv_metrics(gold, np.log(probs + 1e-12))
    res["ece"] = expected_calibration_error(gold, probs)
    res["sentences_per_s"] = round(len(items) / secs, 1) if secs > 0 else None
    res["path"] = str(path)
    return res


def format_report(res: dict[str, Any], title: str = "PLOVER type (dyad given)") -> str:
    """A plain-text table of a result dict from :func:`evaluate_plover_tsv` or the CV."""
    lines = [f"{title}: n={res.get('n')}  accuracy={res['accuracy']:.3f}  "
             f"macro-F1={res['macro_f1']:.3f}"
             + (f"  ECE={res['ece']:.3f}" if "ece" in res else "")
             + (f"  {res['sentences_per_s']} sent/s" if res.get("sentences_per_s") else "")]
    lines.append(f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for lab, v in sorted(res["per_type"].items()):
        lines.append(f"{lab:<10} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} "
                     f"{v['support']:5d}")
    return "\n".join(lines)


def data_sha256(data_dir: str | Path) -> str:
    """SHA-256 over the three PLOVER training files (pins the quality floors to the data)."""
    from ..train.classifier import DATA_FILES

    return metrics.data_sha256(Path(data_dir) / name for name in DATA_FILES)


def cv_scores(data_dir: str | Path, k: int = 5, only: Sequence[int] | None = None,
              cache_dir: Path | None = None, log: Any = None) -> dict[str, Any]:
    """Grouped k-fold CV on PLV_train of the shipped recipe (``tidings.train.classifier``).

    Each scored fold fine-tunes a fresh copy of the model on the other PLV folds plus all of
    GSR and NGEC and scores the held-out fold, so this measures the recipe's generalisation,
    not the shipped weights' memory. ``only`` scores a subset of the folds (the CI gate runs
    two). Returns PLV-space metrics, the temperature fitted on the scored folds and ECE.
    """
    from ..train.classifier import TrainSet, cross_validate, load_all

    ts = TrainSet.build(load_all(Path(data_dir)), cache_dir)
    res = cross_validate(ts, k=k, only=only, log=log)
    res.pop("rows", None)
    res.pop("logits", None)
    return res


def main(argv: list[str] | None = None) -> int:
    """CLI: evaluate a TSV, or run the quick grouped CV on the training data."""
    ap = argparse.ArgumentParser(prog="python -m tidings.eval.plover")
    ap.add_argument("path", nargs="?", type=Path, help="PLV-style TSV with gold_root")
    ap.add_argument("--cv", nargs="?", const="default", default=None,
                    help="grouped 5-fold CV of the training recipe on DATA_DIR "
                    "(default ../shared/data/plover)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    if args.cv is not None:
        from ..train.classifier import DEFAULT_DATA

        data = DEFAULT_DATA if args.cv == "default" else Path(args.cv)
        from ..settings import cache_dir

        res = cv_scores(data, cache_dir=cache_dir(),
                        log=lambda m: print(m, file=sys.stderr, flush=True))
        title = "grouped 5-fold CV on PLV_train (model fine-tuned per fold)"
    elif args.path is not None:
        res = evaluate_plover_tsv(args.path)
        title = f"PLOVER type on {args.path}"
    else:
        ap.error("give a TSV path or --cv")
        return 2
    print(json.dumps(res, indent=1) if args.json else format_report(res, title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
