"""Tests of ``tidings gazetteer import``: GeoNames dumps (written here in the GeoNames format),
alternate names, an organisation's own places, atomic replacement and coded errors."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tidings.errors import InputError, ModelError, UsageError
from tidings.gazetteer import load_gazetteer
from tidings.geonames import import_gazetteer, imported_info
from tidings.parse import load_nlp
from tidings.stages.places import find_places

# Made-up villages (ids far above GeoNames' range) that the default gazetteer lacks.
VILLAGE = "Kwarbassoungou"
VILLAGE_2 = "Tindikagoula"


def geoname_row(gid: int, name: str, lat: float, lon: float, *, fclass: str = "P",
                fcode: str = "PPL", cc: str = "ML", a1: str = "04", a2: str = "",
                a3: str = "", pop: int = 0, alts: str = "") -> str:
    """One line of the GeoNames ``geoname`` table (19 tab-separated columns)."""
    cols = [str(gid), name, name, alts, str(lat), str(lon), fclass, fcode, cc, "", a1, a2, a3,
            "", str(pop), "", "280", "Africa/Bamako", "2024-01-01"]
    assert len(cols) == 19
    return "\t".join(cols) + "\n"


def write_zip(path: Path, member: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, text)
        zf.writestr("readme.txt", "GeoNames readme\n")
    return path


@pytest.fixture()
def dump(tmp_path: Path) -> Path:
    rows = (geoname_row(990000001, VILLAGE, 14.88, -2.95, a2="0403", alts="Kwarbasungu")
            + geoname_row(990000002, "Cercle de Testville", 15.0, -2.9, fclass="A",
                          fcode="ADM2", a2="0403", pop=200000)
            + geoname_row(990000003, "Old Fort Test", 15.0, -2.9, fcode="PPLH"))
    return write_zip(tmp_path / "ML.zip", "ML.txt", rows)


@pytest.fixture()
def use_gazetteer(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Point the pipeline at a gazetteer file; the default comes back afterwards."""

    def use(path: Path | None) -> None:
        monkeypatch.setenv("TIDINGS_GAZETTEER", str(path) if path else "off")
        load_gazetteer.cache_clear()

    yield use
    monkeypatch.setenv("TIDINGS_GAZETTEER", "off")
    load_gazetteer.cache_clear()


def resolved(text: str, name: str) -> list[Any]:
    doc = load_nlp()(text)
    return [p for p in find_places(doc) if p.text == name and p.lat is not None]


def test_geonames_import_makes_a_village_resolvable(tmp_path: Path, dump: Path,
                                                    use_gazetteer: Any) -> None:
    text = f"Gunmen killed 12 people in {VILLAGE}, Mali, on Sunday, the army said."
    use_gazetteer(None)
    assert not resolved(text, VILLAGE)
    out = tmp_path / "g.sqlite"
    s = import_gazetteer([dump], out=out)
    assert s.places == 2 and s.skipped == 1  # the village and the division; not the ruin
    use_gazetteer(out)
    (p,) = resolved(text, VILLAGE)
    assert p.country == "MLI" and p.kind == "city" and p.geonameid == 990000001
    assert p.lat == pytest.approx(14.88) and p.admin1 == "04"
    g = load_gazetteer()
    c = g.lookup("Kwarbasungu")  # an alternate name is indexed when the place is big enough
    assert not c  # population 0: only its main and ASCII names
    (v,) = g.lookup(VILLAGE)
    assert v.admin2 == "Cercle de Testville" and v.admin1_name == "Mopti"
    assert g.lookup("Niamey")[0].country == "NER"  # the default places are still there


def test_geonames_alternate_names_of_imported_and_default_places(tmp_path: Path, dump: Path,
                                                                 use_gazetteer: Any) -> None:
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text("1\t990000001\tfr\tKouarbassoungou\t\t\t\t\t\t\n"
                   "2\t990000001\tlink\thttps://example.org/x\t\t\t\t\t\t\n"
                   "3\t2440485\tfr\tNiameyville\t\t\t\t\t\t\n"  # Niamey, a default place
                   "4\t990000001\tpost\t12345\t\t\t\t\t\t\n", encoding="utf-8")
    out = tmp_path / "g.sqlite"
    s = import_gazetteer([alt, dump], out=out)  # any order: tables are read first
    assert s.known_names == 1
    use_gazetteer(out)
    g = load_gazetteer()
    assert [c.geonameid for c in g.lookup("Kouarbassoungou")] == [990000001]
    assert [c.name for c in g.lookup("Niameyville")] == ["Niamey"]
    assert not g.lookup("https://example.org/x")


