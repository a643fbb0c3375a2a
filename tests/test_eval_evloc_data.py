"""Quality gate of event-location attachment on ../shared/data/events/event_location_dev.jsonl.

Floors live in ``src/tidings/data/quality_floors_evloc.json`` with the SHA-256 of the data they
were measured on; a changed data set fails the gate unless ``TIDINGS_ALLOW_FLOOR_CHANGE=1``.
The stored ranker was trained on the file's ``train`` half, so the ``test`` half is the
held-out number; the whole file (~5,000 sentences) is parsed once, in about 35 s.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
EVLOC = DATA / "events" / "event_location_dev.jsonl"
FLOORS = (Path(__file__).resolve().parents[1] / "src" / "tidings" / "data"
          / "quality_floors_evloc.json")

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(not EVLOC.exists(),
                       reason=f"event-location evaluation data not found at {EVLOC}"),
]


@pytest.fixture(scope="module")
def floors() -> dict:
    return json.loads(FLOORS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results(floors: dict) -> dict:
    from tidings.eval.evloc import evaluate_evloc

    return evaluate_evloc(EVLOC, limit=floors.get("limit"))


def test_data_unchanged(floors: dict) -> None:
    if os.environ.get("TIDINGS_ALLOW_FLOOR_CHANGE") == "1":
        pytest.skip("TIDINGS_ALLOW_FLOOR_CHANGE=1: data hash not checked")
    assert hashlib.sha256(EVLOC.read_bytes()).hexdigest() == floors["data_sha256"], (
        "event-location data changed: re-measure and update quality_floors_evloc.json "
        "(or set TIDINGS_ALLOW_FLOOR_CHANGE=1)"
    )


def test_reading(results: dict, floors: dict) -> None:
    assert results["sentences"] >= floors["min_sentences"]
    assert results["skipped"] <= floors["max_skipped"]


@pytest.mark.parametrize("part", ["all", "test", "train"])
@pytest.mark.parametrize("metric", ["accuracy", "accuracy_with_location",
                                    "accuracy_without_location"])
def test_floors(results: dict, floors: dict, part: str, metric: str) -> None:
    got = results if part == "all" else results["halves"][part]
    floor = floors[part][metric]
    assert got[metric] >= floor, f"{part} {metric} {got[metric]:.3f} < floor {floor}"
