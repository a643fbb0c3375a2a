"""Event-location evaluation on sentences with a VERB span and the LOCATION span(s) where that
event happened (Halterman 2019, ``event_location_dev.jsonl``), and training of the
event-location ranker (:mod:`tidings.stages.location`).

For each sentence the places stage finds the toponyms and
:func:`tidings.stages.location.attached_place` picks the one attached to the verb, or none. A
prediction is correct when it overlaps a gold LOCATION span, or when it is none and the sentence
has no (non-empty) LOCATION span.

Reading the file (checked by reading samples of every pass):

* Records from the Prodigy location passes carry ``"label": "LOCATION"`` (or
  ``"LOCATION,VERB"``). Accepted with no LOCATION span they mean "this event has no location"
  ("Jaish Alislam said that ...", "Death tolls have varied widely"): only ~1% of them have a
  place in a locative phrase of the verb, so they are gold "no location", not unknowns.
* About 540 LOCATION spans (the AP, Xinhua, Atrocities, RELABEL and wiki passes) carry
  *token* indices in their ``start``/``end`` character fields (``start == end == 15`` for
  "Algiers"); their ``text`` field is right. They are repaired by finding that text in the
  sentence, nearest to the span's token index (``repaired`` in the result). A span whose text
  is not in the sentence makes the record unknown (``skipped``), as does a record without VERB.
* The RA verb-only passes (``annotator: "RA"`` and no LOCATION span) are kept as "no location"
  although many of them do name the place (16 of 40 read from the train half: "were killed in
  Syria", "captured ... in Puerto Vallarta"): that noise caps the reachable accuracy;
  ``accuracy_by_source`` shows it, and every summary also gives the accuracy over the other
  records (``"annotated"``).

Held-out split: a record is in the ``test`` half when the first 32 bits of the SHA-1 of its
sentence text are odd, else in ``train`` (repeated sentences with other verbs stay together).
The stored ranker is trained on the ``train`` half only.

Run ``python -m tidings.eval.evloc PATH [--half test] [--limit N] [--folds 5] [--train OUT]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..stages.location import attached_place, candidate_features, load_ranker, none_features
from ..parse import load_nlp
from ..stages.places import find_places

_TOKEN = re.compile(r"\w+|[^\w\s]")
HALVES = ("train", "test")
#: L2 penalty of the ranker (5-fold CV inside the train half: 1 → .778, 3 → .781, 6 → .783,
#: 10 → .778)
L2 = 6.0


@dataclass
class EvlocRecord:
    """One sentence: its text, the event VERB span and the gold LOCATION spans (offsets)."""

    text: str
    verb: tuple[int, int]
    locations: list[tuple[int, int]]
    source: str = ""
    half: str = field(default="")
    #: from an RA verb-only pass (``annotator: "RA"``, no LOCATION span): scored as "no
    #: location", though its location was never annotated (about 40 % of them name the place
    #: of the act); the reports also give the accuracy without them (``"annotated"``)
    verb_only: bool = False

    def __post_init__(self) -> None:
        if not self.half:
            self.half = half_of(self.text)


@dataclass
class EvlocData:
    """The records of a file with what was skipped (unknown gold) or repaired while reading."""

    records: list[EvlocRecord]
    skipped: int = 0
    repaired: int = 0


def half_of(text: str) -> str:
    """Return ``"test"`` or ``"train"``: the fixed held-out split of a sentence."""
    return "test" if int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) % 2 else "train"


def _token_index(text: str, char: int) -> int:
    return len(_TOKEN.findall(text[:char]))


def _span_offsets(text: str, span: dict[str, Any]) -> tuple[tuple[int, int] | None, bool]:
    """Return ((start, end) or None, repaired?) of a Prodigy span, repairing token offsets."""
    start, end = span["start"], span["end"]
    want = span.get("text")
    if want is None or text[start:end] == want:
        return ((start, end) if end > start and text[start:end].strip() else None), False
    hits = [m.start() for m in re.finditer(re.escape(want), text)] if want.strip() else []
    if not hits:
        return None, False
    tok = span.get("token_start", start)
    best = min(hits, key=lambda c: abs(_token_index(text, c) - tok))
    return (best, best + len(want)), True


def read_evloc(path: Path) -> EvlocData:
    """Read an event-location JSONL file (see the module docstring for the rules)."""
    data = EvlocData([])
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            text = d["text"]
            verbs: list[tuple[int, int]] = []
            locs: list[tuple[int, int]] = []
            lost = repaired = 0
            for s in d.get("spans", []):
                if s.get("label") not in ("VERB", "LOCATION"):
                    continue
                off, fixed = _span_offsets(text, s)
                repaired += fixed
                if off is None:
                    lost += bool(s.get("text", "").strip())
                    continue
                (verbs if s["label"] == "VERB" else locs).append(off)
            if not verbs or lost:
                data.skipped += 1
                continue
            data.repaired += repaired
            data.records.append(EvlocRecord(text, verbs[0], locs, str(d.get("source", "")),
                                            verb_only=d.get("annotator") == "RA" and not locs))
    return data


# ---------------------------------------------------------------- parsing and scoring

@dataclass
class _Item:
    record: EvlocRecord
    verb: Any
    places: list[Any]


def _prepare(records: list[EvlocRecord]) -> list[_Item]:
    """Parse every sentence once and find its verb token and places."""
    nlp = load_nlp()
    out = []
    for rec, doc in zip(records, nlp.pipe([r.text for r in records], batch_size=64)):
        vs, ve = rec.verb
        verb = next((t for t in doc if t.idx <= vs < t.idx + len(t.text) or
                     vs <= t.idx < ve), None)
        out.append(_Item(rec, verb, find_places(doc)))
    return out


def _correct(place: Any, gold: list[tuple[int, int]]) -> bool:
    if gold:
        return place is not None and any(place.start < e and s < place.end for s, e in gold)
    return place is None


def _summary(rows: list[tuple[EvlocRecord, bool, bool]], annotated: bool = True
             ) -> dict[str, Any]:
    """Accuracy over (record, predicted?, correct?) rows; with ``annotated`` also over the
    records whose location was annotated (``"annotated"``: all but the RA verb-only ones)."""
    n = len(rows)
    with_loc = [ok for rec, _, ok in rows if rec.locations]
    without = [ok for rec, _, ok in rows if not rec.locations]
    out: dict[str, Any] = {
        "sentences": n,
        "accuracy": sum(ok for _, _, ok in rows) / n if n else 0.0,
        "with_location": len(with_loc),
        "accuracy_with_location": sum(with_loc) / len(with_loc) if with_loc else 0.0,
        "accuracy_without_location": sum(without) / len(without) if without else 0.0,
        "predicted_locations": sum(pred for _, pred, _ in rows),
    }
    if annotated:
        out["annotated"] = _summary([r for r in rows if not r[0].verb_only], annotated=False)
    return out


def evaluate_evloc(path: Path, limit: int | None = None, half: str | None = None,
                   ranker: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return accuracy (overall, with and without a gold location), per half and per source.

    ``half`` keeps only the ``"train"`` or ``"test"`` half (see :func:`half_of`); ``limit``
    keeps the first N records after that; ``ranker`` overrides the stored ranker weights
    (``{}``: the hand-written rules alone).
    """
    data = read_evloc(Path(path))
    records = [r for r in data.records if half is None or r.half == half][:limit]
    t0 = time.perf_counter()
    rows = []
    for item in _prepare(records):
        place = attached_place(item.verb, item.places, ranker=ranker) \
            if item.verb is not None else None
        rows.append((item.record, place is not None, _correct(place, item.record.locations)))
    seconds = time.perf_counter() - t0
    result = _summary(rows)
    result.update({
        "skipped": data.skipped, "repaired": data.repaired, "half": half,
        "sentences_per_s": len(rows) / seconds if seconds else 0.0,
        "halves": {h: _summary([r for r in rows if r[0].half == h]) for h in HALVES},
        "accuracy_by_source": {
            s: round(sum(ok for rec, _, ok in rows if rec.source == s) / n, 4)
            for s, n in sorted(Counter(rec.source for rec, _, _ in rows).items())},
    })
    return result


