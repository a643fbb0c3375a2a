"""Event–time anchoring on TimeML: does the events stage date a verb by the time it belongs to?

The events stage dates an event by the temporal expression its parse attaches to the trigger
(:func:`tidings.stages.events.attach.event_time`), else by the report. TimeBank and AQUAINT
(TBAQ-cleaned, TempEval-3) link event instances to TIMEX3s with TLINKs; a link that puts the
event inside or at the time (the time INCLUDES it, it IS_INCLUDED in the time, DURING,
SIMULTANEOUS, IDENTITY, BEGINS/ENDS) says which expression dates it. This module asks, for
every verb event that has such a link to a DATE or TIME expression of its own sentence, which
of the sentence's gold expressions ``event_time`` picks (given the gold TIMEX3s, so the times
stage's own errors do not count):

* ``right``: the linked expression (or one of them);
* ``wrong``: another expression of the sentence;
* ``none``: no expression (the event would be dated by the report).

TLINKs are not exhaustive, so a verb with no anchoring link is left out (its right answer is
unknown). The data never tuned the attachment rules (they were written on the article sets).

Split, fixed once: a document is in the ``test`` half when the first 32 bits of the SHA-1 of
its file name are odd, else ``dev``. Decide on ``dev``; report ``test`` once per kept change.

    python -m tidings.eval.anchoring ../shared/data/time/TBAQ-cleaned [--half dev|test]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .timeml import iter_tml, tagged_text

HALVES = ("dev", "test")
#: relations that put the event within or at the time (read from the time's side: the time
#: INCLUDES the event); their inverses when the event is the link's first argument
_TIME_FIRST = {"INCLUDES", "SIMULTANEOUS", "IDENTITY", "BEGUN_BY", "ENDED_BY", "DURING_INV"}
_EVENT_FIRST = {"IS_INCLUDED", "SIMULTANEOUS", "IDENTITY", "DURING", "BEGINS", "ENDS"}


@dataclass
class AnchorDoc:
    """A TimeML document: its text, verb events with offsets, TIMEX3s and anchoring links."""

    name: str
    text: str
    events: dict[str, tuple[int, int]] = field(default_factory=dict)  # eiid -> span
    timexes: dict[str, tuple[int, int, str, str]] = field(default_factory=dict)  # tid -> ...
    anchors: dict[str, set[str]] = field(default_factory=dict)  # eiid -> {tid}


def half_of(name: str) -> str:
    """``"test"`` or ``"dev"``: the fixed split of a document by its file name."""
    return "test" if int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:8], 16) % 2 else "dev"


def read_anchor_doc(path: Path) -> AnchorDoc:
    """Read one ``.tml`` file's verb events, TIMEX3s and event–time anchoring links."""
    root = ET.fromstring(path.read_bytes())
    text_el = root.find("TEXT")
    if text_el is None:
        raise ValueError(f"{path}: no <TEXT>")
    text, spans = tagged_text(text_el)
    doc = AnchorDoc(path.name, text)
    by_eid = {a["eid"]: (s, e) for tag, a, s, e in spans if tag == "EVENT" and "eid" in a}
    for tag, a, s, e in spans:
        if tag == "TIMEX3" and a.get("type") in ("DATE", "TIME"):
            doc.timexes[a["tid"]] = (s, e, a["type"], a.get("value", ""))
    for mi in root.iter("MAKEINSTANCE"):
        if mi.get("pos") == "VERB" and mi.get("eventID") in by_eid:
            doc.events[mi.get("eiid", "")] = by_eid[mi.get("eventID", "")]
    for tl in root.iter("TLINK"):
        rel = tl.get("relType", "")
        tid, ev = tl.get("timeID"), tl.get("relatedToEventInstance")
        if tid and ev and rel in _TIME_FIRST:
            doc.anchors.setdefault(ev, set()).add(tid)
        ev, tid = tl.get("eventInstanceID"), tl.get("relatedToTime")
        if tid and ev and rel in _EVENT_FIRST:
            doc.anchors.setdefault(ev, set()).add(tid)
    return doc


def evaluate_anchoring(paths: list[Path], half: str | None = None) -> dict[str, Any]:
    """Score ``event_time``'s choice for every anchored verb event (see the module doc)."""
    from ..model import Time
    from ..parse import load_nlp
    from ..stages.events.attach import event_time
    from ..stages.events.draft import Candidate

    files = [p for p in iter_tml(paths) if half is None or half_of(p.name) == half]
    docs = [read_anchor_doc(p) for p in files]
    nlp = load_nlp()
    counts: Counter[str] = Counter()
    examples: list[dict[str, Any]] = []
    for d, parsed in zip(docs, nlp.pipe([d.text for d in docs], batch_size=8)):
        starts = {t.idx: t for t in parsed}
        for eiid, (s, e) in sorted(d.events.items(), key=lambda x: x[1]):
            tok = starts.get(s)
            if tok is None or eiid not in d.anchors:
                continue
            sent = tok.sent
            times = [Time(d.text[a:b], a, b, typ, val) for a, b, typ, val
                     in d.timexes.values() if sent.start_char <= a < sent.end_char]
            gold = {d.timexes[t][0] for t in d.anchors[eiid] if t in d.timexes
                    and sent.start_char <= d.timexes[t][0] < sent.end_char}
            if not gold:
                continue  # anchored to the document date or another sentence's time
            pick = event_time(Candidate(tok, "", None), sent, times)
            kind = "none" if pick is None else ("right" if pick.start in gold else "wrong")
            counts[kind] += 1
            examples.append({"doc": d.name, "trigger": tok.text, "kind": kind,
                             "pick": pick.text if pick else None,
                             "gold": [d.text[a:b] for a, b, _, _ in
                                      (d.timexes[t] for t in d.anchors[eiid] if t in d.timexes)
                                      if a in gold],
                             "sentence": sent.text})
    n = sum(counts.values())
    return {"half": half, "documents": len(docs), "anchored_verbs": n,
            "right": counts["right"], "wrong": counts["wrong"], "none": counts["none"],
            "accuracy": counts["right"] / n if n else 0.0,
            "precision": counts["right"] / (counts["right"] + counts["wrong"])
            if counts["right"] + counts["wrong"] else 0.0,
            "examples": examples}


def format_report(r: dict[str, Any]) -> str:
    """A readable summary of :func:`evaluate_anchoring`'s result."""
    return (f"event-time anchoring on {r['documents']} documents"
            + (f" ({r['half']} half)" if r.get("half") else "")
            + f": {r['anchored_verbs']} anchored verbs, {r['right']} right, {r['wrong']} wrong, "
            f"{r['none']} with no time; accuracy {r['accuracy']:.3f}, "
            f"precision {r['precision']:.3f}")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m tidings.eval.anchoring PATH... [--half dev|test]``."""
    ap = argparse.ArgumentParser(prog="python -m tidings.eval.anchoring",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", type=Path, nargs="+")
    ap.add_argument("--half", choices=HALVES)
    ap.add_argument("--examples", choices=("none", "wrong", "all"), default="none",
                    help="print the scored verbs too")
    args = ap.parse_args(argv)
    r = evaluate_anchoring(args.paths, args.half)
    ex = r.pop("examples")
    print(json.dumps(r, indent=2))
    for x in ex:
        if args.examples == "all" or (args.examples == "wrong" and x["kind"] != "right"):
            print(json.dumps(x, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
