"""The learned trigger verbs: how labels are read, voted and kept."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tidings.train import triggers as tt


def test_train_triggers_cameo_code_is_the_root_after_the_pentaclass(tmp_path):
    # "4-18 Assualt": PentaClass 4, CAMEO root 18 (ASSAULT), not root 04 (CONSULT)
    p = tmp_path / "s.jsonl"
    p.write_text(json.dumps({"id": "a", "text": "Gunmen stabbed a guard.", "annotations": [{
        "actions": [{"slot": 1, "penta": "4-Material Conflict", "cameo": "4-18 Assualt"}],
        "spans": [{"role": "action", "slot": 1, "start": 7, "end": 14, "text": "stabbed"}]}]})
        + "\n")
    assert [x[2] for x in tt._tagtog(p)] == ["ASSAULT"]


def test_train_triggers_select_keeps_frequent_pure_unknown_verbs():
    counts = {"summon": Counter(ACCUSE=7, CONSULT=1), "attack": Counter(ASSAULT=9),
              "mix": Counter(AID=2, AGREE=2), "rare": Counter(AID=2), "say": Counter(ACCUSE=9)}
    chosen = tt.select(counts, known={"attack"}, skip={"say"})
    assert set(chosen) == {"summon"} and chosen["summon"]["type"] == "ACCUSE"


def test_train_triggers_one_vote_per_sentence_and_verb():
    import tidings.pipeline as p

    nlp = p.load_nlp_for("en")
    text = "Pakistan summoned the Afghan envoy."
    items = [(text, [(9, 17)], "ACCUSE", "tagtog:t")] * 5 + [(text, [(9, 17)], "CONSULT",
                                                               "tagtog:t")]
    assert tt.count(items, nlp) == {"summon": Counter(ACCUSE=1)}


def test_train_triggers_missing_data_is_a_coded_error(tmp_path, capsys):
    assert tt.main(["--data", str(tmp_path), "--out", str(tmp_path / "o.json")]) == 2
    assert "E329" in capsys.readouterr().err


@pytest.mark.data
@pytest.mark.slow
def test_train_triggers_shipped_verbs_are_reproduced(tmp_path):
    from conftest import SHARED

    if not (SHARED / "data" / "plover" / "PLV_train.tsv").exists():
        pytest.skip(f"the training data under {SHARED / 'data'} is absent")
    out = tmp_path / "learned.json"
    assert tt.main(["--data", str(SHARED / "data"), "--out", str(out)]) == 0
    shipped = json.loads(tt.OUT.read_text(encoding="utf-8"))
    assert json.loads(out.read_text(encoding="utf-8"))["verbs"] == shipped["verbs"]
