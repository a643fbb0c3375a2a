"""Learn trigger verbs from annotated news (``data/learned_triggers.json``).

The hand lexicon (``data/triggers.json``) holds the verbs the coding rules were written for;
news uses many more. This command counts, over annotated sentences that neither the rules nor
the evaluation sets were written from, which PLOVER type each verb lemma is labelled with:

- PLV_train (``plover/PLV_train.tsv``, Hu et al. 2024): the verb governing the marked source
  and target (their lowest common verb ancestor) takes the sentence's gold PLOVER type;
- M2E2 (``train/m2e2/events.jsonl``, VOA): ACE triggers mapped where the types coincide
  (Conflict:Attack → ASSAULT, Conflict:Demonstrate → PROTEST, Contact:Meet and
  Contact:Phone-Write → CONSULT, Justice:Arrest-Jail → COERCE);
- CAMEO tagtog (``train/cameo_tagtog/sentences.jsonl``): each coder's Action span with its
  CAMEO root code, mapped by the CAMEO→PLOVER table's roots.

A lemma the hand lexicon does not have is kept when it is seen at least :data:`MIN_COUNT`
times and its top type has at least :data:`MIN_SHARE` of its labels; reporting and empty verbs
are never kept. The events stage looks a verb up in the hand lexicon first and here second.

    python -m tidings.train.triggers [--data DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..eval.metrics import data_sha256
from ..stages.events.triggers import particle_verb

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
OUT = Path(__file__).resolve().parents[1] / "data" / "learned_triggers.json"
#: chosen on tests/fixtures/dev_en and the dev half of the PLOVER gold records
MIN_COUNT = 3
MIN_SHARE = 0.7
#: verbs that carry no act of their own (copulas, aspect, perception, cognition, motion)
EMPTY_VERBS = {
    "be", "have", "do", "become", "remain", "seem", "appear", "get", "go", "come", "take",
    "make", "give", "keep", "let", "begin", "start", "continue", "stop", "try", "want", "need",
    "know", "think", "believe", "see", "hear", "feel", "find", "show", "include", "involve",
    "use", "live", "happen", "occur", "exist", "stand", "sit", "lie", "mean", "call", "name",
    "speak", "talk", "ask", "tell", "say", "describe", "expect", "hope", "wait", "help",
    "like", "lead", "follow", "base", "add", "list", "cite", "quote", "put", "set", "hold",
    "bring", "carry", "run", "turn", "look", "leave", "reach", "return", "accord", "report"}
M2E2_TYPES = {"Conflict:Attack": "ASSAULT", "Conflict:Demonstrate": "PROTEST",
              "Contact:Meet": "CONSULT", "Contact:Phone-Write": "CONSULT",
              "Justice:Arrest-Jail": "COERCE"}
#: CAMEO root → PLOVER type (CAMEO2PLOVER-2021's two-digit lines; 01–02 statements and
#: appeals with no single PLOVER type are left out)
CAMEO_ROOTS = {"03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID",
               "08": "CONCEDE", "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE", "12": "REJECT",
               "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION",
               "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT"}


def _plv(path: Path) -> Iterator[tuple[str, list[tuple[int, int]], str, str]]:
    """(sentence, [source span, target span], type, set) from PLV_train's marked sentences."""
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            text, marked, etype = row["sentence"], row["marked_sentence"], row["gold_root"]
            spans = []
            for tag, actor in (("s", row["source"]), ("t", row["target"])):
                if f"<{tag}>" in marked and actor:
                    k = text.find(actor)
                    if k >= 0:
                        spans.append((k, k + len(actor)))
            if spans and etype:
                yield text, spans, etype.strip().upper(), "plv"


