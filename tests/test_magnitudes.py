"""Magnitudes stated in evidence sentences: killed, injured, arrested, abducted, crowd."""

from __future__ import annotations

import pytest

from tidings.stages.magnitudes import attach, find_magnitudes, parse_number
from tidings.model import Event, EventDate, Span


@pytest.mark.parametrize("text,kind,value", [
    ("Militants ambushed a convoy, killing at least 15 civilians.", "killed", 15),
    ("Three soldiers were wounded in the attack.", "injured", 3),
    ("Police arrested 42 protesters in Dakar.", "arrested", 42),
    ("Thousands marched through the capital.", "crowd", 1000),
    ("Gunmen abducted 287 pupils from a school.", "abducted", 287),
    ("More than 2,000 people were displaced by the fighting.", "displaced", 2000),
    ("Between 10 and 15 people were injured.", "injured", 10),
    ("Twenty-one soldiers died in the ambush.", "killed", 21),
    ("Dozens of protesters were arrested by police.", "arrested", 12),
    ("The death toll rose to 23 on Friday.", "killed", 23),
    ("A crowd of about 5,000 gathered outside parliament.", "crowd", 5000),
    ("at least five civilians, including two children, were killed", "killed", 5),
    ("Tens of thousands of people took to the streets.", "crowd", 10000),
])
def test_find_magnitudes(text, kind, value):
    found = {(m.kind, m.value) for m in find_magnitudes(text)}
    assert (kind, value) in found, found


@pytest.mark.parametrize("text", [
    "In 2022 the army killed nobody.",
    "The convoy of about 30 vehicles was carrying fuel.",
])
def test_no_false_counts(text):
    assert find_magnitudes(text) == []


def test_parse_number():
    assert parse_number("1,200") == (1200, False)
    assert parse_number("two hundred") == (200, False)
    assert parse_number("dozens") == (12, True)
    assert parse_number("2.5 million") == (2_500_000, False)
    assert parse_number("2023") is None


def _event(start: int, type_: str, sent: tuple[int, int]) -> Event:
    return Event(id=f"e{start}", type=type_, mode=None, confidence=0.8, modality="asserted",
                 trigger=Span(start, start + 5, "x"), sentence=Span(*sent), source=[],
                 target=[], location=None, time=None,
                 date=EventDate("2024-01-01", "2024-01-01", "day", "published"))


def test_attach_prefers_the_right_event_type():
    text = "Police arrested 42 protesters after thousands marched in Nairobi."
    ms = find_magnitudes(text)
    coerce = _event(text.index("arrested"), "COERCE", (0, len(text)))
    protest = _event(text.index("marched"), "PROTEST", (0, len(text)))
    attach(ms, [coerce, protest])
    assert coerce.magnitudes == {"arrested": 42}
    assert protest.magnitudes == {"crowd": 1000}


def test_add_magnitudes_on_a_parsed_document():
    import tidings
    from tidings.stages.magnitudes import add_magnitudes

    doc = tidings.extract("Malian militants ambushed a Malian army convoy near Gao on Tuesday,"
                          " killing at least 11 soldiers.", published="2024-02-14")
    add_magnitudes(doc)
    assert any(e.magnitudes.get("killed") == 11 for e in doc.events), doc.events
