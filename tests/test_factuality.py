"""The learned factuality model (stages/factuality.py) on sentences written for this test."""

from __future__ import annotations

import pytest

from tidings.stages.factuality import CLASSES, factuality, features, load_model, probabilities


@pytest.fixture(scope="module")
def nlp():
    from tidings.parse import load_nlp

    return load_nlp()


def _tok(nlp, sentence: str, word: str):
    doc = nlp(sentence)
    return next(t for t in doc if t.text == word)


def test_factuality_model_ships_with_its_card_fields() -> None:
    m = load_model()
    assert m is not None and set(m["classes"]) == set(CLASSES)
    assert m["meta"]["trained_on"]["train_events"] > 10_000
    assert m["meta"]["scores"]["dev"]["model"]["macro_f1"] > m["meta"]["scores"]["dev"]["rules"][
        "macro_f1"], "the model is kept only while it beats the rules on dev"


@pytest.mark.parametrize("sentence,word,expected", [
    ("Rebels attacked the convoy near the border on Sunday.", "attacked", "asserted"),
    ("The president did not travel to the summit in Abuja.", "travel", "negated"),
    ("The minister never signed the agreement.", "signed", "negated"),
    ("The army would withdraw if the talks failed.", "withdraw", "uncertain"),
    ("Officials said the troops may leave next year.", "leave", "uncertain"),
])
def test_factuality_clear_cases(nlp, sentence: str, word: str, expected: str) -> None:
    assert factuality(_tok(nlp, sentence, word)) == expected


def test_factuality_probabilities_sum_to_one(nlp) -> None:
    p = probabilities(_tok(nlp, "Police arrested three men in Kano.", "arrested"))
    assert p is not None and abs(sum(p.values()) - 1.0) < 1e-9


def test_factuality_features_see_negation_on_the_governing_verb(nlp) -> None:
    f = features(_tok(nlp, "They did not agree to withdraw.", "withdraw"))
    assert "L1:neg" in f and "anyneg" in f


def test_factuality_without_a_model_is_none(nlp) -> None:
    assert factuality(_tok(nlp, "Rebels attacked.", "attacked"), model={}) is None