def _m2e2(path: Path) -> Iterator[tuple[str, list[tuple[int, int]], str, str]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            for e in r["events"]:
                t = M2E2_TYPES.get(e["type"])
                if t:
                    yield r["text"], [(e["trigger"]["start"], e["trigger"]["end"])], t, "m2e2:t"


def _tagtog(path: Path) -> Iterator[tuple[str, list[tuple[int, int]], str, str]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            for a in r["annotations"]:
                # "4-18 Assualt": PentaClass 4, CAMEO root 18
                codes = {x["slot"]: x["cameo"].split("-", 1)[-1].split()[0].zfill(2)
                         for x in a.get("actions") or [] if x.get("cameo")}
                for s in a["spans"]:
                    t = CAMEO_ROOTS.get(codes.get(s.get("slot"), ""))
                    if s.get("role") == "action" and t:
                        yield r["text"], [(s["start"], s["end"])], t, "tagtog:t"


def _verb_of(doc: Any, spans: list[tuple[int, int]], is_trigger: bool) -> Any:
    """The trigger span's verb, else the lowest verb governing every span (PLV's dyad)."""
    toks = []
    for a, b in spans:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None:
            return None
        toks.append(span.root)
    if is_trigger:
        return toks[0] if toks[0].pos_ == "VERB" else None
    paths = [[t, *t.ancestors] for t in toks]
    common = [t for t in paths[0] if all(t in p for p in paths[1:])]
    for t in common:
        if t.pos_ == "VERB":
            return t
    return None


def count(items: Iterable[tuple[str, list[tuple[int, int]], str, str]], nlp: Any
          ) -> dict[str, Counter[str]]:
    """lemma (with its particle: "carry out") → Counter of PLOVER types."""
    items = list(items)
    texts = sorted({x[0] for x in items})
    docs = dict(zip(texts, nlp.pipe(texts)))
    # one vote per (sentence, verb): the majority of its labels (tagtog's coders label one
    # sentence up to twenty times, PLV one sentence once per dyad)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for text, spans, etype, kind in items:
        v = _verb_of(docs[text], spans, kind.endswith(":t"))
        if v is None:
            continue
        lemma = particle_verb(v) or v.lemma_.lower()
        votes[(text, lemma)][etype] += 1
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, lemma), c in votes.items():
        out[lemma][c.most_common(1)[0][0]] += 1
    return out


def select(counts: dict[str, Counter[str]], known: set[str], skip: set[str]
           ) -> dict[str, dict[str, Any]]:
    """The lemmas to ship: unknown to the hand lexicon, frequent and pure enough."""
    out: dict[str, dict[str, Any]] = {}
    for lemma, c in sorted(counts.items()):
        n = sum(c.values())
        top, k = c.most_common(1)[0]
        if lemma in known or lemma.split()[0] in skip or n < MIN_COUNT or k / n < MIN_SHARE:
            continue
        out[lemma] = {"type": top, "n": n, "share": round(k / n, 3)}
    return out


def main(argv: list[str] | None = None) -> int:
    from ..pipeline import load_nlp_for
    from ..stages.events.triggers import load_lexicon

    ap = argparse.ArgumentParser(prog="python -m tidings.train.triggers",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    files = [args.data / "plover" / "PLV_train.tsv", args.data / "train" / "m2e2" / "events.jsonl",
             args.data / "train" / "cameo_tagtog" / "sentences.jsonl"]
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        print(f"E329 training data not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    nlp = load_nlp_for("en")
    counts = count([*_plv(files[0]), *_m2e2(files[1]), *_tagtog(files[2])], nlp)
    lex = load_lexicon()
    skip = set(lex.reporting_verbs) | set(lex.light_verbs) | EMPTY_VERBS
    # verbs the hand lexicon types only with some objects ("fired mortars", not "fired its
    # spokesman"; "halted aid") are known too: a learned entry would drop the condition
    known = set(lex.verbs) | set(lex.weapon_verbs) | {v for r in lex.object_rules for v in r[0]}
    chosen = select(counts, known, skip)
    doc = {"about": "verbs learned from annotated news by python -m tidings.train.triggers;"
                    " see docs/MODEL_CARD_triggers.md",
           "min_count": MIN_COUNT, "min_share": MIN_SHARE,
           "data_sha256": data_sha256(files), "verbs": chosen}
    args.out.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(chosen)} verbs of {len(counts)} lemmas -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
