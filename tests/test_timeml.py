"""The TimeML reader: plain text, DCT and gold TIMEX3 offsets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tidings.eval.timeml import iter_tml, parse_tml, read_tml

FIXTURE = Path(__file__).parent / "fixtures" / "tiny.tml"


def test_reads_dct_text_and_timexes() -> None:
    doc = read_tml(FIXTURE)
    assert doc.id == "TINY0001"
    assert doc.dct == date(2024, 9, 16)
    assert "<" not in doc.text and "officials & diplomats" in doc.text
    assert [t.text for t in doc.timexes] == ["Monday", "May", "four months",
                                            "earlier this year"]
    for t in doc.timexes:
        assert doc.text[t.start:t.end] == t.text
    first, _, dur, early = doc.timexes
    assert (first.type, first.value, first.mod) == ("DATE", "2024-09-16", None)
    assert (dur.type, dur.value) == ("DURATION", "P4M")
    assert early.mod == "START"


def test_iter_tml_expands_directories(tmp_path: Path) -> None:
    (tmp_path / "a.tml").write_text(FIXTURE.read_text())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.tml").write_text(FIXTURE.read_text())
    (tmp_path / "notes.txt").write_text("x")
    files = iter_tml([tmp_path])
    assert [f.name for f in files] == ["a.tml", "b.tml"]


def test_parse_tml_from_string_without_declaration() -> None:
    xml = ('<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="19980807">x</TIMEX3></DCT>'
           '<TEXT>Seen <TIMEX3 tid="t1" type="DATE" value="PRESENT_REF">now</TIMEX3>.</TEXT>'
           '</TimeML>')
    doc = parse_tml(xml)
    assert doc.dct == date(1998, 8, 7)
    assert doc.text == "Seen now."
    assert (doc.timexes[0].start, doc.timexes[0].end) == (5, 8)


def test_fixture_through_the_tagger() -> None:
    from tidings.stages.times import find_times

    doc = read_tml(FIXTURE)
    found = {(t.text, t.value) for t in find_times(doc.text, doc.dct)}
    assert ("Monday", "2024-09-16") in found
    assert ("May", "2024-05") in found  # TimeML keeps the preposition out of the span
    assert ("four months", "P4M") in found
