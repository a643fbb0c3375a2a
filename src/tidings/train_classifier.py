"""Train the dyad-given PLOVER type classifier (``tidings.classify``).

One reproducible command (fixed seeds, deterministic full-batch L-BFGS)::

    python -m tidings.train_classifier --data ../shared/data/plover --out src/tidings/data/models

Training data (all read from ``--data``, never copied into the repository):

* ``PLV_train.tsv`` (Hu et al., ACL 2024): marked sentences with a PLOVER root label. Its
  ``YIELD`` label (CAMEO's old category, PLOVER's CONCEDE *or* RETREAT) is kept as a *partial
  label*: the loss of a YIELD example is ``-log(p(CONCEDE) + p(RETREAT))``, so the model learns
  the CONCEDE/RETREAT split from the other sources and PLV only says "one of the two".
* ``gsr_dev.jsonl`` (openeventdata/PLOVER gold standard, older draft): DEMAND→REQUEST,
  DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT; the first source and target ``actorText`` found
  in the sentence are marked.
* ``ngec_synthetic_stories.csv`` (ahalterman/NGEC): the first sentence of each synthetic story
  (where the lead states the event), unmarked, with a down-weight tuned by inner CV.

Hyper-parameters (L2 strength, NGEC weight) are chosen by grouped 5-fold CV on PLV (sentences
never straddle folds); the reported generalisation numbers come from *nested* CV (an outer
grouped 5-fold over PLV, each outer training part tuned by its own inner 3-fold), so no reported
fold was used for tuning. The temperature is fitted on out-of-fold logits.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tidings.classify import (
    MODELS_DIR,
    N_HASH,
    TYPE_INDEX,
    TYPES,
    Features,
    PloverClassifier,
    embed,
    featurize,
    make_dyad,
)

SEED = 13
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "plover"

#: Old PLOVER draft labels (gsr_dev.jsonl) to the current 16 types.
GSR_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
           "FIGHT": "ASSAULT"}
#: The partial label of PLV: YIELD is CONCEDE or RETREAT.
YIELD_SET = ("CONCEDE", "RETREAT")
#: Hyper-parameter grid searched by (inner) CV: L2 strength and NGEC sample weight.
GRID_L2 = (3e-5, 1e-4)
GRID_NGEC = (0.4, 1.0)
#: Relative L2 of the hashed n-gram block (a larger, sparser block than the embedding).
HASH_L2_FACTOR = 0.5


@dataclass
class Example:
    """One training sentence with its dyad, label (or YIELD) and CV group."""

    sentence: str
    source: str | None
    target: str | None
    label: str  # one of TYPES or "YIELD"
    group: str
    domain: str  # "plv" | "gsr" | "ngec"
    mode: str | None = None


def _group(text: str) -> str:
    norm = re.sub(r"\W+", " ", re.sub(r"</?[st]>", "", text)).lower().strip()
    return hashlib.sha1(norm.encode()).hexdigest()[:16]


def load_plv(path: Path) -> list[Example]:
    """PLV_train.tsv (or a PLV-style test file): marked sentences with ``gold_root``."""
    out: list[Example] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            label = (row.get("gold_root") or "").strip().upper()
            if label not in TYPE_INDEX and label != "YIELD":
                continue
            marked = row.get("marked_sentence") or row["sentence"]
            out.append(Example(marked, None, None, label, _group(row["sentence"]), "plv"))
    return out


def load_gsr(path: Path) -> list[Example]:
    """gsr_dev.jsonl with old labels mapped; the first found source/target actors are marked."""
    out: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            label = GSR_MAP.get(rec["event"], rec["event"])
            if label not in TYPE_INDEX:
                continue
            text = rec["text"]

            def first(actors: Any) -> str | None:
                if not isinstance(actors, list):
                    return None
                for a in actors:
                    name = " ".join(str(a.get("actorText", "")).split())
                    if name and name.lower() in " ".join(text.split()).lower():
                        return name
                return None

            src, tgt = first(rec.get("source")), first(rec.get("target"))
            if src and tgt and src == tgt:
                tgt = None
            mode = rec.get("mode")
            out.append(Example(text, src, tgt, label, _group(text), "gsr",
                               mode if isinstance(mode, str) else None))
    return out


_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[A-Z\"“])")
NGEC_MODE_MAP = {"SIEZE": "seize", "PRIMATIVE": "primitive", "ASSASSINATE": "targeted",
                 "EXECUTE": "targeted", "MASSACRE": "targeted", "CLEANSING": "targeted",
                 "RETURN": "release"}


def first_sentence(text: str) -> str:
    """The first sentence of a story (leading dateline-like noise removed)."""
    text = " ".join(text.split())
    text = re.sub(r"^\(?[A-Z][A-Za-z ,.]{0,40}\)?\s+--?\s+", "", text)
    parts = _SENT_SPLIT.split(text, maxsplit=1)
    return parts[0][:400]


def load_ngec(path: Path) -> list[Example]:
    """ngec_synthetic_stories.csv: first sentence of each story; CV group = title template."""
    csv.field_size_limit(10**8)
    out: list[Example] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            label = row["label"].strip().upper()
            if label not in TYPE_INDEX:
                continue
            sent = first_sentence(row["text"])
            if len(sent.split()) < 5:
                continue
            mode = row.get("mode") or None
            if mode:
                mode = NGEC_MODE_MAP.get(mode, mode.lower())
            out.append(Example(sent, None, None, label, "ngec:" + row["title"], "ngec", mode))
    return out


def load_all(data_dir: Path) -> dict[str, list[Example]]:
    """The three training sets by domain."""
    return {
        "plv": load_plv(data_dir / "PLV_train.tsv"),
        "gsr": load_gsr(data_dir / "gsr_dev.jsonl"),
        "ngec": load_ngec(data_dir / "ngec_synthetic_stories.csv"),
    }


# --------------------------------------------------------------------------------------------
# Features with an embedding cache
# --------------------------------------------------------------------------------------------


def build_features(examples: Sequence[Example], cache_dir: Path | None = None) -> Features:
    """Features of ``examples``; window embeddings cached on disk keyed by their text."""
    dyads = [make_dyad(e.sentence, e.source, e.target) for e in examples]
    windows = [d.window for d in dyads]
    emb: np.ndarray | None = None
    cache_file: Path | None = None
    if cache_dir is not None:
        key = hashlib.sha256(("regions-v2\n" + "\n".join(windows)).encode()).hexdigest()[:20]
        cache_file = cache_dir / f"plover_emb_{key}.npy"
        if cache_file.exists():
            emb = np.load(cache_file)
    if emb is None:
        emb = embed(windows)
        if cache_file is not None:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            np.save(cache_file, emb)
    return featurize(dyads, emb)


def label_masks(labels: Sequence[str]) -> np.ndarray:
    """(n, 16) 0/1 masks of allowed types: one-hot, or CONCEDE+RETREAT for YIELD."""
    m = np.zeros((len(labels), len(TYPES)), dtype=np.float32)
    for i, lab in enumerate(labels):
        if lab == "YIELD":
            for t in YIELD_SET:
                m[i, TYPE_INDEX[t]] = 1.0
        else:
            m[i, TYPE_INDEX[lab]] = 1.0
    return m


# --------------------------------------------------------------------------------------------
# The head: multinomial logistic regression with partial labels, fitted with torch L-BFGS
# --------------------------------------------------------------------------------------------


def fit_head(
    feats: Features,
    masks: np.ndarray,
    weights: np.ndarray,
    l2: float,
    max_iter: int = 150,
) -> PloverClassifier:
    """Fit the logistic head (partial-label likelihood, weighted, L2) and return it (T = 1)."""
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    dense_mean = feats.dense.mean(axis=0)
    dense_scale = feats.dense.std(axis=0) + 1e-3
    xe = torch.from_numpy(feats.emb)
    xd = torch.from_numpy((feats.dense - dense_mean) / dense_scale)
    xh = torch.from_numpy(feats.hashed).to_sparse()
    m = torch.from_numpy(masks)
    w = torch.from_numpy((weights / weights.sum()).astype(np.float32))
    k = len(TYPES)
    we = torch.zeros(xe.shape[1], k, requires_grad=True)
    wd = torch.zeros(xd.shape[1], k, requires_grad=True)
    wh = torch.zeros(N_HASH, k, requires_grad=True)
    b = torch.zeros(k, requires_grad=True)
    params = [we, wd, wh, b]
    opt = torch.optim.LBFGS(params, lr=1.0, max_iter=max_iter, history_size=20,
                            line_search_fn="strong_wolfe", tolerance_grad=1e-6)
    neg_inf = torch.tensor(-1e9)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        z = xe @ we + xd @ wd + torch.sparse.mm(xh, wh) + b
        lse_all = torch.logsumexp(z, dim=1)
        lse_ok = torch.logsumexp(torch.where(m > 0, z, neg_inf), dim=1)
        nll = ((lse_all - lse_ok) * w).sum()
        reg = l2 * ((we**2).sum() + (wd**2).sum() * 0.1 + HASH_L2_FACTOR * (wh**2).sum())
        loss = nll + reg
        loss.backward()
        return loss

    opt.step(closure)
    return PloverClassifier(
        w_emb=we.detach().numpy().copy(),
        w_dense=wd.detach().numpy().copy(),
        w_hash=wh.detach().numpy().copy(),
        bias=b.detach().numpy().copy(),
        dense_mean=dense_mean.astype(np.float32),
        dense_scale=dense_scale.astype(np.float32),
    )


def fit_temperature(logits: np.ndarray, masks: np.ndarray) -> float:
    """Temperature minimising the (partial-label) NLL of held-out ``logits``."""
    best_t, best = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.3), np.log(5.0), 121)):
        z = logits / t
        zmax = z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z - zmax).sum(axis=1)) + zmax[:, 0]
        zm = np.where(masks > 0, z, -1e9)
        zmm = zm.max(axis=1, keepdims=True)
        lse_ok = np.log(np.exp(zm - zmm).sum(axis=1)) + zmm[:, 0]
        nll = float((lse - lse_ok).mean())
        if nll < best:
            best, best_t = nll, float(t)
    return best_t


# --------------------------------------------------------------------------------------------
# Grouped, stratified folds and (nested) cross-validation
# --------------------------------------------------------------------------------------------


def grouped_folds(labels: Sequence[str], groups: Sequence[str], k: int, seed: int) -> np.ndarray:
    """Fold id per example: groups never straddle folds; labels spread round-robin."""
    rng = np.random.default_rng(seed)
    group_label: dict[str, str] = {}
    for lab, g in zip(labels, groups, strict=True):
        group_label.setdefault(g, lab)
    by_label: dict[str, list[str]] = {}
    for g, lab in sorted(group_label.items()):
        by_label.setdefault(lab, []).append(g)
    fold_of: dict[str, int] = {}
    offset = 0
    for lab in sorted(by_label):
        gs = by_label[lab]
        order = rng.permutation(len(gs))
        for j, gi in enumerate(order):
            fold_of[gs[gi]] = (offset + j) % k
        offset += len(gs)
    return np.array([fold_of[g] for g in groups])


@dataclass
class TrainSet:
    """Features, masks, labels, domains and groups of all training examples."""

    feats: Features
    masks: np.ndarray
    labels: list[str]
    domains: np.ndarray
    groups: list[str]

    @classmethod
    def build(cls, data: dict[str, list[Example]], cache_dir: Path | None) -> TrainSet:
        """Concatenate the domains of ``data`` and compute their features."""
        exs = data["plv"] + data["gsr"] + data["ngec"]
        return cls(
            feats=build_features(exs, cache_dir),
            masks=label_masks([e.label for e in exs]),
            labels=[e.label for e in exs],
            domains=np.array([e.domain for e in exs]),
            groups=[e.group for e in exs],
        )

    def weights(self, ngec_w: float) -> np.ndarray:
        """Sample weights: PLV and GSR 1, NGEC ``ngec_w``."""
        return np.where(self.domains == "ngec", ngec_w, 1.0).astype(np.float32)


def cv_logits(
    ts: TrainSet, test_idx_sets: Sequence[np.ndarray], train_idx_sets: Sequence[np.ndarray],
    l2: float, ngec_w: float,
) -> list[np.ndarray]:
    """Logits of each test set from a head fitted on its paired training set."""
    w = ts.weights(ngec_w)
    out = []
    for tr, te in zip(train_idx_sets, test_idx_sets, strict=True):
        head = fit_head(ts.feats.take(tr), ts.masks[tr], w[tr], l2)
        out.append(head.logits(ts.feats.take(te)))
    return out


def select_params(
    ts: TrainSet, plv_idx: np.ndarray, other_idx: np.ndarray, k: int, seed: int,
    log: Any = None,
) -> tuple[tuple[float, float], np.ndarray, dict[str, float]]:
    """Grid-search (l2, ngec weight) by grouped k-fold CV over ``plv_idx``.

    Returns the best pair, the out-of-fold logits of ``plv_idx`` at that pair, and the score of
    every grid point (macro-F1 in PLV label space).
    """
    from tidings.eval_plover import plv_metrics

    labels = [ts.labels[i] for i in plv_idx]
    folds = grouped_folds(labels, [ts.groups[i] for i in plv_idx], k, seed)
    tests = [plv_idx[folds == f] for f in range(k)]
    trains = [np.concatenate([plv_idx[folds != f], other_idx]) for f in range(k)]
    best: tuple[float, tuple[float, float], np.ndarray] | None = None
    scores: dict[str, float] = {}
    for l2 in GRID_L2:
        for nw in GRID_NGEC:
            parts = cv_logits(ts, tests, trains, l2, nw)
            oof = np.zeros((len(plv_idx), len(TYPES)), dtype=np.float32)
            for f in range(k):
                oof[folds == f] = parts[f]
            f1 = plv_metrics(labels, oof)["macro_f1"]
            scores[f"l2={l2:g},ngec={nw:g}"] = round(f1, 4)
            if log:
                log(f"    l2={l2:g} ngec_w={nw:g}: macro-F1 {f1:.4f}")
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, (l2, nw), oof)
    assert best is not None
    return best[1], best[2], scores


def nested_cv(ts: TrainSet, outer_k: int = 5, inner_k: int = 3, log: Any = None) -> dict[str, Any]:
    """Nested grouped CV on PLV: the honest generalisation estimate of the whole recipe."""
    from tidings.eval_plover import expected_calibration_error, plv_metrics

    plv_idx = np.flatnonzero(ts.domains == "plv")
    other_idx = np.flatnonzero(ts.domains != "plv")
    labels = [ts.labels[i] for i in plv_idx]
    folds = grouped_folds(labels, [ts.groups[i] for i in plv_idx], outer_k, SEED + 1)
    probs = np.zeros((len(plv_idx), len(TYPES)), dtype=np.float32)
    chosen = []
    for f in range(outer_k):
        tr_plv, te_plv = plv_idx[folds != f], plv_idx[folds == f]
        (l2, nw), oof, _ = select_params(ts, tr_plv, other_idx, inner_k, SEED + 2 + f)
        t = fit_temperature(oof, ts.masks[tr_plv])
        head = fit_head(ts.feats.take(np.concatenate([tr_plv, other_idx])),
                        ts.masks[np.concatenate([tr_plv, other_idx])],
                        ts.weights(nw)[np.concatenate([tr_plv, other_idx])], l2)
        head.temperature = t
        probs[folds == f] = head.proba(ts.feats.take(te_plv))
        chosen.append({"fold": f, "l2": l2, "ngec_w": nw, "temperature": round(t, 3)})
        if log:
            m = plv_metrics([ts.labels[i] for i in te_plv], np.log(probs[folds == f] + 1e-12))
            log(f"  outer fold {f}: l2={l2:g} ngec_w={nw:g} T={t:.2f} "
                f"macro-F1 {m['macro_f1']:.4f} acc {m['accuracy']:.4f}")
    res = plv_metrics(labels, np.log(probs + 1e-12))
    res["ece"] = expected_calibration_error(labels, probs)
    res["folds"] = chosen
    res["n"] = len(labels)
    return res


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Train, cross-validate, and write ``plover_clf.npz``/``plover_clf.json``."""
    ap = argparse.ArgumentParser(prog="python -m tidings.train_classifier",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="folder with PLV_train.tsv, gsr_dev.jsonl, ngec_synthetic_stories.csv")
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "tidings",
                    help="embedding cache folder")
    ap.add_argument("--no-nested", action="store_true", help="skip the nested-CV estimate")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    from tidings.eval_plover import data_sha256, expected_calibration_error, plv_metrics

    t0 = time.time()
    data = load_all(args.data)
    log("examples: " + ", ".join(f"{k}={len(v)}" for k, v in data.items()))
    ts = TrainSet.build(data, args.cache)
    log(f"features ready in {time.time() - t0:.0f}s")
    meta: dict[str, Any] = {"data_sha256": data_sha256(args.data), "seed": SEED,
                            "n_train": {k: len(v) for k, v in data.items()}}
    if not args.no_nested:
        log("nested CV (outer 5 x inner 3, grouped by sentence):")
        nested = nested_cv(ts, log=log)
        meta["nested_cv"] = {k: v for k, v in nested.items()}
        log(f"nested CV macro-F1 {nested['macro_f1']:.4f} acc {nested['accuracy']:.4f} "
            f"ECE {nested['ece']:.4f}")
    plv_idx = np.flatnonzero(ts.domains == "plv")
    other_idx = np.flatnonzero(ts.domains != "plv")
    log("final hyper-parameters by grouped 5-fold CV on all of PLV:")
    (l2, nw), oof, scores = select_params(ts, plv_idx, other_idx, 5, SEED, log=log)
    t = fit_temperature(oof, ts.masks[plv_idx])
    labels = [ts.labels[i] for i in plv_idx]
    z = oof / t
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    sel = plv_metrics(labels, oof)
    meta["selection_cv"] = {"grid": scores, "macro_f1": sel["macro_f1"],
                            "accuracy": sel["accuracy"],
                            "ece": expected_calibration_error(labels, p)}
    meta["hyperparameters"] = {"l2": l2, "ngec_w": nw, "hash_l2_factor": HASH_L2_FACTOR,
                               "grid_l2": list(GRID_L2), "grid_ngec": list(GRID_NGEC)}
    head = fit_head(ts.feats, ts.masks, ts.weights(nw), l2)
    head.temperature = t
    head.meta = meta
    head.save(args.out)
    log(f"wrote {args.out / 'plover_clf.npz'} (l2={l2:g}, ngec_w={nw:g}, T={t:.2f}) "
        f"in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
