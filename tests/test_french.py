"""French reading (issue 16): times, places, actors and events of French articles, and the
quality floors on the French fixtures (written before the French rules)."""

from __future__ import annotations

from datetime import date

import pytest

import tidings
from conftest import FIXTURES, ROOT
from tidings.stages.times_fr import find_times_fr

PUB = "2024-09-18"  # a Wednesday


def _fr(text: str, published: str = PUB) -> tidings.Document:
    return tidings.extract(text, published=published, language="fr")


@pytest.mark.parametrize("text,value", [
    ("Le mois dernier, l'armée a lancé une opération.", "2024-08"),
    ("Le camp a été attaqué mardi dernier.", "2024-09-17"),
    ("Le convoi a été attaqué il y a deux semaines.", "2024-W36"),
    ("La délégation se rendra à Abuja la semaine prochaine.", "2024-W39"),
    ("Le défilé s'est tenu le 14 juillet.", "2024-07-14"),
    ("Le pays est dirigé par des militaires depuis 2012.", "2012"),
    ("Les élections avaient été reportées l'année dernière.", "2023"),
    ("Hier, des manifestants ont bloqué la route.", "2024-09-17"),
    ("Les pourparlers reprendront en mars prochain.", "2025-03"),
    ("Le pays a été colonisé au XIXe siècle.", "18"),
])
def test_times_fr_values_without_a_parse(text, value):
    assert value in [t.value for t in find_times_fr(text, date.fromisoformat(PUB))]


def test_times_fr_tense_and_mods_with_the_parse():
    d = _fr("Les combats ont repris en décembre. Les élections auront lieu en décembre.")
    assert [t.value for t in d.times] == ["2023-12", "2024-12"]
    d = _fr("Les pluies ont été abondantes début septembre.")
    assert (d.times[0].value, d.times[0].mod) == ("2024-09", "START")
    d = _fr("Les affrontements ont éclaté dimanche soir près de Gao.")
    assert (d.times[0].type, d.times[0].value) == ("TIME", "2024-09-15TEV")
    d = _fr("Le 10 septembre, l'armée est entrée dans Kidal ; le lendemain, elle est repartie.")
    assert [t.value for t in d.times] == ["2024-09-10", "2024-09-11"]


def test_times_fr_value_accuracy_floor():
    """Issue 16 target: value accuracy >= 0.85 on the annotated list (measured 1.000; the floor
    leaves room for model versions, lowering it needs a reason in BENCHMARKS.md)."""
    from tidings.eval.french import timex_accuracy

    acc, n = timex_accuracy(FIXTURES / "fr_timex.tsv")
    assert n >= 100
    assert acc >= 0.95


def test_places_fr_exonyms_articles_and_elisions():
    d = _fr("Des combats ont éclaté dans l'Est du Tchad et près d'Agadez, au Niger. "
            "La Côte d'Ivoire et l'Égypte ont réagi depuis Tombouctou.")
    got = {p.text: (p.country, p.kind) for p in d.places}
    assert got["Tchad"] == ("TCD", "country")
    assert got["Agadez"][0] == "NER" and got["Niger"] == ("NER", "country")
    assert got["Côte d'Ivoire"] == ("CIV", "country") and got["Égypte"] == ("EGY", "country")
    assert got["Tombouctou"][0] == "MLI"
    assert "Est" not in got


def test_places_fr_demonym_forms():
    from tidings.stages.places_fr import demonym_forms_fr

    assert demonym_forms_fr("nigérien") == ["nigérien", "nigérienne", "nigériens",
                                             "nigériennes"]
    assert "sénégalaises" in demonym_forms_fr("sénégalais")
    d = _fr("Les autorités nigériennes et des soldats maliens ont été vus.")
    dem = {p.text: p.country for p in d.places if p.usage == "demonym"}
    assert dem == {"nigériennes": "NER", "maliens": "MLI"}


