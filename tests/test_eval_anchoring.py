"""Event–time anchoring on TimeML (``tidings.eval.anchoring``): the reader on a small document
written here, and the measure on TBAQ-cleaned against a floor."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.eval.anchoring import evaluate_anchoring, half_of, read_anchor_doc

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "time" / "TBAQ-cleaned"

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>T1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-27" functionInDocument="CREATION_TIME">02/27/1998</TIMEX3></DCT>
<TEXT>
The two presidents on <TIMEX3 tid="t1" type="DATE" value="1998-02-27">Friday</TIMEX3> <EVENT eid="e1" class="OCCURRENCE">signed</EVENT> the plan. Rebels <EVENT eid="e2" class="OCCURRENCE">attacked</EVENT> the town <TIMEX3 tid="t2" type="DATE" value="1998-02-25">on Wednesday</TIMEX3> and <EVENT eid="e3" class="OCCURRENCE">fled</EVENT>. The <EVENT eid="e4" class="OCCURRENCE">talks</EVENT> <EVENT eid="e5" class="OCCURRENCE">ended</EVENT>.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<MAKEINSTANCE eventID="e2" eiid="ei2" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<MAKEINSTANCE eventID="e3" eiid="ei3" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<MAKEINSTANCE eventID="e4" eiid="ei4" tense="NONE" aspect="NONE" polarity="POS" pos="NOUN"/>
<MAKEINSTANCE eventID="e5" eiid="ei5" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<TLINK lid="l1" relType="INCLUDES" timeID="t1" relatedToEventInstance="ei1"/>
<TLINK lid="l2" relType="IS_INCLUDED" eventInstanceID="ei2" relatedToTime="t2"/>
<TLINK lid="l3" relType="AFTER" eventInstanceID="ei3" relatedToTime="t2"/>
<TLINK lid="l4" relType="INCLUDES" timeID="t2" relatedToEventInstance="ei4"/>
<TLINK lid="l5" relType="IS_INCLUDED" eventInstanceID="ei5" relatedToTime="t0"/>
</TimeML>
"""


def test_anchoring_reader_keeps_verbs_and_anchoring_links(tmp_path: Path) -> None:
    path = tmp_path / "T1.tml"
    path.write_text(TML, encoding="utf-8")
    doc = read_anchor_doc(path)
    # verb instances only (e4 "talks" is a noun); times of type DATE/TIME in the text only
    assert sorted(doc.events) == ["ei1", "ei2", "ei3", "ei5"]
    assert {doc.text[s:e] for s, e, _, _ in doc.timexes.values()} == {"Friday", "on Wednesday"}
    # AFTER does not anchor; the DCT link is kept but is no time of the text
    assert doc.anchors == {"ei1": {"t1"}, "ei2": {"t2"}, "ei4": {"t2"}, "ei5": {"t0"}}
    assert doc.text[slice(*doc.events["ei1"])] == "signed"


def test_anchoring_scores_the_in_sentence_links(tmp_path: Path) -> None:
    (tmp_path / "T1.tml").write_text(TML, encoding="utf-8")
    r = evaluate_anchoring([tmp_path])
    # "signed" (the time closes its subject) and "attacked" are scored; "fled" has no
    # anchoring link and "ended" is anchored to the document date only
    assert r["anchored_verbs"] == 2
    assert (r["right"], r["wrong"], r["none"]) == (2, 0, 0), r["examples"]
    assert half_of("T1.tml") in ("dev", "test")


def test_anchoring_cli(capsys, tmp_path: Path) -> None:
    import json

    from test_event_rules import _cli  # an in-process `tidings` run: (code, stdout, stderr)

    (tmp_path / "T1.tml").write_text(TML, encoding="utf-8")
    code, out, err = _cli(capsys, "eval", "anchoring", str(tmp_path), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["right"] == 2
    code, out, err = _cli(capsys, "eval", "anchoring", str(tmp_path), "--half", "train")
    assert code == 2 and "E354" in err and "Traceback" not in err


@pytest.mark.data
@pytest.mark.skipif(not DATA.is_dir(), reason=f"TBAQ-cleaned corpus not found at {DATA}")
def test_anchoring_on_tbaq_dev_half() -> None:
    # 2026-12-06: dev 271 right / 5 wrong / 33 none of 309 (0.877); floor 0.02 below
    r = evaluate_anchoring([DATA / "TimeBank", DATA / "AQUAINT"], half="dev")
    assert r["anchored_verbs"] >= 300
    assert r["accuracy"] >= 0.857, {k: v for k, v in r.items() if k != "examples"}
    assert r["precision"] >= 0.96
