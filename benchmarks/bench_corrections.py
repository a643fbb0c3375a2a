"""Learning from corrections: a model retrained with reviewers' corrections, against the same
recipe without them, on gold records it never saw (issue 17; BENCHMARKS.md, "Learning from
corrections").

    python benchmarks/bench_corrections.py --work /tmp/corrections [--epochs N]

Every step goes through the product path a team would use:

1. **base model**: the shipped recipe trained ``--without gsr --no-cv`` (the PLOVER gold
   records unseen), ``python -m tidings.train.classifier``;
2. **analysts' store**: the dev half of the gold records (``tidings.eval.records.split_of``)
   as JSON Lines articles, ``tidings run`` with the base model re-typing events
   (``TIDINGS_CLASSIFIER=on``, ``TIDINGS_CLASSIFIER_DIR``);
3. **simulated analysts** (:func:`review`) review every extracted event with
   :func:`tidings.review.review_event`: the event that best matches the record's gold event is
   accepted when its type is right, else its type is edited to the gold type; the other events
   of the sentence are rejected (the record codes one event per sentence; a rejected event is
   no training example either way);
4. ``tidings export --corrections``, then retrain ``--without gsr --no-cv --corrections FILE``;
5. both models (and the rules alone) on the **test** half: ``tidings eval plover GOLD
   --split test`` (tuple and type F1 of the whole pipeline) and dyad-given typing of the test
   records (the sentence with the gold source and target marked, as the trainer marks them).

Trained models and stores stay under ``--work``; nothing is written into the repository. A
model already in ``--work`` trained with the same recipe is reused (``--retrain`` trains
again).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "plover"
REVIEWER = "analyst-sim"


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **extra}
    return env


def _run(cmd: list[str], **extra: str) -> str:
    t0 = time.time()
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    res = subprocess.run(cmd, env=_env(**extra), capture_output=True, text=True)
    if res.returncode not in (0, 3):  # 3: finished with rejected inputs
        sys.exit(f"failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr[-3000:]}")
    print(f"  ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
    return res.stdout


def train(out: Path, data: Path, epochs: int, corrections: Path | None, retrain: bool) -> float:
    """Train the recipe ``--without gsr --no-cv`` (plus corrections) into ``out``; return the
    seconds it took (0 when a model of the same recipe is reused)."""
    meta_path = out / "plover_clf.json"
    if meta_path.exists() and not retrain:
        meta = json.loads(meta_path.read_text())  # the trainer's meta, flat
        want = None
        if corrections is not None:
            from tidings.eval.metrics import data_sha256

            want = data_sha256([corrections])
        if (meta.get("recipe", {}).get("epochs") == epochs
                and meta.get("n_train", {}).get("gsr") == 0
                and meta.get("corrections_sha256") == want):
            print(f"reusing {out}", file=sys.stderr)
            return 0.0
    cmd = [sys.executable, "-m", "tidings.train.classifier", "--data", str(data), "--out",
           str(out), "--without", "gsr", "--no-cv", "--epochs", str(epochs)]
    if corrections is not None:
        cmd += ["--corrections", str(corrections)]
    t0 = time.time()
    _run(cmd)
    return time.time() - t0


def _code(actor: dict[str, Any]) -> str | None:
    """An extracted actor's code as the gold records compare it
    (:func:`tidings.eval.records.actor_code`)."""
    if actor.get("country"):
        return str(actor["country"])
    if actor.get("sector") == "IGO" or (actor.get("sector") == "NGO" and actor.get("kb_id")):
        return "IGO"
    return None


def review(db: Path, records: dict[str, dict[str, Any]]) -> Counter[str]:
    """Review every event of the store as an analyst holding the gold record would; return
    counts of what was done."""
    from tidings import review as rv
    from tidings.eval.records import _codes
    from tidings.storage import connect, open_store

    with connect(db, readonly=True) as r:
        events = rv.queue(r, unreviewed=True, limit=None)
    by_article: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        by_article.setdefault(e["article_id"], []).append(e)
    n: Counter[str] = Counter(records=len(records), articles_with_events=len(by_article))
    with open_store(db) as store:
        for aid, evs in sorted(by_article.items()):
            rec = records[aid]
            gold_type = next(iter(rec["gold"]))[0]
            gold_src = set(_codes(rec["raw"].get("source"))) - {None}

            def src_ok(e: dict[str, Any]) -> bool:
                return bool({_code(a) for a in e["event"].get("source") or []} & gold_src)

            best = max(evs, key=lambda e: (e["type"] == gold_type, src_ok(e),
                                           -(e.get("trigger_start") or 0)))
            for e in sorted(evs, key=lambda e: e["id"]):
                if e is not best:
                    rv.review_event(store, e["id"], "rejected", REVIEWER, 0)
                    n["rejected"] += 1
                elif e["type"] == gold_type:
                    rv.review_event(store, e["id"], "accepted", REVIEWER, 0)
                    n["accepted"] += 1
                else:
                    rv.review_event(store, e["id"], "edited", REVIEWER, 0, "type", gold_type)
                    n["edited_type"] += 1
                if e is best and gold_src and not src_ok(e):
                    n["source_wrong"] += 1  # not editable here: reviews.FIELDS has no source
    return n


def eval_pipeline(gold: Path, split: str, **env: str) -> dict[str, Any]:
    """``tidings eval plover GOLD --split SPLIT --format json`` under ``env``."""
    out = _run([sys.executable, "-m", "tidings", "eval", "plover", str(gold), "--split", split,
                "--format", "json"], **env)
    return json.loads(out)


def dyad_typing(gold: Path, split: str, model_dirs: dict[str, Path], work: Path
                ) -> dict[str, dict[str, float]]:
    """Accuracy and macro-F1 of each model typing the records of ``split`` with their gold
    dyad marked (``tidings.train.classifier.load_gsr``'s marking)."""
    from tidings.classifier import load_classifier, make_dyad
    from tidings.eval.metrics import label_scores
    from tidings.eval.records import split_of
    from tidings.train.classifier import load_gsr

    part = work / f"gsr_{split}.jsonl"
    with gold.open(encoding="utf-8") as src, part.open("w", encoding="utf-8") as dst:
        for line in src:
            if line.strip() and split_of(str(json.loads(line).get("id"))) == split:
                dst.write(line)
    exs = load_gsr(part)
    windows = [make_dyad(e.sentence, e.source, e.target).window for e in exs]
    gold_labels = [e.label for e in exs]
    out = {}
    for name, d in model_dirs.items():
        from tidings.classifier import TYPES

        p = load_classifier(d).proba(windows)
        pred = [TYPES[int(i)] for i in p.argmax(axis=1)]
        s = label_scores(gold_labels, pred)
        out[name] = {"n": len(exs), "accuracy": s["accuracy"], "macro_f1": s["macro_f1"]}
    return out


def main(argv: list[str] | None = None) -> int:
    from tidings.eval.records import read_records
    from tidings.train.classifier import EPOCHS

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/tidings-corrections"))
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--epochs", type=int, default=EPOCHS,
                    help="epochs of both trainings (the recipe's by default)")
    ap.add_argument("--retrain", action="store_true", help="train even where a model exists")
    args = ap.parse_args(argv)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    gold = args.data / "gsr_dev.jsonl"
    t_all = time.time()
    timings: dict[str, float] = {}

    # 1. the base model: gold records unseen
    timings["train_base"] = train(work / "base", args.data, args.epochs, None, args.retrain)

    # 2. the dev half as articles, run through tidings with the base model
    raw = {json.loads(x)["id"]: json.loads(x) for x in gold.read_text().splitlines()
           if x.strip()}
    dev = {r["id"]: {**r, "raw": raw[r["id"]]} for r in read_records(gold, "dev")}
    articles = work / "dev_articles.jsonl"
    with articles.open("w", encoding="utf-8") as fh:
        for r in dev.values():
            fh.write(json.dumps({"id": r["id"], "text": r["text"],
                                 "published": r["date"].isoformat()}) + "\n")
    db = work / "reviews.db"
    for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        p.unlink(missing_ok=True)
    model_env = {"TIDINGS_CLASSIFIER": "on", "TIDINGS_CLASSIFIER_DIR": str(work / "base")}
    t0 = time.time()
    _run([sys.executable, "-m", "tidings", "run", str(articles), "--db", str(db),
          "--no-progress"], **model_env)
    timings["run_dev"] = time.time() - t0

    # 3. simulated analysts review every extracted event
    t0 = time.time()
    counts = review(db, dev)
    timings["review"] = time.time() - t0

    # 4. export the corrections and retrain with them
    corrections = work / "corrections.jsonl"
    _run([sys.executable, "-m", "tidings", "export", "--corrections", "--db", str(db),
          "--output", str(corrections)])
    n_corr = sum(1 for x in corrections.read_text().splitlines() if x.strip())
    timings["train_after"] = train(work / "after", args.data, args.epochs, corrections,
                                   args.retrain)

    # 5. measure on the test half
    t0 = time.time()
    pipeline = {"rules only": eval_pipeline(gold, "test", TIDINGS_CLASSIFIER="off")}
    for name in ("base", "after"):
        pipeline[name] = eval_pipeline(gold, "test", TIDINGS_CLASSIFIER="on",
                                       TIDINGS_CLASSIFIER_DIR=str(work / name))
    typing = dyad_typing(gold, "test", {n: work / n for n in ("base", "after")}, work)
    timings["measure"] = time.time() - t0
    timings["total"] = time.time() - t_all

    result = {"epochs": args.epochs, "corrections": n_corr, "review": dict(counts),
              "pipeline_test": {k: {m: v[m] for m in ("tuple", "type_source", "type")}
                                for k, v in pipeline.items()},
              "dyad_typing_test": typing, "seconds": {k: round(v) for k, v in timings.items()},
              "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python"
                         f" {platform.python_version()}"}
    (work / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print("\n| model | tuple P / R / F1 | type F1 | dyad-given accuracy / macro-F1 |")
    print("|---|---|---|---|")
    for name, v in pipeline.items():
        t = typing.get(name)
        dyad = f"{t['accuracy']:.3f} / {t['macro_f1']:.3f}" if t else "—"
        print(f"| {name} | {v['tuple']['precision']:.3f} / {v['tuple']['recall']:.3f} /"
              f" {v['tuple']['f1']:.3f} | {v['type']['f1']:.3f} | {dyad} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
