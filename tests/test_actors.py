

def test_actors_national_institution_takes_the_country_in_focus():
    # "the army", "security forces" with no state named are the article's main country's;
    # "UN peacekeeping forces" and foreign troops are not
    import tidings
    doc = tidings.extract("Mali's junta has ruled since 2020. Mali faces attacks. The army "
                          "deployed armoured vehicles on Wednesday. Security forces killed three "
                          "attackers. UN peacekeeping forces left.", published="2024-09-16")
    by_text = {a.text: a.country for a in doc.actors}
    assert by_text["army"] == "MLI" and by_text["Security forces"] == "MLI", by_text
    assert by_text.get("UN peacekeeping forces") != "MLI", by_text


def test_actors_country_name_inside_a_river_name_is_not_the_country():
    import tidings
    doc = tidings.extract("Malian soldiers patrolled the Niger River near Gao. The army said "
                          "the Niger River road was closed.", published="2024-09-16")
    assert all(a.country != "NER" for a in doc.actors), [(a.text, a.country) for a in doc.actors]
