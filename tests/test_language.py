"""Language per article (issue 16): detection, forcing, mixed corpora, and no French cost for
English-only runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import tidings
from conftest import FIXTURES, ROOT
from tidings.language import detect_language, resolve_language

FR_DEV = FIXTURES / "fr_dev"


def _articles(folder: Path) -> list[tidings.Article]:
    return [a for a in tidings.read(folder) if isinstance(a, tidings.Article)]


def test_language_detects_every_bundled_article():
    english = _articles(ROOT / "examples")
    english = [a for a in english if "/fr/" not in (a.origin or "")]
    french = _articles(FR_DEV)
    assert len(english) >= 20 and len(french) >= 15
    assert [a.origin for a in english if detect_language(a.text) != "en"] == []
    assert [a.origin for a in french if detect_language(a.text) != "fr"] == []


def test_language_detects_single_sentences():
    rows = [ln.split("\t")[4] for ln in (FIXTURES / "fr_timex.tsv").read_text("utf-8")
            .splitlines() if ln and not ln.startswith("#")]
    wrong = [s for s in rows if detect_language(s) != "fr"]
    assert len(wrong) <= len(rows) // 20, wrong  # 95% of one-line French sentences
    assert detect_language("Militants ambushed a convoy near Gao on Tuesday.") == "en"
    assert detect_language("Niger, Mali, Burkina Faso") == "en"  # no vote: the default
    assert detect_language("") == "en"


def test_language_resolve_checks_the_name():
    assert resolve_language("fr", "The army said.") == "fr"
    assert resolve_language("auto", "L'armée a dit.") == "fr"
    assert resolve_language(None, "The army said.") == "en"
    with pytest.raises(tidings.UsageError, match="E311"):
        resolve_language("de", "x")


def test_language_extract_api_records_and_forces_it():
    d = tidings.extract("Les soldats ont quitté la base mardi.", published="2024-09-18")
    assert d.language == "fr" and d.to_dict()["language"] == "fr"
    assert [t.value for t in d.times] == ["2024-09-17"]
    d = tidings.extract("Les soldats ont quitté la base mardi.", published="2024-09-18",
                        language="en")
    assert d.language == "en"
    with pytest.raises(tidings.UsageError, match="E311"):
        tidings.extract("x", published="2024-09-18", language="xx")


@pytest.mark.slow
def test_language_mixed_corpus_in_one_run_keeps_order():
    from tidings.pipeline import extract_many

    en = _articles(ROOT / "examples")[:3]
    fr = _articles(FR_DEV)[:3]
    mixed = [en[0], fr[0], en[1], fr[1], fr[2], en[2]]
    docs = list(extract_many(mixed, batch_size=4))
    assert [d.id for d in docs] == [a.id for a in mixed]
    assert [d.language for d in docs] == ["en", "fr", "en", "fr", "fr", "en"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tidings", *args], capture_output=True,
                          text=True, timeout=300)


def test_language_cli_lang_option(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Le ministre a été reçu mardi dernier à Niamey.", encoding="utf-8")
    res = _cli("extract", str(f), "--published", "2024-09-18")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["language"] == "fr"
    res = _cli("extract", str(f), "--published", "2024-09-18", "--lang", "en")
    assert json.loads(res.stdout)["language"] == "en"
    res = _cli("extract", str(f), "--published", "2024-09-18", "--lang", "de")
    assert res.returncode == 2 and "E311" in res.stderr and "Traceback" not in res.stderr
    res = _cli("run", str(f), "--db", str(tmp_path / "x.db"), "--lang", "xx")
    assert res.returncode == 2 and "E311" in res.stderr
    assert not (tmp_path / "x.db").exists()


def test_language_english_run_never_loads_the_french_model(tmp_path):
    """French articles add no cost to English-only runs: no French model, module or data."""
    code = (
        "import sys, tidings\n"
        "from tidings.pipeline import extract_many\n"
        "arts = [a for a in tidings.read(sys.argv[1]) if isinstance(a, tidings.Article)]\n"
        "docs = list(extract_many(arts))\n"
        "assert docs and all(d.language == 'en' for d in docs)\n"
        "from tidings.parse import load_nlp_fr\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('fr_core_news') or\n"
        "                m.endswith('_fr') or m.endswith('events.french'))\n"
        "print(load_nlp_fr.cache_info().currsize, loaded)\n"
    )
    res = subprocess.run([sys.executable, "-c", code,
                          str(ROOT / "examples" / "2024-02-14-gao-convoy-ambush.txt")],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "0 []"


def test_language_survives_the_json_round_trip():
    """Spark output is reloaded from the JSON contract (``tidings load``): the language stays."""
    from tidings.spark_job import document_from_dict

    d = tidings.extract("Les soldats ont quitté la base mardi.", published="2024-09-18")
    assert document_from_dict(d.to_dict()).language == "fr"
    old = d.to_dict()
    del old["language"]  # output written before the field existed reads as English
    assert document_from_dict(old).language == "en"
