"""Actors in French text (stub)."""
from __future__ import annotations

from typing import Any

from ..model import Actor


def find_actors_fr(doc: Any) -> list[Actor]:
    return []