def evaluate_end_to_end(path: Path, limit: int | None = None, half: str | None = None
                        ) -> dict[str, Any]:
    """Event location end to end: the whole pipeline runs on each sentence (an article of one
    sentence). The prediction for a record is the location of the event whose trigger, or
    one of whose mentions (``Event.mentions``: ", killing eight" told with the bombing),
    overlaps the gold VERB, or none when no event is found there; it is right as in
    :func:`evaluate_evloc` (overlaps a gold LOCATION, or none when there is none). ``found``
    counts the records with an event at the verb, ``accuracy_found`` the accuracy on them."""
    from datetime import date

    from ..model import Article
    from ..pipeline import extract_many

    data = read_evloc(Path(path))
    records = [r for r in data.records if half is None or r.half == half][:limit]
    arts = [Article(text=r.text, published=date(2020, 1, 1), id=f"evloc-{n}")
            for n, r in enumerate(records)]
    t0 = time.perf_counter()
    rows = []
    found = []
    for rec, document in zip(records, extract_many(arts)):
        vs, ve = rec.verb
        ev = next((e for e in document.events
                   if any(m.start < ve and vs < m.end for m in (e.trigger, *e.mentions))), None)
        ok = _correct(ev.location if ev is not None else None, rec.locations)
        rows.append((rec, ev is not None and ev.location is not None, ok))
        if ev is not None:
            found.append((rec, ev.location is not None, ok))
    seconds = time.perf_counter() - t0
    result = _summary(rows)
    result.update({"half": half, "end_to_end": True, "found": len(found),
                   "accuracy_found": _summary(found)["accuracy"],
                   "sentences_per_s": len(rows) / seconds if seconds else 0.0,
                   "halves": {h: _summary([r for r in rows if r[0].half == h]) for h in HALVES}})
    return result


