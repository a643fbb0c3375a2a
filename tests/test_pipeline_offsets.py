"""Offsets in a Document index the text the caller passed to ``tidings.extract`` (DESIGN §3).

TimeML and geoparsing corpora start with blank lines and some use ``\\r\\n``; cleaning the text
for the parser once shifted every offset by what it dropped (issue 13).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tidings
from tidings.readers import clean_positions, read_text

ARTICLE = ("Russian troops attacked Ukrainian positions near Kharkiv on Monday, the army said.\n"
           "\n"
           "Last month, US troops withdrew from Niger after the junta in Niamey ended a\n"
           "military agreement with Washington.\n"
           "\n"
           "Police fired tear gas at protesters in Dakar on Friday.\n")
#: what the readers make of ARTICLE (the hard-wrapped line joined, the last line end dropped)
CLEAN = ARTICLE.strip().replace("a\nmilitary", "a military")


def _mentions(doc: tidings.Document) -> dict[str, list[Any]]:
    return {"times": doc.times, "places": doc.places, "actors": doc.actors,
            "triggers": [e.trigger for e in doc.events]}


def _without_offsets(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_offsets(v) for k, v in value.items()
                if k not in ("start", "end", "text")}
    if isinstance(value, list):
        return [_without_offsets(v) for v in value]
    return value


@pytest.fixture(scope="module")
def clean_doc() -> tidings.Document:
    doc = tidings.extract(CLEAN, published="2024-09-16")
    assert doc.text == CLEAN
    return doc


@pytest.mark.parametrize("variant", [
    pytest.param(ARTICLE, id="hard-wrapped"),
    pytest.param("\n\n\n" + ARTICLE, id="leading-blank-lines"),
    pytest.param(ARTICLE.replace("\n", "\r\n"), id="crlf"),
    pytest.param("\r\n \r\n\t" + ARTICLE.replace("\n", "\r\n") + "\r\n\r\n", id="both"),
    pytest.param("\ufeff\n" + ARTICLE.replace("the junta", "the jun-\nta").replace("  ", " "),
                 id="bom-and-broken-word"),
])
def test_issue13_offsets_index_callers_text(clean_doc: tidings.Document, variant: str) -> None:
    doc = tidings.extract(variant, published="2024-09-16")
    assert doc.text == variant
    mentions = _mentions(doc)
    assert all(mentions.values()), {k: len(v) for k, v in mentions.items()}
    for kind, found in mentions.items():
        for m in found:
            assert doc.text[m.start:m.end] == m.text, (kind, m)
    for ev in doc.events:
        assert ev.sentence.start <= ev.trigger.start < ev.trigger.end <= ev.sentence.end
        for rec in (*ev.source, *ev.target, ev.location, ev.time):
            if rec is not None:
                assert doc.text[rec.start:rec.end] == rec.text
    # the same extraction as from the clean text: only offsets (and a mention's line break) move
    assert _without_offsets(doc.to_dict()) == _without_offsets(clean_doc.to_dict())


def test_pipeline_offsets_shift_by_the_leading_blank_lines(clean_doc: tidings.Document) -> None:
    doc = tidings.extract("\n\n\n" + ARTICLE, published="2024-09-16")
    assert [(m.start, m.end) for m in doc.places] == [
        (m.start + 3, m.end + 3) for m in clean_doc.places]


def test_pipeline_offsets_of_clean_text_are_the_readers(clean_doc: tidings.Document) -> None:
    assert read_text(ARTICLE, published=date(2024, 9, 16)).text == CLEAN
    assert any(m.text == "Niger" for m in clean_doc.places)


def test_pipeline_read_keeps_the_cleaned_text(tmp_path: Any) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(("\r\n\r\n" + ARTICLE.replace("\n", "\r\n")).encode())
    (article,) = list(tidings.read(path, published=date(2024, 9, 16)))
    assert article.text == CLEAN


_CHARS = st.sampled_from(list("ab-. \n\r\t\x00\x0b\x0c\ufeff\xa0\u2028Zq,"))


@settings(max_examples=500, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=_CHARS, max_size=80))
def test_readers_clean_positions_align(text: str) -> None:
    try:
        clean = read_text(text, published=date(2024, 1, 1)).text
    except tidings.InputError:
        return
    pos = clean_positions(text, clean)
    assert len(pos) == len(clean)
    assert pos == sorted(pos)
    kept = [i for i, c in enumerate(clean) if c not in " \n"]
    assert all(text[pos[i]] == clean[i] for i in kept)
    assert len({pos[i] for i in kept}) == len(kept)