def test_actors_fr_same_records_as_english():
    d = _fr("La CEDEAO, l'AES, la MINUSMA, le JNIM et l'EIGS ont été cités. Les FAMa et les VDP "
            "ont riposté. Les soldats nigériens et le gouvernement de transition du Mali aussi.")
    got = {a.text: (a.kb_id, a.country, a.sector) for a in d.actors}
    assert got["CEDEAO"][0] == "IGO-ECOWAS"
    assert got["AES"][0] == "IGO-AES"
    assert got["MINUSMA"][0] == "IGO-MINUSMA"
    assert got["JNIM"][0] == "REB-JNIM"
    assert got["EIGS"][0] == "REB-ISSAHEL"
    assert got["FAMa"][1:] == ("MLI", "MIL")
    assert got["VDP"][1:] == ("BFA", "MIL")
    assert got["soldats nigériens"][1:] == ("NER", "MIL")
    assert got["gouvernement de transition du Mali"][1:] == ("MLI", "GOV")


def test_actors_fr_junta_is_the_country_in_focus():
    d = _fr("Le Niger a fermé sa frontière. La junte a ensuite expulsé trois diplomates.")
    junta = next(a for a in d.actors if a.text == "junte")
    assert junta.country == "NER" and junta.sectors == ["GOV", "MIL"]


def _events(text: str) -> list[tuple[str, str, list[str], list[str]]]:
    d = _fr(text)
    return [(e.type, e.modality, sorted({a.country or a.kb_id or "" for a in e.source}),
             sorted({a.country or a.kb_id or "" for a in e.target})) for e in d.events]


def test_events_fr_asserted_negated_future_hypothetical():
    assert ("ASSAULT", "asserted", ["REB-JNIM"], ["MLI"]) in _events(
        "Des combattants du JNIM ont attaqué mardi l'armée malienne près de Gao.")
    assert [m for t, m, _, _ in _events(
        "Les soldats maliens n'ont pas attaqué le village, a démenti l'armée.")
        if t == "ASSAULT"] == ["negated"]
    # a mobilisation announced for the future is THREATEN, as PLOVER codes English ones
    assert [(t, m) for t, m, _, _ in _events("Le Niger va déployer des renforts à Tillabéri.")
            ] == [("THREATEN", "future")]
    assert [m for t, m, _, _ in _events("Le Bénin pourrait fermer sa frontière avec le Niger.")
            if t in ("SANCTION", "THREATEN")] == ["hypothetical"]
    assert not [e for e in _events("Le gouvernement ne négociera pas avec les rebelles.")
                if e[0] == "CONSULT" and e[1] == "asserted"]


def test_events_fr_reported_speech_and_dates():
    d = _fr("Le Niger a expulsé mercredi trois diplomates béninois, selon la télévision publique.")
    (e,) = [e for e in d.events if e.type == "SANCTION"]
    assert e.date.start == "2024-09-18" and e.date.basis == "text"
    assert [a.country for a in e.target] == ["BEN"]
    assert e.reported_by and e.reported_by[0].sector == "MED"


@pytest.mark.slow
def test_events_fr_dev_set_floors():
    """Issue 16 targets on the dev set: recall >= 0.6, no asserted event from a negated or
    future statement (measured 0.973 and 0 after tuning; 0.784 and 2 at first run)."""
    from tidings.eval.french import dev_scores

    s = dev_scores(FIXTURES / "fr_dev")
    assert s["events"] >= 30 and s["statements"] >= 15
    assert s["recall"] >= 0.9
    assert s["false_asserted"] == 0


@pytest.mark.slow
def test_events_fr_check_set_floors():
    """The bundled French examples, with gold written before tidings read them and not used
    to tune the rules (measured recall 1.000, 1 false assertion before the auxiliary fix, 0
    after)."""
    from tidings.eval.french import dev_scores

    s = dev_scores(ROOT / "examples" / "fr", gold_path=FIXTURES / "fr_examples_gold.jsonl")
    assert s["events"] >= 12
    assert s["recall"] >= 0.8
    assert s["false_asserted"] == 0
