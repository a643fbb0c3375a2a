"""Score extracted events against hand-written gold events over whole articles.

The set is a folder of dated articles with ``gold.jsonl`` (one real-world event a line: file,
PLOVER type, source and target codes, place, country, date, evidence substring and optional
``alt_evidence``) and optionally ``negatives.jsonl`` (statements that must not become asserted
events: file, evidence, why, ``not_type``). ``tests/fixtures/unseen_en/README.md`` documents the
format; it is the format of our unseen-news checks, English and French.

Recall is reported cumulatively, the way an analyst loses an event: an asserted event of the
right type reported by the gold evidence exists, then with the right source, target, place and
date (the full tuple). A predicted event *reports* a gold event when its trigger lies inside the
gold evidence or one of its ``alt_evidence`` spans. Spurious asserted events are asserted events
whose trigger lies inside a negative span (of ``not_type``, or of any type when it is null).

Matching, chosen to be strict where the analyst needs it and lenient where the gold is:
- source/target: every gold code must be among the predicted actors' codes (ISO-3 country, or
  name / knowledge-base id for non-state actors, compared case-insensitively); a gold code the
  actor knowledge base knows also matches that entry's id and name (gold "AU" is the predicted
  "African Union", IGO-AU); an empty gold side accepts anything (unknown gunmen, joint acts).
- place: case- and accent-insensitive name equality with the gold place or one of its
  ``place_alt`` names; a null gold place with a country needs the predicted place's country;
  null place and country accept anything.
- date: the predicted date interval must lie inside the gold period ("2024-08" accepts
  2024-08-01..2024-08-31 and any day in it).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .metrics import prf_counts

LEVELS = ("type", "source", "target", "place", "date")


def _fold(text: str | None) -> str:
    nfkd = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold().strip()


def _codes(actors: Iterable[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for a in actors:
        for key in ("country", "name", "kb_id", "text"):
            if a.get(key):
                out.add(_fold(str(a[key])))
    return out


def _known_as(code: str) -> set[str]:
    """The folded forms a gold code matches: itself, and the id and name of the knowledge-base
    entry it names ("AU" → igo-au, african union)."""
    from ..stages.actors import load_kb

    entry = load_kb().names.get(code)
    forms = {_fold(code)}
    if entry is not None:
        forms |= {_fold(entry.kb_id), _fold(entry.name)}
    return forms


def _sides_match(gold: list[str], predicted: list[dict[str, Any]]) -> bool:
    if not gold:
        return True
    have = _codes(predicted)
    return all(_known_as(g) & have for g in gold)


def _place_match(g: dict[str, Any], loc: dict[str, Any] | None) -> bool:
    if g.get("place"):
        if loc is None:
            return False
        names = {_fold(g["place"]), *(_fold(x) for x in g.get("place_alt", []))}
        return _fold(loc.get("name")) in names or _fold(loc.get("text")) in names
    if g.get("country"):
        return loc is not None and loc.get("country") == g["country"]
    return True


def _date_match(gold: str | None, date: dict[str, Any] | None) -> bool:
    if not gold:
        return True
    if not date:
        return False
    return str(date.get("start", "")).startswith(gold) and str(date.get("end", "")).startswith(gold)


def _spans(text: str, evidence: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for ev in evidence:
        i = text.find(ev)
        if i >= 0:
            spans.append((i, i + len(ev)))
    return spans


def _inside(e: dict[str, Any], spans: list[tuple[int, int]]) -> bool:
    t = e["trigger"]
    return any(a <= t["start"] and t["end"] <= b for a, b in spans)


def _level(g: dict[str, Any], e: dict[str, Any]) -> int:
    """How many of LEVELS the predicted event ``e`` gets right for gold ``g`` (in order)."""
    checks = (e["type"] == g["type"], _sides_match(g.get("source", []), e["source"]),
              _sides_match(g.get("target", []), e["target"]), _place_match(g, e.get("location")),
              _date_match(g.get("date"), e.get("date")))
    n = 0
    for ok in checks:
        if not ok:
            break
        n += 1
    return n


def read_set(folder: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The gold events and negatives of an evaluation folder."""
    def lines(name: str) -> list[dict[str, Any]]:
        path = folder / name
        if not path.exists():
            return []
        return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]

    return lines("gold.jsonl"), lines("negatives.jsonl")


