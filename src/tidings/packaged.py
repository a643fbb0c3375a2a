"""Files shipped in the package's ``data/`` folder: models and tables read at run time."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_json(name: str, path: str | None = None) -> Any | None:
    """The JSON file ``data/name`` of the package (or the file at ``path``); None if absent."""
    try:
        if path is None:
            text = (resources.files("tidings") / "data" / name).read_text("utf-8")
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
    except (FileNotFoundError, OSError):
        return None
    return json.loads(text)
