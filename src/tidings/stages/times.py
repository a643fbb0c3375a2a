"""Temporal expressions: a TIMEX3 tagger and normaliser for English news.

:func:`find_times` finds temporal expressions with a handful of compiled regular expressions
(each one a small grammar of English date, time, duration and set expressions) and normalises
them against the publication date. Relative expressions are resolved with the tense of the
clause ("on Monday" in a past-tense clause is the latest Monday on or before publication,
in a future clause the next one), taken from the spaCy parse when one is given and from
lexical cues otherwise. Anaphoric expressions ("the next day", "two days later",
"a year earlier") are anchored on the date last mentioned in the text.

Span and value conventions follow TimeML/TimeBank (TBAQ): prepositions are outside the span,
determiners and modifiers ("the", "early", "more than", "ago") inside; "now" is
``PRESENT_REF``, "recently"/"recent years" ``PAST_REF``, "soon"/"the future" ``FUTURE_REF``;
"earlier this year" is the year with mod ``START``; sets use the period ("daily" ``P1D``).

:func:`value_range` turns a DATE value (and mod) into the calendar days it covers.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from ..model import Time

__all__ = ["find_times", "value_range"]

# --------------------------------------------------------------------------- lexicon

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
     ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
     ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")), start=1):
    for _n in _names:
        _MONTHS[_n] = _i
_WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate(
    (("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
     ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
     ("sunday", "sun"))):
    for _n in _names:
        _WEEKDAYS[_n] = _i
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_TOD = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMWORDS: dict[str, float] = {w: i for i, w in enumerate(_ONES)}
_NUMWORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
_NUMWORDS.update({"a": 1, "an": 1, "one": 1, "a hundred": 100, "one hundred": 100,
                  "hundred": 100, "a thousand": 1000, "thousand": 1000, "half a": 0.5,
                  "a half": 0.5, "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12,
                  "two thousand": 2000})
_VAGUE = {"several", "a few", "few", "some", "many", "the", "the few", "couple", "numerous",
          "a number of"}

_MONTH_RE = (r"(?:jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|"
             r"june|july|jun\.?|jul\.?|aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|"
             r"nov(?:ember|\.)?|dec(?:ember|\.)?)")
_WD_RE = (r"(?:mon(?:day|\.)|tue(?:sday|s?\.)|wed(?:nesday|\.)|thu(?:rsday|rs?\.|\.)|"
          r"fri(?:day|\.)|sat(?:urday|\.)|sun(?:day|\.)|monday|tuesday|wednesday|thursday|"
          r"friday|saturday|sunday)")
_WD_FULL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM_RE = (r"(?:\d+(?:[.,]\d+)?|(?:" + "|".join(_TENS) + r")(?:[- ](?:one|two|three|four|five|"
           r"six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
           r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
           r"(?:a|one)\s+hundred|two\s+thousand|a\s+thousand|half\s+a|a\s+half|"
           r"a\s+couple\s+of|couple\s+of|a\s+dozen|dozen|a\s+few|a\s+number\s+of|several|"
           r"few|some|many|numerous|an|a)")
_UNIT_RE = (r"(?:(?:trading|business|working|calendar)\s+)?(?:seconds?|minutes?|hours?|days?|"
            r"nights?|weeks?|fortnights?|months?|quarters?|years?|decades?|centur(?:y|ies)|"
            r"weekends?|summers?|winters?|millenni(?:um|a))")
_UNIT_CODE = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
              "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE",
              "century": "CE", "weekend": "WE", "summer": "Y", "winter": "Y", "millennium": "L"}
_UNIT_GRAN = {"second": "second", "minute": "minute", "hour": "hour", "day": "day",
              "night": "day", "week": "week", "fortnight": "week", "month": "month",
              "quarter": "quarter", "year": "year", "decade": "decade", "century": "century",
              "weekend": "week", "summer": "year", "winter": "year", "millennium": "century"}

_QMOD = {"more than": "MORE_THAN", "over": "MORE_THAN", "longer than": "MORE_THAN",
         "less than": "LESS_THAN", "fewer than": "LESS_THAN", "under": "LESS_THAN",
         "almost": "LESS_THAN", "nearly": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS",
         "within": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
         "at most": "EQUAL_OR_LESS", "at least": "EQUAL_OR_MORE", "no less than": "EQUAL_OR_MORE",
         "about": "APPROX", "around": "APPROX", "some": "APPROX", "roughly": "APPROX",
         "approximately": "APPROX", "nearly a": "EQUAL_OR_LESS", "just over": "MORE_THAN",
         "just under": "LESS_THAN", "well over": "MORE_THAN"}
_QMOD_RE = (r"(?:(?P<qmod>more\s+than|less\s+than|fewer\s+than|longer\s+than|no\s+more\s+than|"
            r"no\s+less\s+than|at\s+least|at\s+most|up\s+to|nearly|almost|"
            r"just\s+over|just\s+under|well\s+over)\s+)?")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


_B = r"(?<![\w$.])"  # left word boundary that also refuses "$1998" and "3.1998"
_E = r"(?![\w])"

# --------------------------------------------------------------------------- patterns

# "Saturday, April 25" / "Friday Oct. 13": a weekday naming the same day is part of the date
_P_MDY = _rx(_B + r"(?:(?P<wdp>" + _WD_FULL + r"),?\s+)?(?P<mon>" + _MONTH_RE + r")\s+"
             r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?" + _E +
             r"(?:,?\s+(?P<year>(?:1[6-9]|20)\d\d)" + _E + r")?")
_P_DMY = _rx(_B + r"(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
             r"\s+(?:of\s+)?(?P<mon>" + _MONTH_RE + r")" + r"(?:,?\s+(?P<year>(?:1[6-9]|20)\d\d))?"
             + _E)
_P_MY = _rx(_B + r"(?P<mon>" + _MONTH_RE + r"),?\s+(?:of\s+)?(?P<year>(?:1[6-9]|20)\d\d)" + _E)
_P_ISO = _rx(_B + r"(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)" + _E)
_P_SLASH = _rx(_B + r"(?P<m>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)?\d\d)" + _E)
_P_MONTH = _rx(_B + r"(?:(?P<rel>last|next|this|past|coming|previous|that)\s+)?(?P<mon>"
               + _MONTH_RE + r")(?![\w-])(?:\s+(?P<ry>last|this|next)\s+year\b)?")
_P_YEAR = _rx(r"(?:(?<![\w$.,#/-])|(?<=\bmid-)|(?<=\bpre-)|(?<=\bpost-))"
              r"(?:(?P<fy>fiscal(?:\s+year)?|FY|calendar(?:\s+year)?|"
              r"model\s+year)\s*'?)?(?P<year>(?:1[7-9]|20)\d\d|(?<=FY)\d\d|(?<=FY\s)\d\d)"
              r"(?P<sfx>'s)?(?![\w%]|[.,]\d|\s*(?:percent|per\s+cent|%))")
_P_DECADE_WORD = _rx(_B + r"(?:the\s+)?(?:(?P<pm>early|mid|late)[\s-]+)?(?P<w>twenties|thirties|"
                     r"forties|fifties|sixties|seventies|eighties|nineties)" + _E)
_P_DECADE = _rx(r"(?<![\w$])(?:the\s+)?(?:(?P<pm>early|mid|late)[\s-]+)?"
                r"(?P<dec>1\d\d0|20\d0|'\d0)'?s"
                + _E)
_P_CENTURY = _rx(_B + r"(?:the\s+)?(?P<ord>\d{1,2})(?:st|nd|rd|th)[\s-]+century" + _E)
_P_QUARTER = _rx(_B + r"(?:(?P<det>the|this|last|next|(?:this|last|next)\s+year's|its|their)\s+)?"
                 r"(?:(?P<adj>current|latest|previous|past|same|recent|fiscal|coming|"
                 r"year-earlier|year-ago)\s+)?(?:(?P<adj2>fiscal|calendar)[\s-]+)?"
                 r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?"
                 r"(?P<unit>quarter|half)s?(?:\s+of\s+(?:fiscal\s+)?(?P<year>(?:19|20)\d\d))?"
                 + _E)
_P_QUARTER2 = _rx(_B + r"(?:the\s+)?(?P<year>(?:19|20)\d\d)(?:'s)?\s+"
                  r"(?P<ord>first|second|third|fourth)"
                  r"[\s-]+(?P<unit>quarter|half)" + _E)
_P_SEASON = _rx(_B + r"(?:(?P<rel>last|next|this|past|coming|the|early|late|mid|the\s+early|"
                r"the\s+late)\s+)?(?P<season>spring|summer|fall|autumn|winter)"
                r"(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d))?" + _E)
_P_REL = _rx(_B + r"(?P<rel>last|next|this|past|coming|previous|current|that|"
             r"the\s+(?:past|last|next|coming|previous|current|latest|same|following|prior|"
             r"preceding|current|full|entire|whole)|the)\s+(?P<unit>week|month|year|quarter|weekend|decade|"
             r"century|fiscal\s+year|half|period|year-end)(?![\w-])")
_P_EARLIER = _rx(_B + r"(?P<el>earlier|later)\s+(?:(?P<rel>this|last|next|that)\s+|in\s+the\s+)"
                 r"(?P<unit>week|month|year|decade|century|day|morning|afternoon|evening|season)"
                 + _E)
_P_WEEKDAY = _rx(_B + r"(?:(?P<rel>last|next|this|past|coming|that)\s+)?(?P<wd>" + _WD_FULL
                 + r")(?P<pl>s)?(?:\s+(?P<tod>morning|afternoon|evening|night))?" + _E)
_P_DEICTIC = _rx(_B + r"(?P<w>now|today|tonight|yesterday|tomorrow|currently|recently|lately|"
                 r"nowadays|these\s+days|at\s+present|the\s+present|the\s+past|the\s+future|"
                 r"overnight|year-end|year's\s+end|year\s+end|"
                 r"(?:this|last|tomorrow|yesterday|later\s+this|early\s+this|late\s+this|"
                 r"earlier\s+this|the)\s+(?:morning|afternoon|evening|night)|"
                 r"(?:the\s+)?(?:day|night)\s+before\s+yesterday|"
                 r"(?:the\s+)?day\s+after\s+tomorrow|"
                 r"recent\s+(?:days|weeks|months|quarters|years|decades|times)|"
                 r"current)" + _E)
_P_AGO = _rx(_B + _QMOD_RE + r"(?P<num>" + _NUM_RE + r")[\s-]+(?:(?:more|full|whole)\s+)?"
             r"(?P<unit>" + _UNIT_RE + r")(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|before|after|"
             r"from\s+now|hence|previously|back)" + _E)
_P_ANAPH = _rx(_B + r"(?:the\s+)?(?P<w>(?:following|next|previous|prior|preceding|same)\s+"
               r"(?:day|morning|afternoon|evening|night|week|month|year)|"
               r"(?:day|week|month|year)\s+(?:before|after|earlier|later)|"
               r"that\s+(?:day|morning|afternoon|evening|night|week|month|year))" + _E)
_P_YEAR_EARLIER = _rx(_B + r"(?:the\s+)?(?P<w>year-earlier|year-ago|year\s+earlier|year\s+ago)"
                      r"(?:\s+(?P<unit>quarter|period|month|year|level))?" + _E)
_P_DURATION = _rx(_B + _QMOD_RE + r"(?P<det>(?:the|a|its|their|his|her)\s+)?"
                  r"(?:(?P<adj>past|last|next|coming|previous|first|final|latest|recent|"
                  r"remaining|initial|following|preceding|prior|entire|whole|full)\s+)?"
                  r"(?P<num>" + _NUM_RE + r")(?:\s+(?:more|additional|straight|consecutive|"
                  r"full|long|successive|)\s*|\s*-\s*|\s+)(?P<unit>" + _UNIT_RE + r")" + _E)
_P_NUMRANGE = _rx(_B + r"(?P<a>" + _NUM_RE + r")\s+(?:to|or)\s+(?P<num>" + _NUM_RE + r")\s+"
                  r"(?P<unit>" + _UNIT_RE + r")" + _E)
_P_BARE = _rx(r"\b(?:for|over|in|within|after|took|take|takes|lasted|last|spent|spend)\s+"
              r"(?P<core>(?P<unit>years|months|weeks|days|decades|hours|minutes|centuries|ages))"
              + _E)
_P_SET = _rx(_B + r"(?P<w>(?:every|each|per)\s+(?:other\s+)?(?:day|night|week|month|year|quarter|"
             r"hour|minute|morning|evening|weekend|" + _WD_FULL + r"|spring|summer|fall|autumn|"
             r"winter|january|february|march|april|june|july|august|september|october|november|"
             r"december)|daily|weekly|monthly|yearly|hourly|nightly|biweekly|"
             r"bimonthly|semiannually|annually)" + _E)
_P_SET2 = _rx(r"(?:\b(?:once|twice|times))\s+"
              r"(?P<core>(?P<w>a\s+(?:day|week|month|year)|an\s+hour))" + _E)
_P_CLOCK = _rx(r"(?<![\w.:$])(?:(?P<approx>around|about|at\s+about|approximately)\s+)?"
               r"(?P<h>[01]?\d)"
               r"(?::(?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\b\.?|p\.m\b\.?|am\b|pm\b|o'clock)"
               r"(?:\s+(?P<tz>EST|EDT|CST|CDT|PST|PDT|MST|MDT|GMT|UTC|local\s+time)\b)?"
               r"(?:,?\s+(?:on\s+)?(?P<day>today|yesterday|tomorrow|tonight|" + _WD_FULL + r")|"
               r",?\s+(?:on\s+)?(?P<cmon>" + _MONTH_RE + r")\s+(?P<cday>[0-3]?\d)\b)?")
_P_NOON = _rx(_B + r"(?P<w>noon|midnight|midday|mid-?\s?afternoon|mid-?\s?morning)"
              r"(?:,?\s+(?P<day>today|yesterday|tomorrow|" + _WD_FULL + r"))?" + _E)
_P_HOLIDAY = _rx(_B + r"(?P<w>christmas(?:\s+(?:day|eve))?|new\s+year's(?:\s+(?:day|eve))?|"
                 r"thanksgiving(?:\s+day)?|independence\s+day|halloween|"
                 r"valentine's\s+day|labor\s+day|memorial\s+day|easter(?:\s+sunday)?)"
                 r"(?:\s+(?P<year>(?:19|20)\d\d))?" + _E)

_P_SPOKEN_YEAR = _rx(_B + r"(?:the\s+year\s+)?(?P<w>nineteen(?:\s+hundred)?(?:\s+and)?\s+(?:"
                     + "|".join(_TENS) + r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                     r"seventeen|eighteen|nineteen)(?:[- ](?:one|two|three|four|five|six|seven|"
                     r"eight|nine))?|two\s+thousand(?:\s+and)?(?:\s+(?:one|two|three|four|five|"
                     r"six|seven|eight|nine|ten))?)" + _E)
_P_VAGUE = _rx(_B + r"(?:the\s+)?(?P<w>(?:coming|next\s+few|past\s+few|last\s+few)\s+(?P<unit>days|"
               r"weeks|months|quarters|years|decades)|near\s+future|near\s+term|short\s+term|long\s+term)"
               + _E)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mdy", _P_MDY), ("dmy", _P_DMY), ("my", _P_MY), ("iso", _P_ISO), ("slash", _P_SLASH),
    ("month", _P_MONTH), ("year", _P_YEAR), ("decade", _P_DECADE),
    ("decadeword", _P_DECADE_WORD), ("century", _P_CENTURY),
    ("quarter", _P_QUARTER), ("quarter2", _P_QUARTER2), ("season", _P_SEASON),
    ("rel", _P_REL), ("earlier", _P_EARLIER), ("weekday", _P_WEEKDAY), ("deictic", _P_DEICTIC),
    ("ago", _P_AGO), ("anaph", _P_ANAPH), ("yearearlier", _P_YEAR_EARLIER),
    ("duration", _P_DURATION), ("numrange", _P_NUMRANGE), ("bare", _P_BARE), ("set", _P_SET),
    ("set2", _P_SET2),
    ("clock", _P_CLOCK), ("noon", _P_NOON), ("holiday", _P_HOLIDAY),
    ("spoken", _P_SPOKEN_YEAR), ("vague", _P_VAGUE),
)

# modifiers that extend a found DATE span leftwards ("early", "the end of")
_LEFT_MOD = re.compile(
    r"\b(?:(?P<pos>the\s+(?:beginning|start|middle|end|close|rest|remainder|turn|first\s+half|"
    r"second\s+half|early\s+part|latter\s+part|later\s+part)\s+of(?:\s+the)?)|"
    r"(?:the\s+)?(?P<adj>early|late|mid|end))[\s-]*$", re.IGNORECASE)
_POS_MOD = {"beginning": "START", "start": "START", "early": "START", "middle": "MID",
            "mid": "MID", "end": "END", "close": "END", "late": "END", "turn": "END",
            "earlier": "START", "first half": "START", "second half": "END",
            "early part": "START", "latter part": "END", "later part": "END"}

_FUTURE_CUE = _rx(r"\b(?:will|won't|'ll|shall|would|going\s+to|plans?\s+to|planned\s+to|"
                  r"planning\s+to|expects?\s+to|expected\s+to|scheduled|is\s+to|are\s+to|"
                  r"set\s+to|intends?\s+to|due\s+to|next|upcoming|coming)\b")
_FUTURE_LEMMAS = {"plan", "expect", "schedule", "intend", "hope", "aim", "prepare", "set",
                  "propose", "promise", "vow", "pledge", "threaten", "want", "seek"}
#: verbs of intent whose past tense is itself the act a time dates ("set fire", "vowed")
_PAST_ACTS = {"set", "vow", "pledge", "promise", "threaten"}
_SENT_END = re.compile(r"[.!?]\s+(?=[A-Z\"'`])|\n\s*\n")

# --------------------------------------------------------------------------- helpers


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    m: re.Match[str]
    prio: int


def _num(word: str | None) -> float | None:
    """Return the number a numeral stands for, None for vague quantities ("several")."""
    if word is None:
        return None
    w = re.sub(r"\s+", " ", word.lower().strip())
    if w in _VAGUE:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", w):
        return float(w.replace(",", ""))
    if w in _NUMWORDS:
        return float(_NUMWORDS[w])
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in _NUMWORDS and parts[1] in _NUMWORDS:
        return float(_NUMWORDS[parts[0]] + _NUMWORDS[parts[1]])
    return None


def _unit(word: str) -> str:
    w = word.lower().split()[-1]
    if w.startswith("centur"):
        return "century"
    if w.startswith("millenni"):
        return "millennium"
    return w[:-1] if w.endswith("s") and w[:-1] in _UNIT_CODE else w


def _fmt_num(n: float) -> str:
    return str(int(n)) if n == int(n) else str(n)


def _duration(n: float | None, unit: str) -> str:
    """Return the ISO-8601 duration of ``n`` ``unit``s (``X`` for vague numbers)."""
    if unit == "weekend":
        return "P2D" if n == 1 else ("P" + (_fmt_num(n) if n else "X") + "WE")
    if unit == "fortnight" and n is not None:
        return f"P{_fmt_num(2 * n)}W"
    if unit == "decade" and n is not None:
        return f"P{_fmt_num(10 * n)}Y"
    if unit == "century" and n is not None:
        return f"P{_fmt_num(100 * n)}Y"
    if unit == "quarter" and n is not None:
        return f"P{_fmt_num(n)}Q"
    if unit == "millennium" and n is not None:
        return f"P{_fmt_num(n)}L"
    code = _UNIT_CODE.get(unit, "X")
    q = "X" if n is None else _fmt_num(n)
    return f"PT{q}{code}" if unit in ("hour", "minute", "second") else f"P{q}{code}"


def _month_num(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year = d.year + y
    month = m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _value_of(d: date, gran: str) -> str:
    if gran == "day":
        return d.isoformat()
    if gran == "week":
        return _week(d)
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "quarter":
        return f"{d.year:04d}-Q{_quarter(d)}"
    if gran == "decade":
        return f"{d.year // 10:03d}"
    if gran == "century":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def _shift(d: date, n: int, unit: str) -> date:
    if unit in ("day", "night"):
        return d + timedelta(days=n)
    if unit in ("week", "weekend"):
        return d + timedelta(weeks=n)
    if unit == "fortnight":
        return d + timedelta(weeks=2 * n)
    if unit == "month":
        return _add_months(d, n)
    if unit == "quarter":
        return _add_months(d, 3 * n)
    if unit == "decade":
        return _add_months(d, 120 * n)
    if unit == "century":
        return _add_months(d, 1200 * n)
    return _add_months(d, 12 * n)


def _parse_value_date(value: str) -> tuple[date, str] | None:
    """Return a representative date and the granularity of a DATE value, if it has one."""
    m = re.match(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", value)
    if m and value[:4].isdigit():
        y = int(m.group(1))
        if m.group(3):
            return date(y, int(m.group(2)), int(m.group(3))), "day"
        if m.group(2):
            return date(y, int(m.group(2)), 1), "month"
        rest = value[4:]
        wm = re.match(r"-W(\d\d)", rest)
        if wm:
            return date.fromisocalendar(y, max(1, min(52, int(wm.group(1)))), 1), "week"
        qm = re.match(r"-Q(\d)", rest)
        if qm:
            return date(y, 3 * int(qm.group(1)) - 2, 1), "quarter"
        return date(y, 1, 1), "year"
    return None


# --------------------------------------------------------------------------- tense


class _Context:
    """Per-document state: the text, publication date, parse and the last mentioned date."""

    def __init__(self, text: str, published: date, doc: Any) -> None:
        self.text = text
        self.dct = published
        self.doc = doc
        self.anchor: tuple[date, str] | None = None
        self.qanchor: date | None = None  # the quarter last named explicitly
        self._bounds: list[int] | None = None
        self._tok_starts: list[int] | None = None

    def sentence(self, pos: int) -> tuple[int, int]:
        if self._bounds is None:
            b = [0]
            if self.doc is not None:
                b = sorted({s.start_char for s in self.doc.sents} | {0})
            else:
                b += [m.end() for m in _SENT_END.finditer(self.text)]
            b.append(len(self.text))
            self._bounds = b
        import bisect

        i = bisect.bisect_right(self._bounds, pos) - 1
        i = max(0, min(i, len(self._bounds) - 2))
        return self._bounds[i], self._bounds[i + 1]

    def token_at(self, pos: int) -> Any:
        if self.doc is None:
            return None
        if self._tok_starts is None:
            self._tok_starts = [t.idx for t in self.doc]
        import bisect

        i = bisect.bisect_right(self._tok_starts, pos) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def tense(self, start: int, end: int) -> str:
        """Return "past", "future", "present" or "unknown" for the clause of ``text[start:end]``.
        """
        before = self.text[max(0, start - 40):start].lower()
        if re.search(r"\bas\s+(?:soon|early)\s+as\s+$", before):
            return "future"
        if re.search(r"\b(?:until|till|through|by|before)\s+(?:(?:the\s+)?(?:early|mid|late|"
                     r"end\s+of|middle\s+of|beginning\s+of|start\s+of)[\s-]+(?:the\s+)?)?$",
                     before):
            return "unknown"  # a deadline: the nearest such date
        if re.search(r"\b(?:since|ago|last)\s+$", before):
            return "past"
        tok = self.token_at(start)
        if tok is not None:
            t = _tense_from_parse(tok)
            if t not in (None, "unknown"):
                return t
        s, e = self.sentence(start)
        seg = self.text[s:start]
        after = self.text[end:e]
        if tok is not None:
            return "unknown"
        if _FUTURE_CUE.search(seg[-120:]) or _FUTURE_CUE.search(after[:60]):
            return "future"
        return "unknown"


def _tense_from_parse(tok: Any) -> str | None:  # noqa: C901 (a flat case analysis, kept whole for now)
    # the direct governor: the head, or the head of the preposition the timex hangs on
    verb = tok
    for _ in range(4):
        # a "verb" that is a preposition's object is a noun the tagger got wrong ("in the
        # missile strikes early on Wednesday"): the clause's verb is further up
        if verb.pos_ in ("VERB", "AUX") and verb.dep_ != "pobj" or verb.head is verb:
            break
        if verb is tok or verb.pos_ in ("ADP", "PROPN", "NUM") or verb.dep_ in ("compound",
                                                                               "nummod", "pobj",
                                                                               "npadvmod"):
            verb = verb.head
        else:
            break
    if verb.pos_ not in ("VERB", "AUX"):
        return "unknown"
    chain = [verb]
    v = verb
    while v.dep_ in ("xcomp", "ccomp", "conj", "advcl") and v.head is not v and len(chain) < 3:
        v = v.head
        chain.append(v)
    if any(c.dep_ == "prep" and c.lower_ == "since" for c in tok.head.children) or (
            tok.head.lower_ == "since"):
        return "past"
    for i, v in enumerate(chain):
        auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        lowers = {a.lower_ for a in auxes}
        if lowers & {"will", "'ll", "wo", "shall", "would", "'d", "might", "may", "can",
                      "should", "must", "ca"}:
            return "future"
        if any(a.lower_ == "going" for a in auxes) or v.lemma_ in _FUTURE_LEMMAS and not (
                i == 0 and v.tag_ == "VBD" and v.lemma_ in _PAST_ACTS):
            # "plans to meet on Monday", "planned a march on Saturday", "is set for Tuesday";
            # but a past act the time hangs on is past: "on Saturday, protesters set fire",
            # "vowed on Sunday to retaliate"
            return "future"
        if v.tag_ == "VB" and any(a.lower_ == "to" for a in auxes) and v.head.lemma_ == "be":
            return "future"  # "is to resume trading Tuesday"
        if v.tag_ in ("VBD",) or lowers & {"had", "did", "was", "were", "has", "have"}:
            return "past"
        if v.tag_ == "VBN" and not lowers & {"be", "been", "being", "is", "are"}:
            return "past"
        if v.tag_ == "MD":
            return "future"
        if v.tag_ in ("VBZ", "VBP") and i == 0:
            if v.lemma_ in ("say", "tell", "report", "announce", "be", "have", "claim", "add",
                            "note", "accuse", "deny"):
                return "unknown"
            return "present"
        if v.tag_ == "VBG" and lowers & {"is", "are", "am", "'s", "'re"}:
            return "future"
        if v.tag_ == "VB" and any(a.lower_ == "to" for a in auxes):
            continue
    return "unknown"


# --------------------------------------------------------------------------- resolution


def _weekday_date(dct: date, wd: int, tense: str, rel: str | None) -> date:
    diff = wd - dct.weekday()
    if rel in ("next", "coming"):
        return dct + timedelta(days=diff + 7 if diff <= 0 else diff)
    if rel in ("last", "past"):
        return dct + timedelta(days=diff - 7 if diff >= 0 else diff)
    if rel == "this":
        return dct + timedelta(days=diff)
    if tense in ("future", "present"):
        return dct + timedelta(days=diff % 7)
    return dct - timedelta(days=(-diff) % 7)


def _month_year(dct: date, month: int, tense: str, rel: str | None) -> int:
    if rel in ("last", "past", "previous"):
        return dct.year if month < dct.month else dct.year - 1
    if rel in ("next", "coming"):
        return dct.year if month > dct.month else dct.year + 1
    if rel == "this":
        return dct.year
    if tense == "future":
        return dct.year if month >= dct.month else dct.year + 1
    if tense in ("present", "unknown"):
        diff = month - dct.month
        if diff >= 6:
            return dct.year - 1
        if diff < -6:
            return dct.year + 1
        return dct.year
    return dct.year if month <= dct.month else dct.year - 1


def _lower(m: re.Match[str], g: str) -> str | None:
    v = m.group(g)
    return re.sub(r"\s+", " ", v.lower()) if v else None


_Res = tuple[str, str, str | None, str]  # type, value, mod, granularity
_Resolver = Callable[[_Cand, _Context, str], "_Res | None"]

#: kinds whose value depends on the tense of their clause ("on Monday", "in April")
_TENSED = frozenset({"mdy", "dmy", "month", "weekday", "season", "holiday", "quarter", "clock",
                     "noon"})


def _resolve(c: _Cand, ctx: _Context) -> _Res | None:
    """Normalise candidate ``c``: the resolver of its kind (see :data:`_RESOLVERS`)."""
    tense = ctx.tense(c.start, c.end) if c.kind in _TENSED else "past"
    resolver = _RESOLVERS.get(c.kind)
    return resolver(c, ctx, tense) if resolver is not None else None


def _res_calendar(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A calendar date or month: "March 5, 2024", "5 March", "March 2024", ISO, 3/5/24."""
    m, kind, dct = c.m, c.kind, ctx.dct
    mon = int(m.group("m")) if kind in ("iso", "slash") else _month_num(m.group("mon"))
    if mon is None or not 1 <= mon <= 12:
        return None
    y_s = m.group("year")
    if y_s is None:
        year = _month_year(dct, mon, tense, None)
    else:
        year = int(y_s) if len(y_s) == 4 else (1900 + int(y_s) if int(y_s) > 40 else 2000
                                               + int(y_s))
    if kind == "my":
        return "DATE", f"{year:04d}-{mon:02d}", None, "month"
    day = int(m.group("day"))
    if not _valid(year, mon, day):
        return None
    if y_s is None and m.group("mon").lower().startswith("mar") and m.group(
            "mon") != "March" and m.group("mon")[0].islower():
        return None
    return "DATE", date(year, mon, day).isoformat(), None, "day"


