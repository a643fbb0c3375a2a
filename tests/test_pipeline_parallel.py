"""extract_parallel: the same Documents as extract_many, in input order, from N processes."""

from __future__ import annotations

from conftest import FIXTURES
from tidings.pipeline import extract_many, extract_parallel
from tidings.readers import Rejected, read


def test_extract_parallel_equals_extract_many_in_order():
    arts = [a for a in read(FIXTURES / "articles") if not isinstance(a, Rejected)]
    arts = arts * 5  # more chunks than workers, so order across chunks is exercised
    one = [d.to_dict() for d in extract_many(arts, batch_size=3)]
    timings: dict[str, float] = {}
    two = list(extract_parallel(arts, workers=2, batch_size=3, timings=timings))
    assert [d.to_dict() for d in two] == one
    assert all(d.doc is None for d in two)  # the spaCy Doc stays in the worker
    assert timings.get("parse", 0) > 0 and "events" in timings


def test_extract_parallel_one_worker_is_extract_many():
    arts = [a for a in read(FIXTURES / "articles") if not isinstance(a, Rejected)]
    docs = list(extract_parallel(arts, workers=1))
    assert [d.id for d in docs] == [a.id for a in arts]
    assert all(d.doc is not None for d in docs)
