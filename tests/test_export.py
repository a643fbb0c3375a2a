"""Exports: CSV, JSON Lines, Parquet (read back with pyarrow) and GeoJSON, three profiles."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from tidings.export import COLUMNS, FORMATS, PROFILES, acled_inter, export

ARTICLES = FIXTURES / "stories" / "articles"
NAMES = ["2024-05-13-omdurman-market-shelling.txt",
         "2024-05-13-sudan-paramilitaries-hit-market.txt",
         "2024-06-19-nairobi-finance-bill-march.txt",
         "2024-07-02-ankara-talks-somalia-ethiopia.txt"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from tidings.ingest import ingest

    path = tmp_path_factory.mktemp("export") / "t.db"
    ingest([ARTICLES / n for n in NAMES], path)
    return path


@pytest.fixture(scope="module")
def conn(db):
    from tidings.storage.sqlite import connect

    return connect(db, readonly=True)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_and_profile_reads_back(conn, tmp_path, fmt, profile):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"x.{fmt}"
    res = export(conn, fmt, out, profile=profile)
    assert res["rows"] > 0
    cols = [c for c, _ in COLUMNS[profile]]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        assert table.column_names == cols and table.num_rows == res["rows"]
    elif fmt == "csv":
        with out.open(newline="") as f:
            rows = list(csv.DictReader(f))
        assert list(rows[0]) == cols and len(rows) == res["rows"]
    elif fmt == "jsonl":
        rows = [json.loads(x) for x in out.read_text().splitlines()]
        assert list(rows[0]) == cols and len(rows) == res["rows"]
    else:
        check_geojson(json.loads(out.read_text()), cols)


def check_geojson(doc: dict, cols: list[str]) -> None:
    assert doc["type"] == "FeatureCollection" and doc["features"]
    located = 0
    for f in doc["features"]:
        assert f["type"] == "Feature" and list(f["properties"]) == cols
        assert all(not isinstance(v, (dict, list)) for v in f["properties"].values())
        g = f["geometry"]
        if g is None:
            continue
        located += 1
        lon, lat = g["coordinates"]
        assert g["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    assert located


def test_geojson_lon_lat_order_and_skip(conn, tmp_path):
    out = tmp_path / "x.geojson"
    export(conn, "geojson", out, skip_unlocated=True)
    doc = json.loads(out.read_text())
    assert all(f["geometry"] is not None for f in doc["features"])
    omdurman = [f for f in doc["features"] if f["properties"]["place_name"] == "Omdurman"]
    lon, lat = omdurman[0]["geometry"]["coordinates"]
    assert 32 < lon < 33 and 15 < lat < 16  # Omdurman: 32.48 E, 15.64 N


def test_acled_profile_values(conn, tmp_path):
    out = tmp_path / "a.jsonl"
    res = export(conn, "jsonl", out, profile="acled")
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert res["left_out"] >= 1  # talks (CONSULT) have no ACLED equivalent
    shelling = [r for r in rows if r["location"] == "Omdurman"]
    assert shelling and shelling[0]["country"] == "Sudan" and shelling[0]["time_precision"] == 1
    # ACLED aggregates by division names, not GeoNames codes
    assert shelling[0]["admin1"] == "Khartoum" and shelling[0]["admin2"] is None
    raw = tmp_path / "m.jsonl"
    export(conn, "jsonl", raw, profile="acled", mentions=True)
    assert {r["admin1"] for r in map(json.loads, raw.read_text().splitlines())
            if r["location"] == "Omdurman"} == {"Khartoum"}
    assert shelling[0]["event_id_cnty"].startswith("SDN")
    assert {r["event_type"] for r in rows} <= {
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
        "Riots", "Strategic developments"}
    protest = [r for r in rows if r["event_type"] == "Protests"]
    assert protest and protest[0]["inter1"] == 6
    assert acled_inter({"sector": "MIL", "country": "RUS"}, "Battles", "UKR") == 8


def test_plover_profile_and_mentions(conn, tmp_path):
    out = tmp_path / "p.jsonl"
    export(conn, "jsonl", out, profile="plover")
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    for r in rows:
        assert r["id"] and r["date"] and isinstance(r["event"], list)
        assert isinstance(r["actor"], list) and isinstance(r["event_text"], list)
    stories = export(conn, "csv", tmp_path / "s.csv")["rows"]
    raw = export(conn, "csv", tmp_path / "m.csv", mentions=True)["rows"]
    assert raw > stories  # merged story events are fewer than raw mentions
    with (tmp_path / "m.csv").open() as f:
        assert all(r["story_id"] for r in csv.DictReader(f))


def test_cli_export(db, tmp_path):
    pytest.importorskip("pyarrow")
    from typer.testing import CliRunner

    from tidings.cli import stories as cli_stories  # noqa: F401  (registers the commands)
    from tidings.cli import app

    out = tmp_path / "e.parquet"
    res = CliRunner().invoke(app, ["export", "--db", str(db), "--format", "parquet",
                                   "--profile", "acled", "--output", str(out)])
    assert res.exit_code == 0, res.output
    import pyarrow.parquet as pq

    assert pq.read_table(out).num_rows > 0
    res = CliRunner().invoke(app, ["stories", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0 and json.loads(res.output.splitlines()[0])["mentions"]


def test_story_tables_exist(db):
    c = sqlite3.connect(db)
    names = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"story_events", "story_mentions", "article_sources", "article_fingerprints",
            "fingerprint_bands"} <= names


# ---------------------------------------------------------------- CSV injection (issue 19)

#: articles whose evidence and source start like spreadsheet formulas
FORMULA_ARTICLES = [
    ("=1+1 Gunmen attacked a village in Borno on Monday.", "=cmd|' /C calc'!A0"),
    ("- Police arrested 40 protesters in Nairobi on Tuesday.", "-2+3"),
    ("@SUM(1+1) Rebels shelled Goma on Sunday, killing three civilians.", "@evil"),
    ("+1 Mali's army withdrew from Kidal on Wednesday.", "+wire"),
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory):
    from tidings.ingest import ingest

    d = tmp_path_factory.mktemp("formula")
    f = d / "formulas.jsonl"
    f.write_text("".join(json.dumps({"text": t, "published": "2024-09-16", "source": s,
                                     "title": s}) + "\n" for t, s in FORMULA_ARTICLES))
    path = d / "f.db"
    ingest([f], path)
    return path


def assert_no_formula_cells(text: str) -> list[dict[str, str]]:
    """Every cell of the CSV ``text`` reads as text in a spreadsheet; return the rows."""
    rows = list(csv.DictReader(text.splitlines(keepends=True)))
    assert rows
    for row in rows:
        for col, cell in row.items():
            try:
                float(cell)  # a number (a negative latitude) is a number, not a formula
            except ValueError:
                assert not cell.startswith(FORMULA_START), (col, cell)
    return rows


def test_export_csv_cell_neutralises_formulas():
    from tidings.export import csv_cell, csv_row

    for start in FORMULA_START:
        assert csv_cell(start + "1+1") == "'" + start + "1+1"
    assert csv_cell("Gao") == "Gao" and csv_cell("'=x") == "'=x" and csv_cell(None) == ""
    assert csv_row([-12.5, 3, "-3", None]) == [-12.5, 3, "'-3", ""]  # numbers stay numbers


@pytest.mark.parametrize("profile", PROFILES)
def test_export_csv_neutralises_formulas_and_other_formats_stay_exact(formula_db, tmp_path,
                                                                      profile):
    from tidings.storage.sqlite import connect

    conn = connect(formula_db, readonly=True)
    export(conn, "csv", tmp_path / "x.csv", profile=profile)
    rows = assert_no_formula_cells((tmp_path / "x.csv").read_text(encoding="utf-8"))
    cells = {c for r in rows for c in r.values()}
    export(conn, "jsonl", tmp_path / "x.jsonl", profile=profile)
    exact = {v for line in (tmp_path / "x.jsonl").read_text().splitlines()
             for v in json.loads(line).values() if isinstance(v, str)}
    if profile == "native":
        assert "'=1+1 Gunmen attacked a village in Borno on Monday." in cells
        assert "'=cmd|' /C calc'!A0" in cells and "'@evil" in cells
        assert "=1+1 Gunmen attacked a village in Borno on Monday." in exact
        assert "=cmd|' /C calc'!A0" in exact and "-2+3" in exact and "+wire" in exact


def test_cli_events_csv_neutralises_formulas(formula_db):
    from typer.testing import CliRunner

    from tidings.cli import app

    res = CliRunner().invoke(app, ["events", "--db", str(formula_db), "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = assert_no_formula_cells(res.stdout)
    assert any(r["evidence"] == "'- Police arrested 40 protesters in Nairobi on Tuesday."
               for r in rows)


def test_cli_export_output_errors_are_one_coded_line(db, tmp_path, monkeypatch, capsys):
    """--output a folder, or a path that cannot be written: exit 2 with one coded line."""
    from tidings.cli import main

    (tmp_path / "afile").write_text("x")
    cases = [(tmp_path, "E325"), (tmp_path / "afile" / "out.csv", "E326")]
    if Path("/dev/full").is_char_device():  # writes fail with ENOSPC
        cases.append((Path("/dev/full"), "E326"))
    for fmt in ("csv", "jsonl", "geojson", "parquet"):
        for output, code in cases:
            monkeypatch.setattr(sys, "argv", ["tidings", "export", "--db", str(db), "--format",
                                              fmt, "--output", str(output)])
            with pytest.raises(SystemExit) as exc:
                main()
            err = capsys.readouterr().err
            assert exc.value.code == 2, (fmt, output, err)
            assert code in err and "Traceback" not in err, (fmt, output, err)
            assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("profile", PROFILES)
def test_api_export_csv_neutralises_formulas(formula_db, profile):
    from fastapi.testclient import TestClient

    from tidings.api import create_app

    with TestClient(create_app(formula_db)) as c:
        for mentions in ("true", "false"):
            r = c.get("/api/export", params={"format": "csv", "profile": profile,
                                             "mentions": mentions})
            assert r.status_code == 200, r.text
            rows = assert_no_formula_cells(r.text)
            if profile == "native":
                assert any(row["evidence"] == "'@SUM(1+1) Rebels shelled Goma on Sunday,"
                           " killing three civilians." for row in rows)
        exact = c.get("/api/export", params={"format": "jsonl", "profile": profile}).text
    if profile == "native":
        assert '"evidence": "=1+1 Gunmen attacked' in exact and '"sources": "=cmd|' in exact


def test_export_division_names_from_columns_else_event_json(db, tmp_path):
    """Migration 6's columns hold the division names; a row written before them (NULL
    columns) is exported with the names its event JSON keeps."""
    import shutil

    from tidings.export import records
    from tidings.storage.sqlite import connect

    rows = sqlite3.connect(db).execute(
        "SELECT id, place_admin1_name, place_admin2, location_basis, json FROM events"
        " WHERE place_name = 'Omdurman'").fetchall()
    assert rows and {r[1] for r in rows} == {"Khartoum"}  # written by event_row
    assert {r[3] for r in rows} <= {"text", "dateline", "context"}
    assert all(json.loads(r[4])["location"]["admin1_name"] == "Khartoum" for r in rows)
    old = tmp_path / "old.db"
    shutil.copy(db, old)
    w = sqlite3.connect(old)
    w.execute("UPDATE events SET place_admin1_name = NULL, place_admin2 = NULL,"
              " location_basis = NULL")
    w.execute("UPDATE events SET place_admin1_name = 'Column says' WHERE id = ?", (rows[0][0],))
    w.commit()
    w.close()
    with connect(old, readonly=True) as r:
        by_id = {rec["id"]: rec for rec in records(r, mentions=True)}
    assert by_id[rows[0][0]]["place_admin1_name"] == "Column says"
    stored = dict(sqlite3.connect(db).execute("SELECT id, json FROM events").fetchall())
    fallback = {i: (json.loads(stored[i]).get("location") or {}).get("admin1_name")
                for i in by_id if i != rows[0][0]}
    assert any(fallback.values())  # the JSON of the NULL rows still names divisions
    assert all(by_id[i]["place_admin1_name"] == name for i, name in fallback.items())