def _res_month(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A month name: "in April", "last March", "May next year"."""
    m, dct = c.m, ctx.dct
    word = m.group("mon")
    if word.lower() == "may" and word != "May":
        return None
    if word.lower().rstrip(".") in ("mar", "jan", "jun", "jul", "sep", "oct", "nov", "dec",
                                    "feb", "apr", "aug", "sept") and not word.endswith("."):
        return None
    if word.lower() in ("march", "may") and not m.group("rel"):
        before = ctx.text[max(0, c.start - 25):c.start].lower()
        if not re.search(r"\b(?:in|of|since|until|till|by|during|from|through|to|early|late|"
                         r"mid|last|next|this|before|after|between|and|or|end|beginning|"
                         r"middle|start)[\s-]*$", before):
            return None
    if word[0].islower():
        return None
    mon = _month_num(word)
    assert mon is not None
    rel = _lower(m, "rel")
    year = _month_year(dct, mon, tense, rel)
    ry = _lower(m, "ry")
    if ry:
        year = dct.year + {"last": -1, "next": 1}.get(ry, 0)
    return "DATE", f"{year:04d}-{mon:02d}", None, "month"


def _res_year(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A year: "1998", "'98", "fiscal 1999" (a number of four digits only where plausible)."""
    m = c.m
    y_s = m.group("year")
    if len(y_s) == 2:
        y = 2000 + int(y_s) if int(y_s) < 50 else 1900 + int(y_s)
    else:
        y = int(y_s)
    if not m.group("fy") and not _plausible_year(ctx, c, y):
        return None
    return "DATE", f"{y:04d}", None, "year"


def _res_decade(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A decade in digits: "the 1990s", "the late '80s"."""
    m = c.m
    d = m.group("dec")
    if d.startswith("'"):
        cent = "19" if int(d[1]) >= 3 else "20"
        d = cent + d[1:]
    mod = _POS_MOD.get(_lower(m, "pm") or "")
    return "DATE", d[:3], mod, "decade"


def _res_decadeword(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A decade in words: "the sixties", "the early nineties" (not "in his fifties")."""
    m = c.m
    if not m.group(0).lower().startswith(("the", "early", "mid", "late")):
        return None  # "in his fifties" is an age
    d = 2 + ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties",
             "nineties"].index(m.group("w").lower())
    mod = _POS_MOD.get(_lower(m, "pm") or "")
    return "DATE", f"19{d}", mod, "decade"


def _res_century(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A century: "the 20th century"."""
    n = int(c.m.group("ord"))
    if not 1 <= n <= 22:
        return None
    return "DATE", f"{n - 1:02d}", None, "century"


def _res_quarter(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A quarter or half: "the third quarter", "last year's first half", "first quarters"."""
    m, kind, dct = c.m, c.kind, ctx.dct
    ords = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
            "4th": 4}
    q = ords[m.group("ord").lower()]
    unit = m.group("unit").lower()
    if unit == "half" and q > 2:
        return None
    det = (_lower(m, "det") or "") if kind == "quarter" else ""
    adj = (_lower(m, "adj") or "") if kind == "quarter" else ""
    if m.group("year"):
        year = int(m.group("year"))
    elif det.startswith("last year") or adj in ("year-earlier", "year-ago"):
        year = dct.year - 1
    elif det.startswith("next year"):
        year = dct.year + 1
    else:
        cur = _quarter(dct) if unit == "quarter" else (dct.month - 1) // 6 + 1
        if det == "next":
            year = dct.year if q > cur else dct.year + 1
        elif q <= cur or tense == "future":
            year = dct.year
        else:
            year = dct.year - 1
        if det == "last" and q >= cur:
            year = dct.year - 1
    code = "Q" if unit == "quarter" else "H"
    s = m.group(0)
    if s.lower().endswith("s") and not m.group("year") and s.lower().endswith(unit + "s"):
        return "SET", f"XXXX-{code}{q}", None, "quarter"
    return "DATE", f"{year:04d}-{code}{q}", None, "quarter" if code == "Q" else "unknown"


def _res_season(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A season: "last summer", "in the fall", "winter 2003"."""
    m, dct = c.m, ctx.dct
    rel = _lower(m, "rel")
    word = m.group("season").lower()
    if not rel and not m.group("year") and word in ("fall", "spring"):
        return None
    if rel == "the" and not m.group("year") and word in ("fall", "spring"):
        before = ctx.text[max(0, c.start - 12):c.start].lower()
        if not re.search(r"\b(?:in|during|by|this|until|since|over|through)\s+$", before):
            return None
    code = _SEASONS[word]
    if m.group("year"):
        year = int(m.group("year"))
    else:
        # seasons in order SP SU FA WI; a winter is dated by the year of its December
        order = ["SP", "SU", "FA", "WI"]
        cur_code = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU",
                    7: "SU", 8: "SU"}.get(dct.month, "FA")
        cur = (dct.year - (1 if dct.month <= 2 else 0)) * 4 + order.index(cur_code)
        keys = [y * 4 + order.index(code) for y in range(dct.year - 2, dct.year + 3)]
        if rel in ("last", "past"):
            key = max(k for k in keys if k < cur)
        elif rel in ("next", "coming"):
            key = min(k for k in keys if k > cur)
        elif rel == "this" or tense in ("unknown", "present"):
            key = min(keys, key=lambda k: (abs(k - cur), k > cur))
        elif tense == "future":
            key = min(k for k in keys if k >= cur)
        else:
            key = max(k for k in keys if k <= cur)
        year = key // 4
    mod = _POS_MOD.get((rel or "").replace("the ", ""))
    return "DATE", f"{year:04d}-{code}", mod, "season"


def _res_earlier(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """"earlier this year" (the year, mod START), "later that month" (END)."""
    m, dct = c.m, ctx.dct
    rel = _lower(m, "rel")
    unit = m.group("unit").lower()
    mod = "START" if m.group("el").lower() == "earlier" else "END"
    if unit in ("morning", "afternoon", "evening"):
        return "TIME", f"{dct.isoformat()}T{_TOD[unit]}", None, "day"
    if unit == "season":
        return None
    n = {"last": -1, "next": 1}.get(rel or "", 0)
    if rel == "that" and ctx.anchor:
        base = ctx.anchor[0]
    else:
        base = _shift(dct, n, unit)
    gran = {"day": "day", "week": "week", "month": "month", "year": "year",
            "decade": "decade", "century": "century"}[unit]
    return "DATE", _value_of(base, gran), mod, gran


def _res_weekday(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A weekday: "on Monday" by the clause's tense, "that Friday", "Fridays" (a set)."""
    m, dct = c.m, ctx.dct
    wd = _WEEKDAYS[m.group("wd").lower()]
    if m.group("pl"):
        tod = m.group("tod")
        v = f"XXXX-WXX-{wd + 1}" + (f"T{_TOD[tod.lower()]}" if tod else "")
        return "SET", v, None, "day"
    if m.group(0)[0].islower() and not m.group("rel"):
        return None
    rel = _lower(m, "rel")
    if rel == "that":
        base = ctx.anchor[0] if ctx.anchor else dct
        d = base + timedelta(days=(wd - base.weekday()) % 7)
    else:
        d = _weekday_date(dct, wd, tense, rel)
    tod = (m.group("tod") or "").lower()
    if tod and tod != "night":  # TBAQ mostly gives "Friday night" the plain date
        return "TIME", f"{d.isoformat()}T{_TOD[tod]}", None, "day"
    return "DATE", d.isoformat(), None, "day"


def _res_anaph(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """"the next day", "the previous week": anchored on the date last mentioned."""
    m, dct = c.m, ctx.dct
    w = _lower(m, "w") or ""
    parts = w.split()
    unit = next(p for p in parts if p in ("day", "morning", "afternoon", "evening", "night",
                                          "week", "month", "year"))
    base_unit = "day" if unit in ("morning", "afternoon", "evening", "night") else unit
    if ctx.anchor is not None:
        base = ctx.anchor[0]
    else:
        base = dct
    if any(p in ("following", "next", "after", "later") for p in parts):
        n = 1
    elif any(p in ("previous", "prior", "preceding", "before", "earlier") for p in parts):
        n = -1
    else:
        n = 0
    if base_unit == "day" and ctx.anchor is not None and ctx.anchor[1] in (
            "month", "quarter", "year") and n:
        # "the following day" after "in August": some day of August, not "August 2"
        return "DATE", _value_of(base, ctx.anchor[1]), None, ctx.anchor[1]
    d = _shift(base, n, base_unit)
    if unit in ("morning", "afternoon", "evening", "night"):
        return "TIME", f"{d.isoformat()}T{_TOD[unit]}", None, "day"
    return "DATE", _value_of(d, base_unit), None, base_unit


def _res_yearearlier(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """"a year earlier", "the year-ago quarter"."""
    unit = (_lower(c.m, "unit") or "")
    if ctx.qanchor is not None or unit == "quarter":
        base = ctx.qanchor or _add_months(ctx.dct, -3)
        return "DATE", _value_of(_add_months(base, -12), "quarter"), None, "quarter"
    return "DATE", f"{ctx.dct.year - 1:04d}", None, "year"


def _res_bare(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A unit after "for", "over", "within"...: "for months" (a duration of unknown length)."""
    unit = _unit(c.m.group("unit"))
    if unit == "age":
        return None
    return "DURATION", _duration(None, unit), None, "unknown"


def _res_set(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A set: "daily", "every Monday", "each summer", "every other week"."""
    w = _lower(c.m, "w") or ""
    last = w.split()[-1]
    table = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
             "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H", "biweekly": "P2W",
             "bimonthly": "P2M", "semiannually": "P6M", "quarterly": "P3M"}
    if last in table:
        return "SET", table[last], None, "unknown"
    if last in _WEEKDAYS:
        return "SET", f"XXXX-WXX-{_WEEKDAYS[last] + 1}", None, "day"
    if last in _MONTHS:
        return "SET", f"XXXX-{_MONTHS[last]:02d}", None, "month"
    if last in _SEASONS:
        return "SET", f"XXXX-{_SEASONS[last]}", None, "season"
    if last in _TOD:
        return "SET", f"XXXX-XX-XXT{_TOD[last]}", None, "day"
    n = 2 if "other" in w else 1
    return "SET", _duration(n, _unit(last)), None, "unknown"


def _res_spoken(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A year in words: "nineteen ninety-eight", "the year two thousand"."""
    m = c.m
    words = (_lower(m, "w") or "").replace("-", " ").replace(" and", "").split()
    if words[0] == "two":
        y = 2000 + sum(_NUMWORDS.get(w, 0) for w in words[2:])
    else:
        y = 1900 + sum(_NUMWORDS.get(w, 0) for w in words[1:] if w != "hundred")
    if "the year" not in m.group(0).lower() and len(words) < 2:
        return None
    if words[0] == "two" and "the year" not in m.group(0).lower():
        return None
    return "DATE", f"{y:04d}", None, "year"


def _res_vague(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """"the coming weeks" (a duration), "in the long run" (FUTURE_REF)."""
    m = c.m
    w = _lower(m, "w") or ""
    if m.group("unit"):  # "the coming weeks", "the past few years"
        return "DURATION", _duration(None, _unit(m.group("unit"))), None, "unknown"
    if w == "long term":
        return None
    return "DATE", "FUTURE_REF", None, "unknown"


#: fixed-date holidays: (month, day)
_FIXED_HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
                   "new year's": (1, 1), "new year's day": (1, 1), "new year's eve": (12, 31),
                   "independence day": (7, 4), "halloween": (10, 31),
                   "valentine's day": (2, 14)}


def _res_holiday(c: _Cand, ctx: _Context, tense: str) -> _Res | None:
    """A holiday: "Christmas", "Thanksgiving", "Easter 2004" (moving feasts computed)."""
    m = c.m
    w = (_lower(m, "w") or "")
    y_s = m.group("year")
    if w in _FIXED_HOLIDAYS:
        mon, day = _FIXED_HOLIDAYS[w]
    elif w.startswith("thanksgiving"):
        mon, day = 11, 0
    elif w == "labor day":
        mon, day = 9, -1
    elif w == "memorial day":
        mon, day = 5, -2
    else:
        mon, day = 4, -3  # easter
    year = int(y_s) if y_s else _month_year(ctx.dct, mon, tense, None)
    if day == 0:
        first = date(year, 11, 1)
        d = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    elif day == -1:
        first = date(year, 9, 1)
        d = first + timedelta(days=(0 - first.weekday()) % 7)
    elif day == -2:
        last_d = date(year, 5, 31)
        d = last_d - timedelta(days=last_d.weekday())
    elif day == -3:
        d = _easter(year)
    else:
        d = date(year, mon, day)
    return "DATE", d.isoformat(), None, "day"


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(y, month, day + 1)


_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:-|to\s+\d|people|persons|troops|soldiers|men|women|children|workers|employees|"
    r"jobs|shares|cars|units|tons|tonnes|feet|foot|meters|metres|miles|km|kilometers|yards|"
    r"votes|members|residents|cases|deaths|students|barrels|pounds|dollars|acres|square|"
    r"points|homes|houses|times|of\s+(?:the|them|his|her|its|their|these|those))\b",
    re.IGNORECASE)


def _plausible_year(ctx: _Context, c: _Cand, y: int) -> bool:
    """Tell a year from another number of four digits."""
    text = ctx.text
    after = text[c.end:c.end + 30]
    before = text[max(0, c.start - 20):c.start].lower()
    if re.match(r"\s*-\s*(?:\d{2,4}|year|month|day|week)", after):
        return True
    if _NOT_YEAR_AFTER.match(after):
        return False
    if re.search(r"(?:\$|\bno\.|#|\bnumber|\broom|\bflight|\broute|\bpage|\bbill|\bh\.r\.|"
                 r"\bs\.)\s*$", before):
        return False
    if re.search(r"\b(?:about|some|nearly|almost|over|than|least|and|only)\s+$", before) and not (
            1950 <= y <= ctx.dct.year + 10):
        return False
    tok = ctx.token_at(c.start)
    if tok is not None and tok.ent_type_ in ("MONEY", "QUANTITY", "PERCENT"):
        return False
    return 1900 <= y <= 2099 or bool(re.search(r"\b(?:in|since|of|until|by|from|to|year)\s+$",
                                                before))


class _Offset(NamedTuple):
    """``n`` units from ``base``: what a relative expression counts from."""

    base: date
    n: int


def _resolve_rel(m: re.Match[str], ctx: _Context) -> _Res | None:
    """A unit with a relative word: "last week", "the following month", "this quarter"."""
    rel = _lower(m, "rel") or ""
    unit = _lower(m, "unit") or ""
    rel = rel.replace("the ", "") if rel != "the" else "the"
    if unit == "fiscal year":
        if rel == "the":
            return "DURATION", "P1Y", None, "unknown"
        unit = "year"
    if unit in ("year-end", "day", "period", "half") or (
            unit in ("decade", "century") and rel in ("past", "last")):
        return _rel_own_unit(rel, unit, ctx)
    found = _rel_offset(rel, unit, m, ctx)
    if not isinstance(found, _Offset):
        return found
    if unit == "weekend":
        d = _shift(found.base, found.n, "week")
        return "DATE", _week(d) + "-WE", None, "week"
    d = _shift(found.base, found.n, unit)
    gran = {"week": "week", "month": "month", "year": "year", "quarter": "quarter",
            "decade": "decade", "century": "century"}[unit]
    return "DATE", _value_of(d, gran), None, gran


def _rel_own_unit(rel: str, unit: str, ctx: _Context) -> _Res | None:
    """Units with values of their own: "year-end", "the past decade" (a duration), "the same
    day" (the anchor), "the same period" (the quarter anchor), "the first half"."""
    dct = ctx.dct
    if unit == "year-end":
        n = {"last": -1, "next": 1}.get(rel, 0)
        return "DATE", f"{dct.year + n:04d}", "END", "year"
    if unit in ("decade", "century"):
        return "DURATION", "P10Y" if unit == "decade" else "P100Y", None, "unknown"
    if unit == "day":
        if rel in ("same", "that") and ctx.anchor:
            return "DATE", ctx.anchor[0].isoformat(), None, "day"
        if rel in ("following", "next") and ctx.anchor:
            return "DATE", (ctx.anchor[0] + timedelta(days=1)).isoformat(), None, "day"
        if rel in ("previous", "prior", "preceding") and ctx.anchor:
            return "DATE", (ctx.anchor[0] - timedelta(days=1)).isoformat(), None, "day"
        return None
    if unit == "period":
        if rel in ("same", "latest", "the", "current", "that") and ctx.qanchor:
            return "DATE", _value_of(ctx.qanchor, "quarter"), None, "quarter"
        return None
    h = (dct.month - 1) // 6 + 1  # "half"
    if rel in ("last", "previous", "past", "prior"):
        y, h = (dct.year, 1) if h == 2 else (dct.year - 1, 2)
    elif rel in ("next", "coming"):
        y, h = (dct.year, 2) if h == 1 else (dct.year + 1, 1)
    else:
        y = dct.year
    return "DATE", f"{y:04d}-H{h}", None, "unknown"


def _rel_offset(rel: str, unit: str, m: re.Match[str], ctx: _Context) -> _Offset | _Res | None:
    """What "last/next/this/the following... UNIT" counts from, or the value itself where the
    context decides it (a quarterly report's "last year" is the year-ago quarter)."""
    dct = ctx.dct
    if rel in ("following", "next", "coming") and rel != "next" and ctx.anchor:
        return _Offset(ctx.anchor[0], 1)
    if rel in ("previous", "prior", "preceding") and ctx.anchor:
        return _Offset(ctx.anchor[0], -1)
    if rel in ("same", "that"):
        return _Offset(ctx.anchor[0], 0) if ctx.anchor else None
    if rel in ("last", "past", "previous", "prior", "preceding"):
        if unit == "year" and ctx.qanchor is not None and (re.search(
                r"\b(?:from|with|than|period|quarter|million|billion)\s+(?:the\s+)?$",
                ctx.text[max(0, m.start() - 30):m.start()].lower()) or re.match(
                r"'s\s+(?:quarter|period|results)", ctx.text[m.end():m.end() + 12].lower())):
            # "up from last year", "the corresponding period last year" in a quarterly report
            return "DATE", _value_of(_add_months(ctx.qanchor, -12), "quarter"), None, "quarter"
        return _Offset(dct, -1)
    if rel in ("next", "coming", "following"):
        return _Offset(dct, 1)
    if rel in ("this", "current", "full", "entire", "whole"):
        return _Offset(dct, 0)
    if rel == "latest":
        return _Offset(dct, -1 if unit == "quarter" else 0)
    return _rel_the(unit, m, ctx)


def _rel_the(unit: str, m: re.Match[str], ctx: _Context) -> _Offset | _Res | None:
    """"the UNIT": the current one only where the words before say so ("the end of the
    year"); "for the year" is a duration; otherwise no time at all."""
    dct = ctx.dct
    before = ctx.text[max(0, m.start() - 30):m.start()].lower()
    if unit == "quarter":
        if ctx.qanchor:
            return "DATE", _value_of(ctx.qanchor, "quarter"), None, "quarter"
        return _Offset(dct, -1)
    if unit == "year":
        if re.search(r"\b(?:end|rest|remainder|start|beginning|half|months|weeks|quarter)"
                     r"\s+of\s+$", before):
            return _Offset(dct, 0)
        if re.search(r"\b(?:for|during|in|of|through|throughout|over)\s+$", before):
            return "DURATION", "P1Y", None, "unknown"
        return None
    if unit == "month":
        if re.search(r"\b(?:end|rest|remainder|start|beginning|middle)\s+of\s+$", before):
            return _Offset(dct, 0)
        return None
    if unit == "week":
        if re.search(r"\b(?:for|during|in|of|through|throughout|over|earlier\s+in|later\s+in)"
                     r"\s+$", before):
            return _Offset(dct, 0)
        return None
    if unit == "weekend":
        return _Offset(dct, 0 if dct.weekday() >= 5 else -1)
    return None


def _resolve_deictic(m: re.Match[str], ctx: _Context) -> _Res | None:  # noqa: C901 (a flat case analysis, kept whole for now)
    dct = ctx.dct
    w = _lower(m, "w") or ""
    simple = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
              "these days": "PRESENT_REF", "at present": "PRESENT_REF",
              "the present": "PRESENT_REF", "current": "PRESENT_REF",
              "the current": "PRESENT_REF", "recently": "PAST_REF", "lately": "PAST_REF",
              "the past": "PAST_REF", "previously": "PAST_REF", "the future": "FUTURE_REF",
              "soon": "FUTURE_REF", "shortly": "FUTURE_REF"}
    if w in ("current", "the current"):
        nxt = ctx.text[m.end():m.end() + 20].lower()
        if re.match(r"\s+(?:quarter|year|month|week|period|session|term|season)\b", nxt):
            return None
    if w == "the past" and re.match(
            r"\s+(?:\d|few|several|two|three|four|five|six|seven|eight|nine|ten|decade|year|month|"
            r"week|day)", ctx.text[m.end():m.end() + 12].lower()):
        return None
    if w in simple:
        return "DATE", simple[w], None, "unknown"
    if w.startswith("recent"):
        if w.endswith("times"):
            return "DATE", "PAST_REF", None, "unknown"
        return "DURATION", _duration(None, _unit(w.split()[-1])), None, "unknown"
    if w in ("today", "tonight"):
        return "DATE", dct.isoformat(), None, "day"
    if w == "yesterday":
        return "DATE", (dct - timedelta(days=1)).isoformat(), None, "day"
    if w == "tomorrow":
        return "DATE", (dct + timedelta(days=1)).isoformat(), None, "day"
    if "before yesterday" in w:
        return "DATE", (dct - timedelta(days=2)).isoformat(), None, "day"
    if "after tomorrow" in w:
        return "DATE", (dct + timedelta(days=2)).isoformat(), None, "day"
    if w == "overnight":
        return "TIME", f"{(dct - timedelta(days=1)).isoformat()}TNI", None, "day"
    if w in ("year-end", "year's end", "year end"):
        return "DATE", f"{dct.year:04d}", "END", "year"
    parts = w.split()
    tod = _TOD.get(parts[-1])
    if tod:
        first = parts[0]
        if first == "the":
            if ctx.anchor and ctx.anchor[1] == "day":
                return "TIME", f"{ctx.anchor[0].isoformat()}T{tod}", None, "day"
            return None
        d = dct
        if first in ("last", "yesterday"):
            d = dct - timedelta(days=1)
        elif first == "tomorrow":
            d = dct + timedelta(days=1)
        mod = {"early": "START", "late": "END", "earlier": None, "later": None}.get(first)
        return "TIME", f"{d.isoformat()}T{tod}", mod, "day"
    return None


def _resolve_ago(m: re.Match[str], ctx: _Context) -> _Res | None:
    dct = ctx.dct
    unit = _unit(m.group("unit"))
    n = _num(m.group("num"))
    d = (_lower(m, "dir") or "")
    sign = -1 if d in ("ago", "earlier", "before", "previously", "back") else 1
    qmod = _QMOD.get(_lower(m, "qmod") or "")
    if d in ("ago", "from now", "hence", "back"):
        base, bgran = dct, "day"
    else:
        if ctx.anchor is None:
            base, bgran = dct, "day"
        else:
            base, bgran = ctx.anchor
    if d in ("before", "after") and re.match(r"\s+[\w\"'`]", ctx.text[m.end():m.end() + 3]):
        # "90 days after the merger": a duration anchored on an event
        return "DURATION", _duration(n, unit), qmod, "unknown"
    if unit in ("hour", "minute", "second"):
        if d in ("ago",):
            return "DATE", dct.isoformat(), qmod, "day"
        return "DURATION", _duration(n, unit), qmod, "unknown"
    if n is None:
        if d in ("ago", "from now", "hence", "back"):
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, "unknown"
        if (m.group("num") or "").lower() in ("a few", "few", "several", "some", "many"):
            n_eff = 3
        else:
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, "unknown"
        target = _shift(base, sign * n_eff, unit)
        gran = _UNIT_GRAN.get(unit, "year")
        return "DATE", _value_of(target, gran), "APPROX", gran
    if n != int(n):
        if unit == "year":
            n, unit = n * 12, "month"
        else:
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, "unknown"
    if unit == "year" and ctx.qanchor is not None:
        base, bgran = ctx.qanchor, "quarter"  # in a quarterly report: that quarter last year
    target = _shift(base, sign * int(n), unit)
    gran = _UNIT_GRAN.get(unit, "year")
    if unit in ("decade", "century"):
        gran = "year"
    if unit == "year" and bgran == "quarter":
        gran = "quarter"
    if qmod in ("MORE_THAN", "LESS_THAN", "EQUAL_OR_LESS", "EQUAL_OR_MORE"):
        # "more than two years ago": the point lies before/after the shifted date
        mod = {"MORE_THAN": "BEFORE", "LESS_THAN": "AFTER", "EQUAL_OR_LESS": "ON_OR_AFTER",
               "EQUAL_OR_MORE": "ON_OR_BEFORE"}[qmod] if sign < 0 else qmod
        return "DATE", _value_of(target, gran), mod, gran
    return "DATE", _value_of(target, gran), qmod, gran


def _resolve_duration(m: re.Match[str], ctx: _Context, kind: str) -> _Res | None:  # noqa: C901 (a flat case analysis, kept whole for now)
    unit = _unit(m.group("unit"))
    raw = (m.group("num") or "").lower()
    n = _num(raw)
    qmod = _QMOD.get(_lower(m, "qmod") or "") if kind == "duration" else "EQUAL_OR_MORE"
    before = ctx.text[max(0, m.start() - 12):m.start()]
    if re.match(r"\s*-?\s*old\b", ctx.text[m.end():m.end() + 6], re.IGNORECASE):
        return None  # an age: "a 6-year-old"
    if unit == "quarter" and (re.match(r"\s+of\b", ctx.text[m.end():m.end() + 4]) or
                              "-" in m.group(0)):
        return None  # a fraction: "three-quarters of"
    if unit == "second" and raw in ("a", "an"):
        return None  # "a second round"
    if kind == "duration":
        det = (_lower(m, "det") or "").strip()
        adj = _lower(m, "adj")
        if raw in ("a", "an") and unit in ("summer", "winter", "night", "weekend"):
            return None
        if raw in ("some", "many") and not adj and not det:
            return None
        if raw == "the":
            return None
        if re.search(r"\b(?:once|twice|times|per)\s+$", before.lower()) and raw in ("a", "an"):
            return None
        if re.search(r"[$£€]\s*$", before):
            return None
        if raw in ("a", "an") and det:
            return None
        if raw in ("a", "an") and not qmod and not adj and not re.search(
                r"(?:^|\b(?:for|in|within|about|than|over|after|before|nearly|almost|took|take|"
                r"takes|last|lasted|lasts|past|spent|spend|only|just|least|once|twice|barely|"
                r"up\s+to|roughly|around|some|of|and|or|as|him|her|them|us|me|you|then)|[,.;:])\s*$",
                ctx.text[max(0, m.start() - 12):
                                                                     m.start()].lower()):
            return None  # "$500 million a year", "seven flights a week": a rate
        if unit in ("summer", "winter") and raw.isdigit():
            return None
        if raw.replace(",", "").replace(".", "").isdigit() and n is not None and (
                n > 10000 or 1900 <= n < 2100 and "," not in raw):
            return None  # "the 1988 quarter": a year, not 1988 quarters
        if adj in ("past", "last", "previous", "recent", "next", "coming") and n is None:
            return "DURATION", _duration(None, unit), qmod, "unknown"
    if unit in ("summer", "winter"):
        unit = "year"
    return "DURATION", _duration(n, unit), qmod, "unknown"


def _resolve_clock(m: re.Match[str], ctx: _Context, kind: str, tense: str) -> _Res | None:
    dct = ctx.dct
    day_w = _lower(m, "day")
    d = dct
    if day_w == "yesterday":
        d = dct - timedelta(days=1)
    elif day_w == "tomorrow":
        d = dct + timedelta(days=1)
    elif day_w in _WEEKDAYS:
        d = _weekday_date(dct, _WEEKDAYS[day_w], tense, None)
    elif kind == "clock" and m.group("cmon"):
        mon = _month_num(m.group("cmon"))
        day = int(m.group("cday"))
        if mon is None or not _valid(dct.year, mon, day):
            return None
        d = date(_month_year(dct, mon, "unknown", None), mon, day)
    elif day_w is None and ctx.anchor and ctx.anchor[1] == "day":
        d = ctx.anchor[0]
    if kind == "noon":
        w = (_lower(m, "w") or "").replace(" ", "").replace("-", "")
        tmap = {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00",
                "midafternoon": "TAF", "midmorning": "TMO", "dawn": "TMO", "dusk": "TEV"}
        mod = "MID" if w.startswith("mid") and w not in ("midday", "midnight") else None
        return "TIME", d.isoformat() + tmap[w], mod, "hour"
    h = int(m.group("h"))
    mi = int(m.group("mi") or 0)
    ap = (m.group("ap") or "").lower().replace(".", "").replace(" ", "")
    if h > 12 or (ap != "o'clock" and h == 0):
        return None
    if ap.startswith("p") and h < 12:
        h += 12
    elif ap.startswith("a") and h == 12:
        h = 0
    mod = "APPROX" if m.group("approx") else None
    return "TIME", f"{d.isoformat()}T{h:02d}:{mi:02d}", mod, "minute" if mi else "hour"


# --------------------------------------------------------------------------- main

#: the resolver of each candidate kind (a kind missing here resolves to nothing)
_RESOLVERS: dict[str, _Resolver] = {
    **dict.fromkeys(("mdy", "dmy", "my", "iso", "slash"), _res_calendar),
    "month": _res_month,
    "year": _res_year,
    "decade": _res_decade,
    "decadeword": _res_decadeword,
    "century": _res_century,
    "quarter": _res_quarter,
    "quarter2": _res_quarter,
    "season": _res_season,
    "rel": lambda c, ctx, tense: _resolve_rel(c.m, ctx),
    "earlier": _res_earlier,
    "weekday": _res_weekday,
    "deictic": lambda c, ctx, tense: _resolve_deictic(c.m, ctx),
    "ago": lambda c, ctx, tense: _resolve_ago(c.m, ctx),
    "anaph": _res_anaph,
    "yearearlier": _res_yearearlier,
    "duration": lambda c, ctx, tense: _resolve_duration(c.m, ctx, c.kind),
    "numrange": lambda c, ctx, tense: _resolve_duration(c.m, ctx, c.kind),
    "bare": _res_bare,
    "set": _res_set,
    "set2": _res_set,
    "clock": lambda c, ctx, tense: _resolve_clock(c.m, ctx, c.kind, tense),
    "noon": lambda c, ctx, tense: _resolve_clock(c.m, ctx, c.kind, tense),
    "spoken": _res_spoken,
    "vague": _res_vague,
    "holiday": _res_holiday,
}


def _adjectival(m: re.Match[str]) -> bool:
    """Tell "a six year [term]" (a number with a singular unit) from "six years"."""
    n = _num(m.group("num"))
    return n is not None and n > 1 and not m.group("unit").lower().endswith("s")


_ADJ_DET = re.compile(r"(?:the|a|an|his|her|its|their|our|this|that)\s+", re.IGNORECASE)

_PRIO = {name: i for i, (name, _) in enumerate(_PATTERNS)}


def _candidates(text: str, doc: Any) -> list[_Cand]:
    cands: list[_Cand] = []
    for name, pat in _PATTERNS:
        core = "core" in pat.groupindex
        prio = _PRIO[name]
        for m in pat.finditer(text):
            s, e = m.span("core") if core else m.span()
            if e > s:
                cands.append(_Cand(s, e, name, m, prio))
    return cands


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Keep the longest non-overlapping candidates (earlier patterns win ties)."""
    cands.sort(key=lambda c: (-(c.end - c.start), c.prio, c.start))
    taken: list[tuple[int, int]] = []
    out: list[_Cand] = []
    for c in cands:
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        taken.append((c.start, c.end))
        out.append(c)
    out.sort(key=lambda c: c.start)
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing punctuation that belongs to the sentence ("6 a.m." at a sentence end)."""
    while end > start and text[end - 1] in " ,;:\n\t":
        end -= 1
    while start < end and text[start] in " \n\t":
        start += 1
    return start, end


def _try(c: _Cand, ctx: _Context) -> _Res | None:
    try:
        return _resolve(c, ctx)
    except (ValueError, OverflowError):
        return None


def resolved_matches(cands: list[Any], chosen: list[Any], attempt: Callable[[Any], Any],
                     text_len: int) -> Iterator[tuple[Any, Any]]:
    """Each chosen match with its resolution (English and French taggers share this).

    Where a rule refused the longest match, the other matches over the same words are tried,
    longest first; a match no rule resolves is dropped."""
    for i, c0 in enumerate(chosen):
        c, res = c0, attempt(c0)
        if res is None:
            lo = chosen[i - 1].end if i else 0
            hi = chosen[i + 1].start if i + 1 < len(chosen) else text_len
            alts = sorted((a for a in cands if a is not c0 and a.start < c0.end and
                           c0.start < a.end and lo <= a.start and a.end <= hi),
                          key=lambda a: (-(a.end - a.start), a.prio))
            for a in alts:
                res = attempt(a)
                if res is not None:
                    c = a
                    break
        if res is not None:
            yield c, res


def find_times(text: str, published: date, doc: Any = None) -> list[Time]:  # noqa: C901 (a flat case analysis, kept whole for now)
    """Return the TIMEX3 expressions of ``text``, normalised against ``published``.

    ``doc`` is an optional spaCy Doc of ``text``; when given, the tense of the governing
    verb decides whether "Monday" or "April" points back or forward in time.
    """
    if isinstance(published, datetime):
        published = published.date()
    ctx = _Context(text, published, doc)
    out: list[Time] = []
    cands = _candidates(text, doc)
    chosen = _select(list(cands))
    for c, res in resolved_matches(cands, chosen, lambda m: _try(m, ctx), len(text)):
        typ, value, mod, gran = res
        start, end = c.start, c.end
        # left modifiers: "early", "the end of", ...
        if typ in ("DATE", "TIME") and value[:1].isdigit():
            lm = _LEFT_MOD.search(text, max(0, start - 40), start)
            if lm and (lm.group("pos") or lm.group("adj")):
                key = (lm.group("pos") or lm.group("adj") or "").lower()
                key = re.sub(r"^the\s+", "", key).rstrip("-").replace(" of", "")
                key = re.sub(r"\s+the$", "", key)
                key = re.sub(r"\s+of\s+the$", "", key)
                if key in _POS_MOD or key.split()[0] in _POS_MOD:
                    mod = _POS_MOD.get(key, _POS_MOD.get(key.split()[0]))
                    start = lm.start()
                elif key.startswith(("rest", "remainder")):
                    start = lm.start()
                    mod = "END"
        if c.kind == "ago" and typ == "DURATION" and (_lower(c.m, "dir") or "") in (
                "before", "after"):
            end = c.m.start("dir")  # "[13 days] after the bombing": the anchor stays outside
        start, end = _trim(text, start, end)
        dm = _ADJ_DET.match(text, start, end)
        if dm and c.kind in ("duration", "quarter", "decade", "yearearlier") and (
                re.search(r"-[a-z]+$", text[dm.end():end], re.IGNORECASE)
                or c.kind == "duration" and _adjectival(c.m)):
            # "a 16-hour [trip]", "the third-quarter [loss]": the determiner is the noun's;
            # "the year-ago quarter" ends in its head noun and keeps it
            start = dm.end()
        if text[start:end].endswith(".") and c.kind in ("clock",):
            nxt = text[end:end + 2]
            if nxt[:1] in ("", "\n") or (nxt[:1] == " " and nxt[1:2].isupper()):
                end -= 1
        if c.kind == "year" and ctx.qanchor is not None and re.fullmatch(r"\d{4}", value):
            pm = _YEAR_QUARTER_NP.match(text, end)
            if pm and text[max(0, start - 4):start].lower() == "the ":
                # "the 1988 quarter" in a quarterly report: that quarter of 1988
                start, end = start - 4, pm.end()
                value = f"{value}-Q{_quarter(ctx.qanchor)}"
                gran = "quarter"
        out.append(Time(text[start:end], start, end, typ, value, mod, gran))
        if typ in ("DATE", "TIME"):
            pv = _parse_value_date(value)
            if pv is not None and c.kind != "yearearlier" and not (
                    c.kind == "ago" and pv[1] in ("year", "quarter")):
                ctx.anchor = pv
                if pv[1] == "quarter" and c.kind in ("quarter", "quarter2", "rel"):
                    ctx.qanchor = pv[0]
    return _overnight_of_a_day(text, _merge_month_year(text, out))


_ON_GAP = re.compile(r"\s+(?:on\s+)?")


def _overnight_of_a_day(text: str, times: list[Time]) -> list[Time]:
    """Value "overnight" by the day named right after it ("overnight on Saturday", "overnight
    Friday"): the night that began that day, not the one before the report."""
    out = list(times)
    for k, t in enumerate(out[:-1]):
        nxt = out[k + 1]
        if t.text.lower() == "overnight" and nxt.type == "DATE" and nxt.granularity == "day" \
                and re.fullmatch(r"\d{4}-\d\d-\d\d", nxt.value or "") and \
                _ON_GAP.fullmatch(text, t.end, nxt.start):
            out[k] = Time(t.text, t.start, t.end, t.type, f"{nxt.value}TNI", t.mod, t.granularity)
    return out


_YEAR_QUARTER_NP = re.compile(r"\s+(?:quarter|period)\b", re.IGNORECASE)
_MONTH_SEASON_VALUE = re.compile(r"\d{4}-(?:\d\d|SP|SU|FA|WI)")
_OF_GAP = re.compile(r",?\s+(?:of\s+)?")


def _merge_month_year(text: str, times: list[Time]) -> list[Time]:
    """Join a month or season and the year right after it into one expression.

    "January nineteen ninety-seven", "the winter of nineteen ninety-four": the year names
    which month/season is meant, so the pair is one TIMEX3 valued with that year.
    """
    out: list[Time] = []
    for t in times:
        prev = out[-1] if out else None
        if (prev is not None and t.type == "DATE" and re.fullmatch(r"\d{4}", t.value or "")
                and prev.type == "DATE" and _MONTH_SEASON_VALUE.fullmatch(prev.value or "")
                and _OF_GAP.fullmatch(text, prev.end, t.start)):
            out[-1] = Time(text[prev.start:t.end], prev.start, t.end, "DATE",
                           t.value + prev.value[4:], prev.mod, prev.granularity)
            continue
        out.append(t)
    return out


# --------------------------------------------------------------------------- value_range

_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def value_range(value: str, mod: str | None = None) -> tuple[date, date, str] | None:
    """Return (first day, last day, granularity) of a TIMEX3 DATE value, or None.

    ``mod`` START/MID/END narrows the range to its first, middle or last third; values that
    are not calendar points (durations, ``PAST_REF``, sets) and open-ended mods
    (BEFORE, AFTER...) give None.
    """
    if not value or mod in ("BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER"):
        return None
    v = value.split("T")[0] if "T" in value and value[:4].isdigit() else value
    try:
        rng = _range(v)
    except ValueError:
        return None
    if rng is None:
        return None
    lo, hi, gran = rng
    if mod in ("START", "MID", "END") and gran != "day":
        span = (hi - lo).days + 1
        third = max(1, span // 3)
        if mod == "START":
            hi = lo + timedelta(days=third - 1)
        elif mod == "END":
            lo = hi - timedelta(days=third - 1)
        else:
            lo = lo + timedelta(days=third)
            hi = lo + timedelta(days=max(0, span - 2 * third - 1))
    return lo, hi, gran


def _range(v: str) -> tuple[date, date, str] | None:
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", v)
    if m:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d, d, "day"
    m = re.fullmatch(r"(\d{4})-(\d\d)", v)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), "month"
    m = re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", v)
    if m:
        y, w = int(m.group(1)), int(m.group(2))
        if m.group(3):
            return date.fromisocalendar(y, w, 6), date.fromisocalendar(y, w, 7), "day"
        return date.fromisocalendar(y, w, 1), date.fromisocalendar(y, w, 7), "week"
    m = re.fullmatch(r"(\d{4})-Q([1-4])", v)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        lo = date(y, 3 * q - 2, 1)
        return lo, _add_months(lo, 3) - timedelta(days=1), "quarter"
    m = re.fullmatch(r"(\d{4})-H([12])", v)
    if m:
        y, h = int(m.group(1)), int(m.group(2))
        return date(y, 6 * h - 5, 1), date(y, 6 * h, 30 if h == 1 else 31), "unknown"
    m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v)
    if m:
        y = int(m.group(1))
        a, b = _SEASON_MONTHS[m.group(2)]
        lo = date(y, a, 1)
        hi_m = date(y + (b - 1) // 12, (b - 1) % 12 + 1, 1)
        return lo, _add_months(hi_m, 1) - timedelta(days=1), "season"
    m = re.fullmatch(r"FY(\d{4})", v)
    if m:
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31), "year"
    if re.fullmatch(r"\d{4}", v):
        y = int(v)
        return date(y, 1, 1), date(y, 12, 31), "year"
    if re.fullmatch(r"\d{3}", v):
        y = int(v) * 10
        return date(max(1, y), 1, 1), date(y + 9, 12, 31), "decade"
    if re.fullmatch(r"\d{2}", v):
        y = int(v) * 100
        return date(max(1, y), 1, 1), date(y + 99, 12, 31), "century"
    return None
