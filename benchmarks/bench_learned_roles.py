"""The role model in the events stage: tuple F1 on the gold records with and without it.

    python -m tidings.train.roles --out /tmp/role_model.json
    python benchmarks/bench_learned_roles.py /tmp/role_model.json [--split dev|test]

Wraps the parse rules' ``roles`` (as a coding rule of a ``roles`` phase would run, before the
``mention`` rules): a side they leave empty takes the sentence's actor mention the model finds
most probable for it, when that is its most probable class with P ≥ ``--min-p`` (0.5, chosen on
dev). ``--sides source`` fills sources only. Issue 14, step 3; not kept (BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tidings.eval.records import evaluate_records
from tidings.stages.events import find
from tidings.stages.events.role_model import load_model, probabilities

ROOT = Path(__file__).resolve().parents[1]
GSR = ROOT.parent / "shared" / "data" / "plover" / "gsr_dev.jsonl"


def filling(rules_roles: Any, model: dict[str, Any], min_p: float, sides: set[str]) -> Any:
    """``roles`` with the empty sides filled by the model."""

    def overlaps(a: Any, others: list[Any]) -> bool:
        return any(a.start < b.end and b.start < a.end for b in others)

    def roles(c: Any, index: Any) -> tuple[list[Any], list[Any]]:
        source, target = rules_roles(c, index)
        if source and target:
            return source, target
        trig, sent = c.trigger, c.trigger.sent
        best: dict[str, tuple[float, Any]] = {}
        for a in index.actors:
            if not (sent.start_char <= a.start and a.end <= sent.end_char) or (
                    a.start <= trig.idx < a.end) or overlaps(a, source + target):
                continue
            span = trig.doc.char_span(a.start, a.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            p = probabilities(trig, span.root, c.noun, c.type, model=model)
            assert p is not None
            side = max(p, key=lambda k: p[k])
            if side in sides and p[side] >= min_p and (side not in best
                                                       or p[side] > best[side][0]):
                best[side] = (p[side], a)
        if not source and "source" in best:
            a = best["source"][1]
            source = [a, *index.same_span(a)]
        if not target and "target" in best and not overlaps(best["target"][1], source):
            a = best["target"][1]
            target = [a, *index.same_span(a)]
        return source, target

    return roles


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("model", type=str)
    ap.add_argument("--gold", type=Path, default=GSR)
    ap.add_argument("--split", default="dev", choices=("dev", "test"))
    ap.add_argument("--min-p", type=float, default=0.5)
    ap.add_argument("--sides", nargs="+", default=["source", "target"])
    args = ap.parse_args(argv)
    model = load_model(args.model)
    assert model is not None, f"no model at {args.model}"
    rules_roles = find.roles
    for name, fn in (("parse rules", rules_roles),
                     ("parse rules + role model", filling(rules_roles, model, args.min_p,
                                                          set(args.sides)))):
        find.roles = fn  # type: ignore[attr-defined]
        r = evaluate_records(args.gold, split=args.split)
        print(f"{name:26s} {args.split}: " + "  ".join(
            f"{k} P {r[k]['precision']:.3f} R {r[k]['recall']:.3f} F1 {r[k]['f1']:.3f}"
            for k in ("tuple", "type")))
    find.roles = rules_roles  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
