"""Full-tuple evaluation on PLOVER gold records (``gsr_dev.jsonl``, openeventdata/PLOVER).

Each record is one sentence with its gold event type and source/target actors (ISO-3 codes,
``IGO`` for inter-governmental bodies). The whole pipeline runs on the sentence and every
non-negated event it yields becomes tuples (type, source code, target code), one per pair of a
compound actor. Precision, recall and F1 are micro-averaged over tuples; the same is reported
for (type, source) and for type alone. The records use an older PLOVER draft, mapped here:
DEMAND → REQUEST, DISAPPROVE and INVESTIGATE → ACCUSE, FIGHT → ASSAULT.

``without`` switches event coding rules off by name for the run (``tidings eval plover PATH
--without-rule NAME``), to measure what each rule adds (BENCHMARKS.md, "Coding rules, one at a
time").

The records are split once, by record id, into two halves (issue 14; :func:`split_of`):
``dev`` (tune on it) and ``test`` (report it once per kept change, never tune on it). The halves
are fixed by a hash of the id, so a record never moves: ``tidings eval plover PATH --split dev``.
Of the 179 records of ``gsr_dev.jsonl``, 87 are dev and 92 test.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..model import Actor, Article
from .metrics import prf
from ..pipeline import extract_many
from ..readers import article_id
from ..stages.events import rules_off

OLD_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
             "FIGHT": "ASSAULT", "YIELD": "CONCEDE"}
#: the halves of the gold records (issue 14): tune on dev, report test
SPLITS = ("dev", "test")


def split_of(record_id: str) -> str:
    """The half a gold record belongs to: ``test`` when the SHA-256 of its id is odd, else ``dev``.

    Fixed once (2026-12-05, before any issue-14 change was measured) and never to be re-drawn:
    a new draw would leak what was learned on the old test half into the new dev half."""
    return "test" if int(hashlib.sha256(record_id.encode("utf-8")).hexdigest(), 16) % 2 else "dev"


def _or_none(actors: list[Actor]) -> list[Actor | None]:
    """The actors of one side, or [None] for an empty side (a tuple with no actor there)."""
    return list(actors) or [None]


def _codes(actors: Any) -> list[str | None]:
    if not isinstance(actors, list) or not actors:
        return [None]
    out: list[str | None] = [a.get("code") or None for a in actors if isinstance(a, dict)]
    return out or [None]


def actor_code(a: Actor | None) -> str | None:
    """The code an actor is compared with: its country, else IGO for an inter-governmental
    body or a transnational NGO of the knowledge base (the gold records put Amnesty
    International and the Red Cross in the IGO slot, as they do the UN)."""
    if a is None:
        return None
    if a.country:
        return a.country
    if a.sector == "IGO" or (a.sector == "NGO" and a.kb_id):
        return "IGO"
    return None


def read_records(path: Path, split: str | None = None) -> list[dict[str, Any]]:
    """Return records {id, text, date, gold: set of (type, source, target)}, those of one half
    when ``split`` is ``dev`` or ``test`` (:func:`split_of`)."""
    if split is not None and split not in SPLITS:
        raise UsageError(f"E352 unknown split {split!r}. Available: {', '.join(SPLITS)}")
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        if split is not None and split_of(str(d.get("id") or d["text"])) != split:
            continue
        etype = OLD_TYPES.get(d["event"], d["event"])
        gold = {(etype, s, t) for s in _codes(d.get("source")) for t in _codes(d.get("target"))}
        try:
            published = date.fromisoformat(d.get("date", "2000-01-01"))
        except ValueError:
            published = date(2000, 1, 1)
        out.append({"id": d.get("id"), "text": d["text"], "date": published, "gold": gold})
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    return prf(tp, fp, fn)


def evaluate_records(path: Path, without: Iterable[str] = (),
                     split: str | None = None) -> dict[str, Any]:
    """Run the pipeline on every record (of one half with ``split``) and score full tuples
    against the gold, with the event coding rules named in ``without`` switched off."""
    records = read_records(path, split)
    arts = [Article(text=r["text"], published=r["date"], id=article_id(r["text"]))
            for r in records]
    t0 = time.perf_counter()
    counts = {k: [0, 0, 0] for k in ("tuple", "type_source", "type")}
    with rules_off(without) as off:
        for rec, doc in zip(records, extract_many(arts)):
            pred = {(e.type, actor_code(s) if s else None, actor_code(t) if t else None)
                    for e in doc.events if e.modality != "negated"
                    for s in _or_none(e.source) for t in _or_none(e.target)}
            gold = rec["gold"]
            views = {
                "tuple": (pred, gold),
                "type_source": ({(a, b) for a, b, _ in pred}, {(a, b) for a, b, _ in gold}),
                "type": ({a for a, _, _ in pred}, {a for a, _, _ in gold}),
            }
            for k, (p, g) in views.items():
                counts[k][0] += len(p & g)
                counts[k][1] += len(p - g)
                counts[k][2] += len(g - p)
    result: dict[str, Any] = {"records": len(records),
                              "seconds": round(time.perf_counter() - t0, 2)}
    if off:
        result["rules_off"] = sorted(off)
    if split is not None:
        result["split"] = split
    for k, (tp, fp, fn) in counts.items():
        result[k] = _prf(tp, fp, fn)
    return result


def format_report(r: dict[str, Any]) -> str:
    """Return a readable report of :func:`evaluate_records`."""
    half = f", {r['split']} half" if r.get("split") else ""
    lines = [f"PLOVER gold records: {r['records']} sentences{half} ({r['seconds']} s)"]
    if r.get("rules_off"):
        lines.append(f"  coding rules off: {', '.join(r['rules_off'])}")
    for k in ("tuple", "type_source", "type"):
        m = r[k]
        lines.append(f"  {k:12s} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")
    return "\n".join(lines)
