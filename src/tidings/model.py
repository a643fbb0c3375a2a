"""Records shared by every stage: Article in, Document out.

The JSON produced by :meth:`Document.to_dict` is the output contract of DESIGN section 3
and is validated against ``schema/document.schema.json`` in the tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
MODALITIES: tuple[str, ...] = ("asserted", "negated", "hypothetical", "future", "historical")
SECTORS: tuple[str, ...] = (
    "GOV", "MIL", "REB", "OPP", "PTY", "POL", "JUD", "BUS", "MED", "CVL", "REF", "IGO", "NGO",
    "REL", "LAB", "EDU", "HLH", "CRM", "UNK",
)
PLACE_USAGES: tuple[str, ...] = ("literal", "demonym", "metonymy", "other")
GRANULARITIES: tuple[str, ...] = (
    "second", "minute", "hour", "day", "week", "month", "season", "quarter", "year",
    "decade", "century", "unknown",
)


@dataclass
class Article:
    """One input item as a reader produced it, before any analysis."""

    text: str
    published: date
    title: str | None = None
    section: str | None = None
    source: str | None = None
    url: str | None = None
    id: str = ""
    origin: str | None = None  # file path (and line) the article came from
    meta: dict[str, Any] = field(default_factory=dict)
    #: ISO 639-1 language to read the article in ("en", "fr"); None = detect it
    language: str | None = None


@dataclass
class Time:
    """A TIMEX3 temporal expression normalised against the publication date."""

    text: str
    start: int
    end: int
    type: str  # DATE, TIME, DURATION, SET
    value: str
    mod: str | None = None
    granularity: str = "unknown"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Place:
    """A toponym with its resolution in the gazetteer (or none)."""

    text: str
    start: int
    end: int
    name: str | None
    geonameid: int | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    kind: str  # country, admin1, admin2, admin3, city, region, feature, unresolved
    usage: str = "literal"
    score: float = 1.0
    #: names of the first- and second-level divisions holding the place (``admin1`` is the
    #: GeoNames code of the first); None for countries, regions and features
    admin1_name: str | None = None
    admin2: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("score")
        d["score"] = round(self.score, 3)
        return d


@dataclass
class Actor:
    """A political actor mention resolved against the actor knowledge base."""

    text: str
    start: int
    end: int
    name: str
    country: str | None
    sector: str | None
    kb_id: str | None = None
    sectors: list[str] = field(default_factory=list)  # every sector code ("junta": GOV, MIL)
    #: where ``country`` comes from when the mention does not name it: "place" (the country
    #: where the event happens), "target" (the target's, a domestic event), "source" (an
    #: unnamed target of a domestic act: the source's own country), "context" (a
    #: titled person the knowledge base does not know: the country the sentence or article is
    #: about), "focus" (no country in the sentence: the country the article is about, see
    #: the rules focus-target and focus-local-actors) or "antecedent" (a body named by "its"
    #: or "their": the state the pronoun refers back to); None = the mention or its
    #: knowledge-base entry
    country_basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EventDate:
    start: str
    end: str
    granularity: str
    basis: str  # "text", "published", or "context" (the story's day, rule story-day)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Span:
    start: int
    end: int
    text: str | None = None


@dataclass
class Event:
    """A PLOVER event: who did what to whom, where and when, with its evidence."""

    id: str
    type: str
    mode: str | None
    confidence: float
    modality: str
    trigger: Span
    sentence: Span
    source: list[Actor]
    target: list[Actor]
    location: Place | None
    time: Time | None
    date: EventDate
    reported_by: list[Actor] = field(default_factory=list)
    #: counts stated in the evidence: killed, injured, arrested, crowd (PLOVER size fields)
    magnitudes: dict[str, int] = field(default_factory=dict)
    #: the triggers of the event's other mentions in the article, in text order: mentions the
    #: within-article merge folded into it ("withdrawal" in the headline, "withdrew" in the
    #: body) and the participles and conjuncts that tell the same act in its clause ("hit a
    #: trolleybus ..., killing 8 people")
    mentions: list[Span] = field(default_factory=list)
    #: where ``location`` comes from: "text" (attached to the event by the parse),
    #: "dateline" (no place in the event's sentence: the place the story was filed from),
    #: "context" (no place in its sentence and no dateline: the town the article names most,
    #: in the country of the event's actors)
    location_basis: str | None = None
    #: calibrated per-field confidences (type, source, place, date; None = not estimated),
    #: set by ``stages/events/confidence.py``
    confidences: dict[str, float | None] = field(default_factory=dict)
    #: the confidence calibrator's features of the mention (never serialised)
    features: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "confidence": round(self.confidence, 3),
            "modality": self.modality,
            "trigger": {"text": self.trigger.text, "start": self.trigger.start,
                        "end": self.trigger.end},
            "sentence": {"start": self.sentence.start, "end": self.sentence.end},
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "location": self.location.to_dict() if self.location else None,
            "location_basis": self.location_basis if self.location else None,
            "time": self.time.to_dict() if self.time else None,
            "date": self.date.to_dict(),
            "reported_by": [a.to_dict() for a in self.reported_by],
            "magnitudes": dict(self.magnitudes),
            "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in self.mentions],
        }
        if self.confidences:
            out["confidences"] = {k: None if v is None else round(v, 3)
                                  for k, v in self.confidences.items()}
        return out


@dataclass
class Document:
    """An article with everything the stages found in it."""

    id: str
    published: date
    text: str
    title: str | None = None
    section: str | None = None
    source: str | None = None
    url: str | None = None
    #: ISO 639-1 language the article was read in ("en", "fr")
    language: str = "en"
    times: list[Time] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    doc: Any = None  # the spaCy Doc: one parse shared by every stage, never serialised

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready dict of DESIGN section 3."""
        return {
            "id": self.id,
            "published": self.published.isoformat(),
            "title": self.title,
            "section": self.section,
            "source": self.source,
            "url": self.url,
            "language": self.language,
            "text": self.text,
            "times": [t.to_dict() for t in self.times],
            "places": [p.to_dict() for p in self.places],
            "actors": [a.to_dict() for a in self.actors],
            "events": [e.to_dict() for e in self.events],
        }
