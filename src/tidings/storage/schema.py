"""Schema versions: one ordered set of migrations for both backends.

``migrations/NNNN_name.BACKEND.sql`` (``BACKEND`` is ``sqlite`` or ``postgresql``): every
version has one file per backend, so the two schemas move together. Each backend applies
the versions its store lacks, in order, in one transaction, and records them in the table

    schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ...)

whenever a store is opened for writing (``tidings run``, ``load``, ``watch``, the API's
writer). A store written by a newer version than this code knows is refused (E207) instead
of being written with the wrong schema. A shipped migration is never edited: add one.

SQLite stores from before ``schema_version`` existed (version 1 recorded as
``meta.schema_version``) are recognised and carried on from version 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from ..errors import StoreError

BACKENDS = ("sqlite", "postgresql")
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(sqlite|postgresql)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One version of the schema for one backend."""

    version: int
    name: str  # the file name
    sql: str


def migrations(backend: str) -> list[Migration]:
    """Return the packaged migrations of ``backend``, in version order."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}. Available: {', '.join(BACKENDS)}")
    found: dict[int, Migration] = {}
    versions: dict[str, set[int]] = {b: set() for b in BACKENDS}
    folder = resources.files("tidings.storage") / "migrations"
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if not m:
            continue
        version = int(m.group(1))
        if version in versions[m.group(3)]:
            raise StoreError(f"E206 two {m.group(3)} migrations share version {version}")
        versions[m.group(3)].add(version)
        if m.group(3) == backend:
            found[version] = Migration(version, entry.name, entry.read_text(encoding="utf-8"))
    if versions["sqlite"] != versions["postgresql"]:
        raise StoreError("E206 the SQLite and PostgreSQL migrations differ in versions: "
                         f"{sorted(versions['sqlite'])} vs {sorted(versions['postgresql'])}")
    return [found[v] for v in sorted(found)]


def latest_version() -> int:
    """The schema version this code writes."""
    return max((m.version for m in migrations("sqlite")), default=0)


def pending(backend: str, done: set[int], store: str, target: int | None = None,
            ) -> list[Migration]:
    """Return the migrations a store with versions ``done`` lacks (up to ``target``);
    refuse (E207) a store newer than this code."""
    known = migrations(backend)
    newest = max((m.version for m in known), default=0)
    if done and max(done) > newest:
        raise StoreError(f"E207 the store at {store} has schema version {max(done)}, newer"
                         f" than this tidings knows ({newest}): upgrade tidings to open it")
    return [m for m in known if m.version not in done and (target is None or m.version <= target)]
