"""Event-location evaluation on sentences with a VERB span and the LOCATION span(s) where that
event happened (Halterman 2019, ``event_location_dev.jsonl``).

For each sentence the places stage finds the toponyms and :func:`tidings.location.attached_place`
picks the one attached to the verb, or none. A prediction is correct when it overlaps a gold
LOCATION span, or when it is none and the sentence has no (non-empty) LOCATION span.

Records from the file's Prodigy classification passes carry ``"label": "LOCATION"`` (or
``"LOCATION,VERB"``) with no LOCATION span: the annotator accepted that the event has a location
but did not mark it, so the gold answer is unknown and they are left out (and counted in
``skipped``). Every other record without a LOCATION span is a gold "no location".
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from .location import attached_place
from .parse import load_nlp
from .places import find_places


def read_evloc(path: Path) -> list[dict[str, Any]]:
    """Return records {text, verb: (start, end), locations: [(start, end)]} from JSONL."""
    out = []
    skipped = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            verbs = [(s["start"], s["end"]) for s in d.get("spans", []) if s["label"] == "VERB"]
            locs = [(s["start"], s["end"]) for s in d.get("spans", [])
                    if s["label"] == "LOCATION" and s["end"] > s["start"]
                    and d["text"][s["start"]:s["end"]].strip()]
            if not verbs or (not locs and "LOCATION" in (d.get("label") or "")):
                skipped += 1
                continue
            out.append({"text": d["text"], "verb": verbs[0], "locations": locs})
    read_evloc.skipped = skipped  # type: ignore[attr-defined]
    return out


def evaluate_evloc(path: Path, limit: int | None = None) -> dict[str, Any]:
    """Return accuracy (overall, with and without a gold location) and sentences/s."""
    records = read_evloc(Path(path))[:limit]
    nlp = load_nlp()
    t0 = time.perf_counter()
    correct = with_loc = with_loc_ok = none_ok = 0
    predicted = 0
    for rec, doc in zip(records, nlp.pipe([r["text"] for r in records], batch_size=64)):
        vs, ve = rec["verb"]
        verb = next((t for t in doc if t.idx <= vs < t.idx + len(t.text) or
                     vs <= t.idx < ve), None)
        place = attached_place(verb, find_places(doc)) if verb is not None else None
        gold = rec["locations"]
        if place is not None:
            predicted += 1
        if gold:
            with_loc += 1
            ok = place is not None and any(place.start < e and s < place.end for s, e in gold)
            with_loc_ok += ok
        else:
            ok = place is None
            none_ok += ok
        correct += ok
    n = len(records)
    seconds = time.perf_counter() - t0
    return {
        "sentences": n, "skipped": getattr(read_evloc, "skipped", 0), "accuracy": correct / n if n else 0.0,
        "with_location": with_loc,
        "accuracy_with_location": with_loc_ok / with_loc if with_loc else 0.0,
        "accuracy_without_location": none_ok / (n - with_loc) if n - with_loc else 0.0,
        "predicted_locations": predicted, "sentences_per_s": n / seconds if seconds else 0.0,
    }


def format_report(r: dict[str, Any]) -> str:
    """Return a readable report of :func:`evaluate_evloc`'s result."""
    return (f"event location on {r['sentences']} sentences: accuracy {r['accuracy']:.3f}\n"
            f"  with a gold location ({r['with_location']}): "
            f"{r['accuracy_with_location']:.3f}\n"
            f"  without ({r['sentences'] - r['with_location']}): "
            f"{r['accuracy_without_location']:.3f}\n"
            f"  {r['sentences_per_s']:.0f} sentences/s")
