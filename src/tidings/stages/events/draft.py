"""What the events stage carries between its steps: a trigger candidate, then a draft event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from ...model import Actor, Place, Time


@dataclass
class Candidate:
    """A trigger found by the lexicon, with the PLOVER type and mode it gives."""

    trigger: Any  # the token the event hangs on (verb, or noun for nominal events)
    type: str
    mode: str | None
    noun: Any = None  # the event noun for light verbs and nominal events
    lexical_score: float = 0.7

    @property
    def happened(self) -> bool:
        """Whether the trigger is a verb that only says its subject, the event noun,
        happened ("clashes erupted in Tripoli", "gunfire was heard near the palace"): the
        noun's own phrases name the actors."""
        return self.noun is not None and self.noun.dep_ in ("nsubj", "nsubjpass") and \
            self.noun.head.i == self.trigger.i


class Marks(NamedTuple):
    """What the auxiliaries, negation and governing verbs of a trigger mark."""

    negated: bool = False
    future: bool = False
    hypothetical: bool = False
    historical: bool = False
    #: historical only because of a past perfect outside reported speech ("had imposed"): a
    #: recent text date makes it news again (see find)
    pluperfect: bool = False


@dataclass
class Draft:
    """A candidate with its roles, on its way to an Event: the coding rules read and set it."""

    cand: Candidate
    sent: Any
    source: list[Actor]
    target: list[Actor]
    time: Time | None = None
    modality: str = "asserted"
    marks: Marks | None = None  # what the auxiliaries, negation and governing verbs mark
    location: Place | None = None  # the event's place, attached by the parse
    sentence_place: Place | None = None  # the first place the sentence names (literal use)
    first_type: str | None = None  # the lexicon's type, before re-typing and the type rules
    #: no actor named: kept only when a place of its own is attached (see needs-actor)
    placed_only: bool = False
    #: the sources are the sides of a reciprocal act ("fighting between A and B"): no target
    reciprocal: bool = False

    @property
    def where(self) -> Place | None:
        """The event's place, else the sentence's."""
        return self.location or self.sentence_place
