"""Calibrated event confidence (issue 17): the runtime calibrator, the shipped weights, and the
labels its training command gives extracted events."""

from __future__ import annotations

import math
from datetime import date

import pytest

from tidings.model import Actor, Event, EventDate, Place, Span
from tidings.stages.events.confidence import (
    DATE_TEXT_PRECISION,
    calibrate,
    load_model,
    predict,
)
from tidings.train.confidence import PENTA, hand_score, label

RUS = Actor("Russian forces", 0, 14, "Russia", "RUS", "MIL")


def event(source: list[Actor], basis: str = "text", place: Place | None = None) -> Event:
    return Event("e", "ASSAULT", None, 0.7, "asserted", Span(15, 23, "attacked"), Span(0, 30),
                 source, [], place, None, EventDate("2024-09-15", "2024-09-15", "day", basis),
                 features={"bias": 1.0, "lexical": 0.75, "has_source": float(bool(source))})


def test_confidence_calibrate_sets_probabilities_per_field():
    model = {"weights": {"event": {"bias": -1.0, "lexical": 2.0},
                         "type": {"bias": 0.5}, "source": {"has_source": 1.0}}}
    kyiv = Place("Kyiv", 0, 4, "Kyiv", 1, "UKR", None, 50.4, 30.5, "city", score=0.95)
    e, bare = event([RUS], place=kyiv), event([], basis="published")
    calibrate([e, bare], model)
    assert e.confidence == pytest.approx(1 / (1 + math.exp(-(-1.0 + 2.0 * 0.75))))
    assert e.confidences == {"type": pytest.approx(1 / (1 + math.exp(-0.5))),
                             "source": pytest.approx(1 / (1 + math.exp(-1.0))),
                             "place": 0.95, "date": DATE_TEXT_PRECISION}
    assert bare.confidences["source"] is None and bare.confidences["place"] is None
    assert bare.confidences["date"] is None  # dated by the report: not measured
    d = e.to_dict()
    assert d["confidence"] == round(e.confidence, 3) and set(d["confidences"]) == {
        "type", "source", "place", "date"}
    assert "features" not in d


def test_confidence_without_features_keeps_the_stored_value():
    e = event([RUS])
    e.features = {}
    calibrate([e], {"weights": {"event": {"bias": 5.0}, "type": {}, "source": {}}})
    assert e.confidence == 0.7 and e.confidences == {} and "confidences" not in e.to_dict()


def test_confidence_shipped_model_is_complete():
    m = load_model()
    assert m is not None and set(m["weights"]) == {"event", "type", "source"}
    for w in m["weights"].values():
        assert set(w) <= set(m["features"]) and "bias" in w
    assert m["trained_on"]["data_sha256"] and m["trained_on"]["C"] > 0


def test_confidence_train_labels_type_and_source():
    gsr = [{"types": ["ASSAULT"], "spans": [], "codes": ["RUS"]}]
    ev = {"type": "ASSAULT", "source_spans": [[0, 14]], "source_codes": ["RUS"]}
    assert label(ev, gsr) == {"type": True, "source": True, "event": True}
    assert label({**ev, "source_codes": ["UKR"]}, gsr)["event"] is False
    spans = [{"types": sorted(PENTA["Material Conflict"]), "spans": [[0, 10]], "codes": []}]
    assert label(ev, spans)["event"] is True
    assert label({**ev, "source_spans": [[20, 30]]}, spans) == {
        "type": True, "source": False, "event": False}
    statement = [{"types": sorted(PENTA["Make a Statement"]), "spans": [], "codes": []}]
    assert label({**ev, "source_spans": []}, statement) == {
        "type": False, "source": True, "event": False}
    # type and source must come from the same gold event (PLV: several pairs a sentence)
    two = [{"types": ["ACCUSE"], "spans": [[0, 5]], "codes": []},
           {"types": ["ASSAULT"], "spans": [[40, 50]], "codes": []}]
    assert label(ev, two) == {"type": True, "source": True, "event": False}


