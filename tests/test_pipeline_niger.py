"""The example that defines the job: ../shared/examples/niger_withdrawal.txt (issues 2, 3)."""

from __future__ import annotations

import pytest


def _times(doc):
    return {t.text.lower(): t for t in doc.times}


def test_issue2_niger_retreat_event(niger_doc):
    retreats = [e for e in niger_doc.events if e.type == "RETREAT" and e.modality == "asserted"]
    assert retreats, [(e.type, e.trigger.text) for e in niger_doc.events]
    main = [e for e in retreats if any(a.country == "USA" for a in e.source)]
    assert main, "no RETREAT with a USA source"
    e = main[0]
    assert e.date.start == "2024-09-16" and e.date.end == "2024-09-16"
    assert e.location is not None and e.location.country == "NER"


@pytest.mark.parametrize("text,value", [("last month", "2024-08"), ("april", "2024-04"),
                                        ("last year", "2023"), ("monday", "2024-09-16"),
                                        ("earlier this year", "2024")])
def test_issue2_niger_times(niger_doc, text, value):
    # TimeML spans leave the preposition out: "In April" is tagged "April"
    hits = [t for k, t in _times(niger_doc).items() if k == text]
    assert hits and hits[0].value == value


def test_issue3_niger_event_dates(niger_doc):
    by_trigger = {e.trigger.text: e for e in niger_doc.events}
    handed = by_trigger["handed"]
    assert (handed.date.start, handed.date.granularity, handed.date.basis) == (
        "2024-08-01", "month", "text")
    reinforce = [e for e in niger_doc.events if e.type in ("AID", "COOPERATE")
                 and any(a.country == "RUS" for a in e.source)]
    assert reinforce and reinforce[0].date.start == "2024-04-01"
    ended = by_trigger["ended"]
    assert ended.date.granularity == "year" and ended.date.start == "2024-01-01"
    assert ended.date.end <= "2024-09-16"


@pytest.mark.parametrize("name,iso3", [("Niger", "NER"), ("Russia", "RUS"), ("Mali", "MLI"),
                                       ("Benin", "BEN"), ("Togo", "TGO")])
def test_issue2_niger_places_resolve_to_countries(niger_doc, name, iso3):
    found = [p for p in niger_doc.places if p.text == name]
    assert found, f"{name} not found as a place"
    assert all(p.country == iso3 and p.kind == "country" for p in found if p.usage == "literal")


def test_issue2_niger_is_never_a_person(niger_doc):
    ents = {(e.text, e.label_) for e in niger_doc.doc.ents if e.text == "Niger"}
    assert ents and all(label == "GPE" for _, label in ents)


def test_issue2_niger_background_is_not_an_event(niger_doc):
    text = niger_doc.text
    for e in niger_doc.events:
        sentence = text[e.sentence.start:e.sentence.end]
        if "is active in" in sentence or "operate in the vast region" in sentence:
            assert e.modality != "asserted", (e.type, e.trigger.text, sentence)


def test_issue2_niger_dates_have_basis(niger_doc):
    for e in niger_doc.events:
        assert e.date.basis in ("text", "published")
        if e.date.basis == "published":
            assert e.time is None and e.date.start == "2024-09-16"
