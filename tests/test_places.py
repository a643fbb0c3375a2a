"""Tests of the places stage (recognition, resolution, demonyms, metonymy) and the ruler."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tidings.model import Place
from tidings.parse import load_nlp
from tidings.stages.places import find_places, place_focus
from tidings.ruler import RULER_NAME, add_entity_rules


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


def places(nlp: Any, text: str) -> list[Place]:
    doc = nlp(text)
    out = find_places(doc)
    for p in out:
        assert text[p.start:p.end] == p.text
        assert 0.0 <= p.score <= 1.0
    return out


def by_text(ps: list[Place], text: str) -> list[Place]:
    return [p for p in ps if p.text == text]


NIAMEY = (
    "NIAMEY, Niger — Niger's military rulers said on Monday that the last US troops had left "
    "the country. Niger ordered the withdrawal after the coup. Officials in Niamey said the "
    "base near Agadez would be handed over to the Nigerien army."
)


def test_dateline_and_niger_country(nlp: Any) -> None:
    ps = places(nlp, NIAMEY)
    nigers = by_text(ps, "Niger")
    assert len(nigers) == 3  # dateline + two in the body
    for p in nigers:
        assert p.country == "NER" and p.kind == "country" and p.geonameid == 2440476
    niamey = [p for p in ps if p.text.lower() == "niamey"]
    assert niamey and all(p.country == "NER" and p.kind == "city" for p in niamey)
    assert place_focus(ps) == "NER"


@pytest.mark.parametrize("sentence", [
    "Niger said it would expel the French ambassador.",
    "Troops from Niger and Chad met on Tuesday.",
    "The junta in Niger closed the border with Benin.",
])
def test_niger_always_country(nlp: Any, sentence: str) -> None:
    ps = places(nlp, sentence)
    nigers = by_text(ps, "Niger")
    assert nigers, sentence
    assert all(p.country == "NER" and p.kind == "country" for p in nigers)


@pytest.mark.parametrize("name,iso3", [
    ("Mali", "MLI"), ("Benin", "BEN"), ("Togo", "TGO"), ("Russia", "RUS"),
    ("Burkina Faso", "BFA"), ("Ivory Coast", "CIV"), ("DRC", "COD"),
])
def test_countries_resolve(nlp: Any, name: str, iso3: str) -> None:
    ps = places(nlp, f"Officials from {name} attended the summit in Addis Ababa.")
    hit = by_text(ps, name)
    assert hit and hit[0].country == iso3 and hit[0].kind == "country"


def test_paris_texas(nlp: Any) -> None:
    ps = places(nlp, "The fire broke out in Paris, Texas, late on Saturday.")
    paris = by_text(ps, "Paris")[0]
    assert paris.country == "USA" and paris.admin1 == "TX"
    texas = by_text(ps, "Texas")[0]
    assert texas.kind == "admin1" and texas.country == "USA"


def test_paris_france_by_default(nlp: Any) -> None:
    ps = places(nlp, "Protesters marched through Paris on Saturday.")
    assert by_text(ps, "Paris")[0].country == "FRA"


def test_georgia_us_state(nlp: Any) -> None:
    ps = places(nlp, "Storms hit Atlanta, Georgia, and Savannah on Sunday; Georgia's governor "
                     "declared an emergency.")
    geo = by_text(ps, "Georgia")
    assert geo and all(p.country == "USA" and p.kind == "admin1" for p in geo)


def test_georgia_country(nlp: Any) -> None:
    ps = places(nlp, "Russian troops moved into Georgia after fighting near Tbilisi and "
                     "South Ossetia; Moscow and Tbilisi traded accusations.")
    geo = by_text(ps, "Georgia")
    assert geo and geo[0].country == "GEO" and geo[0].kind == "country"


def test_demonyms(nlp: Any) -> None:
    ps = places(nlp, "Nigerien soldiers and Turkish officials met American diplomats.")
    dem = {p.text: p for p in ps if p.usage == "demonym"}
    assert dem["Nigerien"].country == "NER"
    assert dem["Turkish"].country == "TUR"
    assert dem["American"].country == "USA"
    assert all(p.kind == "country" for p in dem.values())


def test_metonymy(nlp: Any) -> None:
    ps = places(nlp, "Washington said on Tuesday that the sanctions would stay. "
                     "Moscow denied the claims.")
    wash = by_text(ps, "Washington")[0]
    assert wash.usage == "metonymy" and wash.country == "USA" and wash.kind == "city"
    assert wash.lat == pytest.approx(38.9, abs=0.2)
    moscow = by_text(ps, "Moscow")[0]
    assert moscow.usage == "metonymy" and moscow.country == "RUS"


def test_regions(nlp: Any) -> None:
    ps = places(nlp, "Jihadist groups operate across the Sahel, and smugglers cross the "
                     "Sahara towards the Horn of Africa.")
    sahel = by_text(ps, "Sahel")[0]
    assert sahel.kind == "region" and sahel.country is None
    sahara = by_text(ps, "Sahara")[0]
    assert sahara.kind in ("feature", "region")
    assert by_text(ps, "Horn of Africa")[0].kind == "region"


def test_nested_in_org(nlp: Any) -> None:
    ps = places(nlp, "The Laurel County Sheriff's Office said two people were arrested in "
                     "London, Kentucky.")
    laurel = [p for p in ps if p.text.startswith("Laurel County")]
    assert laurel and laurel[0].kind == "admin2" and laurel[0].admin1 == "KY"
    london = by_text(ps, "London")[0]
    assert london.country == "USA" and london.admin1 == "KY"
    assert london.admin1_name == "Kentucky" and london.admin2 == "Laurel County"
    assert laurel[0].admin2 == "Laurel County"
    assert by_text(ps, "Kentucky")[0].admin2 is None


def test_unknown_not_guessed(nlp: Any) -> None:
    ps = places(nlp, "They met in Xqzvillebrook, a hamlet near the border.")
    (p,) = by_text(ps, "Xqzvillebrook")
    assert p.kind == "unresolved" and p.name == "Xqzvillebrook"
    assert p.geonameid is None and p.lat is None and p.lon is None
    assert p.country is None  # nothing in the text says where


def test_places_unresolved_keep_name_and_implied_country(nlp: Any) -> None:
    # an apposition names the country (and the division)
    ps = places(nlp, "Gunmen killed five villagers in Xqzvillebrook, Mopti, on Sunday, "
                     "while troops patrolled Bamako.")
    (p,) = by_text(ps, "Xqzvillebrook")
    assert (p.kind, p.country, p.admin1, p.lat) == ("unresolved", "MLI", "04", None)
    # else the article's focus country
    ps = places(nlp, "Mali's army said jihadists attacked Kwarbassoungou's market on Sunday. "
                     "Troops from Mopti and Sevare were sent to the area, the army in Bamako "
                     "said.")
    (p,) = [q for q in ps if q.text.startswith("Kwarbassoungou")]
    assert p.name == "Kwarbassoungou" and p.kind == "unresolved" and p.country == "MLI"


def test_place_focus_empty() -> None:
    assert place_focus([]) is None


def test_ruler_idempotent(nlp: Any) -> None:
    n = nlp.pipe_names.count(RULER_NAME)
    add_entity_rules(nlp)
    assert nlp.pipe_names.count(RULER_NAME) == n == 1
    assert nlp.pipe_names.index(RULER_NAME) < nlp.pipe_names.index("ner")
    doc = nlp("Niger and the Horn of Africa; Nigerien officials.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Niger") == "GPE"
    assert labels.get("Horn of Africa") == "LOC"
    assert labels.get("Nigerien") == "NORP"
    doc = nlp("He moved from New Mexico to Jersey City.")
    assert {e.text for e in doc.ents} >= {"New Mexico", "Jersey City"}


def test_places_stage_is_cheap(nlp: Any) -> None:
    text = " ".join([NIAMEY] * 15)
    find_places(nlp(NIAMEY))  # warm the gazetteer
    t0 = time.perf_counter()
    docs = [nlp(text) for _ in range(3)]
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        find_places(d)
    t_places = time.perf_counter() - t0
    # Target <= 20 % of the parse (measured ~3 % on the corpora); generous for noisy CI.
    assert t_places < 0.5 * t_parse


@pytest.mark.parametrize(("text", "name", "country"), [
    # NER says PERSON or NORP; the gazetteer and the context say place
    ("Militants stormed Diapaga, a town in Burkina Faso's Tapoa province.", "Diapaga", "BFA"),
    ("The attack in Kidal was claimed by JNIM.", "Kidal", "MLI"),
])
def test_places_recognizer_overrides_ner_labels(nlp: Any, text: str, name: str,
                                                country: str) -> None:
    from tidings.gazetteer import load_gazetteer
    from tidings.stages.places import find_mentions, recognise, resolve

    (p,) = by_text(places(nlp, text), name)
    assert p.country == country and p.lat is not None
    doc = nlp(text)
    g = load_gazetteer()
    off = resolve(doc, recognise(doc, find_mentions(doc, g), g, model={}), g)
    assert not [q for q in off if q.text == name and q.lat is not None]  # the rules alone


def test_places_recognizer_keeps_people_out(nlp: Any) -> None:
    ps = places(nlp, "President Paris Hilton met Mr. Lincoln and Gen. Jackson on Monday.")
    assert not [p for p in ps if p.text in ("Paris", "Lincoln", "Jackson")]


def test_eval_geo_split_is_every_fourth_document() -> None:
    from tidings.eval.geo import split_docs
    from tidings.eval.geo_corpora import GeoDoc

    docs = [GeoDoc(str(n), "") for n in range(10)]
    assert [d.id for d in split_docs(docs, "test")] == ["3", "7"]
    assert [d.id for d in split_docs(docs, "dev")] == ["0", "1", "2", "4", "5", "6", "8", "9"]
    assert split_docs(docs, "all") == docs


def test_places_the_town_of_names_a_town_not_the_division_of_the_same_name() -> None:
    import tidings

    doc = tidings.extract("Israeli strikes hit the southern Lebanese town of Nabatieh.",
                          published="2024-07-08")
    (p,) = [p for p in doc.places if p.text == "Nabatieh"]
    assert p.kind == "city", (p.name, p.kind)
    doc = tidings.extract("Gunmen attacked villages in Mopti region.", published="2024-07-08")
    (p,) = [p for p in doc.places if p.text == "Mopti"]
    assert p.kind == "admin1", (p.name, p.kind)


def test_a_lower_case_common_noun_is_no_place(nlp: Any) -> None:
    # "off its east coast": the direction word is trimmed and "coast" is a common noun, not
    # Tanzania's Coast region
    ps = places(nlp, "North Korea fired a ballistic missile into the sea off its east coast on "
                     "Thursday.")
    assert [p.country for p in ps] == ["PRK"], [(p.text, p.country) for p in ps]
    # a capitalised "Coast" still resolves
    ps = places(nlp, "Flooding hit Kenya's Coast region on Monday.")
    assert any(p.text.startswith("Coast") for p in ps), [(p.text, p.country) for p in ps]


def test_places_hyphenated_names_the_tokenizer_splits_are_found_whole():
    # the tokenizer splits "Mazar-e-Sharif" and the NER labels a part of it at best
    import tidings
    for text, name in (("The Taliban captured Mazar-e-Sharif in May.", "Mazār-e Sharīf"),
                       ("Wagner fighters took control of Rostov-on-Don on Saturday.",
                        "Rostov-on-Don"),
                       ("Police arrested five men at the Seme-Kpodji oil terminal.",
                        "Seme-Kpodji")):
        places = tidings.extract(text, published="2024-06-06").places
        assert [p.name for p in places] == [name], (text, places)
    # given names before a surname, an Arabic article's group name, a prefix: no place
    doc = tidings.extract("Jean-Pierre Bemba said the Islamic State of Iraq and Al-Sham had "
                          "withdrawn.", published="2024-06-06")
    assert not [p for p in doc.places if "-" in p.text], doc.places