def score(docs: dict[str, dict[str, Any]], gold: list[dict[str, Any]],
          negatives: list[dict[str, Any]]) -> dict[str, Any]:
    """Score Document dicts (by file name) against gold events and negatives."""
    found = dict.fromkeys(LEVELS, 0)
    misses: list[dict[str, Any]] = []
    reporting: set[tuple[str, str]] = set()
    for g in gold:
        d = docs.get(g["file"])
        if d is None:
            misses.append({**g, "level": 0})
            continue
        spans = _spans(d["text"], [g["evidence"], *g.get("alt_evidence", [])])
        cands = [e for e in d["events"] if e["modality"] == "asserted" and _inside(e, spans)]
        for e in cands:
            reporting.add((g["file"], e["id"]))
        best = max((_level(g, e) for e in cands), default=0)
        for i in range(best):
            found[LEVELS[i]] += 1
        if best < len(LEVELS):
            misses.append({**g, "level": best})
    spurious = []
    for n in negatives:
        d = docs.get(n["file"])
        if d is None:
            continue
        spans = _spans(d["text"], [n["evidence"]])
        for e in d["events"]:
            if e["modality"] == "asserted" and _inside(e, spans) and (
                    n.get("not_type") in (None, e["type"])):
                spurious.append({"file": n["file"], "evidence": n["evidence"], "why": n["why"],
                                 "type": e["type"], "trigger": e["trigger"]["text"]})
    asserted = [(f, e) for f, d in docs.items() for e in d["events"] if e["modality"] == "asserted"]
    matched = sum(1 for f, e in asserted if (f, e["id"]) in reporting)
    n_gold = len(gold)
    return {
        "articles": len(docs), "gold_events": n_gold, "negatives": len(negatives),
        "recall": {lv: round(found[lv] / n_gold, 4) if n_gold else 0.0 for lv in LEVELS},
        "found": found,
        "asserted_events": len(asserted),
        "asserted_reporting_gold": matched,
        "tuple": prf_counts(found["date"], len(asserted), found["date"], n_gold),
        "spurious_asserted": len(spurious),
        "spurious": spurious, "misses": misses,
    }


def evaluate_articles(folder: str | Path) -> dict[str, Any]:
    """Extract every article of ``folder`` and score it against its gold files."""
    from ..pipeline import extract_many
    from ..readers import Rejected, read

    folder = Path(folder)
    gold, negatives = read_set(folder)
    files = sorted({g["file"] for g in gold} | {x["file"] for x in negatives})
    arts = []
    for name in files:
        for item in read(folder / name):
            if not isinstance(item, Rejected):
                arts.append((name, item))
    docs = {name: d.to_dict() for (name, _), d in zip(arts, extract_many(a for _, a in arts))}
    res = score(docs, gold, negatives)
    res["path"] = str(folder)
    return res


def format_report(res: dict[str, Any]) -> str:
    """A plain-text summary of :func:`evaluate_articles`."""
    r, f = res["recall"], res["found"]
    lines = [f"{res['articles']} articles, {res['gold_events']} gold events, "
             f"{res['negatives']} negatives ({res['path']})",
             "recall, cumulative: " + "  ".join(f"+{lv} {r[lv]:.3f} ({f[lv]})" for lv in LEVELS),
             f"full tuple: P {res['tuple']['precision']:.3f}  R {res['tuple']['recall']:.3f}  "
             f"F1 {res['tuple']['f1']:.3f}  ({res['asserted_events']} asserted events, "
             f"{res['asserted_reporting_gold']} report a gold event)",
             f"asserted events from negative statements: {res['spurious_asserted']}"]
    by_why: dict[str, int] = {}
    for s in res["spurious"]:
        by_why[s["why"]] = by_why.get(s["why"], 0) + 1
    if by_why:
        lines.append("  by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(by_why.items())))
    return "\n".join(lines)
