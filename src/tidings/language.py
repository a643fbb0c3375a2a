"""Tell the language of an article: English or French, offline and in microseconds.

A stop-word vote: the share of the first :data:`SAMPLE_CHARS` characters' words that are
English or French function words (articles, prepositions, auxiliaries, pronouns; elided
``l'``/``d'``/``qu'``/``n'`` count as French). Function words are the most frequent words of any
text, so a paragraph carries dozens of votes; the two lists share no word. Measured on the
bundled corpora (BENCHMARKS.md, Language): every English and French article is told right,
and single French sentences of a dozen words too. Text with no vote either way (a headline
of names, numbers) is English, the language tidings read before French.

``--lang en|fr`` (CLI) or ``Article.language`` force the language instead.
"""

from __future__ import annotations

import re

__all__ = ["LANGUAGES", "detect_language", "resolve_language"]

#: languages tidings reads (ISO 639-1), the first one the default
LANGUAGES: tuple[str, ...] = ("en", "fr")
SAMPLE_CHARS = 3000

_EN = frozenset("""
the of and to in is was that for on with by said at as from it were has have be an are this
which who but not they their its had been will would after over into also he she his her than
when there what about against while during could should more says
""".split())
_FR = frozenset("""
le la les des du de et est une un au aux dans pour sur par qui que ont été selon avec il elle
ils elles ne pas ce cette ces son sa ses leur leurs plus lors où mais ou sont était avait
avaient entre sans depuis vers contre chez sous dont aussi après déjà notamment
""".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_ELISION = re.compile(r"^(?:l|d|qu|n|s|j|c)['’]", re.IGNORECASE)


def detect_language(text: str) -> str:
    """Return ``"fr"`` or ``"en"`` for ``text`` (``"en"`` when nothing tells them apart)."""
    en = fr = 0
    for m in _WORD.finditer(text[:SAMPLE_CHARS]):
        w = m.group(0).lower()
        if _ELISION.match(w):
            fr += 1
        elif w in _FR:
            fr += 1
        elif w in _EN:
            en += 1
    return "fr" if fr > en else "en"


def resolve_language(value: str | None, text: str) -> str:
    """Return the language to read ``text`` in: ``value`` when it names one, else detected.

    ``None``, ``""`` and ``"auto"`` detect; anything else must be one of :data:`LANGUAGES`.
    """
    if value in (None, "", "auto"):
        return detect_language(text)
    if value not in LANGUAGES:
        from .errors import UsageError

        raise UsageError(f"E311 unknown language {value!r}. Available: auto, "
                         + ", ".join(LANGUAGES))
    return value
