"""Shared fixtures. Paths to ../shared are computed from the repo root; tests that need them
skip with a reason where they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Tests see the default gazetteer only, whatever a developer imported with `tidings gazetteer
# import`; tests of the import point TIDINGS_GAZETTEER at their own files.
os.environ["TIDINGS_GAZETTEER"] = "off"
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


STRICT_MARKERS = ("data", "postgres", "browser")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (``TIDINGS_REQUIRE_SERVICES=1``, set by .ci/run) a data, postgres or browser test
    that skips fails instead: CI installs PostgreSQL and Chromium and has ../shared/data, so a
    skip there means a missing install step, which a green run would hide."""
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and os.environ.get("TIDINGS_REQUIRE_SERVICES") == "1"
            and any(item.get_closest_marker(m) for m in STRICT_MARKERS)):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, where it must run: {reason}"
