"""Golden outputs: `tidings extract` on examples/ and the shared Niger article must stay
byte-identical across refactors (issue 13). The article text is replaced by its SHA-256 in the
stored outputs, so no article is copied into the repository.

Regenerate deliberately (after a change that is *meant* to alter outputs) with
``TIDINGS_UPDATE_GOLDEN=1 pytest tests/test_golden_outputs.py`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from conftest import NIGER, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def _lines(paths: list[Path]) -> list[str]:
    import tidings
    from tidings.pipeline import extract_many

    articles = [a for p in paths for a in tidings.read(p) if isinstance(a, tidings.Article)]
    assert len(articles) == len(paths), "every golden input must read without a reject"
    out = []
    for document in extract_many(articles):
        d = document.to_dict()
        d["text"] = "sha256:" + hashlib.sha256(d["text"].encode("utf-8")).hexdigest()
        out.append(json.dumps(d, ensure_ascii=False, sort_keys=True))
    return out


def _check(name: str, lines: list[str]) -> None:
    path = GOLDEN / name
    text = "\n".join(lines) + "\n"
    if os.environ.get("TIDINGS_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8").splitlines()
    for i, (got, want) in enumerate(zip(lines, expected)):
        assert got == want, f"{name}: document {i} differs from the golden output"
    assert len(lines) == len(expected)


@pytest.mark.slow
def test_golden_examples_unchanged() -> None:
    _check("examples.jsonl", _lines(EXAMPLES))


@pytest.mark.slow
def test_golden_niger_unchanged(niger_path: Path) -> None:
    _check("niger_withdrawal.jsonl", _lines([NIGER]))
