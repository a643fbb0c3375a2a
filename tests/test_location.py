"""Unit tests of event-location attachment (tidings.stages.location) and the evloc reader."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tidings.eval.evloc import half_of, read_evloc
from tidings.stages.location import attached_place, candidate_places, load_ranker
from tidings.parse import load_nlp
from tidings.stages.places import find_places


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def locate(nlp: Any, text: str, verb: str, ranker: dict[str, Any] | None = None) -> str | None:
    """The text of the place attached to the first token ``verb`` of ``text`` (or None)."""
    doc = nlp(text)
    trigger = next(t for t in doc if t.text == verb)
    place = attached_place(trigger, find_places(doc), ranker=ranker)
    if place is not None:
        assert text[place.start:place.end] == place.text
    return place.text if place is not None else None


@pytest.mark.parametrize("ranker", [None, {}], ids=["ranker", "rules"])
@pytest.mark.parametrize("text,verb,want", [
    ("Shelling hit a trolleybus in Donetsk on Thursday killing 8 people.", "hit", "Donetsk"),
    ("Gunmen stormed the village of Mainok on Sunday.", "stormed", "Mainok"),
    ("Two soldiers were killed in an ambush near Gao on Monday.", "killed", "Gao"),
    ("Police arrested 12 protesters in Nairobi on Friday.", "arrested", "Nairobi"),
])
def test_attached_place(nlp: Any, ranker: Any, text: str, verb: str, want: str) -> None:
    assert locate(nlp, text, verb, ranker) == want


@pytest.mark.parametrize("text,verb", [
    ("The minister said the talks would resume next week.", "said"),
    ("Death tolls have varied widely since the start of the month.", "varied"),
])
def test_no_place_no_location(nlp: Any, text: str, verb: str) -> None:
    assert locate(nlp, text, verb) is None
    assert locate(nlp, text, verb, {}) is None


def test_unlisted_toponym_in_place_context_is_a_candidate(nlp: Any) -> None:
    text = "Government troops captured the town of Najarah on Friday."
    doc = nlp(text)
    trigger = next(t for t in doc if t.text == "captured")
    cands = candidate_places(trigger, [])  # no places at all: the cue still finds it
    assert [p.text for p, _ in cands] == ["Najarah"]
    assert cands[0][0].name == "Najarah" and cands[0][0].kind == "unresolved"
    assert cands[0][0].lat is None and cands[0][0].country is None  # no places: no focus
    assert locate(nlp, text, "captured") == "Najarah"


def test_clock_time_is_no_candidate_place(nlp: Any) -> None:
    # the tagger labels "A.M." after a number GPE; a clock time is never where it happened
    text = "The attack began around 10 A.M. (Damascus Time) when fighters stormed the base."
    doc = nlp(text)
    trigger = next(t for t in doc if t.text == "began")
    assert "A.M." not in [p.text for p, _ in candidate_places(trigger, find_places(doc))]


def test_more_specific_place_wins(nlp: Any) -> None:
    text = "A bomb killed three people in the town of Baiji in Iraq on Monday."
    assert locate(nlp, text, "killed") == "Baiji"


def test_ranker_weights_are_json_and_fast(nlp: Any) -> None:
    model = load_ranker()
    assert model is not None and model["weights"]
    assert model["trained_on"]["half"] == "train"
    doc = nlp("Gunmen opened fire on a bus in Peshawar, killing four people, police said.")
    places = find_places(doc)
    trigger = next(t for t in doc if t.text == "killing")
    t0 = time.perf_counter()
    for _ in range(200):
        attached_place(trigger, places)
    assert (time.perf_counter() - t0) / 200 < 0.005


def test_no_trigger_or_no_candidates(nlp: Any) -> None:
    assert attached_place(None, []) is None
    doc = nlp("They met.")
    assert attached_place(doc[1], []) is None


def test_read_evloc_repairs_token_offsets_and_keeps_accepted_empty(tmp_path: Path) -> None:
    rows = [
        # token indices in the char fields (start == end == token index); the text is right
        {"text": "In the neighboring province of Ingushetia, troops clashed with rebels.",
         "label": "LOCATION", "spans": [
             {"start": 50, "end": 57, "token_start": 8, "label": "VERB", "text": "clashed"},
             {"start": 5, "end": 5, "token_start": 5, "label": "LOCATION",
              "text": "Ingushetia"}]},
        # a Prodigy location pass accepted with no LOCATION: gold "no location"
        {"text": "Jaish Alislam said that this was the biggest attack.", "label": "LOCATION",
         "spans": [{"start": 14, "end": 18, "label": "VERB"}]},
        # a location text not in the sentence: unknown gold, skipped
        {"text": "Rebels attacked a base.", "spans": [
            {"start": 7, "end": 15, "label": "VERB"},
            {"start": 1, "end": 1, "label": "LOCATION", "text": "Gao"}]},
    ]
    path = tmp_path / "evloc.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    data = read_evloc(path)
    assert data.skipped == 1 and data.repaired == 1
    first, second = data.records
    s, e = first.locations[0]
    assert first.text[s:e] == "Ingushetia"
    assert first.text[slice(*first.verb)] == "clashed"
    assert second.locations == []
    assert first.half in ("train", "test") and half_of(first.text) == first.half


def test_event_noun_phrase_of_a_light_verb(nlp: Any) -> None:
    text = "US troops have completed their withdrawal from Niger, the Pentagon said."
    doc = nlp(text)
    trigger = next(t for t in doc if t.text == "completed")
    noun = next(t for t in doc if t.text == "withdrawal")
    place = attached_place(trigger, find_places(doc), noun)
    assert place is not None and place.text == "Niger"


@pytest.mark.parametrize(("text", "want", "basis"), [
    # the place in the event's own clause wins over the dateline in the same sentence
    ("NIAMEY, Niger — Gunmen attacked a Nigerien army patrol near Banibangou on Sunday, "
     "killing 12 soldiers, the army said.", "Banibangou", "text"),
    # no place in the clause: the dateline is the fallback, and says so
    ("NIAMEY, Niger — Nigerien soldiers arrested 12 suspected militants on Sunday, the army "
     "said.", "NIAMEY", "dateline"),
])
def test_location_dateline_is_the_fallback(text: str, want: str, basis: str) -> None:
    from datetime import date

    import tidings

    doc = tidings.extract(text, published=date(2024, 5, 1))
    ev = doc.events[0]
    assert ev.location is not None and ev.location.text == want
    assert ev.location_basis == basis
    assert ev.to_dict()["location_basis"] == basis


def test_location_context_is_the_story_town_of_the_actors_country() -> None:
    from datetime import date

    import tidings

    text = ("Militants attacked a gendarmerie school in Bamako, Mali, on Tuesday. The attack "
            "on Bamako was the boldest in years.\n\nMalian security forces arrested 20 "
            "suspects on Wednesday, the army said.\n\nFrance condemned the attack on "
            "Wednesday.")
    doc = tidings.extract(text, published=date(2024, 9, 18))
    arrest = next(e for e in doc.events if e.trigger.text == "arrested")
    # no place in its sentence and no dateline: the town the story is about, and says so
    assert arrest.location is not None and arrest.location.name == "Bamako"
    assert arrest.location_basis == "context"
    # an actor of another country: the story's town is not where it acted
    condemned = [e for e in doc.events if e.trigger.text == "condemned"]
    assert condemned and condemned[0].location is None


def test_location_end_to_end_eval(tmp_path: Path) -> None:
    from tidings.eval.evloc import evaluate_end_to_end

    path = tmp_path / "evloc.jsonl"
    text = "Gunmen attacked soldiers in Gao on Sunday."
    spans = [{"start": 8, "end": 16, "label": "VERB", "text": "attacked"},
             {"start": 28, "end": 31, "label": "LOCATION", "text": "Gao"}]
    no_event = "The weather was fine in Gao."
    path.write_text(json.dumps({"text": text, "spans": spans}) + "\n"
                    + json.dumps({"text": no_event, "spans": [
                        {"start": 12, "end": 15, "label": "VERB", "text": "was"},
                        {"start": 24, "end": 27, "label": "LOCATION", "text": "Gao"}]}) + "\n",
                    encoding="utf-8")
    r = evaluate_end_to_end(path)
    assert r["sentences"] == 2 and r["found"] == 1
    assert r["accuracy"] == 0.5 and r["accuracy_found"] == 1.0
    assert r["annotated"]["sentences"] == 2


def test_end_to_end_eval_finds_the_event_at_one_of_its_mentions(tmp_path: Path) -> None:
    """The gold verb "killing" is a mention of the bombing (one event, told twice in its
    clause): the event is found there, and its place is judged."""
    from tidings.eval.evloc import evaluate_end_to_end

    path = tmp_path / "evloc.jsonl"
    text = ("A suicide bomber detonated his explosives in a market in Gombe on Friday, "
            "killing five shoppers.")
    verb, place = text.index("killing"), text.index("Gombe")
    spans = [{"start": verb, "end": verb + 7, "label": "VERB", "text": "killing"},
             {"start": place, "end": place + 5, "label": "LOCATION", "text": "Gombe"}]
    path.write_text(json.dumps({"text": text, "spans": spans}) + "\n", encoding="utf-8")
    r = evaluate_end_to_end(path)
    assert r["found"] == 1 and r["accuracy"] == 1.0


def test_evloc_verb_only_records_are_reported_apart(tmp_path: Path) -> None:
    """An RA verb-only record (no LOCATION span) counts as "no location" in ``accuracy`` but
    is left out of ``annotated``: nobody annotated its location."""
    from tidings.eval.evloc import evaluate_end_to_end

    path = tmp_path / "evloc.jsonl"
    rows = [{"text": "Gunmen attacked soldiers in Gao on Sunday.", "spans": [
                {"start": 8, "end": 16, "label": "VERB", "text": "attacked"},
                {"start": 28, "end": 31, "label": "LOCATION", "text": "Gao"}]},
            {"text": "Rebels killed ten soldiers in Menaka.", "annotator": "RA", "spans": [
                {"start": 7, "end": 13, "label": "VERB", "text": "killed"}]}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    data = read_evloc(path)
    assert [r.verb_only for r in data.records] == [False, True]
    r = evaluate_end_to_end(path)
    assert r["sentences"] == 2 and r["annotated"]["sentences"] == 1
    assert r["annotated"]["accuracy"] == 1.0


def test_a_site_in_a_known_town_is_placed_at_the_town(nlp: Any) -> None:
    """An unresolved palace "in Khartoum" gives the event the town (coordinates to map), and
    the mention stays the palace's: it is what the text names as the place of the act."""
    doc = nlp("The army said it had taken full control of the Republican Palace in Khartoum.")
    trigger = next(t for t in doc if t.text == "taken")
    place = attached_place(trigger, find_places(doc))
    assert place is not None and place.name == "Khartoum" and place.lat is not None
    assert place.text == "Republican Palace" and doc.text[place.start:place.end] == place.text


def test_a_lowercase_word_is_no_toponym(nlp: Any) -> None:
    """"in absentia" is Latin, not a place the gazetteer lacks."""
    doc = nlp("A military court in Kinshasa sentenced the former president to death in absentia.")
    assert all(p.text != "absentia" for p in find_places(doc))
    trigger = next(t for t in doc if t.text == "sentenced")
    assert all(p.text != "absentia" for p, _ in candidate_places(trigger, find_places(doc)))


def test_location_an_organisation_name_is_no_candidate_place():
    from tidings.parse import load_nlp
    from tidings.stages.location import candidate_places

    doc = load_nlp()("Government troops shelled Jaysh Al-Izza and the Free Syrian Army "
                     "near Kafr Zita on Sunday.")
    verb = next(t for t in doc if t.text == "shelled")
    names = [p.text for p, _ in candidate_places(verb, [])]
    assert not any("Jaysh" in n or "Army" in n for n in names), names
    assert any("Kafr Zita" in n for n in names), names
