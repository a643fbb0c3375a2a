"""Temporal expressions in French news: the French grammar over the English tagger's arithmetic.

:func:`find_times_fr` finds French date, time, duration and set expressions ("le mois dernier",
"mardi", "mardi dernier", "en avril", "il y a deux semaines", "le 14 juillet", "début
septembre", "la semaine prochaine", "depuis 2012", "l'année dernière", "hier", "dimanche
soir", "le lendemain"...) with regular expressions, and resolves them against the publication
date with the helpers of :mod:`tidings.stages.times` (weekday and month selection by tense,
calendar shifts, TIMEX3 values and granularities), so French and English dates follow one set
of rules. Only the grammar and the tense cues are French:

- tense from the French parse (passé composé "a attaqué", imparfait, futur "se tiendra",
  conditionnel "devrait", "va" + infinitive), else from lexical cues in the sentence;
- "dernier"/"passé" and "prochain" after a weekday, month or date act as English "last"/"next"
  ("mardi dernier", "juillet dernier", "le 8 mars prochain");
- "il y a N semaines" is a point (ISO week), "dans N semaines" the future one, "N jours plus
  tard"/"la veille"/"le lendemain" are anchored on the date last mentioned;
- "début"/"mi-"/"fin" set TIMEX3 ``mod`` START/MID/END.

Measured on ``tests/fixtures/fr_timex.tsv`` (120 expressions written before this module):
see BENCHMARKS.md, French times.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from ..model import Time

# The resolution arithmetic is the English tagger's (one set of calendar rules for both
# languages); these helpers are small, pure and stable.
from .times import (
    _UNIT_GRAN,
    _Cand,
    _duration,
    _month_year,
    _parse_value_date,
    _select,
    _shift,
    _trim,
    _valid,
    _value_of,
    _week,
    _weekday_date,
    resolved_matches,
)

__all__ = ["find_times_fr"]

# --------------------------------------------------------------------------- lexicon

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (("janvier", "janv."), ("février", "fevrier", "févr.", "fév."), ("mars",), ("avril", "avr."),
     ("mai",), ("juin",), ("juillet", "juil."), ("août", "aout"),
     ("septembre", "sept."), ("octobre", "oct."), ("novembre", "nov."),
     ("décembre", "decembre", "déc.")), start=1):
    for _n in _names:
        _MONTHS[_n] = _i
_WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
             "dimanche": 6}
_SEASONS = {"printemps": "SP", "été": "SU", "ete": "SU", "automne": "FA", "hiver": "WI"}
_TOD = {"matin": "MO", "matinée": "MO", "après-midi": "AF", "soir": "EV", "soirée": "EV",
        "nuit": "NI", "aube": "MO"}
_NUMWORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
             "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
             "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30,
             "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
             "une dizaine de": 10, "une quinzaine de": 15, "une vingtaine de": 20,
             "une centaine de": 100}
_VAGUE = {"plusieurs", "quelques", "de nombreux", "de nombreuses"}
_UNITS = {"seconde": "second", "minute": "minute", "heure": "hour", "jour": "day",
          "journée": "day", "nuit": "night", "semaine": "week", "quinzaine": "fortnight",
          "mois": "month", "trimestre": "quarter", "an": "year", "année": "year",
          "décennie": "decade", "siècle": "century", "week-end": "weekend"}
_REL = {"dernier": "last", "dernière": "last", "passé": "last", "passée": "last",
        "prochain": "next", "prochaine": "next", "précédent": "previous",
        "précédente": "previous", "suivant": "following", "suivante": "following"}
_POS = {"début": "START", "mi": "MID", "mi-": "MID", "milieu": "MID", "fin": "END",
        "courant": None}

_MONTH_RE = (r"(?:janvier|janv\.|f[ée]vrier|f[ée]vr?\.|mars|avril|avr\.|mai|juin|juillet|juil\.|"
             r"ao[ûu]t|septembre|sept\.|octobre|oct\.|novembre|nov\.|d[ée]cembre|d[ée]c\.)")
_WD_RE = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_NUM_RE = (r"(?:\d+(?:[.,]\d+)?|une\s+(?:dizaine|quinzaine|vingtaine|centaine)\s+d[e']\s*|"
           r"un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|"
           r"quinze|seize|vingt|trente|quarante|cinquante|soixante|cent|plusieurs|quelques)")
_UNIT_RE = (r"(?:secondes?|minutes?|heures?|jours?|journées?|nuits?|semaines?|quinzaines?|mois|"
            r"trimestres?|ans|an|années?|décennies?|siècles?|week-ends?)")
_REL_RE = r"(?:derni[eè]re?|pass[ée]e?|prochaine?|pr[ée]c[ée]dente?|suivante?)"
_QMOD_RE = (r"(?:(?P<qmod>plus\s+d['’]|moins\s+d['’]|près\s+d['’]|pr[eè]s\s+de|environ|"
            r"au\s+moins|quelque)\s*)?")
_TOD_RE = r"(?:matin|matinée|après-midi|apres-midi|soir|soirée|nuit)"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_B = r"(?<![\w$€.])"
_E = r"(?![\w])"
_DET = r"(?:l['’]|la\s+|le\s+|les\s+)"

_P_DMY = _rx(_B + r"(?:(?P<wd>" + _WD_RE + r")\s+)?(?:(?:le|du|au)\s+)?"
             r"(?P<day>[0-3]?\d|1er|premier)\s+(?P<mon>" + _MONTH_RE + r")"
             r"(?:\s+(?P<year>(?:19|20)\d\d))?"
             r"(?:\s+(?P<rel>" + _REL_RE + r"))?" + _E)
_P_SLASH = _rx(_B + r"(?P<day>[0-3]?\d)/(?P<m>[01]?\d)/(?P<year>(?:19|20)\d\d)" + _E)
_P_ISO = _rx(_B + r"(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)" + _E)
_P_MY = _rx(_B + r"(?:(?P<pos>début|fin|mi-?|courant)\s*)?(?P<mon>" + _MONTH_RE + r")\s+"
            r"(?P<year>(?:19|20)\d\d)" + _E)
_P_MONTH = _rx(_B + r"(?:(?P<pos>début|fin|mi-?|courant)\s*)?(?P<mon>" + _MONTH_RE + r")"
               r"(?:\s+(?P<rel>" + _REL_RE + r"))?" + _E)
_P_YEAR = _rx(r"(?<![\w$€.,/-])(?:(?P<pos>mi)-)?(?P<year>(?:19|20)\d\d)"
              r"(?![\w%]|[.,]\d|\s*(?:%|pour\s*cent|\d))")
_P_DECADE = _rx(_B + r"(?:les\s+)?années\s+(?P<dec>(?:19|20)\d0|[1-9]0)" + _E)
_P_CENTURY = _rx(_B + r"(?P<ord>[IVX]{1,5}|\d{1,2})(?:e|ème|eme)\s+siècle" + _E)
_P_SEASON = _rx(_B + r"(?P<det>l['’]|cet\s+|ce\s+|au\s+|en\s+|le\s+)(?P<season>printemps|été|"
                r"automne|hiver)(?:\s+(?P<year>(?:19|20)\d\d))?(?:\s+(?P<rel>" + _REL_RE + r"))?"
                + _E)
_P_REL = _rx(_B + r"(?P<det>l['’]|la\s+|le\s+|ce\s+|cet\s+|cette\s+)(?P<unit>semaine|mois|"
             r"année|an|week-end|trimestre|décennie)(?P<ci>-ci|-là)?"
             r"(?:\s+(?P<rel>" + _REL_RE + r"|en\s+cours))?" + _E)
_P_POS = _rx(_B + r"(?P<pos>début|fin|milieu|mi-?)\s*(?:de\s+l['’]|de\s+la\s+|du\s+|d['’])\s*"
             r"(?P<unit>année|an|mois|semaine|trimestre)(?:\s+(?P<rel>" + _REL_RE + r"))?" + _E)
_P_WEEKDAY = _rx(_B + r"(?P<wd>" + _WD_RE + r")(?P<pl>s)?(?:\s+(?P<tod>" + _TOD_RE + r"))?"
                 r"(?:\s+(?P<rel>" + _REL_RE + r"))?" + _E)
_P_DEICTIC = _rx(_B + r"(?P<w>avant-hier|après-demain|aujourd['’]hui|hier(?:\s+(?:" + _TOD_RE
                 + r"))?|demain(?:\s+(?:" + _TOD_RE + r"))?|maintenant|actuellement|"
                 r"à\s+l['’]heure\s+actuelle|récemment|dernièrement|prochainement|bientôt|"
                 r"ces\s+derniers\s+temps|(?:ce|cet|cette)\s+(?:" + _TOD_RE + r")|"
                 r"(?:la|le)\s+(?:soirée|matinée|nuit|matin|soir|après-midi)|"
                 r"l['’](?:après-midi|aube)|"
                 r"la\s+veille|le\s+lendemain|le\s+surlendemain|l['’]avant-veille)" + _E)
_P_RECENT = _rx(_B + r"(?:ces|les)\s+(?P<adj>derni(?:ers|ères)|prochain(?:s|es))\s+"
                r"(?P<unit>jours|semaines|mois|années|ans|décennies)" + _E)
_P_AGO = _rx(_B + r"il\s+y\s+a\s+" + _QMOD_RE + r"(?P<num>" + _NUM_RE + r")\s*(?P<unit>"
             + _UNIT_RE + r")" + _E)
_P_IN = _rx(_B + r"dans\s+" + _QMOD_RE + r"(?P<num>" + _NUM_RE + r")\s*(?P<unit>" + _UNIT_RE
            + r")" + _E)
_P_LATER = _rx(_B + _QMOD_RE + r"(?P<num>" + _NUM_RE + r")\s*(?P<unit>" + _UNIT_RE + r")\s+"
               r"(?P<dir>plus\s+tard|plus\s+tôt|auparavant|après|avant)" + _E)
_P_DURATION = _rx(_B + _QMOD_RE + r"(?P<num>" + _NUM_RE + r")\s*(?P<unit>" + _UNIT_RE + r")" + _E)
_P_SET = _rx(_B + r"(?P<w>(?:chaque|tous\s+les|toutes\s+les)\s+(?:jours?|nuits?|semaines?|mois|"
             r"ans|années?|matins?|soirs?|" + _WD_RE + r"s?)|quotidiennement|"
             r"hebdomadairement|mensuellement|annuellement)" + _E)
_P_CLOCK = _rx(r"(?<![\w.:])(?P<h>[0-2]?\d)\s*(?:h|heures?)\s*(?P<mi>[0-5]\d)?(?:\s*\(?GMT\)?)?"
               r"(?![\w])")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dmy", _P_DMY), ("slash", _P_SLASH), ("iso", _P_ISO), ("my", _P_MY), ("month", _P_MONTH),
    ("year", _P_YEAR), ("decade", _P_DECADE), ("century", _P_CENTURY), ("season", _P_SEASON),
    ("pos", _P_POS),
    ("rel", _P_REL), ("weekday", _P_WEEKDAY), ("deictic", _P_DEICTIC), ("recent", _P_RECENT),
    ("ago", _P_AGO), ("in", _P_IN), ("later", _P_LATER), ("duration", _P_DURATION),
    ("set", _P_SET), ("clock", _P_CLOCK),
)
_PRIO = {name: i for i, (name, _) in enumerate(_PATTERNS)}

# --------------------------------------------------------------------------- tense

#: futur simple and conditionnel endings, and future-marking words
_FUTURE_CUE = _rx(r"\b(?:va|vont|allait|allaient|devrait|devraient|doit|doivent|pourrait|"
                  r"pourraient|sera|seront|aura|auront|prévue?s?|attendue?s?|"
                  r"compte|comptent|entend|entendent|envisage|envisagent|"
                  r"\w{3,}(?:era|eront|ira|iront|dra|dront|ra|ront))\b")
_PAST_CUE = _rx(r"\b(?:a|ont|avait|avaient|eu|été|était|étaient|est|sont|s['’]est|se\s+sont)"
                r"\s+(?:\w+\s+)?\w+(?:é|ée|és|ées|i|ie|is|it|u|ue|us|ert|erte|ait|aient)\b")
#: verbs whose clause points forward ("prévu", "attendu", "programmé")
_FUTURE_LEMMAS = frozenset({"prévoir", "programmer", "planifier", "envisager", "annoncer_pour"})
_FUTURE_FORMS = frozenset({"prévu", "prévue", "prévus", "prévues", "attendu", "attendue",
                           "attendus", "attendues", "programmé", "programmée", "programmés",
                           "programmées", "fixé", "fixée", "fixés", "fixées"})
_SENT_END = re.compile(r"[.!?]\s+(?=[A-ZÀ-Ý\"«])|\n\s*\n")


def _tense_of_verb(v: Any) -> str | None:
    """Tense of a French verb token and its auxiliaries ("past", "future", "present")."""
    kids = list(v.children)
    auxes = [k for k in kids if k.dep_.startswith("aux")]
    tense = v.morph.get("Tense")
    mood = v.morph.get("Mood")
    if v.lemma_ in ("aller",) and any(k.dep_ == "xcomp" for k in kids) and "Pres" in tense:
        return "future"  # "va déployer"
    if v.lemma_ in ("devoir", "pouvoir", "prévoir", "compter", "envisager", "entendre") and any(
            k.dep_ == "xcomp" for k in kids):
        return "future"
    if v.lemma_ in _FUTURE_LEMMAS or v.lower_ in _FUTURE_FORMS:
        return "future"  # "est prévue début avril", "est attendue courant octobre"
    for a in auxes:
        at, am = a.morph.get("Tense"), a.morph.get("Mood")
        if "Fut" in at or "Cnd" in am:
            return "future"
        if a.lemma_ in ("avoir", "être") and ("Pres" in at or "Imp" in at or "Past" in at):
            return "past"
    if "Fut" in tense or "Cnd" in mood:
        return "future"
    if "Imp" in tense or ("Past" in tense and "Part" not in v.morph.get("VerbForm")):
        return "past"
    if "Past" in tense and v.dep_ not in ("acl", "amod"):
        return "past"
    if "Pres" in tense and "Ind" in mood:
        return "present"
    return None


class _Ctx:
    """Per-document state: text, publication date, parse and the date last mentioned."""

    def __init__(self, text: str, published: date, doc: Any) -> None:
        self.text = text
        self.dct = published
        self.doc = doc
        self.anchor: tuple[date, str] | None = None
        self._starts: list[int] | None = None

    def token_at(self, pos: int) -> Any:
        if self.doc is None:
            return None
        if self._starts is None:
            self._starts = [t.idx for t in self.doc]
        import bisect

        i = bisect.bisect_right(self._starts, pos) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def sentence(self, pos: int) -> tuple[int, int]:
        tok = self.token_at(pos)
        if tok is not None:
            s = tok.sent
            return s.start_char, s.end_char
        lo = 0
        for m in _SENT_END.finditer(self.text):
            if m.end() > pos:
                return lo, m.start() + 1
            lo = m.end()
        return lo, len(self.text)

    def tense(self, start: int, end: int) -> str:
        """Return "past", "future", "present" or "unknown" for the clause of the expression."""
        before = self.text[max(0, start - 30):start].lower()
        if re.search(r"\b(?:depuis|il\s+y\s+a)\s+(?:le\s+)?$", before):
            return "past"
        if re.search(r"\b(?:d['’]ici|jusqu['’]à|avant)\s+(?:le\s+|la\s+)?$", before):
            return "unknown"
        tok = self.token_at(start)
        if tok is not None:
            v = tok
            for _ in range(4):
                if v.pos_ in ("VERB", "AUX") or v.head is v:
                    break
                v = v.head
            if v.pos_ in ("VERB", "AUX"):
                t = _tense_of_verb(v)
                if t is None and v.dep_ in ("xcomp", "ccomp", "advcl", "conj") and v.head is not v:
                    t = _tense_of_verb(v.head)
                if t is not None:
                    return t
        s, e = self.sentence(start)
        seg = self.text[s:e]
        if _FUTURE_CUE.search(seg):
            return "future"
        if _PAST_CUE.search(seg):
            return "past"
        return "unknown"


# --------------------------------------------------------------------------- helpers

def _num(word: str | None) -> float | None:
    if word is None:
        return None
    w = re.sub(r"\s+", " ", word.lower().strip()).replace("’", "'")
    w = re.sub(r"\s*d['e]\s*$", " de", w).strip()
    if w in _VAGUE:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?", w):
        return float(w.replace(",", "."))
    return float(_NUMWORDS[w]) if w in _NUMWORDS else None


def _unit(word: str) -> str:
    w = word.lower()
    if w in ("mois", "ans"):
        return "month" if w == "mois" else "year"
    w = w[:-1] if w.endswith("s") and w[:-1] in _UNITS else w
    return _UNITS.get(w, "day")


def _rel(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower().replace("è", "e")
    for k, v in _REL.items():
        if k.replace("è", "e") == w:
            return v
    return None


def _month(word: str) -> int | None:
    w = word.lower()
    return _MONTHS.get(w) or _MONTHS.get(w.rstrip(".") + ".") or _MONTHS.get(w.rstrip("."))


def _pos_mod(word: str | None) -> str | None:
    if not word:
        return None
    return _POS.get(word.lower().rstrip("-").strip()) if word.lower().strip() != "mi-" else "MID"


def _roman(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    vals = {"I": 1, "V": 5, "X": 10, "L": 50}
    total, prev = 0, 0
    for ch in reversed(s.upper()):
        v = vals.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _day_year(dct: date, mon: int, day: int, tense: str, rel: str | None) -> int:
    """Year of a day and month without a year: "le 28 février dernier" is the latest one on or
    before publication, "le 8 mars prochain" the next one on or after it; otherwise the
    month's rule by tense (the English tagger's)."""
    if rel in ("last", "previous"):
        return dct.year if (mon, day) <= (dct.month, dct.day) else dct.year - 1
    if rel in ("next", "following"):
        return dct.year if (mon, day) >= (dct.month, dct.day) else dct.year + 1
    return _month_year(dct, mon, tense, None)


def _season_year(dct: date, code: str, tense: str, rel: str | None) -> int:
    """Year of a season (a winter is dated by its December), as the English tagger dates one."""
    order = ["SP", "SU", "FA", "WI"]
    cur_code = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU",
                8: "SU"}.get(dct.month, "FA")
    cur = (dct.year - (1 if dct.month <= 2 else 0)) * 4 + order.index(cur_code)
    keys = [y * 4 + order.index(code) for y in range(dct.year - 2, dct.year + 3)]
    if rel in ("last", "previous"):
        key = max(k for k in keys if k < cur)
    elif rel in ("next", "following"):
        key = min(k for k in keys if k > cur)
    elif tense == "future":
        key = min(k for k in keys if k >= cur)
    elif tense == "past":
        key = max(k for k in keys if k <= cur)
    else:
        key = min(keys, key=lambda k: (abs(k - cur), k > cur))
    return key // 4


_Res = tuple[str, str, str | None, str]  # type, value, mod, granularity


# --------------------------------------------------------------------------- resolution

def _resolve(c: _Cand, ctx: _Ctx) -> _Res | None:
    """Normalise candidate ``c``: the resolver of its kind (see :data:`_RESOLVERS`)."""
    resolver = _RESOLVERS.get(c.kind)
    return resolver(c, ctx) if resolver is not None else None


def _fr_calendar(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A calendar date: "5 mars 2024", "le 1er mai", 05/03/2024, ISO."""
    kind, dct = c.kind, ctx.dct
    g = c.m.groupdict()
    mon = int(g["m"]) if kind != "dmy" else _month(g["mon"])
    day_s = (g["day"] or "").lower()
    day = 1 if day_s in ("1er", "premier") else int(day_s)
    if mon is None or not 1 <= mon <= 12:
        return None
    rel = _rel(g.get("rel"))
    if g.get("year"):
        year = int(g["year"])
    else:
        year = _day_year(dct, mon, day, ctx.tense(c.start, c.end), rel)
    if not _valid(year, mon, day):
        return None
    return "DATE", date(year, mon, day).isoformat(), None, "day"


