"""Merge: mentions of one event inside an article become one event.

Matchers (the ``merge`` coding rules) find, for each new event, an event already kept that it
tells again; the kept one takes the better date and the first place, the higher
confidence, and the folded one's trigger and mentions as its own mentions. Cross-article
merging is the stories stage's job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ...model import Actor, Event, Place

#: (events kept, one more event) -> (the event to keep, the event folded into it), or None
Matcher = Callable[[list[Event], Event], tuple[Event, Event] | None]


def _named(actors: list[Actor]) -> int:
    """How well a list of actors is coded: 2 when one is coded by its own mention or a
    knowledge-base entry, 1 when only by inference (``country_basis``), 0 when none is."""
    if any(a.kb_id or (a.country and not a.country_basis) for a in actors):
        return 2
    return 1 if any(a.country for a in actors) else 0


def uncoded(actors: list[Actor]) -> bool:
    """No actor of the list is coded (no country, no knowledge-base entry)."""
    return not any(a.country or a.kb_id for a in actors)


def _key(e: Event) -> tuple[Any, ...]:
    return (e.type, e.modality, tuple(sorted({a.country or a.kb_id or a.name for a in e.source})),
            tuple(sorted({a.country or a.kb_id or a.name for a in e.target})))


def _partial_twin(k: Event, e: Event) -> bool:
    """Two mentions in one sentence of the same type, modality and source where one names no
    target ("offered its troops to Lebanon ... to help"): one event, told twice."""
    return (k.sentence.start == e.sentence.start and k.type == e.type
            and k.modality == e.modality
            and _key(k)[2] == _key(e)[2] and bool(_key(k)[2])
            and (uncoded(e.target) or uncoded(k.target)))


def _who(actors: list[Actor]) -> set[str]:
    """Who the actors are beyond their country: knowledge-base entries other than a country
    ("PAK-PER-KHAN") and descriptions given a country ("more than 1,000 people")."""
    return {a.kb_id if a.kb_id and a.kb_id != a.country else a.name.lower()
            for a in actors if (a.kb_id and a.kb_id != a.country) or a.country_basis}


def _different_targets(k: Event, e: Event) -> bool:
    """Both name whom they aim at beyond a country, and no one is in both ("arrested Imran
    Khan" and "arrested more than 1,000 people" are two arrests in Pakistan)."""
    a, b = _who(k.target), _who(e.target)
    return bool(a) and bool(b) and not a & b


#: acts (not statements) that happen in one place: two of a day in two towns are two events
#: (ACLED codes one event per place and day)
PLACED_ACTS = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "RETREAT", "AID"})


def _held(a: Place, b: Place) -> bool:
    """Whether place ``a`` is a division holding ``b`` (a province and a town of it)."""
    return a.name is not None and a.name in (b.admin1_name, b.admin2)


def _apart(k: Event, e: Event) -> bool:
    """Two acts each placed by its own text in a different town, site or village ("attacked
    an army post in Djibo" and "ambushed a convoy near Solle" the same day): two events.
    A country, a region, a division holding the other place or a place taken from the
    dateline or the story's context says nothing against one event."""
    a, b = k.location, e.location
    if a is None or b is None or k.type not in PLACED_ACTS or a.name == b.name:
        return False
    if k.location_basis != "text" or e.location_basis != "text":
        return False
    if {a.kind, b.kind} & {"country", "region"} or _held(a, b) or _held(b, a):
        return False
    return True


def _different_sources(k: Event, e: Event) -> bool:
    """Both sources are described by what they are and nothing they are is shared ("armed men
    attacked the home ... before security forces killed their leader", both given the country
    of the story): two acts by two sides, though their countries agree. (Kept for two
    sentences too, where the held-out sets gained: "The attackers first targeted a patrol"
    after "Militants killed six soldiers" is then an act of its own.)"""
    a = {x for s in k.source for x in s.sectors}
    b = {x for s in e.source for x in s.sectors}
    return bool(a) and bool(b) and not a & b


def same_event(kept: list[Event], e: Event) -> tuple[Event, Event] | None:
    """A kept event of the same type, modality and actors whose dates overlap ``e``'s (a
    mention dated by the report merges with a text-dated one on that day), unless the two
    name different targets within one country or are acts placed in two different towns."""
    twin = next((k for k in kept if _key(k) == _key(e) and k.date.start <= e.date.end
                 and e.date.start <= k.date.end and not _different_targets(k, e)
                 and not _different_sources(k, e)
                 and not (k.mode and e.mode and k.mode != e.mode) and not _apart(k, e)), None)
    return (twin, e) if twin is not None else None


def targetless_twin(kept: list[Event], e: Event) -> tuple[Event, Event] | None:
    """A kept partial twin of ``e`` in its sentence; the fuller mention (the one whose target
    is coded) takes the other's place in ``kept``."""
    twin = next((k for k in kept if _partial_twin(k, e)), None)
    if twin is None:
        return None
    if uncoded(twin.target) and not uncoded(e.target):
        kept[kept.index(twin)] = e  # keep the fuller mention, fold the other in
        return e, twin
    return twin, e


def merge_duplicates(events: list[Event],
                     matchers: Iterable[Matcher] = (same_event, targetless_twin),
                     ) -> list[Event]:
    """Merge mentions of one event in an article: the first matcher that finds a kept event
    ``e`` tells again folds ``e`` into it."""
    matchers = tuple(matchers)
    kept: list[Event] = []
    for e in events:
        pair = next((p for m in matchers if (p := m(kept, e)) is not None), None)
        if pair is None:
            kept.append(e)
            continue
        twin, e = pair
        better = (e.date.basis == "text" and twin.date.basis != "text") or (
            e.date.basis == twin.date.basis and e.confidence > twin.confidence)
        if better:
            twin.date, twin.time = e.date, e.time
        if twin.location is None:
            twin.location, twin.location_basis = e.location, e.location_basis
        if _named(e.source) > _named(twin.source):
            twin.source = e.source  # "rebels entered Damascus", then "HTS seized Damascus"
        twin.confidence = max(twin.confidence, e.confidence)
        told = {m.start for m in twin.mentions} | {twin.trigger.start}
        twin.mentions = sorted([*twin.mentions, *(m for m in (e.trigger, *e.mentions)
                                                  if m.start not in told)],
                               key=lambda m: m.start)
    return kept
