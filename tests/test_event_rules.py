"""Event coding rules as named, switchable units (issue 13): the registry, its data file,
switching each rule off (in the events stage, the gold-record eval and the CLI)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from conftest import FIXTURES
from tidings.errors import UsageError
from tidings.stages.events import RULES, check_names, find_events, rules_off
from tidings.stages.events.rules import PHASES, rule_data

RECORDS = FIXTURES / "rules" / "records.jsonl"

#: the order the events stage runs the rules in; a change here is a change of behaviour
ORDER = [
    "sign-is-support", "labour-strike", "going-on-strike", "placed-under-arrest",
    "declared-status", "forced-entry",
    "object-decides-type", "own-borders-closed", "weapon-is-assault", "taking-ground-is-assault",
    "armed-leaving-is-retreat", "armed-moving-is-mobilize", "return-to-talks",
    "obligation-is-request", "appraisal-is-accusation", "order-to-leave-is-expel",
    "ordered-detention",
    "dismay-is-accusation",
    "retaliation-is-threat",
    "responsibility-is-accusation", "call-is-consult", "crowd-protest",
    "governing-verb", "speech-act-content", "punishment-reason",
    "dismay-roles", "needs-actor", "natural-cause", "declined-comment", "global-construct", "bare-noun-reference",
    "background-clause",
    "civilian-blockade",
    "solo-drill-is-mobilize",
    "protest-demand", "generic-statement", "learned-factuality", "aside-clause", "undated-perfect",
    "since-tally",
    "intention",
    "refusal-is-reject",
    "peacekeepers-are-aid", "crowd-violence-is-riot",
    "domestic-closure-is-coerce", "own-forces-not-target", "target-from-place", "target-abroad",
    "unidentified-source", "local-source-country", "domestic-target", "local-target-place",
    "state-own-people", "merge-mentions", "fold-targetless-twin", "claimed-act-source",
    "condemned-act-target",
    "reaction-target",
    "rejected-claim-target", "both-sides", "focus-target", "focus-local-actors",
    "story-day", "state-sector", "unidentified-source-late",
]


def _records() -> list[dict]:
    return [json.loads(line) for line in RECORDS.read_text("utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def documents():
    """Each fixture record parsed once, with times, places and actors (events run per test)."""
    from tidings.model import Article
    from tidings.pipeline import extract_many

    recs = _records()
    arts = [Article(text=r["text"], published=date.fromisoformat(r["date"]), id=r["id"])
            for r in recs]
    docs = list(extract_many(arts, stages=["times", "places", "actors"]))
    return list(zip(recs, docs))


def _coded(events) -> list[tuple]:
    return [(e.type, e.mode, e.modality, e.trigger.start,
             [(a.name, a.country, a.country_basis, a.sector) for a in e.source],
             [(a.name, a.country, a.country_basis, a.sector) for a in e.target],
             (e.date.start, e.date.basis) if e.date else None) for e in events]


def test_rules_registry_order_is_stable():
    assert list(RULES) == ORDER
    # the data file lists the rules' word lists in the same order, one entry per rule
    assert list(rule_data()["order"]) == ORDER


def test_rules_each_has_a_phase_and_a_one_line_doc():
    for r in RULES.values():
        assert r.phase in PHASES, r.name
        assert r.doc.endswith(".") and len(r.doc) <= 100, (r.name, r.doc)


def test_rules_word_lists_come_from_the_data_file():
    words = RULES["sign-is-support"].words
    assert words["verbs"] == frozenset({"sign", "ratify", "finalize", "finalise"})
    assert RULES["target-from-place"].words["types"] is None  # every type


def test_rules_unknown_name_is_a_coded_usage_error():
    with pytest.raises(UsageError) as exc:
        check_names(["intention", "no-such-rule"])
    msg = str(exc.value)
    assert msg.startswith("E350") and "'no-such-rule'" in msg
    assert all(name in msg for name in ORDER)  # spaCy-style: the valid names are listed
    with pytest.raises(UsageError):
        with rules_off(["no-such-rule"]):
            pass


@pytest.mark.parametrize("name", ORDER)
def test_rules_each_rule_off_changes_its_example(documents, name):
    """Every rule has an example sentence whose events change when that rule alone is off."""
    examples = [(r, d) for r, d in documents if name in r["rules"]]
    assert examples, f"no example sentence for rule {name!r} in {RECORDS}"
    for rec, doc in examples:
        on = _coded(find_events(doc))
        off = _coded(find_events(doc, without={name}))
        assert on != off, (name, rec["text"], on)
        # the context the eval uses switches it off the same way
        with rules_off([name]):
            assert _coded(find_events(doc)) == off
        assert _coded(find_events(doc)) == on  # and back on after the block


def test_rules_off_by_example(documents):
    """A handful of rules, with what switching them off does."""
    by_id = {r["id"]: d for r, d in documents}
    sign = by_id["RULES-01"]  # "Mali and Burkina Faso signed a defence agreement"
    assert [e.type for e in find_events(sign)] == ["SUPPORT"]
    assert [e.type for e in find_events(sign, without={"sign-is-support"})] == ["AGREE"]
    refusal = by_id["RULES-15"]  # "Uganda will not accept more refugees"
    assert [(e.type, e.modality) for e in find_events(refusal)] == [("REJECT", "asserted")]
    assert [(e.type, e.modality) for e in find_events(refusal, without={"refusal-is-reject"})
            ] == [("AGREE", "negated")]
    curfew = by_id["RULES-18"]  # "Serbia lifted a curfew in Montenegro"
    assert [a.country for e in find_events(curfew) for a in e.target] == ["MNE"]
    # without it the lifted curfew is a domestic concession (the next rule that fills a target)
    assert [a.country for e in find_events(curfew, without={"target-from-place"})
            for a in e.target] == ["SRB"]
    generic = by_id["RULES-13"]  # "Rebels often attack convoys in eastern Congo."
    assert find_events(generic) == []
    assert [e.type for e in find_events(generic, without={"generic-statement"})] == ["ASSAULT"]
    purpose = by_id["RULES-26"]  # "arrested protesters ... to stop them from attacking"
    assert [(e.type, e.modality) for e in find_events(purpose)] == [
        ("COERCE", "asserted"), ("ASSAULT", "hypothetical")]
    assert [e.modality for e in find_events(purpose, without={"learned-factuality"})] == [
        "asserted", "asserted"]
    merged = by_id["RULES-24"]  # the same withdrawal told twice
    assert len(find_events(merged)) == 1
    assert len(find_events(merged, without={"merge-mentions"})) == 2


@pytest.mark.parametrize("name", ORDER)
def test_rules_gold_record_eval_runs_with_each_rule_off(name):
    from tidings.eval.records import evaluate_records

    r = evaluate_records(RECORDS, without=[name])
    assert r["records"] == len(_records())
    assert r["rules_off"] == [name]
    assert 0.0 <= r["tuple"]["f1"] <= 1.0


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run the ``tidings`` entry point in process: (exit code, stdout, stderr)."""
    from tidings.cli import main

    code = 0
    old = sys.argv
    sys.argv = ["tidings", *args]
    try:
        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.argv = old
    res = capsys.readouterr()
    return code, res.out, res.err