def format_report(r: dict[str, Any]) -> str:
    """Return a readable report of :func:`evaluate_evloc`'s result."""
    lines = [f"event location on {r['sentences']} sentences"
             + (f" ({r['half']} half)" if r.get("half") else "")
             + f": accuracy {r['accuracy']:.3f}",
             f"  with a gold location ({r['with_location']}): "
             f"{r['accuracy_with_location']:.3f}",
             f"  without ({r['sentences'] - r['with_location']}): "
             f"{r['accuracy_without_location']:.3f}"]
    for h, s in (r.get("halves") or {}).items():
        if s["sentences"] and s["sentences"] != r["sentences"]:
            lines.append(f"  {h} half ({s['sentences']}): {s['accuracy']:.3f} "
                         f"(with {s['accuracy_with_location']:.3f}, "
                         f"without {s['accuracy_without_location']:.3f})")
    a = r.get("annotated")
    if a and a["sentences"]:
        lines.append(f"  annotated records only ({a['sentences']}; the "
                     f"{r['sentences'] - a['sentences']} RA verb-only records left out): "
                     f"{a['accuracy']:.3f} (with {a['accuracy_with_location']:.3f}, "
                     f"without {a['accuracy_without_location']:.3f})")
    if r.get("end_to_end"):
        lines.append(f"  end to end: an event found at the verb in {r['found']} sentences, "
                     f"its place right in {r['accuracy_found']:.3f} of them")
    else:
        lines.append(f"  skipped (unknown gold) {r.get('skipped', 0)}, "
                     f"repaired spans {r.get('repaired', 0)}")
    lines.append(f"  {r['sentences_per_s']:.0f} sentences/s")
    return "\n".join(lines)


# ---------------------------------------------------------------- training the ranker

_Example = tuple[EvlocRecord, list[tuple[Any, list[str], int]], list[str]]


def _examples(items: list[_Item]) -> list[_Example]:
    """(record, [(candidate, features, overlaps gold?)], NONE features) per sentence."""
    out = []
    for it in items:
        cands = candidate_features(it.verb, it.places) if it.verb is not None else []
        gold = it.record.locations
        none = none_features(it.verb, [f for _, f in cands]) if it.verb is not None \
            else ["NONE"]
        out.append((it.record, [(p, f, int(any(p.start < e and s < p.end for s, e in gold)))
                                for p, f in cands], none))
    return out


def _fit(examples: list[_Example], l2: float) -> dict[str, float]:
    """Conditional-logit weights (L2-penalised, L-BFGS; scipy is needed for training only).

    Each sentence is a choice among NONE and its candidates; the gold options are the
    candidates overlapping a gold LOCATION, or NONE when there is none. Sentences whose gold
    location is no candidate teach nothing and are left out.
    """
    try:
        import numpy as np
        import scipy.sparse as sp
        from scipy.optimize import minimize
    except ImportError as exc:  # pragma: no cover - a training-time dependency
        raise RuntimeError("training the evloc ranker needs numpy and scipy") from exc
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    group: list[int] = []
    gold: list[bool] = []
    n_groups = 0
    for rec, cands, none in examples:
        if rec.locations and not any(y for _, _, y in cands):
            continue
        options = [(f, bool(y)) for _, f, y in cands] + [(none, not rec.locations)]
        for feats, y in options:
            for k in set(feats):
                rows.append(len(group))
                cols.append(vocab.setdefault(k, len(vocab)))
            group.append(n_groups)
            gold.append(y)
        n_groups += 1
    x = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(group), len(vocab)))
    g = np.array(group)
    pos = np.array(gold, dtype=bool)

    def objective(w: Any) -> tuple[float, Any]:
        s = x @ w
        top = np.full(n_groups, -np.inf)
        np.maximum.at(top, g, s)
        e = np.exp(s - top[g])
        z = np.zeros(n_groups)
        np.add.at(z, g, e)
        zp = np.zeros(n_groups)
        np.add.at(zp, g, e * pos)
        loss = -(np.log(zp) - np.log(z)).sum() + 0.5 * l2 * (w @ w)
        grad = x.T @ (e / z[g] - np.where(pos, e / zp[g], 0.0)) + l2 * w
        return float(loss), grad

    res = minimize(objective, np.zeros(len(vocab)), jac=True, method="L-BFGS-B",
                   options={"maxiter": 500})
    # weights under 0.01 change no decision worth keeping; they would double the file
    return {k: round(float(res.x[j]), 3) for k, j in vocab.items() if abs(res.x[j]) >= 0.01}


