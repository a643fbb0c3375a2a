"""Quality gate of the places stage on ../shared/data/geo (LGL and GeoVirus).

Floors live in ``src/tidings/data/quality_floors_geo.json`` with the SHA-256 of the data they
were measured on; a changed data set fails the gate unless ``TIDINGS_ALLOW_FLOOR_CHANGE=1``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GEO = DATA / "geo"
FILES = ("lgl.xml", "GeoVirus.xml")
FLOORS = (Path(__file__).resolve().parents[1] / "src" / "tidings" / "data"
          / "quality_floors_geo.json")

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(not all((GEO / f).exists() for f in FILES),
                       reason=f"geo evaluation data not found under {GEO}"),
]


def data_sha256() -> str:
    """SHA-256 over the evaluation files, in a fixed order."""
    h = hashlib.sha256()
    for f in FILES:
        h.update(f.encode())
        h.update((GEO / f).read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def floors() -> dict:
    return json.loads(FLOORS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results(floors: dict) -> dict:
    from tidings.eval.geo import evaluate_geo

    return evaluate_geo([GEO / f for f in FILES], limit=floors.get("limit"))


def test_data_unchanged(floors: dict) -> None:
    if os.environ.get("TIDINGS_ALLOW_FLOOR_CHANGE") == "1":
        pytest.skip("TIDINGS_ALLOW_FLOOR_CHANGE=1: data hash not checked")
    assert data_sha256() == floors["data_sha256"], (
        "geo evaluation data changed: re-measure and update quality_floors_geo.json "
        "(or set TIDINGS_ALLOW_FLOOR_CHANGE=1)"
    )


@pytest.mark.parametrize("corpus", ["lgl", "GeoVirus"])
def test_floors(results: dict, floors: dict, corpus: str) -> None:
    got = results[corpus]
    for system, metrics in floors["corpora"][corpus].items():
        for metric, floor in metrics.items():
            value = got[system][metric]
            if metric in ("auc", "median_km", "mean_km"):  # lower is better: ceilings
                assert value <= floor, (corpus, system, metric, value, floor)
            else:
                assert value >= floor, (corpus, system, metric, value, floor)


def test_beats_baseline(results: dict) -> None:
    for corpus in ("lgl", "GeoVirus"):
        r = results[corpus]
        assert r["system"]["acc161"] > r["baseline"]["acc161"]
        assert r["system"]["f1"] > r["baseline"]["f1"] - 0.05


def test_places_cost_vs_parse(results: dict) -> None:
    for corpus in ("lgl", "GeoVirus"):
        assert results[corpus]["places_over_parse"] <= 0.2
