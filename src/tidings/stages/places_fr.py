"""Places in French text (stub)."""
from __future__ import annotations

from datetime import date
from typing import Any

from ..model import Place


def find_places_fr(doc: Any, published: date | None = None) -> list[Place]:
    return []