def _fr_month_year(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A month and year: "mars 2024", "fin mars 2024"."""
    g = c.m.groupdict()
    mon = _month(g["mon"])
    if mon is None:
        return None
    return "DATE", f"{int(g['year']):04d}-{mon:02d}", _pos_mod(g.get("pos")), "month"


def _fr_month(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A month: "en avril", "en mars dernier", "courant mai"."""
    dct = ctx.dct
    g = c.m.groupdict()
    word = g["mon"]
    mon = _month(word)
    if mon is None:
        return None
    rel = _rel(g.get("rel"))
    if word.lower() in ("mars", "mai") and not rel and not g.get("pos"):
        before = ctx.text[max(0, c.start - 12):c.start].lower()
        if not re.search(r"\b(?:en|de|d['’]|depuis|jusqu['’]à|à|au|mi-|fin|début|et|ou|"
                         r"courant|entre|dès|avant|après|pour)\s*$", before):
            return None  # "mai" and "mars" are words too
    tense = ctx.tense(c.start, c.end)
    if (g.get("pos") or "").lower() == "courant" and tense == "unknown":
        tense = "future"
    year = _month_year(dct, mon, tense, rel)
    return "DATE", f"{year:04d}-{mon:02d}", _pos_mod(g.get("pos")), "month"


def _fr_year(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A year (not a count of people or money: "2000 soldats")."""
    g = c.m.groupdict()
    y = int(g["year"])
    after = ctx.text[c.end:c.end + 25].lower()
    before = ctx.text[max(0, c.start - 12):c.start].lower()
    if re.match(r"\s*(?:personnes|soldats|morts|habitants|hommes|femmes|enfants|civils|"
                r"militaires|km|kilomètres|mètres|tonnes|francs|euros|dollars|fcfa|cfa|"
                r"élèves|réfugiés|déplacés|combattants|voix)\b", after):
        return None
    if re.search(r"(?:n°|numéro|\$|€)\s*$", before):
        return None
    return "DATE", f"{y:04d}", "MID" if g.get("pos") else None, "year"


def _fr_decade(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A decade: "les années 1990", "les années 80"."""
    g = c.m.groupdict()
    d = g["dec"]
    if len(d) == 2:
        d = ("19" if int(d) >= 30 else "20") + d
    return "DATE", d[:3], None, "decade"


def _fr_century(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A century in Roman numerals: "le XXe siècle"."""
    g = c.m.groupdict()
    n = _roman(g["ord"])
    if n is None or not 1 <= n <= 22:
        return None
    return "DATE", f"{n - 1:02d}", None, "century"


def _fr_season(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A season: "cet été", "l'hiver dernier", "printemps 2023"."""
    dct = ctx.dct
    g = c.m.groupdict()
    code = _SEASONS[g["season"].lower()]
    rel = _rel(g.get("rel"))
    det = (g.get("det") or "").lower().strip()
    if det in ("ce", "cet") and not rel:
        rel = "this"
    if g.get("year"):
        year = int(g["year"])
    elif rel == "this":
        year = _season_year(dct, code, "unknown", None)
    else:
        year = _season_year(dct, code, ctx.tense(c.start, c.end), rel)
    return "DATE", f"{year:04d}-{code}", None, "season"


def _fr_position(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A part of a unit: "début de l'année", "fin du mois prochain"."""
    dct = ctx.dct
    g = c.m.groupdict()
    unit = _unit(g["unit"])
    n = {"last": -1, "previous": -1, "next": 1, "following": 1}.get(_rel(g.get("rel")) or "",
                                                                   0)
    gran = {"year": "year", "month": "month", "week": "week", "quarter": "quarter"}[unit]
    return "DATE", _value_of(_shift(dct, n, unit), gran), _pos_mod(g["pos"]), gran


def _fr_weekday(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A weekday by the clause's tense: "mardi", "lundi dernier", "les vendredis"."""
    dct = ctx.dct
    g = c.m.groupdict()
    wd = _WEEKDAYS[g["wd"].lower()]
    tod = (g.get("tod") or "").lower()
    if g.get("pl"):
        return "SET", f"XXXX-WXX-{wd + 1}", None, "day"
    rel = _rel(g.get("rel"))
    if rel in ("previous", "following"):
        rel = {"previous": "last", "following": "next"}[rel]
    d = _weekday_date(dct, wd, ctx.tense(c.start, c.end), rel)
    if tod and tod in _TOD:
        return "TIME", f"{d.isoformat()}T{_TOD[tod]}", None, "day"
    return "DATE", d.isoformat(), None, "day"


def _fr_recent(c: _Cand, ctx: _Ctx) -> _Res | None:
    """"ces derniers jours": a duration of unknown length."""
    g = c.m.groupdict()
    unit = _unit(g["unit"])
    return "DURATION", _duration(None, unit), None, "unknown"


def _fr_duration(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A duration: "pendant trois jours", "plus d'un mois" (not "un jour" alone)."""
    g = c.m.groupdict()
    amount = _num(g["num"])
    unit = _unit(g["unit"])
    raw = (g["num"] or "").lower()
    before = ctx.text[max(0, c.start - 12):c.start].lower()
    if raw in ("un", "une") and not g.get("qmod") and not re.search(
            r"\b(?:depuis|pendant|durant|pour|en|sur|après|avant|de|d['’]|plus|moins|"
            r"environ|près)\s*$", before):
        return None  # "un jour" as "one day", "une semaine de grève": kept only in context
    if unit == "hour" and re.search(r"\b(?:à|vers|dès|jusqu['’]à|avant|après)\s*$", before):
        return None  # a clock time: "vers 15 heures"
    if raw.isdigit() and 1900 <= int(raw) < 2100:
        return None
    qmod = {"plus d'": "MORE_THAN", "plus d’": "MORE_THAN", "moins d'": "LESS_THAN",
            "moins d’": "LESS_THAN", "environ": "APPROX", "près d'": "APPROX",
            "près de": "APPROX", "au moins": "EQUAL_OR_MORE", "quelque": "APPROX"
            }.get(re.sub(r"\s+", " ", (g.get("qmod") or "").lower()).strip())
    return "DURATION", _duration(amount, unit), qmod, "unknown"


def _fr_set(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A set: "chaque lundi", "tous les jours", "quotidiennement"."""
    g = c.m.groupdict()
    w = (g["w"] or "").lower()
    last = w.split()[-1].rstrip("s") if w.split()[-1] not in ("mois",) else "mois"
    table = {"quotidiennement": "P1D", "hebdomadairement": "P1W", "mensuellement": "P1M",
             "annuellement": "P1Y", "jour": "P1D", "nuit": "P1D", "semaine": "P1W",
             "moi": "P1M", "mois": "P1M", "an": "P1Y", "année": "P1Y", "matin": "P1D",
             "soir": "P1D"}
    if last in _WEEKDAYS:
        return "SET", f"XXXX-WXX-{_WEEKDAYS[last] + 1}", None, "day"
    if w in table:
        return "SET", table[w], None, "unknown"
    return "SET", table.get(last, "P1D"), None, "unknown"


def _fr_clock(c: _Cand, ctx: _Ctx) -> _Res | None:
    """A clock time: "vers 15 heures", "à 8h30" (not "24 heures")."""
    m, dct = c.m, ctx.dct
    g = c.m.groupdict()
    h = int(g["h"])
    mi = int(g["mi"] or 0)
    txt = m.group(0).lower()
    before = ctx.text[max(0, c.start - 12):c.start].lower()
    if "heure" in txt and not g["mi"] and not re.search(
            r"\b(?:à|vers|dès|jusqu['’]à|avant|après|aux\s+alentours\s+de)\s*$", before):
        return None  # "24 heures" is a duration
    if h > 24:
        return None
    d = ctx.anchor[0] if ctx.anchor and ctx.anchor[1] == "day" else dct
    return "TIME", f"{d.isoformat()}T{h:02d}:{mi:02d}", None, "minute" if mi else "hour"


def _resolve_rel(m: re.Match[str], ctx: _Ctx) -> _Res | None:
    g = m.groupdict()
    dct = ctx.dct
    det = (g["det"] or "").lower().strip().replace("’", "'")
    unit = _unit(g["unit"])
    rel_w = (g.get("rel") or "").lower()
    rel = "this" if rel_w == "en cours" else _rel(rel_w)
    if rel is None:
        if det in ("ce", "cet", "cette") or g.get("ci") == "-ci":
            rel = "this"
        elif g.get("ci") == "-là" and ctx.anchor:
            rel = "that"
        else:
            return None  # "la semaine" alone names no week
    if rel in ("previous", "following", "that"):
        if not ctx.anchor:
            return None
        base = ctx.anchor[0]
        n = {"previous": -1, "following": 1, "that": 0}[rel]
    else:
        base, n = dct, {"last": -1, "next": 1, "this": 0}[rel]
    if unit == "weekend":
        return "DATE", _week(_shift(base, n, "week")) + "-WE", None, "week"
    gran = {"week": "week", "month": "month", "year": "year", "quarter": "quarter",
            "decade": "decade", "century": "century"}.get(unit)
    if gran is None:
        return None
    return "DATE", _value_of(_shift(base, n, unit), gran), None, gran


def _resolve_deictic(w: str, ctx: _Ctx) -> _Res | None:
    dct = ctx.dct
    simple = {"maintenant": "PRESENT_REF", "actuellement": "PRESENT_REF",
              "à l'heure actuelle": "PRESENT_REF", "récemment": "PAST_REF",
              "dernièrement": "PAST_REF", "ces derniers temps": "PAST_REF",
              "prochainement": "FUTURE_REF", "bientôt": "FUTURE_REF"}
    w = re.sub(r"\s+", " ", w)
    if w in simple:
        return "DATE", simple[w], None, "unknown"
    days = {"aujourd'hui": 0, "hier": -1, "avant-hier": -2, "demain": 1, "après-demain": 2}
    if w in days:
        return "DATE", (dct + timedelta(days=days[w])).isoformat(), None, "day"
    anchor = ctx.anchor[0] if ctx.anchor and ctx.anchor[1] == "day" else None
    rel_days = {"la veille": -1, "le lendemain": 1, "le surlendemain": 2, "l'avant-veille": -2}
    if w in rel_days:
        if anchor is None:
            return None
        return "DATE", (anchor + timedelta(days=rel_days[w])).isoformat(), None, "day"
    parts = w.split()
    tod = _TOD.get(parts[-1]) or _TOD.get(w.split("'")[-1])
    if tod:
        first = parts[0].split("'")[0]
        d = dct
        if first == "hier":
            d = dct - timedelta(days=1)
        elif first == "demain":
            d = dct + timedelta(days=1)
        elif first in ("la", "le", "l") and anchor is not None:
            d = anchor
        return "TIME", f"{d.isoformat()}T{tod}", None, "day"
    return None


def _resolve_shift(m: re.Match[str], ctx: _Ctx, kind: str) -> _Res | None:
    """ "il y a deux semaines", "dans trois jours", "deux jours plus tard"."""
    g = m.groupdict()
    dct = ctx.dct
    unit = _unit(g["unit"])
    n = _num(g["num"])
    if kind == "ago":
        sign, base = -1, dct
    elif kind == "in":
        sign, base = 1, dct
    else:
        d = re.sub(r"\s+", " ", g["dir"].lower())
        sign = 1 if d in ("plus tard", "après") else -1
        if d in ("après", "avant") and re.match(r"\s+(?:l['’]|la|le|les|son|sa|leur)\b",
                                                ctx.text[m.end():m.end() + 6], re.IGNORECASE):
            return "DURATION", _duration(n, unit), None, "unknown"  # "deux jours après l'attaque"
        base = ctx.anchor[0] if ctx.anchor else dct
    if unit in ("hour", "minute", "second"):
        return "DATE", dct.isoformat(), None, "day"
    if n is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, "unknown"
    if n != int(n):
        if unit == "year":
            n, unit = n * 12, "month"
        else:
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None, "unknown"
    target = _shift(base, sign * int(n), unit)
    gran = _UNIT_GRAN.get(unit, "year")
    if unit in ("decade", "century"):
        gran = "year"
    return "DATE", _value_of(target, gran), None, gran


# --------------------------------------------------------------------------- main


#: the resolver of each candidate kind (a kind missing here resolves to nothing)
_RESOLVERS: dict[str, Callable[[_Cand, _Ctx], _Res | None]] = {
    "dmy": _fr_calendar,
    "slash": _fr_calendar,
    "iso": _fr_calendar,
    "my": _fr_month_year,
    "month": _fr_month,
    "year": _fr_year,
    "decade": _fr_decade,
    "century": _fr_century,
    "season": _fr_season,
    "pos": _fr_position,
    "rel": lambda c, ctx: _resolve_rel(c.m, ctx),
    "weekday": _fr_weekday,
    "deictic": lambda c, ctx: _resolve_deictic(c.m.groupdict()["w"].lower().replace("’", "'"), ctx),
    "recent": _fr_recent,
    "ago": lambda c, ctx: _resolve_shift(c.m, ctx, "ago"),
    "in": lambda c, ctx: _resolve_shift(c.m, ctx, "in"),
    "later": lambda c, ctx: _resolve_shift(c.m, ctx, "later"),
    "duration": _fr_duration,
    "set": _fr_set,
    "clock": _fr_clock,
}


def _candidates(text: str) -> list[_Cand]:
    cands: list[_Cand] = []
    for name, pat in _PATTERNS:
        for m in pat.finditer(text):
            if m.end() > m.start():
                cands.append(_Cand(m.start(), m.end(), name, m, _PRIO[name]))
    return cands


def find_times_fr(text: str, published: date, doc: Any = None) -> list[Time]:
    """Return the TIMEX3 expressions of French ``text``, normalised against ``published``.

    ``doc`` is an optional French spaCy Doc of ``text``; its tenses decide whether "mardi" or
    "avril" points back or forward in time.
    """
    if isinstance(published, datetime):
        published = published.date()
    ctx = _Ctx(text, published, doc)
    cands = _candidates(text)
    chosen = _select(list(cands))
    out: list[Time] = []
    for c, res in resolved_matches(cands, chosen, lambda m: _try(m, ctx), len(text)):
        typ, value, mod, gran = res
        start, end = _trim(text, c.start, c.end)
        out.append(Time(text[start:end], start, end, typ, value, mod, gran))
        if typ in ("DATE", "TIME") and c.kind not in ("ago",):
            pv = _parse_value_date(value)
            if pv is not None:
                ctx.anchor = pv
    return out


def _try(c: _Cand, ctx: _Ctx) -> _Res | None:
    try:
        return _resolve(c, ctx)
    except (ValueError, OverflowError, KeyError):
        return None