def _accuracy(examples: list[_Example], weights: dict[str, float]) -> float:
    ok = 0
    for rec, cands, none in examples:
        best: tuple[float, Any] = (sum(weights.get(k, 0.0) for k in none), None)
        for p, f, _ in cands:
            z = sum(weights.get(k, 0.0) for k in f)
            if z > best[0]:
                best = (z, p)
        ok += _correct(best[1], rec.locations)
    return ok / len(examples) if examples else 0.0


def train_ranker(path: Path, half: str | None = "train", l2: float = L2) -> dict[str, Any]:
    """Train the ranker on one half of ``path`` (the whole file when ``half`` is None).

    The RA verb-only records stay in: trained without them the ranker attaches more places
    ("were killed in Syria") but also person names and agents ("Colonel Assimi Goita", "SDF"),
    and on the article sets and the gold records it measured no better (BENCHMARKS.md, ninth
    round)."""
    data = read_evloc(Path(path))
    records = [r for r in data.records if half is None or r.half == half]
    weights = _fit(_examples(_prepare(records)), l2)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return {"description": "tidings event-location ranker: conditional logit over NONE and "
                           "the candidate places of a trigger; features in tidings.stages.location",
            "trained_on": {"file": Path(path).name, "sha256": digest, "half": half,
                           "records": len(records), "l2": l2},
            "none_bias": 0.0, "weights": dict(sorted(weights.items()))}


def cross_validate(path: Path, folds: int = 5, l2: float = L2) -> dict[str, Any]:
    """K-fold accuracy of ranker training on the whole file (folds by sentence hash)."""
    data = read_evloc(Path(path))
    examples = _examples(_prepare(data.records))
    fold_of = [int(hashlib.sha1(r.text.encode("utf-8")).hexdigest()[8:16], 16) % folds
               for r, _, _ in examples]
    accs = []
    for f in range(folds):
        train = [e for e, k in zip(examples, fold_of) if k != f]
        held = [e for e, k in zip(examples, fold_of) if k == f]
        accs.append(_accuracy(held, _fit(train, l2)))
    return {"folds": folds, "accuracy": sum(accs) / len(accs), "fold_accuracy": accs}


def main(argv: list[str] | None = None) -> int:
    """Command line: evaluate, cross-validate or train (``python -m tidings.eval.evloc``)."""
    ap = argparse.ArgumentParser(prog="python -m tidings.eval.evloc", description=__doc__
                                 .split("\n\n")[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--half", choices=HALVES, help="evaluate one half of the fixed split")
    ap.add_argument("--limit", type=int, help="evaluate the first N records only")
    ap.add_argument("--rules", action="store_true", help="the hand-written rules, no ranker")
    ap.add_argument("--ranker", type=Path, help="ranker weights JSON to evaluate")
    ap.add_argument("--folds", type=int, help="k-fold cross-validation of ranker training")
    ap.add_argument("--train", type=Path, help="train on the train half, write weights here")
    ap.add_argument("--end-to-end", action="store_true",
                    help="run the whole pipeline: the event must be found too")
    ap.add_argument("--format", choices=("text", "json"), default="text")
    args = ap.parse_args(argv)
    if args.end_to_end:
        result = evaluate_end_to_end(args.path, limit=args.limit, half=args.half)
        print(json.dumps(result, indent=2) if args.format == "json" else format_report(result))
        return 0
    if args.train:
        model = train_ranker(args.path)
        args.train.write_text(json.dumps(model, indent=0, ensure_ascii=False,
                                         separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.train} ({len(model['weights'])} weights)")
        return 0
    if args.folds:
        print(json.dumps(cross_validate(args.path, args.folds), indent=2))
        return 0
    ranker = {} if args.rules else (load_ranker(str(args.ranker)) if args.ranker else None)
    result = evaluate_evloc(args.path, limit=args.limit, half=args.half, ranker=ranker)
    print(json.dumps(result, indent=2) if args.format == "json" else format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