def test_confidence_hand_score_is_the_old_confidence():
    assert hand_score({"lexical": 0.75, "has_source": 1.0, "has_target": 1.0}) == \
        pytest.approx(0.95)
    assert hand_score({"lexical": 0.6, "modality=future": 1.0}) == pytest.approx(0.4)


def test_confidence_extracted_events_carry_calibrated_confidence():
    from tidings import extract

    doc = extract("Russian forces attacked Kyiv on Monday, Ukraine's military said.",
                  published=date(2024, 9, 17))
    assert doc.events
    m = load_model()
    for e in doc.events:
        assert e.features and e.confidence == pytest.approx(
            predict(e.features, m["weights"]["event"]))
        assert 0 < e.confidence < 1 and e.to_dict()["confidences"]["type"] is not None


def test_confidence_article_labels_follow_the_article_gold():
    from tidings.train.confidence import label_article

    text = ("Mali's army said on Monday it had arrested 49 Ivorian soldiers. The junta would "
            "bring them before the courts. Officials met later.")
    record = {"text": text,
              "events": [{"type": "COERCE", "source": ["MLI"],
                          "evidence": "it had arrested 49 Ivorian soldiers"}],
              "negatives": [{"evidence": "would bring them before the courts",
                             "why": "future", "not_type": None}]}

    def ev(word: str, etype: str, country: str | None, modality: str = "asserted"):
        i = text.index(word)
        return {"type": etype, "modality": modality, "trigger": [i, i + len(word)],
                "source_actors": [{"country": country, "name": None, "kb_id": None,
                                   "text": "army"}]}

    assert label_article(ev("arrested", "COERCE", "MLI"), record) == {
        "type": True, "source": True, "event": True}
    assert label_article(ev("arrested", "ASSAULT", "MLI"), record) == {
        "type": False, "source": True, "event": False}
    assert label_article(ev("arrested", "COERCE", "CIV"), record)["event"] is False
    # an asserted event in a negative statement is wrong; a future one there says nothing
    assert label_article(ev("bring", "ACCUSE", "MLI"), record) == {
        "type": False, "source": False, "event": False}
    assert label_article(ev("bring", "ACCUSE", "MLI", "future"), record) is None
    assert label_article(ev("met", "CONSULT", "MLI"), record) is None  # gold is silent


def test_confidence_article_split_keeps_the_blind_set_out():
    # the tuning sets train (the act-heavy dev_en2 and dev_en3 among them), the gates are the
    # test split, and the next blind set is read by nobody until its one held-out run
    from tidings.train.confidence import ARTICLE_TEST_SETS, ARTICLE_TRAIN_SETS

    assert {"dev_en", "dev_en2", "dev_en3"} <= set(ARTICLE_TRAIN_SETS)
    assert "unseen_en24" in ARTICLE_TEST_SETS
    assert not set(ARTICLE_TRAIN_SETS) & set(ARTICLE_TEST_SETS)
    assert "unseen_en25" not in ARTICLE_TRAIN_SETS + ARTICLE_TEST_SETS


def test_confidence_features_name_the_trigger_word_and_who_the_source_is():
    from tidings import extract

    doc = extract("Police arrested three opposition leaders in Lagos on Monday. Protesters "
                  "demanded their release.", published=date(2024, 9, 17))
    arrest = next(e for e in doc.events if e.type == "COERCE")
    assert arrest.features["lemma=arrest"] == 1.0
    assert arrest.features["source_sector=POL"] == 1.0
    assert "source_kb" in arrest.features and not any(
        k.endswith("&no_source") for k in arrest.features)
    # the shipped model has learnt weights for trigger words and source sectors
    m = load_model()
    assert any(k.startswith("lemma=") for k in m["weights"]["event"])
    assert any(k.startswith("source_sector=") for k in m["weights"]["event"])


def test_confidence_features_say_where_the_source_stands_to_the_trigger():
    from tidings import extract

    doc = extract("Police arrested three opposition leaders in Lagos on Monday.",
                  published=date(2024, 9, 17))
    arrest = next(e for e in doc.events if e.type == "COERCE")
    f = arrest.features
    assert f["source_in_subject"] == 1.0 and f["source_outside_sentence"] == 0.0
    assert f["source_far"] == 0.0
