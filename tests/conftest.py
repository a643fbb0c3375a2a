"""Shared fixtures. Paths to ../shared are computed from the repo root; tests that need them
skip with a reason where they are absent."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Tests see the default gazetteer only, whatever a developer imported with `tidings gazetteer
# import`; tests of the import point TIDINGS_GAZETTEER at their own files.
os.environ["TIDINGS_GAZETTEER"] = "off"
NIGER = SHARED / "examples" / "niger_withdrawal.txt"


@contextmanager
def pg_schema(prefix: str = "t_") -> Iterator[str]:
    """A ``TIDINGS_TEST_PG`` URL whose search_path is a fresh, empty schema, dropped
    afterwards (the caller skips or asserts when the variable is not set)."""
    import psycopg

    base = os.environ["TIDINGS_TEST_PG"]
    schema = prefix + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


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
