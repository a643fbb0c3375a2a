"""The parse repairs added to the spaCy pipeline (tidings.parse)."""

from __future__ import annotations

from typing import Any

import pytest

from tidings.parse import load_nlp


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


@pytest.mark.parametrize("text, word, head, dep", [
    ("The army launched a counter-offensive in northern Hama on Tuesday.", "offensive",
     "launched", "dobj"),
    ("The army said it had repelled a counter-attack by rebels.", "attack", "repelled", "dobj"),
    ("He is seeking re-election next year.", "election", "seeking", "dobj"),
    ("Tinubu was re-elected in February.", "elected", "elected", "ROOT"),
])
def test_a_hyphenated_word_is_headed_by_its_last_part(nlp: Any, text: str, word: str,
                                                      head: str, dep: str) -> None:
    doc = nlp(text)
    last = next(t for t in doc if t.text == word)
    assert (last.head.text, last.dep_) == (head, dep)
    for t in doc[last.i - 2:last.i]:
        assert t.head.i == last.i, t.text
    assert doc[last.i - 1].pos_ == "PUNCT"


def test_hyphen_repair_keeps_a_tree_and_the_tokens(nlp: Any) -> None:
    text = ("Al-Qaeda-linked fighters and pro-government militias clashed in Port-au-Prince, "
            "a so-called counter-terrorism operation in Guinea-Bissau.")
    doc = nlp(text)
    assert doc.text == text and [t.text for t in doc][:5] == ["Al", "-", "Qaeda", "-", "linked"]
    for sent in doc.sents:
        assert sum(t.head.i == t.i for t in sent) == 1
        assert sent.root is not None
    for t in doc:
        seen = set()
        while t.head.i != t.i:
            assert t.i not in seen
            seen.add(t.i)
            t = t.head
