"""The error catalogue (tidings.errors.CATALOGUE) lists every coded error the package raises."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tidings.errors import CATALOGUE, InputError, UsageError

SRC = Path(__file__).resolve().parents[1] / "src" / "tidings"
CODE = re.compile(r"^(E\d{3})\b")


def raised_codes() -> list[tuple[str, str, str]]:
    """(code, class called, file) of every call whose string argument starts with a code."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None) or "?"
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                head = arg.value if isinstance(arg, ast.Constant) else (
                    arg.values[0].value if isinstance(arg, ast.JoinedStr) and arg.values
                    and isinstance(arg.values[0], ast.Constant) else None)
                if isinstance(head, str) and (m := CODE.match(head)):
                    out.append((m.group(1), name, str(path.relative_to(SRC))))
    return out


def test_errors_every_raised_code_is_catalogued_with_its_class() -> None:
    found = raised_codes()
    assert len(found) > 40, "the scan found too few coded errors: is it still reading them?"
    missing = sorted({(c, f) for c, _, f in found if c not in CATALOGUE})
    assert not missing, f"codes missing from errors.CATALOGUE: {missing}"
    error_classes = {"InputError", "ModelError", "StoreError", "UsageError", "ApiError",
                     "ValueError"}
    wrong = sorted({(c, cls, f) for c, cls, f in found
                    if cls in error_classes and cls != CATALOGUE[c][0]})
    assert not wrong, f"codes raised by another class than the catalogue says: {wrong}"


def test_errors_code_attribute_comes_from_the_message() -> None:
    assert UsageError("E303 --since 'x' is not a date").code == "E303"
    assert InputError("bad-date", "E009 no date").code == "E009"
    assert UsageError("no code here").code == "E000"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_errors_catalogue_entries_are_well_formed(code: str) -> None:
    cls, meaning = CATALOGUE[code]
    assert CODE.match(code) and cls and meaning and not meaning.endswith(".")