def test_geonames_custom_places(tmp_path: Path, use_gazetteer: Any) -> None:
    csv_path = tmp_path / "places.csv"
    csv_path.write_text(
        "name,alternate_names,lat,lon,country,admin1,kind,population\n"
        f"{VILLAGE_2},Tindi Kagoula|Tindikagula,13.5,1.9,NE,Tillabéri,village,800\n"
        "Camp Delta Test,,14.1,2.1,NER,,camp,\n", encoding="utf-8")
    out = tmp_path / "g.sqlite"
    s = import_gazetteer([], custom=csv_path, out=out)
    assert s.custom == 2
    use_gazetteer(out)
    g = load_gazetteer()
    (v,) = g.lookup("Tindi Kagoula")
    assert v.name == VILLAGE_2 and v.country == "NER" and v.kind == "city"
    assert v.admin1_name == "Tillabéri" and v.admin1 == "09"
    (p,) = resolved(f"Soldiers were ambushed near {VILLAGE_2}, in Niger's Tillaberi region.",
                    VILLAGE_2)
    assert p.country == "NER" and p.geonameid is None


def test_geonames_bad_row_names_the_line_and_keeps_the_previous(tmp_path: Path,
                                                                dump: Path) -> None:
    out = tmp_path / "g.sqlite"
    import_gazetteer([dump], out=out)
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    bad = tmp_path / "NE.txt"
    bad.write_text(geoname_row(990000010, "Goodplace", 13.0, 2.0, cc="NE")
                   + geoname_row(990000011, "Otherplace", 13.0, 2.0, cc="NE")
                   + "990000012\tBroken\tonly four columns\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E023 NE.txt line 3: expected 19"):
        import_gazetteer([bad], out=out)
    bad.write_text(geoname_row(990000010, "Goodplace", 95.0, 2.0, cc="NE"), encoding="utf-8")
    with pytest.raises(InputError, match=r"E023 NE.txt line 1: latitude 95.0 is outside"):
        import_gazetteer([bad], out=out)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ML.zip", "NE.txt", "g.sqlite"]

    csv_path = tmp_path / "places.csv"
    csv_path.write_text("name,alternate_names,lat,lon,country,admin1,kind\n"
                        "Fine,,1,2,ML,,village\nOdd,,1,2,ML,,spaceport\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E023 places.csv line 3: kind 'spaceport'"):
        import_gazetteer([], custom=csv_path, out=out)
    csv_path.write_text("name,lat,lon\nFine,1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E024 .* lacks alternate_names, country, admin1"):
        import_gazetteer([], custom=csv_path, out=out)
    notzip = tmp_path / "XX.zip"
    notzip.write_text("not a zip")
    with pytest.raises(InputError, match="E020"):
        import_gazetteer([notzip], out=out)
    with pytest.raises(UsageError, match="E370"):
        import_gazetteer([], out=out)
    with pytest.raises(UsageError, match="E372"):
        import_gazetteer([dump], out=out, feature_classes="PXZ")
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before


def test_geonames_import_streams(tmp_path: Path) -> None:
    """Memory does not grow with the dump: 10x the rows, about the same peak."""

    def peak(n: int) -> int:
        path = tmp_path / f"BF{n}.txt"
        with open(path, "w", encoding="utf-8") as fh:
            for k in range(n):
                fh.write(geoname_row(980000000 + k, f"Hameau{k}", 12.0 + k % 100 / 100,
                                     -1.0, cc="BF", a1="01"))
        tracemalloc.start()
        import_gazetteer([path], out=tmp_path / f"g{n}.sqlite")
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    peak(100)  # warm the caches the import reads once (default gazetteer, countries)
    small, large = peak(2_000), peak(20_000)
    assert large - small < 2_000_000, (small, large)


def test_cli_gazetteer_import_and_info(tmp_path: Path, dump: Path) -> None:
    env = {**os.environ, "TIDINGS_GAZETTEER": str(tmp_path / "g.sqlite")}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tidings", *args], capture_output=True,
                              text=True, env=env, timeout=300)

    res = cli("gazetteer", "import", str(dump))
    assert res.returncode == 0, res.stderr
    assert "2 added" in res.stdout and (tmp_path / "g.sqlite").exists()
    assert imported_info(tmp_path / "g.sqlite")["files"] == "ML.zip:ML.txt"
    bad = tmp_path / "XX.txt"
    bad.write_text("1\t2\t3\n")
    res = cli("gazetteer", "import", str(bad), str(tmp_path / "missing.zip"))
    assert res.returncode == 2 and "E371" in res.stderr and "Traceback" not in res.stderr
    res = cli("gazetteer", "import", str(bad))
    assert res.returncode == 1 and "E023 XX.txt line 1" in res.stderr
    assert "Traceback" not in res.stderr


def test_geonames_missing_or_foreign_gazetteer_is_a_coded_error(
        tmp_path: Path, use_gazetteer: Any) -> None:
    use_gazetteer(tmp_path / "absent.sqlite")
    with pytest.raises(ModelError, match="E107"):
        load_gazetteer()
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    use_gazetteer(other)
    with pytest.raises(ModelError, match="E105"):
        load_gazetteer()
