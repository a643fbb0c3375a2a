"""Shared fixtures. Paths to ../shared are computed from the repo root; tests that need them
skip with a reason where they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NIGER = SHARED / "examples" / "niger_withdrawal.txt"


@pytest.fixture(scope="session")
def niger_path() -> Path:
    if not NIGER.exists():
        pytest.skip(f"the shared example {NIGER} is absent")
    return NIGER


@pytest.fixture(scope="session")
def niger_doc(niger_path: Path):
    """The extracted Document of the shared Niger example (extracted once per session)."""
    import tidings

    (article,) = list(tidings.read(niger_path))
    from tidings.pipeline import extract_article

    return extract_article(article)
