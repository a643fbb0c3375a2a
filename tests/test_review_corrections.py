"""Learning from corrections (issue 17): a reviewed store's corrections reach the trainer of
the type classifier with the label a person gave, through the commands a team runs:
``tidings export --corrections`` then ``python -m tidings.train.classifier --corrections``.

The training itself is replaced by a recorder (benchmarks/bench_corrections.py trains for
real); what is checked is what the trainer would learn from."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tidings import review
from tidings.cli import app
from tidings.model import Actor, Document, Event, EventDate, Span
from tidings.storage import open_store
from tidings.train import classifier as trainer

TEXT = "Russia attacked Ukraine on Monday. Police arrested protesters in Kyiv. Iran met Iraq."


def _doc() -> Document:
    def actor(name: str, code: str) -> Actor:
        start = TEXT.index(name)
        return Actor(name, start, start + len(name), name, code, None, code)

    def event(etype: str, trigger: str, sentence: str, src: Actor, tgt: Actor) -> Event:
        t, s = TEXT.index(trigger), TEXT.index(sentence)
        return Event(f"a-{etype}", etype, None, 0.5, "asserted",
                     Span(t, t + len(trigger), trigger), Span(s, s + len(sentence)),
                     [src], [tgt], None, None,
                     EventDate("2024-09-16", "2024-09-16", "day", "published"))

    evs = [event("ASSAULT", "attacked", "Russia attacked Ukraine on Monday.",
                 actor("Russia", "RUS"), actor("Ukraine", "UKR")),
           event("PROTEST", "arrested", "Police arrested protesters in Kyiv.",
                 actor("Police", "UKR"), actor("protesters", "UKR")),
           event("CONSULT", "met", "Iran met Iraq.", actor("Iran", "IRN"), actor("Iraq", "IRQ"))]
    return Document("a", date(2024, 9, 16), TEXT, title="T", source="Wire", events=evs)


def test_review_corrections_reach_the_trainer_with_the_corrected_label(tmp_path: Path,
                                                                      monkeypatch) -> None:
    db = str(tmp_path / "t.db")
    with open_store(db) as s:
        s.upsert(_doc())
        review.review_event(s, "a-PROTEST", "edited", "ana", 0, "type", "COERCE")  # wrong
        review.review_event(s, "a-ASSAULT", "accepted", "bo", 0)  # confirmed
        review.review_event(s, "a-CONSULT", "rejected", "ana", 0)  # nothing to learn
    out = tmp_path / "corrections.jsonl"
    res = CliRunner().invoke(app, ["export", "--corrections", "--db", db, "-o", str(out)])
    assert res.exit_code == 0 and "wrote 2 corrections" in res.output, res.output
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [(x["label"], x["machine_type"], x["status"]) for x in lines] == [
        ("ASSAULT", "ASSAULT", "accepted"), ("COERCE", "PROTEST", "edited")]

    # the trainer, with the data, lower-layer pass and fine-tuning replaced by recorders
    seen: dict[str, Any] = {}
    stock = [trainer.Example("<s>Iran</s> met <t>Iraq</t>.", None, None, "CONSULT", "g1", "plv")]
    monkeypatch.setattr(trainer, "load_all", lambda d: {"plv": list(stock), "gsr": list(stock),
                                                        "ngec": []})

    def build(data: dict[str, list[Any]], cache: Any = None) -> Any:
        seen["data"] = data
        return type("TS", (), {"labels": [e.label for v in data.values() for e in v]})()

    class Model:
        def export(self) -> Any:
            clf = type("Clf", (), {})()
            clf.save = lambda path: seen.update(saved=path, meta=clf.meta)
            return clf

    monkeypatch.setattr(trainer.TrainSet, "build", staticmethod(build))
    monkeypatch.setattr(trainer, "fit", lambda ts, idx, **kw: seen.update(rows=len(idx))
                        or Model())
    import tidings.eval.metrics as metrics

    monkeypatch.setattr(metrics, "data_sha256", lambda paths: "sha")
    assert trainer.main(["--without", "gsr", "--no-cv", "--corrections", str(out),
                         "--out", str(tmp_path / "m")]) == 0
    data = seen["data"]
    assert data["gsr"] == [] and len(data["plv"]) == 1
    got = [(e.label, e.domain, e.sentence) for e in data["review"]]
    assert got == [("ASSAULT", "review", "<s>Russia</s> attacked <t>Ukraine</t> on Monday."),
                   ("COERCE", "review", "<s>Police</s> arrested <t>protesters</t> in Kyiv.")]
    # the marks become the dyad the classifier reads, as at inference (stages/events/retype)
    window = trainer.make_dyad(got[1][2], None, None).window
    assert "Police" in window and "protesters" in window
    assert seen["rows"] == 3 and seen["saved"] == tmp_path / "m"
    assert seen["meta"]["n_train"] == {"plv": 1, "gsr": 0, "ngec": 0, "review": 2}
    assert seen["meta"]["corrections_sha256"] == "sha"


def test_review_corrections_bad_file_is_a_coded_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(trainer, "load_all", lambda d: {"plv": [], "gsr": [], "ngec": []})
    bad = tmp_path / "c.jsonl"
    bad.write_text('{"label": "ASSAULT"}\n')
    from tidings.errors import UsageError

    with pytest.raises(UsageError, match="E328.*line 1"):
        trainer.main(["--corrections", str(bad), "--no-cv", "--out", str(tmp_path / "m")])


def test_review_corrections_retraining_reuses_the_cached_public_states(tmp_path: Path) -> None:
    """The public sets' frozen-layer states are cached apart from the corrections: adding
    corrections computes the corrections' rows only, and the rows equal one pass over all."""
    import torch

    ex = trainer.Example
    public = {"plv": [ex("<s>Russia</s> attacked <t>Ukraine</t>.", None, None, "ASSAULT", "1",
                         "plv")],
              "gsr": [ex("Iran met Iraq in Baghdad.", "Iran", "Iraq", "CONSULT", "2", "gsr")],
              "ngec": []}
    first = trainer.TrainSet.build(public, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("plover_lower_*.pt"))) == 1
    review_ex = [ex("<s>Police</s> arrested <t>protesters</t>.", None, None, "COERCE", "3",
                    "review")]
    calls: list[int] = []
    real = trainer.lower_states

    def counting(inputs: Any, k_top: int, batch: int = 128) -> Any:
        calls.append(int(inputs["input_ids"].shape[0]))
        return real(inputs, k_top, batch)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(trainer, "lower_states", counting)
        both = trainer.TrainSet.build({**public, "review": review_ex}, cache_dir=tmp_path)
    assert calls == [1]  # the correction only; the public rows came from the cache
    assert len(list(tmp_path.glob("plover_lower_*.pt"))) == 2
    assert torch.equal(both.hidden[:2], first.hidden)
    inputs, _ = trainer.tokenize_windows(both.windows, pad_to_max=True)
    alone = real(inputs, trainer.K_TOP)  # one pass over every row
    assert (both.hidden.float() - alone.float()).abs().max() < 1e-2
    assert both.labels == ["ASSAULT", "CONSULT", "COERCE"]
