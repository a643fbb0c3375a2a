"""Magnitudes: counts stated in an event's evidence (PLOVER's size fields).

Kinds: ``killed``, ``injured``, ``arrested``, ``abducted``, ``displaced`` and ``crowd``.

Conventions (documented in docs/CODEBOOK.md):

- digits ("42", "1,200", "2.5 million") and number words ("three", "twenty-one",
  "two hundred", "a dozen");
- qualifiers keep the stated number as a lower bound: "at least 15" → 15, "more than 40" → 40,
  "about 300" → 300, "nearly 50" → 50;
- ranges give their lower end: "between 10 and 15", "10 to 15", "10-15" → 10;
- vague quantities give the unit as a lower bound, as ACLED does: "dozens" → 12,
  "scores" → 20, "hundreds" → 100, "thousands" → 1000, "tens of thousands" → 10000,
  "hundreds of thousands" → 100000; "several", "a few", "a handful" → 3; "several dozen" →
  36; numbers that look like years (1900-2099 without a thousands comma) are ignored;
- a count is attached to the event whose trigger governs the counted word in the parse
  (walking up the dependency tree from the verb or noun that names the kind), else to the
  nearest event of a preferred type in the same sentence (killed/injured/abducted/displaced:
  ASSAULT, COERCE; arrested: COERCE; crowd: PROTEST, MOBILIZE, ACCUSE), else to the nearest
  event in the sentence; a sentence with no event gives nothing;
- when one event gets two counts of one kind, the larger is kept (e.g. "killing 11 soldiers
  ... 12 soldiers were killed" in one sentence).

:func:`find_magnitudes` returns every count found in a text with its span, qualifier and
whether it is vague; :func:`add_magnitudes` is the pipeline stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import Document, Event

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "dozen": 12}
_VAGUE = {
    "hundreds of thousands": 100_000, "tens of thousands": 10_000, "several dozen": 36,
    "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "several": 3,
    "a few": 3, "a handful": 3, "a dozen": 12, "a hundred": 100, "a thousand": 1000,
}

_W_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_W_TENS = "|".join(_TENS)
_WORDNUM = (rf"(?:(?:{_W_TENS})(?:[- ](?:{_W_UNIT}))?|{_W_UNIT})"
            r"(?:\s+(?:hundred|thousand|million|dozen))?(?:\s+(?:and\s+)?"
            rf"(?:(?:{_W_TENS})(?:[- ](?:{_W_UNIT}))?|{_W_UNIT}))?")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?:million|thousand|hundred))?"
_VAGUE_RE = "|".join(re.escape(v) for v in sorted(_VAGUE, key=len, reverse=True))
_NUM = rf"(?:{_VAGUE_RE}|{_DIGITS}|{_WORDNUM})"
_QUAL = (r"(?:(?P<qual>at least|more than|over|about|around|nearly|almost|some|up to|"
         r"an estimated|as many as|roughly|approximately|close to|upwards of|well over|"
         r"fewer than|less than|at most|an)\s+)?")
_QUOTE = r"[\"“']?"
_AMOUNT = (rf"{_QUAL}{_QUOTE}(?:between\s+)?(?P<num>{_NUM})"
           rf"(?:\s*(?:-|–|to|and|or)\s*(?P<num2>{_NUM}))?{_QUOTE}")

_KIND_VERBS = {
    "killed": r"killed|killing|kills|dead|died|deaths?|fatalities|lives|murdered|massacred|"
              r"slain|shot dead|executed|beheaded",
    "injured": r"wounded|wounding|injured|injuring|injuries|hurt|maimed",
    "arrested": r"arrested|arresting|arrests|detained|detaining|rounded up|taken into custody|"
                r"apprehended|jailed",
    "abducted": r"abducted|abducting|kidnapped|kidnapping|taken hostage|seized as hostages|"
                r"held hostage|snatched",
    "displaced": r"displaced|displacing|fled|fleeing|flee|uprooted|forced to flee|"
                 r"forced from their homes|made homeless",
    "crowd": r"marched|marching|rallied|protested|demonstrated|gathered|took to the streets|"
             r"joined the protests?|joined the march",
}
_CROWD_NOUNS = r"protesters|protestors|demonstrators|marchers|mourners"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = []
for _kind, _verbs in _KIND_VERBS.items():
    # "killing at least 11 soldiers", "arrested 42 protesters", "displacing 3,000"
    _PATTERNS.append((_kind, re.compile(
        rf"\b(?P<verb>{_verbs})\s+(?:(?:some|nearly|about)\s+)?{_AMOUNT}\b"
        if _kind != "crowd" else r"(?!x)x", re.IGNORECASE)))
    # "three soldiers were wounded", "dozens of protesters were arrested", "12 dead"
    _PATTERNS.append((_kind, re.compile(
        rf"\b{_AMOUNT}\b(?P<gap>(?:[\s,]+(?!(?:and|but|while|when|after)\b)"
        rf"[\w'’\-]+){{0,7}}?)[\s,]+(?:(?:were|was|have been|had been|has been|are|being|"
        rf"been|reportedly|also|all|later|initially)\s+)*(?P<verb>{_verbs})\b", re.IGNORECASE)))
_TOLL = re.compile(rf"\b(?:death toll|toll)\b[^.;]{{0,40}}?\b(?:to|at|of|reached|hit)\s+"
                   rf"{_AMOUNT}\b", re.IGNORECASE)
_CROWD = [
    re.compile(rf"\bcrowds?\s+of\s+{_AMOUNT}\b", re.IGNORECASE),
    re.compile(rf"\b{_AMOUNT}(?:\s+(?:of\s+)?[\w\-]+)?\s+(?P<verb>{_CROWD_NOUNS})\b",
               re.IGNORECASE),
]


@dataclass(frozen=True)
class Magnitude:
    """One count stated in a text."""

    kind: str
    value: int
    start: int  # character span of the whole phrase
    end: int
    anchor: int  # character offset of the word naming the kind (verb or noun)
    text: str
    qualifier: str | None = None
    vague: bool = False


def parse_number(text: str) -> tuple[int, bool] | None:
    """Parse a number phrase; return (value, vague) or None ("1,200" → 1200; "twenty-one" →
    21; "two dozen" → 24; "dozens" → (12, True))."""
    t = text.lower().strip().strip("\"“'").replace("–", "-")
    if t in _VAGUE:
        return _VAGUE[t], t not in ("a dozen", "a hundred", "a thousand")
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(million|thousand|hundred))?", t)
    if m:
        raw = m.group(1)
        if "," not in raw and "." not in raw and len(raw) == 4 and 1900 <= int(raw) <= 2099 \
                and not m.group(2):
            return None  # a year
        val = float(raw.replace(",", "")) * (_SCALES[m.group(2)] if m.group(2) else 1)
        return int(val), False
    total, current = 0, 0
    for w in re.split(r"[\s\-]+", t):
        if w in ("and", "a", "an"):
            if w != "and":
                current = max(current, 1)
            continue
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in ("hundred", "dozen"):
            current = max(current, 1) * _SCALES[w]
        elif w in ("thousand", "million"):
            total += max(current, 1) * _SCALES[w]
            current = 0
        else:
            return None
    return total + current, False


def _amount(m: re.Match[str]) -> tuple[int, bool] | None:
    first = parse_number(m.group("num"))
    if first is None:
        return None
    if m.groupdict().get("num2"):
        second = parse_number(m.group("num2"))
        if second is not None:
            return min(first[0], second[0]), first[1] or second[1]
    return first


def find_magnitudes(text: str, offset: int = 0) -> list[Magnitude]:
    """Return the counts stated in ``text`` (offsets shifted by ``offset``), left to right,
    without overlaps (a count consumed as "arrested 42 protesters" is not also a crowd)."""
    found: list[Magnitude] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(kind: str, m: re.Match[str], anchor: int) -> None:
        amt = _amount(m)
        num_span = m.span("num")
        if amt is None or not free(*num_span):
            return
        if amt[0] == 0 and kind != "crowd":
            return
        taken.append(num_span)
        q = m.groupdict().get("qual")
        found.append(Magnitude(kind, amt[0], offset + m.start(), offset + m.end(),
                               offset + anchor, m.group(0), q.lower() if q else None, amt[1]))

    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            gap = m.groupdict().get("gap") or ""
            if re.search(r"\d|[;:]", gap):
                continue  # another number (or clause) between count and verb
            add(kind, m, m.start("verb"))
    for m in _TOLL.finditer(text):
        add("killed", m, m.start())
    for pat in _CROWD:
        for m in pat.finditer(text):
            add("crowd", m, m.start("verb") if m.groupdict().get("verb") else m.start())
    return sorted(found, key=lambda x: x.start)


_PREFERRED = {
    "killed": ("ASSAULT", "COERCE"), "injured": ("ASSAULT", "COERCE"),
    "abducted": ("ASSAULT", "COERCE"), "displaced": ("ASSAULT", "COERCE"),
    "arrested": ("COERCE",), "crowd": ("PROTEST", "MOBILIZE", "ACCUSE"),
}


def _governing_event(doc: Any, anchor: int, events: list[Event]) -> Event | None:
    if doc is None:
        return None
    by_trigger = {e.trigger.start: e for e in events}
    span = doc.char_span(anchor, anchor + 1, alignment_mode="expand")
    if span is None:
        return None
    tok = span[0]
    for _ in range(8):
        if tok.idx in by_trigger:
            return by_trigger[tok.idx]
        if tok.head is tok:
            break
        tok = tok.head
    return None


def attach(magnitudes: list[Magnitude], events: list[Event], doc: Any = None) -> None:
    """Add each count to the event that states it (see the module docstring)."""
    for mg in magnitudes:
        in_sent = [e for e in events if e.sentence.start <= mg.anchor < e.sentence.end]
        if not in_sent:
            continue
        ev = _governing_event(doc, mg.anchor, in_sent)
        if ev is None:
            pref = [e for e in in_sent if e.type in _PREFERRED[mg.kind]] or in_sent
            ev = min(pref, key=lambda e: (abs(e.trigger.start - mg.anchor), e.trigger.start))
        ev.magnitudes[mg.kind] = max(ev.magnitudes.get(mg.kind, 0), mg.value)


def add_magnitudes(document: Document) -> None:
    """Pipeline stage: fill ``event.magnitudes`` for every event of ``document``."""
    if not document.events:
        return
    spans = sorted({(e.sentence.start, e.sentence.end) for e in document.events})
    found: list[Magnitude] = []
    for lo, hi in spans:
        found.extend(find_magnitudes(document.text[lo:hi], offset=lo))
    attach(found, document.events, document.doc)
