"""Events stage: who did what to whom, where and when, from the one parse of the article.

Reads the spaCy parse and ``Document.times``, ``.places`` and ``.actors``; adds
``Document.events``. Steps per sentence, one module each:

1. ``triggers``: verbs and event nouns of the trigger lexicon (``data/triggers.json``); a light
   verb takes its type from its event-noun object ("completed their withdrawal" → RETREAT);
2. ``roles``: subject / passive agent → source; object, passive subject or a
   to/against/with/from/into phrase → target; an event noun's possessor and of/by phrases;
3. ``modality``: auxiliaries, negation and governing verbs ("would complete", "is looking to
   expand", "had been seen", "did not attack"), reported speech, background statements;
4. ``attach``: place and time attached by the parse (the trigger's clause first, then the
   sentence); an event with no temporal expression is dated by the report
   (``basis="published"``);
5. ``conventions``: the PLOVER coding rules, each a named rule of the ``rules`` registry with
   its word lists in ``data/event_rules.json``, run at their phase of steps 1-6 and each
   switchable off (``find_events(document, without={"intention"})``, ``tidings rules``);
6. ``merge``: mentions of the same event inside one article (same type, modality and actors)
   are merged.

``find`` runs the steps; ``retype`` is the opt-in dyad classifier (``TIDINGS_CLASSIFIER=on``).
"""

from __future__ import annotations

from . import conventions  # noqa: F401  (registers the coding rules, in order)
from .find import event_id, find_events
from .retype import RETYPE_MIN, classifier_enabled
from .rules import RULES, Rule, check_names, rules_off
from .triggers import Lexicon, load_lexicon

__all__ = ["find_events", "event_id", "RULES", "Rule", "rules_off", "check_names",
           "classifier_enabled", "RETYPE_MIN", "Lexicon", "load_lexicon"]