def test_rules_cli_eval_without_rule(capsys, tmp_path):
    code, out, err = _cli(capsys, "eval", "plover", str(RECORDS), "--format", "json",
                          "--without-rule", "intention", "--without-rule", "needs-actor")
    assert code == 0, err
    assert json.loads(out)["rules_off"] == ["intention", "needs-actor"]
    code, out, err = _cli(capsys, "eval", "plover", str(RECORDS), "--without-rule", "nope")
    assert code == 2 and "Traceback" not in err
    assert "E350" in err and "fold-targetless-twin" in err
    # the TSV scores the classifier, which runs no coding rule
    tsv = tmp_path / "plv.tsv"
    tsv.write_text("sentence\tgold_root\n", encoding="utf-8")
    code, out, err = _cli(capsys, "eval", "plover", str(tsv), "--without-rule", "intention")
    assert code == 2 and "E351" in err


def test_rules_cli_lists_and_shows_rules(capsys):
    code, out, err = _cli(capsys, "rules", "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    assert [r["name"] for r in listed] == ORDER
    assert all(r["doc"] and r["phase"] in PHASES for r in listed)
    code, out, err = _cli(capsys, "rules")
    assert code == 0 and all(name in out for name in ORDER)
    code, out, err = _cli(capsys, "rules", "refusal-is-reject")
    assert code == 0, err
    assert "REJECT" in out and "delay_words" in out
    code, out, err = _cli(capsys, "rules", "no-such-rule")
    assert code == 2 and "E350" in err


def test_rules_cli_entry_point_without_rule():
    """The installed entry point, end to end: an unknown rule is one coded line, exit 2."""
    res = subprocess.run([sys.executable, "-m", "tidings", "eval", "plover", str(RECORDS),
                          "--without-rule", "no-such-rule"], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 2 and "E350" in res.stderr and "Traceback" not in res.stderr
