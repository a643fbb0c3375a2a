"""The fixed dev/test halves of the PLOVER gold records (issue 14): every record in exactly one
half, the same half on every run, and the CLI's --split with coded errors."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from test_event_rules import _cli  # an in-process `tidings` run: (code, stdout, stderr)
from tidings.errors import UsageError
from tidings.eval.records import SPLITS, read_records, split_of

RECORDS = FIXTURES / "rules" / "records.jsonl"


def test_records_split_is_fixed_by_the_id_hash():
    # pinned: re-drawing the halves would leak the test half into dev
    assert split_of("PLOVER-GSR01-AGREE-0003") == "dev"
    assert split_of("PLOVER-GSR01-AGREE-0009") == "test"
    assert {split_of(f"R-{i}") for i in range(50)} == set(SPLITS)


def test_records_split_partitions_the_records():
    every = read_records(RECORDS)
    halves = {s: read_records(RECORDS, s) for s in SPLITS}
    assert sum(len(h) for h in halves.values()) == len(every)
    assert all(split_of(r["id"]) == s for s, h in halves.items() for r in h)
    assert {r["id"] for h in halves.values() for r in h} == {r["id"] for r in every}


def test_records_unknown_split_is_a_usage_error():
    with pytest.raises(UsageError, match="E352"):
        read_records(RECORDS, "train")


def test_records_cli_split(capsys, tmp_path):
    code, out, err = _cli(capsys, "eval", "plover", str(RECORDS), "--split", "dev",
                          "--format", "json")
    assert code == 0, err
    res = json.loads(out)
    assert res["split"] == "dev" and res["records"] == len(read_records(RECORDS, "dev"))
    code, out, err = _cli(capsys, "eval", "plover", str(RECORDS), "--split", "train")
    assert code == 2 and "E352" in err and "Traceback" not in err
    tsv = tmp_path / "plv.tsv"
    tsv.write_text("sentence\tgold_root\n", encoding="utf-8")
    code, out, err = _cli(capsys, "eval", "plover", str(tsv), "--split", "dev")
    assert code == 2 and "E353" in err
