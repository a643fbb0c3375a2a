"""Coding rules, one at a time: tuple F1 on the PLOVER gold records with each rule switched off.

    python benchmarks/bench_rules.py [PATH] [--json OUT]

PATH defaults to ../shared/data/plover/gsr_dev.jsonl. Runs ``evaluate_records`` (exactly what
``tidings eval plover PATH --without-rule NAME`` runs) once with every rule on, then once per
rule of the registry with that rule alone off, in one process (the model loads once), and
prints a Markdown table of F1 and its change against all rules on.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tidings.eval.records import evaluate_records
from tidings.stages.events import RULES

ROOT = Path(__file__).resolve().parents[1]
GSR = ROOT.parent / "shared" / "data" / "plover" / "gsr_dev.jsonl"


def _f1(r: dict[str, Any], k: str) -> float:
    return float(r[k]["f1"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", type=Path, default=GSR)
    ap.add_argument("--json", type=Path, help="also write every result here")
    args = ap.parse_args(argv)
    base = evaluate_records(args.path)
    results = {"(all rules on)": base}
    print(f"all rules on: tuple F1 {_f1(base, 'tuple'):.3f}, type+source "
          f"{_f1(base, 'type_source'):.3f}, type {_f1(base, 'type'):.3f}"
          f" ({base['records']} records)\n")
    print("| # | rule off | phase | tuple F1 | Δ tuple | Δ type+source | Δ type |")
    print("|---|---|---|---|---|---|---|")
    for i, r in enumerate(RULES.values(), 1):
        res = evaluate_records(args.path, without=[r.name])
        results[r.name] = res
        d = {k: _f1(res, k) - _f1(base, k) for k in ("tuple", "type_source", "type")}
        print(f"| {i} | `{r.name}` | {r.phase} | {_f1(res, 'tuple'):.3f} | "
              f"{d['tuple']:+.3f} | {d['type_source']:+.3f} | {d['type']:+.3f} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
