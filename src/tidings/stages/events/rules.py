"""The registry of event coding rules: named, ordered units that can be listed and switched off.

A rule is a function registered with :func:`rule` under a name and a *phase*, the point of the
events stage where it runs. Its one-line doc is the first line of its docstring; its word lists
are the entry of the same name under ``"rules"`` in ``data/event_rules.json``, passed to it as
its last argument. Rules of one phase run in registration order, which is the order of
``conventions.py`` (and of the data file). The phases, in the order the stage reaches them:

=========== ========================================== =========================================
phase       runs on                                    returns
=========== ========================================== =========================================
light-verb  (verb, event-noun object, key)             the (type, mode) key, or None
verb        (verb token, key, lexicon)                 the (type, mode) key, or None
verbs       the sentence's verb candidates             the candidates kept
contents    every candidate of the sentence            positions of candidates to drop
mention     (draft, the sentence's candidates)         True to drop the mention
pending     every draft of the article                 the drafts kept
generic     a draft with its time found                True to drop it as background
modality    a draft with the rules' modality           nothing (may set modality)
type        a draft with its modality                  nothing (sets type, mode, modality)
actors      a draft with its place                     nothing (sets source and target)
merge       (events kept, one more event)              (into, folded) events, or None
article     the article's merged events, in text order nothing (may set fields of events)
            (with the document and its actor index)
settled     the same, after the last merge             nothing (may set fields of events)
=========== ========================================== =========================================

Switch rules off with ``find_events(document, without={...})`` or, for everything the pipeline
runs inside a block (``tidings eval plover --without-rule NAME``), with :func:`rules_off`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from ...errors import UsageError

PHASES = ("light-verb", "verb", "verbs", "contents", "mention", "pending", "generic",
          "modality", "type", "actors", "merge", "article", "settled")

Words = Mapping[str, Any]
F = TypeVar("F", bound=Callable[..., Any])


def _as_data(value: Any) -> Any:
    """Lists become frozensets (every list is read as a set), mappings recurse."""
    if isinstance(value, list):
        return frozenset(value)
    if isinstance(value, dict):
        return {k: _as_data(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=1)
def rule_data() -> dict[str, Any]:
    """Load (once) ``data/event_rules.json``: ``{"words": {...}, "rules": {name: {...}}}``."""
    raw = json.loads(resources.files("tidings.data").joinpath("event_rules.json")
                     .read_text("utf-8"))
    return {"words": _as_data(raw["words"]), "rules": _as_data(raw["rules"]),
            "order": tuple(raw["rules"])}


def shared_words() -> Words:
    """The word lists the trigger, role and modality code reads (``"words"`` in the file)."""
    return rule_data()["words"]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Rule:
    """A named coding rule: its phase, its function and its word lists."""

    name: str
    phase: str
    func: Callable[..., Any]
    words: Words

    @property
    def doc(self) -> str:
        """The one-line doc: the first line of the function's docstring."""
        return (self.func.__doc__ or "").strip().split("\n", 1)[0]

    def __call__(self, *args: Any) -> Any:
        return self.func(*args, self.words)


#: every coding rule by name, in the order the events stage runs them
RULES: dict[str, Rule] = {}


def rule(name: str, phase: str) -> Callable[[F], F]:
    """Register a coding rule under ``name`` for ``phase`` (its word lists from the data file)."""
    if phase not in PHASES:
        raise ValueError(f"unknown rule phase {phase!r}; phases: {', '.join(PHASES)}")

    def register(func: F) -> F:
        words = rule_data()["rules"].get(name)
        if words is None:
            raise ValueError(f"rule {name!r} has no entry in data/event_rules.json")
        RULES[name] = Rule(name, phase, func, words)
        _active.cache_clear()
        return func

    return register


def check_names(names: Iterable[str]) -> frozenset[str]:
    """Return ``names`` as a set; a name that is no rule is a coded usage error."""
    chosen = frozenset(names)
    unknown = sorted(chosen - RULES.keys())
    if unknown:
        raise UsageError(f"E350 no coding rule {unknown[0]!r}. Available: {', '.join(RULES)}"
                         " (`tidings rules` lists them)")
    return chosen


_OFF: ContextVar[frozenset[str]] = ContextVar("tidings_rules_off", default=frozenset())


@contextmanager
def rules_off(names: Iterable[str]) -> Iterator[frozenset[str]]:
    """Switch the named rules off for everything the events stage runs inside the block."""
    token = _OFF.set(check_names(names))
    try:
        yield _OFF.get()
    finally:
        _OFF.reset(token)


class Active:
    """The rules switched on, by phase, in registry order."""

    def __init__(self, off: frozenset[str]):
        self.off = off
        self._by_phase: dict[str, tuple[Rule, ...]] = {
            p: tuple(r for r in RULES.values() if r.phase == p and r.name not in off)
            for p in PHASES}

    def __getitem__(self, phase: str) -> tuple[Rule, ...]:
        return self._by_phase[phase]


@lru_cache(maxsize=64)
def _active(off: frozenset[str]) -> Active:
    return Active(off)


def active(without: Iterable[str] | None = None) -> Active:
    """The rules on: all but ``without``, or, when it is None, all but those :func:`rules_off`
    switched off around the call."""
    return _active(check_names(without) if without is not None else _OFF.get())
