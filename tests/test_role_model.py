"""The role scorer's features and its training split (issue 14, step 3), on sentences written
for this test; the model itself does not ship (BENCHMARKS.md, "Learned components")."""

from __future__ import annotations

import pytest

from tidings.stages.events.role_model import features, load_model, probabilities
from tidings.train.roles import part


@pytest.fixture(scope="module")
def nlp():
    from tidings.parse import load_nlp

    return load_nlp()


def _tok(doc, word: str):
    return next(t for t in doc if t.text == word)


def test_role_model_features_read_the_path_and_voice(nlp):
    doc = nlp("Rebels attacked an army convoy near Gao on Sunday.")
    subj = features(_tok(doc, "attacked"), _tok(doc, "Rebels"), kind="ASSAULT")
    obj = features(_tok(doc, "attacked"), _tok(doc, "convoy"), kind="ASSAULT")
    assert "path=|nsubj" in subj and "dir=before" in subj and "voice=active" in subj
    assert "path=|dobj" in obj and "type=ASSAULT&down=dobj" in obj
    passive = nlp("An army convoy was attacked by rebels near Gao.")
    agent = features(_tok(passive, "attacked"), _tok(passive, "rebels"))
    assert "voice=passive" in agent and "prep0=prep:by" in agent


def test_role_model_light_verb_reads_the_noun_phrases(nlp):
    doc = nlp("US troops completed their withdrawal from Niger on Sunday.")
    f = features(_tok(doc, "completed"), _tok(doc, "Niger"), noun=_tok(doc, "withdrawal"))
    assert "light" in f and "path=|prep:from/pobj" in f


def test_role_model_without_a_model_is_none(nlp, tmp_path):
    doc = nlp("Rebels attacked the convoy.")
    assert load_model(str(tmp_path / "absent.json")) is None
    assert probabilities(_tok(doc, "attacked"), _tok(doc, "Rebels"), model={}) is None


def test_role_model_split_is_fixed_by_document():
    assert part("m2e2", "VOA_EN_NW_2009.12.09.416313") == part("m2e2",
                                                              "VOA_EN_NW_2009.12.09.416313")
    assert {part("zsp", str(i)) for i in range(60)} == {"train", "dev", "test"}
