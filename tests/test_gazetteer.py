"""Tests of the offline gazetteer and of data/countries.json."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tidings.gazetteer import (
    COUNTRIES_JSON,
    REGIONS_JSON,
    cache_dir,
    demonym_forms,
    load_countries,
    load_gazetteer,
    normalize,
)


def test_countries_json_records() -> None:
    recs = json.loads(Path(COUNTRIES_JSON).read_text(encoding="utf-8"))
    assert len(recs) >= 245
    iso3 = {r["iso3"]: r for r in recs}
    for r in recs:
        for key in ("iso3", "iso2", "name", "aliases", "demonyms", "capital",
                    "capital_geonameid", "geonameid", "lat", "lon", "continent"):
            assert key in r, (r["iso3"], key)
        assert r["lat"] is not None and -90 <= r["lat"] <= 90
        assert r["lon"] is not None and -180 <= r["lon"] <= 180
    assert {"US", "U.S.", "USA", "America"} <= set(iso3["USA"]["aliases"])
    assert {"UK", "Britain"} <= set(iso3["GBR"]["aliases"])
    assert {"DRC", "DR Congo"} <= set(iso3["COD"]["aliases"])
    assert "Côte d'Ivoire" in iso3["CIV"]["aliases"]
    assert iso3["NER"]["demonyms"] == ["Nigerien"]
    assert "American" in iso3["USA"]["demonyms"]
    assert iso3["NER"]["capital"] == "Niamey"
    assert iso3["RUS"]["lat"] == pytest.approx(60.0)
    # Every populated record has demonyms (except the defunct Serbia and Montenegro).
    missing = [r["iso3"] for r in recs
               if not r["demonyms"] and r["population"] > 100_000 and r["iso3"] != "SCG"]
    assert not missing


def test_regions_json() -> None:
    regions = json.loads(Path(REGIONS_JSON).read_text(encoding="utf-8"))["regions"]
    names = {r["name"] for r in regions}
    assert len(regions) >= 80
    assert {"Sahel", "Sahara", "Horn of Africa", "Gaza Strip", "Donbas", "Red Sea",
            "Liptako-Gourma", "Lake Chad basin"} <= names
    for r in regions:
        assert r["kind"] in ("region", "feature")
        assert -90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180


def test_normalize() -> None:
    assert normalize("U.S.") == normalize("US")
    assert normalize("Côte d’Ivoire") == normalize("Cote d'Ivoire")
    assert normalize("St. Louis") == normalize("Saint Louis")
    assert normalize("the Gambia") == "gambia"


def test_demonym_forms() -> None:
    assert "Americans" in demonym_forms("American")
    assert demonym_forms("Chinese") == ["Chinese"]
    assert "Frenchmen" in demonym_forms("Frenchman")


def test_load_is_fast_and_cached() -> None:
    load_gazetteer()  # builds the cache file if it is missing
    load_gazetteer.cache_clear()
    t0 = time.perf_counter()
    g = load_gazetteer()
    elapsed = time.perf_counter() - t0
    assert len(g) > 200_000
    # Generous bound for loaded CI machines; measured ~0.25 s.
    assert elapsed < 5.0
    assert load_gazetteer() is g


def test_lookup_priors() -> None:
    g = load_gazetteer()
    niger = g.lookup("Niger")
    assert niger[0].kind == "country" and niger[0].country == "NER"
    assert niger[0].geonameid == 2440476
    assert any(c.kind == "region" for c in g.lookup("Sahel"))
    assert g.lookup("Rapides Parish")[0].admin1_name == "Louisiana"
    paris = [c for c in g.lookup("Paris") if c.country == "USA" and c.admin1 == "TX"]
    assert paris and paris[0].kind == "city"
    assert g.country("MLI") is not None and g.country("MLI").name == "Mali"
    assert g.admin1("USA", "GA") is not None


def test_demonyms() -> None:
    g = load_gazetteer()
    assert g.demonym("Nigerien") == "NER"
    assert g.demonym("Nigerian") == "NGA"
    assert g.demonym("Americans") == "USA"
    assert g.demonym("Turkish") == "TUR"
    assert g.demonym("Philippines") is None  # a country name, not a plural demonym


def test_cache_dir_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TIDINGS_CACHE", str(tmp_path))
    assert cache_dir() == tmp_path


def test_countries_loader() -> None:
    assert any(c["iso3"] == "BEN" for c in load_countries())
