"""The whole-article event scorer (tidings eval articles) on hand-built Document dicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.eval.articles import score

TEXT = "Mali's army attacked JNIM fighters near Gao on Saturday. JNIM is active in Niger."


def _event(trigger: str, type_: str, modality: str = "asserted", source=("MLI",),
           target=("JNIM",), place="Gao", date=("2024-02-10", "2024-02-10")) -> dict:
    start = TEXT.index(trigger)
    return {"id": f"{trigger}-{type_}", "type": type_, "modality": modality,
            "trigger": {"text": trigger, "start": start, "end": start + len(trigger)},
            "source": [{"country": s} for s in source],
            "target": [{"name": t} for t in target],
            "location": {"name": place, "country": "MLI"} if place else None,
            "date": {"start": date[0], "end": date[1]} if date else None}


GOLD = [{"file": "a.txt", "type": "ASSAULT", "source": ["MLI"], "target": ["JNIM"],
         "place": "Gao", "country": "MLI", "date": "2024-02-10",
         "evidence": "Mali's army attacked JNIM fighters near Gao on Saturday"}]
NEG = [{"file": "a.txt", "evidence": "JNIM is active in Niger", "why": "background",
        "not_type": None}]


def test_eval_articles_full_tuple_match() -> None:
    res = score({"a.txt": {"text": TEXT, "events": [_event("attacked", "ASSAULT")]}}, GOLD, NEG)
    assert res["recall"] == {"type": 1.0, "source": 1.0, "target": 1.0, "place": 1.0, "date": 1.0}
    assert res["tuple"]["precision"] == 1.0 and res["spurious_asserted"] == 0


def test_eval_articles_cumulative_levels_stop_at_first_wrong_field() -> None:
    wrong_target = _event("attacked", "ASSAULT", target=("NER",))
    res = score({"a.txt": {"text": TEXT, "events": [wrong_target]}}, GOLD, NEG)
    assert res["found"] == {"type": 1, "source": 1, "target": 0, "place": 0, "date": 0}


def test_eval_articles_month_gold_accepts_a_day_inside_it() -> None:
    gold = [{**GOLD[0], "date": "2024-02"}]
    res = score({"a.txt": {"text": TEXT, "events": [_event("attacked", "ASSAULT")]}}, gold, [])
    assert res["found"]["date"] == 1
    late = _event("attacked", "ASSAULT", date=("2024-03-01", "2024-03-01"))
    assert score({"a.txt": {"text": TEXT, "events": [late]}}, gold, [])["found"]["date"] == 0


def test_eval_articles_only_asserted_events_count() -> None:
    ev = _event("attacked", "ASSAULT", modality="negated")
    res = score({"a.txt": {"text": TEXT, "events": [ev]}}, GOLD, NEG)
    assert res["found"]["type"] == 0


def test_eval_articles_background_statement_is_spurious_when_asserted() -> None:
    bg = _event("active", "MOBILIZE", place=None, date=None)
    res = score({"a.txt": {"text": TEXT, "events": [bg]}}, GOLD, NEG)
    assert res["spurious_asserted"] == 1
    hedged = _event("active", "MOBILIZE", modality="historical", place=None, date=None)
    assert score({"a.txt": {"text": TEXT, "events": [hedged]}}, GOLD, NEG)["spurious_asserted"] == 0


@pytest.mark.parametrize("name", ["unseen_en", "unseen_en2", "unseen_en3", "unseen_en4",
                                  "unseen_en5", "unseen_en6", "unseen_en7", "unseen_en8",
                                  "unseen_en9", "unseen_en10", "unseen_en11", "unseen_en12",
                                  "unseen_en13", "unseen_en14", "unseen_en15", "unseen_en16",
                                  "unseen_en17", "unseen_en18", "unseen_en19", "unseen_en20",
                                  "unseen_en21", "unseen_en22", "unseen_en23", "unseen_en24",
                                  "unseen_en25", "unseen_en26",
                                  "dev_en2", "dev_en3",
                                  "dev_en"])
def test_eval_articles_fixture_sets_are_well_formed(name: str) -> None:
    # every evidence is in its article, every type/mode/sector/date is well formed
    import subprocess
    import sys

    script = Path(__file__).parent / "fixtures" / name / "validate.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert " 0 problems" in out.stdout
