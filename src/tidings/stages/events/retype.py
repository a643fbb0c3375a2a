"""Opt-in re-typing of the lexicon's candidates by the dyad classifier (TIDINGS_CLASSIFIER)."""

from __future__ import annotations

from typing import Any

from ... import settings
from ...model import Actor
from .draft import Draft

#: with the classifier on, its top type replaces the lexicon's when it has at least this
#: probability (measured on the PLOVER gold records with a model trained without them: 0.5
#: costs 0.045 tuple F1, 0.9 is neutral, 0.97 adds 0.004; see docs/ARCHITECTURE.md, decision 8)
RETYPE_MIN = 0.9


def classifier_enabled() -> bool:
    """Whether the dyad classifier re-types lexicon candidates: ``TIDINGS_CLASSIFIER=on``.

    Off by default: on held-out gold records it changes tuple F1 by less than 0.005 and makes
    the events stage about 13 times slower (docs/ARCHITECTURE.md, decision 8)."""
    return settings.classifier_on()


def retype(drafts: list[Draft]) -> None:
    """Score every candidate with the dyad classifier in one batch (one embedding pass per
    article); take its type when confident and blend its probability into the confidence."""
    if not drafts or not classifier_enabled():
        return
    from ...classifier import classify_batch, mode_for

    marked = [_marked(d.sent, d.source, d.target) for d in drafts]
    ranked = classify_batch([(m, None, None) for m in marked])
    for d, m, r in zip(drafts, marked, ranked):
        c = d.cand
        top, p_top = r[0]
        if top != c.type and p_top >= RETYPE_MIN:
            c.type, c.mode = top, mode_for(top, m)
        c.lexical_score = 0.5 * c.lexical_score + 0.5 * dict(r).get(c.type, 0.0)


def _marked(sent: Any, source: list[Actor], target: list[Actor]) -> str:
    """The sentence with PLV-style ``<s>..</s>``/``<t>..</t>`` marks around the first source
    and first target mention (the input the dyad classifier was trained on)."""
    base, text = sent.start_char, sent.text
    marks = []
    for actors, tag in ((source, "s"), (target, "t")):
        if actors:
            a = actors[0]
            lo, hi = a.start - base, a.end - base
            if 0 <= lo < hi <= len(text):
                marks.append((lo, hi, tag))
    if len(marks) == 2 and marks[0][0] < marks[1][1] and marks[1][0] < marks[0][1]:
        marks = marks[:1]  # one mention in both roles: mark the source only
    for lo, hi, tag in sorted(marks, reverse=True):
        text = f"{text[:lo]}<{tag}>{text[lo:hi]}</{tag}>{text[hi:]}"
    return text
