"""TempEval-3 measures on TBAQ-cleaned (TimeBank + AQUAINT) against pinned floors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "time" / "TBAQ-cleaned"
FLOORS = Path(__file__).resolve().parents[1] / "src" / "tidings" / "data" / \
    "quality_floors_timex.json"

pytestmark = pytest.mark.data


@pytest.mark.skipif(not DATA.is_dir(), reason=f"TBAQ-cleaned corpus not found at {DATA}")
def test_timex_quality_floors() -> None:
    from tidings.eval.timex import data_hash, evaluate_timex
    from tidings.eval.timeml import iter_tml

    floors = json.loads(FLOORS.read_text())
    files = iter_tml([DATA / "TimeBank", DATA / "AQUAINT"])
    digest = data_hash(files)
    if digest != floors["data_sha256"] and os.environ.get("TIDINGS_ALLOW_FLOOR_CHANGE") != "1":
        pytest.fail(f"TBAQ-cleaned changed (sha256 {digest} != {floors['data_sha256']}): "
                    "re-measure and update quality_floors_timex.json, or set "
                    "TIDINGS_ALLOW_FLOOR_CHANGE=1")
    result = evaluate_timex([DATA / "TimeBank", DATA / "AQUAINT"])
    assert result["documents"] == len(files)
    for key in ("strict_f1", "relaxed_f1", "value_f1", "type_acc"):
        assert result[key] >= floors[key], (key, result[key], floors[key])
