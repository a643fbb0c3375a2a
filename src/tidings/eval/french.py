"""Quality of French reading (issue 16): time values and dev-set event recall.

- :func:`timex_accuracy` reads a TSV of French temporal expressions with gold TIMEX3 values
  (``tests/fixtures/fr_timex.tsv``: publication date, expression, type, value, sentence) and
  returns the share of expressions whose value the French tagger gets right (an expression
  missed counts as wrong);
- :func:`dev_scores` runs the pipeline over a folder of French dated articles with a
  ``gold.jsonl`` (``tests/fixtures/fr_dev``) and returns event recall (type, source, target,
  place and date must all agree where the gold gives them) and the number of asserted events
  drawn from negated, future or hypothetical statements (should be 0).

``python -m tidings.eval.french [TSV] [ARTICLES_DIR] [GOLD_JSONL] [-v]`` prints both (the
check set: ``... tests/fixtures/fr_timex.tsv examples/fr tests/fixtures/fr_examples_gold.jsonl``).
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_TSV = ROOT / "tests" / "fixtures" / "fr_timex.tsv"
DEFAULT_DEV = ROOT / "tests" / "fixtures" / "fr_dev"


def read_timex_tsv(path: Path) -> list[dict[str, str]]:
    """Return the rows of a French timex TSV (comment lines start with ``#``)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        dct, expr, typ, value, sentence = line.split("\t")
        rows.append({"dct": dct, "expr": expr, "type": typ, "value": value, "sentence": sentence})
    return rows


def timex_accuracy(path: Path = DEFAULT_TSV, use_parse: bool = True,
                   errors: list[str] | None = None) -> tuple[float, int]:
    """Return (value accuracy, number of expressions) of the French tagger on ``path``."""
    from ..stages.times_fr import find_times_fr

    nlp = None
    if use_parse:
        from ..parse import load_nlp_fr

        nlp = load_nlp_fr()
    rows = read_timex_tsv(path)
    right = 0
    for r in rows:
        text = r["sentence"]
        lo = text.index(r["expr"])
        hi = lo + len(r["expr"])
        doc = nlp(text) if nlp is not None else None
        got = [t for t in find_times_fr(text, date.fromisoformat(r["dct"]), doc)
               if t.start < hi and lo < t.end]
        ok = any(t.value == r["value"] for t in got)
        right += ok
        if not ok and errors is not None:
            errors.append(f"{r['dct']}  {r['expr']!r}: gold {r['value']}, got "
                          f"{[(t.text, t.value) for t in got]}  | {text}")
    return right / len(rows), len(rows)


def _gold_range(value: str) -> tuple[date, date]:
    if len(value) == 7:
        y, m = int(value[:4]), int(value[5:])
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date(y, m, 1), nxt - timedelta(days=1)
    d = date.fromisoformat(value)
    return d, d


def _actor_codes(actors: list[dict[str, Any]]) -> set[str]:
    return {c for a in actors for c in (a.get("country"), a.get("kb_id")) if c}


def _place_ok(gold: str | None, loc: dict[str, Any] | None) -> bool:
    if gold is None:
        return True
    if loc is None:
        return False
    from ..gazetteer import normalize

    g = normalize(gold)
    return g in (normalize(loc.get("name") or ""), normalize(loc.get("text") or ""))


def _date_ok(gold: str, d: dict[str, str]) -> bool:
    lo, hi = _gold_range(gold)
    s, e = date.fromisoformat(d["start"]), date.fromisoformat(d["end"])
    return s <= hi and lo <= e and (e - s).days <= (hi - lo).days + 6


def matches(gold: dict[str, Any], ev: dict[str, Any]) -> bool:
    """Whether a predicted event (JSON) is the gold event (type, actors, place, date)."""
    if ev["type"] != gold["type"] or ev["modality"] not in ("asserted", "historical"):
        return False
    if gold.get("source") and gold["source"] not in _actor_codes(ev["source"]):
        return False
    if gold.get("target") and gold["target"] not in _actor_codes(ev["target"]):
        return False
    return _place_ok(gold.get("place"), ev.get("location")) and _date_ok(gold["date"], ev["date"])


def dev_scores(folder: Path = DEFAULT_DEV, misses: list[str] | None = None,
               gold_path: Path | None = None) -> dict[str, Any]:
    """Run tidings over the French articles in ``folder`` against ``gold_path`` (default
    ``folder/gold.jsonl``); return event recall and asserted events from non-events."""
    import tidings
    from ..pipeline import extract_many

    gold_file = gold_path or folder / "gold.jsonl"
    gold = [json.loads(x) for x in gold_file.read_text("utf-8").splitlines() if x.strip()]
    names = sorted({g["article"] for g in gold})
    arts = [a for n in names for a in tidings.read(folder / n) if isinstance(a, tidings.Article)]
    docs = {Path(a.origin or "").name: d.to_dict() for a, d in zip(arts, extract_many(arts))}
    found = n_events = false_asserted = n_statements = 0
    languages = {d["language"] for d in docs.values()}
    for g in gold:
        d = docs[g["article"]]
        if "nonevent" in g:
            n_statements += 1
            lo = d["text"].index(g["sentence"])
            bad = [e for e in d["events"] if e["modality"] == "asserted"
                   and e["type"] in g["types"]
                   and e["sentence"]["start"] <= lo < e["sentence"]["end"]]
            false_asserted += len(bad)
            if bad and misses is not None:
                misses.append(f"ASSERTED {g['article']}: {g['sentence']!r} -> "
                              f"{[(e['type'], e['trigger']['text']) for e in bad]}")
            continue
        n_events += 1
        hit = any(matches(g, e) for e in d["events"])
        found += hit
        if not hit and misses is not None:
            got = [(e["type"], e["modality"], sorted(_actor_codes(e["source"])),
                    sorted(_actor_codes(e["target"])),
                    (e.get("location") or {}).get("name"), e["date"]["start"],
                    e["trigger"]["text"]) for e in d["events"]]
            misses.append(f"MISS {g['article']} {g['type']} {g['source']}->{g['target']} "
                          f"@{g['place']} {g['date']}\n      got {got}")
    return {"recall": found / n_events if n_events else 0.0, "events": n_events,
            "found": found, "false_asserted": false_asserted, "statements": n_statements,
            "languages": sorted(languages)}


def main(argv: list[str] | None = None) -> int:
    """``python -m tidings.eval.french [TSV] [ARTICLES_DIR] [GOLD_JSONL] [-v]``: print both."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    tsv = Path(args[0]) if args else DEFAULT_TSV
    dev = Path(args[1]) if len(args) > 1 else DEFAULT_DEV
    gold = Path(args[2]) if len(args) > 2 else None
    errors: list[str] = []
    acc, n = timex_accuracy(tsv, errors=errors)
    print(f"French times: value accuracy {acc:.3f} on {n} expressions ({tsv.name})")
    if verbose:
        print("\n".join("  " + e for e in errors))
    misses: list[str] = []
    s = dev_scores(dev, misses, gold)
    print(f"French events ({dev.name}): event recall {s['recall']:.3f} "
          f"({s['found']}/{s['events']}); "
          f"asserted events from {s['statements']} negated/future statements: "
          f"{s['false_asserted']}; languages {s['languages']}")
    if verbose:
        print("\n".join("  " + m for m in misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
